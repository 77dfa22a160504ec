import { CommandModule } from 'yargs';
import { protocolHash, shortHash } from '../../ir/hash';
import { conformanceProblems } from '../../trace/conform';
import { MAX_TRACE_BYTES, formatTraceErrors, readTrace, type ReadTrace } from '../../trace/read';
import { EXIT } from '../exit-codes';
import { LoadedProtocol, UserError, loadProtocol, out, readText, writeAtomic } from '../io';
import { TRACE_FORMATS, TraceFormat, renderTrace } from '../render';
import { requireOutputFile } from '../output-paths';
import { Handler } from '../run';

interface TraceArgs {
  file: string;
  format: TraceFormat;
  protocol?: string;
  out?: string;
}

export interface LoadedTrace extends ReadTrace {
  file: string;
  source: string;
}

/** Reads a trace file (ITF or JSON); a malformed one is a user error with located messages. */
export function loadTrace(file: string): LoadedTrace {
  const source = readText(file, { bytes: MAX_TRACE_BYTES, what: 'a trace file' });
  const read = readTrace(source, file);
  if (!read.ok) throw new UserError(`${formatTraceErrors(read.errors, source)}\n${file}: not a valid trace`);
  return { ...read.value, file, source };
}

/** The trace must be of this very protocol (same canonical hash) and fit its declarations; each problem at its file:line:col. */
export function checkTraceFits(read: LoadedTrace, loaded: LoadedProtocol): void {
  const { trace, file } = read;
  const hash = protocolHash(loaded.protocol);
  if (trace.protocol.hash !== hash) {
    const at = read.locate(['protocol', 'hash']);
    throw new UserError(
      `${at.file}:${at.line}:${at.col}: the trace belongs to another protocol: it records ${trace.protocol.name} (hash ${shortHash(trace.protocol.hash)}), ` +
        `but ${loaded.file} is ${loaded.protocol.name} (hash ${shortHash(hash)})`,
    );
  }
  const problems = conformanceProblems(trace, loaded.protocol);
  if (problems.length > 0) {
    const located = problems.map((p) => ({ loc: read.locate(p.path), message: p.message }));
    throw new UserError(`${formatTraceErrors(located, read.source)}\n${file}: the trace does not fit ${loaded.file}`);
  }
}

export const traceCommand: CommandModule<object, TraceArgs> = {
  command: 'trace <file>',
  describe: 'Convert a trace file (ITF or JSON) to ITF, JSON, a text timeline or an HTML chart',
  builder: (y) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'trace file (ITF or bftsynth JSON)' })
      .option('format', { choices: TRACE_FORMATS, default: 'text' as const, describe: 'output format' })
      .option('protocol', { type: 'string', describe: 'the protocol file the trace is of (needed for itf; checked against the trace hash)' })
      .option('out', { type: 'string', describe: 'write to this file (atomically) instead of stdout' }),
  handler: Handler.wrap(async (args: TraceArgs) => {
    requireOutputFile('--out', args.out);
    const read = loadTrace(args.file);
    const { trace } = read;
    const loaded = args.protocol === undefined ? null : loadProtocol(args.protocol);
    if (loaded !== null) checkTraceFits(read, loaded);
    const text = renderTrace(trace, args.format, loaded);
    if (args.out === undefined) out(text);
    else writeAtomic(args.out, text);
    return EXIT.ok;
  }),
};
