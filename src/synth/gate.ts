// The gate, cheapest first (docs/semantics.md section 7): a candidate is kept only
// when every stage passes.
//   parse    front end (parseProtocol) plus dead-rule detection
//   simulate silent / split / random adversaries on the default instances
//   adversary the learned adversary network (adversary-net.ts), when enabled
//   explore  every adversary on the smallest instance (t = 1)
//   verify   the Verifier (the SMT checker, or enumeration on all instances)
// Verdicts are cached by canonical hash (after normalization), so a
// completion that differs only in spelling costs nothing the second time.
// Every stage but the learned adversary is deterministic in the candidate
// alone; the adversary depends on its weights and PRNG, which the campaign
// checkpoints, so cached verdicts and checkpointed ones replay identically
// after a resume.
//
// Counting (bench/synth.md): `gateCalls` counts every distinct candidate the
// gate runs beyond the static checks (it reached the simulator: every stage
// from there on is a verifier, only cheaper); `verifierCalls` counts calls
// to the last stage alone.

import type { ProvenQuery } from '../proof/write';
import { protocolHash } from '../ir/hash';
import type { Protocol } from '../ir/types';
import { parseProtocol, printProtocol } from '../lang';
import { explore } from '../sim/explore';
import type { Property, Trace } from '../trace/model';
import type { LearnedAdversary } from './adversary-net';
import { complete, type Sketch } from './sketch';
import { deadRules, normalizeProtocol } from './normalize';
import { defaultInstances, round3, scoreOf } from './score';
import { simulateStage } from './sim-stage';
import type { Verifier } from './verifier';

export const STAGES = ['parse', 'simulate', 'adversary', 'explore', 'verify'] as const;
export type Stage = (typeof STAGES)[number];

/** What the gate concluded about one distinct candidate (plain data: it goes into checkpoints). */
export interface Verdict {
  /** canonical hash; null when the completion does not parse. */
  hash: string | null;
  /** the stage that decided: the rejecting one, or 'verify' for kept and unknown. */
  stage: Stage;
  outcome: 'kept' | 'rejected' | 'unknown';
  /** properties shown violated by the deciding stage. */
  violated: Property[];
  detail: string;
  /** score when kept (1 + bonuses). */
  score: number | null;
  /** the simulation stage's survival share (sim-stage.ts), when the candidate reached it; absent in older checkpoints. */
  survival?: number;
}

export interface Evaluation {
  verdict: Verdict;
  /** true when the verdict came from the cache. */
  cached: boolean;
  /** the normalized protocol and its canonical text (absent when it does not parse). */
  protocol: Protocol | null;
  text: string | null;
  proofs: ProvenQuery[];
}

export interface GateStats {
  evaluated: number;
  cacheHits: number;
  rejected: Record<Stage, number>;
  unknown: number;
  kept: number;
  /** calls to the last stage (the Verifier). */
  verifierCalls: number;
  /** distinct candidates that reached the simulator (every stage past the static checks). */
  gateCalls: number;
  adversary: AdversaryStats;
}

/** What the learned adversary did (all zero when the stage is off). */
export interface AdversaryStats {
  /** candidates it attacked. */
  attacked: number;
  /** candidates it rejected (= rejected.adversary). */
  rejected: number;
  /** candidates it passed that a later stage still refuted. */
  missedByExplore: number;
  missedByVerify: number;
  /** sampled runs, and decisions cloned from later stages' counterexamples. */
  episodes: number;
  imitated: number;
}

export function emptyAdversaryStats(): AdversaryStats {
  return { attacked: 0, rejected: 0, missedByExplore: 0, missedByVerify: 0, episodes: 0, imitated: 0 };
}

export interface GateState {
  /** hash -> verdict; the parse-failure key is `parse:<choices>`. */
  verdicts: Record<string, Verdict>;
  stats: GateStats;
}

export function emptyGateState(): GateState {
  return {
    verdicts: {},
    stats: { evaluated: 0, cacheHits: 0, rejected: { parse: 0, simulate: 0, adversary: 0, explore: 0, verify: 0 }, unknown: 0, kept: 0, verifierCalls: 0, gateCalls: 0, adversary: emptyAdversaryStats() },
  };
}

/** Fills in counters that older checkpoints lack. */
export function upgradeGateState(state: GateState): GateState {
  const s = state.stats;
  s.rejected.adversary ??= 0;
  s.gateCalls ??= s.verifierCalls;
  s.adversary ??= emptyAdversaryStats();
  return state;
}

export class Gate {
  constructor(
    private readonly sketch: Sketch,
    private readonly verifier: Verifier,
    readonly state: GateState = emptyGateState(),
    /** the learned adversary stage; null to skip it. */
    private readonly adversary: LearnedAdversary | null = null,
  ) {}

  get stats(): GateStats {
    return this.state.stats;
  }

  async evaluate(choices: readonly number[]): Promise<Evaluation> {
    const stats = this.state.stats;
    stats.evaluated++;
    const text = complete(this.sketch, choices);
    const parsed = parseProtocol(text, `${this.sketch.file}#${choices.join('.')}`);
    if (!parsed.ok) {
      const key = `parse:${choices.join('.')}`;
      const hit = this.state.verdicts[key];
      if (hit !== undefined) return this.hit(hit);
      return this.fresh(key, { hash: null, stage: 'parse', outcome: 'rejected', violated: [], detail: parsed.errors[0]!.message, score: null }, null, []);
    }
    const protocol = normalizeProtocol(parsed.value);
    const hash = protocolHash(protocol);
    const hit = this.state.verdicts[hash];
    if (hit !== undefined) return { ...this.hit(hit), protocol, text: printProtocol(protocol) };
    const v = await this.decide(protocol, hash);
    return this.fresh(hash, v.verdict, protocol, v.proofs);
  }

