// The adversary network: the game's other player (DESIGN.md section 5). A
// small TensorFlow.js policy for the Byzantine processes of the simulator.
// Per round, per Byzantine sender, per correct receiver and per message type
// the sender may send this round, it picks one of "nothing" or a payload of
// the type's domain; before the run it picks each correct process's input.
// Both are categorical choices of one network (a shared tanh layer, logits
// masked to the decision's options), conditioned on features of the round:
// the receiver's visible state (its variables, decision and input), the
// counts of correct messages per payload of the type, the round's and
// phase's position, whether the sender and the receiver lead, and a few
// global features (share decided, mean of each variable over the correct
// processes).
//
// It implements the simulator's Adversary interface, so every run is an
// ordinary trace (replayable by `bftsynth replay`). A rejection is backed by
// such a run, so it is sound; a pass proves nothing: the stage is a cheap
// filter in front of exhaustive exploration and the SMT checker.
//
// Training, online inside the gate:
//  - self-play: every candidate that reaches the stage is attacked with a
//    few sampled episodes; REINFORCE with the episodes' mean as baseline
//    (reward 1 for a violation of a claimed property, else a little for
//    correct processes left undecided at the bound) and an entropy bonus;
//  - imitation: every counterexample a later stage finds (explore's or the
//    SMT checker's witness trace) is replayed through the same features and
//    its recorded Byzantine messages and inputs are cloned (maximum
//    likelihood), a few steps each.
//
// Sampling runs a plain-JS mirror of the weights (refreshed after every
// update): no tensor per round, and float64 arithmetic that is identical on
// every run. Training runs in tf.tidy with our own Adam, as in policy.ts, so
// every number that shapes the next attack (weights, moments, PRNG) is plain
// JSON in the checkpoint and a resumed campaign continues bit for bit.

import type * as TF from '@tensorflow/tfjs-core';
import { DECIDED, type MessageDecl, type Protocol } from '../ir/types';
import { evalParamInt } from '../ir/eval';
import type { Adversary, RoundView } from '../sim/adversary';
import { makeInstance } from '../sim/instance';
import { simulate } from '../sim/simulate';
import { payloadDomain, roundMessages } from '../sim/step';
import { byzantineSets } from '../sim/symmetry';
import type { ByzantineMessage, LocalState, Property, Trace, Val } from '../trace/model';
import { Rng, subSeed } from './rng';
import type { NT } from './score';
import { countSchema, initialWeights, LAYERS, Mlp, mlpStateSchema, parseNetState, uint32Schema, type Layer, type MlpState } from './mlp';
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

const MAX_VARS = 6;
/** options per decision: nothing + up to 5 payloads, or up to 6 input values. */
const ACTIONS = 6;
const SLOTS = 3; // correct-count features per payload (first three of the domain)
const WIDTH = 45;

export interface AdversaryState extends MlpState {
  rng: number;
  step: number;
}

/** AdversaryState's types, for checkpoints. */
export const adversaryStateSchema = mlpStateSchema.extend({ rng: uint32Schema, step: countSchema });

export interface AttackResult {
  /** claimed properties some episode violated, in the usual order. */
  violated: Property[];
  detail: string;
  /** the first violating run (an ordinary, replayable trace). */
  witness: Trace | null;
  episodes: number;
  meanReward: number;
}

/** One recorded decision: its features, which options were open, and what was chosen. */
interface Decision {
  x: number[];
  mask: number[];
  action: number;
}

const PROPS: Property[] = ['agreement', 'validity', 'termination'];

export class LearnedAdversary {
  private readonly rng: Rng;
  private readonly net: Mlp;
  /** plain-JS copy of the weights, for sampling. */
  private mirror: Record<Layer, Float64Array>;
  private step: number;

