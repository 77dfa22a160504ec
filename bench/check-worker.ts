// Worker process of the check benchmark: runs checkOne (the WebAssembly z3)
// for the queries its parent sends, one at a time, and exports each query as
// SMT-LIB for the native z3. One worker per protocol isolates the wasm heap
// and gives a per-protocol peak RSS; a crash costs only the worker.
//
//   forked by bench/lib/worker-client.ts; not meant to be run by hand.
import { writeFileSync } from 'fs';
import { join } from 'path';
import { checkOne } from '../src/check/check';
import type { Protocol } from '../src/ir/types';
import { encodeCounter } from '../src/smt/counter/encode';
import { shutdownZ3, solve, z3Version } from '../src/smt/z3';
import { loadSpec } from './lib/plan';
import type { FromWorker, OursResult, Query, ToWorker } from './lib/types';

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

async function runQuery(query: Query, timeoutMs: number, smtOut: string | null): Promise<void> {
  const p = spec(query.file);
  const t0 = Date.now();
  try {
    const r = await checkOne(p, 'counter', { n: query.n, t: query.t, rounds: query.rounds }, query.property, timeoutMs);
    const ours: OursResult = { verdict: r.verdict, ms: r.ms, smtBytes: Buffer.byteLength(r.smtlib) };
    if (r.reason !== undefined) ours.reason = r.reason;
    await send({ kind: 'result', key: query.key, ours, smtFile: smtOut === null ? null : exportQuery(r.smtlib, smtOut) });
  } catch (e) {
    const error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    await send({ kind: 'result', key: query.key, ours: { verdict: 'unknown', ms: Date.now() - t0, smtBytes: 0, error, fatal: e instanceof Error && e.name === 'RuntimeError' }, smtFile: null });
  }
}

/** The query text alone (the counter encoding, exactly as checkOne builds it), for a query the wasm side could not run. */
async function exportOnly(query: Query, smtOut: string): Promise<void> {
  const e = encodeCounter(spec(query.file), { n: query.n, t: query.t, f: query.t, rounds: query.rounds }, query.property);
  const smtlib = e.q.smtlib();
  await send({ kind: 'exported', key: query.key, smtFile: exportQuery(smtlib, smtOut), smtBytes: Buffer.byteLength(smtlib) });
}

async function warmup(query: Query, timeoutMs: number): Promise<void> {
  const t0 = Date.now();
  try {
    await checkOne(spec(query.file), 'counter', { n: query.n, t: query.t, rounds: query.rounds }, query.property, timeoutMs);
  } catch {
    // the measured run of the same query reports any problem
  }
  await send({ kind: 'warm', ms: Date.now() - t0 });
}

async function handle(msg: ToWorker): Promise<void> {
  if (msg.kind === 'query') await runQuery(msg.query, msg.timeoutMs, msg.smtOut);
  else if (msg.kind === 'warmup') await warmup(msg.query, msg.timeoutMs);
  else if (msg.kind === 'export') await exportOnly(msg.query, msg.smtOut);
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
