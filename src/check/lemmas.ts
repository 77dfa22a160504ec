// Phase lemmas as checks for every n and t (../smt/counter/lemma.ts has the
// queries and why unsat proves what they claim). Soundness rules of
// docs/semantics.md section 4: 'verified' only on unsat; a sat lemma is NOT a
// violation (the havoc start over-approximates the reachable
// configurations): it is reported as 'unknown' ("the lemma does not hold"),
// and the other engines decide; a timeout is 'unknown'.
//
// When a lemma applies:
// - termination: the claimed bound B(t) does not mention n and
//   B(t) >= k*(t + 1) for every t >= 0 (k rounds per phase). B is linear in
//   t (the language's integer expressions are), so that is B(0) >= k and
//   B(1) - B(0) >= k. The lemma proves every correct process decided at
//   round k*(t + 1) <= B(t), and decisions are irrevocable.
// - validity: some variable is initialized from the input. The phase range
//   is 1 .. t + 1 when the horizon H(t) <= k*(t + 1) for every t (same
//   linear test), else every phase p >= 1 (a stronger lemma, any horizon).
// - agreement: exactly one variable is initialized from the input (the
//   chain's "all correct processes share the value" is about it), and the
//   horizon H(t) <= k*(t + 1) for every t (same linear test): the chain
//   proves that decisions happen only in phase t + 1 and agree there, and
//   says nothing about phases t + 2, ... (where a process the last phase
//   left undecided could still decide differently).

import { evalParamInt } from '../ir/eval';
import { type Protocol, unreachable } from '../ir/types';
import type { Property } from '../trace/model';
import { printExpr } from '../lang/printer';
import { type AgreementStep, encodeAgreementStep, encodeChainStep, encodeTerminationLemma, encodeValidityLemma, inputVars, type LemmaEncoding, type LemmaKind } from '../smt/counter/lemma';
import { regionQuery } from '../smt/counter/param';
import { solve } from '../smt/z3';
import { boundOf, paramPlan } from './param';

export type LemmaPlan = { ok: true; lastPhaseIsT1: boolean } | { ok: false; reason: string };

export interface LemmaResult {
  property: LemmaKind;
  engine: 'lemma';
  /** 'unknown' when the lemma does not hold (sat) or the solver gave up; never 'violated' */
  verdict: 'verified' | 'unknown';
  /** what the verdict covers, in words */
  region: string;
  /** the argument from the lemmas to the property, in words (for the output) */
  argument: string[];
  /** the lemma queries asked, in order (when verified: the ones the argument uses, all unsat, plus a first sat one it replaced) */
  queries: LemmaQuery[];
  ms: number;
  reason?: string;
}

/** b(t) >= k*(t + 1) for all t >= 0 (dir 1), or <= (dir -1), for a linear b. */
function comparesToPhases(p: Protocol, property: Property, dir: 1 | -1): boolean | string {
  const plan = paramPlan(p, property);
  if (plan.kind === 'none') return plan.reason;
  const k = p.rounds.length;
  const b = (t: number): number => (plan.kind === 'all-t' ? plan.rounds : evalParamInt(plan.bound, t + 1, t));
  const slope = b(1) - b(0);
  for (let t = 2; t <= 6; t++) if (b(t) !== b(0) + slope * t) return `the round bound ${printExpr(boundOf(p, property))} is not linear in t`;
  return dir * (b(0) - k) >= 0 && dir * (slope - k) >= 0;
}

export function lemmaPlan(p: Protocol, property: LemmaKind): LemmaPlan {
  const k = p.rounds.length;
  if (property === 'termination') {
    if (p.properties.termination === null) return { ok: false, reason: 'no termination bound is claimed' };
    const c = comparesToPhases(p, 'termination', 1);
    if (typeof c === 'string') return { ok: false, reason: c };
    if (!c) return { ok: false, reason: `the termination bound ${printExpr(p.properties.termination)} is below ${k}*(t + 1) rounds (t + 1 phases) for some t` };
    return { ok: true, lastPhaseIsT1: true };
  }
  if (property === 'agreement') {
    const vars = inputVars(p);
    if (vars.length !== 1) return { ok: false, reason: vars.length === 0 ? 'no variable is initialized from the input' : `the agreement chain needs exactly one variable initialized from the input, found ${vars.length} (${vars.join(', ')})` };
    const c = comparesToPhases(p, 'agreement', -1);
    if (typeof c === 'string') return { ok: false, reason: c };
    if (!c) return { ok: false, reason: `the horizon ${printExpr(p.horizon)} exceeds ${k}*(t + 1) rounds (t + 1 phases) for some t: the chain says nothing about decisions after phase t + 1` };
    return { ok: true, lastPhaseIsT1: true };
  }
  if (inputVars(p).length === 0) return { ok: false, reason: 'no variable is initialized from the input' };
  const c = comparesToPhases(p, 'validity', -1);
  return { ok: true, lastPhaseIsT1: c === true };
}

