// Phase lemmas for every n and t (issue 5, "unbounded rounds"): one-phase
// queries of the counter encoding (./encode.ts encodeCounterCore) with n, t, f
// symbolic (./param.ts regionSetup: the resilience condition, 0 <= f <= t,
// t < n), a havoc start and a symbolic phase number.
//
// Termination lemma (protocols that decide within k*(t + 1) rounds, k rounds
// per phase): "from ANY configuration of the n - f correct processes at the
// start of phase t + 1, after that one phase every correct process has
// decided". The query encodes one phase (k rounds) whose rounds read `phase`
// as t + 1 (phaseBase = t), starting from an arbitrary distribution of the
// correct processes over all state classes (start 'havoc'), with the phase's
// leader correct (in any state some correct process holds) or Byzantine
// (if f >= 1), and asks for a correct process undecided at its end.
// Why unsat proves termination within k*(t + 1) rounds for every admissible
// n, t, f: in any run, the configuration at boundary k*t (the start of phase
// t + 1) is one of the havoc configurations, the real leader of phase t + 1
// is correct or Byzantine, and the core encodes every behaviour of one phase
// from there exactly (the same core as the concrete check; nothing in it
// needs the numerals). So no run has a correct process undecided at boundary
// k*(t + 1); decisions are irrevocable (`decide` only sets an undecided
// `decided`), so none is undecided at any later round either.
// A sat answer proves nothing (the havoc start over-approximates the
// reachable configurations): it means "the lemma does not hold", never
// "termination is violated".
//
// Validity lemma (an inductive invariant over phases): with w a value and I_w
// = "every variable initialized from the input holds w, and decided is none
// or w", the query encodes one phase with phase number p (1 <= p <= P, p
// symbolic; P = t + 1, or unbounded), any leader, starting from any
// configuration in which every correct process satisfies I_w (a class may be
// occupied only if one of its states satisfies I_w: a class's states behave
// alike from then on, so each occupant may be taken to be such a state), and
// asks for a correct process violating I_w at its end (the classes at the end
// are the states with equal input variables and `decided`, so I_w is a
// property of the class). The initial states under unanimous input w satisfy
// I_w by the semantics (input variables start at the input, decided at
// none). unsat + that: by induction over the
// phases 1 .. P, I_w holds at every phase boundary of every run with
// unanimous input w; so no correct process ever decides a value other than w
// (a decision is kept to the next phase boundary), which is validity at every
// horizon within P phases.

import { DECIDED, type Protocol } from '../../ir/types';
import type { LocalState, Val } from '../../trace/model';
import * as T from '../term';
import { cntName, type CoreEncoding, encodeCounterCore } from './encode';
import { regionSetup } from './param';

export type LemmaKind = 'termination' | 'validity' | 'agreement';

export interface LemmaEncoding {
  kind: LemmaKind;
  enc: CoreEncoding;
  /** the conditions asserted besides the resilience condition, in words */
  side: string[];
  /** what unsat proves, in words */
  claim: string;
  /** the query (SMT-LIB2, no check-sat) */
  smtlib: string;
}

/** Names of the lemma's own constants in the query. */
export const LEMMA_PHASE = 'lemma_p';
export const LEMMA_W = 'lemma_w';

/** The termination lemma: is there a configuration at the start of phase t + 1 from which some correct process is undecided after it? */
export function encodeTerminationLemma(protocol: Protocol): LemmaEncoding {
  const { q, params, side } = regionSetup(protocol, { t: null });
  const k = protocol.rounds.length;
  side.push('the phase is phase t + 1 (its rounds read phase = t + 1)', 'its start: any distribution of the n - f correct processes over all local states', 'its leader: correct (any state) or Byzantine (f >= 1)');
  const enc = encodeCounterCore(protocol, { q, params: { ...params, phaseBase: params.t }, rounds: k, leaderOf: () => 0 }, 'termination', { start: 'havoc', leaderPool: false });
  const claim = `from any configuration at the start of phase t + 1, every correct process has decided after it: termination within ${k}*(t + 1) rounds`;
  return { kind: 'termination', enc, side, claim, smtlib: q.smtlib() };
}

/** The variables initialized from the input. */
export function inputVars(protocol: Protocol): string[] {
  return protocol.vars.filter((d) => d.init === 'input').map((d) => d.name);
}

/** I_w of a concrete state and value. */
export function invariantHolds(protocol: Protocol, s: LocalState, w: number): boolean {
  const d = s[DECIDED];
  return inputVars(protocol).every((x) => s[x] === w) && (d === null || d === w);
}

