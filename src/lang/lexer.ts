// Lexer: text -> tokens with 1-based line/column. Never throws on user input.
import { Loc, Result, ok, failAt } from '../util/result';

export type TokenKind = 'ident' | 'int' | 'punct' | 'eof';

export interface Token {
  kind: TokenKind;
  text: string;
  loc: Loc;
}

/** A comment, kept so that the formatter never drops what a person wrote. */
export interface Comment {
  text: string; // verbatim, `//...` or `/*...*/`
  loc: Loc;
  endLine: number;
}

export interface Lexed {
  tokens: Token[];
  comments: Comment[];
}

// Longest first, so that `:=` wins over `:` and `..` over a stray dot.
const PUNCTUATION = [':=', '..', '<=', '>=', '==', '!=', '&&', '||', '=', '(', ')', '{', '}', ',', ':', ';', '+', '-', '*', '<', '>', '!', '?'];

/** Largest integer literal accepted; keeps all arithmetic exact in doubles and in SMT. */
export const MAX_LITERAL = 1_000_000;

/**
 * Whether the character at i ends a line: `\n`, or a `\r` not followed by
 * `\n` (old Mac line endings; in `\r\n` the `\n` ends the line).
 */
export function endsLine(source: string, i: number): boolean {
  const c = source.charCodeAt(i);
  return c === 10 || (c === 13 && source.charCodeAt(i + 1) !== 10);
}

export function lex(source: string, file: string): Result<Lexed> {
  const tokens: Token[] = [];
  const comments: Comment[] = [];
  let i = 0;
  let line = 1;
  let col = 1;
  const here = (): Loc => ({ file, line, col });
  const advance = (count: number): void => {
    for (let k = 0; k < count; k++) {
      if (endsLine(source, i)) {
        line++;
        col = 1;
      } else {
        col++;
      }
      i++;
    }
  };
  // A byte order mark (editors on Windows write one) is not part of the text.
  if (source.charCodeAt(0) === 0xfeff) i = 1;
  while (i < source.length) {
    const c = source[i];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      advance(1);
      continue;
    }
    if (source.startsWith('//', i)) {
      const start = here();
      const from = i;
      while (i < source.length && source[i] !== '\n' && source[i] !== '\r') advance(1);
      comments.push({ text: source.slice(from, i).trimEnd(), loc: start, endLine: line });
      continue;
    }
    if (source.startsWith('/*', i)) {
      const start = here();
      const end = source.indexOf('*/', i + 2);
      if (end < 0) return failAt(start, 'unterminated comment: `/*` has no closing `*/`');
      const from = i;
      advance(end + 2 - i);
      comments.push({ text: source.slice(from, i), loc: start, endLine: line });
      continue;
    }
    const start = here();
    const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i, i + 256));
    if (ident) {
      tokens.push({ kind: 'ident', text: ident[0], loc: start });
      advance(ident[0].length);
      continue;
    }
    const digits = /^[0-9]+/.exec(source.slice(i, i + 64));
    if (digits) {
      if (digits[0].length > 7 || Number(digits[0]) > MAX_LITERAL) {
        return failAt(start, `integer literal ${digits[0]} is too large (at most ${MAX_LITERAL})`);
      }
      tokens.push({ kind: 'int', text: digits[0], loc: start });
      advance(digits[0].length);
      continue;
    }
    const punct = PUNCTUATION.find((p) => source.startsWith(p, i));
    if (punct) {
      tokens.push({ kind: 'punct', text: punct, loc: start });
      advance(punct.length);
      continue;
    }
    const shown = c === undefined ? 'end of input' : JSON.stringify(c);
    return failAt(start, `unexpected character ${shown}`);
  }
  tokens.push({ kind: 'eof', text: '', loc: here() });
  return ok({ tokens, comments });
}
