// Houdini (Flanagan and Leino 2001) over the invariant system: the largest
// subset of the candidates that holds initially and is preserved by one
// phase, found by dropping what a counterexample falsifies until the
// queries are unsat. Each query is SMT-LIB text checked by Z3 with n, t, f
// symbolic; a sat model's initial or post state refutes every candidate
// false on it. Then the verification conditions of the result are the
// proof: Init and not Inv, Inv and T and not Inv', Inv and not Property, all
// unsat. Anything but unsat (timeout, unknown) stops with 'unknown'.

import * as T from '../term';
import { solve, type SmtModel } from '../z3';
import type { Candidate } from './candidates';
import { type Sample, sampleView } from './sample';
import { assertTransition, baseQuery, declareInit, declarePre, type InvSystem, readsRounds, roundsViolation, transition, violation, type View } from './system';

export interface QueryRecord {
  name: string;
  /** the query: declarations and assertions, no set-logic and no check-sat (as ../z3.ts solve takes it; QF_LIA) */
  smtlib: string;
  status: 'sat' | 'unsat' | 'unknown';
  ms: number;
  /** set when the identical text was asked before under this name (the answer is that query's) */
  reused?: string;
}

export interface HoudiniResult {
  /** the candidates left (an inductive invariant when ok) */
  invariant: Candidate[];
  /** true when the last init and step queries were unsat */
  ok: boolean;
  /** the queries asked, in order; the verification conditions are the last ones named vc:* */
  queries: QueryRecord[];
  reason?: string;
}

export interface HoudiniOptions {
  timeoutMs: number;
  /** at most this many refinement queries (default 200) */
  maxRounds?: number;
}

const assertLine = (b: T.BTerm): string => {
  const n = T.normB(b);
  return n.k === 'bool' && n.v ? '' : `(assert ${T.printB(n)})\n`;
};

interface Frame {
  /** declarations and the fixed assertions */
  base: string;
  /** the state the candidates are checked on */
  target: View;
  /** the state the candidates are assumed on (step and property queries) */
  assume: View | null;
}

function initFrame(sys: InvSystem): Frame {
  const { q, params, vin } = baseQuery(sys);
  const target = declareInit(sys, q, params, vin);
  return { base: q.smtlib(), target, assume: null };
}

function stepFrame(sys: InvSystem): Frame {
  const { q, params, vin } = baseQuery(sys);
  const pre = declarePre(sys, q, params, vin);
  const post = assertTransition(sys, q, pre);
  return { base: q.smtlib(), target: post, assume: pre };
}

/** Plain `always S` over phases of several rounds: Inv at the phase's start, one phase, S false at a boundary inside it. */
export function roundsFrame(sys: InvSystem): Frame {
  const { q, params, vin } = baseQuery(sys);
  const pre = declarePre(sys, q, params, vin);
  const { mid } = transition(sys, q, pre);
  q.assert(roundsViolation(sys, mid));
  return { base: q.smtlib(), target: pre, assume: pre };
}

function propertyFrame(sys: InvSystem): Frame {
  const { q, params, vin } = baseQuery(sys);
  const pre = declarePre(sys, q, params, vin);
  q.assert(violation(sys, pre));
  return { base: q.smtlib(), target: pre, assume: pre };
}

/** The standalone text of "assume Inv on frame.assume, and refute Inv on frame.target" (or only assume, for the property). */
function scriptOf(frame: Frame, inv: Candidate[], refute: boolean): string {
  let s = frame.base;
  if (frame.assume !== null) for (const c of inv) s += assertLine(c.at(frame.assume as View));
  if (refute) s += assertLine(T.not(T.and(...inv.map((c) => c.at(frame.target)))));
  return s;
}

async function ask(name: string, script: string, timeoutMs: number, log: QueryRecord[]): Promise<{ status: 'sat' | 'unsat' | 'unknown'; model: SmtModel | null }> {
  const r = await solve(script, { timeoutMs });
  log.push({ name, smtlib: script, status: r.status, ms: r.ms });
  return { status: r.status, model: r.status === 'sat' ? r.model : null };
}

