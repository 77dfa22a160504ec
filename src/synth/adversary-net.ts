// The learned adversary: the game's other player (docs/semantics.md section
// 1.6), a small TensorFlow.js policy for the Byzantine processes of the
// simulator and a stage of the gate. Per round, per Byzantine sender, per
// correct receiver and per message type the sender may send this round, it
// picks one of "nothing" or a payload of the type's domain; before the run it
// picks each correct process's input. Both are categorical choices of one
// network, conditioned on features of the round.
//
// Every run it plays is an ordinary trace (replayable by `bftsynth replay`).
// A rejection is backed by such a run, so it is sound; a pass proves nothing:
// the stage is a cheap filter in front of exhaustive exploration and the SMT
// checker.
//
// Training, online inside the gate:
//  - self-play: every candidate that reaches the stage is attacked with a
//    few sampled episodes; REINFORCE with the episodes' mean as baseline and
//    an entropy bonus;
//  - imitation: every counterexample a later stage finds (explore's or the
//    SMT checker's witness trace) is replayed through the same features and
//    its recorded Byzantine messages and inputs are cloned (maximum
//    likelihood), a few steps each.
//
// This module is the stage's API; the parts live beside it:
//   adversary-features.ts  what the network sees (feature and option layout)
//   adversary-policy.ts    the network, sampling, save/load and its schema
//   adversary-episode.ts   runs against the simulator, sampled or replayed
//   adversary-train.ts     rewards, self-play and imitation batches, the loss

import type { Property, Protocol } from '../ir/types';
import { evalParamInt } from '../ir/eval';
import { byzantineSets } from '../sim/symmetry';
import { isBuiltinViolation, type Trace } from '../trace/model';
import { playEpisode, recordedDecisions } from './adversary-episode';
import { AdversaryPolicy, DEFAULT_ADVERSARY, type AdversaryConfig, type AdversaryState } from './adversary-policy';
import { episodeReward, imitationBatch, meanReward, selfPlayBatch, type Run } from './adversary-train';
import type { NT } from './score';
import type { Tf } from './tf';

export { adversaryStateSchema, DEFAULT_ADVERSARY, type AdversaryConfig, type AdversaryState } from './adversary-policy';

export interface AttackResult {
  /** claimed properties some episode violated, in the usual order. */
  violated: Property[];
  detail: string;
  /** the first violating run (an ordinary, replayable trace). */
  witness: Trace | null;
  episodes: number;
  meanReward: number;
}

const PROPS: Property[] = ['agreement', 'validity', 'termination'];

export class LearnedAdversary {
  private readonly policy: AdversaryPolicy;

  /** `saved` is a checkpoint's `adversary` state (checked on load: NetStateError); without it the network starts from `seed`. */
  constructor(
    tf: Tf,
    seed: number,
    saved?: unknown,
    private readonly config: AdversaryConfig = DEFAULT_ADVERSARY,
  ) {
    this.policy = new AdversaryPolicy(tf, seed, saved, config.hidden);
  }

  /** The distribution over a decision's options (plain JS, masked). */
  probabilities(x: readonly number[], mask: readonly number[]): number[] {
    return this.policy.probabilities(x, mask);
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
    const runs: Run[] = [];
    for (const { n, t } of instances) {
      const rounds = evalParamInt(protocol.horizon, n, t);
      const sets = byzantineSets(protocol, n, t, rounds);
      for (let e = 0; e < this.config.episodes; e++) {
        const byzantine = sets[this.policy.below(sets.length)]!;
        const episode = playEpisode(this.policy, protocol, hash, n, t, rounds, byzantine);
        if (episode === null) continue;
        const { trace, inputs } = episode;
        const own = trace.violations.filter(isBuiltinViolation).filter((v) => claimed.includes(v.property));
        for (const v of own) {
          if (!violated.has(v.property)) {
            violated.add(v.property);
            detail ||= `learned adversary: ${v.property} violated at n=${n} t=${t}, Byzantine ${byzantine.join(',')}, inputs ${inputs.map((x) => (x === null ? '-' : x)).join('')}`;
          }
        }
        if (own.length > 0) witness ??= trace;
        runs.push({ decisions: episode.decisions, reward: episodeReward(trace, own.length > 0, episode.instance.correct) });
      }
    }
    const mean = meanReward(runs);
    const batch = selfPlayBatch(runs, mean);
    if (batch !== null) this.policy.update(batch, this.config.entropyBonus, this.config.learningRate);
    return { violated: PROPS.filter((p) => violated.has(p)), detail, witness, episodes: runs.length, meanReward: mean };
  }

  /**
   * Replays a counterexample found by a later stage through the features and
   * clones its Byzantine messages and inputs. Returns the decisions learned
   * from (0 when the trace does not fit the protocol).
   */
  imitate(protocol: Protocol, trace: Trace): number {
    const decisions = recordedDecisions(this.policy, protocol, trace);
    if (decisions.length === 0) return 0;
    for (let k = 0; k < this.config.imitationSteps; k++) this.policy.update(imitationBatch(decisions), 0, this.config.learningRate);
    return decisions.length;
  }

  /** The log-likelihood of a trace's Byzantine messages and inputs under the current network. */
  logLikelihood(protocol: Protocol, trace: Trace): number {
    return recordedDecisions(this.policy, protocol, trace).reduce((s, d) => s + Math.log(this.policy.probabilities(d.x, d.mask)[d.action]!), 0);
  }

  save(): AdversaryState {
    return this.policy.save();
  }

  dispose(): void {
    this.policy.dispose();
  }
}
