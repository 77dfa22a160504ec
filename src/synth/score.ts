// What a kept protocol is worth, and the small instances the gate uses.
//
// Score = 1 + bonuses, so every verified protocol outranks every rejected
// one, and among verified ones the order holds: a weaker resilience
// condition first (it tolerates more faults per process), then fewer rounds
// to decide, then fewer messages.

import { evalParamExpr, evalParamInt } from '../ir/eval';
import type { Protocol } from '../ir/types';

export interface NT {
  n: number;
  t: number;
}

/** The smallest n satisfying the resilience condition for this t (null if none up to a bound). */
export function smallestN(p: Protocol, t: number, max = 64): number | null {
  for (let n = Math.max(1, t + 1); n <= max; n++) {
    if (evalParamExpr(p.resilience, n, t) === true) return n;
  }
  return null;
}

/** The default instances (docs/semantics.md section 7): the smallest n for t = 1 and t = 2. */
export function defaultInstances(p: Protocol): NT[] {
  const out: NT[] = [];
  for (const t of [1, 2]) {
    const n = smallestN(p, t);
    if (n !== null) out.push({ n, t });
  }
  return out;
}

export interface ScoreParts {
  /** smallest n per fault at t = 10: 3.1 for n > 3t; lower is better. */
  nPerFault: number;
  /** the termination bound at t = 1, in rounds. */
  rounds: number;
  /** messages correct processes send by the termination bound at the t = 1 instance. */
  messages: number;
  score: number;
}

export function scoreOf(p: Protocol): ScoreParts {
  const n10 = smallestN(p, 10, 1000) ?? 1000;
  const nPerFault = n10 / 10;
  const n1 = smallestN(p, 1) ?? 64;
  const bound = p.properties.termination ?? p.horizon;
  const rounds = Math.max(1, evalParamInt(bound, n1, 1));
  // every send of a round reaches n receivers from each of its senders: n*n, or n for a leader message
  const perRound = p.rounds.map((r) => r.sends.reduce((s, send) => s + (p.messages.find((m) => m.name === send.message)?.leader === true ? n1 : n1 * n1), 0));
  let messages = 0;
  for (let r = 0; r < rounds; r++) messages += perRound[r % perRound.length]!;
  const res = Math.min(0.3, (0.3 * 2) / Math.max(nPerFault, 1));
  const fast = Math.min(0.2, (0.2 * 2) / rounds);
  const cheap = Math.min(0.1, (0.1 * n1 * n1) / Math.max(messages, 1));
  return { nPerFault, rounds, messages, score: round3(1 + res + fast + cheap) };
}

/** Rounded to three decimals: scores and shares stay short in checkpoints and summaries. */
export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