export async function houdini(sys: InvSystem, candidates: Candidate[], opts: HoudiniOptions): Promise<HoudiniResult> {
  const log: QueryRecord[] = [];
  let inv = candidates;
  const frames: [string, Frame][] = [['init', initFrame(sys)], ['step', stepFrame(sys)]];
  let round = 0;
  // init first (its drops are final), then step until stable
  for (const [name, frame] of frames) {
    for (;;) {
      if (++round > (opts.maxRounds ?? 200)) return { invariant: inv, ok: false, queries: log, reason: 'too many refinement rounds' };
      const r = await ask(`${name}#${round}`, scriptOf(frame, inv, true), opts.timeoutMs, log);
      if (r.status === 'unsat') break;
      if (r.status === 'unknown' || r.model === null) return { invariant: inv, ok: false, queries: log, reason: `${name} query: unknown (timeout or solver gave up)` };
      const model = r.model;
      const val = (x: string): number | boolean | undefined => model.get(x);
      const kept = inv.filter((c) => T.evalB(c.at(frame.target), val));
      if (kept.length === inv.length) return { invariant: inv, ok: false, queries: log, reason: `${name} query: the model refutes no candidate (incomplete model)` };
      inv = kept;
    }
  }
  return { invariant: inv, ok: true, queries: log };
}

/**
 * The verification conditions of an invariant: init, step, property; each
 * must be unsat. A condition whose text Houdini already asked with answer
 * unsat (the last init and step queries, when nothing was dropped after
 * them) is not asked again: its record is copied under the vc: name.
 * Preceded by two sanity queries that must be sat: the initial states
 * satisfy Inv, and the transition has a successor from `witness` (a sampled
 * reachable state, which satisfies Inv): an unsat one means the encoding is
 * contradictory, and then the conditions would hold vacuously.
 */
export async function verificationConditions(sys: InvSystem, inv: Candidate[], timeoutMs: number, asked: readonly QueryRecord[], witness: Sample | null): Promise<QueryRecord[]> {
  const log: QueryRecord[] = [];
  const init = initFrame(sys);
  await ask('sanity:init', init.base + assertLine(T.and(...inv.map((c) => c.at(init.target)))), timeoutMs, log);
  const step = stepFrame(sys);
  if (witness === null) await ask('sanity:step', scriptOf(step, inv, false), timeoutMs, log);
  else {
    const pre = step.assume as View;
    const w = sampleView(witness);
    const fix = T.and(
      ...(['n', 't', 'f', 'p', 'b'] as const).map((x) => T.eq(pre[x], w[x])),
      ...(pre.vin !== null && w.vin !== null ? [T.eq(pre.vin, w.vin)] : []),
      ...sys.classes.map((c) => T.eq(pre.cnt(c), w.cnt(c))),
      ...(pre.ev !== null && w.ev !== null ? [T.eq(pre.ev.g, w.ev.g), T.eq(pre.ev.seen, w.ev.seen)] : []),
      ...(pre.fl !== null && w.fl !== null ? [T.eq(pre.fl.c, w.fl.c), T.eq(pre.fl.clean, w.fl.clean), ...sys.classes.map((c) => T.eq((pre.fl as NonNullable<View['fl']>).fcnt(c), (w.fl as NonNullable<View['fl']>).fcnt(c)))] : []),
    );
    await ask('sanity:step', scriptOf(step, inv, false) + assertLine(fix), timeoutMs, log);
  }
  for (const { name, smtlib } of vcScripts(sys, inv)) {
    const known = asked.find((q) => q.smtlib === smtlib && q.status === 'unsat');
    if (known === undefined) await ask(name, smtlib, timeoutMs, log);
    else log.push({ ...known, name, reused: known.name });
  }
  return log;
}

/**
 * The texts of the three verification conditions of an invariant (each
 * must be unsat): a function of the protocol, the property, the system's
 * options and the conjuncts only, so a proof checker can regenerate them.
 */
export function vcScripts(sys: InvSystem, inv: Candidate[]): { name: 'vc:init' | 'vc:step' | 'vc:property' | 'vc:rounds'; smtlib: string }[] {
  return [
    { name: 'vc:init', smtlib: scriptOf(initFrame(sys), inv, true) },
    { name: 'vc:step', smtlib: scriptOf(stepFrame(sys), inv, true) },
    { name: 'vc:property', smtlib: scriptOf(propertyFrame(sys), inv, false) },
    // plain `always S` over phases of several rounds: S also at every boundary inside a phase that starts in Inv
    ...(readsRounds(sys.protocol, sys.user) ? [{ name: 'vc:rounds' as const, smtlib: scriptOf(roundsFrame(sys), inv, false) }] : []),
  ];
}
