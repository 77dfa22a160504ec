// `if G then eventually S within W` in the invariant engine (docs/semantics.md
// 2.5 and 3.6): the system runs the P_W = W / k phases of the bound and
// keeps two ghosts that no transition can lie about:
// - g in {0, 1}: G held at boundary 0 (fixed by Init, unchanged by every
//   phase);
// - seen in {0, 1}: S held at some phase boundary so far (Init: S at
//   boundary 0; a phase: seen' = seen or S at its end).
// The violation is p = P_W + 1 (the W rounds are over), g = 1 and seen = 0.
// Only phase boundaries are states of the system, so seen = 0 does not rule
// out S at a round boundary inside a phase: the system has more violations
// than the runs (the sound direction), and none when k = 1. W must be a
// whole number of phases for every t (k divides W's base and its growth per
// t) and must not mention n; anything else is refused with the reason.
// Scopes are read as for `always` (./system.ts countView): `followers`
// counts the alive faulty processes too.

import { evalParamInt } from '../../ir/eval';
import { mentions } from '../../ir/mentions';
import { type Protocol, type StateFormula, unreachable, type UserProperty } from '../../ir/types';
import { formulaHoldsOn, type RunContext } from '../../sim/user-properties';
import type { LocalState, Trace } from '../../trace/model';
import * as T from '../term';
import type { CountView } from './user';
import { stateAt } from './user';
import { linearTO } from './hybrid';

export const INV_G = 'inv_g';
export const INV_SEEN = 'inv_seen';

/** The ghosts of a state (null: not an `eventually` system). */
export interface EvView {
  g: T.ITerm;
  seen: T.ITerm;
}

export interface Eventually {
  given: StateFormula;
  goal: StateFormula;
}

/** The formula's parts when the property is an `eventually` one. */
export function eventuallyOf(u: UserProperty | null): Eventually | null {
  if (u === null) return null;
  const f = u.formula;
  switch (f.kind) {
    case 'always':
      return null;
    case 'eventually':
      return { given: f.given, goal: f.goal };
    default:
      return unreachable(f);
  }
}

/** P_W(t) = base + slope * t phases, or why W cannot be read at phase boundaries. */
export function eventuallyPhases(protocol: Protocol, u: UserProperty): { base: number; slope: number; slopeO?: number } | string {
  if (u.formula.kind !== 'eventually') throw new Error('invariant: not an `eventually` property');
  const w = u.formula.within;
  if (protocol.faults.kind === 'hybrid') {
    // W = base + slope * t + slopeO * o rounds (./hybrid.ts linearTO)
    const lin = linearTO(w, 'the bound W of `eventually ... within W`');
    if (typeof lin === 'string') return lin;
    const k = protocol.rounds.length;
    const text = `${lin.base} + ${lin.slope}*t + ${lin.slopeO}*o`;
    if (lin.base < 0 || lin.slope < 0 || lin.slopeO < 0) return `the bound W = ${text} rounds is below 0 for some t and o`;
    if (lin.base % k !== 0 || lin.slope % k !== 0 || lin.slopeO % k !== 0) return `the bound W = ${text} rounds is not a whole number of phases (${k} rounds per phase) for every t and o: the invariant engine reads phase boundaries only`;
    return { base: lin.base / k, slope: lin.slope / k, slopeO: lin.slopeO / k };
  }
  if (mentions(w, 'n')) return 'the bound W of `eventually ... within W` mentions n, which the invariant engine keeps symbolic';
  const base = evalParamInt(w, 1, 0);
  const slope = evalParamInt(w, 2, 1) - base;
  if ([2, 3, 4, 5, 8].some((t) => evalParamInt(w, t + 1, t) !== base + slope * t)) return 'the bound W of `eventually ... within W` is not linear in t';
  // W below 0 at some t asks about no boundary at all (check refuses it at an instance); never read it as "no violation"
  if (base < 0 || slope < 0) return `the bound W = ${base}${slope === 0 ? '' : ` + ${slope}*t`} rounds is below 0 for some t`;
  const k = protocol.rounds.length;
  if (base % k !== 0 || slope % k !== 0) return `the bound W = ${base}${slope === 0 ? '' : ` + ${slope}*t`} rounds is not a whole number of phases (${k} rounds per phase) for every t: the invariant engine reads phase boundaries only`;
  return { base: base / k, slope: slope / k };
}

/** The ghosts at the initial state (`at` reads a formula there). */
export function initGhosts(ev: Eventually, at: (s: StateFormula) => T.BTerm): EvView {
  return { g: T.b2i(at(ev.given)), seen: T.b2i(at(ev.goal)) };
}

/** The ghosts after a phase: g kept, seen' = seen or S at the phase's end. */
export function stepGhosts(ev: Eventually, pre: EvView, post: (s: StateFormula) => T.BTerm): EvView {
  return { g: pre.g, seen: T.b2i(T.or(T.eq(pre.seen, T.num(1)), post(ev.goal))) };
}

/** The declared ghosts of a symbolic pre-state. */
export function declareGhosts(q: T.Query): EvView {
  return { g: q.int(INV_G), seen: q.int(INV_SEEN) };
}

export const namedGhosts = (): EvView => ({ g: T.ivar(INV_G), seen: T.ivar(INV_SEEN) });

/** The violation: the W rounds are over, G held at boundary 0, S at no phase boundary. */
export function ghostViolation(ev: EvView, p: T.ITerm, last: T.ITerm): T.BTerm {
  return T.and(T.eq(p, T.add(last, T.num(1))), T.eq(ev.g, T.num(1)), T.eq(ev.seen, T.num(0)));
}

/** A formula read over a CountView. */
export const reader = (protocol: Protocol, v: CountView) => (s: StateFormula): T.BTerm => stateAt(protocol, s, v);

/**
 * The ghosts of a simulated run at phase boundaries 1 .. P + 1 (index p - 1),
 * computed on the run itself with the simulator's own evaluator of the
 * file's properties (scope included), so that samples are real.
 */
export function runGhosts(protocol: Protocol, u: UserProperty, ev: Eventually, trace: Trace, ctx: RunContext, phases: number): { g: number; seen: number }[] {
  const k = protocol.rounds.length;
  const vector = (p: number): readonly (LocalState | null)[] => (p === 1 ? trace.initial : ((trace.rounds[(p - 1) * k - 1] as { states: (LocalState | null)[] }).states));
  const g = formulaHoldsOn(protocol, u.scope, ev.given, ctx, trace.initial, 0) ? 1 : 0;
  const out: { g: number; seen: number }[] = [];
  let seen = 0;
  for (let p = 1; p <= phases + 1; p++) {
    if (formulaHoldsOn(protocol, u.scope, ev.goal, ctx, vector(p), (p - 1) * k)) seen = 1;
    out.push({ g, seen });
  }
  return out;
}
