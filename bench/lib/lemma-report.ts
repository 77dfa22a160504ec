// The phase-lemma part of bench/check.md and of bench/check.json's summary:
// per protocol and property, checkLemma's verdict for every n and t, its time
// and its queries, plus Phase King's headline beside the synchronous
// threshold automata artefact (bench/check.md).
import { basename } from 'path';
import { GROWTH_FILE } from './plan';
import { fmtMs, fmtNum } from './stats';
import type { LemmaRow } from './lemma-rows';

/** The synchronous threshold automata artefact: phase king's validity and agreement for all n, about 5.5 s, no termination. */
export const STA_MS = 5500;
/** the target: a fifth of that */
export const STA_TARGET_MS = STA_MS / 5;

export interface LemmaHeadline {
  protocol: string;
  /** agreement, validity, termination: verdict each */
  verdicts: Record<string, string>;
  verified: number;
  /** checkLemma's wall time over the three properties */
  total_ms: number;
  /** the lemma queries alone */
  solve_ms: number;
  /** agreement and validity only (what the artefact proves) */
  safety_ms: number;
  sta_ms: number;
  target_ms: number;
  /** all three verified within the target */
  target_met: boolean;
}

export interface LemmaSummary {
  rows: number;
  verdicts: Record<string, number>;
  total_ms: number;
  errors: number;
  /** verified where specs/expected.json says violated */
  soundness_bugs: number;
  headline: LemmaHeadline | null;
}

const stem = (file: string): string => basename(file, '.bft');
const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

function headlineOf(rows: readonly LemmaRow[]): LemmaHeadline | null {
  const pk = rows.filter((x) => x.file === GROWTH_FILE);
  if (pk.length === 0) return null;
  const verdicts: Record<string, string> = {};
  for (const x of pk) verdicts[x.property] = x.verdict;
  const verified = pk.filter((x) => x.verdict === 'verified').length;
  const total = sum(pk.map((x) => x.ms));
  return {
    protocol: stem(GROWTH_FILE),
    verdicts,
    verified,
    total_ms: total,
    solve_ms: sum(pk.map((x) => x.solve_ms)),
    safety_ms: sum(pk.filter((x) => x.property !== 'termination').map((x) => x.ms)),
    sta_ms: STA_MS,
    target_ms: STA_TARGET_MS,
    target_met: verified === 3 && total <= STA_TARGET_MS,
  };
}

export function summarizeLemma(rows: readonly LemmaRow[]): LemmaSummary {
  const verdicts: Record<string, number> = {};
  for (const x of rows) verdicts[x.verdict] = (verdicts[x.verdict] ?? 0) + 1;
  return {
    rows: rows.length,
    verdicts,
    total_ms: sum(rows.map((x) => x.ms)),
    errors: rows.filter((x) => x.error !== undefined).length,
    soundness_bugs: rows.filter((x) => x.soundness_bug).length,
    headline: headlineOf(rows),
  };
}

export function headlineLine(h: LemmaHeadline): string {
  const vs = ['agreement', 'validity', 'termination'].map((p) => `${p} ${h.verdicts[p] ?? '-'}`).join(', ');
  const x = h.total_ms > 0 ? `${fmtNum(h.sta_ms / h.total_ms)}x faster than` : 'vs';
  return (
    `${h.protocol}, every n and t: ${vs}; ${fmtMs(h.total_ms)} ms in all (lemma queries alone ${fmtMs(h.solve_ms)} ms; agreement and validity ${fmtMs(h.safety_ms)} ms). ` +
    `The synchronous threshold automata artefact proves validity and agreement for all n in about ${fmtNum(h.sta_ms / 1000)} s and does not check termination: ${x} it with termination included; target a fifth (${fmtMs(h.target_ms)} ms): ${h.target_met ? 'met' : '**not met**'}`
  );
}

function verdictCell(x: LemmaRow): string {
  if (x.error !== undefined) return '**error**';
  if (x.soundness_bug) return `**verified (expected violated): SOUNDNESS BUG**`;
  if (x.verdict === 'verified') return 'verified';
  return x.verdict === 'unknown' ? '*unknown*' : 'not applicable';
}

const queriesCell = (x: LemmaRow): string => (x.queries.length === 0 ? '-' : x.queries.map((q) => `${q.name} ${q.status} ${fmtMs(q.ms)}`).join('; '));

/** Reasons contain no newlines; pipes would break the table. */
const cellText = (s: string): string => s.replace(/\|/g, '\\|');

export function lemmaSection(rows: readonly LemmaRow[], s: LemmaSummary): string[] {
  const L: string[] = ['## Phase lemmas (every n and t)', ''];
  L.push(
    "One-phase lemmas over a havoc start (src/check/lemmas.ts's checkLemma, `bftsynth check --engine lemma`), run in each protocol's worker after its other queries: 'verified' only when every lemma the argument uses is unsat, for every n and t the resilience condition admits; a lemma that does not hold (sat) is *unknown*, never a violation (the havoc start over-approximates the reachable configurations). **ms** is checkLemma's wall time (the region check, the encodings and the lemma queries); each query shows its status and ms. A lemma verified where specs/expected.json says violated would be a soundness bug (exit 1).",
    '',
  );
  if (s.headline !== null) L.push(`- **Headline**: ${headlineLine(s.headline)}`);
  const vs = Object.entries(s.verdicts).map(([k, v]) => `${v} ${k}`).join(', ');
  L.push(`- ${s.rows} protocol/property pairs: ${vs}; ${fmtNum(s.total_ms / 1000)} s in all`);
  if (s.errors > 0) L.push(`- **ERRORS: ${s.errors}** lemma runs failed on our side (see the rows marked error)`);
  L.push(s.soundness_bugs === 0 ? '- No soundness conflict: no lemma verified where specs/expected.json says violated' : `- **SOUNDNESS BUGS: ${s.soundness_bugs}** lemma verdicts verified where specs/expected.json says violated; see the rows marked SOUNDNESS BUG`);
  L.push('');
  L.push('| protocol | property | verdict | expected | ms | queries (name status ms) | reason |', '|---|---|---|---|---:|---|---|');
  for (const x of rows) {
    const reason = x.error !== undefined ? `failed: ${x.error}` : (x.reason ?? '');
    L.push(`| ${stem(x.file)} | ${x.property} | ${verdictCell(x)} | ${x.expected ?? '-'} | ${fmtMs(x.ms)} | ${queriesCell(x)} | ${cellText(reason)} |`);
  }
  L.push('');
  return L;
}
