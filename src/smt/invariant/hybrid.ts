// Hybrid faults in the invariant system (docs/semantics.md sections 1.9 and
// 3.6): up to t Byzantine processes (fb of them, 0 <= fb <= t; the system's
// `f`) and, disjoint from them, up to o send-omission faulty ones (fo,
// 0 <= fo <= o), in one run, for every n, t, o the resilience condition
// admits. The counter encoding does not model this adversary (it refuses
// hybrid files), so one phase is encoded here, on the counter encoding's
// state classes (../counter/canon.ts) and the same guard semantics
// (../counter/expr.ts), from a havoc start.
//
// State: per class the correct processes (n - fb - fo in all) and the
// omission-faulty ones (fo in all; they follow the protocol and never
// crash). Byzantine processes have no state.
//
// Round g, for one receiver (correct or omission-faulty: both receive
// everything sent to them) and one (type m, payload p), the count received
// is c + om + bz:
// - c: the correct senders of (m, p) (every message delivered);
// - om in 0 .. F(m, p): the omission-faulty senders of (m, p) whose message
//   was not withheld from this receiver (the adversary picks per message
//   and receiver, so per payload independently);
// - bz >= 0 with sum_p bz[m][p] <= fb: what the Byzantine processes sent
//   this receiver (at most one message of type m each, any payload).
// The choices are per receiver, so, as in ../counter/flows.ts, one witness
// per flow is exact: every receiver of a flow can be given the reception
// of one of them. Witness elimination (exact, as there): a count the flow's
// condition is antitone in is set to 0 (om = bz = 0); one it is monotone in
// gets om = F(m, p), and the first such payload of a type takes the rest of
// the Byzantine budget (bz = fb - the others); everything else stays a
// variable with its bounds.
//
// Leaders (one per phase): the phase's leader is faulty (Byzantine or
// omission-faulty: the Boolean hlf) or correct. A correct leader is one of
// the correct processes, followed through the phase: exactly one class
// holds it at each boundary (hat), a class with a correct process at
// boundary 0, and it moves from s to d only along flows s -> d that carry
// somebody; every receiver gets its leader messages, those of its state. A
// faulty leader's leader messages are read as a Byzantine leader's (none or
// one of any payload, per receiver and type): that includes an
// omission-faulty leader's (its own payload, or withheld), so the system
// has at least the runs. The caller's ghost b counts the faulty leaders of
// phases 1 .. min(p - 1, n), distinct processes, so b <= fb + fo.
//
// Omission protocols with leader messages (bound t, no schedule
// assumption; omissionLeaders) are this model with no Byzantine process:
// f = 0, fo in 0..t, o is t. Their faulty leader is an omission-faulty
// process, followed like the correct one but among the omission-faulty
// counts (a class holding one of them at boundary 0, along flows that carry
// one): its leader message is that of its state, withheld or not per
// receiver (0 .. 1 of its payload, nothing of another), and no Byzantine
// sender adds anything. That is exact for the faulty leader, as the
// correct leader's tracking is for the correct one.
//
// Refused (unknown, with the reason): bounds other than t and o, schedule
// assumptions (a hybrid file cannot declare one).

import { hybridBoundsAreTO } from '../../ir/faults';
import { mentions } from '../../ir/mentions';
import { evalParamInt } from '../../ir/eval';
import { DECIDED, type Expr, type Protocol, type Rule } from '../../ir/types';
import type { LocalState, Val } from '../../trace/model';
import * as T from '../term';
import { domainOf, position, roundTypes, type StateSpace, valTag } from '../space';
import { canonicalStates, sendsPayload } from '../counter/canon';
import { boolOf, cEval, type CEnv, toCases } from '../counter/expr';

/** The hybrid part of a state: the omission bound o and the omission-faulty count fo (the Byzantine count is the system's f). */
export interface HybridView {
  o: T.ITerm;
  fo: T.ITerm;
}

export const HYB_O = 'o';
export const HYB_FO = 'fo';

/** Why the invariant engine cannot model this hybrid protocol (null: it can; not hybrid: null). */
export function hybridProblem(protocol: Protocol): string | null {
  if (protocol.faults.kind !== 'hybrid') return null;
  if (!hybridBoundsAreTO(protocol.faults)) return 'the invariant engine models hybrid faults with the design bounds only (byzantine up to t and omission up to o), not other bounds';
  if (protocol.assumptions.length > 0) return 'the invariant engine takes no schedule assumption under hybrid faults';
  return null;
}

