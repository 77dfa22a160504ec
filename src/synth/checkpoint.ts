// Campaign state on disk. One JSON file, replaced atomically (temp file,
// fsync, rename) after every batch: a campaign killed at any instant resumes
// from the last complete batch. Verified protocols are written (idempotently:
// the name comes from the hash) before the checkpoint that lists them, so a
// listed protocol always has its file, and a protocol found after the last
// checkpoint is found again, deterministically, by the resumed run.
//
// Loading validates every field (a schema; the networks check their weights'
// shapes as they load them): a truncated or edited checkpoint is a message
// naming the file and the field, not a crash or a silently different run.

import { readFileSync } from 'fs';
import { basename, dirname, join } from 'path';
import { z } from 'zod';
import { formatJsonErrors, readJson, zodIssues } from '../util/json-read';
import { errnoText, statOrNull, writeFileAtomic } from '../util/out-path';
import { sha256 } from '../util/sha256';
import { adversaryStateSchema } from './adversary-net';
import { emptyAdversaryStats, STAGES, type GateState } from './gate';
import { countSchema, uint32Schema } from './mlp';
import { policyStateSchema } from './policy';
import { STRATEGIES, type Strategy } from './proposer';
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

/** sha256 of a text (the sketch's, so that a resume against an edited sketch is refused). */
export const textHash = sha256;

export const CHECKPOINT = 'checkpoint.json';

const hashSchema = z.string().regex(/^[0-9a-f]{64}$/, 'expected a sha256 in hex');

const verdictSchema = z.object({
  hash: hashSchema.nullable(),
  stage: z.enum(STAGES),
  outcome: z.enum(['kept', 'rejected', 'unknown']),
  violated: z.array(z.enum(['agreement', 'validity', 'termination'])),
  detail: z.string(),
  score: z.number().nullable(),
  survival: z.number().optional(),
});

// Optional fields: counters that checkpoints of earlier versions lack (filled in on load).
const statsSchema = z.object({
  evaluated: countSchema,
  cacheHits: countSchema,
  rejected: z.object({ parse: countSchema, simulate: countSchema, adversary: countSchema.optional(), explore: countSchema, verify: countSchema }),
  unknown: countSchema,
  kept: countSchema,
  verifierCalls: countSchema,
  gateCalls: countSchema.optional(),
  adversary: z.object({ attacked: countSchema, rejected: countSchema, missedByExplore: countSchema, missedByVerify: countSchema, episodes: countSchema, imitated: countSchema }).optional(),
});

/** What each strategy's proposer saves (proposer.ts, policy.ts). */
const PROPOSER_STATES: Record<Strategy, z.ZodType> = {
  random: z.object({ rng: uint32Schema }),
  enumerate: z.object({ next: countSchema }),
  learned: policyStateSchema,
};

/**
 * The checkpoint as the campaign writes it. The proposer's state depends on
 * the strategy, the adversary's is null when the stage is off; the network
 * shapes are checked where the networks load them (mlp.ts: NetStateError).
 */
const checkpointSchema = z
  .object({
    version: z.literal(1, { error: (iss) => `this bftsynth reads checkpoints of version 1, not ${JSON.stringify(iss.input) ?? 'a missing version'}` }),
    sketch: z.string(),
    sketchHash: hashSchema,
    strategy: z.enum(STRATEGIES),
    seed: z.number().int(),
    verifier: z.string(),
    candidates: countSchema,
    firstVerifiedAt: countSchema.nullable(),
    firstVerifiedAtFinal: countSchema.nullable().optional(),
    verified: z.array(
      z.object({
        file: z.string().min(1),
        hash: hashSchema,
        score: z.number(),
        choices: z.array(countSchema),
        candidate: countSchema,
        verifierCalls: countSchema,
        gateCalls: countSchema.optional(),
      }),
    ),
    curve: z.array(z.object({ candidates: countSchema, reward: z.number(), verified: countSchema })),
    gate: z.object({ verdicts: z.record(z.string(), verdictSchema), stats: statsSchema }),
    proposer: z.unknown(),
    adversary: z.union([z.null(), adversaryStateSchema], { error: 'expected null (the learned adversary off) or the learned adversary\'s state (an object)' }).optional(),
    elapsedMs: z.number().nonnegative(),
    finished: z.boolean(),
  })
  .superRefine((s, ctx) => {
    const schema = PROPOSER_STATES[s.strategy] as z.ZodType | undefined;
    if (schema === undefined) return;
    const checked = schema.safeParse(s.proposer);
    if (!checked.success) for (const i of zodIssues(checked.error, s.proposer, ['proposer'])) ctx.addIssue({ code: 'custom', path: i.path, message: i.message });
  });

type Parsed = z.infer<typeof checkpointSchema>;

/**
 * Verified files are stored by name, relative to the checkpoint's directory
 * (the --out directory, where they are written), so a campaign resumes from
 * any working directory. Checkpoints of earlier versions stored them
 * relative to the working directory of their run (`synth-out/X.bft`): their
 * last component is still the name in the --out directory.
 */
function resolveIn(dir: string, file: string): string {
  return join(dir, basename(file));
}

/** The state in memory: older checkpoints' missing counters filled in, file names resolved against `dir`. */
function upgrade(s: Parsed, dir: string): CampaignState {
  const stats = s.gate.stats;
  const gate: GateState = {
    verdicts: s.gate.verdicts,
    stats: { ...stats, rejected: { ...stats.rejected, adversary: stats.rejected.adversary ?? 0 }, gateCalls: stats.gateCalls ?? stats.verifierCalls, adversary: stats.adversary ?? emptyAdversaryStats() },
  };
  const verified = s.verified.map((v) => ({ ...v, file: resolveIn(dir, v.file), gateCalls: v.gateCalls ?? v.verifierCalls }));
  return { ...s, firstVerifiedAtFinal: s.firstVerifiedAtFinal ?? null, verified, gate };
}

export function saveCheckpoint(file: string, state: CampaignState): void {
  writeFileAtomic(file, JSON.stringify({ ...state, verified: state.verified.map((v) => ({ ...v, file: basename(v.file) })) }));
}

export type CheckpointLoad = { ok: true; state: CampaignState | null } | { ok: false; message: string };

/**
 * The campaign state in `file` (null when there is none), or what is wrong
 * with it: file:line:col and the field's path, never an exception.
 */
export function loadCheckpoint(file: string): CheckpointLoad {
  const s = statOrNull(file);
  if (s === null) return { ok: true, state: null };
  if (!s.isFile()) return { ok: false, message: `${file}: not a regular file` };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { ok: false, message: `${file}: cannot read: ${errnoText(e)}` };
  }
  const parsed = readJson(text, file, checkpointSchema);
  if (!parsed.ok) return { ok: false, message: `${formatJsonErrors(parsed.errors, text)}\n${file}: not a checkpoint this bftsynth can resume` };
  return { ok: true, state: upgrade(parsed.value, dirname(file)) };
}
