// The learned proposer: a small TensorFlow.js policy network that fills the
// holes one at a time (autoregressive). Input for hole h: the one-hot choices
// made so far for holes < h, a one-hot of h, and features of the sketch
// (hole count, size of the space, this hole's arity and position). Output: a
// categorical over h's choices (logits masked to its arity). Trained with
// REINFORCE, a running baseline and an entropy bonus.
//
// Why hand-rolled (tf.variable + our own Adam) instead of tf.layers: every
// number that shapes the next proposal (weights, Adam moments, baseline,
// sampling PRNG) is then plain JSON in the checkpoint, so a resumed campaign
// continues bit for bit; and the initial weights come from our seeded PRNG,
// so a seed fixes the whole run. Sampling draws from our PRNG, not tf's.
// Every tensor lives inside tf.tidy or is a Variable we dispose.

import type * as TF from '@tensorflow/tfjs';
import { adamStep } from './adam';
import type { Tf } from './tf';
import { Rng, subSeed } from './rng';
import type { Proposer } from './proposer';

export interface PolicyConfig {
  hidden: number;
  learningRate: number;
  entropyBonus: number;
  /** weight of the newest batch in the running baseline. */
  baselineRate: number;
  /** divide advantages by the batch's reward spread (std), so the step size does not depend on the reward scale. */
  normalize?: boolean;
}

export const DEFAULT_POLICY: PolicyConfig = { hidden: 64, learningRate: 0.003, entropyBonus: 0.15, baselineRate: 0.2, normalize: true };

type Named = Record<string, number[]>;

export interface PolicyState {
  rng: number;
  step: number;
  baseline: number | null;
  weights: Named;
  m: Named;
  v: Named;
}

const NAMES = ['w1', 'b1', 'w2', 'b2'] as const;
type Name = (typeof NAMES)[number];

export class LearnedProposer implements Proposer {
  readonly strategy = 'learned' as const;
  private readonly rng: Rng;
  private readonly offsets: number[];
  private readonly width: number; // input width
  private readonly maxArity: number;
  private readonly shapes: Record<Name, number[]>;
  private readonly vars: Record<Name, TF.Variable>;
  private readonly m: Record<Name, TF.Variable>;
  private readonly v: Record<Name, TF.Variable>;
  private step: number;
  private baseline: number | null;
  /** the last batch, for learn(): per candidate, its choices. */
  private last: number[][] = [];
  lastLoss = 0;

  constructor(
    private readonly tf: Tf,
    private readonly arities: readonly number[],
    seed: number,
    saved?: unknown,
    private readonly config: PolicyConfig = DEFAULT_POLICY,
  ) {
    const state = saved as PolicyState | undefined;
    const holes = arities.length;
    this.offsets = [];
    let acc = 0;
    for (const a of arities) {
      this.offsets.push(acc);
      acc += a;
    }
    this.width = acc + holes + 4;
    this.maxArity = Math.max(...arities);
    this.shapes = { w1: [this.width, config.hidden], b1: [config.hidden], w2: [config.hidden, this.maxArity], b2: [this.maxArity] };
    this.rng = new Rng(state?.rng ?? subSeed(seed, 1));
    this.step = state?.step ?? 0;
    this.baseline = state?.baseline ?? null;
    const init = state?.weights ?? this.initialWeights(subSeed(seed, 2));
    const zeros = (n: Name): number[] => new Array<number>(size(this.shapes[n])).fill(0);
    const make = (src: (n: Name) => number[]): Record<Name, TF.Variable> => {
      const out = {} as Record<Name, TF.Variable>;
      for (const n of NAMES) out[n] = tf.tidy(() => tf.variable(tf.tensor(src(n), this.shapes[n]), true));
      return out;
    };
    this.vars = make((n) => checked(init[n], size(this.shapes[n]), n));
    this.m = make((n) => (state === undefined ? zeros(n) : checked(state.m[n], size(this.shapes[n]), n)));
    this.v = make((n) => (state === undefined ? zeros(n) : checked(state.v[n], size(this.shapes[n]), n)));
  }

  /** Glorot-uniform hidden layer; a near-zero output layer, so the first policy is close to uniform. */
  private initialWeights(seed: number): Named {
    const rng = new Rng(seed);
    const uniform = (count: number, limit: number): number[] => Array.from({ length: count }, () => (rng.next() * 2 - 1) * limit);
    const h = this.config.hidden;
    return {
      w1: uniform(this.width * h, Math.sqrt(6 / (this.width + h))),
      b1: new Array<number>(h).fill(0),
      w2: uniform(h * this.maxArity, 0.01),
      b2: new Array<number>(this.maxArity).fill(0),
    };
  }

  /** The input row for hole h given the choices so far. */
  private features(prefix: readonly number[], h: number): number[] {
    const x = new Array<number>(this.width).fill(0);
    for (let k = 0; k < h; k++) x[this.offsets[k]! + prefix[k]!] = 1;
    const holes = this.arities.length;
    const base = this.width - holes - 4;
    x[base + h] = 1;
    const logSpace = this.arities.reduce((s, a) => s + Math.log10(a), 0);
    x[base + holes] = holes / 32;
    x[base + holes + 1] = logSpace / 10;
    x[base + holes + 2] = this.arities[h]! / this.maxArity;
    x[base + holes + 3] = h / Math.max(1, holes - 1);
    return x;
  }

