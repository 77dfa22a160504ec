// bench/check.md (a readable table with a summary) and bench/check.json (the
// same rows, plus the run's metadata and summary, for scripts).
import { writeFileAtomic } from '../../src/util/out-path';
import { basename } from 'path';
import type { Machine } from './machine';
import { fmtMs, fmtNum, geomean, median } from './stats';
import { paramSection, summarizeParam, type ParamSummary } from './param-report';
import { headlineLine, lemmaSection, summarizeLemma, type LemmaSummary } from './lemma-report';
import type { LemmaRow } from './lemma-rows';
import type { EngineName, ParamRow, ProtocolMemory, Row } from './types';

export interface Meta {
  date: string;
  machine: Machine;
  z3_wasm: string;
  z3_native: string | null;
  params: Record<string, number | boolean | string>;
  native_command: string;
  timeout_ms: number;
  /** the engines the run used; the rows say which one answered them */
  engines: EngineName[];
  wall_seconds: number;
  orchestrator_peak_rss_mb: number;
  /** 1-minute load average at the start and the end of the run (other jobs on the machine skew timings) */
  load_avg: { start: number; end: number };
  notes: string[];
}

export interface CheckBenchReport {
  meta: Meta;
  memory: ProtocolMemory[];
  /** the concrete counter engine's rows */
  rows: Row[];
  /** the parameterized engine's rows (written to bench/check.json's rows after the counter ones) */
  paramRows: ParamRow[];
  /** the phase lemmas' rows (written to bench/check.json's rows last, engine 'lemma') */
  lemmaRows: LemmaRow[];
}

export interface Summary {
  queries: number;
  library_queries: number;
  growth_queries: number;
  verdicts: Record<string, number>;
  /** library queries answered (verified/violated) by us within 1 s */
  library_within_1s: number;
  /** all queries answered by us within 1 s */
  within_1s: number;
  unknown: number;
  errors: number;
  slowest: { protocol: string; property: string; n: number; t: number; verdict: string; ours_ms: number }[];
  median_ratio: number | null;
  geomean_ratio: number | null;
  ratio_count: number;
  disagreements: number;
  partial: number;
  unexpected: number;
  peak_rss_mb: number;
  /** the parameterized queries (the fields above are the counter engine's) */
  param: ParamSummary | null;
  /** the phase lemmas (every n and t) */
  lemma: LemmaSummary | null;
}

const stem = (file: string): string => basename(file, '.bft');
/** above this size a wasm trap is most likely z3-solver's fromString limit */
const BIG_QUERY_BYTES = 16 * 2 ** 20;
/** load per core above which the report warns that timings are skewed */
const BUSY_LOAD = 0.5;

export function summarize(r: CheckBenchReport): Summary {
  const rows = r.rows;
  const lib = rows.filter((x) => x.sets.includes('library'));
  const answered = (x: Row): boolean => x.verdict !== 'unknown' && x.ours_ms < 1000;
  const verdicts: Record<string, number> = {};
  for (const x of rows) verdicts[x.verdict] = (verdicts[x.verdict] ?? 0) + 1;
  const ratios = rows.map((x) => x.ratio).filter((x): x is number => x !== null);
  return {
    queries: rows.length,
    library_queries: lib.length,
    growth_queries: rows.filter((x) => x.sets.includes('growth') || x.sets.includes('size')).length,
    verdicts,
    library_within_1s: lib.filter(answered).length,
    within_1s: rows.filter(answered).length,
    unknown: rows.filter((x) => x.verdict === 'unknown').length,
    errors: rows.filter((x) => x.ours_error !== undefined).length,
    slowest: [...rows]
      .sort((a, b) => b.ours_ms - a.ours_ms)
      .slice(0, 8)
      .map((x) => ({ protocol: stem(x.file), property: x.property, n: x.n, t: x.t, verdict: x.verdict, ours_ms: x.ours_ms })),
    median_ratio: median(ratios),
    geomean_ratio: geomean(ratios),
    ratio_count: ratios.length,
    disagreements: rows.filter((x) => x.agreement === 'NO').length,
    partial: rows.filter((x) => x.agreement === 'partial').length,
    unexpected: rows.filter(isUnexpected).length,
    peak_rss_mb: Math.max(r.meta.orchestrator_peak_rss_mb, ...r.memory.map((m) => m.peak_rss_mb)),
    param: r.meta.engines.includes('param') ? summarizeParam(r.paramRows) : null,
    lemma: r.meta.engines.includes('lemma') ? summarizeLemma(r.lemmaRows) : null,
  };
}

/** A definite verdict that contradicts specs/expected.json (recorded for the default instances only). */
function isUnexpected(x: Row): boolean {
  return x.expected !== null && x.verdict !== 'unknown' && x.verdict !== x.expected;
}

function verdictCell(x: Row): string {
  if (x.ours_error !== undefined) return '**error**';
  const v = x.verdict === 'unknown' ? '*unknown*' : x.verdict;
  return isUnexpected(x) ? `**${v}** (expected ${x.expected ?? '?'})` : v;
}

