// Expressions as the language writes them: the tightest correct parenthesization.
import { Expr, unreachable } from '../ir/types';

// Binding strength, loosest first; a child printed below its slot gets parentheses.
const OR = 1;
const AND = 2;
const NOT = 3;
const CMP = 4;
const SUM = 5;
const PRODUCT = 6;
const UNARY = 7;
const ATOM = 8;

function strength(e: Expr): number {
  switch (e.kind) {
    case 'or':
      return OR;
    case 'and':
      return AND;
    case 'not':
      return NOT;
    case 'cmp':
      return CMP;
    case 'add':
    case 'sub':
      return SUM;
    case 'mul':
      return PRODUCT;
    case 'int':
      return e.value < 0 ? UNARY : ATOM;
    case 'bool':
    case 'none':
    case 'param':
    case 'phase':
    case 'var':
    case 'count':
    case 'maj':
      return ATOM;
    default:
      return unreachable(e);
  }
}

/** Prints e so that it parses back in a slot that needs at least `min` binding strength. */
function at(e: Expr, min: number): string {
  const text = printExpr(e);
  return strength(e) < min ? `(${text})` : text;
}

export function printExpr(e: Expr): string {
  switch (e.kind) {
    case 'int':
      return String(e.value);
    case 'bool':
      return String(e.value);
    case 'none':
      return 'none';
    case 'param':
      return e.name;
    case 'phase':
      return 'phase';
    case 'var':
      return e.name;
    case 'count':
      return e.payload === null ? `count(${e.message})` : `count(${e.message}, ${printExpr(e.payload)})`;
    case 'maj':
      return e.tie === 'min' ? `maj(${e.message})` : `maj(${e.message}, tie ${e.tie})`;
    // Left-associative operators: the right operand needs strictly tighter binding.
    case 'or':
      return `${at(e.left, OR)} || ${at(e.right, AND)}`;
    case 'and':
      return `${at(e.left, AND)} && ${at(e.right, NOT)}`;
    case 'not':
      return `!${at(e.arg, ATOM)}`; // `!(a != b)`, never the C-looking `!a != b`
    case 'cmp':
      return `${at(e.left, SUM)} ${e.op} ${at(e.right, SUM)}`;
    case 'add':
      return `${at(e.left, SUM)} + ${at(e.right, PRODUCT)}`;
    case 'sub':
      return `${at(e.left, SUM)} - ${at(e.right, PRODUCT)}`;
    case 'mul':
      // The argument is an atom (or parenthesized) so that `2*(3*x)` and `2*(-x)` stay linear products.
      return `${e.coef}*${at(e.arg, ATOM)}`;
    default:
      return unreachable(e);
  }
}
