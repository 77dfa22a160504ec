// Debian's native z3 (/usr/bin/z3) on the exported SMT-LIB query, with the same
// solver parameters as the WebAssembly build (src/smt/z3.ts's DEFAULT_PARAMS).
import { spawn, spawnSync } from 'child_process';
import { existsSync } from 'fs';
import { DEFAULT_PARAMS } from '../../src/smt/z3';
import type { NativeResult, NativeStatus } from './types';

export const NATIVE_Z3 = '/usr/bin/z3';

/** "Z3 version 4.8.12 - 64 bit" -> "4.8.12", or null when the binary is absent or broken. */
export function nativeVersion(bin: string = NATIVE_Z3): string | null {
  if (!existsSync(bin)) return null;
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0) return null;
  const m = /version\s+(\S+)/.exec(r.stdout);
  return m?.[1] ?? r.stdout.trim();
}

/** DEFAULT_PARAMS as z3 command-line settings (`smt.arith.solver=2`). */
export function paramArgs(params: Readonly<Record<string, number | boolean | string>> = DEFAULT_PARAMS): string[] {
  return Object.entries(params).map(([k, v]) => `${k}=${String(v)}`);
}

function stat(out: string, name: string): number | null {
  const m = new RegExp(`:${name}\\s+([0-9.]+)`).exec(out);
  return m === null ? null : Number(m[1]);
}

/**
 * Runs `z3 -smt2 -st -t:<ms> -T:<s> <params> file`: the soft timeout is the
 * checker's, the hard one (and a kill a little later) a backstop.
 */
export function runNative(file: string, timeoutMs: number, bin: string = NATIVE_Z3): Promise<NativeResult> {
  const args = ['-smt2', '-st', `-t:${timeoutMs}`, `-T:${Math.ceil(timeoutMs / 1000) + 5}`, ...paramArgs(), file];
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let errText = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (errText += d));
    const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs + 15_000);
    const finish = (status: NativeStatus, detail?: string): void => {
      clearTimeout(killer);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const timeS = stat(out, 'time');
      const res: NativeResult = { status, ms, solveMs: timeS === null ? null : timeS * 1000, maxMemoryMb: stat(out, 'max-memory') };
      resolve(detail === undefined ? res : { ...res, detail });
    };
    child.on('error', (e) => finish('error', e.message));
    child.on('close', (code, signal) => {
      const first = out.trimStart().split('\n')[0]?.trim() ?? '';
      if (first === 'sat' || first === 'unsat' || first === 'unknown' || first === 'timeout') finish(first);
      else if (signal !== null) finish('timeout', `killed (${signal})`);
      else finish('error', `exit ${String(code)}: ${(first || errText).slice(0, 200)}`);
    });
  });
}
