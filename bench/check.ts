// The check benchmark: every claimed property of every library protocol at
// t = 1..4 (smallest admissible n) and Phase King's growth with n, through
// checkOne (WebAssembly z3, counter engine), and the parameterized queries
// (every admissible n at t = 1..4) through checkParamOne, and the phase
// lemmas (every n and t, agreement, validity, termination) through checkLemma
// after the protocol's other queries, in one worker process per protocol,
// side by side with Debian's native z3 on the same SMT-LIB query (not the
// lemmas). Writes
// bench/check.md and bench/check.json (see bench/lib/report.ts).
import { mkdirSync, mkdtempSync, rmSync } from 'fs';
import { loadavg, tmpdir } from 'os';
import { basename, join } from 'path';
import type { Verdict } from '../src/check/check';
import { DEFAULT_PARAMS } from '../src/smt/z3';
import { newestMtimeMs, rebuildNote } from './lib/build-stamp';
import { machine } from './lib/machine';
import { nativeArgs, nativeSolverVersion, runNativeSolver, z3ParamArgs } from '../src/smt/native';
import { answerOf } from './lib/answer';
import { headlineLine } from './lib/lemma-report';
import { paramLibraryPlan } from './lib/param-plan';
import { makeParamRow } from './lib/param-rows';
import { LEMMA_PROPERTIES, lemmaKey, makeLemmaRow, type LemmaOutcome, type LemmaRow } from './lib/lemma-rows';
import { LIBRARY_TS, libraryFiles, loadExpected, loadSpec, makePlan } from './lib/plan';
import { writeReports, type CheckBenchReport, type Summary } from './lib/report';
import { fmtMs, fmtNum } from './lib/stats';
import type { AnyQuery, NativeResult, OursResult, ParamRow, ProtocolMemory, Query, Row } from './lib/types';
import { WorkerClient } from './lib/worker-client';

const NOT_EXPORTED: NativeResult = { status: 'error', ms: 0, solveMs: null, maxMemoryMb: null, detail: 'query not exported' };

/** the warm-up query's solver timeout */
const WARMUP_TIMEOUT_MS = 2000;

export interface CheckBenchOptions {
  root: string;
  timeoutMs: number;
  /** substrings of spec paths to keep; empty keeps all */
  filter: string[];
  growth: boolean;
  growthMaxN: number;
  /** run the parameterized engine too (one query per library protocol, property and t = 1..4) */
  param: boolean;
  /** run the phase lemmas too (every library protocol, agreement, validity, termination); default true */
  lemma?: boolean;
  native: boolean;
  /** keep the exported queries in this directory (default: a temporary one, removed) */
  keepSmt: string | null;
  outMd: string;
  outJson: string;
  log: (line: string) => void;
}

/** Native z3 with the wasm build's parameters and its statistics, in the bench's row shape. */
async function runNativeZ3(file: string, timeoutMs: number): Promise<NativeResult> {
  const r = await runNativeSolver('z3', file, timeoutMs, { params: DEFAULT_PARAMS, stats: true });
  return { status: r.status, ms: r.ms, solveMs: r.solveMs ?? null, maxMemoryMb: r.maxMemoryMb ?? null, ...(r.detail === undefined ? {} : { detail: r.detail }) };
}

function makeRow(q: Query, ours: OursResult, native: NativeResult | null, expected: Verdict | null): Row {
  const { key: _key, ...query } = q;
  return { ...query, sets: [...q.sets], ...answerOf(ours, native, expected) };
}

function progressLine(i: number, total: number, r: Row | ParamRow): string {
  const where = r.engine === 'param' ? `param   t=${String(r.t ?? 'all').padEnd(3)}` : `n=${String(r.n).padEnd(4)} t=${String(r.t).padEnd(3)}`;
  const head = `[${String(i).padStart(3)}/${total}] ${basename(r.file, '.bft').padEnd(30)} ${r.property.padEnd(11)} ${where} R=${String(r.rounds).padEnd(3)}`;
  const ours = `${r.verdict.padEnd(8)} ${fmtMs(r.ours_ms).padStart(6)} ms`;
  const native = r.native_status === null ? '' : ` | native ${r.native_status.padEnd(7)} ${fmtMs(r.native_ms).padStart(6)} ms  x${fmtNum(r.ratio)}`;
  const unsound = r.engine === 'param' && r.concrete_agreement === 'NO' ? '  <<< SOUNDNESS BUG: param verified, concrete violated' : '';
  const flag = unsound || (r.agreement === 'NO' ? '  <<< VERDICT DISAGREEMENT' : r.ours_error !== undefined ? `  <<< ERROR ${r.ours_error}` : '');
  return `${head} ${ours}${native}${flag}`;
}

