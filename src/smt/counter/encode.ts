// The counter encoding (docs/semantics.md section 3.2) of "some run of R rounds
// violates property P", for one instance.
//
// Variables: cnt[g][s] = number of correct processes in local-state class s
// after round g (classes of states no observer can tell apart from then on,
// named by their smallest member: ./canon.ts; only classes reachable by the
// folded flow graph, so the size depends on the protocol, never on n); one
// count per flow and a witness per distinct flow condition, mostly
// eliminated (./flows.ts); in0[v] = number of correct processes with input v.
//
// Leaders. A leader is one specific process, (phase-1) mod n. The simpler
// constraint "a correct leader sends from some state with count >= 1" is NOT
// exact: it lets the leader be in unrelated states in two rounds of a phase
// (or in two phases it leads), and lets two distinct leaders be the same
// counted process. So the correct leaders are followed as processes of
// their own, in two stages:
// - before its first sending round a leader is an anonymous member of the
//   *pool* of correct leaders that have not sent yet: pool[g][s] counts them
//   per class at boundary g, and y[f] <= x[f] of each flow's processes are
//   pool members (a flow of its own, conserved from boundary to boundary);
// - at the boundary before its first sending round (or at boundary 0, when
//   the pool is not used: options.leaderPool), leader l leaves the pool
//   from the class at[l][g][s] it is in (a Boolean per class, exactly one for
//   a correct leader; the pool there must hold it), and from then on, until
//   the boundary before its last sending round, it is tracked individually:
//   its class at every boundary, and for every (src, dst) pair of classes the
//   flows from src to dst carry, beyond their pool members, at least the
//   individually tracked leaders that move so.
// Every run gives a model (pool: the not-yet-sent correct leaders; at: the
// leaders' actual classes). Every model gives a run: decompose the pool flow
// into unit paths (conservation guarantees one), name the unit that leaves
// the pool at leader l's boundary l, follow the individual leaders along
// flows of their pairs with spare capacity, and put everybody else into the
// remaining capacity of each flow (./decode.ts). Pool members are
// interchangeable until they send, so no identity is lost. byz[l] says
// whether leader l is Byzantine: at most f of them, and the correct ones must
// fit among the n - f correct processes (equivalently, the non-leader
// Byzantine ones among the n - L non-leaders).
//
// Other fault models and properties (docs/semantics.md sections 1.7, 1.8,
// 2.5): crash and omission faults count the faulty processes in classes of
// their own and follow leaders individually (./encode-faults.ts,
// ./encode-fault-leaders.ts); f ranges over 0 .. min(bound, n), the bound
// being t unless the file says otherwise (faultBound); a user property is
// asserted violated over the boundaries (./encode-user.ts), and the classes
// keep apart the states it tells apart (./canon.ts `observe`). The classic
// model's text is unchanged by all of this.
//
// Parameters are Int terms: numerals for the concrete check (encodeCounter),
// declared constants for the parameterized one (./param.ts), which calls the
// same core (encodeCounterCore) with its own parameters and leader identities.
// Leader identities are the only place the encoding needs a concrete n: the
// core takes `leaderOf`, (phase - 1) mod n when n is known; the parameterized
// engine uses phase - 1 under its side condition n >= (last leader phase),
// where the two agree (see ./param.ts).

import { evalParamInt } from '../../ir/eval';
import { singleBound } from '../../ir/faults';
import { isBuiltinProperty, type PropertyName, type Protocol, type UserProperty } from '../../ir/types';
import type { LocalState } from '../../trace/model';
import * as T from '../term';
import { StateSpace } from '../space';
import { canonicalStates } from './canon';
import { type CoreContext, encodeStart, encodeViolation } from './encode-ends';
import { encodeLeaders, trackAt } from './encode-leaders';
import { encodeRound } from './encode-round';
import { encodeAssumptions, encodeFaultHavoc, encodeFaultRound, encodeFaultStart, type FaultPart } from './encode-faults';
import { encodeUserViolation, userObservation, userProperty, withHiddenInput } from './encode-user';
import type { Flow } from './flows';

