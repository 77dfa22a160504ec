// Decoding an ITF trace (as written by itf.ts) back into the Trace model.
// Decoding needs no protocol: the position of a value says what it is, and
// Some(x)/None/unit map to x/null/null.
//
// Everything ADR-015 allows for our variables is read, not only what itf.ts
// writes: integers as {"#bigint": "..."} or as plain JSON integers (which the
// ADR allowed before its revision of 2023-09-14; Quint's reader still takes
// them), the unit value as the empty
// tuple (Quint), the empty record (Quint of 2023) or {"tag": "UNIT"}
// (Apalache), the params set in the initial state only, `#meta` in the
// states optional, other vars and `#meta` fields ignored. The bftsynth fields of the trace's `#meta` (protocol, n, t,
// violations) are optional, so that a trace another tool wrote (Quint writes
// its own `#meta`) is read too: n and t then come from the states, the
// violations are none, and the protocol is unnamed, with an empty hash (so
// `replay` and `trace --protocol` report it as a trace of another protocol).
//
// Two steps: a zod schema of the ITF document, whose issues carry ITF paths;
// then assembly into a Trace, validated by the model's own schema and
// semantic checks, whose paths are mapped back to the ITF node they came from.

import { z } from 'zod';
import type { LocalState, RoundRecord, Trace, Val } from './model';
import { faultKindSchema, MAX_N, MAX_ROUNDS, protocolRefSchema, traceSchema, violationSchema, wellFormedIssues, type Path, type TraceIssue } from './schema';

const intString = z
  .string()
  .regex(/^-?[0-9]+$/, { error: 'expected a decimal integer in a string', abort: true })
  .refine((s) => Number.isSafeInteger(Number(s)), 'integer out of range');
const bigint = z.object({ '#bigint': intString }, { error: 'expected an integer {"#bigint": "..."}' }).transform((b) => Number(b['#bigint']));
const num = z.union([bigint, z.number().int()], { error: 'expected an integer: {"#bigint": "..."} or a JSON integer' });
const scalar = z.union([z.boolean(), num], { error: 'expected a boolean or an integer ({"#bigint": "..."})' });
const none = z.object({ tag: z.literal('None'), value: z.unknown() }).transform((): null => null);
const someScalar = z.object({ tag: z.literal('Some'), value: scalar }).transform((v): Val => v.value);
const someNum = z.object({ tag: z.literal('Some'), value: num }).transform((v) => v.value);
// The unit value: the empty tuple (Quint), the empty record (Quint of 2023), {"tag": "UNIT"} (Apalache).
const unit = z
  .union([z.strictObject({ '#tup': z.array(z.unknown()).max(0) }), z.strictObject({}), z.strictObject({ tag: z.literal('UNIT') })])
  .transform((): null => null);
const itfVal = z.union([scalar, someScalar, none, unit], {
  error: 'expected an ITF value: an integer ({"#bigint": "..."}), a boolean, a Some/None variant, or the unit {"#tup": []}',
});
const optNum = z.union([someNum, none], { error: 'expected a Some/None variant of an integer' });
const setOf = <T extends z.ZodType>(x: T) => z.object({ '#set': z.array(x) }, { error: 'expected a set {"#set": [...]}' }).transform((s) => s['#set']);
const mapOf = <V extends z.ZodType>(v: V) =>
  z.object({ '#map': z.array(z.tuple([num, v])) }, { error: 'expected a map {"#map": [[key, value], ...]}' }).transform((m) => m['#map']);

// The params n, t, faulty and inputs must be set in the initial state; ADR-015
// does not ask for them in later states (itf.ts repeats them; Apalache may not).
const stateSchema = z.object({
  n: num.optional(),
  t: num.optional(),
  // hybrid faults (itf-faults.ts)
  o: num.optional(),
  faults: faultKindSchema.optional(),
  faulty: setOf(num).optional(),
  omissionFaulty: setOf(num).optional(),
  inputs: mapOf(num).optional(),
  round: num,
  phase: num,
  roundName: z.string(),
  leader: optNum,
  state: mapOf(z.record(z.string(), itfVal)),
  sent: setOf(z.object({ from: num, message: z.string(), payload: itfVal })),
  byzantine: setOf(z.object({ from: num, to: num, message: z.string(), payload: itfVal })),
  fired: mapOf(num),
  // crash and omission faults (itf-faults.ts)
  crashed: setOf(num).optional(),
  withheld: setOf(z.object({ from: num, to: num, message: z.string() })).optional(),
});
type ItfStateIn = z.infer<typeof stateSchema>;