  private hit(v: Verdict): Evaluation {
    this.state.stats.cacheHits++;
    return { verdict: v, cached: true, protocol: null, text: null, proofs: [] };
  }

  private fresh(key: string, v: Verdict, protocol: Protocol | null, proofs: ProvenQuery[]): Evaluation {
    const stats = this.state.stats;
    this.state.verdicts[key] = v;
    switch (v.outcome) {
      case 'kept':
        stats.kept++;
        break;
      case 'unknown':
        stats.unknown++;
        break;
      case 'rejected':
        stats.rejected[v.stage]++;
        break;
    }
    return { verdict: v, cached: false, protocol, text: protocol === null ? null : printProtocol(protocol), proofs };
  }

  private async decide(protocol: Protocol, hash: string): Promise<{ verdict: Verdict; proofs: ProvenQuery[] }> {
    const reject = (stage: Stage, violated: Property[], detail: string, survival?: number): { verdict: Verdict; proofs: [] } => ({
      verdict: { hash, stage, outcome: 'rejected', violated, detail, score: null, ...(survival === undefined ? {} : { survival }) },
      proofs: [],
    });
    const dead = deadRules(protocol);
    if (dead.length > 0) return reject('parse', [], dead[0]!);
    const instances = defaultInstances(protocol);
    if (instances.length === 0) return reject('parse', [], 'no small instance satisfies the resilience condition');
    if (protocol.properties.termination === null || !protocol.properties.agreement || !protocol.properties.validity) {
      return reject('parse', [], 'a synthesized protocol must claim agreement, validity and termination');
    }

    const stats = this.state.stats;
    stats.gateCalls++;
    const sim = simulateStage(protocol, hash, instances);
    const survival = round3(sim.survival);
    if (sim.violated.length > 0) return reject('simulate', sim.violated, sim.detail, survival);

    const adv = this.adversary;
    if (adv !== null) {
      stats.adversary.attacked++;
      const a = adv.attack(protocol, hash, instances);
      stats.adversary.episodes += a.episodes;
      if (a.violated.length > 0) {
        stats.adversary.rejected++;
        return reject('adversary', a.violated, a.detail);
      }
    }
    /** a later stage refuted what the adversary passed: count it, and learn from the witness. */
    const missed = (stage: 'explore' | 'verify', witness: Trace | undefined): void => {
      if (adv === null) return;
      if (stage === 'explore') stats.adversary.missedByExplore++;
      else stats.adversary.missedByVerify++;
      if (witness !== undefined) stats.adversary.imitated += adv.imitate(protocol, witness);
    };

    const smallest = instances[0]!;
    const ex = explore(protocol, { n: smallest.n, t: smallest.t, hash, maxConfigs: 50_000 });
    if (ex.ok) {
      const violated = (['agreement', 'validity', 'termination'] as const).filter((p) => ex.value[p].status === 'violated');
      if (violated.length > 0) {
        const first = ex.value[violated[0]!];
        missed('explore', first.status === 'violated' ? first.witness : undefined);
        return reject('explore', [...violated], `every adversary at ${smallest.n}:${smallest.t}`);
      }
    }

    stats.verifierCalls++;
    const r = await this.verifier.verify(protocol, hash);
    switch (r.verdict) {
      case 'violated':
        missed('verify', r.witness);
        return reject('verify', r.violated, r.detail);
      case 'unknown':
        return { verdict: { hash, stage: 'verify', outcome: 'unknown', violated: [], detail: r.detail, score: null }, proofs: [] };
      case 'verified':
        return { verdict: { hash, stage: 'verify', outcome: 'kept', violated: [], detail: r.detail, score: scoreOf(protocol).score }, proofs: r.proofs };
    }
  }
}

/**
 * The learning signal (issue 6): 0 when the static checks reject the
 * candidate; when the simulation stage refutes it, up to 0.4 by the share of
 * its runs that violated nothing (squared: a candidate that fails once in
 * the whole battery is much closer than one that fails half the time);
 * 0.45 to 0.6 the further it got past the simulator (the learned
 * adversary, exploration, the last stage); 0.5 when the last stage cannot
 * decide; 1 + bonuses when kept. Why the survival share and not which
 * property failed: over a sketch's completions the failed property is
 * nearly independent of the choices that make a protocol correct (measured
 * in the proposer lab, bench/proposers.md), the survival share is not.
 * A candidate proposed again (a cache hit) earns a quarter: without that the
 * policy collapses on the first near miss it meets and keeps re-proposing it
 * for free.
 */
export function rewardOf(v: Verdict, repeat: boolean): number {
  return repeat ? 0.25 * baseReward(v) : baseReward(v);
}

const DEPTH: Record<Stage, number> = { parse: 0, simulate: 0, adversary: 0.45, explore: 0.5, verify: 0.6 };

function baseReward(v: Verdict): number {
  switch (v.outcome) {
    case 'kept':
      return v.score ?? 1;
    case 'unknown':
      return 0.5;
    case 'rejected':
      // older checkpoints lack the survival share: count their simulation rejects as failing every run
      return v.stage === 'simulate' ? 0.4 * (v.survival ?? 0) ** 2 : DEPTH[v.stage];
  }
}
