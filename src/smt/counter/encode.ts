// The counter encoding (DESIGN.md section 3.2) of "some run of R rounds
// violates property P", for one instance.
//
// Variables: cnt[g][s] = number of correct processes in local state s after
// round g (only for states reachable by the folded flow graph, so the size
// depends on the protocol, never on n); one count and one witness per flow
// (./flows.ts); in0[v] = number of correct processes with input v.
//
// Leaders. A leader is one specific process, (phase-1) mod n. The simpler
// constraint "a correct leader sends from some state with count >= 1" is NOT
// exact: it lets the leader be in unrelated states in two rounds of a phase
// (or in two phases it leads), and lets two distinct leaders be the same
// counted process. So every leader that matters is tracked as its own
// process: its state ls[l][g] for g = 0 .. the last round before it sends,
// and the flow lf[l][g] it takes in each round; flow counts are at least the
// number of correct tracked leaders taking them. Then a model decodes to a
// run (assign the tracked leaders to their paths, everybody else to the
// remaining capacity of each flow), and every run gives a model (track the
// leaders' actual paths): the encoding is exact. byz[l] says whether leader
// l is Byzantine: at most f of them, and the correct ones must fit among the
// n - f correct processes (equivalently, the non-leader Byzantine ones among
// the n - L non-leaders).
//
// Parameters are Int terms built from `params` (numerals here); only the
// leader identities use the concrete n (issue 5 will need n > #phases there).

import { DECIDED, type Protocol, unreachable } from '../../ir/types';
import type { Property, Val } from '../../trace/model';
import * as T from '../term';
import { position, roundTypes, StateSpace, valTag } from '../space';
import { boolOf, cEval, type CEnv, toCases } from './expr';
import { type Flow, payloadsOf, roundFlows } from './flows';

export interface CounterInstance {
  n: number;
  t: number;
  f: number;
  rounds: number;
}

export interface TrackedLeader {
  id: number;
  byz: string;
  /** state variables for rounds 0 .. last */
  ls: string[];
  /** flow choice for rounds 1 .. last (index 0 unused) */
  lf: string[];
}

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
  /** in0 variable per input value */
  inputs: string[];
  /** which state each input value starts in */
  initialOf: number[];
  /** validity: the common input value */
  vin: string | null;
}

export const cntName = (g: number, s: number): string => `n${g}_${s}`;

