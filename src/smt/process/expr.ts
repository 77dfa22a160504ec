// Expression semantics for the process encoding: one receiver's symbolic
// state (Int codes for values: v for value v, -1 for none; Bool for bools),
// counts given as Int terms over all senders. Deliberately written apart from
// the counter encoding's semantics (../counter/expr.ts): maj is a sequential
// "strictly better replaces" scan here, a set of pairwise comparisons there.

import { paramValue } from '../../ir/eval';
import { type CmpOp, type Expr, unreachable } from '../../ir/types';
import type { Val } from '../../trace/model';
import * as T from '../term';

export type PVal = { kind: 'int'; t: T.ITerm } | { kind: 'bool'; t: T.BTerm };

export const NONE_CODE = -1;
export function codeOf(v: Val): number {
  if (v === null) return NONE_CODE;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v;
}

export interface PEnv {
  vars: ReadonlyMap<string, PVal>;
  phase: number;
  n: T.ITerm;
  t: T.ITerm;
  /** the omission parameter, in hybrid instances only */
  o?: T.ITerm;
  values: number;
  /** count of `message` with payload p (all payloads of the type when p is undefined) */
  count?: (message: string, p: Val) => T.ITerm;
  domain: (message: string) => Val[];
}

export function pEval(e: Expr, env: PEnv): PVal {
  switch (e.kind) {
    case 'int':
      return { kind: 'int', t: T.num(e.value) };
    case 'bool':
      return { kind: 'bool', t: T.bool(e.value) };
    case 'none':
      return { kind: 'int', t: T.num(NONE_CODE) };
    case 'param':
      return { kind: 'int', t: paramValue(e.name, env) };
    case 'phase':
      return { kind: 'int', t: T.num(env.phase) };
    case 'var': {
      const v = env.vars.get(e.name);
      if (v === undefined) throw new Error(`process: unknown variable ${e.name}`);
      return v;
    }
    case 'count': {
      const count = env.count;
      if (count === undefined) throw new Error('process: count outside a guard');
      const dom = env.domain(e.message);
      if (e.payload === null) return { kind: 'int', t: T.add(...dom.map((p) => count(e.message, p))) };
      const want = pEval(e.payload, env);
      return { kind: 'int', t: T.add(...dom.map((p) => T.ite(matches(want, p), count(e.message, p), T.num(0)))) };
    }
    case 'maj': {
      const count = env.count;
      if (count === undefined) throw new Error('process: maj outside a guard');
      const order = Array.from({ length: env.values }, (_, k) => (e.tie === 'min' ? k : env.values - 1 - k));
      let best: T.ITerm = T.num(order[0] as number);
      let bestCount: T.ITerm = count(e.message, order[0] as number);
      for (const v of order.slice(1)) {
        const better = T.gt(count(e.message, v), bestCount);
        best = T.ite(better, T.num(v), best);
        bestCount = T.ite(better, count(e.message, v), bestCount);
      }
      return { kind: 'int', t: best };
    }
    case 'add':
      return { kind: 'int', t: T.add(int(e.left, env), int(e.right, env)) };
    case 'sub':
      return { kind: 'int', t: T.sub(int(e.left, env), int(e.right, env)) };
    case 'mul':
      return { kind: 'int', t: T.scale(e.coef, int(e.arg, env)) };
    case 'cmp':
      return { kind: 'bool', t: cmp(e.op, pEval(e.left, env), pEval(e.right, env)) };
    case 'and':
      return { kind: 'bool', t: T.and(bool(e.left, env), bool(e.right, env)) };
    case 'or':
      return { kind: 'bool', t: T.or(bool(e.left, env), bool(e.right, env)) };
    case 'not':
      return { kind: 'bool', t: T.not(bool(e.arg, env)) };
    default:
      return unreachable(e);
  }
}

export function matches(want: PVal, p: Val): T.BTerm {
  if (want.kind === 'bool') return typeof p === 'boolean' ? (p ? want.t : T.not(want.t)) : T.FALSE;
  return typeof p === 'boolean' ? T.FALSE : T.eq(want.t, T.num(codeOf(p)));
}

export function int(e: Expr, env: PEnv): T.ITerm {
  const v = pEval(e, env);
  if (v.kind !== 'int') throw new Error('process: expected an integer');
  return v.t;
}

export function bool(e: Expr, env: PEnv): T.BTerm {
  const v = pEval(e, env);
  if (v.kind !== 'bool') throw new Error('process: expected a boolean');
  return v.t;
}

function cmp(op: CmpOp, a: PVal, b: PVal): T.BTerm {
  if (a.kind === 'bool' || b.kind === 'bool') {
    if (a.kind !== 'bool' || b.kind !== 'bool') throw new Error('process: comparing a boolean with a non-boolean');
    const iff = T.or(T.and(a.t, b.t), T.and(T.not(a.t), T.not(b.t)));
    if (op === '==') return iff;
    if (op === '!=') return T.not(iff);
    throw new Error('process: ordering of booleans');
  }
  switch (op) {
    case '<':
      return T.lt(a.t, b.t);
    case '<=':
      return T.le(a.t, b.t);
    case '>':
      return T.gt(a.t, b.t);
    case '>=':
      return T.ge(a.t, b.t);
    case '==':
      return T.eq(a.t, b.t);
    case '!=':
      return T.ne(a.t, b.t);
    default:
      return unreachable(op);
  }
}
