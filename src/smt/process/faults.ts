// The adversary of the process encoding (docs/semantics.md sections 1.6-1.8):
// which processes are faulty, and for crash and omission faults when each one
// crashes and which of its messages reach which receiver.
//
// Faulty set. f is open in 0..min(bound, n) unless the instance fixes it.
// Without leader messages no guard, payload or property depends on process
// ids (user properties quantify over the processes in scope and read one
// process's state at a time), and inputs are the adversary's choice: renaming
// processes maps runs to runs and violations to violations, for every fault
// kind (crash rounds and deliveries are renamed with the processes). So the
// faulty set may be the last f processes (section 4.4): with f open the last
// `bound` processes are candidates and being faulty is upward closed among
// them. With leader messages the leaders' ids matter and the solver picks any
// set of the right size. For Byzantine faults this is exactly the encoding
// the process engine always had (byte-identical at bound t).
//
// Crash. A faulty process i has a crash round cr_i in 1..R+1 (R+1: not within
// the run); a correct one has cr_i = R+1. It sends in rounds 1..cr_i, takes a
// step in rounds 1..cr_i-1, and has no state from boundary cr_i on.
// Delivery. Per (round, sender that may be faulty, receiver, message type of
// the round) a Bool d: forced true for a correct sender; for crash forced true
// before the sender's crash round and free in it (after it the sender sends
// nothing, so d is irrelevant); for omission free in every round.
//
// Hybrid (docs/semantics.md section 1.9): per process i two Booleans, byz_i
// (Byzantine) and om_i (send-omission faulty), never both; sum byz <= B and
// sum om <= O (B, O the two bounds at the instance clamped to 0..n), or = fb
// and = fo when the instance fixes them. Byzantine processes are exactly as
// under Byzantine faults (no state, per receiver and type a message variable,
// leader types only from the leader); omission-faulty ones exactly as under
// omission faults (they follow the protocol, receive everything, a delivery
// Bool per message, free only for them). correct = neither; `followers` =
// not Byzantine. Symmetry: without leader messages renaming processes maps
// runs to runs and violations to violations (the argument above: no guard,
// payload or property reads an id), and it maps any disjoint pair (B, O) of
// sizes (fb, fo) to the pair B = the last fb ids, O = the fo ids before
// them. So byz is upward closed among the last B ids and "faulty" (byz or om)
// upward closed among the last min(n, B + O) ids: the faulty set is a suffix
// of size fb + fo whose last fb members are the Byzantine ones, for every fb
// <= B and fo <= O (fb + fo <= n since the sets are disjoint). With leader
// messages the solver picks any two disjoint sets of the right sizes.

import { evalParamInt } from '../../ir/eval';
import type { Expr, FaultKind, HybridFaultModel, Protocol } from '../../ir/types';
import * as T from '../term';

export interface FaultInstance {
  n: number;
  t: number;
  /** hybrid faults only: the omission parameter o */
  o?: number;
  /** faulty processes (hybrid: Byzantine ones), fixed; absent: every count up to the bound */
  f?: number;
  /** hybrid faults only: omission-faulty processes, fixed; absent: every count up to the omission bound */
  fo?: number;
  rounds: number;
}

export interface Faults {
  kind: FaultKind | 'hybrid';
  /** the most faulty processes a run has: min(bound, n) (hybrid: min(B + O, n)) */
  bound: number;
  /** faulty[i]: a constant, or the name of a Bool variable (hybrid: a constant, or the label `byz{i}|om{i}` of the disjunction) */
  faulty: (boolean | string)[];
  /** whether i is faulty (hybrid: Byzantine or omission-faulty) */
  faultyT: T.BTerm[];
  /** byzantine[i]: whether i may be Byzantine: a constant, or the name of a Bool variable (the faulty set for Byzantine faults, false for crash and omission) */
  byzantine: (boolean | string)[];
  byzantineT: T.BTerm[];
  /** whether i is omission-faulty (the faulty set for omission faults, false for Byzantine and crash) */
  omissionT: T.BTerm[];
  correct: (i: number) => T.BTerm;
  /** crash faults: the crash round of i (rounds + 1: none within the run) */
  crashRound: (i: number) => T.ITerm;
  /** i does its sends in round g (g >= 1) */
  sends: (g: number, i: number) => T.BTerm;
  /** i follows the protocol up to boundary g: its state there is the protocol's (g = 0: its initial state) */
  follows: (g: number, i: number) => T.BTerm;
  /** whether i is encoded as a receiver at all (false only for a process that is Byzantine in every model) */
  receives: (i: number) => boolean;
  /** whether sender j may be faulty and hence have deliveries of its own */
  mayDrop: (j: number) => boolean;
}

