// Crash and omission faults in the counter encoding (docs/semantics.md
// sections 1.7, 1.8). The faulty processes follow the protocol, so they are
// counted like the correct ones, in counters of their own: m[g][s] faulty
// processes (alive, for crash) in class s at boundary g, fin[v] faulty ones
// with input v (sum f). Each flow of the round (./flows.ts) gets a second
// count xf for its faulty processes; they receive like correct ones (the
// same flow condition, the same witness: `xf >= 1 -> act`).
//
// Receptions. A receiver gets every message of the correct senders, and of
// the faulty senders' messages of (type, payload):
// - omission: any number 0 .. F(m, p), F the faulty senders of it this round;
// - crash: every message of the faulty senders that do not crash this round,
//   and 0 .. Z(m, p) of those that crash in it; z[g][s] <= m[g-1][s] crash in
//   round g, send (partially), take no step and are gone from boundary g on.
// The choice is per receiver and, per payload, independent (different
// senders), so the flow witness is bounded per payload (./witness-bounds.ts);
// one witness per flow is exact for the same reason as for Byzantine faults.
//
// Clean round within R (section 1.8): a Boolean clean[g] per round 1 .. R,
// at least one true, when 1 <= R <= rounds (a shorter run can still be
// extended by a clean round; R < 1 constrains nothing); crash: no crash in round g;
// omission: every non-empty flow of round g meets its condition with every
// faulty message delivered (Flow.full).
//
// Leaders are processes of their own: ./encode-fault-leaders.ts.

import { evalParamInt } from '../../ir/eval';
import { unreachable } from '../../ir/types';
import * as T from '../term';
import { position, roundTypes, valTag } from '../space';
import { sendsPayload } from './canon';
import { cntName } from './encode';
import { cnt, type CoreContext } from './encode-ends';
import { payloadsOf, roundFlows } from './flows';
import { encodeFaultLeaders, leaderSends, moveFaultLeaders, trackFaultLeaders } from './encode-fault-leaders';

export interface FaultPart {
  kind: 'crash' | 'omission';
  /** fin variable per input value (faulty processes' inputs) */
  inputs: string[];
  /** per round g (index g), per flow id, its faulty count variable */
  x: Map<number, string>[];
  /** crash: per round g (index g), per class at boundary g - 1, the variable counting who crash in round g */
  crash: Map<number, string>[];
  /** per round 1 .. R (index g) of a clean-round assumption, its Boolean */
  clean: Map<number, string>;
  /** crash: per tracked leader id, its alive Boolean per boundary (./encode-fault-leaders.ts) */
  alive: Map<number, string[]>;
}

export const cntFName = (g: number, s: number): string => `m${g}_${s}`;
export const cntF = (g: number, s: number): T.ITerm => T.ivar(cntFName(g, s));

function part(ctx: CoreContext): FaultPart {
  if (ctx.faulty === null) throw new Error('counter: no crash or omission faults in this encoding');
  return ctx.faulty;
}

/** Boundary 0: f faulty processes with inputs, in the initial classes (reach[0] is already set by encodeStart). */
export function encodeFaultStart(ctx: CoreContext, initialOf: readonly number[]): void {
  const { q, params, reach } = ctx;
  const fp = part(ctx);
  fp.inputs = initialOf.map((_, v) => `fin${v}`);
  const terms = fp.inputs.map((name) => q.intIn(name, 0));
  q.assert(T.eq(T.add(...terms), params.f));
  for (const s of reach[0] as number[]) {
    q.intIn(cntFName(0, s), 0);
    q.assert(T.eq(cntF(0, s), T.add(...terms.filter((_, v) => initialOf[v] === s))));
  }
  encodeFaultLeaders(ctx, fp);
  trackFaultLeaders(ctx, fp, 0);
}