/**
 * A bound over t and o (not n) as base + st * t + so * o, checked on several
 * (t, o) points (the language makes it linear, but a fit on three points is
 * only trusted once checked); null with the reason otherwise.
 */
export function linearTO(e: Expr, what: string): { base: number; slope: number; slopeO: number } | string {
  if (mentions(e, 'n')) return `${what} mentions n`;
  const at = (t: number, o: number): number => evalParamInt(e, 1 + 3 * t + 2 * o, t, o);
  const base = at(0, 0);
  const slope = at(1, 0) - base;
  const slopeO = at(0, 1) - base;
  const points: [number, number][] = [[1, 1], [2, 3], [3, 1], [5, 7], [4, 4], [8, 2], [0, 6]];
  if (points.some(([t, o]) => at(t, o) !== base + slope * t + slopeO * o)) return `${what} is not linear in t and o`;
  return { base, slope, slopeO };
}

/** Whether an expression mentions o (../../ir/mentions.ts reads n and t only). */
export function mentionsO(e: Expr): boolean {
  const walk = (x: unknown): boolean => {
    if (typeof x !== 'object' || x === null) return false;
    const r = x as { kind?: unknown; name?: unknown };
    return (r.kind === 'param' && r.name === 'o') || Object.values(x).some(walk);
  };
  return walk(e);
}

/**
 * Whether this is an omission protocol with leader messages, which the
 * invariant engine reads as the hybrid model with no Byzantine process
 * (fb = 0) and omission bound t (o is t: there is no parameter o). Its
 * faulty leader is then an omission-faulty process, followed through the
 * phase among the omission-faulty counts (see the header).
 */
export const omissionLeaders = (protocol: Protocol): boolean => protocol.faults.kind === 'omission' && hasLeaders(protocol);

/**
 * The region of an omission protocol with leaders read as hybrid (fb = 0,
 * fo in 0..t, o is t): n, t, f (asserted 0: the transition reads the
 * Byzantine budget as f) and fo declared, with t < n as in
 * ../counter/param.ts regionSetup.
 */
function omissionRegion(protocol: Protocol): { q: T.Query; params: { n: T.ITerm; t: T.ITerm; f: T.ITerm }; hy: HybridView } {
  const q = new T.Query();
  const n = q.int('n');
  const t = q.int('t');
  const f = q.int('f');
  const fo = q.int(HYB_FO);
  const zero = T.num(0);
  q.assert(T.eq(f, zero));
  q.assert(T.ge(fo, zero));
  q.assert(T.le(fo, t));
  q.assert(T.ge(t, zero));
  q.assert(T.lt(t, n));
  q.assert(boolOf(protocol.resilience, { state: {}, phase: 1, params: { n, t }, values: protocol.values, payloads: () => [] }));
  return { q, params: { n, t, f }, hy: { o: t, fo } };
}

/** The region of an omission protocol with leaders (see omissionRegion), in words. */
export const OMISSION_LEADER_REGION = ['t >= 0', 't < n', 'no Byzantine process (f = 0)', '0 <= fo <= t omission-faulty'];

/** The region of a hybrid query: n, t, o, f (= fb), fo declared and constrained (an omission protocol with leaders: omissionRegion). */
export function hybridRegion(protocol: Protocol): { q: T.Query; params: { n: T.ITerm; t: T.ITerm; f: T.ITerm }; hy: HybridView } {
  if (omissionLeaders(protocol)) return omissionRegion(protocol);
  const q = new T.Query();
  const n = q.int('n');
  const t = q.int('t');
  const o = q.int(HYB_O);
  const f = q.int('f');
  const fo = q.int(HYB_FO);
  const zero = T.num(0);
  q.assert(T.ge(t, zero));
  q.assert(T.ge(o, zero));
  q.assert(T.ge(f, zero));
  q.assert(T.le(f, t));
  q.assert(T.ge(fo, zero));
  q.assert(T.le(fo, o));
  q.assert(T.le(T.add(f, fo), n));
  q.assert(boolOf(protocol.resilience, { state: {}, phase: 1, params: { n, t, o }, values: protocol.values, payloads: () => [] }));
  return { q, params: { n, t, f }, hy: { o, fo } };
}

/** The region in words (for the result). */
export const HYBRID_REGION = ['t >= 0', 'o >= 0', '0 <= fb <= t Byzantine (f in the queries)', '0 <= fo <= o omission-faulty', 'fb + fo <= n'];

