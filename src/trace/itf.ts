// Export of a trace in the Informal Trace Format (ITF) of Apalache and Quint
// (ADR-015), so that a counterexample can be read by their tooling.
//
// Layout: `params` (n, t, faulty, inputs) are constant and repeated in every
// state, as ITF asks; state 0 is the initial state, state k the state after
// round k. `vars`: round, phase, roundName, leader, state (process -> record
// of its variables, correct processes only), sent (correct broadcasts of the
// round), byzantine (Byzantine messages of the round, per receiver), fired
// (process -> 1-based rule number, as in the text timeline; absent: no rule).
// Crash and omission traces add the param `faults` and the vars `crashed`
// and `withheld` (itf-faults.ts); `faulty` is then their faulty set. Hybrid
// traces add `o` and `omissionFaulty` too (itf-faults.ts).
// Integers are {"#bigint"}, `value?` variables the variants Some/None, and a
// message without payload carries the unit value {"#tup": []}.
//
// Conventions follow the traces Quint writes (`quint run --out-itf`; its
// quint/src/itf.ts and cliHelpers.ts `addItfHeader`): integers always as
// {"#bigint": "..."} (the ADR's revision of 2023-09-14), None carrying the
// unit value, the empty tuple {"#tup": []} (as Quint's own Option does), and
// `#meta` with format, format-description, source, status ("ok" or
// "violation", as `quint run`) and description; `timestamp` only on request,
// so that the same trace always exports to the same bytes. Beyond Quint,
// `#meta.varTypes` gives every param and var its type in Apalache's syntax
// (ADR-002; Apalache requires it to read a trace back), and bftsynth's own
// fields protocol, n, t and violations.
//
// The encoding needs the Protocol: a number in the trace is a bare integer
// for a `value` variable but Some(integer) for a `value?` one. Decoding
// needs no protocol (see read-itf.ts).

import { DECIDED, type Protocol, type Type, unreachable } from '../ir/types';
import { faultParams, faultVarNames, faultVars, faultVarTypes } from './itf-faults';
import type { LocalState, RoundRecord, Trace, Val, Violation } from './model';

/** What this writer produces (the format also allows JSON integers and lists; read-itf.ts reads them). */
export type ItfValue = boolean | string | ItfBigint | ItfSet | ItfMap | ItfTup | ItfRecord;
export interface ItfBigint {
  '#bigint': string;
}
export interface ItfSet {
  '#set': ItfValue[];
}
export interface ItfMap {
  '#map': [ItfValue, ItfValue][];
}
export interface ItfTup {
  '#tup': ItfValue[];
}
/** Records and variants ({tag, value}) alike. */
export interface ItfRecord {
  [field: string]: ItfValue;
}

export const ITF_FORMAT_DESCRIPTION = 'https://apalache-mc.org/docs/adr/015adr-trace.html';
export const ITF_VARS = ['round', 'phase', 'roundName', 'leader', 'state', 'sent', 'byzantine', 'fired'] as const;

export interface ItfMeta {
  format: 'ITF';
  'format-description': string;
  source: string;
  /** as `quint run` writes it: "violation" when the run violates a property, else "ok" */
  status: 'ok' | 'violation';
  description: string;
  /** milliseconds since the epoch; only when ItfOptions.timestamp is given */
  timestamp?: number;
  /** param or var -> its type in Apalache's syntax; absent when some var has no single type (see itfVarTypes) */
  varTypes?: Record<string, string>;
  protocol: { name: string; hash: string };
  n: number;
  t: number;
  /** hybrid traces only: the omission bound o. */
  o?: number;
  /** the violations the run exhibits, as plain JSON (the trace model's Violation). */
  violations: Violation[];
}

export type ItfState = { '#meta': { index: number } } & Record<string, ItfValue | { index: number }>;

export interface ItfTrace {
  '#meta': ItfMeta;
  params: string[];
  vars: string[];
  states: ItfState[];
}

