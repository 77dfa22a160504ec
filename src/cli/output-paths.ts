// Pre-flight checks of output paths, for the commands to call before any
// work: a path that cannot be written must be refused up front (exit 2), not
// found out after minutes of solving (issue 12, item 9).
import { dirname, sep } from 'path';
import { proofDirProblem } from '../proof/write';
import { dirProblem, prepareDir, statOrNull } from '../util/out-path';
import { UserError } from './io';

/**
 * Why a file cannot be written at `file` (atomically: a temporary file
 * beside it, then a rename), or null: it is a directory or not a regular
 * file (a device, a FIFO), or its parent cannot be created or written in.
 * Creates nothing.
 */
export function outputFileProblem(file: string): string | null {
  if (file === '' || file.endsWith(sep) || file.endsWith('/')) return `${file === '' ? '(empty path)' : file} names a directory, not a file`;
  const s = statOrNull(file);
  if (s !== null && s.isDirectory()) return `${file} is a directory`;
  if (s !== null && !s.isFile()) return `${file} is not a regular file`;
  return dirProblem(dirname(file));
}

/**
 * Why directory `dir` cannot take a command's results, or null. Creates the
 * directory (and its parents) and writes and removes a small file in it:
 * only writing shows that a mount is read-only or a quota is full.
 */
export function outputDirProblem(dir: string): string | null {
  const s = statOrNull(dir);
  if (s !== null && !s.isDirectory()) return `${dir} exists and is not a directory`;
  return prepareDir(dir);
}

/** Throws a UserError (exit 2) naming the option when `file` cannot be written; nothing when it is undefined. */
export function requireOutputFile(option: string, file: string | undefined): void {
  if (file === undefined) return;
  const problem = outputFileProblem(file);
  if (problem !== null) throw new UserError(`${option}: ${problem}`);
}

/** Throws a UserError (exit 2) naming the option when `dir` cannot take the results; creates it. */
export function requireOutputDir(option: string, dir: string): void {
  const problem = outputDirProblem(dir);
  if (problem !== null) throw new UserError(`${option}: ${problem}`);
}

/** Throws a UserError (exit 2) naming the option when proof artefacts cannot go to `dir` (proofDirProblem); nothing when it is undefined. */
export function requireProofDir(option: string, dir: string | undefined): void {
  if (dir === undefined) return;
  const problem = proofDirProblem(dir);
  if (problem !== null) throw new UserError(`${option}: ${problem}`);
}