interface Ctx {
  protocol: Protocol;
  space: StateSpace;
  q: T.Query;
  params: { n: T.ITerm; t: T.ITerm; o: T.ITerm; f: T.ITerm; phaseBase: T.ITerm };
  fo: T.ITerm;
  /**
   * the phase's leader (null: no leader messages): at[g], the correct
   * leader's class at boundary g; fat[g] (omission protocols with leaders
   * only, else null), the faulty leader's class among the omission-faulty
   * counts at boundary g
   */
  leader: { faulty: T.BTerm; at: Map<number, T.BTerm>[]; fat: Map<number, T.BTerm>[] | null } | null;
}

/** Whether the protocol has leader messages (then each phase has a leader: see the header). */
export const hasLeaders = (protocol: Protocol): boolean => protocol.messages.some((m) => m.leader);

const hn = (g: number, s: number): string => `hn${g}_${s}`;
const hm = (g: number, s: number): string => `hm${g}_${s}`;

/**
 * One phase (k rounds) from the boundary-0 distribution `pre` (correct and
 * omission-faulty counts per state class of the system, `classOf` its
 * class map). Asserts it into q; returns the counts at the phase's end per
 * class of `finalKey` (their representatives).
 */
export function assertHybridPhase(
  protocol: Protocol,
  space: StateSpace,
  q: T.Query,
  params: Ctx['params'],
  hy: HybridView,
  k: number,
  finalKey: (s: LocalState) => string,
  classOf: readonly number[],
  classes: readonly number[],
  pre: { cnt: (c: number) => T.ITerm; fcnt: (c: number) => T.ITerm },
  observe?: (g: number, s: LocalState) => string,
): { cnt: (c: number) => T.ITerm; fcnt: (c: number) => T.ITerm; last: Set<number>; leaderFaulty: T.BTerm | null; mid: HybridMid[] } {
  const ctx: Ctx = { protocol, space, q, params, fo: hy.fo, leader: hasLeaders(protocol) ? { faulty: q.bool('hlf'), at: [], fat: omissionLeaders(protocol) ? [] : null } : null };
  // observe: a property read inside the phase keeps apart what it reads (../counter/canon.ts; absent: as before)
  const canon = canonicalStates(protocol, space, params, k, finalKey, observe);
  const c0 = canon[0] as number[];
  let reach = [...new Set(c0)].sort((a, b) => a - b);
  // boundary 0: the system's classes are unions of these (a class is never split: checked)
  for (const c of reach) {
    const parts = classes.filter((d) => c0[d] === c);
    for (const d of parts) for (let s = 0; s < space.states.length; s++) if (classOf[s] === d && c0[s] !== c) throw new Error('invariant: a state class is split by the phase classes');
    q.assert(T.eq(q.intIn(hn(0, c), 0), T.add(...parts.map((d) => pre.cnt(d)))));
    q.assert(T.eq(q.intIn(hm(0, c), 0), T.add(...parts.map((d) => pre.fcnt(d)))));
  }
  q.assert(T.eq(T.add(...reach.map((c) => T.ivar(hn(0, c)))), T.sub(T.sub(params.n, params.f), hy.fo)));
  q.assert(T.eq(T.add(...reach.map((c) => T.ivar(hm(0, c)))), hy.fo));
  if (ctx.leader !== null) {
    const at = trackLeader(ctx, 0, reach);
    for (const c of reach) q.assert(T.implies(at.get(c) as T.BTerm, T.ge(T.ivar(hn(0, c)), T.num(1))));
    const fat = ctx.leader.fat?.[0];
    if (fat !== undefined) for (const c of reach) q.assert(T.implies(fat.get(c) as T.BTerm, T.ge(T.ivar(hm(0, c)), T.num(1))));
  }
  const mid: HybridMid[] = [];
  for (let g = 1; g <= k; g++) {
    reach = round(ctx, g, reach, canon[g] as number[], g < k);
    if (g < k) {
      const here = new Set(reach);
      mid.push({ classes: reach, canon: canon[g] as number[], cnt: (c) => (here.has(c) ? T.ivar(hn(g, c)) : T.num(0)), fcnt: (c) => (here.has(c) ? T.ivar(hm(g, c)) : T.num(0)) });
    }
  }
  const last = new Set(reach);
  for (const c of last) if (!classes.includes(c)) throw new Error('invariant: an end-of-phase class is not a state class');
  return {
    cnt: (c) => (last.has(c) ? T.ivar(hn(k, c)) : T.num(0)),
    fcnt: (c) => (last.has(c) ? T.ivar(hm(k, c)) : T.num(0)),
    last,
    leaderFaulty: ctx.leader?.faulty ?? null,
    mid,
  };
}

