// Native solver binaries (Debian's z3 and cvc5), for replaying proof files
// with a second, independent build and a second solver.
import { spawn, spawnSync } from 'child_process';

export type NativeSolver = 'z3' | 'cvc5';
export type NativeStatus = 'sat' | 'unsat' | 'unknown' | 'timeout' | 'error';

export interface NativeRun {
  solver: NativeSolver;
  status: NativeStatus;
  ms: number;
  detail?: string;
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

function argsFor(solver: NativeSolver, file: string, timeoutMs: number): string[] {
  switch (solver) {
    case 'z3':
      return ['-smt2', `-t:${timeoutMs}`, file];
    case 'cvc5':
      return ['--lang=smt2', `--tlimit=${timeoutMs}`, file];
  }
}

/** Runs a standalone SMT-LIB2 file (with its own check-sat); a hung solver is killed after the timeout. */
export function runNativeSolver(solver: NativeSolver, file: string, timeoutMs: number): Promise<NativeRun> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(solver, argsFor(solver, file, timeoutMs), { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let errText = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (errText += d));
    const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs + 5_000);
    const finish = (status: NativeStatus, detail?: string): void => {
      clearTimeout(killer);
      const run: NativeRun = { solver, status, ms: Date.now() - t0 };
      resolve(detail === undefined ? run : { ...run, detail });
    };
    child.on('error', (e) => finish('error', e.message));
    child.on('close', (code, signal) => {
      const first = out.trimStart().split('\n')[0]?.trim() ?? '';
      if (first === 'sat' || first === 'unsat') finish(first);
      else if (first === 'unknown' || first === 'timeout' || signal !== null || /time ?limit|interrupted|timeout/i.test(errText + out)) finish(first === 'unknown' ? 'unknown' : 'timeout');
      else finish('error', `exit ${String(code)}: ${(first || errText).trim().slice(0, 200)}`);
    });
  });
}
