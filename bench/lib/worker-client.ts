// The parent's handle on one check worker (bench/check-worker.ts): start it,
// send one query at a time with a hard wall-clock limit, notice crashes, and
// read its peak RSS (VmHWM) from /proc even when it dies.
import { fork, type ChildProcess } from 'child_process';
import { readFileSync } from 'fs';
import { join } from 'path';
import type { AnyQuery, FromWorker, LemmaProperty, ToWorker } from './types';

export type Reply<K extends FromWorker['kind']> = Extract<FromWorker, { kind: K }>;
export type Outcome<T> = { ok: true; value: T } | { ok: false; why: string };

const WORKER = join(__dirname, '..', 'check-worker.js');

/** Peak resident set of a live process in kB (Linux /proc), or null. */
export function vmHwmKb(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? null : Number(m[1]);
  } catch {
    return null;
  }
}

export class WorkerClient {
  private child: ChildProcess | null = null;
  private waiting: ((m: FromWorker | { kind: 'died'; why: string }) => void) | null = null;
  private stderrTail = '';
  /** highest peak RSS seen for this worker (kB) */
  peakKb = 0;
  z3Version = '';
  initMs = 0;

  get alive(): boolean {
    return this.child !== null;
  }

  /** Forks the worker and waits until Z3 is initialised. */
  async start(timeoutMs = 60_000): Promise<Outcome<void>> {
    const child = fork(WORKER, [], { stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
    this.child = child;
    this.stderrTail = '';
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (this.stderrTail = (this.stderrTail + d).slice(-2000)));
    // messages and exits of a worker already replaced (killed) are ignored
    child.on('message', (m: FromWorker) => {
      if (this.child === child) this.deliver(m);
    });
    child.on('exit', (code, signal) => {
      if (this.child !== child) return;
      this.child = null;
      const tail = this.stderrTail.trim().split('\n').slice(-3).join(' | ');
      this.deliver({ kind: 'died', why: `worker exited (${signal ?? `code ${String(code)}`})${tail ? `: ${tail}` : ''}` });
    });
    const r = await this.next('ready', timeoutMs);
    if (!r.ok) return r;
    this.z3Version = r.value.z3Version;
    this.initMs = r.value.initMs;
    return { ok: true, value: undefined };
  }

  /** Runs one query; on a hard timeout the worker is killed. */
  async query(query: AnyQuery, timeoutMs: number, smtOut: string | null, hardMs: number): Promise<Outcome<Reply<'result'>>> {
    this.send({ kind: 'query', query, timeoutMs, smtOut });
    return this.next('result', hardMs);
  }

  /** Runs a query unmeasured; returns its wall time. */
  async warmup(query: AnyQuery, timeoutMs: number, hardMs: number): Promise<Outcome<Reply<'warm'>>> {
    this.send({ kind: 'warmup', query, timeoutMs });
    return this.next('warm', hardMs);
  }

  /** Runs the phase lemmas of one property; on a hard timeout the worker is killed. */
  async lemma(key: string, file: string, property: LemmaProperty, timeoutMs: number, hardMs: number): Promise<Outcome<Reply<'lemma-result'>>> {
    this.send({ kind: 'lemma', key, file, property, timeoutMs });
    return this.next('lemma-result', hardMs);
  }

  async exportOnly(query: AnyQuery, smtOut: string, hardMs: number): Promise<Outcome<Reply<'exported'>>> {
    this.send({ kind: 'export', query, smtOut });
    return this.next('exported', hardMs);
  }

  /** Asks the worker to exit; returns its peak RSS in kB (also when it is already gone). */
  async stop(): Promise<number> {
    if (this.child !== null) {
      this.send({ kind: 'exit' });
      const r = await this.next('bye', 30_000);
      if (r.ok) this.peakKb = Math.max(this.peakKb, r.value.maxRssKb);
      this.kill();
    }
    return this.peakKb;
  }

  kill(): void {
    const c = this.child;
    this.sample();
    this.child = null;
    if (c !== null && c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  }

  /** Records the live worker's VmHWM. */
  sample(): void {
    const kb = vmHwmKb(this.child?.pid);
    if (kb !== null) this.peakKb = Math.max(this.peakKb, kb);
  }

  private send(msg: ToWorker): void {
    this.child?.send(msg);
  }

  private deliver(m: FromWorker | { kind: 'died'; why: string }): void {
    const w = this.waiting;
    this.waiting = null;
    w?.(m);
  }

  private next<K extends FromWorker['kind']>(kind: K, timeoutMs: number): Promise<Outcome<Reply<K>>> {
    if (this.child === null) return Promise.resolve({ ok: false, why: 'worker not running' });
    return new Promise((resolve) => {
      // sample the peak RSS while waiting, so a worker that dies still leaves a figure
      const poll = setInterval(() => this.sample(), 200);
      const timer = setTimeout(() => {
        clearInterval(poll);
        this.waiting = null;
        this.kill();
        resolve({ ok: false, why: `no answer within ${Math.round(timeoutMs / 1000)} s: worker killed` });
      }, timeoutMs);
      this.waiting = (m) => {
        clearTimeout(timer);
        clearInterval(poll);
        this.sample();
        if (m.kind === kind) resolve({ ok: true, value: m as Reply<K> });
        else if (m.kind === 'died') resolve({ ok: false, why: m.why });
        else resolve({ ok: false, why: `unexpected message ${m.kind} while waiting for ${kind}` });
      };
    });
  }
}