/** A boundary inside the phase: its classes (canon: state -> representative), the correct and omission-faulty counts. */
export interface HybridMid {
  classes: number[];
  canon: readonly number[];
  cnt: (c: number) => T.ITerm;
  fcnt: (c: number) => T.ITerm;
}

/**
 * The correct leader's class at boundary g: one Boolean per class, exactly
 * one true iff the leader is correct; for an omission protocol with leaders
 * also the faulty leader's (l.fat[g]): exactly one true iff it is faulty.
 */
function trackLeader(ctx: Ctx, g: number, classes: readonly number[]): Map<number, T.BTerm> {
  const l = ctx.leader;
  if (l === null) throw new Error('invariant: no leader to track');
  const at = new Map(classes.map((c) => [c, ctx.q.bool(`hat${g}_${c}`)] as const));
  ctx.q.assert(T.eq(T.add(...[...at.values()].map(T.b2i)), T.sub(T.num(1), T.b2i(l.faulty))));
  l.at[g] = at;
  if (l.fat !== null) {
    const fat = new Map(classes.map((c) => [c, ctx.q.bool(`hfat${g}_${c}`)] as const));
    ctx.q.assert(T.eq(T.add(...[...fat.values()].map(T.b2i)), T.b2i(l.faulty)));
    l.fat[g] = fat;
  }
  return at;
}

interface HFlow {
  src: number;
  dst: number;
  x: T.ITerm;
  xf: T.ITerm;
}

