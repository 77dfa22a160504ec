// The same transition system as constrained Horn clauses, for Z3's Spacer
// (`(set-logic HORN)`), as an alternative prover with a time budget (issue 11:
// it refutes symbolic-t bugs fast but stalled on agreement in 4.8.12).
// Inv(n, t, f, p, b[, vin], counts...) is the unknown predicate:
//   init:  region and the initial state          => Inv(initial state)
//   step:  Inv(pre) and the one-phase encoding   => Inv(post)
//   query: Inv(pre) and the property's violation => false
// Z3 answers sat (an invariant exists: the property holds in this system)
// or unsat (a path to a violation exists in this system, which
// over-approximates the runs: not by itself a violation of the protocol).
// Only the native binary runs it here (../native.ts); the answer is a
// measurement, never a verdict of this engine.

import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { type NativeRun, runNativeSolver } from '../native';
import * as T from '../term';
import { assertTransition, baseQuery, declareInit, declarePre, type InvSystem, violation, type View } from './system';

/** A query's text as binders and one conjunction. */
function split(text: string): { binders: string[]; body: string } {
  const binders: string[] = [];
  const asserts: string[] = [];
  for (const l of text.split('\n')) {
    const d = /^\(declare-fun (\S+) \(\) (Int|Bool)\)$/.exec(l);
    if (d !== null) binders.push(`(${d[1]} ${d[2]})`);
    else if (l.startsWith('(assert ')) asserts.push(l.slice(8, -1));
  }
  return { binders, body: asserts.length === 0 ? 'true' : `(and ${asserts.join(' ')})` };
}

function args(sys: InvSystem, v: View): string {
  const xs = [v.n, v.t, v.f, v.p, v.b, ...(v.vin === null ? [] : [v.vin]), ...sys.classes.map((c) => v.cnt(c))];
  return xs.map((x) => T.printI(x)).join(' ');
}

function clause(text: string, extra: string[], head: string): string {
  const { binders, body } = split(text);
  const hyp = extra.length === 0 ? body : `(and ${body} ${extra.join(' ')})`;
  return `(assert (forall (${binders.join(' ')}) (=> ${hyp} ${head})))`;
}

/** The Horn clauses of the system (SMT-LIB2 with set-logic and check-sat). */
export function hornScript(sys: InvSystem): string {
  if (sys.faults !== null) throw new Error('spacer: the Horn encoding of crash and omission systems is not written');
  if (sys.user !== null && sys.user.formula.kind !== 'always') throw new Error('spacer: the Horn encoding of `eventually` ghosts is not written');
  const arity = 5 + (sys.property === 'validity' ? 1 : 0) + sys.classes.length;
  const lines = ['(set-logic HORN)', `(declare-fun Inv (${Array.from({ length: arity }, () => 'Int').join(' ')}) Bool)`];
  {
    const { q, params, vin } = baseQuery(sys);
    const init = declareInit(sys, q, params, vin);
    lines.push(clause(q.smtlib(), [], `(Inv ${args(sys, init)})`));
  }
  {
    const { q, params, vin } = baseQuery(sys);
    const pre = declarePre(sys, q, params, vin);
    const post = assertTransition(sys, q, pre);
    lines.push(clause(q.smtlib(), [`(Inv ${args(sys, pre)})`], `(Inv ${args(sys, post)})`));
  }
  {
    const { q, params, vin } = baseQuery(sys);
    const pre = declarePre(sys, q, params, vin);
    q.assert(violation(sys, pre));
    lines.push(clause(q.smtlib(), [`(Inv ${args(sys, pre)})`], 'false'));
  }
  lines.push('(check-sat)', '');
  return lines.join('\n');
}

/** Spacer on the system with native z3: 'sat' = safe in the system, 'unsat' = a path to a violation in the system. */
export async function runSpacer(sys: InvSystem, timeoutMs: number): Promise<NativeRun> {
  const dir = mkdtempSync(join(tmpdir(), 'bft-horn-'));
  try {
    const file = join(dir, 'system.smt2');
    writeFileSync(file, hornScript(sys));
    return await runNativeSolver('z3', file, timeoutMs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
