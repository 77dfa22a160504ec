// A synthesis campaign: propose a batch, gate every candidate, learn from the
// rewards, write what was verified, checkpoint, repeat until the candidate
// budget, the time limit or the search space runs out.
//
// Deterministic under the seed: the proposers draw from seeded PRNGs, the
// policy starts from seeded weights, and every gate stage is a function of
// the candidate alone. Only --time (wall clock) and solver timeouts can make
// two runs differ.

import { TOOL } from '../proof/from-check';
import { ProofDirError, writeProofs } from '../proof/write';
import { join } from 'path';
import { shortHash } from '../ir/hash';
import { printProtocol } from '../lang';
import type { Path } from '../util/json-locate';
import { errnoText, prepareDir, statOrNull, writeFileAtomic } from '../util/out-path';
import { CHECKPOINT, type CampaignState, loadCheckpoint, saveCheckpoint, textHash, type VerifiedEntry } from './checkpoint';
import { DEFAULT_ADVERSARY, LearnedAdversary, type AdversaryConfig } from './adversary-net';
import { emptyGateState, Gate, rewardOf, type Evaluation, type GateStats } from './gate';
import { lockDir } from './lock';
import { NetStateError } from './mlp';
import { LearnedProposer, type PolicyConfig } from './policy';
import { EnumerateProposer, RandomProposer, type Proposer, type Strategy } from './proposer';
import { arities, type Sketch } from './sketch';
import { curveSvg } from './svg';
import type { Tf } from './tf';
import type { Verifier } from './verifier';

export interface CampaignOptions {
  sketch: Sketch;
  strategy: Strategy;
  seed: number;
  /** candidates to propose in total (over resumes). */
  budget: number;
  /** wall-clock limit in seconds for this invocation; null for none. */
  timeS: number | null;
  outDir: string;
  resume: boolean;
  verifier: Verifier;
  /** candidates per batch (and per policy update). */
  batch?: number;
  /** TensorFlow.js, required for the learned strategy. */
  tf?: Tf;
  policy?: PolicyConfig;
  /** the learned adversary stage in the gate: on by default when tf is given; false to skip it. */
  adversary?: boolean;
  adversaryConfig?: AdversaryConfig;
  onProgress?: (p: Progress) => void;
  /** called after each checkpoint (tests use it to kill the process at a known point). */
  onCheckpoint?: (state: CampaignState) => void;
}

export interface Progress {
  candidates: number;
  budget: number;
  verified: number;
  best: number | null;
  stats: GateStats;
  elapsedMs: number;
  meanReward: number;
}

export interface CampaignResult {
  state: CampaignState;
  /** candidates per second over this invocation. */
  rate: number;
  /** the highest score; the earliest found among equals. */
  best: VerifiedEntry | null;
  checkpointFile: string;
  curveFile: string;
}

export const DEFAULT_BATCH = 16;

function makeProposer(o: CampaignOptions, saved: unknown): Proposer {
  const a = arities(o.sketch);
  switch (o.strategy) {
    case 'random':
      return new RandomProposer(a, o.seed, saved);
    case 'enumerate':
      return new EnumerateProposer(a, saved);
    case 'learned':
      if (o.tf === undefined) throw new Error('the learned strategy needs TensorFlow.js (pass tf)');
      return new LearnedProposer(o.tf, a, o.seed, saved, o.policy);
  }
}

function freshState(o: CampaignOptions): CampaignState {
  return {
    version: 1,
    sketch: o.sketch.file,
    sketchHash: textHash(o.sketch.source),
    strategy: o.strategy,
    seed: o.seed,
    verifier: o.verifier.name,
    candidates: 0,
    firstVerifiedAt: null,
    firstVerifiedAtFinal: null,
    verified: [],
    curve: [],
    gate: emptyGateState(),
    proposer: undefined,
    adversary: adversaryOn(o) ? undefined : null,
    elapsedMs: 0,
    finished: false,
  };
}

/** Why a checkpoint cannot be resumed by these options, or null if it can. */
function mismatch(state: CampaignState, o: CampaignOptions): string | null {
  if (state.sketchHash !== textHash(o.sketch.source)) return 'the sketch changed since the checkpoint';
  if (state.strategy !== o.strategy) return `the checkpoint is of strategy ${state.strategy}, not ${o.strategy}`;
  if (state.seed !== o.seed) return `the checkpoint has seed ${state.seed}, not ${o.seed}`;
  if (state.verifier !== o.verifier.name) return `the checkpoint used verifier ${state.verifier}, not ${o.verifier.name}`;
  if ((state.adversary === null) === adversaryOn(o)) return `the checkpoint was made ${state.adversary === null ? 'without' : 'with'} the learned adversary`;
  return null;
}

