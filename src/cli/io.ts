// Terminal and file I/O for the commands: the only place that writes to
// stdout/stderr. Files are written atomically so a crash never truncates one.
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'fs';
import { Protocol } from '../ir/types';
import { parseProtocol } from '../lang';
import { LocatedError, formatError } from '../util/result';
import { errnoText, writeFileAtomic } from '../util/out-path';
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

/**
 * Failed writes to stdout/stderr arrive as 'error' events, which unhandled
 * print a raw Node stack and exit 1 ("violated"). A reader that went away
 * (EPIPE, `| head`) did not want the rest: ignored, the command's own exit
 * code stands. Anything else (ENOSPC on a full disk, EIO) loses output:
 * one line on stderr, exit 4.
 */
export function guardOutput(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => onWriteError('standard output', e));
  process.stderr.on('error', (e: NodeJS.ErrnoException) => onWriteError('standard error', e));
}

function onWriteError(stream: 'standard output' | 'standard error', e: NodeJS.ErrnoException): void {
  if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') return;
  if (stream === 'standard output') {
    const reason = e.code === 'ENOSPC' ? 'no space left on the device (ENOSPC)' : (e.code ?? e.message);
    try {
      process.stderr.write(`bftsynth: cannot write to standard output: ${reason}\n`);
    } catch {
      // stderr is gone too: the exit code is all that is left
    }
  }
  process.exit(EXIT.internal);
}

/**
 * Largest protocol or sketch file read: library files are under 4 kB, and
 * parsing grows faster than the text (20,000 rules, 930 kB: 10 s), so a
 * quarter of a megabyte (some 5,000 rules) is far beyond any real protocol.
 */
export const MAX_SOURCE_BYTES = 256 * 1024;

/** How much of what `readText` accepts, for its message. */
export interface InputLimit {
  bytes: number;
  /** e.g. "a protocol file" */
  what: string;
}

const SOURCE_LIMIT: InputLimit = { bytes: MAX_SOURCE_BYTES, what: 'a protocol or sketch file' };

function mb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} kB`;
}

function readError(file: string, e: unknown): UserError {
  // the one errno table (out-path.ts); a missing input is just "no such file"
  const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : errnoText(e);
  return new UserError(`${file}: cannot read: ${reason}`);
}

/**
 * Reads a regular file of at most `limit.bytes` as UTF-8. A FIFO, a device
 * (/dev/zero) or a directory is refused rather than read: reading one would
 * block or never end. Opened non-blocking so that opening a FIFO cannot hang.
 */
export function readText(file: string, limit: InputLimit = SOURCE_LIMIT): string {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw readError(file, e);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new UserError(`${file}: cannot read: is a directory`);
    if (!st.isFile()) throw new UserError(`${file}: cannot read: not a regular file (a pipe, socket or device); give a file`);
    const tooLarge = (size: number): UserError => new UserError(`${file}: cannot read: the file is ${size} bytes, more than the ${limit.bytes} bytes (${mb(limit.bytes)}) accepted for ${limit.what}`);
    if (st.size > limit.bytes) throw tooLarge(st.size);
    const text = readFileSync(fd, 'utf8');
    // a file that grew since fstat is judged by what was read
    const read = Buffer.byteLength(text, 'utf8');
    if (read > limit.bytes) throw tooLarge(read);
    return text;
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw readError(file, e);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes via a temporary file and rename, so readers never see half a file
 * (and none is left behind on failure). A failed write is one line: exit 2
 * for a path the user can fix, exit 4 when the disk is full or failing.
 */
export function writeAtomic(file: string, text: string): void {
  try {
    writeFileAtomic(file, text);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === undefined) throw e;
    const environment = code === 'ENOSPC' || code === 'EDQUOT' || code === 'EIO';
    throw new UserError(`${file}: cannot write: ${errnoText(e)}`, environment ? EXIT.internal : EXIT.badInput);
  }
}

export function reportErrors(errors: LocatedError[], source: string | undefined): never {
  const shown = source === undefined ? undefined : asLexed(source);
  throw new UserError(errors.map((e) => formatError(e, shown)).join('\n'));
}

/**
 * The text as the lexer counts lines and columns: without a byte order mark
 * (not a column) and with a lone `\r` as a line end, so that the excerpt under
 * file:line:col is that line.
 */
function asLexed(source: string): string {
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  return text.replace(/\r(?!\n)/g, '\n');
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