/** Round g from boundary g - 1 (classes `prev`) to boundary g; returns the classes reached (track: follow the correct leader to boundary g). */
function round(ctx: Ctx, g: number, prev: number[], canonNext: readonly number[], track: boolean): number[] {
  const { protocol, space, q, params } = ctx;
  const pos = position(protocol, g);
  const types = roundTypes(protocol, pos.index);
  const sends = protocol.rounds[pos.index]?.sends ?? [];
  const sure = new Map<string, T.ITerm>();
  const maybe = new Map<string, T.ITerm>();
  const named = (name: string, term: T.ITerm): T.ITerm => {
    if (term.k === 'num') return term;
    q.assert(T.eq(q.int(name), term));
    return T.ivar(name);
  };
  for (const [j, send] of sends.entries()) {
    const decl = types[j];
    if (decl === undefined) throw new Error('invariant: a send without its declaration');
    const mi = protocol.messages.indexOf(decl);
    for (const p of domainOf(protocol.values, decl.payload)) {
      const sendsP = (s: number): T.BTerm => sendsPayload(protocol, space, pos, params, send, p, s);
      if (decl.leader) {
        // a correct leader's message reaches everybody; a faulty leader's is the Byzantine-like budget below
        const l = ctx.leader;
        const at = l?.at[g - 1];
        if (l === null || at === undefined) throw new Error('invariant: an untracked leader');
        sure.set(`${decl.name}/${valTag(p)}`, named(`hc${g}_m${mi}_${valTag(p)}`, T.b2i(T.and(T.not(l.faulty), T.or(...prev.map((s) => T.and(at.get(s) as T.BTerm, sendsP(s))))))));
        // an omission protocol: the faulty leader is omission-faulty, its message (that of its state) may be withheld per receiver
        const fat = l.fat?.[g - 1];
        if (fat !== undefined) maybe.set(`${decl.name}/${valTag(p)}`, named(`he${g}_m${mi}_${valTag(p)}`, T.b2i(T.and(l.faulty, T.or(...prev.map((s) => T.and(fat.get(s) as T.BTerm, sendsP(s))))))));
        continue;
      }
      const sum = (name: (s: number) => string): T.ITerm => T.add(...prev.map((s) => T.ite(sendsP(s), T.ivar(name(s)), T.num(0))));
      sure.set(`${decl.name}/${valTag(p)}`, named(`hc${g}_m${mi}_${valTag(p)}`, sum((s) => hn(g - 1, s))));
      maybe.set(`${decl.name}/${valTag(p)}`, named(`he${g}_m${mi}_${valTag(p)}`, sum((s) => hm(g - 1, s))));
    }
  }
  const correct = (m: string, p: Val): T.ITerm => sure.get(`${m}/${valTag(p)}`) ?? T.num(0);
  const faultyBound = (m: string, p: Val): T.ITerm => maybe.get(`${m}/${valTag(p)}`) ?? T.num(0);
  // what Byzantine senders add per receiver and type: fb, or for a leader message 1 if the leader is faulty (else 0);
  // an omission protocol's faulty leader is no Byzantine sender (its message is `maybe` above): 0
  const budget = (m: string): T.ITerm => (types.find((x) => x.name === m)?.leader === true ? (ctx.leader?.fat != null ? T.num(0) : T.b2i(ctx.leader?.faulty ?? T.FALSE)) : params.f);
  const rules = protocol.rounds[pos.index]?.rules ?? [];
  const payloads = (m: string): Val[] => {
    const d = types.find((x) => x.name === m);
    if (d === undefined) throw new Error(`invariant: ${m} is not sent in this round`);
    return domainOf(protocol.values, d.payload);
  };
  const shared = new Map<string, T.BTerm>();
  const flows: HFlow[] = [];
  for (const s of prev) {
    const st = space.state(s);
    for (const j of [...rules.map((_, i) => i), null]) {
      const probe = outcome(ctx, pos, payloads, canonNext, st, rules, j, placeholders(protocol, correct, 'probe').recv);
      if (probe.fire.k === 'bool' && !probe.fire.v) continue;
      for (const [d, dcond] of probe.dsts) {
        const pcond = T.and(probe.fire, dcond);
        if (pcond.k === 'bool' && !pcond.v) continue;
        const key = T.printB(pcond);
        let act = shared.get(key);
        if (act === undefined) {
          const w = shared.size;
          const rec = placeholders(protocol, correct, `hw${g}_${w}`);
          const o = outcome(ctx, pos, payloads, canonNext, st, rules, j, rec.recv);
          const cond = eliminate(ctx, T.and(o.fire, o.dsts.get(d) ?? T.FALSE), rec.used, faultyBound, budget, `${g}_${w}`);
          act = cond.k === 'bool' ? cond : q.bool(`ha${g}_${w}`);
          if (act.k !== 'bool') q.assert(T.implies(act, cond));
          shared.set(key, act);
        }
        const x = q.intIn(`hx${g}_${flows.length}`, 0);
        const xf = q.intIn(`hxf${g}_${flows.length}`, 0);
        q.assert(T.implies(T.ge(x, T.num(1)), act));
        q.assert(T.implies(T.ge(xf, T.num(1)), act));
        flows.push({ src: s, dst: d, x, xf });
      }
    }
  }
  const next = [...new Set(flows.map((f) => f.dst))].sort((a, b) => a - b);
  for (const s of next) {
    q.intIn(hn(g, s), 0);
    q.intIn(hm(g, s), 0);
  }
  for (const s of prev) {
    const out = flows.filter((f) => f.src === s);
    q.assert(T.eq(T.ivar(hn(g - 1, s)), T.add(...out.map((f) => f.x))));
    q.assert(T.eq(T.ivar(hm(g - 1, s)), T.add(...out.map((f) => f.xf))));
  }
  for (const s of next) {
    const into = flows.filter((f) => f.dst === s);
    q.assert(T.eq(T.ivar(hn(g, s)), T.add(...into.map((f) => f.x))));
    q.assert(T.eq(T.ivar(hm(g, s)), T.add(...into.map((f) => f.xf))));
  }
  const before = ctx.leader?.at[g - 1];
  if (track && ctx.leader !== null && before !== undefined) {
    // the correct leader moves along a flow that carries at least one correct process
    const after = trackLeader(ctx, g, next);
    for (const s of prev) {
      for (const d of next) {
        const cap = flows.filter((f) => f.src === s && f.dst === d).map((f) => f.x);
        const move = T.and(before.get(s) as T.BTerm, after.get(d) as T.BTerm);
        q.assert(cap.length === 0 ? T.not(move) : T.implies(move, T.ge(T.add(...cap), T.num(1))));
      }
    }
    // the omission-faulty leader likewise, along flows that carry an omission-faulty process
    const fb0 = ctx.leader.fat?.[g - 1];
    const fa1 = ctx.leader.fat?.[g];
    if (fb0 !== undefined && fa1 !== undefined) {
      for (const s of prev) {
        for (const d of next) {
          const cap = flows.filter((f) => f.src === s && f.dst === d).map((f) => f.xf);
          const move = T.and(fb0.get(s) as T.BTerm, fa1.get(d) as T.BTerm);
          q.assert(cap.length === 0 ? T.not(move) : T.implies(move, T.ge(T.add(...cap), T.num(1))));
        }
      }
    }
  }
  return next;
}

