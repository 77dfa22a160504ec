// The parameterized checker: one query per (property, region), a region being
// "every admissible n at this t" (the round bound depends on t, so the
// rounds are unrolled per t) or "every admissible n and t" (the round bound
// is a constant). Soundness rules of docs/semantics.md section 4, as for the
// concrete checker, plus:
// - what a region covers is stated with the result: the resilience
//   condition, 0 <= f <= t, t < n, the t of the region; the query's leader
//   side condition n >= L (../smt/counter/param.ts) excludes finitely many
//   admissible n, which are checked here with the concrete counter engine,
//   so a 'verified' region covers every admissible (n, t) in it;
// - a sat model gives n, t, f (n first shrunk by re-asking with n bounded,
//   for a readable trace); the concrete counter engine must then find a
//   violation at exactly those n, t, f and replays it (checkOne). If it
//   proves the property there instead, the two uses of one encoder disagree:
//   an internal error, thrown.

import { evalParamExpr, evalParamInt } from '../ir/eval';
import { MAX_ROUNDS } from '../ir/bounds';
import { mentions } from '../ir/mentions';
import { type Expr, isBuiltinProperty, type PropertyName, type Protocol, unreachable } from '../ir/types';
import { boundIsT } from '../ir/faults';
import { printExpr } from '../lang/printer';
import { encodeCounterParam, PARAM_F, PARAM_N, PARAM_T, regionQuery } from '../smt/counter/param';
import { solve, type SmtModel } from '../smt/z3';
import type { Property, Trace } from '../trace/model';
import { type CheckResult, checkOne, claimedProperties, type Verdict } from './check';

export interface ParamResult {
  property: Property;
  engine: 'param';
  /** null: every n of the region (verified / unknown); the counterexample's n when violated */
  n: number | null;
  /** the region's t; null: every t (and the counterexample's t when violated, in `t` of the counterexample) */
  t: number | null;
  /** null unless violated: the counterexample's f */
  f: number | null;
  rounds: number;
  /** what the verdict covers, in words: e.g. "every n with n > 4*t, t = 2, 0 <= f <= t" */
  region: string;
  /** the conditions the parameterized query asserts besides the resilience condition */
  side: string[];
  verdict: Verdict;
  ms: number;
  reason?: string;
  /** the parameterized query (SMT-LIB2): a proof artefact when verified */
  smtlib: string;
  /** the query assumes n >= this (distinct leaders; 0 or 1: no assumption) */
  leaderBound: number;
  /** admissible instances the query's side conditions leave out (n < leaderBound), checked with the concrete engine */
  remainder: CheckResult[];
  counterexample?: Trace;
}

/** How a property's round bound allows the parameterized engine to run. */
export type ParamPlan = { kind: 'per-t'; bound: Expr } | { kind: 'all-t'; rounds: number } | { kind: 'none'; reason: string };

export function boundOf(p: Protocol, property: Property): Expr {
  return property === 'termination' && p.properties.termination !== null ? p.properties.termination : p.horizon;
}

export function paramPlan(p: Protocol, property: Property): ParamPlan {
  const bound = boundOf(p, property);
  if (mentions(bound, 'n')) return { kind: 'none', reason: `the round bound ${printExpr(bound)} depends on n, so no single unrolling covers every n` };
  if (mentions(bound, 't')) return { kind: 'per-t', bound };
  const rounds = evalParamInt(bound, 1, 0);
  if (rounds < 1 || rounds > MAX_ROUNDS) return { kind: 'none', reason: `the round bound is ${rounds}` };
  return { kind: 'all-t', rounds };
}

const admissible = (p: Protocol, n: number, t: number): boolean => t >= 0 && t < n && evalParamExpr(p.resilience, n, t) === true;

/** Admissible instances below the leader side condition n >= L of the region. */
export function remainderInstances(p: Protocol, t: number | null, L: number): { n: number; t: number }[] {
  const out: { n: number; t: number }[] = [];
  for (let n = 1; n < L; n++) for (let u = 0; u < n; u++) if ((t === null || u === t) && admissible(p, n, u)) out.push({ n, t: u });
  return out;
}

function regionText(p: Protocol, t: number | null): string {
  return `every n${t === null ? ' and t' : ''} with ${printExpr(p.resilience)}${t === null ? '' : `, t = ${t}`}, t < n, 0 <= f <= t`;
}

const intOf = (m: SmtModel, name: string, fixed: number | null): number => {
  if (fixed !== null) return fixed;
  const v = m.get(name);
  if (typeof v !== 'number') throw new Error(`internal error: parameterized model without ${name}`);
  return v;
};

/** Re-asks with n bounded to find a small counterexample (a readable trace); keeps the last model. */
async function shrink(script: string, model: SmtModel, lower: number, timeoutMs: number): Promise<SmtModel> {
  let best = model;
  let lo = lower;
  for (let step = 0; step < 12; step++) {
    const hi = intOf(best, PARAM_N, null);
    if (lo >= hi) break;
    const mid = Math.floor((lo + hi) / 2);
    const r = await solve(`${script}(assert (<= ${PARAM_N} ${mid}))\n`, { timeoutMs });
    if (r.status === 'sat') best = r.model;
    else if (r.status === 'unsat') lo = mid + 1;
    else break;
  }
  return best;
}

