// The abstract transition system of the inductive-invariant engine
// (docs/semantics.md section 3.6): one state per phase
// boundary, one transition per phase, for every n, t and 0 <= f <= t at once.
//
// State (a View): n, t, f (symbolic, the resilience condition, 0 <= f <= t,
// t < n), the number p of the next phase (1-based; p = P + 1 when the P
// phases of the horizon are over), the ghost b = the number of Byzantine
// leaders among the phases 1 .. min(p - 1, n) (those leaders, processes
// 0 .. min(p - 1, n) - 1, are distinct, so b <= f), and per state class c the
// number of correct processes in c. For validity, also the unanimous input
// vin (the system then only has runs whose correct inputs all equal vin).
//
// Classes: the coarsest partition K of the local states that refines
// `decided` and is stable under one phase: two states in one class behave
// alike through a phase (same messages sent, same rule under every
// reception) and end it in one class again (./../counter/canon.ts with the
// end-of-phase key K; the refinement is iterated from `decided` until it no
// longer splits). With a symbolic phase number p, the classes hold for every
// phase, so the class of a process at every phase boundary is a function of
// its state, and the properties (which read `decided` only) are functions
// of the counts.
//
// Transition (one phase, p <= P): the counter encoding of the phase's k
// rounds (encodeCounterCore, start 'havoc': boundary 0 is any distribution
// of the n - f correct processes over the canonical classes of the phase's
// first boundary, linked to the K-class counts by summation: a canonical
// class is a union of K-classes), reading `phase` as p, with the phase's
// leader correct (in a state some correct process holds) or Byzantine;
// b' = b + [leader Byzantine] when p <= n (else b' = b), b' <= f; p' = p + 1.
// The encoding is exact for one phase from a given configuration (see
// ../counter/encode.ts), so every run's phase boundaries are a path of this
// system, and an inductive invariant of it holds at every phase boundary
// of every run (within P phases).
//
// Hybrid faults (./hybrid.ts): the state also has o and fo (the omission
// bound and the omission-faulty count, FaultView.hy), f is the Byzantine
// count, the correct processes number n - f - fo, P and the horizon are
// linear in t and o, and one phase is ./hybrid.ts assertHybridPhase.

import { DECIDED, type Expr, isBuiltinProperty, type PropertyName, type Protocol, unreachable, type UserProperty } from '../../ir/types';
import { evalParamInt } from '../../ir/eval';
import { mentions } from '../../ir/mentions';
import { initialState } from '../../sim/step';
import type { LocalState } from '../../trace/model';
import { type CountView, holds, stateAt, userKey } from './user';
import { distinctNames, statePredicates } from '../../ir/faults';
import { canonicalStates, classes as representatives } from '../counter/canon';
import { cntName, encodeCounterCore } from '../counter/encode';
import { cntF } from '../counter/encode-faults';
import { userObservation } from '../counter/encode-user';
import { regionSetup } from '../counter/param';
import { StateSpace } from '../space';
import * as T from '../term';
import { declareGhosts, eventuallyOf, eventuallyPhases, type EvView, ghostViolation, initGhosts, reader, stepGhosts } from './eventually';
import { assertHybridPhase, hasLeaders, HYB_O, type HybridView, hybridRegion, linearTO } from './hybrid';
import { assertFaultTransition, declareInitFaults, declarePreFaults, type FaultSys, faultSystem, type FaultView, sendGroups } from './faults';

/**
 * P(t) = base + slope * t (+ slopeO * o in a hybrid system) phases; horizon:
 * the horizon in rounds, hBase + hSlope * t (+ hSlopeO * o), when it is
 * linear and does not mention n. slopeO absent: 0 (o exists only in hybrid files).
 */
export interface PhaseBound {
  base: number;
  slope: number;
  slopeO?: number;
  horizon: { base: number; slope: number; slopeO?: number } | null;
}

