// Crash and omission faults in the invariant system (docs/semantics.md
// sections 1.7, 1.8 and 3.6), in the protocol's own fault model rather than
// the Byzantine one that includes it.
//
// State, besides ./system.ts's: per state class the number of ALIVE faulty
// processes in it (faulty processes follow the protocol; crashed ones are
// gone: their state is null), and two ghosts:
// - c, the crashes so far (crash faults; 0 under omission): 0 <= c <= f,
//   and the alive faulty processes number f - c (f under omission);
// - clean in {0, 1}: 1 once some round so far had no new fault (crash: no
//   process crashed in it, exactly; omission: the round's outcome is one of
//   a round without withheld messages, the counter encoding's clean-round
//   Boolean, which a really clean round can always take).
// Transition: one phase of the counter encoding from a havoc start of both
// the correct and the alive faulty processes (../counter/encode.ts,
// faultyAlive), c' = c + the crashes of its rounds, clean' = clean or one of
// its rounds is clean. Under `assume clean round within R` the transition
// also demands clean' once p * k >= R rounds are over (a run breaking the
// assumption is not a run; a run keeping it has its clean round among those
// rounds, so its ghost is 1 there). Every run's phase boundaries, with the
// true ghosts, are therefore a path of the system, as for Byzantine faults.
//
// Refused (unknown, with the reason): fault bounds other than t, leader
// messages under crash faults, and under omission faults together with a
// schedule assumption, a clean-round bound that mentions n.
//
// Omission protocols with leader messages (bound t, no assumption) are the
// hybrid model with no Byzantine process and omission bound t: their
// system is the hybrid one below (kind 'hybrid', omissionLeaders), with
// f = 0 and fo in 0..t, and the faulty leader an omission-faulty process
// followed through the phase (./hybrid.ts).
//
// Hybrid faults (Byzantine and omission in one run) reuse this state part:
// the faulty counts are the omission-faulty processes (fo of them, all
// alive; c = 0 and no clean ghost), the Byzantine ones are the state's f,
// and one phase is encoded by ./hybrid.ts. A bound below one round
// (e.g. `within t` at t = 0) demands nothing here: the system keeps more
// runs than the assumption, which is the sound direction.

import { evalParamInt } from '../../ir/eval';
import { boundIsT } from '../../ir/faults';
import { mentions } from '../../ir/mentions';
import { type Protocol, unreachable } from '../../ir/types';
import * as T from '../term';
import type { LocalState } from '../../trace/model';
import type { CoreEncoding } from '../counter/encode';
import { cntFName, crashesIn } from '../counter/encode-faults';
import { sendsPayload } from '../counter/canon';
import { payloadsOf } from '../counter/flows';
import { position, roundTypes, type StateSpace } from '../space';
import { HYB_FO, HYB_O, hybridProblem, type HybridView, omissionLeaders } from './hybrid';

export interface FaultSys {
  /** hybrid: Byzantine and omission faults in one run (./hybrid.ts); the faulty processes counted here are the omission-faulty ones */
  kind: 'crash' | 'omission' | 'hybrid';
  /** `assume clean round within R`: R(t) = base + slope * t rounds (null: no assumption) */
  cleanWithin: { base: number; slope: number } | null;
  /** an omission protocol with leader messages, read as hybrid with fb = 0 and o = t (./hybrid.ts omissionLeaders) */
  omissionLeaders?: true;
}

/** The fault part of a state (null in a Byzantine system). */
export interface FaultView {
  /** crashes so far (0 under omission) */
  c: T.ITerm;
  /** 1 once a clean round happened, else 0 */
  clean: T.ITerm;
  /** alive faulty processes per class */
  fcnt: (c: number) => T.ITerm;
  /** hybrid: o and the omission-faulty count fo (the Byzantine count is the state's f); null otherwise */
  hy: HybridView | null;
}

export const INV_C = 'inv_c';
export const INV_CLEAN = 'inv_clean';
export const preFName = (c: number): string => `sf_${c}`;

