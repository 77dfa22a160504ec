// A validated protocol instance: n, t, the faulty set and the inputs.
// Impossible parameters are user mistakes (CLI arguments, decoded models),
// so they travel as a Result, never as an exception.

import { evalParamExpr, evalParamInt } from '../ir/eval';
import { boundsProblem } from '../ir/bounds';
import { boundIsT } from '../ir/faults';
import type { Expr, FaultKind, Protocol } from '../ir/types';
import { fail, ok, type LocatedError, type Result } from '../util/result';

export interface InstanceArgs {
  n: number;
  t: number;
  /** the omission bound of a hybrid protocol (required there, refused elsewhere). */
  o?: number;
  /** Byzantine process ids (any order, no duplicates): the faulty set of a Byzantine protocol. */
  byzantine?: readonly number[];
  /** the faulty process ids of a crash or omission protocol, the omission-faulty ones of a hybrid protocol (any order, no duplicates); also accepted for a Byzantine one. */
  faulty?: readonly number[];
  /** one input per process; entries of Byzantine processes are ignored (may be null). */
  inputs: readonly (number | null)[];
}

export interface Instance {
  n: number;
  t: number;
  /** hybrid protocols only: the omission bound o. */
  o?: number;
  /** the faulty set when the protocol's faults are Byzantine, else []; sorted ascending. */
  byzantine: number[];
  /** per process; null for Byzantine processes only (crash- and omission-faulty processes have inputs). */
  inputs: (number | null)[];
  isByzantine: boolean[];
  /** the correct process ids (not faulty), ascending. */
  correct: number[];
  /**
   * Crash and omission instances only (absent for Byzantine ones, which keep
   * their historical shape): the fault kind, the faulty set F (sorted) and
   * membership in it. Read them through faultKindOf, faultyOf, isFaulty.
   */
  kind?: FaultKind | 'hybrid';
  faulty?: number[];
  isFaulty?: boolean[];
}

/** The instance's fault model kind (byzantine when not recorded). */
export function faultKindOf(instance: Instance): FaultKind | 'hybrid' {
  return instance.kind ?? 'byzantine';
}

/** How process i is faulty (null: correct). In a hybrid instance Byzantine and omission-faulty processes coexist. */
export function processFault(instance: Instance, i: number): FaultKind | null {
  if (instance.isByzantine[i] === true) return 'byzantine';
  if (!isFaulty(instance, i)) return null;
  const kind = faultKindOf(instance);
  return kind === 'hybrid' ? 'omission' : kind;
}

/** The faulty processes that follow the protocol (crash-, omission-faulty; in a hybrid instance the omission-faulty ones), ascending. */
export function followingFaultyOf(instance: Instance): number[] {
  return faultyOf(instance).filter((i) => instance.isByzantine[i] !== true);
}

/** The faulty set F, sorted: Byzantine, crash- or omission-faulty processes. */
export function faultyOf(instance: Instance): readonly number[] {
  return instance.faulty ?? instance.byzantine;
}

export function isFaulty(instance: Instance, i: number): boolean {
  return (instance.isFaulty ?? instance.isByzantine)[i] === true;
}

/** The processes that run the protocol (have inputs and states): every process but the Byzantine ones, ascending. */
export function followersOf(instance: Instance): number[] {
  const out: number[] = [];
  for (let i = 0; i < instance.n; i++) if (!instance.isByzantine[i]) out.push(i);
  return out;
}

/** The most faulty processes a run of this protocol may have at n, t: min(bound, n) (docs/semantics.md section 1.7); hybrid: Byzantine and omission-faulty together. */
export function faultBound(protocol: Protocol, n: number, t: number, o?: number): number {
  const b = hybridBounds(protocol, n, t, o);
  return Math.min(b.byzantine + b.omission, n);
}

/**
 * The most processes of each kind a run may have: for a single-kind model the
 * bound sits under its own kind. Each is clamped to 0..n (section 1.9); their
 * sum may exceed n, and a run never has more than n faulty processes.
 */