export interface InvSystem {
  protocol: Protocol;
  property: PropertyName;
  /** the file's own property when `property` names one (its classes separate what it reads) */
  user: UserProperty | null;
  space: StateSpace;
  /** classOf[s]: the representative (smallest member) of state s's class */
  classOf: number[];
  /** the class representatives, ascending */
  classes: number[];
  /** rounds per phase */
  k: number;
  /** the number of phases the property is about */
  phases: PhaseBound;
  /**
   * false: the system stops after P phases (the claimed horizon); true: it
   * runs forever (safety for runs of any length; P is then only a landmark
   * of the templates, and termination is still read at p = P + 1).
   */
  unbounded: boolean;
  values: number[];
  /** crash and omission faults in the protocol's own model (./faults.ts); null: Byzantine */
  faults: FaultSys | null;
  /** fault systems: the classes grouped by what they send in the phase's first round (./faults.ts sendGroups; empty: none) */
  groups: number[][];
}

/** A state of the system as terms: symbolic (a query's constants) or numerals (a sample). */
export interface View {
  n: T.ITerm;
  t: T.ITerm;
  f: T.ITerm;
  p: T.ITerm;
  b: T.ITerm;
  vin: T.ITerm | null;
  cnt: (c: number) => T.ITerm;
  /** crash and omission faults: the alive faulty processes and the ghosts (./faults.ts); null: Byzantine */
  fl: FaultView | null;
  /** `eventually` properties: the ghosts g and seen (./eventually.ts); null: none */
  ev: EvView | null;
}

/** Names of the system's constants in the queries. */
export const INV_P = 'inv_p';
export const INV_B = 'inv_b';
export const INV_B_NEXT = 'inv_b1';
export const INV_VIN = 'vin';
export const preName = (c: number): string => `s_${c}`;

/**
 * The number of phases P(t) of the property: the termination bound (whole
 * phases: deciding by the end of phase floor(R/k) is deciding by round R) or
 * the horizon (every phase that overlaps it: ceil(H/k), a decision taken
 * inside a phase is still held at its end). The bound must not mention n
 * (checked on the syntax, not on samples) and is linear in t by the
 * language, R(t) = a + b*t exactly; P(t) is then linear only when k divides
 * b (floor and ceil of (a + b*t)/k), else a reason: a line fitted to small t
 * could be off for large t (at k >= 9 the first break can come at t >= 9).
 */
export function phaseBound(protocol: Protocol, property: PropertyName): PhaseBound | string {
  if (protocol.faults.kind === 'hybrid') return hybridPhaseBound(protocol, property);
  const exact = (e: Expr): { base: number; slope: number } => {
    const base = evalParamInt(e, 1, 0);
    return { base, slope: evalParamInt(e, 2, 1) - base };
  };
  const k = protocol.rounds.length;
  const u = isBuiltinProperty(property) ? undefined : protocol.userProperties.find((x) => x.name === property);
  if (u !== undefined && eventuallyOf(u) !== null) {
    const w = eventuallyPhases(protocol, u);
    return typeof w === 'string' ? w : { ...w, horizon: mentions(protocol.horizon, 'n') ? null : exact(protocol.horizon) };
  }
  const expr = property === 'termination' ? protocol.properties.termination : protocol.horizon;
  if (expr === null) return 'no termination bound is claimed';
  if (mentions(expr, 'n')) return 'the round bound mentions n';
  const rounds = exact(expr);
  if (rounds.slope % k !== 0) return `the round bound grows by ${rounds.slope} rounds per t, not a multiple of the ${k} rounds per phase, so its phase count is not linear in t`;
  const phases = { base: property === 'termination' ? Math.floor(rounds.base / k) : Math.ceil(rounds.base / k), slope: rounds.slope / k };
  return { ...phases, horizon: mentions(protocol.horizon, 'n') ? null : exact(protocol.horizon) };
}