export const bigint = (k: number): ItfBigint => ({ '#bigint': String(k) });
export const UNIT: ItfTup = { '#tup': [] };
const some = (value: ItfValue): ItfRecord => ({ tag: 'Some', value });
// Quint's None carries the unit value, the empty tuple. Quint of 2023 wrote the empty record
// instead (itf-rs's fixture SumTypes0.itf.json); read-itf.ts reads both, and Apalache's {"tag": "UNIT"}.
const none = (): ItfRecord => ({ tag: 'None', value: { '#tup': [] } });

/**
 * A runtime value under its declared type. `undefined` type (a variable or
 * message the protocol does not declare) falls back to the value's own
 * shape, so the encoder is total; `conformance` in conform.ts reports such
 * traces to the user before export.
 */
export function encodeVal(v: Val, type: Type | null | undefined): ItfValue {
  if (type === null) return UNIT; // a message without payload
  if (type !== undefined && type.kind === 'optvalue') return v === null ? none() : some(encodeVal(v, undefined));
  if (v === null) return none();
  return typeof v === 'boolean' ? v : bigint(v);
}

function varTypes(protocol: Protocol): Map<string, Type> {
  const types = new Map<string, Type>(protocol.vars.map((d) => [d.name, d.type]));
  types.set(DECIDED, { kind: 'optvalue' });
  return types;
}

/** Record fields in declaration order (then any undeclared ones), so files diff well. */
function encodeState(state: LocalState, types: Map<string, Type>): ItfRecord {
  const out: ItfRecord = {};
  const names = [...types.keys()].filter((k) => k in state);
  for (const k of Object.keys(state)) if (!types.has(k)) names.push(k);
  for (const name of names) out[name] = encodeVal(state[name] ?? null, types.get(name));
  return out;
}

/** process -> value for the non-null entries (ITF maps are partial: absent means null). */
function processMap<T>(entries: readonly (T | null)[], encode: (x: T) => ItfValue): ItfMap {
  const pairs: [ItfValue, ItfValue][] = [];
  entries.forEach((x, i) => {
    if (x !== null && x !== undefined) pairs.push([bigint(i), encode(x)]);
  });
  return { '#map': pairs };
}

export interface ItfOptions {
  /** `#meta.source`: the protocol file the trace is of. */
  source?: string;
  /** `#meta.timestamp` (ms since the epoch, as Quint writes it); absent by default, so exports are reproducible. */
  timestamp?: number;
}

/** Apalache's type of a value of this type (ADR-002; the option type as Apalache's Option.tla spells it). */
function typeText(type: Type | null): string {
  if (type === null) return '<<>>';
  switch (type.kind) {
    case 'value':
      return 'Int';
    case 'optvalue':
      return 'Some(Int) | None(UNIT)';
    case 'bool':
      return 'Bool';
    default:
      return unreachable(type);
  }
}

/** A variant type nested in another type needs parentheses. */
const nested = (text: string): string => (text.includes('|') ? `(${text})` : text);

/**
 * The type of every param and var (`#meta.varTypes`). The payloads of all
 * message types share the field `payload` of `sent` and `byzantine`; when the
 * protocol's message types carry payloads of different types (or none beside
 * some), no single type describes those sets, and the result is null.
 */
export function itfVarTypes(protocol: Protocol): Record<string, string> | null {
  const payloads = [...new Set(protocol.messages.map((m) => typeText(m.payload)))];
  if (payloads.length > 1) return null;
  const payload = nested(payloads[0] ?? '<<>>');
  const fields = [...varTypes(protocol)].map(([name, type]) => `${name}: ${nested(typeText(type))}`);
  return {
    n: 'Int',
    t: 'Int',
    faulty: 'Set(Int)',
    inputs: 'Int -> Int',
    round: 'Int',
    phase: 'Int',
    roundName: 'Str',
    leader: typeText({ kind: 'optvalue' }),
    state: `Int -> { ${fields.join(', ')} }`,
    sent: `Set({ from: Int, message: Str, payload: ${payload} })`,
    byzantine: `Set({ from: Int, to: Int, message: Str, payload: ${payload} })`,
    fired: 'Int -> Int',
  };
}