export const itfSchema = z.object({
  '#meta': z
    .object({
      protocol: protocolRefSchema.optional(),
      n: z.number().int().min(1).max(MAX_N).optional(),
      t: z.number().int().min(0).optional(),
      o: z.number().int().min(0).optional(),
      violations: z.array(violationSchema).optional(),
    })
    .optional(),
  vars: z.array(z.string()),
  states: z.array(stateSchema).min(1, 'expected at least the initial state').max(MAX_ROUNDS + 1),
});
export type ItfIn = z.infer<typeof itfSchema>;

export type Decoded = { ok: true; trace: Trace } | { ok: false; issues: TraceIssue[] };

/** Where in the ITF document a node of the assembled Trace came from. */
export function itfPathOf(path: Path): Path {
  const [head, ...rest] = path;
  switch (head) {
    case 'protocol':
    case 'violations':
      return ['#meta', head, ...rest];
    case 'n':
    case 't':
      return ['#meta', head];
    case 'byzantine':
      return ['states', 0, 'faulty', '#set', ...rest];
    case 'faulty':
      return ['states', 0, 'faulty', '#set', ...rest];
    case 'o':
      return ['states', 0, 'o'];
    case 'faults':
      return ['states', 0, 'faults'];
    case 'inputs':
      return ['states', 0, 'inputs'];
    case 'initial':
      return ['states', 0, 'state'];
    case 'rounds': {
      const [k, field, ...more] = rest;
      const state: Path = ['states', typeof k === 'number' ? k + 1 : 0];
      if (field === 'sent' || field === 'byzantine' || field === 'crashed' || field === 'withheld') return [...state, field, '#set', ...more];
      if (field === 'states') return [...state, 'state'];
      if (field === 'name') return [...state, 'roundName'];
      return field === undefined ? state : [...state, field];
    }
    default:
      return [];
  }
}