function nativeCell(x: Row): string {
  if (x.native_status === null) return '-';
  return x.native_status === 'unsat' || x.native_status === 'sat' ? x.native_status : `*${x.native_status}*`;
}

function agreeCell(x: Row): string {
  return x.agreement === 'NO' ? '**NO: BUG**' : x.agreement;
}

function table(rows: readonly Row[], native: boolean): string[] {
  const head = native
    ? ['protocol', 'property', 'n', 't', 'R', 'verdict', 'ours ms', 'native', 'native ms', 'ours/native', 'agree', 'query kB']
    : ['protocol', 'property', 'n', 't', 'R', 'verdict', 'ours ms', 'query kB'];
  const out = [`| ${head.join(' | ')} |`, `|${head.map((h, i) => (i >= 2 && h !== 'verdict' && h !== 'native' && h !== 'agree' ? '---:' : '---')).join('|')}|`];
  for (const x of rows) {
    const kb = fmtNum(x.smt_bytes / 1024);
    const common = [stem(x.file), x.property, x.n, x.t, x.rounds, verdictCell(x), fmtMs(x.ours_ms)];
    const cells = native ? [...common, nativeCell(x), fmtMs(x.native_ms), x.ratio === null ? '-' : fmtNum(x.ratio), agreeCell(x), kb] : [...common, kb];
    out.push(`| ${cells.join(' | ')} |`);
  }
  return out;
}

