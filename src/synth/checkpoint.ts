// Campaign state on disk. One JSON file, replaced atomically (temp file,
// fsync, rename) after every batch: a campaign killed at any instant resumes
// from the last complete batch. Verified protocols are written (idempotently:
// the name comes from the hash) before the checkpoint that lists them, so a
// listed protocol always has its file, and a protocol found after the last
// checkpoint is found again, deterministically, by the resumed run.

import { createHash } from 'crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'fs';
import { dirname } from 'path';
import type { GateState } from './gate';
import type { Strategy } from './proposer';
import type { CurvePoint } from './svg';

export interface VerifiedEntry {
  file: string;
  hash: string;
  score: number;
  choices: number[];
  /** candidates proposed when it was first found (1-based index of that candidate). */
  candidate: number;
  /** calls to the last gate stage made when it was found. */
  verifierCalls: number;
  /** candidates the gate had run past its static checks when it was found (see gate.ts). */
  gateCalls: number;
}

export interface CampaignState {
  version: 1;
  sketch: string;
  /** sha256 of the sketch text: a resume against an edited sketch is refused. */
  sketchHash: string;
  strategy: Strategy;
  seed: number;
  verifier: string;
  candidates: number;
  /** gate calls (distinct candidates past the static checks) up to and including the first verified one. */
  firstVerifiedAt: number | null;
  /** calls to the last stage up to and including the first verified one. */
  firstVerifiedAtFinal: number | null;
  verified: VerifiedEntry[];
  curve: CurvePoint[];
  gate: GateState;
  proposer: unknown;
  /** the learned adversary's weights, moments and PRNG; null when the stage is off, undefined before the first batch. */
  adversary?: unknown;
  elapsedMs: number;
  /** true once the search space is exhausted (a larger --budget cannot add anything). */
  finished: boolean;
}

export function textHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Writes via a temporary file, fsync and rename, so readers see the old file or the new one, never half. */
export function writeFileAtomic(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

export function saveCheckpoint(file: string, state: CampaignState): void {
  writeFileAtomic(file, JSON.stringify(state));
}

export function loadCheckpoint(file: string): CampaignState | null {
  if (!existsSync(file)) return null;
  const state = JSON.parse(readFileSync(file, 'utf8')) as CampaignState;
  if (state.version !== 1) throw new Error(`${file}: unsupported checkpoint version ${String(state.version)}`);
  return state;
}
