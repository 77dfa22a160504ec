// A validated protocol instance: n, t, the faulty set and the inputs.
// Impossible parameters are user mistakes (CLI arguments, decoded models),
// so they travel as a Result, never as an exception.

import { evalParamExpr, evalParamInt } from '../ir/eval';
import { boundsProblem } from '../ir/bounds';
import { boundIsT } from '../ir/faults';
import type { FaultKind, Protocol } from '../ir/types';
import { fail, ok, type LocatedError, type Result } from '../util/result';

export interface InstanceArgs {
  n: number;
  t: number;
  /** Byzantine process ids (any order, no duplicates): the faulty set of a Byzantine protocol. */
  byzantine?: readonly number[];
  /** the faulty process ids of a crash or omission protocol (any order, no duplicates); also accepted for a Byzantine one. */
  faulty?: readonly number[];
  /** one input per process; entries of Byzantine processes are ignored (may be null). */
  inputs: readonly (number | null)[];
}

export interface Instance {
  n: number;
  t: number;
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
  kind?: FaultKind;
  faulty?: number[];
  isFaulty?: boolean[];
}

/** The instance's fault kind (byzantine when not recorded). */
export function faultKindOf(instance: Instance): FaultKind {
  return instance.kind ?? 'byzantine';
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

/** The most faulty processes a run of this protocol may have at n, t: min(bound, n) (docs/semantics.md section 1.7). */
export function faultBound(protocol: Protocol, n: number, t: number): number {
  return Math.max(0, Math.min(evalParamInt(protocol.faults.bound, n, t), n));
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

/** makeInstance for callers that built the arguments themselves: a failure is a bug. */
export function instanceOrThrow(protocol: Protocol, args: InstanceArgs): Instance {
  const r = makeInstance(protocol, args);
  if (!r.ok) throw new Error(`invalid instance: ${r.errors.map((e) => e.message).join('; ')}`);
  return r.value;
}