/**
 * The hybrid phase bound (../../ir/types.ts HybridFaultModel): as above with
 * R linear in t and o, R = a + b*t + c*o (checked on several (t, o) points,
 * ./hybrid.ts linearTO); P is linear only when k divides b and c.
 */
function hybridPhaseBound(protocol: Protocol, property: PropertyName): PhaseBound | string {
  const k = protocol.rounds.length;
  const u = isBuiltinProperty(property) ? undefined : protocol.userProperties.find((x) => x.name === property);
  const h = linearTO(protocol.horizon, 'the horizon');
  const horizon = typeof h === 'string' ? null : h;
  if (u !== undefined && eventuallyOf(u) !== null) {
    const w = eventuallyPhases(protocol, u);
    return typeof w === 'string' ? w : { ...w, horizon };
  }
  const expr = property === 'termination' ? protocol.properties.termination : protocol.horizon;
  if (expr === null) return 'no termination bound is claimed';
  const rounds = linearTO(expr, 'the round bound');
  if (typeof rounds === 'string') return rounds;
  if (rounds.slope % k !== 0 || rounds.slopeO % k !== 0) return `the round bound grows by ${rounds.slope} rounds per t and ${rounds.slopeO} per o, not multiples of the ${k} rounds per phase, so its phase count is not linear in t and o`;
  const base = property === 'termination' ? Math.floor(rounds.base / k) : Math.ceil(rounds.base / k);
  return { base, slope: rounds.slope / k, slopeO: rounds.slopeO / k, horizon };
}

/** P as a term; o: the state's o (hybrid systems only; a bound growing with o needs it). */
export const phasesTerm = (ph: PhaseBound, t: T.ITerm, o: T.ITerm | null = null): T.ITerm => {
  const so = ph.slopeO ?? 0;
  if (so === 0) return T.add(T.num(ph.base), T.scale(ph.slope, t));
  if (o === null) throw new Error('invariant: a phase bound over o in a state without o');
  return T.add(T.num(ph.base), T.scale(ph.slope, t), T.scale(so, o));
};

/** P at a state of the system. */
export const phasesAt = (sys: InvSystem, v: View): T.ITerm => phasesTerm(sys.phases, v.t, v.fl?.hy?.o ?? null);

/** The parameters the class computation and the transition use (the same terms, so the texts match); o only in a hybrid protocol. */
function transitionParams(protocol: Protocol): { n: T.ITerm; t: T.ITerm; f: T.ITerm; phaseBase: T.ITerm } {
  const base = { n: T.ivar('n'), t: T.ivar('t'), f: T.ivar('f'), phaseBase: T.sub(T.ivar(INV_P), T.num(1)) };
  return protocol.faults.kind === 'hybrid' ? { ...base, o: T.ivar(HYB_O) } as typeof base : base;
}

/**
 * Whether the property is a plain `always S` (every round boundary) over
 * phases of several rounds: S is then also read at the boundaries inside a
 * phase (vc:rounds, ./houdini.ts), whose classes keep apart what S reads
 * (the observation of ../counter/encode-user.ts, as the counter encoding of
 * a user property has it).
 */
export function readsRounds(protocol: Protocol, user: UserProperty | null): boolean {
  return user !== null && user.formula.kind === 'always' && user.formula.at === 'rounds' && protocol.rounds.length > 1;
}

/** The observation of a property read inside phases (readsRounds; else undefined, and the classes are as before). */
function observation(protocol: Protocol, user: UserProperty | null): ((g: number, s: LocalState) => string) | undefined {
  return user !== null && readsRounds(protocol, user) ? userObservation(protocol, transitionParams(protocol), user) : undefined;
}