export function decodeItf(doc: ItfIn): Decoded {
  const issues: TraceIssue[] = [];
  const add = (path: Path, message: string): void => {
    if (issues.length < 20) issues.push({ path, message });
  };
  const meta = doc['#meta'] ?? {};
  const first = doc.states[0]!;
  const { n: n0, t: t0, faulty, inputs } = first;
  if (n0 === undefined || t0 === undefined || faulty === undefined || inputs === undefined) {
    const absent = (['n', 't', 'faulty', 'inputs'] as const).filter((k) => first[k] === undefined);
    return { ok: false, issues: absent.map((k) => ({ path: ['states', 0], message: `the initial state must set the param ${k}` })) };
  }
  const s0 = { ...first, n: n0, t: t0, faulty, inputs };
  // Without bftsynth's #meta, the states' own n and t (bounded: n sizes arrays).
  const n = meta.n ?? s0.n;
  const t = meta.t ?? s0.t;
  if (meta.n === undefined && (n < 1 || n > MAX_N)) return { ok: false, issues: [{ path: ['states', 0, 'n'], message: `n must be in 1..${MAX_N}, found ${n}` }] };
  const from = meta.n === undefined ? 'state 0' : '#meta';
  doc.states.forEach((s, k) => {
    // a param a later state repeats must not change
    if (s.n !== undefined && s.n !== n) add(['states', k, 'n'], `n is ${s.n} here but ${n} in ${from}`);
    if (s.t !== undefined && s.t !== t) add(['states', k, 't'], `t is ${s.t} here but ${t} in ${from}`);
    if (s.faults !== undefined && s.faults !== s0.faults) add(['states', k, 'faults'], `the fault kind is ${s.faults} here but ${s0.faults ?? 'not given'} in state 0`);
    if (s.faulty !== undefined && JSON.stringify(s.faulty) !== JSON.stringify(s0.faulty)) add(['states', k, 'faulty'], 'the faulty set must be the same in every state');
    if (s.inputs !== undefined && JSON.stringify(s.inputs) !== JSON.stringify(s0.inputs)) add(['states', k, 'inputs'], 'the inputs must be the same in every state');
    // o as n and t: the states must agree with #meta when it has o, else with state 0
    const oRef = meta.o ?? s0.o;
    if (s.o !== undefined && s.o !== oRef) add(['states', k, 'o'], `o is ${s.o} here but ${oRef ?? 'not given'} in ${meta.o === undefined ? 'state 0' : '#meta'}`);
    if (s.omissionFaulty !== undefined && JSON.stringify(s.omissionFaulty) !== JSON.stringify(s0.omissionFaulty)) add(['states', k, 'omissionFaulty'], 'the omission-faulty set must be the same in every state');
  });
  // A partial map process -> x as an array of n entries (null where absent).
  const perProcess = <T>(entries: [number, T][], path: Path): (T | null)[] => {
    const out: (T | null)[] = new Array<T | null>(n).fill(null);
    entries.forEach(([i, x], j) => {
      if (i < 0 || i >= n) add([...path, '#map', j, 0], `process ${i} is out of range 0..${n - 1} (n = ${n})`);
      else if (out[i] !== null) add([...path, '#map', j, 0], `process ${i} appears twice`);
      else out[i] = x;
    });
    return out;
  };
  const round = (s: ItfStateIn, k: number): RoundRecord => {
    if (s.leader === null) add(['states', k, 'leader'], 'a round needs a leader: Some(process)');
    const fired = perProcess(s.fired, ['states', k, 'fired']).map((r, i) => {
      if (r !== null && r < 1) add(['states', k, 'fired'], `process ${i}: rule numbers start at 1, found ${r}`);
      return r === null ? null : r - 1;
    });
    return {
      round: s.round,
      phase: s.phase,
      name: s.roundName,
      leader: s.leader ?? 0,
      sent: s.sent.map((b) => ({ from: b.from, message: b.message, payload: b.payload })),
      byzantine: s.byzantine.map((m) => ({ from: m.from, to: m.to, message: m.message, payload: m.payload })),
      fired,
      states: perProcess<LocalState>(s.state, ['states', k, 'state']),
      // present, even empty, when the file has the var (itf-faults.ts)
      ...(s.crashed === undefined ? {} : { crashed: [...s.crashed] }),
      ...(s.withheld === undefined ? {} : { withheld: s.withheld.map((w) => ({ from: w.from, to: w.to, message: w.message })) }),
    };
  };
  const kind = s0.faults;
  const o = meta.o ?? s0.o;
  if (kind === 'hybrid') {
    // the Byzantine set is `faulty` minus `omissionFaulty`
    if (s0.o === undefined) add(['states', 0], 'a hybrid trace must set the param o');
    if (s0.omissionFaulty === undefined) add(['states', 0], 'a hybrid trace must set the param omissionFaulty');
    (s0.omissionFaulty ?? []).forEach((i, j) => {
      if (!s0.faulty.includes(i)) add(['states', 0, 'omissionFaulty', '#set', j], `process ${i} is omission-faulty but not in faulty`);
    });
  } else if (s0.omissionFaulty !== undefined || s0.o !== undefined) add(['states', 0], `only a hybrid trace has the params o and omissionFaulty, and this is a ${kind ?? 'byzantine'} trace`);
  const omission = s0.omissionFaulty ?? [];
  const byFaultKind =
    kind === 'crash' || kind === 'omission'
      ? { byzantine: [], faults: kind, faulty: [...s0.faulty] }
      : kind === 'hybrid'
        ? { byzantine: s0.faulty.filter((i) => !omission.includes(i)), o: o ?? 0, faults: kind, faulty: [...omission] }
        : { byzantine: [...s0.faulty], ...(kind === undefined ? {} : { faults: kind }) };
  const trace: Trace = {
    protocol: { name: meta.protocol?.name ?? '', hash: meta.protocol?.hash ?? '' },
    n,
    t,
    ...byFaultKind,
    inputs: perProcess(s0.inputs, ['states', 0, 'inputs']),
    initial: perProcess<LocalState>(s0.state, ['states', 0, 'state']),
    rounds: doc.states.slice(1).map((s, k) => round(s, k + 1)),
    violations: meta.violations ?? [],
  };
  if (issues.length > 0) return { ok: false, issues };
  // The model's own rules (ids non-negative and in range, one entry per process).
  const parsed = traceSchema.safeParse(trace);
  const modelIssues: TraceIssue[] = parsed.success ? wellFormedIssues(trace) : parsed.error.issues.map((i) => ({ path: i.path.filter(isKey), message: i.message }));
  if (modelIssues.length > 0) return { ok: false, issues: modelIssues.map((i) => ({ path: itfPathOf(i.path), message: i.message })) };
  return { ok: true, trace };
}

const isKey = (k: PropertyKey): k is string | number => typeof k !== 'symbol';
