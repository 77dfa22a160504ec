// From a path in a JSON document to a place a person can go to: the
// file:line:col of the node (or of the nearest enclosing one that exists),
// and a readable name for the path such as rounds[2].states[1].v.

import { findNodeAtLocation, type Node } from 'jsonc-parser';
import type { Loc, LocatedError } from './result';

/** A path into a JSON document: object keys and array indices. */
export type Path = (string | number)[];

/** rounds[2].states[1].v ; keys that are not identifiers in brackets: ["a b"]. */
export function pathText(path: Path): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (/^[A-Za-z_#$][\w#$-]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(key)}]`;
  }
  return out === '' ? '(top level)' : out;
}

export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(readonly text: string) {
    // `\n`, `\r\n` and a lone `\r` each end a line, as in the protocol lexer
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) this.starts.push(i + 1);
    }
  }
  /** 1-based line and column of a character offset. */
  loc(file: string, offset: number): Loc {
    const at = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return { file, line: lo + 1, col: at - this.starts[lo]! + 1 };
  }
}

/** The node at `path`, or the deepest ancestor that exists (a missing field points at its object). */
export function nearestNode(root: Node, path: Path): Node {
  for (let k = path.length; k > 0; k--) {
    const node = findNodeAtLocation(root, path.slice(0, k));
    if (node !== undefined) return node;
  }
  return root;
}

export function locateAt(root: Node | undefined, lines: LineIndex, file: string, path: Path, message: string): LocatedError {
  const offset = root === undefined ? 0 : nearestNode(root, path).offset;
  return { loc: lines.loc(file, offset), message };
}

/** The value at `path` in a parsed document (undefined when absent). */
export function valueAt(doc: unknown, path: Path): unknown {
  let cur: unknown = doc;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return cur;
}

/** A short description of a JSON value for messages. */
export function showJson(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'an array';
  if (v !== null && typeof v === 'object') return 'an object';
  const s = JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/**
 * Like formatError in util/result.ts, but a JSON file may be one huge line:
 * show at most ~100 characters of it around the column.
 */
export function formatClipped(err: LocatedError, source: string): string {
  const head = `${err.loc.file}:${err.loc.line}:${err.loc.col}: ${err.message}`;
  const text = source.split(/\r\n|\r|\n/)[err.loc.line - 1];
  if (text === undefined) return head;
  const from = Math.max(0, err.loc.col - 1 - 60);
  const to = Math.min(text.length, from + 100);
  const excerpt = (from > 0 ? '...' : '') + text.slice(from, to).replace(/\t/g, ' ') + (to < text.length ? '...' : '');
  const caret = ' '.repeat(err.loc.col - 1 - from + (from > 0 ? 3 : 0)) + '^';
  return `${head}\n  ${excerpt}\n  ${caret}`;
}
