// Concrete evaluation of IR expressions: the simulator's semantics of
// expressions (docs/semantics.md section 1). The static checker guarantees
// well-typedness, so an ill-typed expression here is a bug and throws.

import { type CmpOp, type Expr, type LocalState, type ParamName, type TieRule, type Val, unreachable } from './types';

/**
 * What one receiver got this round: per message type, the number of messages
 * per payload (payload null for messages without payload, and for `none`).
 * A message type missing from the map was not received at all.
 */
export type Inbox = ReadonlyMap<string, ReadonlyMap<Val, number>>;

export interface EvalEnv {
  n: number;
  t: number;
  /** the omission bound of a hybrid fault model; absent: the protocol is not hybrid (and cannot mention o). */
  o?: number;
  /** current phase number, from 1. */
  phase: number;
  /** size of the value domain; maj ranges over 0 .. values-1. */
  values: number;
  /** the local state, including `decided`. */
  state: LocalState;
  /** the receiver's counts; absent where counts are not allowed (sends, parameters). */
  inbox?: Inbox;
}

export function evalExpr(e: Expr, env: EvalEnv): Val {
  switch (e.kind) {
    case 'int':
      return e.value;
    case 'bool':
      return e.value;
    case 'none':
      return null;
    case 'param':
      return paramValue(e.name, env);
    case 'phase':
      return env.phase;
    case 'var': {
      if (!Object.prototype.hasOwnProperty.call(env.state, e.name)) {
        throw new Error(`evalExpr: unknown variable '${e.name}'`);
      }
      const v = env.state[e.name];
      if (v === undefined) throw new Error(`evalExpr: variable '${e.name}' is undefined`);
      return v;
    }
    case 'count': {
      const received = inboxOf(env, e.message);
      if (e.payload === null) return totalCount(received);
      return received?.get(evalExpr(e.payload, env)) ?? 0;
    }
    case 'maj':
      return majority(inboxOf(env, e.message), env.values, e.tie);
    case 'add':
      return evalInt(e.left, env) + evalInt(e.right, env);
    case 'sub':
      return evalInt(e.left, env) - evalInt(e.right, env);
    case 'mul':
      return e.coef * evalInt(e.arg, env) + 0; // + 0: never -0 (-1 * 0), which JSON cannot keep
    case 'cmp':
      return compare(e.op, evalExpr(e.left, env), evalExpr(e.right, env));
    case 'and':
      // Both sides are side-effect free, so short-circuiting is only an optimisation.
      return evalBool(e.left, env) && evalBool(e.right, env);
    case 'or':
      return evalBool(e.left, env) || evalBool(e.right, env);
    case 'not':
      return !evalBool(e.arg, env);
    default:
      return unreachable(e);
  }
}

/**
 * A parameter's value (a number here, an SMT term in the encodings); o
 * outside a hybrid instance is a bug, since the checker allows o only in
 * hybrid files.
 */
export function paramValue<V>(name: ParamName, params: { n: V; t: V; o?: V | undefined }): V {
  switch (name) {
    case 'n':
      return params.n;
    case 't':
      return params.t;
    case 'o':
      if (params.o === undefined) throw new Error('internal error: the parameter o without a hybrid instance');
      return params.o;
    default:
      return unreachable(name);
  }
}

export function evalInt(e: Expr, env: EvalEnv): number {
  const v = evalExpr(e, env);
  if (typeof v !== 'number') throw new Error(`evalInt: expected a number, got ${JSON.stringify(v)}`);
  return v;
}

export function evalBool(e: Expr, env: EvalEnv): boolean {
  const v = evalExpr(e, env);
  if (typeof v !== 'boolean') throw new Error(`evalBool: expected a boolean, got ${JSON.stringify(v)}`);
  return v;
}

/**
 * Evaluates a parameter expression (resilience condition, round bounds):
 * only n, t (o in a hybrid protocol) and constants may occur; anything else is a bug.
 */
export function evalParamExpr(e: Expr, n: number, t: number, o?: number): number | boolean {
  assertParamsOnly(e);
  const v = evalExpr(e, { n, t, ...(o === undefined ? {} : { o }), phase: 0, values: 0, state: PARAM_STATE });
  if (v === null) throw new Error('evalParamExpr: a parameter expression evaluated to none');
  return v;
}

/** evalParamExpr for an integer-valued bound (horizon, termination bound). */
export function evalParamInt(e: Expr, n: number, t: number, o?: number): number {
  const v = evalParamExpr(e, n, t, o);
  if (typeof v !== 'number') throw new Error('evalParamInt: expected an integer expression');
  return v;
}

function assertParamsOnly(e: Expr): void {
  switch (e.kind) {
    case 'int':
    case 'bool':
    case 'param':
      return;
    case 'none':
    case 'phase':
    case 'var':
    case 'count':
    case 'maj':
      throw new Error(`evalParamExpr: '${e.kind}' in a parameter expression`);
    case 'add':
    case 'sub':
    case 'cmp':
    case 'and':
    case 'or':
      assertParamsOnly(e.left);
      assertParamsOnly(e.right);
      return;
    case 'mul':
    case 'not':
      assertParamsOnly(e.arg);
      return;
    default:
      unreachable(e);
  }
}

// A frozen empty state: any variable reference in a parameter expression throws.
const PARAM_STATE: LocalState = Object.freeze({});

function inboxOf(env: EvalEnv, message: string): ReadonlyMap<Val, number> | undefined {
  if (env.inbox === undefined) throw new Error(`evalExpr: count/maj of '${message}' outside a guard`);
  return env.inbox.get(message);
}

function totalCount(received: ReadonlyMap<Val, number> | undefined): number {
  let total = 0;
  if (received !== undefined) for (const c of received.values()) total += c;
  return total;
}

/**
 * The domain value with the highest count; among tied values the smallest
 * ('min') or the largest ('max'). With nothing received every value ties at 0.
 */
export function majority(received: ReadonlyMap<Val, number> | undefined, values: number, tie: TieRule): number {
  let best = tie === 'min' ? 0 : values - 1;
  let bestCount = received?.get(best) ?? 0;
  for (let k = 1; k < values; k++) {
    const v = tie === 'min' ? k : values - 1 - k;
    const c = received?.get(v) ?? 0;
    // Strictly greater: the value visited first (smallest for 'min', largest for 'max') wins ties.
    if (c > bestCount) {
      best = v;
      bestCount = c;
    }
  }
  return best;
}

function compare(op: CmpOp, a: Val, b: Val): boolean {
  switch (op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return num(a) < num(b);
    case '<=':
      return num(a) <= num(b);
    case '>':
      return num(a) > num(b);
    case '>=':
      return num(a) >= num(b);
    default:
      return unreachable(op);
  }
}

function num(v: Val): number {
  if (typeof v !== 'number') throw new Error(`evalExpr: ordering comparison of ${JSON.stringify(v)}`);
  return v;
}
