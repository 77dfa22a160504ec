// Plain JSON export: the Trace itself inside a small envelope, so a reader
// can tell a bftsynth trace (and its format version) from any other JSON.

import type { Trace } from './model';

export const JSON_FORMAT = 'bftsynth-trace';
export const JSON_VERSION = 1;

export interface TraceEnvelope {
  format: typeof JSON_FORMAT;
  version: typeof JSON_VERSION;
  trace: Trace;
}

export function traceToEnvelope(trace: Trace): TraceEnvelope {
  return { format: JSON_FORMAT, version: JSON_VERSION, trace };
}

export function traceToJson(trace: Trace): string {
  return JSON.stringify(traceToEnvelope(trace), null, 2) + '\n';
}
