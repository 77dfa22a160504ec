// The learned proposer: a small TensorFlow.js policy network that fills the
// holes one at a time (autoregressive). Input for hole h: the one-hot choices
// made so far for holes < h, a one-hot of h, and features of the sketch
// (hole count, size of the space, this hole's arity and position). Output: a
// categorical over h's choices (logits masked to its arity). Trained with
// REINFORCE, a running baseline and an entropy bonus. Its samples are
// screened by a critic (critic.ts) that learns the gate's reward from every
// candidate judged so far.
//
// Every number that shapes the next proposal (weights, Adam moments,
// baseline, the critic and its data, the sampling PRNG) is plain JSON in the
// checkpoint (mlp.ts), so a resumed campaign continues bit for bit. Sampling
// draws from our PRNG, not tf's. Every tensor lives inside tf.tidy or is a
// Variable we dispose.

import type * as TF from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { Critic, CRITIC_HISTORY_CAP, criticStateSchema, DEFAULT_CRITIC, type CriticConfig, type CriticState } from './critic';
import { countSchema, initialWeights, Mlp, mlpStateSchema, NetStateError, parseNetState, uint32Schema, type MlpState } from './mlp';
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
  /**
   * Screening by the critic (critic.ts): draw this many policy samples per
   * proposed candidate, skip the ones already judged, and propose those the
   * critic rates best. 0 or 1 turns it off.
   */
  screen?: number;
  /** judged candidates before the critic screens anything (until then: plain policy samples). */
  criticWarmup?: number;
  /** share of each screened batch still taken in the policy's own order (exploration). */
  screenExplore?: number;
  critic?: CriticConfig;
  /** bonus per differing hole (as a share of all holes) to the nearest judged candidate, added to the critic's rating. */
  novelty?: number;
}

/** Tuned in the proposer lab (bench/lab, bench/proposers.md). */
export const DEFAULT_POLICY: PolicyConfig = {
  hidden: 64,
  learningRate: 0.003,
  entropyBonus: 0.15,
  baselineRate: 0.2,
  normalize: true,
  screen: 16,
  criticWarmup: 16,
  screenExplore: 0.25,
  novelty: 0.2,
  critic: DEFAULT_CRITIC,
};

export interface PolicyState extends MlpState {
  rng: number;
  /** every distinct candidate judged so far with its first reward (the critic's data). */
  history?: { choices: number[]; reward: number }[];
  critic?: CriticState;
  step: number;
  baseline: number | null;
}

/** PolicyState's types, for checkpoints. */
export const policyStateSchema = mlpStateSchema.extend({
  rng: uint32Schema,
  history: z.array(z.object({ choices: z.array(countSchema), reward: z.number() })).optional(),
  critic: criticStateSchema.optional(),
  step: countSchema,
  baseline: z.number().nullable(),
});

/** A checkpoint's state for these holes: its types, and every recorded choice within its hole's arity. */
function loadState(saved: unknown, arities: readonly number[]): PolicyState {
  const state = parseNetState(policyStateSchema, saved);
  (state.history ?? []).forEach((e, i) => {
    if (e.choices.length !== arities.length) throw new NetStateError(['history', i, 'choices'], `${e.choices.length} choices, the sketch has ${arities.length} holes`);
    e.choices.forEach((c, h) => {
      if (c >= arities[h]!) throw new NetStateError(['history', i, 'choices', h], `choice ${c}, hole ${h + 1} has ${arities[h]} choices`);
    });
  });
  return state;
}

export class LearnedProposer implements Proposer {
  readonly strategy = 'learned' as const;
  private readonly rng: Rng;
  private readonly offsets: number[];
  private readonly width: number; // input width
  private readonly maxArity: number;
  private readonly net: Mlp;
  private step: number;
  private baseline: number | null;
  /** the last batch, for learn(): per candidate, its choices. */
  private last: number[][] = [];
  private readonly history: { choices: number[]; reward: number }[];
  private readonly judged: Set<string>;
  private readonly critic: Critic | null;
  lastLoss = 0;