export function hybridBounds(protocol: Protocol, n: number, t: number, o?: number): { byzantine: number; omission: number } {
  const clamp = (e: Expr): number => Math.max(0, Math.min(evalParamInt(e, n, t, o), n));
  const f = protocol.faults;
  if (f.kind === 'hybrid') return { byzantine: clamp(f.byzantine), omission: clamp(f.omission) };
  return f.kind === 'byzantine' ? { byzantine: clamp(f.bound), omission: 0 } : { byzantine: 0, omission: clamp(f.bound) };
}

/** Errors about arguments rather than a file point at this pseudo location. */
export const ARGS_LOC = { file: '<args>', line: 1, col: 1 } as const;

export function makeInstance(protocol: Protocol, args: InstanceArgs): Result<Instance> {
  const errors: LocatedError[] = [];
  const err = (message: string): void => {
    errors.push({ loc: { ...ARGS_LOC }, message });
  };
  const { n, t } = args;
  if (!Number.isInteger(n) || n < 1) err(`n must be a positive integer, got ${n}`);
  if (!Number.isInteger(t) || t < 0) err(`t must be a non-negative integer, got ${t}`);
  if (protocol.faults.kind === 'hybrid') {
    if (args.o === undefined || !Number.isInteger(args.o) || args.o < 0) err(`${protocol.name} has hybrid faults: o (the omission bound) must be a non-negative integer, got ${String(args.o)}`);
    if (errors.length > 0) return fail(errors);
    return makeHybridInstance(protocol, { ...args, o: args.o as number }, err, errors);
  }
  if (args.o !== undefined) err(`${protocol.name} has no hybrid faults: there is no parameter o`);
  if (errors.length > 0) return fail(errors);

  const kind = protocol.faults.kind;
  if (evalParamExpr(protocol.resilience, n, t) !== true) {
    err(`n = ${n}, t = ${t} violates the resilience condition of ${protocol.name}`);
  }
  const bounds = boundsProblem(protocol, n, t);
  if (bounds !== null) err(bounds);
  if (kind === 'byzantine' && protocol.assumptions.length > 0) err(`${protocol.name} has Byzantine faults, which cannot assume a clean round`);
  const byzArg = args.byzantine ?? [];
  if (kind !== 'byzantine' && byzArg.length > 0) err(`${protocol.name} has ${kind} faults, not Byzantine ones: name the faulty processes instead`);
  if (args.byzantine !== undefined && args.faulty !== undefined && kind === 'byzantine' && JSON.stringify([...args.byzantine].sort()) !== JSON.stringify([...args.faulty].sort())) {
    err('the Byzantine and the faulty processes differ');
  }
  const listed = kind === 'byzantine' ? (args.byzantine ?? args.faulty ?? []) : (args.faulty ?? []);
  const label = kind === 'byzantine' ? 'Byzantine' : 'faulty';
  const inF = new Array<boolean>(n).fill(false);
  for (const id of listed) {
    if (!Number.isInteger(id) || id < 0 || id >= n) err(`${label} process id ${id} is out of range 0..${n - 1}`);
    else if (inF[id]) err(`${label} process id ${id} is listed twice`);
    else inF[id] = true;
  }
  const bound = boundIsT(protocol.faults) ? Math.min(t, n) : faultBound(protocol, n, t);
  if (listed.length > bound) {
    const processes = kind === 'byzantine' ? 'Byzantine' : `${kind}-faulty`;
    err(`${listed.length} ${processes} processes exceed the fault bound ${boundIsT(protocol.faults) ? `t = ${t}` : `${bound} at n = ${n}, t = ${t}`}`);
  }
  if (args.inputs.length !== n) err(`expected ${n} inputs (one per process), got ${args.inputs.length}`);

  const isByzantine = kind === 'byzantine' ? inF : new Array<boolean>(n).fill(false);
  const inputs: (number | null)[] = [];
  for (let i = 0; i < Math.min(n, args.inputs.length); i++) {
    const input = args.inputs[i];
    if (isByzantine[i]) {
      inputs.push(null);
    } else if (input === null || input === undefined || !Number.isInteger(input) || input < 0 || input >= protocol.values) {
      err(`input of process ${i} must be a value in 0..${protocol.values - 1}, got ${String(input)}`);
    } else {
      inputs.push(input);
    }
  }
  if (errors.length > 0) return fail(errors);

  const sorted = [...listed].sort((a, b) => a - b);
  const correct: number[] = [];
  for (let i = 0; i < n; i++) if (!inF[i]) correct.push(i);
  if (kind === 'byzantine') return ok({ n, t, byzantine: sorted, inputs, isByzantine, correct });
  return ok({ n, t, byzantine: [], inputs, isByzantine, correct, kind, faulty: sorted, isFaulty: inF });
}