export function encodeCounter(protocol: Protocol, inst: CounterInstance, property: Property): CounterEncoding {
  const space = new StateSpace(protocol);
  const q = new T.Query();
  const params = { n: T.num(inst.n), t: T.num(inst.t), f: T.num(inst.f) };
  const correctTotal = T.sub(params.n, params.f);
  const R = inst.rounds;
  const baseEnv = (state: CEnv['state'], phase: number): CEnv => ({
    state, phase, params, values: protocol.values, payloads: () => [],
  });

  // ---- inputs and round 0 ----
  const initialOf: number[] = [];
  for (let v = 0; v < protocol.values; v++) {
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
    initialOf.push(space.indexOf(st));
  }
  const inputs = initialOf.map((_, v) => `in${v}`);
  const inTerms = inputs.map((name) => q.intIn(name, 0));
  q.assert(T.eq(T.add(...inTerms), correctTotal));
  const reach: number[][] = [[...new Set(initialOf)]];
  const cnt = (g: number, s: number): T.ITerm => T.ivar(cntName(g, s));
  for (const s of reach[0] as number[]) {
    q.intIn(cntName(0, s), 0);
    q.assert(T.eq(cnt(0, s), T.add(...inTerms.filter((_, v) => initialOf[v] === s))));
  }

  // ---- leaders ----
  const leaderRounds = new Map<number, number>(); // leader id -> last round it sends in
  const leaderOf = (phase: number): number => (phase - 1) % inst.n;
  for (let g = 1; g <= R; g++) {
    const pos = position(protocol, g);
    if (roundTypes(protocol, pos.index).some((d) => d.leader)) leaderRounds.set(leaderOf(pos.phase), g);
  }
  const leaders: TrackedLeader[] = [];
  for (const [id, lastSend] of [...leaderRounds].sort((a, b) => a[0] - b[0])) {
    const byz = `byzL${id}`;
    q.bool(byz);
    const ls: string[] = [];
    const lf: string[] = [''];
    for (let g = 0; g < lastSend; g++) {
      ls.push(`ls${id}_${g}`);
      q.int(`ls${id}_${g}`);
      if (g > 0) lf.push(`lf${id}_${g}`), q.int(`lf${id}_${g}`);
    }
    leaders.push({ id, byz, ls, lf });
  }
  const byzSum = T.add(...leaders.map((l) => T.b2i(T.bvar(l.byz))));
  q.assert(T.le(byzSum, params.f));
  q.assert(T.le(T.sub(T.num(leaders.length), byzSum), correctTotal));
  const correctLeader = (l: TrackedLeader): T.BTerm => T.not(T.bvar(l.byz));
  for (const s of reach[0] as number[]) {
    const here = leaders.filter((l) => l.ls.length > 0).map((l) => T.b2i(T.and(correctLeader(l), T.eq(T.ivar(l.ls[0] as string), T.num(s)))));
    q.assert(T.ge(cnt(0, s), T.add(...here)));
  }
  for (const l of leaders) {
    if (l.ls.length === 0) continue;
    const at0 = T.ivar(l.ls[0] as string);
    q.assert(T.implies(correctLeader(l), T.or(...(reach[0] as number[]).map((s) => T.eq(at0, T.num(s))))));
  }

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
        const sendsP = (s: number): T.BTerm => {
          const e = baseEnv(space.state(s), pos.phase);
          const when = send.when === null ? T.TRUE : boolOf(send.when, e);
          if (send.payload === null) return when;
          const hit = toCases(cEval(send.payload, e)).find(([v]) => v === p);
          return T.and(when, hit === undefined ? T.FALSE : hit[1]);
        };
        let term: T.ITerm;
        if (!decl.leader) term = T.add(...prev.map((s) => T.ite(sendsP(s), cnt(g - 1, s), T.num(0))));
        else {
          if (leader === undefined) throw new Error('counter: untracked leader');
          const lsv = T.ivar(leader.ls[g - 1] as string);
          term = T.b2i(T.and(correctLeader(leader), T.or(...prev.map((s) => T.and(T.eq(lsv, T.num(s)), sendsP(s))))));
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
    // tracked leaders that still have to reach a later sending round
    const tracked = leaders.filter((l) => l.ls.length > g);
    for (const l of tracked) {
      const lf = T.ivar(l.lf[g] as string);
      const before = T.ivar(l.ls[g - 1] as string);
      const after = T.ivar(l.ls[g] as string);
      const opts = fs.map((f) => T.and(T.eq(lf, T.num(f.id)), T.eq(before, T.num(f.src)), T.eq(after, T.num(f.dst))));
      q.assert(T.implies(correctLeader(l), T.or(...opts)));
    }
    if (tracked.length > 0) {
      for (const f of fs) {
        const takers = tracked.map((l) => T.b2i(T.and(correctLeader(l), T.eq(T.ivar(l.lf[g] as string), T.num(f.id)))));
        q.assert(T.ge(T.ivar(f.x), T.add(...takers)));
      }
    }
  }

  // ---- the violation ----
  const last = reach[R] as number[];
  const decidedCount = (v: Val): T.ITerm => T.add(...last.filter((s) => space.state(s)[DECIDED] === v).map((s) => cnt(R, s)));
  const values = Array.from({ length: protocol.values }, (_, v) => v);
  let vin: string | null = null;
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
  return { protocol, instance: inst, property, space, q, reach, flows, leaders, inputs, initialOf, vin };
}
