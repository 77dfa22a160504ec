// The adversary's network and everything that is saved of it: the weights
// (a shared tanh layer over the features of adversary-features.ts, one logit
// per option, masked to the decision's open options), the Adam moments and
// step, and the PRNG that samples from it. All of it is plain JSON in the
// checkpoint (adversaryStateSchema), so a resumed campaign continues bit for
// bit.
//
// Sampling runs a plain-JS mirror of the weights (refreshed after every
// update): no tensor per decision, and float64 arithmetic that is identical
// on every run. Only the update (adversary-train.ts) uses tensors.

import { ACTIONS, WIDTH, type Decision } from './adversary-features';
import { lossStep, type Batch } from './adversary-train';
import { countSchema, initialWeights, LAYERS, Mlp, mlpStateSchema, parseNetState, uint32Schema, type Layer, type MlpState } from './mlp';
import { Rng, subSeed } from './rng';
import type { Tf } from './tf';

export interface AdversaryConfig {
  hidden: number;
  learningRate: number;
  entropyBonus: number;
  /** sampled runs per instance and candidate. */
  episodes: number;
  /** maximum-likelihood steps per counterexample replayed from a later stage. */
  imitationSteps: number;
}

export const DEFAULT_ADVERSARY: AdversaryConfig = { hidden: 32, learningRate: 0.01, entropyBonus: 0.01, episodes: 8, imitationSteps: 3 };

export interface AdversaryState extends MlpState {
  rng: number;
  step: number;
}

/** AdversaryState's types, for checkpoints. */
export const adversaryStateSchema = mlpStateSchema.extend({ rng: uint32Schema, step: countSchema });

export class AdversaryPolicy {
  private readonly rng: Rng;
  private readonly net: Mlp;
  /** plain-JS copy of the weights, for sampling. */
  private mirror: Record<Layer, Float64Array>;
  private step: number;

  /** `saved` is a checkpoint's state (unchecked JSON); without it the network starts fresh from `seed`. */
  constructor(
    private readonly tf: Tf,
    seed: number,
    saved: unknown,
    private readonly hidden: number,
  ) {
    // a checkpoint's state: types and shapes are checked here, where it is loaded (NetStateError, a user error)
    const state = saved === undefined ? undefined : parseNetState(adversaryStateSchema, saved);
    this.rng = new Rng(state?.rng ?? subSeed(seed, 11));
    this.step = state?.step ?? 0;
    const dims = { input: WIDTH, hidden, output: ACTIONS };
    // a near-zero output layer: the first adversary plays close to uniformly
    this.net = new Mlp(tf, dims, state?.weights ?? initialWeights(subSeed(seed, 12), dims, 0.01), state);
    this.mirror = this.readMirror();
  }

  private readMirror(): Record<Layer, Float64Array> {
    const out = {} as Record<Layer, Float64Array>;
    for (const n of LAYERS) out[n] = Float64Array.from(this.net.vars[n].dataSync());
    return out;
  }

  /** The distribution over a decision's options (plain JS, masked). */
  probabilities(x: readonly number[], mask: readonly number[]): number[] {
    const h = this.hidden;
    const { w1, b1, w2, b2 } = this.mirror;
    const hidden = new Float64Array(h);
    for (let j = 0; j < h; j++) hidden[j] = b1[j]!;
    for (let f = 0; f < WIDTH; f++) {
      const xf = x[f]!;
      if (xf === 0) continue;
      const row = f * h;
      for (let j = 0; j < h; j++) hidden[j] += xf * w1[row + j]!;
    }
    for (let j = 0; j < h; j++) hidden[j] = Math.tanh(hidden[j]!);
    const logits: number[] = [];
    for (let a = 0; a < ACTIONS; a++) {
      let z = b2[a]!;
      for (let j = 0; j < h; j++) z += hidden[j]! * w2[j * ACTIONS + a]!;
      logits.push(mask[a] === 1 ? z : -Infinity);
    }
    const max = Math.max(...logits);
    const e = logits.map((z) => (z === -Infinity ? 0 : Math.exp(z - max)));
    const s = e.reduce((acc, x2) => acc + x2, 0);
    return e.map((x2) => x2 / s);
  }

  /**
   * One decision: sampled (recorded null) or the recorded option. Appended
   * to `log` unless the option is outside the network's (a recorded payload
   * the features cannot name), so it is learned from only when it fits.
   */
  decide(x: number[], mask: number[], recorded: number | null, log: Decision[]): number {
    const action = recorded ?? this.rng.pick(this.probabilities(x, mask));
    if (action < ACTIONS) log.push({ x, mask, action });
    return action;
  }

  /** A uniform draw in 0 .. bound-1 from the same PRNG, for choices the network does not make. */
  below(bound: number): number {
    return this.rng.below(bound);
  }

  /** One training step on `batch` (adversary-train.ts); the mirror follows. */
  update(batch: Batch, entropyBonus: number, learningRate: number): void {
    this.step++;
    lossStep(this.tf, this.net, batch, entropyBonus, this.step, learningRate);
    this.mirror = this.readMirror();
  }

  save(): AdversaryState {
    return { rng: this.rng.getState(), step: this.step, ...this.net.save() };
  }

  dispose(): void {
    this.net.dispose();
  }
}
