// What the counter encoding models so far. A question it cannot encode
// faithfully is refused (the caller reports unknown), never approximated.
import { isClassicModel } from '../../ir/faults';
import { isBuiltinProperty, type PropertyName, type Protocol } from '../../ir/types';

/** null: the counter encoding answers this question; otherwise why not. */
export function counterUnsupported(p: Protocol, property: PropertyName): string | null {
  if (!isBuiltinProperty(property)) return `the counter encoding does not check user properties yet (${property})`;
  if (!isClassicModel(p)) return `the counter encoding models up to t Byzantine faults only (this protocol declares ${p.faults.kind} faults${p.assumptions.length > 0 ? ' and schedule assumptions' : ''})`;
  return null;
}