/** The coarsest partition of the states that refines startKey and that one phase maps to classes again (representatives). */
function stablePartition(protocol: Protocol, space: StateSpace, startKey: (s: LocalState) => string, observe?: (g: number, s: LocalState) => string): number[] {
  const params = transitionParams(protocol);
  const k = protocol.rounds.length;
  let classOf = representatives(space.states.map(startKey));
  for (;;) {
    const key = classOf.map(String);
    const canon = canonicalStates(protocol, space, params, k, (s: LocalState) => key[space.indexOf(s)] as string, observe);
    const c0 = canon[0] as number[];
    const next = representatives(space.states.map((_, s) => `${c0[s]}|${classOf[s]}`));
    const size = (xs: number[]): number => new Set(xs).size;
    if (size(next) === size(classOf)) return classOf;
    classOf = next;
  }
}

export function buildSystem(protocol: Protocol, property: PropertyName, phases: PhaseBound, unbounded = false): InvSystem {
  const space = new StateSpace(protocol);
  const k = protocol.rounds.length;
  const user = isBuiltinProperty(property) ? null : (protocol.userProperties.find((u) => u.name === property) ?? null);
  if (!isBuiltinProperty(property) && user === null) throw new Error(`invariant: ${protocol.name} has no property ${property}`);
  const startKey = user === null ? (s: LocalState): string => JSON.stringify(s[DECIDED] ?? null) : userKey(protocol, user);
  const classOf = stablePartition(protocol, space, startKey, observation(protocol, user));
  const classes = [...new Set(classOf)].sort((a, b) => a - b);
  const faults = faultSystem(protocol);
  const groups: number[][] = [];
  if (faults !== null) groups.push(...sendGroups(protocol, space, classOf, classes, transitionParams(protocol)));
  // `eventually` is about the W rounds of its bound only (./eventually.ts)
  return { protocol, property, user, space, classOf, classes, k, phases, unbounded: unbounded && eventuallyOf(user) === null, values: Array.from({ length: protocol.values }, (_, v) => v), faults, groups };
}

/** The states of a class. */
export function members(sys: InvSystem, c: number): LocalState[] {
  return sys.space.states.filter((_, s) => sys.classOf[s] === c);
}

export function describeClass(sys: InvSystem, c: number): string {
  const ms = members(sys, c);
  const parts = sys.space.vars.map((v) => {
    const vals = [...new Set(ms.map((s) => JSON.stringify(s[v.name] ?? null)))];
    return vals.length === 1 ? `${v.name}=${vals[0]}` : vals.length === v.domain.length ? null : `${v.name} in {${vals.join(',')}}`;
  });
  return `{${parts.filter((x) => x !== null).join(', ')}}`;
}

/**
 * A fresh query with n, t, f and (validity) vin declared and constrained:
 * the region of ../counter/param.ts regionSetup, plus "the horizon is at
 * least one round" (an instance with a shorter horizon is not admissible:
 * ../../ir/bounds.ts) when the horizon is linear in t.
 */
export function baseQuery(sys: InvSystem): { q: T.Query; params: Params; vin: T.ITerm | null } {
  if (sys.faults?.kind === 'hybrid') {
    // n, t, o, f (the Byzantine processes) and fo (the omission-faulty ones): ./hybrid.ts hybridRegion
    const { q, params, hy } = hybridRegion(sys.protocol);
    const h = sys.phases.horizon;
    if (h !== null) q.assert(T.ge(phasesTerm({ ...h, horizon: null }, params.t, hy.o), T.num(1)));
    const vin = sys.property === 'validity' ? q.intIn(INV_VIN, 0, sys.protocol.values - 1) : null;
    return { q, params: { ...params, hy }, vin };
  }
  const { q, params } = regionSetup(sys.protocol, { t: null });
  const h = sys.phases.horizon;
  if (h !== null) q.assert(T.ge(T.add(T.num(h.base), T.scale(h.slope, params.t)), T.num(1)));
  const vin = sys.property === 'validity' ? q.intIn(INV_VIN, 0, sys.protocol.values - 1) : null;
  return { q, params, vin };
}

