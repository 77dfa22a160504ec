// How the adversary network learns: the reward of a self-play episode, the
// batches of self-play (REINFORCE) and imitation (maximum likelihood), and
// the one loss both minimise, a weighted negative log-likelihood of the
// chosen options minus an entropy bonus. The update runs in tf.tidy with our
// own Adam (Mlp.minimize), as in policy.ts, so weights and moments stay plain
// JSON in the checkpoint and a resumed campaign continues bit for bit.

import type * as TF from '@tensorflow/tfjs-core';
import { DECIDED } from '../ir/types';
import type { Trace } from '../trace/model';
import { ACTIONS, WIDTH, type Decision } from './adversary-features';
import type { Mlp } from './mlp';
import type { Tf } from './tf';

/** One self-play episode as training sees it. */
export interface Run {
  decisions: Decision[];
  reward: number;
}

/**
 * 1 for a violation of a claimed property; else a little (at most 0.3) for
 * the share of correct processes left undecided at the bound: a partial
 * credit on the way to a termination violation, so that episodes differ
 * (and there is a gradient) before any violation is found.
 */
export function episodeReward(trace: Trace, violatedClaim: boolean, correct: readonly number[]): number {
  if (violatedClaim) return 1;
  const last = trace.rounds[trace.rounds.length - 1]?.states ?? trace.initial;
  const undecided = correct.filter((i) => last[i]?.[DECIDED] === null).length;
  return (0.3 * undecided) / Math.max(1, correct.length);
}

/** A batch of decisions, each with its weight in the loss. */
export interface Batch {
  rows: Decision[];
  weights: number[];
}

/**
 * REINFORCE with the episodes' mean as baseline, advantages scaled by their
 * standard deviation; null when every episode earned the same (no signal to
 * learn from, and the scaling would divide by zero).
 */
export function selfPlayBatch(runs: readonly Run[], mean: number): Batch | null {
  const sd = Math.sqrt(runs.reduce((s, r) => s + (r.reward - mean) ** 2, 0) / Math.max(1, runs.length));
  if (!(sd > 1e-9)) return null;
  const rows: Decision[] = [];
  const weights: number[] = [];
  for (const r of runs) {
    const adv = (r.reward - mean) / (sd + 1e-6);
    for (const d of r.decisions) {
      rows.push(d);
      weights.push(adv / runs.length);
    }
  }
  return { rows, weights };
}

/** Mean reward of the runs (0 for none). */
export function meanReward(runs: readonly Run[]): number {
  return runs.reduce((s, r) => s + r.reward, 0) / Math.max(1, runs.length);
}

/** Imitation of a recorded run: every decision weighs the same (its mean log-likelihood is maximised). */
export function imitationBatch(decisions: Decision[]): Batch {
  return { rows: decisions, weights: decisions.map(() => 1 / decisions.length) };
}

/** One Adam step (number `step`, counted from 1) on sum_i weight_i * -log p(action_i) - entropyBonus * entropy. */
export function lossStep(tf: Tf, net: Mlp, batch: Batch, entropyBonus: number, step: number, lr: number): void {
  const { rows, weights } = batch;
  tf.tidy(() => {
    const x = tf.tensor2d(rows.map((r) => r.x), [rows.length, WIDTH]);
    // closed options: a logit so low their probability is 0, yet finite in the arithmetic
    const m = tf.tensor2d(rows.map((r) => r.mask.map((k) => (k === 1 ? 0 : -1e9))), [rows.length, ACTIONS]);
    const onehot = tf.oneHot(tf.tensor1d(rows.map((r) => r.action), 'int32'), ACTIONS);
    const w = tf.tensor1d([...weights]);
    net.minimize(() => {
      const logp = tf.logSoftmax(tf.add(net.forward(x), m));
      const chosen = tf.sum(tf.mul(logp, onehot), 1);
      const pg = tf.neg(tf.sum(tf.mul(chosen, w)));
      const entropy = tf.mean(tf.neg(tf.sum(tf.mul(tf.exp(logp), tf.maximum(logp, -1e4)), 1)));
      return tf.sub(pg, tf.mul(entropy, entropyBonus)) as TF.Scalar;
    }, step, lr);
  });
}
