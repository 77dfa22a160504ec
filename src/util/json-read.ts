// Reading JSON that people or tools wrote: syntax errors and schema (zod)
// errors become located errors (file:line:col and the path of the node).
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { z } from 'zod';
import { LineIndex, formatClipped, locateAt, pathText, showJson, valueAt, type Path } from './json-locate';
import { fail, ok, type LocatedError, type Result } from './result';

export interface JsonIssue {
  path: Path;
  message: string;
}

export interface JsonDocument {
  doc: unknown;
  root: Node | undefined;
  lines: LineIndex;
}

const SYNTAX: Record<string, string> = {
  InvalidSymbol: 'invalid symbol',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected `:`',
  CommaExpected: 'expected `,`',
  CloseBraceExpected: 'expected `}`',
  CloseBracketExpected: 'expected `]`',
  EndOfFileExpected: 'expected the end of the file',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character in a string',
};

/**
 * Deepest nesting of arrays and objects read. The parser recurses once per
 * level (100,000 brackets overflow the stack); the files this tool reads
 * (traces, ITF, manifests, checkpoints) nest about ten deep.
 */
export const MAX_JSON_DEPTH = 128;

/** The offset of the first bracket nested deeper than `max`, or null: one pass, no recursion. */
export function tooDeepAt(text: string, max: number): number | null {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return i;
    } else if (c === 0x5d || c === 0x7d) depth = Math.max(0, depth - 1);
  }
  return null;
}

/** Parses JSON text, reporting the first syntax error with its position. */
export function parseJsonText(source: string, file: string): Result<JsonDocument> {
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  const lines = new LineIndex(text);
  const deep = tooDeepAt(text, MAX_JSON_DEPTH);
  if (deep !== null) return fail([{ loc: lines.loc(file, deep), message: `JSON nested more than ${MAX_JSON_DEPTH} levels deep: not a file this tool writes` }]);
  const syntax: ParseError[] = [];
  const root = parseTree(text, syntax, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = syntax[0];
  if (first !== undefined) {
    // Only the first: the parser's recovery makes the later ones mostly echoes of it.
    const what = SYNTAX[printParseErrorCode(first.error)] ?? 'malformed JSON';
    const atEnd = first.offset >= text.trimEnd().length;
    return fail([{ loc: lines.loc(file, first.offset), message: `JSON syntax: ${what}${atEnd ? ' (the file ends early: is it truncated?)' : ''}` }]);
  }
  try {
    return ok({ doc: JSON.parse(text) as unknown, root, lines });
  } catch (e) {
    // jsonc-parser accepted what JSON.parse did not (should not happen): still a user error.
    return fail([{ loc: lines.loc(file, 0), message: `JSON syntax: ${e instanceof Error ? e.message : String(e)}` }]);
  }
}

/** Parses JSON text and validates it with a zod schema; every problem located. */
export function readJson<T>(source: string, file: string, schema: z.ZodType<T>, maxErrors = 10): Result<T> {
  const parsed = parseJsonText(source, file);
  if (!parsed.ok) return parsed;
  const { doc, root, lines } = parsed.value;
  const checked = schema.safeParse(doc);
  if (checked.success) return ok(checked.data);
  return fail(zodIssues(checked.error, doc, []).slice(0, maxErrors).map((i) => locateAt(root, lines, file, i.path, `${pathText(i.path)}: ${i.message}`)));
}

const EXPECTED: Record<string, string> = {
  number: 'an integer',
  int: 'an integer',
  string: 'a string',
  boolean: 'true or false',
  array: 'an array',
  object: 'an object',
  tuple: 'an array',
  record: 'an object',
  null: 'null',
};

/** zod's issues in our words, with paths relative to the document. */
export function zodIssues(error: z.ZodError, value: unknown, prefix: Path): JsonIssue[] {
  return error.issues.flatMap(narrowUnion).map((issue) => {
    const rel = issue.path.filter((k): k is string | number => typeof k !== 'symbol');
    const path = [...prefix, ...rel];
    const actual = valueAt(value, rel);
    if (issue.code === 'invalid_type') {
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      return { path, message: actual === undefined ? `missing, expected ${expected}` : `expected ${expected}, found ${showJson(actual)}` };
    }
    if (actual === undefined && issue.code === 'invalid_union') return { path, message: `missing; ${issue.message}` };
    return { path, message: issue.message };
  });
}

/**
 * zod reports a value that fits no alternative of a union at the union. When
 * exactly one alternative got further into the value than the others (say
 * Some(...) whose integer is malformed, against None), its issues are the
 * useful ones: report those, deeper in.
 */
function narrowUnion(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [issue];
  // reduce, not Math.min(...xs): a spread argument list is bounded by the stack
  const reach = issue.errors.map((alt) => alt.reduce((m, i) => Math.min(m, i.path.length), alt.length === 0 ? 0 : Infinity));
  const best = reach.reduce((m, r) => Math.max(m, r), -Infinity);
  const winners = issue.errors.filter((_, k) => reach[k] === best);
  if (best === 0 || winners.length !== 1) return [issue];
  return winners[0]!.flatMap((i) => narrowUnion({ ...i, path: [...issue.path, ...i.path] }));
}

/** Located errors as text: each with an excerpt of its line and a caret. */
export function formatJsonErrors(errors: readonly LocatedError[], source: string): string {
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  return errors.map((e) => formatClipped(e, text)).join('\n');
}
