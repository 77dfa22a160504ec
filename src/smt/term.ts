// A tiny term language for quantifier-free linear integer arithmetic, with
// constant folding, printed as SMT-LIB2. Encoders build queries out of these
// plain-data terms instead of Z3 objects, so that (a) only ./z3.ts touches
// Z3, (b) the query text is the proof artefact verbatim and can be replayed
// by any SMT-LIB solver, and (c) with concrete n, t most guard arithmetic
// folds away before the solver sees it (queries stay small).
//
// Parameters (n, t, f) are ordinary Int terms: numerals for the concrete
// check, declared constants for the parameterized one (issue 5).

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

// ---- SMT-LIB2 printing ----

const numText = (v: number): string => (v < 0 ? `(- ${-v})` : String(v));

export function printI(t: ITerm): string {
  switch (t.k) {
    case 'num':
      return numText(t.v);
    case 'ivar':
      return t.name;
    case 'sum': {
      const parts = t.args.map(printI);
      if (t.c !== 0) parts.push(numText(t.c));
      return `(+ ${parts.join(' ')})`;
    }
    case 'scale':
      return `(* ${numText(t.c)} ${printI(t.a)})`;
    case 'ite':
      return `(ite ${printB(t.c)} ${printI(t.a)} ${printI(t.b)})`;
  }
}

export function printB(t: BTerm): string {
  switch (t.k) {
    case 'bool':
      return t.v ? 'true' : 'false';
    case 'bvar':
      return t.name;
    case 'le':
      return `(<= ${printI(t.a)} ${printI(t.b)})`;
    case 'eq':
      return `(= ${printI(t.a)} ${printI(t.b)})`;
    case 'and':
      return `(and ${t.args.map(printB).join(' ')})`;
    case 'or':
      return `(or ${t.args.map(printB).join(' ')})`;
    case 'not':
      return `(not ${printB(t.a)})`;
  }
}

/**
 * A query under construction: declared constants and assertions. Names are
 * made by the encoders and must be SMT-LIB simple symbols.
 */
export class Query {
  private readonly ints = new Set<string>();
  private readonly bools = new Set<string>();
  private readonly lines: string[] = [];

  int(name: string): ITerm {
    if (this.bools.has(name)) throw new Error(`symbol ${name} declared twice`);
    this.ints.add(name);
    return ivar(name);
  }
  /** A fresh Int constant with lo <= x (<= hi when given). */
  intIn(name: string, lo: number, hi?: number): ITerm {
    const x = this.int(name);
    this.assert(ge(x, num(lo)));
    if (hi !== undefined) this.assert(le(x, num(hi)));
    return x;
  }
  bool(name: string): BTerm {
    if (this.ints.has(name)) throw new Error(`symbol ${name} declared twice`);
    this.bools.add(name);
    return bvar(name);
  }
  assert(b: BTerm): void {
    if (b.k === 'bool' && b.v) return;
    if (b.k === 'and') for (const x of b.args) this.lines.push(`(assert ${printB(x)})`);
    else this.lines.push(`(assert ${printB(b)})`);
  }
  get size(): number {
    return this.lines.length;
  }
  /** SMT-LIB2 script: logic, declarations, assertions (no check-sat). */
  smtlib(): string {
    const decls: string[] = [];
    for (const x of this.ints) decls.push(`(declare-fun ${x} () Int)`);
    for (const x of this.bools) decls.push(`(declare-fun ${x} () Bool)`);
    return decls.join('\n') + '\n' + this.lines.join('\n') + '\n';
  }
}
