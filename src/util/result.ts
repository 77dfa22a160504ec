// User mistakes travel as values; exceptions are reserved for bugs.

export interface Loc {
  file: string;
  line: number; // 1-based
  col: number; // 1-based
}

export interface LocatedError {
  loc: Loc;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; errors: LocatedError[] };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(errors: LocatedError[]): Result<T> => ({ ok: false, errors });
export const failAt = <T = never>(loc: Loc, message: string): Result<T> => ({ ok: false, errors: [{ loc, message }] });

/** `file:line:col: message`, then the offending line and a caret under the column. */
export function formatError(err: LocatedError, source?: string): string {
  const head = `${err.loc.file}:${err.loc.line}:${err.loc.col}: ${err.message}`;
  if (source === undefined) return head;
  const lines = source.split(/\r?\n/);
  const text = lines[err.loc.line - 1];
  if (text === undefined) return head;
  const caret = ' '.repeat(Math.max(0, err.loc.col - 1)) + '^';
  return `${head}\n  ${text.replace(/\t/g, ' ')}\n  ${caret}`;
}
