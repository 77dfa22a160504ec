// User properties in the counter encoding (docs/semantics.md section 2.5):
// the negation of the property over the class counts at the boundaries.
//
// Scope: `correct` counts the correct processes (cnt); `followers` adds the
// faulty ones that follow the protocol and are alive (./encode-faults.ts
// m[g][s]; none under Byzantine faults). number(P) at boundary g is the sum
// of the scope's counts over the classes whose state satisfies P;
// distinct(x) the number of values v (none excluded) some non-empty class
// in scope holds in x; all/some/no compare number(P) with the scope's size.
//
// Exactness needs every class at every boundary to agree on what the
// property reads there: the observation (each predicate's truth, each
// distinct variable's value) is part of the class key (./canon.ts
// `observe`). A property that reads `input` gets a hidden constant variable
// holding it (withHiddenInput), stripped again from decoded states.

import { evalParamInt, paramValue } from '../../ir/eval';
import { INPUT_NAME } from '../../sim/user-properties';
import { type CountTerm, type Expr, type Protocol, type StateFormula, unreachable, type UserProperty } from '../../ir/types';
import { distinctNames, formulaPredicates } from '../../ir/faults';
import type { LocalState } from '../../trace/model';
import * as T from '../term';
import type { StateSpace } from '../space';
import { cnt, type CoreContext } from './encode-ends';
import { cntF } from './encode-faults';
import { boolOf, type CEnv, intCmp } from './expr';

type Params = { n: T.ITerm; t: T.ITerm; f: T.ITerm };

export function userProperty(p: Protocol, name: string): UserProperty {
  const u = p.userProperties.find((x) => x.name === name);
  if (u === undefined) throw new Error(`counter: no property ${name}`);
  return u;
}

function readsName(e: Expr, name: string): boolean {
  switch (e.kind) {
    case 'var':
      return e.name === name;
    case 'count':
      return e.payload !== null && readsName(e.payload, name);
    case 'add':
    case 'sub':
    case 'cmp':
    case 'and':
    case 'or':
      return readsName(e.left, name) || readsName(e.right, name);
    case 'mul':
    case 'not':
      return readsName(e.arg, name);
    case 'int':
    case 'bool':
    case 'none':
    case 'param':
    case 'phase':
    case 'maj':
      return false;
    default:
      return unreachable(e);
  }
}

const formulas = (u: UserProperty): StateFormula[] => (u.formula.kind === 'always' ? [u.formula.state] : [u.formula.given, u.formula.goal]);

/** The protocol the encoding runs on: with a hidden `input` variable when the property reads the input and no variable has that name. */
export function withHiddenInput(p: Protocol, u: UserProperty): { protocol: Protocol; hidden: boolean } {
  if (p.vars.some((v) => v.name === INPUT_NAME)) return { protocol: p, hidden: false };
  const reads = formulaPredicates(u.formula).some((e) => readsName(e, INPUT_NAME)) || formulas(u).some((s) => distinctNames(s).includes(INPUT_NAME));
  if (!reads) return { protocol: p, hidden: false };
  return { protocol: { ...p, vars: [...p.vars, { name: INPUT_NAME, type: { kind: 'value' }, init: 'input' }] }, hidden: true };
}

/** The phase a predicate reads at boundary g (as src/sim/user-properties.ts reads it). */
const phaseAt = (p: Protocol, g: number): number => Math.floor(g / Math.max(1, p.rounds.length)) + 1;

function predAt(p: Protocol, params: Params, pred: Expr, g: number, state: LocalState): T.BTerm {
  const env: CEnv = { state, phase: phaseAt(p, g), params, values: p.values, payloads: () => [] };
  return boolOf(pred, env);
}

/** What the property reads of a state at boundary g, as text (part of the class key, ./canon.ts). */
export function userObservation(p: Protocol, params: Params, u: UserProperty): (g: number, s: LocalState) => string {
  const preds = formulaPredicates(u.formula);
  const names = [...new Set(formulas(u).flatMap((s) => distinctNames(s)))];
  return (g, s) => [...preds.map((e) => T.printB(predAt(p, params, e, g, s))), ...names.map((x) => JSON.stringify(s[x]))].join('|');
}

