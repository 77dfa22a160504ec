// Sketches: protocol text with holes, a textual layer in front of the parser.
//
//   ?name in {choice | choice | ...}   defines a hole (choices are raw text)
//   ?name                              re-uses the choice made for that hole
//
// Why textual: a hole may be a coefficient, an expression, a whole rule or a
// whole round, and every completion must be an ordinary protocol file that
// the real front end (parseProtocol) checks; substituting text keeps the
// sketch language exactly as expressive as the protocol language with no
// second grammar to maintain.
//
// Choice syntax: inside the braces, `|` at nesting depth 1 separates choices;
// `||` is always the boolean operator (so write `{a | | b}` for an empty
// choice between two others); braces nest (a choice may hold a round's body);
// comments are copied verbatim and never scanned for holes or braces.
// Choices are trimmed. Holes cannot be defined inside a choice (the search
// space stays a plain product), but a choice may reference a hole (`?k`).

import { fail, ok, type Loc, type LocatedError, type Result } from '../util/result';

export interface Hole {
  name: string;
  choices: string[];
  /** where `?name in {` starts. */
  loc: Loc;
}

/** Text pieces and hole uses (definitions and references alike), in file order. */
export type Segment = { kind: 'text'; text: string } | { kind: 'hole'; hole: number };

export interface Sketch {
  file: string;
  source: string;
  holes: Hole[];
  segments: Segment[];
}

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;

class Scanner {
  pos = 0;
  line = 1;
  col = 1;
  constructor(readonly src: string, readonly file: string) {}

  loc(): Loc {
    return { file: this.file, line: this.line, col: this.col };
  }
  peek(k = 0): string {
    return this.src[this.pos + k] ?? '';
  }
  eof(): boolean {
    return this.pos >= this.src.length;
  }
  /** Advances over `count` characters, tracking line and column. */
  take(count = 1): string {
    const s = this.src.slice(this.pos, this.pos + count);
    for (let k = 0; k < s.length; k++) {
      // `\n`, or a lone `\r` (old Mac line endings), as in the protocol lexer
      if (s[k] === '\n' || (s[k] === '\r' && this.src[this.pos + k + 1] !== '\n')) {
        this.line++;
        this.col = 1;
      } else this.col++;
    }
    this.pos += s.length;
    return s;
  }
  /** A comment at the cursor, consumed and returned verbatim (null if none). */
  comment(): string | null {
    if (this.peek() !== '/') return null;
    if (this.peek(1) === '/') {
      let end = this.pos;
      while (end < this.src.length && this.src[end] !== '\n' && this.src[end] !== '\r') end++;
      return this.take(end - this.pos);
    }
    if (this.peek(1) === '*') {
      const end = this.src.indexOf('*/', this.pos + 2);
      return this.take((end < 0 ? this.src.length : end + 2) - this.pos);
    }
    return null;
  }
  name(): string | null {
    NAME.lastIndex = this.pos;
    const m = NAME.exec(this.src);
    return m === null ? null : this.take(m[0].length);
  }
  skipSpace(): void {
    while (/\s/.test(this.peek())) this.take();
  }
}

/** Parses sketch text; every mistake is a located error (all of them, not just the first). */
export function parseSketch(source: string, file: string): Result<Sketch> {
  const s = new Scanner(source, file);
  // a byte order mark is not text: no column, and not copied into completions
  if (source.charCodeAt(0) === 0xfeff) s.pos = 1;
  const errors: LocatedError[] = [];
  const holes: Hole[] = [];
  const segments: Segment[] = [];
  const refs: { name: string; loc: Loc; segment: number }[] = [];
  const inner: { name: string; loc: Loc }[] = [];
  let text = '';
  const flush = (): void => {
    if (text !== '') segments.push({ kind: 'text', text });
    text = '';
  };
  while (!s.eof()) {
    const c = s.comment();
    if (c !== null) {
      text += c;
      continue;
    }
    if (s.peek() !== '?') {
      text += s.take();
      continue;
    }
    const loc = s.loc();
    s.take();
    const name = s.name();
    if (name === null) {
      errors.push({ loc, message: 'expected a hole name after `?`' });
      continue;
    }
    flush();
    const save = { pos: s.pos, line: s.line, col: s.col };
    s.skipSpace();
    if (s.src.startsWith('in', s.pos) && !/[A-Za-z0-9_]/.test(s.peek(2))) {
      s.take(2);
      s.skipSpace();
      if (s.peek() !== '{') {
        errors.push({ loc: s.loc(), message: `expected \`{\` after \`?${name} in\`` });
        continue;
      }
      const choices = readChoices(s, errors, inner);
      if (choices === null) continue;
      if (holes.some((h) => h.name === name)) {
        const first = holes.find((h) => h.name === name)!;
        errors.push({ loc, message: `hole \`?${name}\` is defined twice (first at ${first.loc.line}:${first.loc.col})` });
        continue;
      }
      holes.push({ name, choices, loc });
      segments.push({ kind: 'hole', hole: holes.length - 1 });
    } else {
      // A reference: restore the cursor so the whitespace after it stays text.
      s.pos = save.pos;
      s.line = save.line;
      s.col = save.col;
      refs.push({ name, loc, segment: segments.length });
      segments.push({ kind: 'hole', hole: -1 });
    }
  }
  flush();
  for (const r of refs) {
    const index = holes.findIndex((h) => h.name === r.name);
    if (index < 0) errors.push({ loc: r.loc, message: `unknown hole \`?${r.name}\` (define it with \`?${r.name} in {...}\`)` });
    else segments[r.segment] = { kind: 'hole', hole: index };
  }
  for (const r of inner) {
    if (!holes.some((h) => h.name === r.name)) errors.push({ loc: r.loc, message: `unknown hole \`?${r.name}\` (define it with \`?${r.name} in {...}\`)` });
  }
  for (const h of holes) {
    if (h.choices.length === 0) errors.push({ loc: h.loc, message: `hole \`?${h.name}\` has no choices` });
  }
  if (errors.length > 0) return fail(errors.sort((a, b) => a.loc.line - b.loc.line || a.loc.col - b.loc.col));
  // Nothing to choose: the proposers would size their networks by zero holes (an "Invalid array length" deep in a campaign).
  if (holes.length === 0) return fail([{ loc: { file, line: 1, col: 1 }, message: 'a sketch needs at least one hole `?name in {choice | choice}`, and this file has none (to check a complete protocol, run `bftsynth check`)' }]);
  return ok({ file, source, holes, segments });
}