/** Round g under crash or omission faults, from boundary g - 1 to boundary g. */
export function encodeFaultRound(ctx: CoreContext, g: number): void {
  const { protocol, space, q, params, canon, reach, flows } = ctx;
  const fp = part(ctx);
  const crash = fp.kind === 'crash';
  const pos = position(protocol, g);
  const prev = reach[g - 1] as number[];
  const types = roundTypes(protocol, pos.index);
  const sends = protocol.rounds[pos.index]?.sends ?? [];
  const leader = ctx.leaders.find((l) => l.id === ctx.setup.leaderOf(pos.phase));
  const zs = new Map<number, string>();
  fp.crash[g] = zs;
  if (crash) {
    for (const s of prev) {
      const z = q.intIn(`z${g}_${s}`, 0);
      zs.set(s, `z${g}_${s}`);
      q.assert(T.le(z, cntF(g - 1, s)));
    }
  }
  const zOf = (s: number): T.ITerm => (zs.has(s) ? T.ivar(zs.get(s) as string) : T.num(0));
  const sure = new Map<string, T.ITerm>(); // every receiver gets these
  const maybe = new Map<string, T.ITerm>(); // each receiver gets 0 .. this many of these
  const named = (name: string, term: T.ITerm): T.ITerm => {
    if (term.k === 'num') return term;
    q.assert(T.eq(q.int(name), term));
    return T.ivar(name);
  };
  for (const [k, send] of sends.entries()) {
    const decl = types[k];
    if (decl === undefined) throw new Error('counter: send without declaration');
    const mi = protocol.messages.indexOf(decl);
    for (const p of payloadsOf({ protocol, pos }, decl.name)) {
      const sendsP = (s: number): T.BTerm => sendsPayload(protocol, space, pos, params, send, p, s);
      const sum = (c: (s: number) => T.ITerm): T.ITerm => T.add(...prev.map((s) => T.ite(sendsP(s), c(s), T.num(0))));
      const key = `${decl.name}/${valTag(p)}`;
      if (decl.leader) {
        if (leader === undefined) throw new Error('counter: untracked leader');
        const l = leaderSends(fp, leader, g, prev, sendsP);
        sure.set(key, named(`c${g}_m${mi}_${valTag(p)}`, l.sure));
        maybe.set(key, named(`e${g}_m${mi}_${valTag(p)}`, l.maybe));
        continue;
      }
      const stay = crash ? sum((s) => T.sub(cntF(g - 1, s), zOf(s))) : T.num(0);
      sure.set(key, named(`c${g}_m${mi}_${valTag(p)}`, T.add(sum((s) => cnt(g - 1, s)), stay)));
      maybe.set(key, named(`e${g}_m${mi}_${valTag(p)}`, crash ? sum(zOf) : sum((s) => cntF(g - 1, s))));
    }
  }
  const fs = roundFlows(
    {
      protocol, space, q, pos, params,
      canon: canon[g] as number[],
      correct: (m, p) => sure.get(`${m}/${valTag(p)}`) ?? T.num(0),
      byzBound: () => T.num(0),
      payloadBound: (m, p) => maybe.get(`${m}/${valTag(p)}`) ?? T.num(0),
    },
    prev,
  );
  flows.push(fs);
  const xs = new Map<number, string>();
  fp.x[g] = xs;
  for (const fl of fs) {
    const name = `xf${fl.x.slice(1)}`;
    const x = q.intIn(name, 0);
    xs.set(fl.id, name);
    q.assert(T.implies(T.ge(x, T.num(1)), fl.act));
  }
  const xf = (id: number): T.ITerm => T.ivar(xs.get(id) as string);
  const next = [...new Set(fs.map((f) => f.dst))].sort((a, b) => a - b);
  reach.push(next);
  for (const s of next) {
    q.intIn(cntName(g, s), 0);
    q.intIn(cntFName(g, s), 0);
  }
  trackFaultLeaders(ctx, fp, g);
  moveFaultLeaders(ctx, fp, g, fs, zOf);
  for (const s of prev) {
    const out = fs.filter((f) => f.src === s);
    q.assert(T.eq(cnt(g - 1, s), T.add(...out.map((f) => T.ivar(f.x)))));
    q.assert(T.eq(cntF(g - 1, s), T.add(zOf(s), ...out.map((f) => xf(f.id)))));
  }
  for (const s of next) {
    const into = fs.filter((f) => f.dst === s);
    q.assert(T.eq(cnt(g, s), T.add(...into.map((f) => T.ivar(f.x)))));
    q.assert(T.eq(cntF(g, s), T.add(...into.map((f) => xf(f.id)))));
  }
}