/** The parameters of a query (hy: the hybrid ones, ./hybrid.ts; absent or null otherwise). */
export interface Params {
  n: T.ITerm;
  t: T.ITerm;
  f: T.ITerm;
  hy?: HybridView | null;
}

/** The symbolic pre-state: p, b and the class counts declared (constraints come from the invariant's domain conjuncts). */
export function declarePre(sys: InvSystem, q: T.Query, params: Params, vin: T.ITerm | null): View {
  const p = q.int(INV_P);
  // fault systems have no leaders: b stays 0
  // (hybrid faults with leader messages: b counts the faulty leaders, Byzantine or omission-faulty: ./hybrid.ts)
  const b = sys.faults === null || (sys.faults.kind === 'hybrid' && hasLeaders(sys.protocol)) ? q.int(INV_B) : T.num(0);
  for (const c of sys.classes) q.int(preName(c));
  const fl = sys.faults === null ? null : declarePreFaults(sys.faults, q, sys.classes, params.hy ?? null);
  return { n: params.n, t: params.t, f: params.f, p, b, vin, cnt: (c) => T.ivar(preName(c)), fl, ev: eventuallyOf(sys.user) === null ? null : declareGhosts(q) };
}

/** The initial state: p = 1, b = 0, the correct processes in their initial states (all with input vin for validity). */
export function declareInit(sys: InvSystem, q: T.Query, params: Params, vin: T.ITerm | null): View {
  const ins = sys.values.map((v) => q.intIn(`in${v}`, 0));
  const hy = params.hy ?? null;
  // the correct processes: n - f, or n - fb - fo under hybrid faults
  q.assert(T.eq(T.add(...ins), hy === null ? T.sub(params.n, params.f) : T.sub(T.sub(params.n, params.f), hy.fo)));
  if (vin !== null) for (const v of sys.values) q.assert(T.or(T.eq(vin, T.num(v)), T.eq(ins[v] as T.ITerm, T.num(0))));
  const initClass = sys.values.map((v) => sys.classOf[sys.space.indexOf(initialState(sys.protocol, 1, 0, v))] as number);
  const fl = sys.faults === null ? null : declareInitFaults(q, params.f, sys.values, initClass, hy);
  const init: View = { n: params.n, t: params.t, f: params.f, p: T.num(1), b: T.num(0), vin, cnt: (c) => T.add(...ins.filter((_, v) => initClass[v] === c)), fl, ev: null };
  const ev = eventuallyOf(sys.user);
  return ev === null ? init : { ...init, ev: initGhosts(ev, reader(sys.protocol, countView(sys, init))) };
}

/** The transition from `pre` (declared by declarePre): asserts it into q, returns the post-state. */
export function assertTransition(sys: InvSystem, q: T.Query, pre: View): View {
  return transition(sys, q, pre).post;
}

/**
 * The transition, with the boundaries inside the phase (mid[g - 1] at
 * boundary g = 1 .. k - 1, as the file's formula reads them: scope
 * included). Exact for S only when the classes keep apart what S reads
 * there (readsRounds systems: the observation; roundsViolation checks it).
 */
export interface MidBoundary {
  view: CountView;
  /** the classes at this boundary: canon[s] the representative of state s of `space` */
  canon: readonly number[];
  space: StateSpace;
}

