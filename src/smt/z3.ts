// The only module that owns Z3 (z3-solver, the WebAssembly build).
//
// - One lazy init() per process (a cached promise): init costs ~240 ms and
//   each instance holds a large wasm heap, so it is never repeated.
// - A global lock: z3-solver runs one check at a time per process (the wasm
//   module is single-threaded from the caller's point of view), so queries are
//   serialized here; parallel checking needs worker_threads, each with its own
//   init.
// - One Context for the process, a fresh Solver per query, released (with its
//   model) after the check, so hundreds of checks do not accumulate solver
//   state. A query that makes the wasm module trap or run out of memory is
//   'unknown' with the reason, and the next query starts a fresh Z3.
// - Timeouts: the solver's own `timeout` parameter, plus a watchdog that
//   interrupts the context shortly after it, in case a check does not honour
//   the parameter. Either way the result is 'unknown' (never 'unsat').
// - The query's SMT-LIB text is fixed before check(), so what is exported as a
//   proof is exactly what was asserted (the script itself, or on request Z3's
//   rendering of its assertions).

import type { Context } from 'z3-solver';

export type ModelValue = number | boolean;
/** A model: value of every declared constant, by name. */
export type SmtModel = ReadonlyMap<string, ModelValue>;

interface Common {
  /** the query as asserted (SMT-LIB2, without check-sat), taken before check. */
  smtlib: string;
  ms: number;
}
export type SolveResult =
  | (Common & { status: 'sat'; model: SmtModel })
  | (Common & { status: 'unsat' })
  | (Common & { status: 'unknown'; reason: string });

export interface SolveOptions {
  timeoutMs: number;
  /**
   * Also return Z3's own rendering of the asserted query (solver.toString(),
   * taken before check). Costs ~250 ms on a 70 kB query in the wasm build, so
   * by default the script itself is returned: it is exactly what was parsed.
   */
  renderSolver?: boolean;
  /** refuse larger scripts as unknown; default MAX_SCRIPT_BYTES (tests lift it to reach a real trap). */
  maxScriptBytes?: number;
  /** solver parameters; default DEFAULT_PARAMS. */
  params?: Record<string, number | boolean | string>;
}

/**
 * Measured on Phase King (t = 1..4): the legacy arithmetic solver
 * (smt.arith.solver=2) answers the counter encoding's queries 3-4x faster
 * than the default in the WebAssembly build (0.6 s vs 2.5 s at t = 4).
 */
export const DEFAULT_PARAMS: Readonly<Record<string, number | boolean | string>> = { 'smt.arith.solver': 2 };

interface Session {
  ctx: Context<'main'>;
  version: string;
  shutdown: () => Promise<void>;
}

let session: Promise<Session> | null = null;
let lock: Promise<unknown> = Promise.resolve();

async function start(): Promise<Session> {
  // required lazily: loading the package costs nothing until a query runs.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const z3 = require('z3-solver') as typeof import('z3-solver');
  const api = await z3.init();
  const ctx = api.Context('main');
  const v = api.Z3.get_version();
  const version = `${v.major}.${v.minor}.${v.build_number}.${v.revision_number}`;
  return { ctx, version, shutdown: () => z3.killThreads(api.em) };
}

function getSession(): Promise<Session> {
  if (session === null) session = start();
  return session;
}

/** Z3's version string (initializes Z3 if needed). */
export async function z3Version(): Promise<string> {
  return (await getSession()).version;
}

/** Run `f` while holding the global lock (one solve at a time). */
function locked<T>(f: () => Promise<T>): Promise<T> {
  const run = lock.then(f, f);
  lock = run.catch(() => undefined);
  return run;
}

/**
 * Check an SMT-LIB2 script (declarations and assertions, no check-sat).
 * Returns sat with a full model, unsat, or unknown with Z3's reason.
 */
/**
 * The z3-solver build copies the script onto its 20 MB wasm stack
 * (STACK_SIZE in z3-built.js) and traps with "memory access out of bounds"
 * somewhere between 16 and 32 MB of text (measured); Z3's parser needs stack
 * of its own. Larger queries are answered unknown without trying.
 */
export const MAX_SCRIPT_BYTES = 16 * 1024 * 1024;

export function solve(script: string, opts: SolveOptions): Promise<SolveResult> {
  const bytes = Buffer.byteLength(script, 'utf8');
  const limit = opts.maxScriptBytes ?? MAX_SCRIPT_BYTES;
  if (bytes > limit) {
    const mb = (x: number): string => (x / (1024 * 1024)).toFixed(1);
    return Promise.resolve({ status: 'unknown', smtlib: script, ms: 0, reason: `the query is ${mb(bytes)} MB of SMT-LIB, more than the ${mb(limit)} MB the WebAssembly Z3 accepts (check a smaller instance or fewer rounds)` });
  }
  return locked(async () => {
    const current = getSession();
    const { ctx } = await current;
    const t0 = Date.now();
    try {
      return await solveIn(ctx, script, opts, t0);
    } catch (e) {
      const crash = solverCrash(e);
      if (crash === null) throw e;
      // The wasm heap may be corrupt after a trap: the next query gets a fresh Z3.
      await discard(current);
      return { status: 'unknown', smtlib: script, ms: Date.now() - t0, reason: `the solver crashed (${crash}); the query is probably too large for the WebAssembly Z3's memory` };
    }
  });
}