  constructor(
    private readonly tf: Tf,
    seed: number,
    saved?: unknown,
    private readonly config: AdversaryConfig = DEFAULT_ADVERSARY,
  ) {
    // a checkpoint's state: types and shapes are checked here, where it is loaded (NetStateError, a user error)
    const state = saved === undefined ? undefined : parseNetState(adversaryStateSchema, saved);
    const h = config.hidden;
    this.rng = new Rng(state?.rng ?? subSeed(seed, 11));
    this.step = state?.step ?? 0;
    const dims = { input: WIDTH, hidden: h, output: ACTIONS };
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
    const h = this.config.hidden;
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

  private sample(x: number[], mask: number[]): number {
    return this.rng.pick(this.probabilities(x, mask));
  }

  /**
   * Attacks one candidate: `episodes` sampled runs per instance, a Byzantine
   * set per run drawn among those worth trying; then one self-play update.
   */
  attack(protocol: Protocol, hash: string, instances: readonly NT[]): AttackResult {
    const claimed = PROPS.filter((p) => (p === 'termination' ? protocol.properties.termination !== null : protocol.properties[p]));
    const violated = new Set<Property>();
    let detail = '';
    let witness: Trace | null = null;
    const runs: { decisions: Decision[]; reward: number }[] = [];
    for (const { n, t } of instances) {
      const rounds = evalParamInt(protocol.horizon, n, t);
      const sets = byzantineSets(protocol, n, t, rounds);
      for (let e = 0; e < this.config.episodes; e++) {
        const byzantine = sets[this.rng.below(sets.length)]!;
        const decisions: Decision[] = [];
        const inputs = this.chooseInputs(protocol, n, t, byzantine, rounds, decisions, null);
        const made = makeInstance(protocol, { n, t, byzantine, inputs });
        if (!made.ok) continue;
        const adversary = new NetAdversary(this, rounds, decisions, null);
        const trace = simulate(protocol, made.value, adversary, { hash });
        let reward: number;
        const own = trace.violations.filter((v) => claimed.includes(v.property));
        if (own.length > 0) {
          reward = 1;
          for (const v of own) {
            if (!violated.has(v.property)) {
              violated.add(v.property);
              detail ||= `learned adversary: ${v.property} violated at n=${n} t=${t}, Byzantine ${byzantine.join(',')}, inputs ${inputs.map((x) => (x === null ? '-' : x)).join('')}`;
            }
          }
          witness ??= trace;
        } else {
          const last = trace.rounds[trace.rounds.length - 1]?.states ?? trace.initial;
          const undecided = made.value.correct.filter((i) => last[i]?.[DECIDED] === null).length;
          reward = (0.3 * undecided) / Math.max(1, made.value.correct.length);
        }
        runs.push({ decisions, reward });
      }
    }
    const mean = runs.reduce((s, r) => s + r.reward, 0) / Math.max(1, runs.length);
    const sd = Math.sqrt(runs.reduce((s, r) => s + (r.reward - mean) ** 2, 0) / Math.max(1, runs.length));
    if (sd > 1e-9) {
      const rows: Decision[] = [];
      const weights: number[] = [];
      for (const r of runs) {
        const adv = (r.reward - mean) / (sd + 1e-6);
        for (const d of r.decisions) {
          rows.push(d);
          weights.push(adv / runs.length);
        }
      }
      this.update(rows, weights, this.config.entropyBonus);
    }
    return { violated: PROPS.filter((p) => violated.has(p)), detail, witness, episodes: runs.length, meanReward: mean };
  }

  /**
   * Replays a counterexample found by a later stage through the features and
   * clones its Byzantine messages and inputs. Returns the decisions learned
   * from (0 when the trace does not fit the protocol).
   */
  imitate(protocol: Protocol, trace: Trace): number {
    const decisions = this.decisionsOf(protocol, trace);
    if (decisions.length === 0) return 0;
    for (let k = 0; k < this.config.imitationSteps; k++) this.update(decisions, decisions.map(() => 1 / decisions.length), 0);
    return decisions.length;
  }

  /** The log-likelihood of a trace's Byzantine messages and inputs under the current network. */
  logLikelihood(protocol: Protocol, trace: Trace): number {
    return this.decisionsOf(protocol, trace).reduce((s, d) => s + Math.log(this.probabilities(d.x, d.mask)[d.action]!), 0);
  }

  /** A recorded run seen through the network's features: one decision per (round, sender, receiver, type) and input. */
  private decisionsOf(protocol: Protocol, trace: Trace): Decision[] {
    const made = makeInstance(protocol, { n: trace.n, t: trace.t, byzantine: trace.byzantine, inputs: trace.inputs });
    if (!made.ok || trace.rounds.length === 0) return [];
    const decisions: Decision[] = [];
    const rounds = trace.rounds.length;
    this.chooseInputs(protocol, trace.n, trace.t, trace.byzantine, rounds, decisions, trace.inputs);
    try {
      simulate(protocol, made.value, new NetAdversary(this, rounds, decisions, trace), { hash: trace.protocol.hash, rounds });
    } catch {
      return []; // a recorded message the simulator refuses: nothing to learn from
    }
    return decisions;
  }

  /** Inputs of the correct processes: sampled (recorded === null) or taken from a trace; decisions appended. */
  private chooseInputs(protocol: Protocol, n: number, t: number, byzantine: readonly number[], rounds: number, decisions: Decision[], recorded: readonly (number | null)[] | null): (number | null)[] {
    const phases = protocol.rounds.length === 0 ? 1 : Math.ceil(rounds / protocol.rounds.length);
    const correct = Array.from({ length: n }, (_, i) => i).filter((i) => !byzantine.includes(i));
    const mask = Array.from({ length: ACTIONS }, (_, a) => (a < Math.min(protocol.values, ACTIONS) ? 1 : 0));
    const inputs: (number | null)[] = new Array<number | null>(n).fill(null);
    const values = Math.max(1, protocol.values - 1);
    let sum = 0;
    correct.forEach((i, k) => {
      const x = new Array<number>(WIDTH).fill(0);
      x[1] = 1;
      x[2] = n / 16;
      x[3] = t / 4;
      x[40] = i / Math.max(1, n - 1);
      x[41] = i < phases ? 1 : 0;
      x[42] = i === 0 ? 1 : 0;
      x[43] = k / Math.max(1, correct.length);
      x[44] = 1;
      // autoregressive: what the earlier correct processes got (so unanimity can be learned)
      x[16] = k === 0 ? 0 : 1;
      x[17] = k === 0 ? 0 : (inputs[correct[k - 1]!] ?? 0) / values;
      x[20] = k === 0 ? 0 : sum / k / values;
      const want = recorded === null ? null : recorded[i];
      const action = want === null || want === undefined ? this.sample(x, mask) : want;
      if (action < ACTIONS) decisions.push({ x, mask, action });
      inputs[i] = action;
      sum += action;
    });
    return inputs;
  }

  /** The features of one message decision. */
  features(view: RoundView, rounds: number, from: number, to: number, decl: MessageDecl, typeIndex: number, types: number, correctCounts: number[], global: number[]): number[] {
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

  /** One Adam step on sum_i weight_i * -log p(action_i) - entropy bonus. */
  private update(rows: readonly Decision[], weights: readonly number[], entropyBonus: number): void {
    const tf = this.tf;
    this.step++;
    const step = this.step;
    const lr = this.config.learningRate;
    tf.tidy(() => {
      const x = tf.tensor2d(rows.map((r) => r.x), [rows.length, WIDTH]);
      const m = tf.tensor2d(rows.map((r) => r.mask.map((k) => (k === 1 ? 0 : -1e9))), [rows.length, ACTIONS]);
      const onehot = tf.oneHot(tf.tensor1d(rows.map((r) => r.action), 'int32'), ACTIONS);
      const w = tf.tensor1d([...weights]);
      this.net.minimize(() => {
        const logp = tf.logSoftmax(tf.add(this.net.forward(x), m));
        const chosen = tf.sum(tf.mul(logp, onehot), 1);
        const pg = tf.neg(tf.sum(tf.mul(chosen, w)));
        const entropy = tf.mean(tf.neg(tf.sum(tf.mul(tf.exp(logp), tf.maximum(logp, -1e4)), 1)));
        return tf.sub(pg, tf.mul(entropy, entropyBonus)) as TF.Scalar;
      }, step, lr);
    });
    this.mirror = this.readMirror();
  }

  save(): AdversaryState {
    return { rng: this.rng.getState(), step: this.step, ...this.net.save() };
  }

  dispose(): void {
    this.net.dispose();
  }

  /** For NetAdversary: sample or record one decision. */
  decide(x: number[], mask: number[], recorded: number | null, log: Decision[]): number {
    const action = recorded ?? this.sample(x, mask);
    if (action < ACTIONS) log.push({ x, mask, action });
    return action;
  }
}

/** The network as a simulator Adversary for one run: samples (script null) or follows a recorded trace's messages. */
class NetAdversary implements Adversary {
  readonly name = 'learned';
  constructor(
    private readonly net: LearnedAdversary,
    private readonly rounds: number,
    private readonly log: Decision[],
    private readonly script: Trace | null,
  ) {}

  byzantineMessages(view: RoundView): ByzantineMessage[] {
    const { protocol, instance, position: pos } = view;
    const all = roundMessages(protocol, pos.index);
    const out: ByzantineMessage[] = [];
    const recorded = this.script === null ? null : (this.script.rounds[pos.round - 1]?.byzantine ?? []);
    const values = Math.max(1, protocol.values - 1);
    // global features: share decided, mean of each variable over the correct processes
    const correct = instance.correct;
    const global = [correct.filter((i) => (view.states[i] as LocalState)[DECIDED] !== null).length / Math.max(1, correct.length)];
    protocol.vars.slice(0, MAX_VARS).forEach((v) => {
      global.push(correct.reduce((s, i) => s + numeric((view.states[i] as LocalState)[v.name], values)[0], 0) / Math.max(1, correct.length));
    });
    const counts = all.map((decl) => {
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
    for (const from of instance.byzantine) {
      for (const to of correct) {
        all.forEach((decl, ti) => {
          if (decl.leader && from !== pos.leader) return;
          const domain = payloadDomain(protocol, decl.payload);
          const mask = Array.from({ length: ACTIONS }, (_, a) => (a <= Math.min(domain.length, ACTIONS - 1) ? 1 : 0));
          const x = this.net.features(view, this.rounds, from, to, decl, ti, all.length, counts[ti]!, global);
          let want: number | null = null;
          if (recorded !== null) {
            const m = recorded.find((r) => r.from === from && r.to === to && r.message === decl.name);
            want = m === undefined ? 0 : domain.findIndex((p) => p === m.payload) + 1;
            if (want === 0 && m !== undefined) want = ACTIONS; // unknown payload: not learned from
          }
          const action = this.net.decide(x, mask, want, this.log);
          const payload: Val | undefined = action >= 1 ? domain[action - 1] : undefined;
          if (recorded !== null) {
            const m = recorded.find((r) => r.from === from && r.to === to && r.message === decl.name);
            if (m !== undefined) out.push({ ...m });
          } else if (payload !== undefined) out.push({ from, to, message: decl.name, payload });
        });
      }
    }
    if (recorded !== null) {
      // messages to Byzantine receivers are irrelevant but kept so the run is the recorded one
      for (const m of recorded) if (instance.isByzantine[m.to]) out.push({ ...m });
    }
    return out;
  }
}

function numeric(v: Val | undefined, values: number): [number, number] {
  if (v === null || v === undefined) return [0, 1];
  if (typeof v === 'boolean') return [v ? 1 : 0, 0];
  return [v / values, 0];
}