export function transition(sys: InvSystem, q: T.Query, pre: View): { post: View; mid: MidBoundary[] } {
  const params = transitionParams(sys.protocol);
  const followers = sys.user?.scope === 'followers';
  const midView = (classes: readonly number[], state: (c: number) => LocalState, cnt: (c: number) => T.ITerm): CountView => ({ n: pre.n, t: pre.t, o: pre.fl?.hy?.o ?? null, classes, state, cnt, values: sys.protocol.values });
  if (!sys.unbounded) q.assert(T.le(pre.p, phasesAt(sys, pre)));
  const key = sys.classOf.map(String);
  if (sys.faults?.kind === 'hybrid') {
    const fl = pre.fl;
    if (fl === null || fl.hy === null) throw new Error('invariant: a hybrid state without its fault part');
    const finalKey = (s: LocalState): string => key[sys.space.indexOf(s)] as string;
    const post = assertHybridPhase(sys.protocol, sys.space, q, { ...params, o: fl.hy.o }, fl.hy, sys.k, finalKey, sys.classOf, sys.classes, { cnt: pre.cnt, fcnt: fl.fcnt }, observation(sys.protocol, sys.user));
    const mid = post.mid.map((m) => ({ view: midView(m.classes, (c) => sys.space.state(c), followers ? (c: number) => T.add(m.cnt(c), m.fcnt(c)) : m.cnt), canon: m.canon, space: sys.space }));
    let b = pre.b;
    if (post.leaderFaulty !== null) {
      // the leaders of phases 1 .. min(p, n) are distinct processes: at most fb + fo of them are faulty
      b = q.int(INV_B_NEXT);
      q.assert(T.eq(b, T.ite(T.le(pre.p, pre.n), T.add(pre.b, T.b2i(post.leaderFaulty)), pre.b)));
      q.assert(T.le(b, T.add(pre.f, fl.hy.fo)));
    }
    return { post: withGhosts(sys, pre, { ...pre, p: T.add(pre.p, T.num(1)), b, cnt: post.cnt, fl: { ...fl, fcnt: post.fcnt } }), mid };
  }
  const enc = encodeCounterCore(
    sys.protocol,
    { q, params, rounds: sys.k, leaderOf: () => 0 },
    sys.property,
    { start: 'havoc', leaderPool: false, violation: false, finalKey: (s: LocalState) => key[sys.space.indexOf(s)] as string, ...(pre.fl === null ? {} : { faultyAlive: T.sub(pre.f, pre.fl.c) }) },
  );
  // link the canonical classes of boundary 0 to the K-class counts
  const c0 = enc.canon[0] as number[];
  for (const c of enc.reach[0] as number[]) {
    const parts = sys.classes.filter((d) => c0[d] === c);
    for (const d of parts) for (const s of members(sys, d)) if (c0[sys.space.indexOf(s)] !== c) throw new Error('invariant: a state class is split by the phase classes');
    q.assert(T.eq(T.ivar(cntName(0, c)), T.add(...parts.map((d) => pre.cnt(d)))));
  }
  const last = new Set(enc.reach[sys.k] as number[]);
  for (const c of last) if (!sys.classes.includes(c)) throw new Error('invariant: an end-of-phase class is not a state class');
  const cnt = (c: number): T.ITerm => (last.has(c) ? T.ivar(cntName(sys.k, c)) : T.num(0));
  // inside the phase: the encoding's counts (its classes observe what a user property reads), the alive faulty ones too for followers
  const mid = Array.from({ length: sys.k - 1 }, (_, i) => {
    const g = i + 1;
    const own = (c: number): T.ITerm => T.ivar(cntName(g, c));
    return { view: midView(enc.reach[g] as number[], (c) => enc.space.state(c), followers && pre.fl !== null ? (c: number) => T.add(own(c), cntF(g, c)) : own), canon: enc.canon[g] as number[], space: enc.space };
  });
  if (sys.faults !== null && pre.fl !== null) {
    const fl = assertFaultTransition(sys.faults, q, enc, sys.k, { p: pre.p, t: pre.t, fl: pre.fl }, sys.classes);
    return { post: withGhosts(sys, pre, { ...pre, p: T.add(pre.p, T.num(1)), cnt, fl }), mid };
  }
  const byz = enc.leaders.map((l) => T.b2i(T.bvar(l.byz)));
  const b1 = q.int(INV_B_NEXT);
  q.assert(T.eq(b1, T.ite(T.le(pre.p, pre.n), T.add(pre.b, ...byz), pre.b)));
  q.assert(T.le(b1, pre.f));
  return { post: withGhosts(sys, pre, { ...pre, p: T.add(pre.p, T.num(1)), b: b1, cnt }), mid };
}