/** The schedule assumptions (section 1.8): each clean-round assumption with 1 <= R <= rounds holds in some round 1 .. R. */
export function encodeAssumptions(ctx: CoreContext): void {
  const { protocol, q, params } = ctx;
  if (protocol.assumptions.length === 0) return;
  const fp = part(ctx);
  if (!T.isNum(params.n) || !T.isNum(params.t)) throw new Error('counter: schedule assumptions need concrete n and t');
  const n = params.n.v;
  const t = params.t.v;
  for (const a of protocol.assumptions) {
    switch (a.kind) {
      case 'clean-round': {
        // a run shorter than R rounds can still be extended by a clean round, and R < 1 constrains nothing (section 1.8)
        const within = evalParamInt(a.within, n, t);
        if (within < 1 || within > ctx.setup.rounds) break;
        const some: T.BTerm[] = [];
        for (let g = 1; g <= within; g++) some.push(cleanAt(ctx, fp, g));
        q.assert(T.or(...some));
        break;
      }
      default:
        unreachable(a.kind);
    }
  }
}

function cleanAt(ctx: CoreContext, fp: FaultPart, g: number): T.BTerm {
  const known = fp.clean.get(g);
  if (known !== undefined) return T.bvar(known);
  const { q } = ctx;
  const name = `clean${g}`;
  const b = q.bool(name);
  fp.clean.set(g, name);
  if (fp.kind === 'crash') {
    q.assert(T.implies(b, T.eq(T.add(...[...(fp.crash[g] ?? new Map<number, string>()).values()].map(T.ivar)), T.num(0))));
    return b;
  }
  for (const fl of ctx.flows[g] ?? []) {
    const full = fl.full;
    if (full === null) throw new Error('counter: a flow without its full-delivery condition');
    if (full.k === 'bool' && full.v) continue;
    const used = T.ge(T.add(T.ivar(fl.x), T.ivar(fp.x[g]?.get(fl.id) as string)), T.num(1));
    q.assert(T.implies(b, T.implies(used, full)));
  }
  return b;
}

/**
 * Boundary 0 of a havoc start under crash or omission faults (only for the
 * invariant engine, ../invariant/system.ts): `alive` faulty processes (the
 * caller's term, e.g. f minus the crashes so far) in any classes of
 * boundary 0 (reach[0] is already every class: encodeStart with havoc), no
 * inputs. Leaders are not tracked here: protocols with leader messages are
 * refused by the caller. Schedule assumptions are the caller's too.
 */
export function encodeFaultHavoc(ctx: CoreContext, alive: T.ITerm): void {
  const { q, reach, protocol } = ctx;
  if (protocol.messages.some((m) => m.leader)) throw new Error(`counter: a havoc start with leader messages under ${part(ctx).kind} faults is not modelled`);
  for (const s of reach[0] as number[]) q.intIn(cntFName(0, s), 0);
  q.assert(T.eq(T.add(...(reach[0] as number[]).map((s) => cntF(0, s))), alive));
}

/** Crash faults: the number of processes that crash in round g (the sum of its z counts). */
export function crashesIn(fp: FaultPart, g: number): T.ITerm {
  return T.add(...[...(fp.crash[g] ?? new Map<number, string>()).values()].map(T.ivar));
}

/** A Boolean that, when true, makes round g clean (section 1.8; omission: its outcome is one without withheld messages). */
export function roundClean(ctx: CoreContext, g: number): T.BTerm {
  return cleanAt(ctx, part(ctx), g);
}
