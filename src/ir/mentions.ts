// Which parameters an expression mentions, read off its syntax (never sampled).
import { type Expr, unreachable } from './types';

/** Whether an expression mentions the parameter (syntactically). */
export function mentions(e: Expr, name: 'n' | 't'): boolean {
  switch (e.kind) {
    case 'param':
      return e.name === name;
    case 'add':
    case 'sub':
    case 'cmp':
    case 'and':
    case 'or':
      return mentions(e.left, name) || mentions(e.right, name);
    case 'mul':
    case 'not':
      return mentions(e.arg, name);
    case 'count':
      return e.payload !== null && mentions(e.payload, name);
    case 'int':
    case 'bool':
    case 'none':
    case 'phase':
    case 'var':
    case 'maj':
      return false;
    default:
      return unreachable(e);
  }
}