  /** Additive mask: 0 for the hole's choices, a large negative number beyond its arity. */
  private mask(h: number): number[] {
    return Array.from({ length: this.maxArity }, (_, a) => (a < this.arities[h]! ? 0 : -1e9));
  }

  private logits(x: TF.Tensor2D): TF.Tensor2D {
    const tf = this.tf;
    const hidden = tf.tanh(tf.add(tf.matMul(x, this.vars.w1), this.vars.b1));
    return tf.add(tf.matMul(hidden, this.vars.w2), this.vars.b2) as TF.Tensor2D;
  }

  /** The policy's distribution over hole h's choices for each prefix (for tests and the bench). */
  probabilities(prefixes: readonly (readonly number[])[], h: number): number[][] {
    const tf = this.tf;
    const flat = tf.tidy(() => {
      const x = tf.tensor2d(prefixes.map((p) => this.features(p, h)), [prefixes.length, this.width]);
      const m = tf.tensor2d(prefixes.map(() => this.mask(h)), [prefixes.length, this.maxArity]);
      return tf.softmax(tf.add(this.logits(x), m)).dataSync();
    });
    return prefixes.map((_, i) => Array.from(flat.subarray(i * this.maxArity, i * this.maxArity + this.arities[h]!)));
  }

  propose(count: number): number[][] {
    const batch: number[][] = Array.from({ length: count }, () => []);
    for (let h = 0; h < this.arities.length && count > 0; h++) {
      const probs = this.probabilities(batch, h);
      probs.forEach((p, i) => batch[i]!.push(this.rng.pick(p)));
    }
    this.last = batch.map((c) => [...c]);
    return batch;
  }

  learn(rewards: readonly number[]): void {
    const batch = this.last;
    if (batch.length === 0 || rewards.length !== batch.length) return;
    const mean = rewards.reduce((s, r) => s + r, 0) / rewards.length;
    const baseline = this.baseline ?? mean;
    const sd = Math.sqrt(rewards.reduce((s, r) => s + (r - mean) ** 2, 0) / rewards.length);
    const scale = this.config.normalize === true ? 1 / (sd + 0.05) : 1;
    const tf = this.tf;
    const holes = this.arities.length;
    const rows: number[][] = [];
    const masks: number[][] = [];
    const actions: number[] = [];
    const adv: number[] = [];
    batch.forEach((choices, i) => {
      for (let h = 0; h < holes; h++) {
        rows.push(this.features(choices, h));
        masks.push(this.mask(h));
        actions.push(choices[h]!);
        adv.push((rewards[i]! - baseline) * scale);
      }
    });
    this.step++;
    const lr = this.config.learningRate;
    const step = this.step;
    this.lastLoss = tf.tidy(() => {
      const x = tf.tensor2d(rows, [rows.length, this.width]);
      const m = tf.tensor2d(masks, [masks.length, this.maxArity]);
      const onehot = tf.oneHot(tf.tensor1d(actions, 'int32'), this.maxArity);
      const a = tf.tensor1d(adv);
      const varList = NAMES.map((n) => this.vars[n]);
      const { value, grads } = tf.variableGrads(() => {
        const logp = tf.logSoftmax(tf.add(this.logits(x), m));
        const chosen = tf.sum(tf.mul(logp, onehot), 1);
        const pg = tf.neg(tf.div(tf.sum(tf.mul(chosen, a)), batch.length));
        // entropy per hole decision, zero-probability (masked) choices contribute 0
        const entropy = tf.mean(tf.neg(tf.sum(tf.mul(tf.exp(logp), tf.maximum(logp, -1e4)), 1)));
        return tf.sub(pg, tf.mul(entropy, this.config.entropyBonus)) as TF.Scalar;
      }, varList);
      adamStep(tf, NAMES, this.vars, this.m, this.v, grads, step, lr);
      return value.dataSync()[0]!;
    });
    this.baseline = baseline + this.config.baselineRate * (mean - baseline);
  }

  save(): PolicyState {
    const read = (src: Record<Name, TF.Variable>): Named => {
      const out: Named = {};
      for (const n of NAMES) out[n] = Array.from(src[n].dataSync());
      return out;
    };
    return { rng: this.rng.getState(), step: this.step, baseline: this.baseline, weights: read(this.vars), m: read(this.m), v: read(this.v) };
  }

  dispose(): void {
    for (const n of NAMES) {
      this.vars[n].dispose();
      this.m[n].dispose();
      this.v[n].dispose();
    }
  }
}

function size(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

function checked(values: number[] | undefined, expected: number, name: string): number[] {
  if (values === undefined || values.length !== expected) {
    throw new Error(`policy weights: ${name} has ${values?.length ?? 0} numbers, expected ${expected} (a checkpoint of another sketch?)`);
  }
  return values;
}