export function traceToItf(trace: Trace, protocol: Protocol, options: ItfOptions = {}): ItfTrace {
  const types = varTypes(protocol);
  const payloadType = (message: string): Type | null | undefined => protocol.messages.find((m) => m.name === message)?.payload;
  const faults = faultParams(trace);
  const params = {
    n: bigint(trace.n),
    t: bigint(trace.t),
    ...faults.values,
    inputs: processMap(trace.inputs, bigint),
  };
  const state = (index: number, r: RoundRecord | null, states: readonly (LocalState | null)[]): ItfState => ({
    '#meta': { index },
    ...params,
    round: bigint(r?.round ?? 0),
    phase: bigint(r?.phase ?? 0),
    roundName: r?.name ?? '',
    // the initial state belongs to no phase, so it has no leader
    leader: r === null ? none() : some(bigint(r.leader)),
    state: processMap(states, (s) => encodeState(s, types)),
    sent: { '#set': (r?.sent ?? []).map((b) => ({ from: bigint(b.from), message: b.message, payload: encodeVal(b.payload, payloadType(b.message)) })) },
    byzantine: {
      '#set': (r?.byzantine ?? []).map((m) => ({ from: bigint(m.from), to: bigint(m.to), message: m.message, payload: encodeVal(m.payload, payloadType(m.message)) })),
    },
    fired: processMap(r?.fired ?? [], (k) => bigint(k + 1)),
    ...faultVars(trace, r),
  });
  const paramNames = ['n', 't', ...faults.names, 'inputs'];
  const varNames = [...ITF_VARS, ...faultVarNames(trace)];
  const types0 = itfVarTypes(protocol);
  const allTypes: Record<string, string> = { ...types0, ...faultVarTypes(trace) };
  // in the order of params and vars
  const varTypesOf = types0 === null ? null : Object.fromEntries([...paramNames, ...varNames].map((name) => [name, allTypes[name] ?? '']));
  return {
    '#meta': {
      format: 'ITF',
      'format-description': ITF_FORMAT_DESCRIPTION,
      source: options.source ?? `${trace.protocol.name}.bft`,
      status: trace.violations.length > 0 ? 'violation' : 'ok',
      description: `bftsynth trace of ${trace.protocol.name}, n=${trace.n} t=${trace.t}${trace.o === undefined ? '' : ` o=${trace.o}`}${trace.faults === undefined ? '' : `, ${trace.faults} faults`}; state 0 is the initial state, state k the state after round k`,
      ...(options.timestamp === undefined ? {} : { timestamp: options.timestamp }),
      ...(varTypesOf === null ? {} : { varTypes: varTypesOf }),
      protocol: { ...trace.protocol },
      n: trace.n,
      t: trace.t,
      ...(trace.o === undefined ? {} : { o: trace.o }),
      violations: trace.violations.map((v) => ({ ...v })),
    },
    params: paramNames,
    vars: varNames,
    states: [state(0, null, trace.initial), ...trace.rounds.map((r, k) => state(k + 1, r, r.states))],
  };
}

/**
 * Pretty JSON, but with small leaves ({"#bigint": "3"}, Some/None, short
 * records) on one line, so a trace of a few rounds stays readable in a diff.
 */
export function itfToText(itf: ItfTrace): string {
  return stringifyCompact(itf, '') + '\n';
}

function stringifyCompact(value: unknown, indent: string): string {
  const flat = JSON.stringify(value);
  if (flat.length <= 72 || value === null || typeof value !== 'object') return flat;
  const inner = indent + '  ';
  if (Array.isArray(value)) return `[\n${value.map((x) => inner + stringifyCompact(x, inner)).join(',\n')}\n${indent}]`;
  const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${stringifyCompact(v, inner)}`);
  return `{\n${entries.join(',\n')}\n${indent}}`;
}