/** One parameterized query for one region, with its remainder and, on sat, the concrete counterexample. */
export async function checkParamOne(p: Protocol, property: Property, region: { t: number | null; rounds: number }, timeoutMs: number): Promise<ParamResult> {
  const t0 = Date.now();
  const pe = encodeCounterParam(p, region, property);
  const smtlib = pe.enc.q.smtlib();
  const base = { property, engine: 'param' as const, t: region.t, rounds: region.rounds, region: regionText(p, region.t), side: pe.side, leaderBound: pe.leaderPhases, smtlib };
  const r = await solve(smtlib, { timeoutMs });
  switch (r.status) {
    case 'unknown':
      return { ...base, n: null, f: null, verdict: 'unknown', ms: Date.now() - t0, reason: r.reason, remainder: [] };
    case 'sat': {
      const m = await shrink(smtlib, r.model, region.t === null ? 1 : region.t + 1, timeoutMs);
      const n = intOf(m, PARAM_N, null);
      const t = intOf(m, PARAM_T, region.t);
      const f = intOf(m, PARAM_F, null);
      const c = await checkOne(p, 'counter', { n, t, f, rounds: region.rounds }, property, timeoutMs);
      if (c.verdict === 'verified') {
        throw new Error(`internal error: the parameterized engine found a ${property} violation of ${p.name} at n = ${n}, t = ${t}, f = ${f}, the concrete engine proves it there`);
      }
      const ms = Date.now() - t0;
      if (c.verdict === 'unknown') return { ...base, n, t, f, verdict: 'unknown', ms, reason: `concretizing at n = ${n}, t = ${t}, f = ${f}: ${c.reason ?? 'unknown'}`, remainder: [] };
      return { ...base, n, t, f, verdict: 'violated', ms, remainder: [], ...(c.counterexample === undefined ? {} : { counterexample: c.counterexample }) };
    }
    case 'unsat': {
      const remainder: CheckResult[] = [];
      for (const inst of remainderInstances(p, region.t, pe.leaderPhases)) {
        remainder.push(await checkOne(p, 'counter', { ...inst, rounds: region.rounds }, property, timeoutMs));
      }
      const bad = remainder.find((x) => x.verdict === 'violated') ?? remainder.find((x) => x.verdict === 'unknown');
      const ms = Date.now() - t0;
      if (bad === undefined) return { ...base, n: null, f: null, verdict: 'verified', ms, remainder };
      const where = { n: bad.n, t: bad.t, f: bad.f };
      if (bad.verdict === 'unknown') return { ...base, ...where, verdict: 'unknown', ms, reason: `concrete remainder n = ${bad.n}: ${bad.reason ?? 'unknown'}`, remainder };
      return { ...base, ...where, verdict: 'violated', ms, remainder, ...(bad.counterexample === undefined ? {} : { counterexample: bad.counterexample }) };
    }
    default:
      return unreachable(r);
  }
}

export interface ParamSkip {
  property: PropertyName;
  t: number | null;
  reason: string;
}

export interface ParamReport {
  results: ParamResult[];
  /** (property, t) pairs the parameterized engine does not cover, and why */
  skipped: ParamSkip[];
}

export interface ParamOptions {
  /** the t values of per-t regions */
  ts: number[];
  properties?: Property[];
  timeoutMs: number;
  onResult?: (r: ParamResult) => void;
}

export const DEFAULT_PARAM_TS = [1, 2, 3, 4];

/**
 * null when the parameterized engine answers this question. Its symbolic
 * query models up to t Byzantine faults, and its refutations must be real
 * runs of the protocol's own model, so it takes only the classic model and
 * the built-in properties.
 */
export function paramUnsupported(p: Protocol, property: PropertyName): string | null {
  if (!isBuiltinProperty(property)) return 'the parameterized engine checks the built-in properties only';
  if (p.faults.kind !== 'byzantine') return `the parameterized engine models Byzantine faults only, not ${p.faults.kind} faults`;
  if (!boundIsT(p.faults)) return 'the parameterized engine models a fault bound of t only';
  return null;
}

export async function checkParamProtocol(p: Protocol, opts: ParamOptions): Promise<ParamReport> {
  const results: ParamResult[] = [];
  const skipped: ParamSkip[] = [];
  const run = async (property: Property, region: { t: number | null; rounds: number }): Promise<void> => {
    const r = await checkParamOne(p, property, region, opts.timeoutMs);
    results.push(r);
    opts.onResult?.(r);
  };
  for (const property of opts.properties ?? claimedProperties(p)) {
    const plan = paramPlan(p, property);
    switch (plan.kind) {
      case 'none':
        skipped.push({ property, t: null, reason: plan.reason });
        break;
      case 'all-t':
        if (await regionEmpty(p, null, opts.timeoutMs)) skipped.push({ property, t: null, reason: `no n, t satisfy ${printExpr(p.resilience)}` });
        else await run(property, { t: null, rounds: plan.rounds });
        break;
      case 'per-t':
        for (const t of opts.ts) {
          const rounds = evalParamInt(plan.bound, t + 1, t);
          if (rounds < 1 || rounds > MAX_ROUNDS) skipped.push({ property, t, reason: `the round bound is ${rounds} rounds at t = ${t}` });
          else if (await regionEmpty(p, t, opts.timeoutMs)) skipped.push({ property, t, reason: `no n satisfies ${printExpr(p.resilience)} at t = ${t}` });
          else await run(property, { t, rounds });
        }
        break;
      default:
        unreachable(plan);
    }
  }
  return { results, skipped };
}

/** Whether the region has an admissible (n, t, f) at all (Z3: the resilience condition may admit only large n). */
async function regionEmpty(p: Protocol, t: number | null, timeoutMs: number): Promise<boolean> {
  return (await solve(regionQuery(p, { t }), { timeoutMs })).status === 'unsat';
}
