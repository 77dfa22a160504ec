// The atoms of a user property's state formula (docs/semantics.md section
// 2.5): the quantifiers and counts whose predicate names witnesses.

import { formulaLeaves, type FormulaLeaf } from '../ir/faults';
import type { StateFormula } from '../ir/types';

export type Atom = Exclude<FormulaLeaf, { kind: 'distinct' }>;

/** The `all`/`some`/`no`/`number` atoms of a state formula, left to right. */
export function atomsOf(s: StateFormula): Atom[] {
  return formulaLeaves(s).filter((l): l is Atom => l.kind !== 'distinct');
}