/**
 * Z3's parsing speed, optimistic: measured 0.6 to 1.3 MB/s for the process
 * encoding's 7.4 MB query at 40:3 (fromString, wasm build, a loaded 2-core
 * machine); 2 MB/s so that no query that could be parsed in time is refused.
 */
const PARSE_BYTES_PER_MS = 2000;

async function solveIn(ctx: Context<'main'>, script: string, opts: SolveOptions, t0: number): Promise<SolveResult> {
  const solver = new ctx.Solver();
  let watchdog: NodeJS.Timeout | null = null;
  let failed = true;
  try {
    for (const [k, v] of Object.entries(opts.params ?? DEFAULT_PARAMS)) solver.set(k, v);
    // fromString cannot be interrupted: a query that cannot even be parsed
    // within the time left (at an optimistic rate) is unknown up front.
    const budget = opts.timeoutMs - (Date.now() - t0);
    if (script.length / PARSE_BYTES_PER_MS > budget) {
      failed = false;
      return { status: 'unknown', smtlib: script, ms: Date.now() - t0, reason: `the query (${(script.length / 1e6).toFixed(1)} MB) cannot be parsed within the timeout (${opts.timeoutMs} ms)` };
    }
    solver.fromString(script);
    const smtlib = opts.renderSolver === true ? solver.toString() : script;
    // The timeout covers parsing too: a large query (the process encoding at
    // large n) can take seconds in fromString, which cannot be interrupted,
    // so the check gets only what is left.
    const left = Math.floor(opts.timeoutMs - (Date.now() - t0));
    if (left <= 0) {
      failed = false;
      return { status: 'unknown', smtlib, ms: Date.now() - t0, reason: `the timeout (${opts.timeoutMs} ms) ran out while Z3 parsed the query` };
    }
    solver.set('timeout', left);
    let interrupted = false;
    watchdog = setTimeout(() => {
      interrupted = true;
      ctx.interrupt();
    }, left + 250);
    const status = await solver.check();
    clearTimeout(watchdog);
    watchdog = null;
    const ms = Date.now() - t0;
    let result: SolveResult;
    switch (status) {
      case 'unsat':
        result = { status, smtlib, ms };
        break;
      case 'unknown':
        result = { status, smtlib, ms, reason: interrupted ? 'interrupted by watchdog' : solver.reasonUnknown() };
        break;
      case 'sat': {
        const m = solver.model();
        result = { status, smtlib, ms, model: parseModel(m.sexpr()) };
        m.release();
        break;
      }
    }
    failed = false;
    return result;
  } finally {
    if (watchdog !== null) clearTimeout(watchdog);
    // After a failure the solver may live in a trapped heap, where release()
    // traps again and would replace the real error: release only on success.
    if (!failed) solver.release();
  }
}

/**
 * Why an exception is the WebAssembly Z3 giving out (a trap such as "memory
 * access out of bounds", an Emscripten abort, a failed allocation), or null
 * for any other exception, which stays a bug and propagates unchanged.
 */
export function solverCrash(e: unknown): string | null {
  if (!(e instanceof Error)) return null;
  // WebAssembly.RuntimeError (a trap); the global is not in this project's lib typings
  if (e.name === 'RuntimeError') return e.message;
  if (e instanceof RangeError && /memory|allocation|buffer/i.test(e.message)) return e.message;
  return /out of memory|Aborted\(|std::bad_alloc/i.test(e.message) ? e.message : null;
}

/** Forgets a session whose heap may be corrupt; its threads are stopped as far as they still can be. */
async function discard(s: Promise<Session>): Promise<void> {
  if (session === s) session = null;
  try {
    await (await s).shutdown();
  } catch {
    // a trapped module may fail to stop its threads: nothing more to do, main() exits the process anyway
  }
}

/** Parse Z3's model text: `(define-fun x () Int 3)`, `(- 3)`, `true`. */
export function parseModel(text: string): SmtModel {
  const out = new Map<string, ModelValue>();
  const re = /\(define-fun\s+(\S+)\s+\(\)\s+(Int|Bool)\s+(\(-\s*\d+\)|-?\d+|true|false)\s*\)/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const [, name, , raw] = m as unknown as [string, string, string, string];
    if (raw === 'true' || raw === 'false') out.set(name, raw === 'true');
    else out.set(name, Number(raw.replace(/[()\s]/g, '')));
  }
  return out;
}

/** Stop Z3's worker threads so the process can exit; a later solve re-inits. */
export async function shutdownZ3(): Promise<void> {
  const s = session;
  if (s === null) return;
  await locked(async () => {
    session = null;
    await (await s).shutdown();
  });
}