function lemmaLine(i: number, total: number, r: LemmaRow): string {
  const head = `[${String(i).padStart(3)}/${total}] ${basename(r.file, '.bft').padEnd(30)} ${r.property.padEnd(11)} lemma   every n, t`;
  const qs = r.queries.map((q) => `${q.name} ${q.status} ${fmtMs(q.ms)}`).join(', ');
  const flag = r.soundness_bug ? '  <<< SOUNDNESS BUG: lemma verified, expected violated' : r.error !== undefined ? `  <<< ERROR ${r.error}` : '';
  const tail = r.verdict === 'not applicable' ? ` (${r.reason ?? ''})` : qs === '' ? '' : ` [${qs}]`;
  return `${head} ${r.verdict.padEnd(8)} ${fmtMs(r.ms).padStart(6)} ms${tail}${flag}`;
}

function smtName(q: AnyQuery): string {
  const stem = `${basename(q.file, '.bft')}.${q.property}`;
  return q.engine === 'param' ? `${stem}.param.t${q.t ?? 'all'}.smt2` : `${stem}.n${q.n}.t${q.t}.smt2`;
}

interface Group {
  file: string;
  protocol: string;
  queries: AnyQuery[];
}

/** One group per protocol, its concrete queries first (the param rows quote them); `extra` files get a group even without queries (for the lemmas). */
function groupByFile(queries: readonly AnyQuery[], extra: readonly { file: string; protocol: string }[]): Group[] {
  const out = new Map<string, Group>();
  for (const q of queries) {
    const g = out.get(q.file) ?? { file: q.file, protocol: q.protocol, queries: [] };
    g.queries.push(q);
    out.set(q.file, g);
  }
  for (const e of extra) if (!out.has(e.file)) out.set(e.file, { ...e, queries: [] });
  return [...out.values()];
}

