// Terminal and file I/O for the commands: the only place that writes to
// stdout/stderr. Files are written atomically so a crash never truncates one.
import { readFileSync, renameSync, writeFileSync, mkdirSync } from 'fs';
import { dirname } from 'path';
import { Protocol } from '../ir/types';
import { parseProtocol } from '../lang';
import { LocatedError, formatError } from '../util/result';
import { EXIT, ExitCode } from './exit-codes';

export class UserError {
  constructor(readonly message: string, readonly code: ExitCode = EXIT.badInput) {}
}

export function out(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : text + '\n');
}

export function err(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : text + '\n');
}

export function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : String(code ?? e);
    throw new UserError(`${file}: cannot read: ${reason}`);
  }
}

/** Writes via a temporary file and rename, so readers never see half a file. */
export function writeAtomic(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

export function reportErrors(errors: LocatedError[], source: string | undefined): never {
  throw new UserError(errors.map((e) => formatError(e, source)).join('\n'));
}

export interface LoadedProtocol {
  file: string;
  source: string;
  protocol: Protocol;
}

export function loadProtocol(file: string): LoadedProtocol {
  const source = readText(file);
  const parsed = parseProtocol(source, file);
  if (!parsed.ok) reportErrors(parsed.errors, source);
  return { file, source, protocol: parsed.value };
}