function adversaryOn(o: CampaignOptions): boolean {
  return o.adversary ?? o.tf !== undefined;
}

/** A campaign that cannot run as asked (its --out directory, its checkpoint): the user's to fix, not a bug. */
export class CampaignError extends Error {}
export class ResumeError extends CampaignError {}

/** Runs a write to --out; a file system error (full disk, permissions) becomes a CampaignError naming the file. */
function writing<T>(file: string, write: () => T): T {
  try {
    return write();
  } catch (e) {
    if (e instanceof ProofDirError) throw new CampaignError(e.message);
    if (typeof (e as NodeJS.ErrnoException | null)?.code === 'string') throw new CampaignError(`cannot write ${file}: ${errnoText(e)}`);
    throw e;
  }
}

/** The saved state of a network, loaded by `load`; a state that does not fit is a ResumeError naming the field. */
function loadNet<T>(checkpointFile: string, at: Path, load: () => T): T {
  try {
    return load();
  } catch (e) {
    if (e instanceof NetStateError) throw new ResumeError(`${checkpointFile}: ${e.within(at).message}\n${checkpointFile}: not a checkpoint of this sketch that this bftsynth can resume`);
    throw e;
  }
}

/** The state to start from: a fresh one, or the checkpoint's (--resume). Never overwrites a campaign it was not asked to resume. */
function startState(o: CampaignOptions, checkpointFile: string): CampaignState {
  if (!o.resume) {
    if (statOrNull(checkpointFile) !== null) throw new ResumeError(`${o.outDir} holds a campaign (${checkpointFile}): continue it with --resume, or choose another --out`);
    return freshState(o);
  }
  const saved = loadCheckpoint(checkpointFile);
  if (!saved.ok) throw new ResumeError(saved.message);
  if (saved.state === null) return freshState(o);
  const why = mismatch(saved.state, o);
  if (why !== null) throw new ResumeError(`${checkpointFile}: cannot resume: ${why}`);
  return saved.state;
}

/**
 * Runs a campaign into o.outDir, which it locks for the time (lock.ts):
 * a second campaign there, or a fresh one over an existing checkpoint, is a
 * CampaignError before any work.
 */
export async function runCampaign(o: CampaignOptions): Promise<CampaignResult> {
  const problem = prepareDir(o.outDir);
  if (problem !== null) throw new CampaignError(problem);
  const lock = lockDir(o.outDir);
  if (typeof lock === 'string') throw new CampaignError(lock);
  try {
    return await runLocked(o);
  } finally {
    lock.release();
  }
}