/** Why the system cannot model this protocol's faults (null: it can). */
export function faultProblem(protocol: Protocol): string | null {
  const kind = protocol.faults.kind;
  if (kind === 'byzantine') return null;
  if (kind === 'hybrid') return hybridProblem(protocol);
  if (!boundIsT(protocol.faults)) return `the invariant engine models ${kind} faults up to t only, not another bound`;
  if (protocol.messages.some((m) => m.leader)) {
    // omission: read as the hybrid model with fb = 0 (./hybrid.ts), which has no clean-round ghost
    if (kind !== 'omission') return `the invariant engine does not model leader messages under ${kind} faults`;
    if (protocol.assumptions.length > 0) return 'the invariant engine does not model leader messages under omission faults with a schedule assumption';
  }
  for (const a of protocol.assumptions) {
    switch (a.kind) {
      case 'clean-round': {
        if (mentions(a.within, 'n')) return 'the clean-round bound mentions n';
        // linear in t by the language; checked on a few t all the same (a line fitted to t = 0, 1 is what the system uses)
        const base = evalParamInt(a.within, 1, 0);
        const slope = evalParamInt(a.within, 2, 1) - base;
        if ([2, 3, 4, 5, 8].some((t) => evalParamInt(a.within, t + 1, t) !== base + slope * t)) return 'the clean-round bound is not linear in t';
        break;
      }
      default:
        return unreachable(a.kind);
    }
  }
  if (protocol.assumptions.length > 1) return 'the invariant engine takes at most one clean-round assumption';
  return null;
}

/** The fault part of the system (null: Byzantine). */
export function faultSystem(protocol: Protocol): FaultSys | null {
  const kind = protocol.faults.kind;
  if (kind === 'byzantine') return null;
  const why = faultProblem(protocol);
  if (why !== null) throw new Error(`invariant: ${why}`);
  if (kind === 'hybrid') return { kind, cleanWithin: null };
  if (omissionLeaders(protocol)) return { kind: 'hybrid', cleanWithin: null, omissionLeaders: true };
  const a = protocol.assumptions[0];
  if (a === undefined) return { kind, cleanWithin: null };
  // linear in t by the language (as the round bounds: ./system.ts phaseBound)
  const base = evalParamInt(a.within, 1, 0);
  return { kind, cleanWithin: { base, slope: evalParamInt(a.within, 2, 1) - base } };
}

/** R(t) of the assumption as a term. */
export const cleanBound = (fs: FaultSys, t: T.ITerm): T.ITerm | null => (fs.cleanWithin === null ? null : T.add(T.num(fs.cleanWithin.base), T.scale(fs.cleanWithin.slope, t)));

/** The symbolic pre-state's fault part (constants declared). */
export function declarePreFaults(fs: FaultSys, q: T.Query, classes: readonly number[], hy: HybridView | null): FaultView {
  const c = fs.kind === 'crash' ? q.int(INV_C) : T.num(0);
  // hybrid: no clean-round ghost (a hybrid file assumes no clean round, and Byzantine faults are not observable events)
  const clean = fs.kind === 'hybrid' ? T.num(0) : q.int(INV_CLEAN);
  for (const k of classes) q.int(preFName(k));
  return { c, clean, fcnt: (k) => T.ivar(preFName(k)), hy };
}

/** The symbolic pre-state's fault part by name only (for printing conjuncts). */
export function namedFaults(fs: FaultSys): FaultView {
  const hy = fs.kind === 'hybrid' ? { o: T.ivar(fs.omissionLeaders === true ? 't' : HYB_O), fo: T.ivar(HYB_FO) } : null;
  return { c: fs.kind === 'crash' ? T.ivar(INV_C) : T.num(0), clean: fs.kind === 'hybrid' ? T.num(0) : T.ivar(INV_CLEAN), fcnt: (k) => T.ivar(preFName(k)), hy };
}

/** The initial fault part: f faulty processes (hybrid: fo omission-faulty ones) with any inputs, no crash, no clean round yet. */
export function declareInitFaults(q: T.Query, f: T.ITerm, values: readonly number[], initClass: readonly number[], hy: HybridView | null = null): FaultView {
  const fins = values.map((v) => q.intIn(`fin${v}`, 0));
  q.assert(T.eq(T.add(...fins), hy === null ? f : hy.fo));
  return { c: T.num(0), clean: T.num(0), fcnt: (k) => T.add(...fins.filter((_, v) => initClass[v] === k)), hy };
}

/**
 * The fault part of the transition: links the alive faulty counts of the
 * pre-state to boundary 0 of `enc` (class d of the system lies in the
 * boundary-0 class c0[d]), the ghosts' successors, the assumption.
 */