/**
 * The validity lemma: is there a phase p (1 <= p, and p <= t + 1 when
 * lastPhaseIsT1) and a configuration satisfying I_w from which one phase
 * leads to a correct process violating I_w?
 */
export function encodeValidityLemma(protocol: Protocol, lastPhaseIsT1: boolean): LemmaEncoding {
  const vars = inputVars(protocol);
  if (vars.length === 0) throw new Error('validity lemma: no variable is initialized from the input');
  const { q, params, side } = regionSetup(protocol, { t: null });
  const k = protocol.rounds.length;
  const p = q.int(LEMMA_PHASE);
  q.assert(T.ge(p, T.num(1)));
  if (lastPhaseIsT1) q.assert(T.le(p, T.add(params.t, T.num(1))));
  const w = q.intIn(LEMMA_W, 0, protocol.values - 1);
  side.push(
    lastPhaseIsT1 ? 'the phase is any phase p with 1 <= p <= t + 1' : 'the phase is any phase p >= 1',
    `its start: any distribution of the n - f correct processes over the local states with ${vars.join(', ')} = w and decided in {none, w}`,
    'its leader: correct (any such state) or Byzantine (f >= 1)',
  );
  const finalKey = (s: LocalState): string => JSON.stringify([...vars.map((x) => s[x] ?? null), s[DECIDED] ?? null]);
  const enc = encodeCounterCore(
    protocol,
    { q, params: { ...params, phaseBase: T.sub(p, T.num(1)) }, rounds: k, leaderOf: () => 0 },
    'validity',
    { start: 'havoc', leaderPool: false, finalKey, violation: false },
  );
  const values = Array.from({ length: protocol.values }, (_, u) => u);
  const inv = (s: LocalState): T.BTerm => T.or(...values.filter((u) => invariantHolds(protocol, s, u)).map((u) => T.eq(w, T.num(u))));
  // precondition: an occupied class at boundary 0 has a member satisfying I_w
  assertStart(q, enc, inv);
  // violation: an occupied class at the end violates I_w (all its members agree on it)
  const last = enc.reach[k] as number[];
  q.assert(T.or(...last.map((c) => T.and(T.ge(T.ivar(cntName(k, c)), T.num(1)), T.not(inv(enc.space.state(c)))))));
  const claim = `every correct process keeping ${vars.join(', ')} = w and decided in {none, w} is preserved by every phase${lastPhaseIsT1 ? ' 1 .. t + 1' : ''} and holds initially under unanimous input w: validity`;
  return { kind: 'validity', enc, side, claim, smtlib: q.smtlib() };
}

// ---- the agreement chain for termination (when the last phase alone does not always decide) ----
//
// U_w = "every variable initialized from the input holds w" (decided free).
// Four one-phase queries, each unsat when its step holds for every n, t, f:
//   A (unify):   any phase p, 1 <= p <= t, correct leader, any start   -> U_w for some w
//   B (persist): any phase p, 1 <= p <= t, any leader,     start U_w   -> U_w
//   C (decide):  phase t + 1,              any leader,     start U_w   -> all decided
//   D (last):    phase t + 1,              correct leader, any start   -> all decided
// Why they give termination within k*(t + 1) rounds: the leaders of phases
// 1 .. t + 1 are processes 0 .. t ((p - 1) mod n, distinct as t < n), at most
// f <= t of them Byzantine, so some phase p* <= t + 1 has a correct leader.
// If p* = t + 1: D. Else A at p*, B at p* + 1 .. t, then C at t + 1. Each
// step's start is one of the configurations its query ranges over (a
// correct leader's state is a correct process's state), so every correct
// process has decided at boundary k*(t + 1); decisions are irrevocable.

export type ChainStep = 'unify' | 'persist' | 'decide' | 'last';

/** Phases completed before the lemma's phase: t for phase t + 1, else p - 1 for a symbolic phase p with 1 <= p <= t. */
function phasesBefore(q: T.Query, t: T.ITerm, lastPhase: boolean): T.ITerm {
  if (lastPhase) return t;
  const p = q.int(LEMMA_PHASE);
  q.assert(T.ge(p, T.num(1)));
  q.assert(T.le(p, t));
  return T.sub(p, T.num(1));
}

