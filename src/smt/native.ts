// Native solver binaries (Debian's z3 and cvc5): proof replay with a second,
// independent build and a second solver, and the benchmark's reference
// times. The one runner of both; z3 gets the same parameters as the
// WebAssembly build unless the caller passes the ones a proof recorded.
import { spawn, spawnSync } from 'child_process';

export type NativeSolver = 'z3' | 'cvc5';
export type NativeStatus = 'sat' | 'unsat' | 'unknown' | 'timeout' | 'error';

export interface NativeRun {
  solver: NativeSolver;
  status: NativeStatus;
  /** wall-clock time of the process (start-up, parsing and solving) */
  ms: number;
  /** z3's own `:time` statistic (the check itself), with `stats` */
  solveMs?: number;
  /** z3's `:max-memory` statistic in MB, with `stats` */
  maxMemoryMb?: number;
  detail?: string;
}

export interface NativeOptions {
  /** z3 parameters (e.g. `smt.arith.solver`), as key=value arguments; cvc5 ignores them */
  params?: Readonly<Record<string, number | boolean | string>>;
  /** z3 only: print and parse its statistics (solveMs, maxMemoryMb) */
  stats?: boolean;
}

const versions = new Map<NativeSolver, string | null>();

/** The binary's version, or null when it is not installed (looked up on PATH, once). */
export function nativeSolverVersion(solver: NativeSolver): string | null {
  if (!versions.has(solver)) {
    const r = spawnSync(solver, ['--version'], { encoding: 'utf8', timeout: 10_000 });
    const m = r.status === 0 ? /version\s+(\S+)/i.exec(r.stdout) : null;
    versions.set(solver, r.status === 0 ? (m?.[1] ?? r.stdout.trim()) : null);
  }
  return versions.get(solver) ?? null;
}

/** Solver parameters as z3 command-line settings (`smt.arith.solver=2`). */
export function z3ParamArgs(params: Readonly<Record<string, number | boolean | string>>): string[] {
  return Object.entries(params).map(([k, v]) => `${k}=${String(v)}`);
}

/** The command line for a file: the soft timeout is the caller's, z3's hard one (-T) a backstop. */
export function nativeArgs(solver: NativeSolver, file: string, timeoutMs: number, options: NativeOptions = {}): string[] {
  switch (solver) {
    case 'z3':
      return ['-smt2', ...(options.stats === true ? ['-st'] : []), `-t:${timeoutMs}`, `-T:${Math.ceil(timeoutMs / 1000) + 5}`, ...z3ParamArgs(options.params ?? {}), file];
    case 'cvc5':
      return ['--lang=smt2', `--tlimit=${timeoutMs}`, file];
  }
}

function stat(out: string, name: string): number | undefined {
  const m = new RegExp(`:${name}\\s+([0-9.]+)`).exec(out);
  return m === null ? undefined : Number(m[1]);
}

/** Runs a standalone SMT-LIB2 file (with its own check-sat); a hung solver is killed after the timeout. */
export function runNativeSolver(solver: NativeSolver, file: string, timeoutMs: number, options: NativeOptions = {}): Promise<NativeRun> {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(solver, nativeArgs(solver, file, timeoutMs, options), { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let errText = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (errText += d));
    const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs + 10_000);
    const finish = (status: NativeStatus, detail?: string): void => {
      clearTimeout(killer);
      const run: NativeRun = { solver, status, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
      if (options.stats === true) {
        const time = stat(out, 'time');
        const mem = stat(out, 'max-memory');
        if (time !== undefined) run.solveMs = time * 1000;
        if (mem !== undefined) run.maxMemoryMb = mem;
      }
      resolve(detail === undefined ? run : { ...run, detail });
    };
    child.on('error', (e) => finish('error', e.message));
    child.on('close', (code, signal) => {
      const first = out.trimStart().split('\n')[0]?.trim() ?? '';
      if (first === 'sat' || first === 'unsat') finish(first);
      else if (first === 'unknown' || first === 'timeout' || signal !== null || /time ?limit|interrupted|timeout/i.test(errText + out)) finish(first === 'unknown' ? 'unknown' : 'timeout', signal === null ? undefined : `killed (${signal})`);
      else finish('error', `exit ${String(code)}: ${(first || errText).trim().slice(0, 200)}`);
    });
  });
}
