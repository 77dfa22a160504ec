// The atoms of a user property's state formula (docs/semantics.md section
// 2.5): the quantifiers and counts whose predicate names witnesses.

import { unreachable, type CountTerm, type Expr, type StateFormula } from '../ir/types';

export type Atom = { kind: 'quant'; quantifier: 'all' | 'some' | 'no'; pred: Expr } | { kind: 'number'; pred: Expr };

/** The `all`/`some`/`no`/`number` atoms of a state formula, left to right. */
export function atomsOf(s: StateFormula): Atom[] {
  const inTerm = (c: CountTerm): Atom[] => {
    switch (c.kind) {
      case 'number':
        return [{ kind: 'number', pred: c.pred }];
      case 'add':
      case 'sub':
        return [...inTerm(c.left), ...inTerm(c.right)];
      case 'mul':
        return inTerm(c.arg);
      case 'int':
      case 'param':
      case 'distinct':
        return [];
      default:
        return unreachable(c);
    }
  };
  switch (s.kind) {
    case 'bool':
      return [];
    case 'quant':
      return [{ kind: 'quant', quantifier: s.quantifier, pred: s.pred }];
    case 'cmp':
      return [...inTerm(s.left), ...inTerm(s.right)];
    case 'not':
      return atomsOf(s.arg);
    case 'and':
    case 'or':
    case 'implies':
      return [...atomsOf(s.left), ...atomsOf(s.right)];
    default:
      return unreachable(s);
  }
}