/** One step of the agreement chain (see above): sat iff the step can fail. */
export function encodeChainStep(protocol: Protocol, step: ChainStep): LemmaEncoding {
  const vars = inputVars(protocol);
  if (vars.length === 0) throw new Error('chain lemma: no variable is initialized from the input');
  const { q, params, side } = regionSetup(protocol, { t: null });
  const k = protocol.rounds.length;
  const lastPhase = step === 'decide' || step === 'last';
  const base = phasesBefore(q, params.t, lastPhase);
  const w = q.intIn(LEMMA_W, 0, protocol.values - 1);
  const correctLeader = step === 'unify' || step === 'last';
  const havocStart = step === 'unify' || step === 'last';
  side.push(
    lastPhase ? 'the phase is phase t + 1' : 'the phase is any phase p with 1 <= p <= t',
    havocStart ? 'its start: any distribution of the n - f correct processes over all local states' : `its start: any distribution of the n - f correct processes over the local states with ${vars.join(', ')} = w`,
    correctLeader ? 'its leader: correct (and in a correct process\'s state)' : 'its leader: correct or Byzantine (f >= 1)',
  );
  const finalKey = (s: LocalState): string => JSON.stringify([...vars.map((x) => s[x] ?? null), s[DECIDED] ?? null]);
  const enc = encodeCounterCore(
    protocol,
    { q, params: { ...params, phaseBase: base }, rounds: k, leaderOf: () => 0 },
    'termination',
    { start: 'havoc', leaderPool: false, finalKey, violation: false },
  );
  if (correctLeader) for (const l of enc.leaders) q.assert(T.not(T.bvar(l.byz)));
  const values = Array.from({ length: protocol.values }, (_, u) => u);
  const unanimous = (s: LocalState, u: number): boolean => vars.every((x) => s[x] === u);
  const uw = (s: LocalState): T.BTerm => T.or(...values.filter((u) => unanimous(s, u)).map((u) => T.eq(w, T.num(u))));
  if (!havocStart) {
    assertStart(q, enc, uw);
  }
  const last = enc.reach[k] as number[];
  const occupied = (c: number): T.BTerm => T.ge(T.ivar(cntName(k, c)), T.num(1));
  let claim: string;
  switch (step) {
    case 'unify':
      // for every u, some occupied class at the end is not unanimous on u
      for (const u of values) q.assert(T.or(...last.filter((c) => !unanimous(enc.space.state(c), u)).map(occupied)));
      claim = `a phase p <= t with a correct leader leaves all correct processes with one common ${vars.join(', ')}`;
      break;
    case 'persist':
      q.assert(T.or(...last.map((c) => T.and(occupied(c), T.not(uw(enc.space.state(c)))))));
      claim = `a common ${vars.join(', ')} = w persists through every phase p <= t`;
      break;
    case 'decide':
    case 'last':
      q.assert(T.or(...last.filter((c) => enc.space.state(c)[DECIDED] === null).map(occupied)));
      claim = step === 'decide' ? `from a common ${vars.join(', ')}, phase t + 1 decides every correct process` : 'phase t + 1 with a correct leader decides every correct process from any configuration';
      break;
    default:
      throw new Error(`unknown step ${String(step)}`);
  }
  return { kind: 'termination', enc, side, claim, smtlib: q.smtlib() };
}

// ---- the agreement chain (every n and t) ----
//
// Needs exactly one variable x initialized from the input; U_w = "x = w".
// Five one-phase queries, each unsat when its step holds for every n, t, f
// (decisions are read at the end of the phase; `decide` only sets an
// undecided `decided`, so a process that decides in an earlier round of the
// phase still holds that decision there):
//   A0 (no-early):    any phase p, 1 <= p <= t, any leader,     start decided = none       -> decided = none
//   A  (unify):       any phase p, 1 <= p <= t, correct leader, any start                  -> U_w for some w
//   B  (persist):     any phase p, 1 <= p <= t, any leader,     start U_w                  -> U_w
//   C' (decide-same): phase t + 1,              any leader,     start U_w, decided = none  -> decided in {none, w}
//   D' (last-same):   phase t + 1,              correct leader, start decided = none       -> at most one decided value
// Why they give agreement when the horizon is at most t + 1 phases
// (../../check/lemmas.ts checks that): initially decided = none, so by A0
// and induction no correct process decides in phases 1 .. t and all are
// undecided at the start of phase t + 1. The leaders of phases 1 .. t + 1
// are processes 0 .. t (distinct as t < n), at most f <= t of them
// Byzantine, so some phase p* <= t + 1 has a correct leader. If p* <= t: A
// at p*, B at p* + 1 .. t, so at the start of phase t + 1 every correct
// process has x = w and decided = none, and C' makes every decision of
// phase t + 1 equal w. If p* = t + 1: D'. A run that ends inside a phase is
// the prefix of one that completes it (a decision taken in the prefix is
// still held at the phase's end). Each step's start is one of the
// configurations its query ranges over (an occupied class is asked to have
// a member satisfying the precondition: a class's states behave alike to
// the end of the phase; a correct leader is in an occupied class).

