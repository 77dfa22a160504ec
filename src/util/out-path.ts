// Output paths: asked about before the work, written without leaving debris.
//
// Why not just mkdir -p and write at the end: a path that cannot be written
// (a file where a directory should be, a read-only mount, /proc) is then
// found only after minutes of solving, and the answer is lost. And why not
// Node's `mkdirSync(p, { recursive: true })`: under /proc it loops forever
// (every level answers ENOENT), so directories are made one level at a time.
import { accessSync, closeSync, constants, fsyncSync, lstatSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from 'fs';
import { dirname, join, resolve } from 'path';

/** stat (following symbolic links), or null when there is nothing there. */
export function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

/** An errno as words a user understands. */
export function errnoText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on device';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'ENOENT':
      return 'no such file or directory';
    case 'ENOTDIR':
      return 'a component of the path is not a directory';
    case 'EISDIR':
      return 'is a directory';
    case 'EEXIST':
      return 'already exists';
    default:
      return e instanceof Error ? e.message : String(e);
  }
}

/**
 * Why directory `dir` (existing or not) cannot be created and written in, or
 * null. Creates nothing: it finds the nearest existing ancestor, which must
 * be a directory the process may write in.
 */
export function dirProblem(dir: string): string | null {
  const target = resolve(dir);
  let p = target;
  while (lstatOrNull(p) === null) {
    const up = dirname(p);
    if (up === p) return `${dir}: no such file system`;
    p = up;
  }
  const s = statOrNull(p);
  if (s === null) return `${p} is a dangling symbolic link`;
  if (!s.isDirectory()) return p === target ? `${dir} exists and is not a directory` : `${p} is not a directory`;
  try {
    accessSync(p, constants.W_OK | constants.X_OK);
  } catch (e) {
    return `cannot write in ${p}: ${errnoText(e)}`;
  }
  return null;
}

/** mkdir -p, one level at a time (see the top of the file). */
export function makeDirs(dir: string): void {
  const missing: string[] = [];
  let p = resolve(dir);
  while (lstatOrNull(p) === null) {
    missing.push(p);
    const up = dirname(p);
    if (up === p) break;
    p = up;
  }
  for (const m of missing.reverse()) {
    try {
      mkdirSync(m);
    } catch (e) {
      // someone else made it meanwhile: fine, as long as it is a directory
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || statOrNull(m)?.isDirectory() !== true) throw e;
    }
  }
}

/**
 * Makes `dir` if needed and writes (then removes) a small file in it: the
 * answer to "can the results go there", asked before the work. Returns why
 * not, or null.
 */
export function prepareDir(dir: string): string | null {
  const problem = dirProblem(dir);
  if (problem !== null) return problem;
  try {
    makeDirs(dir);
  } catch (e) {
    return `cannot create ${dir}: ${errnoText(e)}`;
  }
  // a name nobody else uses ('wx' below: never clobbers a file that is there)
  const probe = join(dir, `.bftsynth-write-test-${process.pid}-${Date.now().toString(36)}`);
  let created = false;
  try {
    const fd = openSync(probe, 'wx');
    created = true;
    try {
      writeFileSync(fd, 'bftsynth write test\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return null;
  } catch (e) {
    return `cannot write in ${dir}: ${errnoText(e)}`;
  } finally {
    if (created) rmSync(probe, { force: true });
  }
}

/**
 * Writes via a temporary file, fsync and rename, so readers see the old file
 * or the new one, never half. On any failure the temporary file is removed
 * (a full disk must not leave `*.tmp-*` files behind) and the error rethrown.
 */
export function writeFileAtomic(file: string, text: string): void {
  makeDirs(dirname(file));
  const tmp = `${file}.tmp-${process.pid}`;
  let created = false;
  try {
    const fd = openSync(tmp, 'w');
    created = true;
    try {
      writeFileSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
    created = false;
  } finally {
    if (created) rmSync(tmp, { force: true });
  }
}