export interface CounterInstance {
  n: number;
  t: number;
  /**
   * The number of faulty processes: a number fixes it (only to concretize
   * a parameterized model at its own f); absent, it is the declared constant
   * FAULTS with 0 <= FAULTS <= min(bound, n) (the bound is t unless the file
   * declares another), so the query covers every f at once. Fixing
   * f = t loses runs: at n = t + 1 one correct process cannot disagree with
   * itself, while with f = t - 1 two can (docs/semantics.md, section 4).
   */
  f?: number;
  rounds: number;
}

/** The constant that counts the Byzantine processes when the instance leaves f open. */
export const FAULTS = 'f';

export interface TrackedLeader {
  id: number;
  byz: string;
  /** its first sending round: it leaves the pool at boundary first - 1 */
  first: number;
  /** its last sending round: tracked individually at boundaries exit .. until - 1 */
  until: number;
  /** the boundary at which it leaves the pool: first - 1, or 0 without a pool (individual from the start) */
  exit: number;
  /** at[g]: per state class s at boundary g, the Boolean "the leader is in s" */
  at: Map<number, string>[];
}

/** The pool of correct leaders that have not sent yet (see the header). */
export interface LeaderPool {
  /** pool[g]: per class at boundary g, its count variable (g = 0 .. last boundary with pool members) */
  counts: Map<number, string>[];
  /** per round g (index g), per flow id, the variable counting its pool members */
  y: Map<number, string>[];
}

/** What the core encodes for, besides the protocol and the property. */
export interface CoreSetup {
  q: T.Query;
  /**
   * parameters as Int terms (numerals, or constants the caller declared and
   * constrained); phaseBase (only ./lemma.ts): the phase numbers of the
   * encoded rounds are phaseBase + 1, phaseBase + 2, ... instead of 1, 2, ...
   * (guards reading `phase` see that term; leaders are still named by the
   * position's phase through leaderOf)
   */
  params: { n: T.ITerm; t: T.ITerm; f: T.ITerm; phaseBase?: T.ITerm };
  rounds: number;
  /** the id of the leader of a phase */
  leaderOf: (phase: number) => number;
}

export type CoreEncoding = Omit<CounterEncoding, 'instance'>;

export interface CounterEncoding {
  /** the protocol encoded (with a hidden `input` variable when a user property reads it: `hiddenInput`) */
  protocol: Protocol;
  instance: CounterInstance;
  property: PropertyName;
  /** the user property asserted violated (null: a built-in one) */
  user: UserProperty | null;
  hiddenInput: boolean;
  /** crash and omission faults: the faulty processes' counts (./encode-faults.ts); null: Byzantine */
  faulty: FaultPart | null;
  space: StateSpace;
  q: T.Query;
  /** reachable states per round 0 .. R */
  reach: number[][];
  /** flows per round, index 1 .. R (index 0 empty) */
  flows: Flow[][];
  leaders: TrackedLeader[];
  pool: LeaderPool;
  /** in0 variable per input value */
  inputs: string[];
  /** which state (class representative) each input value starts in */
  initialOf: number[];
  /** canon[g][s]: representative of s's class at boundary g (./canon.ts); states above are representatives */
  canon: number[][];
  /** validity: the common input value */
  vin: string | null;
}

export const cntName = (g: number, s: number): string => `n${g}_${s}`;

export interface CounterOptions {
  /**
   * Follow leaders through the pool until their first sending round (true),
   * or individually from round 0 (false). Both are exact. Default: the pool
   * when more than POOL_FROM leaders are tracked; measured with the
   * WebAssembly build, individual tracking is faster for a handful of leaders
   * (phase king, t <= 4), the pool for many (t = 24: a quarter of the text).
   */
  leaderPool?: boolean;
  /**
   * Only for ./lemma.ts (absent: the behaviour above). 'havoc': boundary 0 is
   * an arbitrary distribution of the n - f correct processes over every class
   * of the state space (no inputs: `inputs` and `initialOf` are empty), not
   * the initial states.
   */
  start?: 'inputs' | 'havoc';
  /** Only for ./lemma.ts: the classes at the last boundary are the states with equal finalKey (default: equal `decided`). */
  finalKey?: (s: LocalState) => string;
  /** Only for ./lemma.ts: false = assert no violation (the caller asserts its own over the counts); default true. */
  violation?: boolean;
  /**
   * Only for the invariant engine (../invariant/system.ts), with start
   * 'havoc' under crash or omission faults: the number of faulty processes
   * (alive ones, for crash) at boundary 0, in any classes; schedule
   * assumptions are then the caller's (not encoded here).
   */
  faultyAlive?: T.ITerm;
}