function argumentOf(p: Protocol, kind: LemmaKind | 'chain'): string[] {
  const k = p.rounds.length;
  const vars = inputVars(p).join(', ');
  switch (kind) {
    case 'termination':
      return [
        `in every run, the configuration of the correct processes at the start of phase t + 1 (round ${k}*t + 1) is one of the configurations the lemma ranges over, and the leader of phase t + 1 is correct or Byzantine`,
        `so after phase t + 1 (round ${k}*(t + 1)) every correct process has decided; decisions are irrevocable, so they stay decided up to the claimed bound`,
      ];
    case 'chain':
      return [
        'the leaders of phases 1 .. t + 1 are the distinct processes 0 .. t (t < n), at most f <= t of them Byzantine, so some phase p* <= t + 1 has a correct leader',
        `if p* = t + 1: lemma "last" decides every correct process; otherwise lemma "unify" gives a common ${vars} after phase p*, lemma "persist" keeps it through phases p* + 1 .. t, and lemma "decide" decides every correct process in phase t + 1`,
        `so every correct process has decided at round ${k}*(t + 1); decisions are irrevocable, so they stay decided up to the claimed bound`,
      ];
    case 'validity':
      return [
        `base: with unanimous input w, every correct process starts with ${vars} = w and decided = none`,
        'step: the lemma, one phase from any such configuration with any leader',
        'so by induction over the phases, no correct process ever decides a value other than w (a decision is kept to the next phase boundary)',
      ];
    case 'agreement':
      return [
        `decided = none initially, so by lemma "no early decision" and induction over phases 1 .. t no correct process decides before phase t + 1, and all start it undecided; the horizon is at most t + 1 phases (${k}*(t + 1) rounds), and a run ending inside a phase is a prefix of one completing it`,
        'the leaders of phases 1 .. t + 1 are the distinct processes 0 .. t (t < n), at most f <= t of them Byzantine, so some phase p* <= t + 1 has a correct leader',
        `if p* <= t: lemma "unify" gives a common ${vars} = w after phase p*, lemma "persist" keeps it through phases p* + 1 .. t, and lemma "decide-same" makes every decision of phase t + 1 equal w; if p* = t + 1: lemma "last-same" leaves at most one decided value`,
        'decisions are irrevocable (a decision taken before the last round of phase t + 1 is still held at its end), so no two correct processes decide differently',
      ];
    default:
      return unreachable(kind);
  }
}

export interface LemmaQuery {
  name: string;
  claim: string;
  side: string[];
  /** SMT-LIB2 (no check-sat): a proof artefact when unsat */
  smtlib: string;
  status: 'sat' | 'unsat' | 'unknown';
  ms: number;
}

async function run(name: string, e: LemmaEncoding, timeoutMs: number): Promise<LemmaQuery & { reason?: string }> {
  const t0 = Date.now();
  const r = await solve(e.smtlib, { timeoutMs });
  return { name, claim: e.claim, side: e.side, smtlib: e.smtlib, status: r.status, ms: Date.now() - t0, ...(r.status === 'unknown' ? { reason: r.reason } : {}) };
}

/**
 * The lemmas for one property. Termination: the last-phase lemma, and if it
 * does not hold, the agreement chain (../smt/counter/lemma.ts). Validity: the
 * invariant lemma.
 */
export async function checkLemma(p: Protocol, property: LemmaKind, timeoutMs: number): Promise<LemmaResult | { property: LemmaKind; skipped: string }> {
  const plan = lemmaPlan(p, property);
  if (!plan.ok) return { property, skipped: plan.reason };
  const t0 = Date.now();
  if ((await solve(regionQuery(p, { t: null }), { timeoutMs })).status !== 'sat') return { property, skipped: `no n, t satisfy ${printExpr(p.resilience)} (or the solver could not tell)` };
  const region = `every n and t with ${printExpr(p.resilience)}, t < n, 0 <= f <= t`;
  const result = (verdict: 'verified' | 'unknown', kind: LemmaKind | 'chain', queries: LemmaQuery[], reason?: string): LemmaResult => ({
    property,
    engine: 'lemma',
    verdict,
    region,
    argument: argumentOf(p, kind),
    queries,
    ms: Date.now() - t0,
    ...(reason === undefined ? {} : { reason }),
  });
  if (property === 'agreement') {
    const queries: LemmaQuery[] = [];
    const steps: [AgreementStep, string][] = [['no-early', 'no early decision'], ['unify', 'unify'], ['persist', 'persist'], ['decide-same', 'decide-same'], ['last-same', 'last-same']];
    for (const [step, name] of steps) {
      const r = await run(name, encodeAgreementStep(p, step), timeoutMs);
      queries.push(r);
      if (r.status === 'unknown') return result('unknown', 'agreement', queries, r.reason);
      if (r.status === 'sat')
        return result('unknown', 'agreement', queries, step === 'no-early' ? 'the agreement chain does not apply: lemma "no early decision" does not hold (a correct process may decide in a phase p <= t from an undecided start)' : `the agreement chain step "${name}" does not hold (a havoc configuration the solver found breaks it; it need not be reachable)`);
    }
    return result('verified', 'agreement', queries);
  }
  const first = await run(property === 'termination' ? 'last phase decides' : 'validity invariant', property === 'termination' ? encodeTerminationLemma(p) : encodeValidityLemma(p, plan.lastPhaseIsT1), timeoutMs);
  if (first.status === 'unsat') return result('verified', property, [first]);
  if (first.status === 'unknown') return result('unknown', property, [first], first.reason);
  if (property === 'validity' || inputVars(p).length === 0) return result('unknown', property, [first], `the ${property} lemma does not hold (a havoc configuration the solver found breaks it; it need not be reachable)`);
  const queries: LemmaQuery[] = [first];
  for (const step of ['unify', 'persist', 'decide', 'last'] as const) {
    const r = await run(step, encodeChainStep(p, step), timeoutMs);
    queries.push(r);
    if (r.status === 'unknown') return result('unknown', 'chain', queries, r.reason);
    if (r.status === 'sat') return result('unknown', 'chain', queries, `neither the last-phase lemma nor the chain step "${step}" holds (a havoc configuration the solver found breaks each; it need not be reachable)`);
  }
  return result('verified', 'chain', queries);
}
