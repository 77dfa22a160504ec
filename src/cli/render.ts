// Chooses a trace's output format for the commands that write traces.
import { shortHash } from '../ir/hash';
import { traceToHtml } from '../trace/html';
import { itfToText, traceToItf } from '../trace/itf';
import { traceToJson } from '../trace/json';
import type { Trace } from '../trace/model';
import { traceToText } from '../trace/text';
import { LoadedProtocol, UserError } from './io';

export const TRACE_FORMATS = ['itf', 'json', 'text', 'html'] as const;
export type TraceFormat = (typeof TRACE_FORMATS)[number];

/** Renders a trace; ITF needs the protocol for the variables' declared types. */
export function renderTrace(trace: Trace, format: TraceFormat, source: Pick<LoadedProtocol, 'protocol' | 'file'> | null): string {
  switch (format) {
    case 'itf':
      // a number is a bare integer or Some(integer) depending on the variable's type
      if (source === null) throw new UserError(`--format itf needs the protocol for the variables' types: pass --protocol FILE (the trace is of ${trace.protocol.name}, hash ${shortHash(trace.protocol.hash)})`);
      return itfToText(traceToItf(trace, source.protocol, { source: source.file }));
    case 'json':
      return traceToJson(trace);
    case 'text':
      return traceToText(trace);
    case 'html':
      return traceToHtml(trace, source ?? undefined);
  }
}

/** The format a file name suggests, for --trace-out without --format. */
export function formatFromFileName(file: string): TraceFormat | null {
  if (file.endsWith('.itf.json')) return 'itf';
  if (file.endsWith('.html') || file.endsWith('.htm')) return 'html';
  if (file.endsWith('.txt')) return 'text';
  if (file.endsWith('.json')) return 'json';
  return null;
}