export const POOL_FROM = 6;

/** The most faulty processes of an instance: the fault bound at n, t (docs/semantics.md section 1.7), at most n. */
export function faultBound(protocol: Protocol, n: number, t: number): number {
  // a bound below 0 allows no faulty process (as the simulator and the process encoding read it), never no run at all
  return Math.max(0, Math.min(evalParamInt(singleBound(protocol.faults), n, t), n));
}

/** The concrete check: n and t fixed, f fixed or (by default) any of 0..min(bound, n) (t unless the file says otherwise). */
export function encodeCounter(protocol: Protocol, inst: CounterInstance, property: PropertyName, options: CounterOptions = {}): CounterEncoding {
  const q = new T.Query();
  const f = inst.f === undefined ? q.intIn(FAULTS, 0, faultBound(protocol, inst.n, inst.t)) : T.num(inst.f);
  const params = { n: T.num(inst.n), t: T.num(inst.t), f };
  const setup: CoreSetup = { q, params, rounds: inst.rounds, leaderOf: (phase) => (phase - 1) % inst.n };
  return { ...encodeCounterCore(protocol, setup, property, options), instance: inst };
}

/** The encoding of "some run of setup.rounds rounds violates property" (see the header): boundary 0, leaders, each round, the violation. */
export function encodeCounterCore(given: Protocol, setup: CoreSetup, property: PropertyName, options: CounterOptions = {}): CoreEncoding {
  const user = isBuiltinProperty(property) ? null : userProperty(given, property);
  const { protocol, hidden } = user === null ? { protocol: given, hidden: false } : withHiddenInput(given, user);
  const space = new StateSpace(protocol);
  const { q, params } = setup;
  const havoc = options.start === 'havoc';
  if (havoc && property === 'validity' && options.violation !== false) throw new Error('counter: validity needs the initial states, not a havoc start');
  const kind = protocol.faults.kind;
  if (kind === 'hybrid') throw new Error('counter: hybrid faults are not modelled (./support.ts refuses them)');
  if (kind === 'byzantine' && protocol.assumptions.length > 0) throw new Error('counter: Byzantine faults admit no schedule assumption');
  if (kind !== 'byzantine' && havoc && options.faultyAlive === undefined) throw new Error(`counter: a havoc start under ${kind} faults needs the number of faulty processes (faultyAlive)`);
  const ctx: CoreContext = {
    protocol, space, q, params, setup, options,
    correctTotal: T.sub(params.n, params.f),
    // state classes per round boundary (./canon.ts)
    canon: canonicalStates(protocol, space, params, setup.rounds, options.finalKey, user === null ? undefined : userObservation(protocol, params, user)),
    reach: [],
    flows: [[]],
    leaders: [],
    pool: { counts: [], y: [new Map()] },
    poolEnd: -1,
    faulty: kind === 'byzantine' ? null : { kind, inputs: [], x: [new Map()], crash: [new Map()], clean: new Map(), alive: new Map() },
  };
  const start = encodeStart(ctx, havoc);
  if (ctx.faulty === null) {
    encodeLeaders(ctx);
    trackAt(ctx, 0);
    for (let g = 1; g <= setup.rounds; g++) encodeRound(ctx, g);
  } else {
    if (havoc) encodeFaultHavoc(ctx, options.faultyAlive as T.ITerm);
    else encodeFaultStart(ctx, start.initialOf);
    for (let g = 1; g <= setup.rounds; g++) encodeFaultRound(ctx, g);
    if (!havoc) encodeAssumptions(ctx);
  }
  let vin: string | null = null;
  if (options.violation !== false) {
    if (user !== null) encodeUserViolation(ctx, user);
    else if (isBuiltinProperty(property)) vin = encodeViolation(ctx, property, start.inTerms);
  }
  const { reach, flows, leaders, pool, canon, faulty } = ctx;
  return { protocol, property, user, hiddenInput: hidden, faulty, space, q, reach, flows, leaders, pool, inputs: start.inputs, initialOf: start.initialOf, canon, vin };
}
