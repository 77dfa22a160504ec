// The finite domain of a type: what a variable can hold or a message carry.
import type { Val } from './types';
import { Type, unreachable } from './types';

/** Every value of a type, in a fixed order: values 0.., then none (value?); bools false, true; [null] for no payload. */
export function typeDomain(values: number, type: Type | null): Val[] {
  if (type === null) return [null];
  const vs: Val[] = Array.from({ length: values }, (_, v) => v);
  switch (type.kind) {
    case 'value':
      return vs;
    case 'optvalue':
      return [...vs, null];
    case 'bool':
      return [false, true];
    default:
      return unreachable(type);
  }
}
