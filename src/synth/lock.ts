// One campaign at a time per --out directory. Two campaigns writing one
// checkpoint lose one campaign's state, so a campaign holds a lock file
// while it runs: created with 'wx' (fails if it exists), holding the pid.
// A lock whose pid is no longer running (a campaign killed with SIGKILL) is
// stale and taken over. The lock is released on return, on error, on exit
// and on SIGINT / SIGTERM / SIGHUP.
//
// Limits, accepted: two campaigns that find the same stale lock at the same
// instant may both take it over; a pid reused by another process makes a
// stale lock look held (the message names the pid and the file to remove).
import { readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { join } from 'path';

export const LOCK_FILE = 'campaign.lock';

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
/** A lock file younger than this with no pid in it yet is being created, not stale. */
const CREATING_MS = 5000;

export interface DirLock {
  file: string;
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, it is someone else's
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function tryCreate(file: string): boolean {
  try {
    writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

/** The pid in a lock file; null when it has none (yet); undefined when the file is gone. */
function holder(file: string): number | null | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number(text.trim());
  return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
}

function ageMs(file: string): number {
  try {
    return Date.now() - statSync(file).mtimeMs;
  } catch {
    return Infinity;
  }
}

/**
 * Locks directory `dir` (which must exist) for this process, or says why
 * not: another running campaign holds it.
 */
export function lockDir(dir: string): DirLock | string {
  const file = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryCreate(file)) return held(file);
    const pid = holder(file);
    if (pid === undefined) continue; // released meanwhile: try again
    if (pid === process.pid || (pid !== null && alive(pid))) {
      return `${dir} is in use by another campaign (pid ${pid}); wait for it to end or use another --out (if no such campaign runs, remove ${file})`;
    }
    if (pid === null && ageMs(file) < CREATING_MS) return `${dir} is in use by another campaign that is starting; wait for it or use another --out`;
    rmSync(file, { force: true }); // stale: its campaign is gone
  }
  return `${dir}: cannot take the lock ${file}; try again`;
}

function held(file: string): DirLock {
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    process.removeListener('exit', release);
    for (const s of SIGNALS) process.removeListener(s, onSignal);
    // only our own lock: a campaign that took over a lock it thought stale keeps its own
    if (holder(file) === process.pid) rmSync(file, { force: true });
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    release();
    // as if we had not listened: the default action ends the process by the signal
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  process.on('exit', release);
  for (const s of SIGNALS) process.on(s, onSignal);
  return { file, release };
}