export type AgreementStep = 'no-early' | 'unify' | 'persist' | 'decide-same' | 'last-same';

/** One step of the agreement chain (see above): sat iff the step can fail. */
export function encodeAgreementStep(protocol: Protocol, step: AgreementStep): LemmaEncoding {
  const vars = inputVars(protocol);
  if (vars.length !== 1) throw new Error(`agreement lemma: needs exactly one variable initialized from the input, found ${vars.length}`);
  if (step === 'unify' || step === 'persist') return { ...encodeChainStep(protocol, step), kind: 'agreement' };
  const x = vars[0] as string;
  const { q, params, side } = regionSetup(protocol, { t: null });
  const k = protocol.rounds.length;
  const lastPhase = step !== 'no-early';
  const base = phasesBefore(q, params.t, lastPhase);
  const correctLeader = step === 'last-same';
  const values = Array.from({ length: protocol.values }, (_, u) => u);
  const w = step === 'decide-same' ? q.intIn(LEMMA_W, 0, protocol.values - 1) : null;
  side.push(
    lastPhase ? 'the phase is phase t + 1' : 'the phase is any phase p with 1 <= p <= t',
    step === 'decide-same'
      ? `its start: any distribution of the n - f correct processes over the local states with ${x} = w and decided = none`
      : 'its start: any distribution of the n - f correct processes over the local states with decided = none',
    correctLeader ? "its leader: correct (and in a correct process's state)" : 'its leader: correct or Byzantine (f >= 1)',
  );
  const enc = encodeCounterCore(
    protocol,
    { q, params: { ...params, phaseBase: base }, rounds: k, leaderOf: () => 0 },
    'agreement',
    { start: 'havoc', leaderPool: false, violation: false },
  );
  if (correctLeader) for (const l of enc.leaders) q.assert(T.not(T.bvar(l.byz)));
  const pre = (s: LocalState): T.BTerm => {
    if ((s[DECIDED] ?? null) !== null) return T.FALSE;
    if (w === null) return T.TRUE;
    return T.or(...values.filter((u) => s[x] === u).map((u) => T.eq(w, T.num(u))));
  };
  assertStart(q, enc, pre);
  const last = enc.reach[k] as number[];
  const occupied = (c: number): T.BTerm => T.ge(T.ivar(cntName(k, c)), T.num(1));
  const decidedOf = (c: number): Val => enc.space.state(c)[DECIDED] ?? null;
  let claim: string;
  switch (step) {
    case 'no-early':
      q.assert(T.or(...last.filter((c) => decidedOf(c) !== null).map(occupied)));
      claim = 'no correct process decides in a phase p <= t that starts with every correct process undecided';
      break;
    case 'decide-same':
      q.assert(T.or(...last.map((c) => { const d = decidedOf(c); return d === null ? T.FALSE : typeof d === 'number' ? T.and(occupied(c), T.not(T.eq(w as T.ITerm, T.num(d)))) : occupied(c); })));
      claim = `from a common ${x} = w with every correct process undecided, every decision of phase t + 1 is w`;
      break;
    case 'last-same':
      // for every u, some occupied class at the end has decided a value other than u: two different decisions
      for (const u of values) q.assert(T.or(...last.filter((c) => { const d = decidedOf(c); return d !== null && d !== u; }).map(occupied)));
      claim = 'phase t + 1 with a correct leader, from every correct process undecided, leaves at most one decided value';
      break;
    default:
      throw new Error(`unknown step ${String(step)}`);
  }
  return { kind: 'agreement', enc, side, claim, smtlib: q.smtlib() };
}

/**
 * Start condition of a lemma: an occupied start class must have a member
 * satisfying `pre` (members of a class behave alike to the end of the phase,
 * so that member stands for the whole class).
 */
function assertStart(q: T.Query, enc: CoreEncoding, pre: (s: LocalState) => T.BTerm): void {
  const canon0 = enc.canon[0] as number[];
  for (const c of enc.reach[0] as number[]) {
    const members = enc.space.states.filter((_, s) => canon0[s] === c);
    q.assert(T.or(T.eq(T.ivar(cntName(0, c)), T.num(0)), ...members.map(pre)));
  }
}