/** The bound on faulty processes at an instance: min(bound, n), at least 0. */
export function faultBound(p: Protocol, n: number, t: number): number {
  const m = p.faults;
  if (m.kind === 'hybrid') throw new Error('process: a hybrid model has two bounds (hybridFaultBounds)');
  return Math.max(0, Math.min(evalParamInt(m.bound, n, t), n));
}

/** The hybrid bounds at an instance, each clamped to 0..n (src/sim/instance.ts hybridBounds). */
export function hybridFaultBounds(m: HybridFaultModel, n: number, t: number, o: number | undefined): { byzantine: number; omission: number } {
  const clamp = (e: Expr): number => Math.max(0, Math.min(evalParamInt(e, n, t, o), n));
  return { byzantine: clamp(m.byzantine), omission: clamp(m.omission) };
}

/** Declares the faulty set (and crash rounds) and asserts their constraints. */
export function declareFaults(p: Protocol, inst: FaultInstance, q: T.Query): Faults {
  const { n, f } = inst;
  const model = p.faults;
  if (model.kind === 'hybrid') return declareHybrid(p, model, inst, q);
  if (inst.o !== undefined || inst.fo !== undefined) throw new Error('process: o and fo belong to hybrid instances only');
  const kind = model.kind;
  const bound = faultBound(p, n, inst.t);
  const usesLeaders = p.messages.some((m) => m.leader);
  const prefix = kind === 'byzantine' ? 'byz' : 'fy';
  // Without leaders the faulty set is the last f processes (symmetry), so
  // for an open f the last `bound` are candidates and being faulty is upward
  // closed among them; with leaders any set of the right size.
  const most = f ?? bound;
  const faulty: (boolean | string)[] = Array.from({ length: n }, (_, i) => (usesLeaders || (f === undefined && i >= n - most) ? `${prefix}${i}` : i >= n - most));
  const faultyT = faulty.map((b) => (typeof b === 'boolean' ? T.bool(b) : q.bool(b)));
  const count = T.add(...faultyT.map(T.b2i));
  q.assert(f === undefined ? T.le(count, T.num(bound)) : T.eq(count, T.num(f)));
  if (!usesLeaders && f === undefined) for (let i = Math.max(0, n - most); i + 1 < n; i++) q.assert(T.implies(faultyT[i] as T.BTerm, faultyT[i + 1] as T.BTerm));
  const correct = (i: number): T.BTerm => T.not(faultyT[i] as T.BTerm);
  const never = T.num(inst.rounds + 1);
  const crash: T.ITerm[] = faulty.map((b, i) => {
    if (kind !== 'crash' || b === false) return never;
    const cr = q.intIn(`cr${i}`, 1, inst.rounds + 1);
    q.assert(T.implies(correct(i), T.eq(cr, never)));
    return cr;
  });
  const crashRound = (i: number): T.ITerm => crash[i] as T.ITerm;
  const none = faulty.map(() => false);
  const noneT = faulty.map(() => T.FALSE);
  const byKind = {
    byzantine: kind === 'byzantine' ? faulty : none,
    byzantineT: kind === 'byzantine' ? faultyT : noneT,
    omissionT: kind === 'omission' ? faultyT : noneT,
  };
  const base = { kind, bound, faulty, faultyT, ...byKind, correct, crashRound, mayDrop: (j: number) => kind !== 'byzantine' && faulty[j] !== false };
  switch (kind) {
    case 'byzantine':
      return { ...base, sends: (_g, i) => correct(i), follows: (_g, i) => correct(i), receives: (i) => faulty[i] !== true };
    case 'crash':
      return { ...base, sends: (g, i) => T.ge(crashRound(i), T.num(g)), follows: (g, i) => T.gt(crashRound(i), T.num(g)), receives: () => true };
    case 'omission':
      return { ...base, sends: () => T.TRUE, follows: () => T.TRUE, receives: () => true };
  }
}

