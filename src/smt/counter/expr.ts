// Expression semantics for the counter encoding. The local state is concrete
// (the encoding enumerates local states), the phase is concrete, parameters
// are Int terms, and what one receiver got is given by `recv` as Int terms.
// So a non-Boolean, non-integer expression has finitely many possible values:
// it is represented as a case split (value, condition), with conditions
// mutually exclusive and exhaustive. This lets `x := maj(M)` and
// `decide maj(M)` enumerate their possible successor states.
//
// Kept separate from the process encoding's expression semantics on purpose:
// the cross-check between the two encodings only means something if they do
// not share the code that gives guards their meaning.

import { paramValue } from '../../ir/eval';
import { type CmpOp, type Expr, unreachable } from '../../ir/types';
import type { LocalState, Val } from '../../trace/model';
import * as T from '../term';

export type CVal =
  | { kind: 'int'; t: T.ITerm }
  | { kind: 'bool'; t: T.BTerm }
  | { kind: 'enum'; cases: [Val, T.BTerm][] };

export interface CEnv {
  state: LocalState;
  phase: number;
  /** phaseBase (optional): the phase number is phaseBase + phase (a symbolic phase, ./lemma.ts); absent: phase */
  params: { n: T.ITerm; t: T.ITerm; o?: T.ITerm; phaseBase?: T.ITerm };
  values: number;
  /** count of messages `message` with payload `p` one receiver got; absent outside guards. */
  recv?: (message: string, p: Val) => T.ITerm;
  /** payload domain of a message type. */
  payloads: (message: string) => Val[];
}

const one = (v: Val): CVal => ({ kind: 'enum', cases: [[v, T.TRUE]] });

export function cEval(e: Expr, env: CEnv): CVal {
  switch (e.kind) {
    case 'int':
      return { kind: 'int', t: T.num(e.value) };
    case 'bool':
      return { kind: 'bool', t: T.bool(e.value) };
    case 'none':
      return one(null);
    case 'param':
      return { kind: 'int', t: paramValue(e.name, env.params) };
    case 'phase':
      return { kind: 'int', t: env.params.phaseBase === undefined ? T.num(env.phase) : T.add(env.params.phaseBase, T.num(env.phase)) };
    case 'var': {
      const v = env.state[e.name];
      if (v === undefined) throw new Error(`counter: unknown variable ${e.name}`);
      return typeof v === 'boolean' ? { kind: 'bool', t: T.bool(v) } : one(v);
    }
    case 'count': {
      const recv = needRecv(env, e.message);
      if (e.payload === null) return { kind: 'int', t: T.add(...env.payloads(e.message).map((p) => recv(e.message, p))) };
      const parts = toCases(cEval(e.payload, env)).map(([v, c]) => T.ite(c, recv(e.message, v), T.num(0)));
      return { kind: 'int', t: T.add(...parts) };
    }
    case 'maj': {
      const recv = needRecv(env, e.message);
      const cnt = (v: number): T.ITerm => recv(e.message, v);
      const cases: [Val, T.BTerm][] = [];
      for (let v = 0; v < env.values; v++) {
        // v wins iff it beats every value preferred on ties and ties-or-beats the rest.
        const conds: T.BTerm[] = [];
        for (let u = 0; u < env.values; u++) {
          if (u === v) continue;
          const uPreferred = e.tie === 'min' ? u < v : u > v;
          conds.push(uPreferred ? T.lt(cnt(u), cnt(v)) : T.le(cnt(u), cnt(v)));
        }
        cases.push([v, T.and(...conds)]);
      }
      return { kind: 'enum', cases };
    }
    case 'add':
      return { kind: 'int', t: T.add(intOf(e.left, env), intOf(e.right, env)) };
    case 'sub':
      return { kind: 'int', t: T.sub(intOf(e.left, env), intOf(e.right, env)) };
    case 'mul':
      return { kind: 'int', t: T.scale(e.coef, intOf(e.arg, env)) };
    case 'cmp':
      return { kind: 'bool', t: compare(e.op, cEval(e.left, env), cEval(e.right, env)) };
    case 'and':
      return { kind: 'bool', t: T.and(boolOf(e.left, env), boolOf(e.right, env)) };
    case 'or':
      return { kind: 'bool', t: T.or(boolOf(e.left, env), boolOf(e.right, env)) };
    case 'not':
      return { kind: 'bool', t: T.not(boolOf(e.arg, env)) };
    default:
      return unreachable(e);
  }
}

function needRecv(env: CEnv, message: string): (message: string, p: Val) => T.ITerm {
  if (env.recv === undefined) throw new Error(`counter: count/maj of ${message} outside a guard`);
  return env.recv;
}

export function intOf(e: Expr, env: CEnv): T.ITerm {
  const v = cEval(e, env);
  if (v.kind === 'int') return v.t;
  // a value literal or value variable used as an integer
  if (v.kind === 'enum') {
    return T.add(...v.cases.map(([x, c]) => (typeof x === 'number' ? T.ite(c, T.num(x), T.num(0)) : bad(e))));
  }
  return bad(e);
}

export function boolOf(e: Expr, env: CEnv): T.BTerm {
  const v = cEval(e, env);
  if (v.kind !== 'bool') return bad(e);
  return v.t;
}

function bad(e: Expr): never {
  throw new Error(`counter: ill-typed expression ${JSON.stringify(e)}`);
}

/** Any finite-valued result as cases; ints are not finite-valued here. */
export function toCases(v: CVal): [Val, T.BTerm][] {
  switch (v.kind) {
    case 'enum':
      return v.cases;
    case 'bool':
      if (v.t.k === 'bool') return [[v.t.v, T.TRUE]];
      return [
        [true, v.t],
        [false, T.not(v.t)],
      ];
    case 'int':
      if (T.isNum(v.t)) return [[v.t.v, T.TRUE]];
      throw new Error('counter: a symbolic integer used as a value');
    default:
      return unreachable(v);
  }
}

function compare(op: CmpOp, a: CVal, b: CVal): T.BTerm {
  if (a.kind === 'int' && b.kind === 'int') return intCmp(op, a.t, b.t);
  if (op === '==' || op === '!=') {
    if (a.kind === 'bool' && b.kind === 'bool') {
      const same = T.or(T.and(a.t, b.t), T.and(T.not(a.t), T.not(b.t)));
      return op === '==' ? same : T.not(same);
    }
    const ca = toCases(a);
    const cb = toCases(b);
    const pairs: T.BTerm[] = [];
    for (const [x, cx] of ca) for (const [y, cy] of cb) if (x === y) pairs.push(T.and(cx, cy));
    const same = T.or(...pairs);
    return op === '==' ? same : T.not(same);
  }
  // ordering comparison of values: compare as integers
  const ia = a.kind === 'int' ? a.t : caseInt(a);
  const ib = b.kind === 'int' ? b.t : caseInt(b);
  return intCmp(op, ia, ib);
}

function caseInt(v: CVal): T.ITerm {
  return T.add(
    ...toCases(v).map(([x, c]) => {
      if (typeof x !== 'number') throw new Error('counter: ordering comparison of a non-number');
      return T.ite(c, T.num(x), T.num(0));
    }),
  );
}

export const intCmp = (op: CmpOp, a: T.ITerm, b: T.ITerm): T.BTerm => T.cmp(op, a, b);
