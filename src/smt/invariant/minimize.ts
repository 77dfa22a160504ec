// Optional: a smaller invariant for people to read. Greedily drops one
// conjunct at a time (implications first, then atoms; never the domain
// facts) as long as what is left is still inductive and still implies the
// property; the caller then asks the verification conditions of the result
// from scratch (a subset of an invariant that held initially still does).
// Only an unsat answer removes a conjunct, so the result stays a proof
// candidate; a timeout keeps the conjunct. Costs two queries per conjunct.

import * as T from '../term';
import { solve } from '../z3';
import type { Candidate } from './candidates';
import { assertTransition, baseQuery, declarePre, type InvSystem, readsRounds, violation } from './system';
import { roundsFrame } from './houdini';

const line = (b: T.BTerm): string => {
  const n = T.normB(b);
  return n.k === 'bool' && n.v ? '' : `(assert ${T.printB(n)})\n`;
};

export async function minimize(sys: InvSystem, inv: Candidate[], opts: { timeoutMs: number; budgetMs: number }): Promise<Candidate[]> {
  const t0 = Date.now();
  const step = (() => {
    const { q, params, vin } = baseQuery(sys);
    const pre = declarePre(sys, q, params, vin);
    const post = assertTransition(sys, q, pre);
    return { base: q.smtlib(), pre, post };
  })();
  const prop = (() => {
    const { q, params, vin } = baseQuery(sys);
    const pre = declarePre(sys, q, params, vin);
    q.assert(violation(sys, pre));
    return { base: q.smtlib(), pre };
  })();
  const rounds = readsRounds(sys.protocol, sys.user) ? roundsFrame(sys) : null;
  const holds = async (s: Candidate[]): Promise<boolean> => {
    const hyp = (v: typeof step.pre): string => s.map((c) => line(c.at(v))).join('');
    const p = await solve(prop.base + hyp(prop.pre), { timeoutMs: opts.timeoutMs });
    if (p.status !== 'unsat') return false;
    if (rounds !== null && (await solve(rounds.base + hyp(rounds.assume as typeof step.pre), { timeoutMs: opts.timeoutMs })).status !== 'unsat') return false;
    const r = await solve(step.base + hyp(step.pre) + line(T.not(T.and(...s.map((c) => c.at(step.post))))), { timeoutMs: opts.timeoutMs });
    return r.status === 'unsat';
  };
  const order = [...inv.filter((c) => c.premise !== undefined).reverse(), ...inv.filter((c) => c.premise === undefined && !c.id.startsWith('dom:')).reverse()];
  let cur = inv;
  for (const c of order) {
    if (Date.now() - t0 > opts.budgetMs) break;
    const without = cur.filter((x) => x !== c);
    if (await holds(without)) cur = without;
  }
  return cur;
}
