// The phase-lemma rows of the check benchmark: what checkLemma (src/check/lemmas.ts)
// answered for one protocol and property, for every n and t, in the shape
// bench/check.json keeps (engine 'lemma'), with the soundness cross-check
// against specs/expected.json.
import type { Verdict } from '../../src/check/check';
import type { LemmaProperty } from './types';

/** One lemma query as the report keeps it (the SMT-LIB text is not kept). */
export interface LemmaQueryTime {
  name: string;
  status: 'sat' | 'unsat' | 'unknown';
  ms: number;
}

/** What the worker sends back for one property. */
export type LemmaOutcome =
  | { kind: 'result'; verdict: 'verified' | 'unknown'; ms: number; region: string; queries: LemmaQueryTime[]; reason?: string }
  | { kind: 'skipped'; reason: string }
  | { kind: 'error'; ms: number; error: string; fatal: boolean };

export type LemmaVerdict = 'verified' | 'unknown' | 'not applicable';

export interface LemmaRow {
  engine: 'lemma';
  file: string;
  protocol: string;
  property: LemmaProperty;
  verdict: LemmaVerdict;
  /** specs/expected.json's verdict for this protocol and property, if any */
  expected: Verdict | null;
  /** checkLemma's wall time: the region check, the encodings and every lemma query (0 when not applicable) */
  ms: number;
  /** the sum of the lemma queries' times */
  solve_ms: number;
  queries: LemmaQueryTime[];
  /** what a verified verdict covers */
  region?: string;
  /** why unknown or not applicable */
  reason?: string;
  /** the worker failed (exception or crash): the verdict is then unknown */
  error?: string;
  /** verified where specs/expected.json says violated: a soundness bug */
  soundness_bug: boolean;
}

export const LEMMA_PROPERTIES: readonly LemmaProperty[] = ['agreement', 'validity', 'termination'];

export const lemmaKey = (file: string, property: LemmaProperty): string => `lemma|${file}|${property}`;

export function makeLemmaRow(file: string, protocol: string, property: LemmaProperty, o: LemmaOutcome, expected: Verdict | null): LemmaRow {
  const base = { engine: 'lemma' as const, file, protocol, property, expected };
  if (o.kind === 'skipped') return { ...base, verdict: 'not applicable', ms: 0, solve_ms: 0, queries: [], reason: o.reason, soundness_bug: false };
  if (o.kind === 'error') return { ...base, verdict: 'unknown', ms: o.ms, solve_ms: 0, queries: [], error: o.error, soundness_bug: false };
  const row: LemmaRow = {
    ...base,
    verdict: o.verdict,
    ms: o.ms,
    solve_ms: o.queries.reduce((s, q) => s + q.ms, 0),
    queries: o.queries,
    region: o.region,
    soundness_bug: o.verdict === 'verified' && expected === 'violated',
  };
  if (o.reason !== undefined) row.reason = o.reason;
  return row;
}
