// The only module that owns Z3 (z3-solver, the WebAssembly build).
//
// - One lazy init() per process (a cached promise): init costs ~240 ms and
//   each instance holds a large wasm heap, so it is never repeated.
// - A global lock: z3-solver runs one check at a time per process (the wasm
//   module is single-threaded from the caller's point of view), so queries are
//   serialized here; parallel checking needs worker_threads, each with its own
//   init.
// - One Context for the process, a fresh Solver per query, released (with its
//   model) in `finally`, so hundreds of checks do not accumulate solver state.
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
export function solve(script: string, opts: SolveOptions): Promise<SolveResult> {
  return locked(async () => {
    const { ctx } = await getSession();
    const t0 = Date.now();
    const solver = new ctx.Solver();
    let watchdog: NodeJS.Timeout | null = null;
    try {
      for (const [k, v] of Object.entries(opts.params ?? DEFAULT_PARAMS)) solver.set(k, v);
      solver.set('timeout', Math.max(1, Math.floor(opts.timeoutMs)));
      solver.fromString(script);
      const smtlib = opts.renderSolver === true ? solver.toString() : script;
      let interrupted = false;
      watchdog = setTimeout(() => {
        interrupted = true;
        ctx.interrupt();
      }, opts.timeoutMs + 250);
      const status = await solver.check();
      clearTimeout(watchdog);
      watchdog = null;
      const ms = Date.now() - t0;
      switch (status) {
        case 'unsat':
          return { status, smtlib, ms };
        case 'unknown': {
          const reason = interrupted ? 'interrupted by watchdog' : solver.reasonUnknown();
          return { status, smtlib, ms, reason };
        }
        case 'sat': {
          const m = solver.model();
          try {
            return { status, smtlib, ms, model: parseModel(m.sexpr()) };
          } finally {
            m.release();
          }
        }
      }
    } finally {
      if (watchdog !== null) clearTimeout(watchdog);
      solver.release();
    }
  });
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
