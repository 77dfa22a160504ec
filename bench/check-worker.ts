// Worker process of the check benchmark: runs checkOne (the concrete counter
// engine), checkParamOne (the parameterized engine) or checkLemma (the phase
// lemmas, every n and t), all on the WebAssembly
// z3, for the queries its parent sends, one at a time, and exports each query as
// SMT-LIB for the native z3. One worker per protocol isolates the wasm heap
// and gives a per-protocol peak RSS; a crash costs only the worker.
//
//   forked by bench/lib/worker-client.ts; not meant to be run by hand.
import { writeFileSync } from 'fs';
import { join } from 'path';
import { checkOne } from '../src/check/check';
import { checkLemma } from '../src/check/lemmas';
import { checkParamOne } from '../src/check/param';
import type { Protocol } from '../src/ir/types';
import { encodeCounter } from '../src/smt/counter/encode';
import { encodeCounterParam } from '../src/smt/counter/param';
import { shutdownZ3, solve, z3Version } from '../src/smt/z3';
import { loadSpec } from './lib/plan';
import type { LemmaOutcome } from './lib/lemma-rows';
import type { AnyQuery, FromWorker, LemmaProperty, OursResult, ParamQuery, Query, ToWorker } from './lib/types';

const ROOT = join(__dirname, '..', '..');
const specs = new Map<string, Protocol>();

function spec(file: string): Protocol {
  let p = specs.get(file);
  if (p === undefined) {
    p = loadSpec(ROOT, file);
    specs.set(file, p);
  }
  return p;
}

function send(msg: FromWorker): Promise<void> {
  return new Promise((resolve, reject) => {
    if (process.send === undefined) return reject(new Error('check-worker must be forked with an IPC channel'));
    process.send(msg, undefined, {}, (e: Error | null) => (e === null ? resolve() : reject(e)));
  });
}

function exportQuery(smtlib: string, smtOut: string): string {
  writeFileSync(smtOut, `${smtlib}\n(check-sat)\n`);
  return smtOut;
}

/** The concrete counter engine on one instance, as `bftsynth check --engine counter`. */
async function runCounter(query: Query, timeoutMs: number): Promise<{ ours: OursResult; smtlib: string }> {
  const r = await checkOne(spec(query.file), 'counter', { n: query.n, t: query.t, rounds: query.rounds }, query.property, timeoutMs);
  const ours: OursResult = { verdict: r.verdict, ms: r.ms, smtBytes: Buffer.byteLength(r.smtlib) };
  if (r.reason !== undefined) ours.reason = r.reason;
  return { ours, smtlib: r.smtlib };
}

/** The parameterized engine on one region (with its concrete remainder and, on sat, the replayed counterexample). */
async function runParam(query: ParamQuery, timeoutMs: number): Promise<{ ours: OursResult; smtlib: string }> {
  const r = await checkParamOne(spec(query.file), query.property, { t: query.t, rounds: query.rounds }, timeoutMs);
  const cex = r.verdict === 'violated' && r.n !== null && r.t !== null && r.f !== null ? { n: r.n, t: r.t, f: r.f } : null;
  const ours: OursResult = {
    verdict: r.verdict,
    ms: r.ms,
    smtBytes: Buffer.byteLength(r.smtlib),
    param: { region: r.region, leader_bound: r.leaderBound, remainder: r.remainder.length, counterexample: cex },
  };
  if (r.reason !== undefined) ours.reason = r.reason;
  return { ours, smtlib: r.smtlib };
}

async function runQuery(query: AnyQuery, timeoutMs: number, smtOut: string | null): Promise<void> {
  const t0 = Date.now();
  try {
    const { ours, smtlib } = query.engine === 'param' ? await runParam(query, timeoutMs) : await runCounter(query, timeoutMs);
    await send({ kind: 'result', key: query.key, ours, smtFile: smtOut === null ? null : exportQuery(smtlib, smtOut) });
  } catch (e) {
    const error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    await send({ kind: 'result', key: query.key, ours: { verdict: 'unknown', ms: Date.now() - t0, smtBytes: 0, error, fatal: e instanceof Error && e.name === 'RuntimeError' }, smtFile: null });
  }
}

/** The query text alone (exactly as checkOne / checkParamOne build it), for a query the wasm side could not run. */
async function exportOnly(query: AnyQuery, smtOut: string): Promise<void> {
  const p = spec(query.file);
  const smtlib =
    query.engine === 'param'
      ? encodeCounterParam(p, { t: query.t, rounds: query.rounds }, query.property).enc.q.smtlib()
      : encodeCounter(p, { n: query.n, t: query.t, f: query.t, rounds: query.rounds }, query.property).q.smtlib();
  await send({ kind: 'exported', key: query.key, smtFile: exportQuery(smtlib, smtOut), smtBytes: Buffer.byteLength(smtlib) });
}

/** The phase lemmas of one property, for every n and t (checkLemma); the SMT-LIB texts are dropped. */
async function runLemma(key: string, file: string, property: LemmaProperty, timeoutMs: number): Promise<void> {
  const t0 = Date.now();
  let outcome: LemmaOutcome;
  try {
    const r = await checkLemma(spec(file), property, timeoutMs);
    if ('skipped' in r) outcome = { kind: 'skipped', reason: r.skipped };
    else {
      outcome = { kind: 'result', verdict: r.verdict, ms: r.ms, region: r.region, queries: r.queries.map((q) => ({ name: q.name, status: q.status, ms: q.ms })) };
      if (r.reason !== undefined) outcome.reason = r.reason;
    }
  } catch (e) {
    outcome = { kind: 'error', ms: Date.now() - t0, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e), fatal: e instanceof Error && e.name === 'RuntimeError' };
  }
  await send({ kind: 'lemma-result', key, outcome });
}

async function warmup(query: AnyQuery, timeoutMs: number): Promise<void> {
  const t0 = Date.now();
  try {
    if (query.engine === 'param') await checkParamOne(spec(query.file), query.property, { t: query.t, rounds: query.rounds }, timeoutMs);
    else await runCounter(query, timeoutMs);
  } catch {
    // the measured run of the same query reports any problem
  }
  await send({ kind: 'warm', ms: Date.now() - t0 });
}

async function handle(msg: ToWorker): Promise<void> {
  if (msg.kind === 'query') await runQuery(msg.query, msg.timeoutMs, msg.smtOut);
  else if (msg.kind === 'warmup') await warmup(msg.query, msg.timeoutMs);
  else if (msg.kind === 'export') await exportOnly(msg.query, msg.smtOut);
  else if (msg.kind === 'lemma') await runLemma(msg.key, msg.file, msg.property, msg.timeoutMs);
  else {
    await shutdownZ3();
    await send({ kind: 'bye', maxRssKb: process.resourceUsage().maxRSS });
    process.exit(0);
  }
}

/** Anything that escapes a handler is fatal: the parent sees the exit and restarts a worker. */
function fail(e: unknown): never {
  process.stderr.write(`check-worker: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(71);
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const version = await z3Version();
  // one trivial solve, so the first measured query does not pay for warm-up
  await solve('(declare-const x Int)\n(assert (> x 0))', { timeoutMs: 5000 });
  let queue: Promise<void> = Promise.resolve();
  process.on('message', (msg: ToWorker) => {
    queue = queue.then(() => handle(msg)).catch(fail);
  });
  await send({ kind: 'ready', z3Version: version, initMs: Date.now() - t0 });
}

main().catch(fail);