  constructor(
    private readonly tf: Tf,
    private readonly arities: readonly number[],
    seed: number,
    saved?: unknown,
    private readonly config: PolicyConfig = DEFAULT_POLICY,
  ) {
    // a checkpoint's state: types and shapes are checked here, where it is loaded (NetStateError, a user error)
    const state = saved === undefined ? undefined : loadState(saved, arities);
    const holes = arities.length;
    this.offsets = [];
    let acc = 0;
    for (const a of arities) {
      this.offsets.push(acc);
      acc += a;
    }
    this.width = acc + holes + 4;
    this.maxArity = Math.max(...arities);
    this.rng = new Rng(state?.rng ?? subSeed(seed, 1));
    this.step = state?.step ?? 0;
    this.baseline = state?.baseline ?? null;
    this.history = state?.history ?? [];
    this.judged = new Set(this.history.map((e) => e.choices.join('.')));
    const dims = { input: this.width, hidden: config.hidden, output: this.maxArity };
    // a near-zero output layer: the first policy is close to uniform
    this.net = new Mlp(tf, dims, state?.weights ?? initialWeights(subSeed(seed, 2), dims, 0.01), state);
    try {
      this.critic = (config.screen ?? 0) > 1 ? new Critic(tf, arities, subSeed(seed, 3), state?.critic, config.critic ?? DEFAULT_CRITIC) : null;
    } catch (e) {
      this.net.dispose();
      throw e instanceof NetStateError ? e.within(['critic']) : e;
    }
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

  /** The policy's distribution over hole h's choices for each prefix (for tests and the bench). */
  probabilities(prefixes: readonly (readonly number[])[], h: number): number[][] {
    const tf = this.tf;
    const flat = tf.tidy(() => {
      const x = tf.tensor2d(prefixes.map((p) => this.features(p, h)), [prefixes.length, this.width]);
      const m = tf.tensor2d(prefixes.map(() => this.mask(h)), [prefixes.length, this.maxArity]);
      return tf.softmax(tf.add(this.net.forward(x), m)).dataSync();
    });
    return prefixes.map((_, i) => Array.from(flat.subarray(i * this.maxArity, i * this.maxArity + this.arities[h]!)));
  }

  private sample(count: number): number[][] {
    const batch: number[][] = Array.from({ length: count }, () => []);
    for (let h = 0; h < this.arities.length && count > 0; h++) {
      const probs = this.probabilities(batch, h);
      probs.forEach((p, i) => batch[i]!.push(this.rng.pick(p)));
    }
    return batch;
  }

  propose(count: number): number[][] {
    const critic = this.critic;
    const batch = critic !== null && this.history.length >= (this.config.criticWarmup ?? 16) ? this.screened(count, critic) : this.sample(count);
    this.last = batch.map((c) => [...c]);
    return batch;
  }

  /** `count` candidates out of screen * count policy samples: the critic's best, plus some in the policy's order. */
  private screened(count: number, critic: Critic): number[][] {
    const pool: number[][] = [];
    const inPool = new Set<string>();
    for (const c of this.sample(count * (this.config.screen ?? 1))) {
      const key = c.join('.');
      if (this.judged.has(key) || inPool.has(key)) continue;
      inPool.add(key);
      pool.push(c);
    }
    const beta = this.config.novelty ?? 0;
    const scores = critic.predict(pool).map((r, i) => (beta === 0 ? r : r + beta * this.distance(pool[i]!)));
    const byScore = pool.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
    const greedy = Math.ceil(count * (1 - (this.config.screenExplore ?? 0.25)));
    const chosen = new Set(byScore.slice(0, greedy));
    for (let i = 0; i < pool.length && chosen.size < count; i++) chosen.add(i);
    const out = [...chosen].map((i) => pool[i]!);
    // the pool ran short (the policy keeps proposing judged candidates): plain samples fill the batch
    return out.length < count ? [...out, ...this.sample(count - out.length)] : out;
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
    this.record(batch, rewards);
    this.step++;
    const lr = this.config.learningRate;
    const step = this.step;
    this.lastLoss = tf.tidy(() => {
      const x = tf.tensor2d(rows, [rows.length, this.width]);
      const m = tf.tensor2d(masks, [masks.length, this.maxArity]);
      const onehot = tf.oneHot(tf.tensor1d(actions, 'int32'), this.maxArity);
      const a = tf.tensor1d(adv);
      return this.net.minimize(() => {
        const logp = tf.logSoftmax(tf.add(this.net.forward(x), m));
        const chosen = tf.sum(tf.mul(logp, onehot), 1);
        const pg = tf.neg(tf.div(tf.sum(tf.mul(chosen, a)), batch.length));
        // entropy per hole decision, zero-probability (masked) choices contribute 0
        const entropy = tf.mean(tf.neg(tf.sum(tf.mul(tf.exp(logp), tf.maximum(logp, -1e4)), 1)));
        return tf.sub(pg, tf.mul(entropy, this.config.entropyBonus)) as TF.Scalar;
      }, step, lr);
    });
    this.baseline = baseline + this.config.baselineRate * (mean - baseline);
  }

  /** Differing holes to the nearest judged candidate, as a share of all holes. */
  private distance(c: readonly number[]): number {
    let best = c.length;
    for (const e of this.history) {
      let d = 0;
      for (let h = 0; h < c.length && d < best; h++) if (e.choices[h] !== c[h]) d++;
      best = Math.min(best, d);
    }
    return best / Math.max(1, c.length);
  }

  /** Each distinct candidate once, with its first reward (also what screening skips); then a fit of the critic. */
  private record(batch: readonly number[][], rewards: readonly number[]): void {
    if (this.critic === null) return;
    batch.forEach((choices, i) => {
      const key = choices.join('.');
      if (this.judged.has(key)) return;
      this.judged.add(key);
      this.history.push({ choices: [...choices], reward: rewards[i]! });
    });
    // reward 0: the static checks rejected it, or it failed every simulation
    // run. Those swamp the data on sketches whose holes mostly make dead code
    // (three in four candidates of king-rule-order) and tell nothing about
    // which near misses are nearer; measured in the proposer lab, fitting on
    // them nearly doubled the calls to the first find there (64 against 35).
    // the most recent ones only beyond the cap (critic.ts): a fit's memory and time stay bounded
    this.critic.fit(this.history.filter((e) => e.reward > 0).slice(-CRITIC_HISTORY_CAP));
  }

  save(): PolicyState {
    const critic = this.critic === null ? {} : { history: this.history.map((e) => ({ choices: [...e.choices], reward: e.reward })), critic: this.critic.save() };
    return { rng: this.rng.getState(), step: this.step, baseline: this.baseline, ...critic, ...this.net.save() };
  }

  dispose(): void {
    this.critic?.dispose();
    this.net.dispose();
  }
}
