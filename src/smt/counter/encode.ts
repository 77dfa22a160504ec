// The counter encoding (DESIGN.md section 3.2) of "some run of R rounds
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
// Parameters are Int terms: numerals for the concrete check (encodeCounter),
// declared constants for the parameterized one (./param.ts), which calls the
// same core (encodeCounterCore) with its own parameters and leader identities.
// Leader identities are the only place the encoding needs a concrete n: the
// core takes `leaderOf`, (phase - 1) mod n when n is known; the parameterized
// engine uses phase - 1 under its side condition n >= (last leader phase),
// where the two agree (see ./param.ts).

import { DECIDED, type Protocol, unreachable } from '../../ir/types';
import type { LocalState, Property, Val } from '../../trace/model';
import * as T from '../term';
import { position, roundTypes, StateSpace, valTag } from '../space';
import { canonicalStates, sendsPayload } from './canon';
import { cEval, type CEnv, toCases } from './expr';
import { type Flow, payloadsOf, roundFlows } from './flows';

export interface CounterInstance {
  n: number;
  t: number;
  /**
   * The number of Byzantine processes: a number fixes it (only to concretize
   * a parameterized model at its own f); absent, it is the declared constant
   * FAULTS with 0 <= FAULTS <= t, so the query covers every f at once. Fixing
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
  protocol: Protocol;
  instance: CounterInstance;
  property: Property;
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
}

export const POOL_FROM = 6;

/** The concrete check: n and t fixed, f fixed or (by default) any of 0..t. */
export function encodeCounter(protocol: Protocol, inst: CounterInstance, property: Property, options: CounterOptions = {}): CounterEncoding {
  const q = new T.Query();
  const f = inst.f === undefined ? q.intIn(FAULTS, 0, inst.t) : T.num(inst.f);
  const params = { n: T.num(inst.n), t: T.num(inst.t), f };
  const setup: CoreSetup = { q, params, rounds: inst.rounds, leaderOf: (phase) => (phase - 1) % inst.n };
  return { ...encodeCounterCore(protocol, setup, property, options), instance: inst };
}

/** The encoding of "some run of setup.rounds rounds violates property" (see the header). */
export function encodeCounterCore(protocol: Protocol, setup: CoreSetup, property: Property, options: CounterOptions = {}): CoreEncoding {
  const space = new StateSpace(protocol);
  const { q, params } = setup;
  const correctTotal = T.sub(params.n, params.f);
  const R = setup.rounds;
  const baseEnv = (state: CEnv['state'], phase: number): CEnv => ({
    state, phase, params, values: protocol.values, payloads: () => [],
  });

  // ---- state classes per round boundary (./canon.ts) ----
  const canon = canonicalStates(protocol, space, params, R, options.finalKey);
  const havoc = options.start === 'havoc';
  if (havoc && property === 'validity' && options.violation !== false) throw new Error('counter: validity needs the initial states, not a havoc start');

  // ---- inputs and round 0 ----
  const initialOf: number[] = [];
  for (let v = 0; v < (havoc ? 0 : protocol.values); v++) {
    const st: Record<string, Val> = {};
    for (const d of protocol.vars) {
      if (d.init === 'input') st[d.name] = v;
      else {
        const cases = toCases(cEval(d.init, baseEnv({}, 1)));
        if (cases.length !== 1) throw new Error('counter: non-constant initial value');
        st[d.name] = (cases[0] as [Val, T.BTerm])[0];
      }
    }
    st[DECIDED] = null;
    initialOf.push((canon[0] as number[])[space.indexOf(st)] as number);
  }
  const inputs = initialOf.map((_, v) => `in${v}`);
  const inTerms = inputs.map((name) => q.intIn(name, 0));
  const cnt = (g: number, s: number): T.ITerm => T.ivar(cntName(g, s));
  const reach: number[][] = [];
  if (havoc) {
    reach.push([...new Set(canon[0] as number[])].sort((a, b) => a - b));
    for (const s of reach[0] as number[]) q.intIn(cntName(0, s), 0);
    q.assert(T.eq(T.add(...(reach[0] as number[]).map((s) => cnt(0, s))), correctTotal));
  } else {
    q.assert(T.eq(T.add(...inTerms), correctTotal));
    reach.push([...new Set(initialOf)]);
    for (const s of reach[0] as number[]) {
      q.intIn(cntName(0, s), 0);
      q.assert(T.eq(cnt(0, s), T.add(...inTerms.filter((_, v) => initialOf[v] === s))));
    }
  }

  // ---- leaders ----
  const leaderRounds = new Map<number, [number, number]>(); // leader id -> first and last round it sends in
  const leaderOf = setup.leaderOf;
  for (let g = 1; g <= R; g++) {
    const pos = position(protocol, g);
    if (!roundTypes(protocol, pos.index).some((d) => d.leader)) continue;
    const id = leaderOf(pos.phase);
    leaderRounds.set(id, [leaderRounds.get(id)?.[0] ?? g, g]);
  }
  const leaders: TrackedLeader[] = [];
  const usePool = options.leaderPool ?? leaderRounds.size > POOL_FROM;
  for (const [id, [first, until]] of [...leaderRounds].sort((a, b) => a[0] - b[0])) {
    const byz = `byzL${id}`;
    q.bool(byz);
    leaders.push({ id, byz, first, until, exit: usePool ? first - 1 : 0, at: [] });
  }
  const poolEnd = Math.max(-1, ...leaders.map((l) => l.exit)); // last boundary with pool members
  const pool: LeaderPool = { counts: [], y: [new Map()] };
  const byzSum = T.add(...leaders.map((l) => T.b2i(T.bvar(l.byz))));
  q.assert(T.le(byzSum, params.f));
  q.assert(T.le(T.sub(T.num(leaders.length), byzSum), correctTotal));
  const correctLeader = (l: TrackedLeader): T.BTerm => T.not(T.bvar(l.byz));
  const at = (l: TrackedLeader, g: number, s: number): T.BTerm => {
    const name = l.at[g]?.get(s);
    return name === undefined ? T.FALSE : T.bvar(name);
  };
  const poolCount = (g: number, s: number): T.ITerm => {
    const name = pool.counts[g]?.get(s);
    return name === undefined ? T.num(0) : T.ivar(name);
  };
  const individual = (g: number): TrackedLeader[] => leaders.filter((l) => l.exit <= g && g < l.until);
  // Boundary g: pool counts, the individual leaders' classes (exactly one for
  // a correct leader), the pool holds the leaders that leave it here, and
  // every class holds its pool members plus the individual leaders that left
  // the pool earlier.
  const trackAt = (g: number): void => {
    const here = reach[g] as number[];
    if (g <= poolEnd) {
      const m = new Map<number, string>();
      for (const s of here) m.set(s, `pool${g}_${s}`), q.intIn(`pool${g}_${s}`, 0);
      pool.counts[g] = m;
      if (g === 0) q.assert(T.eq(T.add(...here.map((s) => poolCount(0, s))), T.sub(T.num(leaders.length), byzSum)));
    }
    const tracked = individual(g);
    for (const l of tracked) {
      const m = new Map<number, string>();
      for (const s of here) m.set(s, `at${l.id}_${g}_${s}`), q.bool(`at${l.id}_${g}_${s}`);
      l.at[g] = m;
      const bs = here.map((s) => at(l, g, s));
      q.assert(T.implies(correctLeader(l), T.or(...bs)));
      for (let a = 0; a < bs.length; a++) for (let b = a + 1; b < bs.length; b++) q.assert(T.or(T.not(bs[a] as T.BTerm), T.not(bs[b] as T.BTerm)));
    }
    const leaving = tracked.filter((l) => l.exit === g);
    const earlier = tracked.filter((l) => l.exit < g);
    const here1 = (ls: TrackedLeader[], s: number): T.ITerm => T.add(...ls.map((l) => T.b2i(T.and(correctLeader(l), at(l, g, s)))));
    for (const s of here) {
      if (leaving.length > 0) q.assert(T.ge(poolCount(g, s), here1(leaving, s)));
      if (g <= poolEnd || earlier.length > 0) q.assert(T.ge(cnt(g, s), T.add(poolCount(g, s), here1(earlier, s))));
    }
  };
  trackAt(0);

  // ---- rounds ----
  const flows: Flow[][] = [[]];
  for (let g = 1; g <= R; g++) {
    const pos = position(protocol, g);
    const prev = reach[g - 1] as number[];
    const types = roundTypes(protocol, pos.index);
    const sends = protocol.rounds[pos.index]?.sends ?? [];
    const leader = leaders.find((l) => l.id === leaderOf(pos.phase));
    const correct = new Map<string, T.ITerm>();
    for (const [k, send] of sends.entries()) {
      const decl = types[k];
      if (decl === undefined) throw new Error('counter: send without declaration');
      const mi = protocol.messages.indexOf(decl);
      for (const p of payloadsOf({ protocol, pos }, decl.name)) {
        const sendsP = (s: number): T.BTerm => sendsPayload(protocol, space, pos, params, send, p, s);
        let term: T.ITerm;
        if (!decl.leader) term = T.add(...prev.map((s) => T.ite(sendsP(s), cnt(g - 1, s), T.num(0))));
        else {
          if (leader === undefined) throw new Error('counter: untracked leader');
          term = T.b2i(T.and(correctLeader(leader), T.or(...prev.map((s) => T.and(at(leader, g - 1, s), sendsP(s))))));
        }
        if (term.k !== 'num') {
          const name = `c${g}_m${mi}_${valTag(p)}`;
          q.assert(T.eq(q.int(name), term));
          term = T.ivar(name);
        }
        correct.set(`${decl.name}/${valTag(p)}`, term);
      }
    }
    const fs = roundFlows(
      {
        protocol, space, q, pos, params,
        canon: canon[g] as number[],
        correct: (m, p) => correct.get(`${m}/${valTag(p)}`) ?? T.num(0),
        byzBound: (m) => {
          const d = types.find((x) => x.name === m);
          if (d === undefined || !d.leader) return params.f;
          if (leader === undefined) throw new Error('counter: untracked leader');
          return T.b2i(T.bvar(leader.byz));
        },
      },
      prev,
    );
    flows.push(fs);
    const next = [...new Set(fs.map((f) => f.dst))].sort((a, b) => a - b);
    reach.push(next);
    for (const s of next) q.intIn(cntName(g, s), 0);
    for (const s of prev) q.assert(T.eq(cnt(g - 1, s), T.add(...fs.filter((f) => f.src === s).map((f) => T.ivar(f.x)))));
    for (const s of next) q.assert(T.eq(cnt(g, s), T.add(...fs.filter((f) => f.dst === s).map((f) => T.ivar(f.x)))));
    // The pool moves along flows (y[f] <= x[f], conserved): what stays in
    // the pool at boundary g - 1 leaves through the flows out of each class.
    const ys = new Map<number, string>();
    pool.y[g] = ys;
    if (g <= poolEnd) {
      for (const f of fs) {
        const y = q.intIn(`y${g}_${f.id}`, 0);
        ys.set(f.id, `y${g}_${f.id}`);
        q.assert(T.le(y, T.ivar(f.x)));
      }
      const leaving = individual(g - 1).filter((l) => l.exit === g - 1);
      for (const s of prev) {
        const out = fs.filter((f) => f.src === s).map((f) => T.ivar(ys.get(f.id) as string));
        const left = T.add(...leaving.map((l) => T.b2i(T.and(correctLeader(l), at(l, g - 1, s)))));
        q.assert(T.eq(T.add(...out), T.sub(poolCount(g - 1, s), left)));
      }
    }
    trackAt(g);
    for (const s of next) {
      if (g <= poolEnd) q.assert(T.eq(poolCount(g, s), T.add(...fs.filter((f) => f.dst === s).map((f) => T.ivar(ys.get(f.id) as string)))));
    }
    // Individually tracked leaders move along flows: for every (src, dst)
    // pair, the flows from src to dst together carry, beyond their pool
    // members, at least the individual leaders that move so (the decoder then
    // puts each on one of them, within capacity); never along a pair without
    // flows.
    const tracked = individual(g).filter((l) => l.exit < g);
    if (tracked.length > 0) {
      for (const s of prev) {
        for (const d of next) {
          const pair = fs.filter((f) => f.src === s && f.dst === d);
          const cap = pair.map((f) => T.ivar(f.x));
          const inPool = pair.map((f) => (ys.has(f.id) ? T.ivar(ys.get(f.id) as string) : T.num(0)));
          const moves = tracked.map((l) => T.and(correctLeader(l), at(l, g - 1, s), at(l, g, d)));
          if (cap.length === 0) for (const mv of moves) q.assert(T.not(mv));
          else q.assert(T.ge(T.add(...cap), T.add(...inPool, ...moves.map(T.b2i))));
        }
      }
    }
  }

  // ---- the violation ----
  const last = reach[R] as number[];
  const decidedCount = (v: Val): T.ITerm => T.add(...last.filter((s) => space.state(s)[DECIDED] === v).map((s) => cnt(R, s)));
  const values = Array.from({ length: protocol.values }, (_, v) => v);
  let vin: string | null = null;
  if (options.violation === false) return { protocol, property, space, q, reach, flows, leaders, pool, inputs, initialOf, canon, vin };
  switch (property) {
    case 'agreement': {
      const pairs: T.BTerm[] = [];
      for (const a of values) for (const b of values) if (a < b) pairs.push(T.and(T.ge(decidedCount(a), T.num(1)), T.ge(decidedCount(b), T.num(1))));
      q.assert(T.or(...pairs));
      break;
    }
    case 'validity': {
      vin = 'vin';
      const v = q.intIn(vin, 0, protocol.values - 1);
      for (const u of values) q.assert(T.or(T.eq(v, T.num(u)), T.eq(inTerms[u] as T.ITerm, T.num(0))));
      q.assert(T.or(...values.map((u) => T.and(T.ne(v, T.num(u)), T.ge(decidedCount(u), T.num(1))))));
      break;
    }
    case 'termination':
      q.assert(T.ge(decidedCount(null), T.num(1)));
      break;
    default:
      unreachable(property);
  }
  return { protocol, property, space, q, reach, flows, leaders, pool, inputs, initialOf, canon, vin };
}
