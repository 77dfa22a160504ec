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

import { evalParamInt } from '../../ir/eval';
import type { FaultKind, Protocol } from '../../ir/types';
import * as T from '../term';

export interface FaultInstance {
  n: number;
  t: number;
  f?: number;
  rounds: number;
}

export interface Faults {
  kind: FaultKind;
  /** the most faulty processes a run has: min(bound, n) */
  bound: number;
  /** faulty[i]: a constant, or the name of a Bool variable */
  faulty: (boolean | string)[];
  faultyT: T.BTerm[];
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
  return Math.max(0, Math.min(evalParamInt(p.faults.bound, n, t), n));
}

/** Declares the faulty set (and crash rounds) and asserts their constraints. */
export function declareFaults(p: Protocol, inst: FaultInstance, q: T.Query): Faults {
  const { n, f } = inst;
  const kind = p.faults.kind;
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
  const base = { kind, bound, faulty, faultyT, correct, crashRound, mayDrop: (j: number) => kind !== 'byzantine' && faulty[j] !== false };
  switch (kind) {
    case 'byzantine':
      return { ...base, sends: (_g, i) => correct(i), follows: (_g, i) => correct(i), receives: (i) => faulty[i] !== true };
    case 'crash':
      return { ...base, sends: (g, i) => T.ge(crashRound(i), T.num(g)), follows: (g, i) => T.gt(crashRound(i), T.num(g)), receives: () => true };
    case 'omission':
      return { ...base, sends: () => T.TRUE, follows: () => T.TRUE, receives: () => true };
  }
}

/** Name of the delivery variable of (round g, sender j, receiver i, k-th message type of the round). */
export function deliveredVar(g: number, j: number, i: number, k: number): string {
  return `d${g}_${j}_${i}_${k}`;
}

/** Declares the delivery variable of a sender that may be faulty, with its constraints; TRUE for a sender that is correct in every model. */
export function declareDelivered(fl: Faults, q: T.Query, g: number, j: number, i: number, k: number): T.BTerm {
  if (!fl.mayDrop(j)) return T.TRUE;
  const d = q.bool(deliveredVar(g, j, i, k));
  // crash: delivered before the crash round (correct senders never crash); omission: delivered by correct senders
  q.assert(T.implies(fl.kind === 'crash' ? T.gt(fl.crashRound(j), T.num(g)) : fl.correct(j), d));
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
      throw new Error('process: a clean round is not defined for Byzantine faults');
  }
}
