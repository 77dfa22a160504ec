// What the adversary network sees: the layout of its WIDTH input features and
// of its ACTIONS options, for both kinds of decision (a correct process's
// input, and what one Byzantine sender sends one correct receiver of one
// message type). Both layouts live here, side by side, because they share one
// input vector: an index used by one means the same (or nothing) in the other.
//
// Message decisions: 0 bias of the kind, 2-3 n and t, 4-7 the round's and
// phase's position, 8-9 whether sender and receiver lead, 10-11 the type,
// 12-15 correct messages per payload (first SLOTS of the domain) and in all,
// 16-20 the receiver's decision, input and rank and the share decided, 21-32
// the receiver's variables (value, is-null), 33-38 their means over the
// correct processes, 39 the sender's rank, 44 bias.
// Input decisions: 1 bias of the kind, 2-3 n and t, 16-17 and 20 what the
// earlier correct processes got, 40-43 the process's position, 44 bias.

import { DECIDED, type LocalState, type MessageDecl, type Val } from '../ir/types';
import type { RoundView } from '../sim/adversary';
import { payloadDomain } from '../sim/step';

/** variables of the receiver seen (the rest are not: the layout is fixed). */
export const MAX_VARS = 6;
/** options per decision: nothing + up to 5 payloads, or up to 6 input values. */
export const ACTIONS = 6;
/** correct-count features per payload (first three of the domain). */
export const SLOTS = 3;
export const WIDTH = 45;

/** One recorded decision: its features, which options were open, and what was chosen. */
export interface Decision {
  x: number[];
  mask: number[];
  action: number;
}

/** The options of an input decision: one per value the protocol has (at most ACTIONS). */
export function inputMask(values: number): number[] {
  return Array.from({ length: ACTIONS }, (_, a) => (a < Math.min(values, ACTIONS) ? 1 : 0));
}

/** The options of a message decision: nothing (0) and one per payload of the domain. */
export function messageMask(domainSize: number): number[] {
  return Array.from({ length: ACTIONS }, (_, a) => (a <= Math.min(domainSize, ACTIONS - 1) ? 1 : 0));
}

/**
 * The features of the input decision of correct process `i`, the k-th of
 * `correctCount`. Autoregressive: `previous` (the input of the (k-1)-th) and
 * `sum` (of the k earlier ones) let unanimity be learned.
 */
export function inputFeatures(n: number, t: number, i: number, phases: number, k: number, correctCount: number, previous: number, sum: number, values: number): number[] {
  const x = new Array<number>(WIDTH).fill(0);
  x[1] = 1;
  x[2] = n / 16;
  x[3] = t / 4;
  x[40] = i / Math.max(1, n - 1);
  x[41] = i < phases ? 1 : 0;
  x[42] = i === 0 ? 1 : 0;
  x[43] = k / Math.max(1, correctCount);
  x[44] = 1;
  x[16] = k === 0 ? 0 : 1;
  x[17] = k === 0 ? 0 : previous / values;
  x[20] = k === 0 ? 0 : sum / k / values;
  return x;
}

/** What every message decision of a round shares: global features and correct-message counts per type. */
export interface RoundFeatures {
  /** share decided, then the mean of each variable over the correct processes. */
  global: number[];
  /** per message type of the round: correct messages per payload slot, then in all. */
  counts: number[][];
}

export function roundFeatures(view: RoundView, decls: readonly MessageDecl[]): RoundFeatures {
  const { protocol, instance } = view;
  const values = Math.max(1, protocol.values - 1);
  const correct = instance.correct;
  const global = [correct.filter((i) => (view.states[i] as LocalState)[DECIDED] !== null).length / Math.max(1, correct.length)];
  protocol.vars.slice(0, MAX_VARS).forEach((v) => {
    global.push(correct.reduce((s, i) => s + numeric((view.states[i] as LocalState)[v.name], values)[0], 0) / Math.max(1, correct.length));
  });
  const counts = decls.map((decl) => {
    const domain = payloadDomain(protocol, decl.payload);
    const c = new Array<number>(SLOTS + 1).fill(0);
    for (const b of view.sent) {
      if (b.message !== decl.name) continue;
      const k = domain.findIndex((p) => p === b.payload);
      if (k >= 0 && k < SLOTS) c[k]!++;
      c[SLOTS]!++;
    }
    return c;
  });
  return { global, counts };
}

/** The features of one message decision: `from` (Byzantine) sends `to` (correct) a message of type `decl`. */
export function messageFeatures(view: RoundView, rounds: number, from: number, to: number, decl: MessageDecl, typeIndex: number, types: number, correctCounts: number[], global: number[]): number[] {
  const { protocol, instance, position: pos } = view;
  const x = new Array<number>(WIDTH).fill(0);
  const values = Math.max(1, protocol.values - 1);
  const perPhase = protocol.rounds.length;
  const phases = Math.max(1, Math.ceil(rounds / perPhase));
  x[0] = 1;
  x[2] = instance.n / 16;
  x[3] = instance.t / 4;
  x[4] = pos.round / Math.max(1, rounds);
  x[5] = pos.index / Math.max(1, perPhase);
  x[6] = pos.phase / phases;
  x[7] = pos.phase === phases ? 1 : 0;
  x[8] = from === pos.leader ? 1 : 0;
  x[9] = to === pos.leader ? 1 : 0;
  x[10] = decl.leader ? 1 : 0;
  x[11] = typeIndex / Math.max(1, types);
  for (let s = 0; s < SLOTS; s++) x[12 + s] = correctCounts[s]! / instance.n;
  x[15] = correctCounts[SLOTS]! / instance.n;
  const st = view.states[to] as LocalState;
  const d = st[DECIDED];
  x[16] = d === null || d === undefined ? 0 : 1;
  x[17] = typeof d === 'number' ? d / values : 0;
  x[18] = (instance.inputs[to] ?? 0) / values;
  x[19] = instance.correct.indexOf(to) / Math.max(1, instance.correct.length);
  x[20] = global[0]!;
  protocol.vars.slice(0, MAX_VARS).forEach((v, k) => {
    const [num, isNull] = numeric(st[v.name], values);
    x[21 + 2 * k] = num;
    x[22 + 2 * k] = isNull;
    x[33 + k] = global[1 + k]!;
  });
  x[39] = instance.byzantine.indexOf(from) / Math.max(1, instance.byzantine.length);
  x[44] = 1;
  return x;
}

/** A variable's value scaled to [0, 1] and whether it is null (null counts as 0). */
function numeric(v: Val | undefined, values: number): [number, number] {
  if (v === null || v === undefined) return [0, 1];
  if (typeof v === 'boolean') return [v ? 1 : 0, 0];
  return [v / values, 0];
}