export function markdown(r: CheckBenchReport, s: Summary): string {
  const m = r.meta;
  const native = m.z3_native !== null;
  const lib = r.rows.filter((x) => x.sets.includes('library'));
  const growth = r.rows.filter((x) => x.sets.includes('growth')).sort((a, b) => a.n - b.n);
  const size = r.rows.filter((x) => x.sets.includes('size')).sort((a, b) => a.n - b.n);
  const L: string[] = [];
  L.push('# Check benchmark', '');
  L.push(`Written by \`make bench\` (bench/run.ts, bench/check.ts) on ${m.date}; the same rows are in bench/check.json.`, '');
  L.push(`- Machine: ${m.machine.cpu}, ${m.machine.cores} cores, ${m.machine.memory_gb} GB RAM; ${m.machine.os}, Linux ${m.machine.kernel}; Node ${m.machine.node}`);
  L.push(`- Z3, ours: z3-solver ${m.machine.z3_solver} (WebAssembly, Z3 ${m.z3_wasm}), one worker process per protocol, one query at a time`);
  L.push(`- Z3, native: ${native ? `Debian's /usr/bin/z3 ${m.z3_native}` : 'skipped (see Notes)'}`);
  L.push(`- Engines: ${m.engines.join(', ')}; solver parameters ${Object.entries(m.params).map(([k, v]) => `${k}=${String(v)}`).join(', ')} (src/smt/z3.ts DEFAULT_PARAMS) on both sides; timeout ${m.timeout_ms / 1000} s per query, a timeout is reported as unknown`);
  const busy = Math.max(m.load_avg.start, m.load_avg.end) > BUSY_LOAD * m.machine.cores;
  L.push(`- Load (1-minute average): ${m.load_avg.start} at the start, ${m.load_avg.end} at the end${busy ? ' (**other jobs were running**: timings are inflated)' : ''}`);
  L.push('- **ours ms**: wall time of checkOne: encoding, SMT-LIB parsing and solving in the wasm build, decoding and the simulator replay of a counterexample');
  if (native) L.push(`- **native ms**: wall time of \`${m.native_command}\` on the same query text plus \`(check-sat)\` (process start-up and parsing included)`);
  L.push('');
  L.push('## Summary', '');
  const vs = Object.entries(s.verdicts).map(([k, v]) => `${v} ${k}`).join(', ');
  L.push(`- ${s.queries} concrete counter queries (${s.library_queries} library, ${s.growth_queries} Phase King growth, shared ones run once): ${vs}; ${m.wall_seconds} s wall for the whole run`);
  L.push(`- Answered within 1 s (ours): ${s.library_within_1s} of ${s.library_queries} library queries (t = 1..4); ${s.within_1s} of ${s.queries} overall`);
  L.push(`- Slowest (ours): ${s.slowest.map((x) => `${x.protocol} ${x.property} n=${x.n} t=${x.t} ${fmtMs(x.ours_ms)} ms (${x.verdict})`).join('; ')}`);
  if (native) {
    L.push(`- Ratio ours/native over the ${s.ratio_count} queries both answered: median ${fmtNum(s.median_ratio)}, geometric mean ${fmtNum(s.geomean_ratio)}`);
    L.push(s.disagreements === 0 ? `- Verdicts: no disagreement between ours and native z3 (${s.partial} where only one side answered)` : `- **VERDICT DISAGREEMENTS: ${s.disagreements}** (ours and native z3 differ on a definite answer; this is a bug; see the rows marked NO)`);
  }
  if (s.errors > 0) L.push(`- **ERRORS: ${s.errors}** queries failed on our side (exception or worker crash; see Notes)`);
  L.push(s.unexpected === 0 ? '- Every definite verdict matches specs/expected.json' : `- **${s.unexpected} definite verdicts differ from specs/expected.json** (recorded for the default instances; marked in bold)`);
  if (s.param !== null) {
    const p = s.param;
    L.push(`- Parameterized (every admissible n, t = 1..4): ${p.queries} queries, ${p.within_1s} answered within 1 s, ${fmtNum(p.total_ms / 1000)} s in all; median param/concrete (smallest n) ${fmtNum(p.median_param_over_concrete)}; ${p.soundness_bugs === 0 ? 'no soundness conflict with the concrete engine' : `**${p.soundness_bugs} SOUNDNESS BUGS**`} (section below)`);
  }
  if (s.lemma !== null) {
    const q = s.lemma;
    L.push(`- Phase lemmas (every n and t): ${Object.entries(q.verdicts).map(([k, v]) => `${v} ${k}`).join(', ')}; ${q.soundness_bugs === 0 ? 'no soundness conflict with specs/expected.json' : `**${q.soundness_bugs} SOUNDNESS BUGS**`} (section below)`);
    if (q.headline !== null) L.push(`- ${headlineLine(q.headline)}`);
  }
  L.push(`- Peak RSS: ${s.peak_rss_mb} MB (largest worker; the orchestrator ${m.orchestrator_peak_rss_mb} MB); per protocol below`);
  L.push('');
  L.push('## Library: t = 1..4 at the smallest n the resilience condition admits', '');
  L.push(...table(lib, native), '');
  if (growth.length > 0) {
    L.push('## Phase King: growth with n (t = floor((n - 1) / 4))', '');
    L.push('Rows shared with the library table (same query) were run once.', '');
    L.push(...table(growth, native), '');
  }
  if (size.length > 0) {
    L.push('## Phase King: growth with n at a fixed t = 4', '');
    L.push('The counter encoding counts processes per local state, so its size depends on t (the rounds) but not on n.', '');
    L.push(...table(size, native), '');
  }
  if (s.param !== null) L.push(...paramSection(r.paramRows, s.param, native, r.rows));
  if (s.lemma !== null) L.push(...lemmaSection(r.lemmaRows, s.lemma));
  L.push('## Peak memory per protocol', '');
  L.push(
    'Peak RSS of the worker process (Node plus the wasm heap) over all its queries. Each worker first runs its first query once, unmeasured, with a 2 s timeout: the first query in a fresh process pays V8\'s tier-up of the wasm solver and of our JavaScript (about 1 s on Phase King), which a one-off `bftsynth check` sees but a long synthesis run does not. Seconds include the native z3 runs; restarts are crashes or kills of the worker.',
    '',
  );
  L.push('| protocol | queries | warm-up ms | seconds | peak RSS MB | worker restarts |', '|---|---:|---:|---:|---:|---:|');
  for (const x of r.memory) L.push(`| ${stem(x.file)} | ${x.queries} | ${fmtMs(x.warmup_ms)} | ${x.seconds} | ${x.peak_rss_mb} | ${x.restarts} |`);
  const odd = [...r.rows, ...r.paramRows].filter((x) => x.ours_error !== undefined || x.ours_reason !== undefined || x.native_detail !== undefined);
  if (odd.length > 0 || m.notes.length > 0) {
    L.push('', '## Notes', '');
    for (const n of m.notes) L.push(`- ${n}`);
    for (const x of odd) {
      const parts = [x.ours_error !== undefined ? `ours failed: ${x.ours_error}` : null, x.ours_reason !== undefined ? `ours unknown: ${x.ours_reason}` : null, x.native_detail !== undefined ? `native: ${x.native_detail}` : null];
      const where = x.engine === 'param' ? `param t=${x.t ?? 'all'}` : `n=${x.n} t=${x.t}`;
      L.push(`- ${stem(x.file)} ${x.property} ${where}: ${parts.filter((p) => p !== null).join('; ')}`);
    }
    const big = odd.filter((x) => x.ours_error?.includes('RuntimeError') === true && x.smt_bytes > BIG_QUERY_BYTES);
    if (big.length > 0) {
      const mb = Math.max(...big.map((x) => x.smt_bytes)) / 2 ** 20;
      L.push(
        `- The wasm traps above come with queries of up to ${fmtNum(mb)} MB of SMT-LIB: z3-solver's \`Solver.fromString\` traps ("memory access out of bounds") on scripts above roughly 20 MB (measured with z3-solver 5.2.0: 16 MB parses, 24 MB traps), so the query must shrink or be fed in pieces.`,
      );
    }
  }
  return L.join('\n') + '\n';
}

const writeAtomic = writeFileAtomic;

export function writeReports(r: CheckBenchReport, mdFile: string, jsonFile: string): Summary {
  const s = summarize(r);
  writeAtomic(jsonFile, JSON.stringify({ meta: r.meta, summary: s, memory: r.memory, rows: [...r.rows, ...r.paramRows, ...r.lemmaRows] }, null, 2) + '\n');
  writeAtomic(mdFile, markdown(r, s));
  return s;
}
