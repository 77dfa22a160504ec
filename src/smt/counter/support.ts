// What the counter encoding models. A question it cannot encode faithfully
// is refused (the caller reports unknown), never approximated.
//
// Modelled: Byzantine faults up to any bound (docs/semantics.md section 1.7),
// with or without leader messages; crash and omission faults up to any
// bound, with clean-round assumptions (section 1.8), leaders included
// (./encode-faults.ts, ./encode-fault-leaders.ts); the built-in properties
// and the file's own (section 2.5, ./encode-user.ts).
import { isBuiltinProperty, type PropertyName, type Protocol, unreachable } from '../../ir/types';

/** null: the counter encoding answers this question; otherwise why not. */
export function counterUnsupported(p: Protocol, property: PropertyName): string | null {
  if (!isBuiltinProperty(property) && !p.userProperties.some((u) => u.name === property)) return `the protocol has no property ${property}`;
  const kind = p.faults.kind;
  switch (kind) {
    case 'byzantine':
      if (p.assumptions.length > 0) return 'Byzantine faults admit no schedule assumption (docs/semantics.md section 1.8)';
      return null;
    case 'crash':
    case 'omission':
      return null;
    case 'hybrid':
      return 'the counter encoding does not model hybrid faults (Byzantine and omission in one run); the process engine does';
    default:
      return unreachable(kind);
  }
}