export function assertFaultTransition(fs: FaultSys, q: T.Query, enc: CoreEncoding, k: number, pre: { p: T.ITerm; t: T.ITerm; fl: FaultView }, classes: readonly number[]): FaultView {
  const c0 = enc.canon[0] as number[];
  for (const c of enc.reach[0] as number[]) q.assert(T.eq(T.ivar(cntFName(0, c)), T.add(...classes.filter((d) => c0[d] === c).map((d) => pre.fl.fcnt(d)))));
  const last = new Set(enc.reach[k] as number[]);
  const fp = enc.faulty;
  if (fp === null) throw new Error('invariant: a fault system without the encoding of its faults');
  const rounds = Array.from({ length: k }, (_, i) => i + 1);
  let c1: T.ITerm = T.num(0);
  let cleanRound: T.BTerm;
  switch (fs.kind) {
    case 'crash':
      c1 = q.int('inv_c1');
      q.assert(T.eq(c1, T.add(pre.fl.c, ...rounds.map((g) => crashesIn(fp, g)))));
      cleanRound = T.or(...rounds.map((g) => T.eq(crashesIn(fp, g), T.num(0))));
      break;
    case 'omission':
      cleanRound = T.or(...rounds.map((g) => omissionClean(q, enc, g)));
      break;
    case 'hybrid':
      throw new Error('invariant: a hybrid phase is encoded by ./hybrid.ts');
    default:
      return unreachable(fs.kind);
  }
  const clean1 = q.int('inv_clean1');
  q.assert(T.eq(clean1, T.ite(T.or(T.eq(pre.fl.clean, T.num(1)), cleanRound), T.num(1), T.num(0))));
  const R = cleanBound(fs, pre.t);
  // after phase p, p * k rounds are over; a bound below one round is left alone (no round to be clean: not assumed here)
  if (R !== null) q.assert(T.implies(T.and(T.ge(R, T.num(1)), T.ge(T.scale(k, pre.p), R)), T.eq(clean1, T.num(1))));
  return { c: c1, clean: clean1, fcnt: (c) => (last.has(c) ? T.ivar(cntFName(k, c)) : T.num(0)), hy: null };
}

/**
 * Omission: a Boolean that, when true, makes round g's outcome one without
 * withheld messages (every used flow meets its condition with every faulty
 * message delivered; as ../counter/encode-faults.ts cleanAt).
 */
function omissionClean(q: T.Query, enc: CoreEncoding, g: number): T.BTerm {
  const fp = enc.faulty;
  if (fp === null) throw new Error('invariant: no faults encoded');
  const name = `inv_cleanr${g}`;
  const b = q.bool(name);
  for (const fl of enc.flows[g] ?? []) {
    const full = fl.full;
    if (full === null) throw new Error('invariant: a flow without its full-delivery condition');
    if (full.k === 'bool' && full.v) continue;
    const xf = fp.x[g]?.get(fl.id);
    const used = T.ge(T.add(fl.x === '' ? T.num(0) : T.ivar(fl.x), xf === undefined ? T.num(0) : T.ivar(xf)), T.num(1));
    q.assert(T.implies(b, T.implies(used, full)));
  }
  return b;
}

/**
 * The classes grouped by what their states send in the first round of a
 * phase (per message and payload, the condition as a term over the phase
 * and the parameters): processes of one group send alike. Empty when a
 * class's states send differently (then there is no such template).
 */
export function sendGroups(protocol: Protocol, space: StateSpace, classOf: readonly number[], classes: readonly number[], params: { n: T.ITerm; t: T.ITerm; f: T.ITerm; phaseBase: T.ITerm }): number[][] {
  const pos = position(protocol, 1);
  const sends = protocol.rounds[0]?.sends ?? [];
  const types = roundTypes(protocol, 0);
  const key = (s: number): string =>
    JSON.stringify(sends.map((send, k) => payloadsOf({ protocol, pos }, (types[k] as { name: string }).name).map((p) => T.printB(T.normB(sendsPayload(protocol, space, pos, params, send, p, s))))));
  const keys = space.states.map((_: LocalState, s) => key(s));
  if (keys.some((k, s) => k !== keys[classOf[s] as number])) return [];
  const byKey = new Map<string, number[]>();
  for (const c of classes) byKey.set(keys[c] as string, [...(byKey.get(keys[c] as string) ?? []), c]);
  return [...byKey.values()];
}
