// What the process encoding models. A question it cannot encode faithfully is
// refused (the caller reports unknown), never approximated.
//
// Modelled: Byzantine, crash and omission faults with any bound (f in
// 0..min(bound, n)); hybrid Byzantine and omission faults (every fb and fo up
// to the two bounds, at a concrete n, t, o); `assume clean round within R`
// under crash and omission faults; the built-in properties and user
// properties (docs/semantics.md sections 1.6-1.9, 2).
import { formulaPredicates } from '../../ir/faults';
import { type Expr, isBuiltinProperty, type PropertyName, type Protocol, unreachable } from '../../ir/types';

/** null: the process encoding answers this question; otherwise why not. */
export function processUnsupported(p: Protocol, property: PropertyName): string | null {
  return processSupports(p, property);
}

/** null: the process encoding models this question faithfully; otherwise why not. */
export function processSupports(p: Protocol, property: PropertyName): string | null {
  if (p.faults.kind === 'hybrid' && p.assumptions.length > 0) return 'the process encoding has no clean-round assumption for hybrid faults';
  if (p.faults.kind === 'byzantine' && p.assumptions.length > 0) return 'the process encoding has no clean-round assumption for Byzantine faults (a Byzantine fault is not an observable event)';
  if (isBuiltinProperty(property)) return null;
  const prop = p.userProperties.find((u) => u.name === property);
  if (prop === undefined) return `the protocol has no property ${property}`;
  if (formulaPredicates(prop.formula).some(readsMessages)) return `property ${property} reads received messages in a predicate, which the process encoding does not model`;
  return null;
}

/** Whether an expression reads messages (count, maj): not a function of one local state. */
function readsMessages(e: Expr): boolean {
  switch (e.kind) {
    case 'count':
    case 'maj':
      return true;
    case 'int':
    case 'bool':
    case 'none':
    case 'param':
    case 'phase':
    case 'var':
      return false;
    case 'add':
    case 'sub':
    case 'and':
    case 'or':
    case 'cmp':
      return readsMessages(e.left) || readsMessages(e.right);
    case 'mul':
    case 'not':
      return readsMessages(e.arg);
    default:
      return unreachable(e);
  }
}