async function runLocked(o: CampaignOptions): Promise<CampaignResult> {
  const checkpointFile = join(o.outDir, CHECKPOINT);
  const curveFile = join(o.outDir, 'curve.svg');
  const state = startState(o, checkpointFile);
  const proposer = loadNet(checkpointFile, ['proposer'], () => makeProposer(o, state.proposer));
  let adversary: LearnedAdversary | null = null;
  if (adversaryOn(o)) {
    const tf = o.tf;
    if (tf === undefined) throw new Error('the learned adversary needs TensorFlow.js (pass tf)');
    try {
      adversary = loadNet(checkpointFile, ['adversary'], () => new LearnedAdversary(tf, o.seed, state.adversary ?? undefined, o.adversaryConfig ?? DEFAULT_ADVERSARY));
    } catch (e) {
      if (proposer instanceof LearnedProposer) proposer.dispose();
      throw e;
    }
  }
  const gate = new Gate(o.sketch, o.verifier, state.gate, adversary);
  const started = Date.now();
  const startCandidates = state.candidates;
  const elapsedBefore = state.elapsedMs;
  const batchSize = o.batch ?? DEFAULT_BATCH;
  const known = new Set(state.verified.map((v) => v.hash));
  try {
    while (!state.finished) {
      const room = o.budget - state.candidates;
      if (room <= 0 || (o.timeS !== null && Date.now() - started >= o.timeS * 1000)) break;
      const batch = proposer.propose(Math.min(batchSize, room));
      if (batch.length === 0) {
        state.finished = true;
        break;
      }
      const rewards: number[] = [];
      for (const choices of batch) {
        // a turn of the event loop per candidate: the stages may never wait on I/O, and
        // without it a SIGINT or SIGTERM (lock.ts releases the lock) waits for the whole campaign
        await new Promise<void>((resolve) => setImmediate(resolve));
        state.candidates++;
        const ev = await gate.evaluate(choices);
        const hash = ev.verdict.hash;
        const isNew = ev.verdict.outcome === 'kept' && hash !== null && !known.has(hash);
        rewards.push(rewardOf(ev.verdict, ev.cached || (ev.verdict.outcome === 'kept' && !isNew)));
        if (isNew) {
          known.add(hash);
          state.firstVerifiedAt ??= gate.stats.gateCalls;
          state.firstVerifiedAtFinal ??= gate.stats.verifierCalls;
          state.verified.push(writeVerified(o, state, ev, choices, hash));
        }
      }
      proposer.learn(rewards);
      state.curve.push({ candidates: state.candidates, reward: round4(rewards.reduce((s, r) => s + r, 0) / rewards.length), verified: state.verified.length });
      state.proposer = proposer.save();
      if (adversary !== null) state.adversary = adversary.save();
      state.elapsedMs = elapsedBefore + (Date.now() - started);
      writing(checkpointFile, () => saveCheckpoint(checkpointFile, state));
      o.onCheckpoint?.(state);
      o.onProgress?.(progressOf(state, o.budget, gate.stats));
    }
  } finally {
    if (proposer instanceof LearnedProposer) proposer.dispose();
    adversary?.dispose();
  }
  state.elapsedMs = elapsedBefore + (Date.now() - started);
  writing(curveFile, () => writeFileAtomic(curveFile, curveSvg(`${o.sketch.file}: ${o.strategy}, seed ${o.seed}`, state.curve)));
  const seconds = (Date.now() - started) / 1000;
  return { state, rate: seconds > 0 ? (state.candidates - startCandidates) / seconds : 0, best: bestOf(state), checkpointFile, curveFile };
}

function progressOf(state: CampaignState, budget: number, stats: GateStats): Progress {
  const recent = state.curve.slice(-10);
  return {
    candidates: state.candidates,
    budget,
    verified: state.verified.length,
    best: state.verified.reduce<number | null>((b, v) => (b === null || v.score > b ? v.score : b), null),
    stats,
    elapsedMs: state.elapsedMs,
    meanReward: recent.length === 0 ? 0 : recent.reduce((s, p) => s + p.reward, 0) / recent.length,
  };
}

/** Writes a kept protocol as an ordinary spec file (and its proof artefacts); returns its entry. */
function writeVerified(o: CampaignOptions, state: CampaignState, ev: Evaluation, choices: readonly number[], hash: string): VerifiedEntry {
  const protocol = ev.protocol!;
  const score = ev.verdict.score ?? 1;
  const file = join(o.outDir, `${protocol.name}-${shortHash(hash)}.bft`);
  const picks = o.sketch.holes.map((h, i) => `//   ?${h.name} = ${oneLine(h.choices[choices[i]!]!)}`);
  const header = [
    `// Synthesized by bftsynth from ${o.sketch.file} (strategy ${o.strategy}, seed ${o.seed}, candidate ${state.candidates}).`,
    `// Kept by the gate: ${ev.verdict.detail}; score ${score}.`,
    `// Hash ${hash}.`,
    '// Choices:',
    ...picks,
  ];
  writing(file, () => writeFileAtomic(file, `${header.join('\n')}\n${printProtocol(protocol)}`));
  if (ev.proofs.length > 0) {
    const dir = join(o.outDir, 'proofs', shortHash(hash));
    // the same artefacts as `check --proofs`: `bftsynth proof check DIR` re-runs them
    writing(dir, () => writeProofs(dir, { name: protocol.name, hash, file }, TOOL, ev.proofs));
  }
  return { file, hash, score, choices: [...choices], candidate: state.candidates, verifierCalls: state.gate.stats.verifierCalls, gateCalls: state.gate.stats.gateCalls };
}

function oneLine(s: string): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat === '' ? '(empty)' : flat;
}

function round4(x: number): number {
  return Math.round(x * 10000) / 10000;
}

export function bestOf(state: CampaignState): VerifiedEntry | null {
  let best: VerifiedEntry | null = null;
  for (const v of state.verified) if (best === null || v.score > best.score) best = v;
  return best;
}
