// Reading a trace file back: ITF (itf.ts) or bftsynth JSON (json.ts, or the
// bare Trace that `simulate --json` prints), detected from the content.
// Every problem comes back as a located error (file:line:col, and the path
// of the offending node); no input makes this throw.

import { fail, ok, type Loc, type LocatedError, type Result } from '../util/result';
import { JSON_FORMAT, JSON_VERSION } from './json';
import { locateAt, nearestNode, pathText, showJson, type LineIndex } from '../util/json-locate';
import type { Node } from 'jsonc-parser';
import { formatJsonErrors, parseJsonText, zodIssues } from '../util/json-read';
import type { Trace } from './model';
import { decodeItf, itfSchema } from './read-itf';
import { traceSchema, wellFormedIssues, type Path, type TraceIssue } from './schema';

export type TraceFormat = 'itf' | 'json';

export interface ReadTrace {
  trace: Trace;
  /** what the file was written as. */
  format: TraceFormat;
  /**
   * Where a path of the Trace model (as conformance problems give it) is in
   * the file: exact for JSON, the ITF state (or variable) that records it for ITF.
   */
  locate: (path: Path) => Loc;
}

const MAX_ERRORS = 10;

/**
 * Largest trace file read. Reading takes about 25 times the file in memory
 * (measured: a 29 MB trace of quorum-vote at n = 10000, 10 rounds, peaks at
 * 780 MB and 18 s in `trace` and `replay`; 106 MB took 2.35 GB), so 32 MB
 * keeps a read under a gigabyte. The CLI refuses a larger file before reading it.
 */
export const MAX_TRACE_BYTES = 32 * 1024 * 1024;

export function readTrace(source: string, file: string): Result<ReadTrace> {
  // in characters here (the CLI checks bytes before reading): a cheap guard for callers that read the file themselves
  if (source.length > MAX_TRACE_BYTES) return fail([{ loc: { file, line: 1, col: 1 }, message: `the trace is ${source.length} characters, more than the ${MAX_TRACE_BYTES} bytes a trace may have` }]);
  const parsed0 = parseJsonText(source, file);
  if (!parsed0.ok) return parsed0;
  const { doc, root, lines } = parsed0.value;
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
    return decoded.ok ? ok({ trace: decoded.trace, format: 'itf', locate: locator(root, lines, file, itfPath) }) : located(decoded.issues);
  }
  if ('format' in top) {
    if (top['format'] !== JSON_FORMAT) return fail([at(['format'], `unknown trace format ${showJson(top['format'])} (expected "${JSON_FORMAT}" or an ITF trace)`)]);
    if (top['version'] !== JSON_VERSION) return fail([at(['version'], `unsupported version ${showJson(top['version'])} (this bftsynth reads version ${JSON_VERSION})`)]);
    return checkedTrace(top['trace'], ['trace'], located, locator(root, lines, file, (path) => ['trace', ...path]));
  }
  if ('rounds' in top && 'protocol' in top) return checkedTrace(doc, [], located, locator(root, lines, file, (path) => path));
  return fail([at([], 'not a trace: expected an ITF trace (with "#meta" and "states") or a bftsynth JSON trace (with "format": "bftsynth-trace")')]);
}

/** Issues of a plain JSON Trace at `prefix` in the document, or null when it is valid. */
function checkTrace(value: unknown, prefix: Path): TraceIssue[] | null {
  const parsed = traceSchema.safeParse(value);
  if (!parsed.success) return zodIssues(parsed.error, value, prefix);
  const issues = wellFormedIssues(parsed.data);
  return issues.length === 0 ? null : issues.map((i) => ({ path: [...prefix, ...i.path], message: i.message }));
}

function checkedTrace(value: unknown, prefix: Path, located: (issues: TraceIssue[]) => Result<ReadTrace>, locate: (path: Path) => Loc): Result<ReadTrace> {
  const issues = checkTrace(value, prefix);
  if (issues !== null) return located(issues);
  return ok({ trace: traceSchema.parse(value), format: 'json', locate });
}

function locator(root: Node | undefined, lines: LineIndex, file: string, toFile: (path: Path) => Path): (path: Path) => Loc {
  return (path) => lines.loc(file, root === undefined ? 0 : nearestNode(root, toFile(path)).offset);
}

/** ITF field of each per-round part of the Trace model (see itf.ts: state k is the state after round k). */
const ITF_FIELD: Record<string, string> = {
  states: 'state',
  sent: 'sent',
  byzantine: 'byzantine',
  fired: 'fired',
  name: 'roundName',
  leader: 'leader',
  phase: 'phase',
  crashed: 'crashed',
  withheld: 'withheld',
};

/** A Trace path in ITF terms, as deep as the encodings agree: the state of the round, and its variable. */
function itfPath(path: Path): Path {
  const [top, k, field] = path;
  if (top === 'initial') return ['states', 0, 'state'];
  if (top === 'protocol') return ['#meta', 'protocol'];
  if (top === 'faulty' || top === 'faults' || top === 'o') return ['states', 0, top];
  if (top === 'rounds' && typeof k === 'number') {
    const f = typeof field === 'string' ? ITF_FIELD[field] : undefined;
    return f === undefined ? ['states', k + 1] : ['states', k + 1, f];
  }
  return [];
}

/** Located trace errors as text: each with an excerpt of its line (clipped: JSON lines can be huge) and a caret. */
export const formatTraceErrors = formatJsonErrors;
