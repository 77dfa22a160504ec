// The file's own properties in the invariant engine (docs/semantics.md 2.5
// and 3.6): `always S` read at every phase boundary, and `if G then
// eventually S within W` with the ghosts of ./eventually.ts. A formula is a
// function of the class counts once the classes separate what it reads (the
// truth of each predicate, the value of each `distinct` variable), so the
// state classes start from that partition, and a formula at a state is a
// linear formula over the counts.

import { evalBool } from '../../ir/eval';
import { mentions } from '../../ir/mentions';
import { distinctNames, statePredicates as predicates } from '../../ir/faults';
import { type CountTerm, DECIDED, type Expr, type LocalState, type Protocol, type StateFormula, unreachable, type UserProperty } from '../../ir/types';
import * as T from '../term';
import { mentionsO } from './hybrid';

/** Why the invariant engine cannot prove this property (null: it can try). */
export function userInvariantProblem(protocol: Protocol, u: UserProperty): string | null {
  // followers: the correct and the alive faulty processes, which only a crash or omission system counts (./faults.ts)
  if (u.scope !== 'correct' && protocol.faults.kind === 'byzantine') return 'the invariant engine speaks about the correct processes only (`for correct`) in the Byzantine model';
  // `always S` over phases of several rounds: S is also checked inside a phase (./system.ts readsRounds, vc:rounds)
  const read = u.formula.kind === 'always' ? [u.formula.state] : [u.formula.given, u.formula.goal];
  if (read.flatMap(predicates).some((e) => mentions(e, 'n') || mentions(e, 't'))) return 'a predicate reads n or t, which the invariant engine keeps symbolic';
  if (read.flatMap(predicates).some(mentionsO)) return 'a predicate reads o, which the invariant engine keeps symbolic';
  return null;
}

/** Whether a predicate holds in a local state (predicates read no n, t or phase here: userInvariantProblem). */
export function holds(protocol: Protocol, pred: Expr, state: LocalState): boolean {
  return evalBool(pred, { n: 0, t: 0, phase: 1, values: protocol.values, state });
}

/** The part of a state the property reads: the classes start from states that agree on it (and on `decided`). */
export function userKey(protocol: Protocol, u: UserProperty): (s: LocalState) => string {
  const state = u.formula.kind === 'always' ? u.formula.state : { kind: 'and' as const, left: u.formula.given, right: u.formula.goal };
  const preds = predicates(state);
  const names = distinctNames(state);
  return (s) => JSON.stringify([s[DECIDED] ?? null, preds.map((e) => holds(protocol, e, s)), names.map((x) => s[x] ?? null)]);
}

/** What the formula needs from a state of the system: the class counts and the states of the classes. */
export interface CountView {
  n: T.ITerm;
  t: T.ITerm;
  /** hybrid systems: the omission bound (null elsewhere, where a formula cannot mention it) */
  o: T.ITerm | null;
  classes: readonly number[];
  state: (c: number) => LocalState;
  cnt: (c: number) => T.ITerm;
  values: number;
}

/** S at a state (the classes separate every predicate, so a class satisfies one or not as a whole). */
export function stateAt(protocol: Protocol, s: StateFormula, v: CountView): T.BTerm {
  const number = (pred: Expr): T.ITerm => T.add(...v.classes.filter((c) => holds(protocol, pred, v.state(c))).map((c) => v.cnt(c)));
  const term = (c: CountTerm): T.ITerm => {
    switch (c.kind) {
      case 'int':
        return T.num(c.value);
      case 'param':
        if (c.name === 'o') {
          if (v.o === null) throw new Error('internal error: o in a formula of a system without hybrid faults');
          return v.o;
        }
        return c.name === 'n' ? v.n : v.t;
      case 'number':
        return number(c.pred);
      case 'distinct': {
        const present = Array.from({ length: v.values }, (_, w) => T.ge(T.add(...v.classes.filter((k) => v.state(k)[c.name] === w).map((k) => v.cnt(k))), T.num(1)));
        return T.add(...present.map((b) => T.ite(b, T.num(1), T.num(0))));
      }
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
  const form = (f: StateFormula): T.BTerm => {
    switch (f.kind) {
      case 'bool':
        return T.bool(f.value);
      case 'quant': {
        const neg: Expr = { kind: 'not', arg: f.pred };
        switch (f.quantifier) {
          case 'all':
            return T.eq(number(neg), T.num(0));
          case 'some':
            return T.ge(number(f.pred), T.num(1));
          case 'no':
            return T.eq(number(f.pred), T.num(0));
          default:
            return unreachable(f.quantifier);
        }
      }
      case 'cmp':
        return T.cmp(f.op, term(f.left), term(f.right));
      case 'not':
        return T.not(form(f.arg));
      case 'and':
        return T.and(form(f.left), form(f.right));
      case 'or':
        return T.or(form(f.left), form(f.right));
      case 'implies':
        return T.implies(form(f.left), form(f.right));
      default:
        return unreachable(f);
    }
  };
  return form(s);
}

/** The quantified atoms of S, as candidate atoms and premises of the invariant (their words are the source's). */
export function quantAtoms(s: StateFormula): { quantifier: 'all' | 'some' | 'no'; pred: Expr }[] {
  switch (s.kind) {
    case 'quant':
      return [{ quantifier: s.quantifier, pred: s.pred }];
    case 'not':
      return quantAtoms(s.arg);
    case 'and':
    case 'or':
    case 'implies':
      return [...quantAtoms(s.left), ...quantAtoms(s.right)];
    case 'bool':
    case 'cmp':
      return [];
    default:
      return unreachable(s);
  }
}