export async function runCheckBench(o: CheckBenchOptions): Promise<{ report: CheckBenchReport; summary: Summary }> {
  const started = new Date();
  const loadStart = loadavg()[0] ?? 0;
  const distSrc = join(__dirname, '..', 'src');
  const builtAt = newestMtimeMs(distSrc);
  const t0 = Date.now();
  const plan = makePlan(o.root, { filter: o.filter, growth: o.growth, growthMaxN: o.growthMaxN });
  const pplan = o.param ? paramLibraryPlan(o.root, o.filter) : { queries: [], skipped: ['parameterized queries skipped (--no-param)'] };
  const all: AnyQuery[] = [...plan.queries, ...pplan.queries];
  const lemma = o.lemma ?? true;
  const lemmaFiles = lemma ? libraryFiles(o.root).filter((f) => o.filter.length === 0 || o.filter.some((s) => f.includes(s))).map((file) => ({ file, protocol: loadSpec(o.root, file).name })) : [];
  const total = all.length + lemmaFiles.length * LEMMA_PROPERTIES.length;
  const expected = loadExpected(o.root);
  const native = o.native ? nativeSolverVersion('z3') : null;
  const notes: string[] = [...plan.skipped, ...pplan.skipped];
  if (!o.native) notes.push('native z3 column skipped (--no-native)');
  else if (native === null) notes.push('native z3 column skipped: /usr/bin/z3 not found (scripts/install-system.sh installs it)');
  const smtDir = o.keepSmt ?? mkdtempSync(join(tmpdir(), 'bftsynth-check-smt-'));
  mkdirSync(smtDir, { recursive: true });
  // a query killed by the harness: the solver timeout, plus room for encoding and parsing huge queries
  const hardMs = 2 * o.timeoutMs + 60_000;
  // checkLemma asks up to six queries (the region and five chain steps), each with the solver timeout
  const lemmaHardMs = 6 * o.timeoutMs + 60_000;
  o.log(`check bench: ${plan.queries.length} concrete + ${pplan.queries.length} parameterized queries + ${total - all.length} phase-lemma runs, timeout ${o.timeoutMs / 1000} s, native z3 ${native ?? 'skipped'}, params ${z3ParamArgs(DEFAULT_PARAMS).join(' ')}`);

  const rows: Row[] = [];
  const paramRows: ParamRow[] = [];
  const lemmaRows: LemmaRow[] = [];
  const memory: ProtocolMemory[] = [];
  let wasmVersion = '';
  let done = 0;
  for (const g of groupByFile(all, lemmaFiles)) {
    const g0 = Date.now();
    const w = new WorkerClient();
    let restarts = -1;
    let warmupMs: number | null = null;
    let warmed = false;
    const ensure = async (): Promise<string | null> => {
      if (w.alive) return null;
      restarts++;
      const s = await w.start();
      if (!s.ok) return s.why;
      wasmVersion = w.z3Version;
      // warm-up, once per protocol: the group's first query, unmeasured, with a short timeout
      const first = g.queries[0];
      if (!warmed && first !== undefined) {
        warmed = true;
        const wu = await w.warmup(first, WARMUP_TIMEOUT_MS, hardMs);
        if (wu.ok) warmupMs = wu.value.ms;
        else return ensure(); // the measured run of that query reports the problem
      }
      return null;
    };
    for (const q of g.queries) {
      const smtOut = native === null ? null : join(smtDir, smtName(q));
      const q0 = Date.now();
      const startProblem = await ensure();
      const r = startProblem === null ? await w.query(q, o.timeoutMs, smtOut, hardMs) : ({ ok: false, why: startProblem } as const);
      const ours: OursResult = r.ok ? r.value.ours : { verdict: 'unknown', ms: Date.now() - q0, smtBytes: 0, error: r.why };
      let smtFile = r.ok ? r.value.smtFile : null;
      // a trap inside the wasm module leaves it unusable: replace the worker
      if (ours.fatal === true) w.kill();
      // the native side still gets the query: export it from a fresh worker
      if (smtFile === null && smtOut !== null && (await ensure()) === null) {
        const e = await w.exportOnly(q, smtOut, hardMs);
        if (e.ok) {
          smtFile = e.value.smtFile;
          ours.smtBytes = e.value.smtBytes;
        }
      }
      const nat = smtFile === null ? null : await runNativeZ3(smtFile, o.timeoutMs);
      if (smtFile !== null && o.keepSmt === null) rmSync(smtFile, { force: true });
      const f = expected.get(q.file)?.get(q.property) ?? null;
      const natOrMissing = native === null ? null : (nat ?? NOT_EXPORTED);
      let row: Row | ParamRow;
      if (q.engine === 'param') paramRows.push((row = makeParamRow(q, ours, natOrMissing, f, rows, LIBRARY_TS)));
      else rows.push((row = makeRow(q, ours, natOrMissing, f)));
      o.log(progressLine(++done, total, row));
    }
    // the phase lemmas, after the protocol's other queries
    const mine = lemmaFiles.some((e) => e.file === g.file) ? LEMMA_PROPERTIES : [];
    for (const property of mine) {
      const l0 = Date.now();
      const startProblem = await ensure();
      const r = startProblem === null ? await w.lemma(lemmaKey(g.file, property), g.file, property, o.timeoutMs, lemmaHardMs) : ({ ok: false, why: startProblem } as const);
      const outcome: LemmaOutcome = r.ok ? r.value.outcome : { kind: 'error', ms: Date.now() - l0, error: r.why, fatal: false };
      if (outcome.kind === 'error' && outcome.fatal) w.kill();
      const row = makeLemmaRow(g.file, g.protocol, property, outcome, expected.get(g.file)?.get(property) ?? null);
      lemmaRows.push(row);
      o.log(lemmaLine(++done, total, row));
    }
    const peakKb = await w.stop();
    memory.push({ protocol: g.protocol, file: g.file, peak_rss_mb: Math.round(peakKb / 102.4) / 10, queries: g.queries.length + mine.length, warmup_ms: warmupMs, seconds: Math.round((Date.now() - g0) / 100) / 10, restarts: Math.max(0, restarts) });
  }
  if (o.keepSmt === null) rmSync(smtDir, { recursive: true, force: true });
  const rebuilt = rebuildNote(distSrc, builtAt);
  if (rebuilt !== null) {
    notes.push(rebuilt);
    o.log(`WARNING: ${rebuilt}`);
  }

  const report: CheckBenchReport = {
    meta: {
      date: started.toISOString(),
      machine: machine(o.root),
      z3_wasm: wasmVersion || '?',
      z3_native: native,
      params: { ...DEFAULT_PARAMS },
      native_command: `z3 ${nativeArgs('z3', '<query.smt2>', o.timeoutMs, { params: DEFAULT_PARAMS, stats: true }).join(' ')}`,
      timeout_ms: o.timeoutMs,
      engines: ['counter', ...(o.param ? (['param'] as const) : []), ...(lemma ? (['lemma'] as const) : [])],
      wall_seconds: Math.round((Date.now() - t0) / 100) / 10,
      orchestrator_peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 102.4) / 10,
      load_avg: { start: Math.round(loadStart * 100) / 100, end: Math.round((loadavg()[0] ?? 0) * 100) / 100 },
      notes,
    },
    memory,
    rows,
    paramRows,
    lemmaRows,
  };
  const summary = writeReports(report, o.outMd, o.outJson);
  const ls = summary.lemma;
  if (ls !== null) {
    if (ls.headline !== null) o.log(`phase lemmas: ${headlineLine(ls.headline)}`);
    if (ls.soundness_bugs > 0) {
      for (const x of lemmaRows.filter((y) => y.soundness_bug)) o.log(`!!! SOUNDNESS BUG: phase lemma verified ${basename(x.file, '.bft')} ${x.property}, specs/expected.json says violated !!!`);
    }
  }
  return { report, summary };
}