/** A hybrid instance: `byzantine` lists the Byzantine processes, `faulty` the omission-faulty ones (docs/semantics.md section 1.9). */
function makeHybridInstance(protocol: Protocol, args: InstanceArgs & { o: number }, err: (message: string) => void, errors: LocatedError[]): Result<Instance> {
  const { n, t, o } = args;
  if (evalParamExpr(protocol.resilience, n, t, o) !== true) err(`n = ${n}, t = ${t}, o = ${o} violates the resilience condition of ${protocol.name}`);
  const bounds = boundsProblem(protocol, n, t, o);
  if (bounds !== null) err(bounds);
  const limit = hybridBounds(protocol, n, t, o);
  const kindOf = new Array<'byzantine' | 'omission' | null>(n).fill(null);
  const mark = (ids: readonly number[], kind: 'byzantine' | 'omission', label: string, most: number): void => {
    for (const id of ids) {
      if (!Number.isInteger(id) || id < 0 || id >= n) err(`${label} process id ${id} is out of range 0..${n - 1}`);
      else if (kindOf[id] !== null) err(`process ${id} is listed twice (as ${kindOf[id] === 'byzantine' ? 'Byzantine' : 'omission-faulty'} and as ${label})`);
      else kindOf[id] = kind;
    }
    if (ids.length > most) err(`${ids.length} ${label} processes exceed the bound ${most} at n = ${n}, t = ${t}, o = ${o}`);
  };
  mark(args.byzantine ?? [], 'byzantine', 'Byzantine', limit.byzantine);
  mark(args.faulty ?? [], 'omission', 'omission-faulty', limit.omission);
  if (kindOf.filter((k) => k !== null).length > n) err(`more faulty processes than n = ${n}`);
  if (args.inputs.length !== n) err(`expected ${n} inputs (one per process), got ${args.inputs.length}`);
  const isByzantine = kindOf.map((k) => k === 'byzantine');
  const inputs: (number | null)[] = [];
  for (let i = 0; i < Math.min(n, args.inputs.length); i++) {
    const input = args.inputs[i];
    if (isByzantine[i]) inputs.push(null);
    else if (input === null || input === undefined || !Number.isInteger(input) || input < 0 || input >= protocol.values) err(`input of process ${i} must be a value in 0..${protocol.values - 1}, got ${String(input)}`);
    else inputs.push(input);
  }
  if (errors.length > 0) return fail(errors);
  const ids = Array.from({ length: n }, (_, i) => i);
  return ok({
    n,
    t,
    o,
    byzantine: ids.filter((i) => isByzantine[i]),
    inputs,
    isByzantine,
    correct: ids.filter((i) => kindOf[i] === null),
    kind: 'hybrid',
    faulty: ids.filter((i) => kindOf[i] !== null),
    isFaulty: kindOf.map((k) => k !== null),
  });
}

/** makeInstance for callers that built the arguments themselves: a failure is a bug. */
export function instanceOrThrow(protocol: Protocol, args: InstanceArgs): Instance {
  const r = makeInstance(protocol, args);
  if (!r.ok) throw new Error(`invalid instance: ${r.errors.map((e) => e.message).join('; ')}`);
  return r.value;
}
