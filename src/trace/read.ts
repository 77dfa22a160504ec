// Reading a trace file back: ITF (itf.ts) or bftsynth JSON (json.ts, or the
// bare Trace that `simulate --json` prints), detected from the content.
// Every problem comes back as a located error (file:line:col, and the path
// of the offending node); no input makes this throw.

import { parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { z } from 'zod';
import { fail, ok, type LocatedError, type Result } from '../util/result';
import { JSON_FORMAT, JSON_VERSION } from './json';
import { LineIndex, formatClipped, locateAt, pathText, showJson, valueAt } from './locate';
import type { Trace } from './model';
import { decodeItf, itfSchema } from './read-itf';
import { traceSchema, wellFormedIssues, type Path, type TraceIssue } from './schema';

export type TraceFormat = 'itf' | 'json';

export interface ReadTrace {
  trace: Trace;
  /** what the file was written as. */
  format: TraceFormat;
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

const MAX_ERRORS = 10;

export function readTrace(source: string, file: string): Result<ReadTrace> {
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  const lines = new LineIndex(text);
  const syntax: ParseError[] = [];
  const root = parseTree(text, syntax, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = syntax[0];
  if (first !== undefined) {
    // Only the first: the parser's recovery makes the later ones mostly echoes of it.
    const what = SYNTAX[printParseErrorCode(first.error)] ?? 'malformed JSON';
    const atEnd = first.offset >= text.trimEnd().length;
    return fail([{ loc: lines.loc(file, first.offset), message: `JSON syntax: ${what}${atEnd ? ' (the file ends early: is it truncated?)' : ''}` }]);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    // jsonc-parser accepted what JSON.parse did not (should not happen): still a user error.
    return fail([{ loc: lines.loc(file, 0), message: `JSON syntax: ${e instanceof Error ? e.message : String(e)}` }]);
  }
  const at = (path: Path, message: string): LocatedError => locateAt(root, lines, file, path, `${pathText(path)}: ${message}`);
  const located = (issues: TraceIssue[]): Result<ReadTrace> => fail(issues.slice(0, MAX_ERRORS).map((i) => at(i.path, i.message)));

  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    return fail([at([], `not a trace: expected an object, found ${showJson(doc)}`)]);
  }
  const top = doc as Record<string, unknown>;
  if ('#meta' in top || 'states' in top) {
    const parsed = itfSchema.safeParse(doc);
    if (!parsed.success) return located(zodIssues(parsed.error, doc, []));
    const decoded = decodeItf(parsed.data);
    return decoded.ok ? ok({ trace: decoded.trace, format: 'itf' }) : located(decoded.issues);
  }
  if ('format' in top) {
    if (top['format'] !== JSON_FORMAT) return fail([at(['format'], `unknown trace format ${showJson(top['format'])} (expected "${JSON_FORMAT}" or an ITF trace)`)]);
    if (top['version'] !== JSON_VERSION) return fail([at(['version'], `unsupported version ${showJson(top['version'])} (this bftsynth reads version ${JSON_VERSION})`)]);
    return checkedTrace(top['trace'], ['trace'], located);
  }
  if ('rounds' in top && 'protocol' in top) return checkedTrace(doc, [], located);
  return fail([at([], 'not a trace: expected an ITF trace (with "#meta" and "states") or a bftsynth JSON trace (with "format": "bftsynth-trace")')]);
}

/** Issues of a plain JSON Trace at `prefix` in the document, or null when it is valid. */
function checkTrace(value: unknown, prefix: Path): TraceIssue[] | null {
  const parsed = traceSchema.safeParse(value);
  if (!parsed.success) return zodIssues(parsed.error, value, prefix);
  const issues = wellFormedIssues(parsed.data);
  return issues.length === 0 ? null : issues.map((i) => ({ path: [...prefix, ...i.path], message: i.message }));
}

function checkedTrace(value: unknown, prefix: Path, located: (issues: TraceIssue[]) => Result<ReadTrace>): Result<ReadTrace> {
  const issues = checkTrace(value, prefix);
  if (issues !== null) return located(issues);
  return ok({ trace: traceSchema.parse(value), format: 'json' });
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
function zodIssues(error: z.ZodError, value: unknown, prefix: Path): TraceIssue[] {
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
  const reach = issue.errors.map((alt) => (alt.length === 0 ? 0 : Math.min(...alt.map((i) => i.path.length))));
  const best = Math.max(...reach);
  const winners = issue.errors.filter((_, k) => reach[k] === best);
  if (best === 0 || winners.length !== 1) return [issue];
  return winners[0]!.flatMap((i) => narrowUnion({ ...i, path: [...issue.path, ...i.path] }));
}

/** Located errors as text: each with an excerpt of its line and a caret. */
export function formatTraceErrors(errors: readonly LocatedError[], source: string): string {
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  return errors.map((e) => formatClipped(e, text)).join('\n');
}