function stateFormulaAt(ctx: CoreContext, u: UserProperty, s: StateFormula, g: number): T.BTerm {
  const { protocol, space, params } = ctx;
  const here = ctx.reach[g] as number[];
  const scope = (c: number): T.ITerm => (u.scope === 'followers' && ctx.faulty !== null ? T.add(cnt(g, c), cntF(g, c)) : cnt(g, c));
  const number = (pred: Expr): T.ITerm => T.add(...here.map((c) => T.ite(predAt(protocol, params, pred, g, space.state(c)), scope(c), T.num(0))));
  const term = (c: CountTerm): T.ITerm => {
    switch (c.kind) {
      case 'int':
        return T.num(c.value);
      case 'param':
        return paramValue(c.name, params);
      case 'number':
        return number(c.pred);
      case 'distinct':
        return distinctCount(space, here, scope, c.name);
      case 'add':
        return T.add(term(c.left), term(c.right));
      case 'sub':
        return T.sub(term(c.left), term(c.right));
      case 'mul':
        return T.scale(c.coef, term(c.arg));
      default:
        return unreachable(c);
    }
  };
  const go = (f: StateFormula): T.BTerm => {
    switch (f.kind) {
      case 'bool':
        return T.bool(f.value);
      case 'quant': {
        const k = number(f.pred);
        switch (f.quantifier) {
          case 'all':
            return T.eq(k, T.add(...here.map(scope)));
          case 'some':
            return T.ge(k, T.num(1));
          case 'no':
            return T.eq(k, T.num(0));
          default:
            return unreachable(f.quantifier);
        }
      }
      case 'cmp':
        return intCmp(f.op, term(f.left), term(f.right));
      case 'not':
        return T.not(go(f.arg));
      case 'and':
        return T.and(go(f.left), go(f.right));
      case 'or':
        return T.or(go(f.left), go(f.right));
      case 'implies':
        return T.implies(go(f.left), go(f.right));
      default:
        return unreachable(f);
    }
  };
  return go(s);
}

function distinctCount(space: StateSpace, here: readonly number[], scope: (c: number) => T.ITerm, name: string): T.ITerm {
  const info = space.vars.find((v) => v.name === name);
  if (info === undefined) throw new Error(`counter: distinct of unknown variable ${name}`);
  const held = info.domain.filter((v) => v !== null).map((v) => T.b2i(T.ge(T.add(...here.filter((c) => space.state(c)[name] === v).map(scope)), T.num(1))));
  return T.add(...held);
}

/** The rounds an `eventually ... within W` property needs (W), or null for `always`. */
export function userWithin(u: UserProperty, n: number, t: number): number | null {
  return u.formula.kind === 'eventually' ? evalParamInt(u.formula.within, n, t) : null;
}

/** Asserts that the run violates user property u within its R rounds. */
export function encodeUserViolation(ctx: CoreContext, u: UserProperty): void {
  const { q, params, protocol } = ctx;
  const R = ctx.setup.rounds;
  const k = protocol.rounds.length;
  const f = u.formula;
  switch (f.kind) {
    case 'always': {
      const bad: T.BTerm[] = [];
      for (let g = 0; g <= R; g++) if (f.at === 'rounds' || g === 0 || g % k === 0) bad.push(T.not(stateFormulaAt(ctx, u, f.state, g)));
      q.assert(T.or(...bad));
      return;
    }
    case 'eventually': {
      if (!T.isNum(params.n) || !T.isNum(params.t)) throw new Error('counter: eventually needs concrete n and t');
      const W = evalParamInt(f.within, params.n.v, params.t.v);
      if (W < 0 || W > R) throw new Error(`counter: ${u.name} asks about boundary ${W}, beyond the ${R} rounds encoded`);
      q.assert(stateFormulaAt(ctx, u, f.given, 0));
      for (let g = 0; g <= W; g++) q.assert(T.not(stateFormulaAt(ctx, u, f.goal, g)));
      return;
    }
    default:
      unreachable(f);
  }
}
