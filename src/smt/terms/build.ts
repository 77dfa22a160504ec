// Terms of quantifier-free linear integer arithmetic as plain data, and
// their constructors, which fold constants as they build.
import { type CmpOp, unreachable } from '../../ir/types';

export type ITerm =
  | { k: 'num'; v: number }
  | { k: 'ivar'; name: string }
  | { k: 'sum'; args: ITerm[]; c: number } // c + sum(args), args non-constant
  | { k: 'scale'; c: number; a: ITerm } // c * a, c not 0/1, a non-constant
  | { k: 'ite'; c: BTerm; a: ITerm; b: ITerm };

export type BTerm =
  | { k: 'bool'; v: boolean }
  | { k: 'bvar'; name: string }
  | { k: 'le'; a: ITerm; b: ITerm } // a <= b
  | { k: 'eq'; a: ITerm; b: ITerm }
  | { k: 'and'; args: BTerm[] }
  | { k: 'or'; args: BTerm[] }
  | { k: 'not'; a: BTerm };

export const num = (v: number): ITerm => ({ k: 'num', v });
export const ivar = (name: string): ITerm => ({ k: 'ivar', name });
export const bvar = (name: string): BTerm => ({ k: 'bvar', name });
export const TRUE: BTerm = { k: 'bool', v: true };
export const FALSE: BTerm = { k: 'bool', v: false };
export const bool = (v: boolean): BTerm => (v ? TRUE : FALSE);

export function isNum(a: ITerm): a is { k: 'num'; v: number } {
  return a.k === 'num';
}

export function add(...xs: ITerm[]): ITerm {
  let c = 0;
  const args: ITerm[] = [];
  for (const x of xs) {
    if (x.k === 'num') c += x.v;
    else if (x.k === 'sum') {
      c += x.c;
      args.push(...x.args);
    } else args.push(x);
  }
  if (args.length === 0) return num(c);
  if (args.length === 1 && c === 0) return args[0] as ITerm;
  return { k: 'sum', args, c };
}

export function scale(c: number, a: ITerm): ITerm {
  if (c === 0) return num(0);
  if (c === 1) return a;
  if (a.k === 'num') return num(c * a.v);
  if (a.k === 'scale') return scale(c * a.c, a.a);
  return { k: 'scale', c, a };
}

export const sub = (a: ITerm, b: ITerm): ITerm => add(a, scale(-1, b));

export function ite(c: BTerm, a: ITerm, b: ITerm): ITerm {
  if (c.k === 'bool') return c.v ? a : b;
  if (a.k === 'num' && b.k === 'num' && a.v === b.v) return a;
  return { k: 'ite', c, a, b };
}

/** Compare a and b; folds when a - b is a numeral. */
function cmpFold(a: ITerm, b: ITerm): number | null {
  const d = sub(a, b);
  return d.k === 'num' ? d.v : null;
}

export function le(a: ITerm, b: ITerm): BTerm {
  const d = cmpFold(a, b);
  return d === null ? { k: 'le', a, b } : bool(d <= 0);
}
export const ge = (a: ITerm, b: ITerm): BTerm => le(b, a);
export const lt = (a: ITerm, b: ITerm): BTerm => le(add(a, num(1)), b);
export const gt = (a: ITerm, b: ITerm): BTerm => lt(b, a);
export function eq(a: ITerm, b: ITerm): BTerm {
  const d = cmpFold(a, b);
  return d === null ? { k: 'eq', a, b } : bool(d === 0);
}
export const ne = (a: ITerm, b: ITerm): BTerm => not(eq(a, b));

export function not(a: BTerm): BTerm {
  if (a.k === 'bool') return bool(!a.v);
  if (a.k === 'not') return a.a;
  return { k: 'not', a };
}

export function and(...xs: BTerm[]): BTerm {
  const args: BTerm[] = [];
  for (const x of xs) {
    if (x.k === 'bool') {
      if (!x.v) return FALSE;
    } else if (x.k === 'and') args.push(...x.args);
    else args.push(x);
  }
  if (args.length === 0) return TRUE;
  if (args.length === 1) return args[0] as BTerm;
  return { k: 'and', args };
}

export function or(...xs: BTerm[]): BTerm {
  const args: BTerm[] = [];
  for (const x of xs) {
    if (x.k === 'bool') {
      if (x.v) return TRUE;
    } else if (x.k === 'or') args.push(...x.args);
    else args.push(x);
  }
  if (args.length === 0) return FALSE;
  if (args.length === 1) return args[0] as BTerm;
  return { k: 'or', args };
}

export const implies = (a: BTerm, b: BTerm): BTerm => or(not(a), b);

/** Boolean as 0/1 integer. */
export const b2i = (b: BTerm): ITerm => ite(b, num(1), num(0));

/** An integer comparison of the language (CmpOp) as a term. */
export function cmp(op: CmpOp, a: ITerm, b: ITerm): BTerm {
  switch (op) {
    case '<':
      return lt(a, b);
    case '<=':
      return le(a, b);
    case '>':
      return gt(a, b);
    case '>=':
      return ge(a, b);
    case '==':
      return eq(a, b);
    case '!=':
      return ne(a, b);
    default:
      return unreachable(op);
  }
}