/** Reads `{ a | b | ... }` at the cursor; null (with an error) when the braces do not balance. */
function readChoices(s: Scanner, errors: LocatedError[], inner: { name: string; loc: Loc }[]): string[] | null {
  const open = s.loc();
  s.take(); // {
  const choices: string[] = [];
  let depth = 1;
  let cur = '';
  while (!s.eof()) {
    const c = s.comment();
    if (c !== null) {
      cur += c;
      continue;
    }
    const ch = s.peek();
    if (ch === '|' && s.peek(1) === '|') {
      cur += s.take(2);
    } else if (ch === '|' && depth === 1) {
      s.take();
      choices.push(cur.trim());
      cur = '';
    } else if (ch === '{') {
      depth++;
      cur += s.take();
    } else if (ch === '}') {
      depth--;
      if (depth === 0) {
        s.take();
        choices.push(cur.trim());
        return choices;
      }
      cur += s.take();
    } else if (ch === '?') {
      const loc = s.loc();
      const start = s.pos;
      s.take();
      const name = s.name();
      const after = s.src.slice(s.pos).match(/^\s*in\s*\{/);
      if (name !== null && after !== null) {
        errors.push({ loc, message: `hole \`?${name}\` is defined inside a choice; define holes at the top level` });
      }
      if (name !== null && after === null) inner.push({ name, loc });
      cur += s.src.slice(start, s.pos);
    } else {
      cur += s.take();
    }
  }
  errors.push({ loc: open, message: 'unbalanced `{`: this choice list is never closed' });
  return null;
}

/** Number of completions: the product of the holes' arities. */
export function completionCount(sketch: Sketch): number {
  return sketch.holes.reduce((p, h) => p * h.choices.length, 1);
}

export function arities(sketch: Sketch): number[] {
  return sketch.holes.map((h) => h.choices.length);
}

/** The protocol text for one choice index per hole; references inside choices are resolved too. */
export function complete(sketch: Sketch, choices: readonly number[]): string {
  if (choices.length !== sketch.holes.length) throw new Error(`complete: expected ${sketch.holes.length} choices, got ${choices.length}`);
  const pick = (hole: number): string => {
    const h = sketch.holes[hole]!;
    const c = choices[hole]!;
    if (!Number.isInteger(c) || c < 0 || c >= h.choices.length) throw new Error(`complete: choice ${c} out of range for ?${h.name}`);
    return h.choices[c]!.replace(/\?([A-Za-z_][A-Za-z0-9_]*)/g, (whole, name: string) => {
      const k = sketch.holes.findIndex((x) => x.name === name);
      return k < 0 || k === hole ? whole : sketch.holes[k]!.choices[choices[k]!]!;
    });
  };
  return sketch.segments.map((seg) => (seg.kind === 'text' ? seg.text : pick(seg.hole))).join('');
}

/**
 * Known-correct completions recorded in the sketch as comments:
 *   // known-correct: name=index name=index ...
 * Holes not listed take choice 0. Used by the tests and the benchmark to
 * check that the search space contains a correct protocol.
 */
export function knownCompletions(sketch: Sketch): Result<number[][]> {
  const out: number[][] = [];
  const errors: LocatedError[] = [];
  sketch.source.split('\n').forEach((line, i) => {
    const m = /\/\/\s*known-correct:(.*)$/.exec(line);
    if (m === null) return;
    const choices = sketch.holes.map(() => 0);
    for (const part of m[1]!.trim().split(/\s+/).filter((x) => x !== '')) {
      const kv = /^([A-Za-z_][A-Za-z0-9_]*)=([0-9]+)$/.exec(part);
      const k = kv === null ? -1 : sketch.holes.findIndex((h) => h.name === kv[1]);
      if (kv === null || k < 0 || Number(kv[2]) >= sketch.holes[k]!.choices.length) {
        errors.push({ loc: { file: sketch.file, line: i + 1, col: 1 }, message: `bad known-correct entry \`${part}\`` });
      } else choices[k] = Number(kv[2]);
    }
    out.push(choices);
  });
  return errors.length > 0 ? fail(errors) : ok(out);
}
