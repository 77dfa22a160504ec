// Chooses a trace's output format for the commands that write traces.
import type { Protocol } from '../ir/types';
import { traceToHtml } from '../trace/html';
import { itfToText, traceToItf } from '../trace/itf';
import { traceToJson } from '../trace/json';
import type { Trace } from '../trace/model';
import { traceToText } from '../trace/text';

export const TRACE_FORMATS = ['itf', 'json', 'text', 'html'] as const;
export type TraceFormat = (typeof TRACE_FORMATS)[number];

export function renderTrace(trace: Trace, protocol: Protocol, format: TraceFormat, source?: string): string {
  switch (format) {
    case 'itf':
      return itfToText(traceToItf(trace, protocol, source === undefined ? {} : { source }));
    case 'json':
      return traceToJson(trace);
    case 'text':
      return traceToText(trace);
    case 'html':
      return traceToHtml(trace);
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