/** The hybrid adversary: disjoint Byzantine and omission-faulty sets (see the header). */
function declareHybrid(p: Protocol, model: HybridFaultModel, inst: FaultInstance, q: T.Query): Faults {
  const { n, f: fb, fo } = inst;
  if (inst.o === undefined) throw new Error('process: a hybrid instance needs o');
  const bounds = hybridFaultBounds(model, n, inst.t, inst.o);
  if (fb !== undefined && (fb < 0 || fb > bounds.byzantine)) throw new Error(`process: ${fb} Byzantine processes, the bound is ${bounds.byzantine}`);
  if (fo !== undefined && (fo < 0 || fo > bounds.omission)) throw new Error(`process: ${fo} omission-faulty processes, the bound is ${bounds.omission}`);
  if (fb !== undefined && fo !== undefined && fb + fo > n) throw new Error(`process: ${fb} + ${fo} faulty processes among ${n}`);
  const usesLeaders = p.messages.some((m) => m.leader);
  const ids = Array.from({ length: n }, (_, i) => i);
  const mostB = fb ?? bounds.byzantine;
  const mostAll = Math.min(n, mostB + (fo ?? bounds.omission));
  // without leaders: B among the last mostB ids, B and O together among the last mostAll (constants when both counts are fixed)
  const byzantine: (boolean | string)[] = ids.map((i) => (usesLeaders || (fb === undefined && i >= n - mostB) ? `byz${i}` : i >= n - mostB));
  const omission: (boolean | string)[] = ids.map((i) =>
    usesLeaders || ((fb === undefined || fo === undefined) && i >= n - mostAll) ? `om${i}` : i >= n - mostAll && i < n - mostB,
  );
  const term = (b: boolean | string): T.BTerm => (typeof b === 'boolean' ? T.bool(b) : q.bool(b));
  const byzantineT = byzantine.map(term);
  const omissionT = omission.map(term);
  const faultyT = ids.map((i) => T.or(byzantineT[i] as T.BTerm, omissionT[i] as T.BTerm));
  const faulty = ids.map((i): boolean | string => {
    const b = byzantine[i] as boolean | string;
    const o = omission[i] as boolean | string;
    if (b === true || o === true) return true;
    if (b === false && o === false) return false;
    return `byz${i}|om${i}`;
  });
  for (const i of ids) q.assert(T.not(T.and(byzantineT[i] as T.BTerm, omissionT[i] as T.BTerm)));
  const countOf = (xs: T.BTerm[]): T.ITerm => T.add(...xs.map(T.b2i));
  q.assert(fb === undefined ? T.le(countOf(byzantineT), T.num(bounds.byzantine)) : T.eq(countOf(byzantineT), T.num(fb)));
  q.assert(fo === undefined ? T.le(countOf(omissionT), T.num(bounds.omission)) : T.eq(countOf(omissionT), T.num(fo)));
  if (!usesLeaders) {
    for (let i = Math.max(0, n - mostB); i + 1 < n; i++) q.assert(T.implies(byzantineT[i] as T.BTerm, byzantineT[i + 1] as T.BTerm));
    for (let i = Math.max(0, n - mostAll); i + 1 < n; i++) q.assert(T.implies(faultyT[i] as T.BTerm, faultyT[i + 1] as T.BTerm));
  }
  const correct = (i: number): T.BTerm => T.not(faultyT[i] as T.BTerm);
  const follows = (_g: number, i: number): T.BTerm => T.not(byzantineT[i] as T.BTerm);
  const never = T.num(inst.rounds + 1);
  return {
    kind: 'hybrid',
    bound: Math.min(n, bounds.byzantine + bounds.omission),
    faulty,
    faultyT,
    byzantine,
    byzantineT,
    omissionT,
    correct,
    crashRound: () => never,
    sends: follows,
    follows,
    receives: (i) => byzantine[i] !== true,
    mayDrop: (j) => omission[j] !== false,
  };
}

/** Name of the delivery variable of (round g, sender j, receiver i, k-th message type of the round). */
export function deliveredVar(g: number, j: number, i: number, k: number): string {
  return `d${g}_${j}_${i}_${k}`;
}

/** Declares the delivery variable of a sender that may be faulty, with its constraints; TRUE for a sender that is correct in every model. */
export function declareDelivered(fl: Faults, q: T.Query, g: number, j: number, i: number, k: number): T.BTerm {
  if (!fl.mayDrop(j)) return T.TRUE;
  const d = q.bool(deliveredVar(g, j, i, k));
  // crash: delivered before the crash round (correct senders never crash); omission: delivered by correct senders; hybrid: by senders not omission-faulty (a Byzantine one sends nothing here)
  q.assert(T.implies(fl.kind === 'crash' ? T.gt(fl.crashRound(j), T.num(g)) : fl.kind === 'hybrid' ? T.not(fl.omissionT[j] as T.BTerm) : fl.correct(j), d));
  return d;
}

/**
 * Round g has no new fault (docs/semantics.md section 1.8): nobody crashes in
 * it (crash), no message sent in it is withheld (omission). `withheld(j, i,
 * k)` is the term "sender j sent its k-th message type and receiver i did not
 * get it".
 */
export function cleanRound(fl: Faults, n: number, g: number, types: number, withheld: (j: number, i: number, k: number) => T.BTerm): T.BTerm {
  const ids = Array.from({ length: n }, (_, i) => i);
  switch (fl.kind) {
    case 'crash':
      return T.and(...ids.map((i) => T.ne(fl.crashRound(i), T.num(g))));
    case 'omission':
      return T.and(...ids.filter((j) => fl.mayDrop(j)).flatMap((j) => ids.flatMap((i) => Array.from({ length: types }, (_, k) => T.not(withheld(j, i, k))))));
    case 'byzantine':
    case 'hybrid':
      throw new Error(`process: a clean round is not defined for ${fl.kind} faults`);
  }
}
