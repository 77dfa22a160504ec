// The proposer's critic: a small TensorFlow.js network that predicts the
// gate's reward of a complete candidate from its choices (one-hot per hole,
// one tanh hidden layer, a scalar out), fitted by least squares to every
// distinct candidate the gate has judged so far.
//
// Why: REINFORCE learns from one batch at a time and forgets it; before the
// first verified candidate its only signal is the shaped reward of a few
// near misses per batch. The critic keeps learning from the whole history,
// so the proposer can screen many policy samples and send the gate the ones
// the critic rates best (proposer.ts / policy.ts). It never decides anything
// about a protocol: a candidate it rates badly is just proposed later or not
// at all; every kept protocol still passes the whole gate.
//

import type * as TF from '@tensorflow/tfjs-core';
import { countSchema, initialWeights, Mlp, mlpStateSchema, parseNetState, type MlpState } from './mlp';
import type { Tf } from './tf';

export interface CriticConfig {
  hidden: number;
  learningRate: number;
  /** full-batch Adam steps per fit. */
  steps: number;
}

export const DEFAULT_CRITIC: CriticConfig = { hidden: 64, learningRate: 0.03, steps: 10 };

/**
 * The most candidates one fit uses (policy.ts passes the most recent ones).
 * Without a cap the fit's tensors grow with every distinct candidate judged,
 * up to all the sketch's completions (17,496 for phase-king-thresholds), and
 * so do its time per batch and the high-water mark of the TensorFlow.js
 * WebAssembly heap, which never shrinks. 4096 is above any campaign
 * benchmarked so far (bench/synth: 400 candidates, the proposer lab: 800,
 * the campaign soak in bench/soak.md: 3000): their results are unchanged.
 */
export const CRITIC_HISTORY_CAP = 4096;

export interface CriticState extends MlpState {
  step: number;
}

/** CriticState's types, for checkpoints. */
export const criticStateSchema = mlpStateSchema.extend({ step: countSchema });

export class Critic {
  private readonly offsets: number[] = [];
  private readonly width: number;
  private readonly net: Mlp;
  private step: number;

  constructor(
    private readonly tf: Tf,
    arities: readonly number[],
    seed: number,
    saved?: unknown,
    private readonly config: CriticConfig = DEFAULT_CRITIC,
  ) {
    // a checkpoint's state: its types and shapes are checked here, where it is loaded (NetStateError)
    const state = saved === undefined ? undefined : parseNetState(criticStateSchema, saved);
    let acc = 0;
    for (const a of arities) {
      this.offsets.push(acc);
      acc += a;
    }
    this.width = acc;
    this.step = state?.step ?? 0;
    const dims = { input: this.width, hidden: config.hidden, output: 1 };
    this.net = new Mlp(tf, dims, state?.weights ?? initialWeights(seed, dims), state);
  }

  private encode(choices: readonly number[]): number[] {
    const x = new Array<number>(this.width).fill(0);
    choices.forEach((c, h) => (x[this.offsets[h]! + c] = 1));
    return x;
  }

  /** Predicted rewards, one per candidate. */
  predict(candidates: readonly (readonly number[])[]): number[] {
    if (candidates.length === 0) return [];
    const tf = this.tf;
    return Array.from(tf.tidy(() => this.net.forward(tf.tensor2d(candidates.map((c) => this.encode(c)), [candidates.length, this.width])).dataSync()));
  }

  /** A few full-batch Adam steps of least squares on the history; returns the last loss. */
  fit(history: readonly { choices: readonly number[]; reward: number }[]): number {
    if (history.length === 0) return 0;
    const tf = this.tf;
    let loss = 0;
    const x = tf.tensor2d(history.map((e) => this.encode(e.choices)), [history.length, this.width]);
    const y = tf.tensor2d(history.map((e) => [e.reward]), [history.length, 1]);
    try {
      for (let k = 0; k < this.config.steps; k++) {
        const step = ++this.step;
        loss = tf.tidy(() => this.net.minimize(() => tf.mean(tf.square(tf.sub(this.net.forward(x), y))) as TF.Scalar, step, this.config.learningRate));
      }
    } finally {
      x.dispose();
      y.dispose();
    }
    return loss;
  }

  save(): CriticState {
    return { step: this.step, ...this.net.save() };
  }

  dispose(): void {
    this.net.dispose();
  }
}
