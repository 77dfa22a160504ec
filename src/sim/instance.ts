// A validated protocol instance: n, t, the Byzantine set and the inputs.
// Impossible parameters are user mistakes (CLI arguments, decoded models),
// so they travel as a Result, never as an exception.

import { evalParamExpr } from '../ir/eval';
import { boundsProblem } from '../ir/bounds';
import type { Protocol } from '../ir/types';
import { fail, ok, type LocatedError, type Result } from '../util/result';

export interface InstanceArgs {
  n: number;
  t: number;
  /** Byzantine process ids (any order, no duplicates). */
  byzantine: readonly number[];
  /** one input per process; entries of Byzantine processes are ignored (may be null). */
  inputs: readonly (number | null)[];
}

export interface Instance {
  n: number;
  t: number;
  /** sorted ascending. */
  byzantine: number[];
  /** per process; null for Byzantine processes. */
  inputs: (number | null)[];
  isByzantine: boolean[];
  /** the correct process ids, ascending. */
  correct: number[];
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

  if (evalParamExpr(protocol.resilience, n, t) !== true) {
    err(`n = ${n}, t = ${t} violates the resilience condition of ${protocol.name}`);
  }
  const bounds = boundsProblem(protocol, n, t);
  if (bounds !== null) err(bounds);
  const isByzantine = new Array<boolean>(n).fill(false);
  for (const id of args.byzantine) {
    if (!Number.isInteger(id) || id < 0 || id >= n) err(`Byzantine process id ${id} is out of range 0..${n - 1}`);
    else if (isByzantine[id]) err(`Byzantine process id ${id} is listed twice`);
    else isByzantine[id] = true;
  }
  if (args.byzantine.length > t) err(`${args.byzantine.length} Byzantine processes exceed the fault bound t = ${t}`);
  if (args.inputs.length !== n) err(`expected ${n} inputs (one per process), got ${args.inputs.length}`);

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

  const byzantine = [...args.byzantine].sort((a, b) => a - b);
  const correct: number[] = [];
  for (let i = 0; i < n; i++) if (!isByzantine[i]) correct.push(i);
  return ok({ n, t, byzantine, inputs, isByzantine, correct });
}

/** makeInstance for callers that built the arguments themselves: a failure is a bug. */
export function instanceOrThrow(protocol: Protocol, args: InstanceArgs): Instance {
  const r = makeInstance(protocol, args);
  if (!r.ok) throw new Error(`invalid instance: ${r.errors.map((e) => e.message).join('; ')}`);
  return r.value;
}