/**
 * Plain `always S` over phases of several rounds: S false at some boundary
 * inside the phase (mid, from transition). Every class there must agree on
 * what S reads (each predicate's truth, each distinct variable's value),
 * else S is not a function of the counts: an error, never a guess.
 */
export function roundsViolation(sys: InvSystem, mid: readonly MidBoundary[]): T.BTerm {
  const u = sys.user;
  if (u === null || u.formula.kind !== 'always') throw new Error('invariant: no `always` property to read inside the phase');
  const state = u.formula.state;
  const preds = statePredicates(state);
  const names = distinctNames(state);
  const key = (s: LocalState): string => JSON.stringify([preds.map((e) => holds(sys.protocol, e, s)), names.map((x) => s[x] ?? null)]);
  for (const m of mid) {
    const reps = new Set(m.view.classes);
    m.space.states.forEach((s, i) => {
      const c = m.canon[i] as number;
      if (reps.has(c) && key(s) !== key(m.space.state(c))) throw new Error('invariant: a class inside the phase mixes states the property tells apart');
    });
  }
  return T.or(...mid.map((m) => T.not(stateAt(sys.protocol, state, m.view))));
}

/** The post-state with its `eventually` ghosts (./eventually.ts). */
function withGhosts(sys: InvSystem, pre: View, post: View): View {
  const ev = eventuallyOf(sys.user);
  if (ev === null || pre.ev === null) return post;
  return { ...post, ev: stepGhosts(ev, pre.ev, reader(sys.protocol, countView(sys, post))) };
}

/** A state of the system as the file's own formulas read it. */
export function countView(sys: InvSystem, v: View): CountView {
  // `for followers`: the correct and the alive faulty processes (crash: not crashed yet; omission: all of them)
  const fl = sys.user?.scope === 'followers' ? v.fl : null;
  const cnt = fl === null ? v.cnt : (c: number): T.ITerm => T.add(v.cnt(c), fl.fcnt(c));
  return { n: v.n, t: v.t, o: v.fl?.hy?.o ?? null, classes: sys.classes, state: (c) => sys.space.state(c), cnt, values: sys.protocol.values };
}

/** Correct processes that decided u (null: undecided). */
export function decidedCount(sys: InvSystem, v: View, u: number | null): T.ITerm {
  return T.add(...sys.classes.filter((c) => (sys.space.state(c)[DECIDED] ?? null) === u).map((c) => v.cnt(c)));
}

/** The property's violation at a state. */
export function violation(sys: InvSystem, v: View): T.BTerm {
  const one = T.num(1);
  if (sys.user !== null) {
    if (sys.user.formula.kind === 'always') return T.not(stateAt(sys.protocol, sys.user.formula.state, countView(sys, v)));
    if (v.ev === null) throw new Error('invariant: an `eventually` property on a state without its ghosts');
    return ghostViolation(v.ev, v.p, phasesAt(sys, v));
  }
  if (!isBuiltinProperty(sys.property)) throw new Error(`invariant: ${sys.property} is neither built in nor the file's own`);
  switch (sys.property) {
    case 'agreement': {
      const pairs: T.BTerm[] = [];
      for (const a of sys.values) for (const b of sys.values) if (a < b) pairs.push(T.and(T.ge(decidedCount(sys, v, a), one), T.ge(decidedCount(sys, v, b), one)));
      return T.or(...pairs);
    }
    case 'validity': {
      const vin = v.vin as T.ITerm;
      return T.or(...sys.values.map((u) => T.and(T.ne(vin, T.num(u)), T.ge(decidedCount(sys, v, u), one))));
    }
    case 'termination':
      return T.and(T.eq(v.p, T.add(phasesAt(sys, v), one)), T.ge(decidedCount(sys, v, null), one));
    default:
      return unreachable(sys.property);
  }
}