type Recv = (m: string, p: Val) => T.ITerm;

/** recv(m, p) = correct(m, p) + a placeholder for the faulty part, named on first use. */
function placeholders(protocol: Protocol, correct: Recv, prefix: string): { recv: Recv; used: Map<string, Map<Val, string>> } {
  const used = new Map<string, Map<Val, string>>();
  const recv: Recv = (m, p) => {
    let per = used.get(m);
    if (per === undefined) used.set(m, (per = new Map()));
    let name = per.get(p);
    if (name === undefined) {
      name = `${prefix}_m${protocol.messages.findIndex((d) => d.name === m)}_${valTag(p)}`;
      per.set(p, name);
    }
    return T.add(correct(m, p), T.ivar(name));
  };
  return { recv, used };
}

/** Which rule fires (j; null: none) and the destinations with their conditions (as ../counter/flows.ts `outcome`). */
function outcome(ctx: Ctx, pos: ReturnType<typeof position>, payloads: (m: string) => Val[], canonNext: readonly number[], s: LocalState, rules: Rule[], j: number | null, recv: Recv): { fire: T.BTerm; dsts: Map<number, T.BTerm> } {
  const e: CEnv = { state: s, phase: pos.phase, params: ctx.params, values: ctx.protocol.values, recv, payloads };
  const earlier = rules.slice(0, j ?? rules.length).map((r) => T.not(boolOf(r.guard, e)));
  const rule = j === null ? null : rules[j];
  const fire = rule ? T.and(boolOf(rule.guard, e), ...earlier) : T.and(...earlier);
  const choices = new Map<string, [Val, T.BTerm][]>();
  for (const a of rule?.actions ?? []) {
    if (a.kind === 'assign') choices.set(a.name, toCases(cEval(a.value, e)));
    else if (s[DECIDED] === null) choices.set(DECIDED, toCases(cEval(a.value, e)));
  }
  let partial: [LocalState, T.BTerm][] = [[{ ...s }, T.TRUE]];
  for (const [name, cases] of choices) {
    const next: [LocalState, T.BTerm][] = [];
    for (const [st, c] of partial) {
      for (const [v, cv] of cases) {
        const both = T.and(c, cv);
        if (both.k === 'bool' && !both.v) continue;
        next.push([{ ...st, [name]: v }, both]);
      }
    }
    partial = next;
  }
  const dsts = new Map<number, T.BTerm>();
  for (const [st, c] of partial) {
    const d = canonNext[ctx.space.indexOf(st)] as number;
    dsts.set(d, T.or(dsts.get(d) ?? T.FALSE, c));
  }
  return { fire, dsts };
}

/** Replaces each placeholder by the omission-faulty and Byzantine parts (see the header); declares what is left. */
function eliminate(ctx: Ctx, cond0: T.BTerm, used: Map<string, Map<Val, string>>, faultyBound: (m: string, p: Val) => T.ITerm, budget: (m: string) => T.ITerm, tag: string): T.BTerm {
  const { q, protocol } = ctx;
  const subst = new Map<string, T.ITerm>();
  for (const [m, per] of used) {
    const fb = budget(m);
    const mi = protocol.messages.findIndex((d) => d.name === m);
    const live: { p: Val; name: string; up: boolean }[] = [];
    for (const [p, name] of per) {
      const pol = T.polarity(cond0, name);
      if (pol.down) subst.set(name, T.num(0));
      else live.push({ p, name, up: pol.up });
    }
    const fill = live.find((x) => x.up) ?? null;
    const others = live.filter((x) => x !== fill).map((x) => ({ ...x, bz: q.intIn(`hbz${tag}_m${mi}_${valTag(x.p)}`, 0) }));
    const rest = T.add(...others.map((x) => x.bz));
    if (others.length > 0) q.assert(T.le(rest, fb));
    const omOf = (x: { p: Val; up: boolean }): T.ITerm => {
      const F = faultyBound(m, x.p);
      if (x.up) return F;
      const om = q.intIn(`hom${tag}_m${mi}_${valTag(x.p)}`, 0);
      q.assert(T.le(om, F));
      return om;
    };
    if (fill !== null) subst.set(fill.name, T.add(omOf(fill), T.sub(fb, rest)));
    for (const x of others) subst.set(x.name, T.add(omOf(x), x.bz));
  }
  return T.substB(cond0, subst);
}
