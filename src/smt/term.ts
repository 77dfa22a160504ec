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

/**
 * A numeral as SMT-LIB. Beyond 2^53 a double is no longer the integer it
 * stands for, and String() would print `1e+23`, which is not SMT-LIB: the
 * CLI refuses such inputs, so reaching this is a bug.
 */
function numText(v: number): string {
  if (!Number.isSafeInteger(v)) throw new Error(`internal error: the numeral ${v} is not a safe integer; it cannot be printed exactly as SMT-LIB`);
  return v < 0 ? `(- ${-v})` : String(v);
}

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
  assert(b0: BTerm): void {
    const b = normB(b0);
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

// ---- analysis and substitution (witness elimination, decoding) ----

/** Coefficient of variable v in a linear term; null if v occurs under an ite. */
export function coefOf(t: ITerm, v: string): number | null {
  switch (t.k) {
    case 'num':
      return 0;
    case 'ivar':
      return t.name === v ? 1 : 0;
    case 'sum': {
      let c = 0;
      for (const a of t.args) {
        const x = coefOf(a, v);
        if (x === null) return null;
        c += x;
      }
      return c;
    }
    case 'scale': {
      const x = coefOf(t.a, v);
      return x === null ? null : t.c * x;
    }
    case 'ite':
      return mentionsI(t, v) ? null : 0;
  }
}

function mentionsI(t: ITerm, v: string): boolean {
  switch (t.k) {
    case 'num':
      return false;
    case 'ivar':
      return t.name === v;
    case 'sum':
      return t.args.some((a) => mentionsI(a, v));
    case 'scale':
      return mentionsI(t.a, v);
    case 'ite':
      return mentionsB(t.c, v) || mentionsI(t.a, v) || mentionsI(t.b, v);
  }
}

function mentionsB(t: BTerm, v: string): boolean {
  switch (t.k) {
    case 'bool':
    case 'bvar':
      return false;
    case 'le':
    case 'eq':
      return mentionsI(t.a, v) || mentionsI(t.b, v);
    case 'and':
    case 'or':
      return t.args.some((a) => mentionsB(a, v));
    case 'not':
      return mentionsB(t.a, v);
  }
}

/**
 * How a Boolean term depends on the integer variable v: `up` if increasing v
 * never turns it from true to false (monotone), `down` if decreasing v never
 * does (antitone). Syntactic and sound: an atom a <= b is antitone in v when
 * v's coefficient in a - b is positive, monotone when negative, both when
 * zero; and/or preserve both properties, not swaps them; anything else
 * mentioning v (an equality, v under an ite) has neither.
 */
export function polarity(t: BTerm, v: string): { up: boolean; down: boolean } {
  switch (t.k) {
    case 'bool':
    case 'bvar':
      return { up: true, down: true };
    case 'le': {
      const d = coefOf(sub(t.a, t.b), v);
      if (d === null) return { up: false, down: false };
      return { up: d <= 0, down: d >= 0 };
    }
    case 'eq': {
      const d = coefOf(sub(t.a, t.b), v);
      return d === 0 ? { up: true, down: true } : { up: false, down: false };
    }
    case 'and':
    case 'or': {
      let up = true;
      let down = true;
      for (const a of t.args) {
        const p = polarity(a, v);
        up &&= p.up;
        down &&= p.down;
      }
      return { up, down };
    }
    case 'not': {
      const p = polarity(t.a, v);
      return { up: p.down, down: p.up };
    }
  }
}

/** Replace integer variables by terms (folding constants again). */
export function substI(t: ITerm, m: ReadonlyMap<string, ITerm>): ITerm {
  switch (t.k) {
    case 'num':
      return t;
    case 'ivar':
      return m.get(t.name) ?? t;
    case 'sum':
      return add(num(t.c), ...t.args.map((a) => substI(a, m)));
    case 'scale':
      return scale(t.c, substI(t.a, m));
    case 'ite':
      return ite(substB(t.c, m), substI(t.a, m), substI(t.b, m));
  }
}

export function substB(t: BTerm, m: ReadonlyMap<string, ITerm>): BTerm {
  switch (t.k) {
    case 'bool':
    case 'bvar':
      return t;
    case 'le':
      return le(substI(t.a, m), substI(t.b, m));
    case 'eq':
      return eq(substI(t.a, m), substI(t.b, m));
    case 'and':
      return and(...t.args.map((a) => substB(a, m)));
    case 'or':
      return or(...t.args.map((a) => substB(a, m)));
    case 'not':
      return not(substB(t.a, m));
  }
}

/** Values of constants, for evaluating terms in a model (absent: 0 / false). */
export type Valuation = (name: string) => number | boolean | undefined;

export function evalI(t: ITerm, val: Valuation): number {
  switch (t.k) {
    case 'num':
      return t.v;
    case 'ivar': {
      const x = val(t.name);
      return typeof x === 'number' ? x : 0;
    }
    case 'sum':
      return t.args.reduce((acc, a) => acc + evalI(a, val), t.c);
    case 'scale':
      return t.c * evalI(t.a, val);
    case 'ite':
      return evalB(t.c, val) ? evalI(t.a, val) : evalI(t.b, val);
  }
}

export function evalB(t: BTerm, val: Valuation): boolean {
  switch (t.k) {
    case 'bool':
      return t.v;
    case 'bvar':
      return val(t.name) === true;
    case 'le':
      return evalI(t.a, val) <= evalI(t.b, val);
    case 'eq':
      return evalI(t.a, val) === evalI(t.b, val);
    case 'and':
      return t.args.every((a) => evalB(a, val));
    case 'or':
      return t.args.some((a) => evalB(a, val));
    case 'not':
      return !evalB(t.a, val);
  }
}

/** A linear form: constant plus coefficients of atoms (variables, or ite terms keyed by their text). */
interface Lin {
  c: number;
  atoms: Map<string, { t: ITerm; k: number }>;
}

function linear(t: ITerm, k = 1, acc: Lin = { c: 0, atoms: new Map() }): Lin {
  switch (t.k) {
    case 'num':
      acc.c += k * t.v;
      return acc;
    case 'sum':
      acc.c += k * t.c;
      for (const a of t.args) linear(a, k, acc);
      return acc;
    case 'scale':
      return linear(t.a, k * t.c, acc);
    case 'ivar':
    case 'ite': {
      const key = printI(t);
      const e = acc.atoms.get(key);
      if (e === undefined) acc.atoms.set(key, { t, k });
      else e.k += k;
      return acc;
    }
  }
}

/** sum of k * atom / d plus c, if every atom coefficient is divisible by d */
function divided(l: Lin, d: number, c: number): ITerm | null {
  const parts: ITerm[] = [num(c)];
  for (const { t, k } of l.atoms.values()) {
    if (k % d !== 0) return null;
    parts.push(scale(k / d, t));
  }
  return add(...parts);
}

/** Negation normal form: negations only on atoms. */
function nnf(t: BTerm, neg = false): BTerm {
  switch (t.k) {
    case 'not':
      return nnf(t.a, !neg);
    case 'and':
      return neg ? or(...t.args.map((a) => nnf(a, true))) : and(...t.args.map((a) => nnf(a, false)));
    case 'or':
      return neg ? and(...t.args.map((a) => nnf(a, true))) : or(...t.args.map((a) => nnf(a, false)));
    default:
      return neg ? not(t) : t;
  }
}

/** Disjunctive normal form of an NNF term as lists of literals; null if more than `limit` disjuncts. */
function dnf(t: BTerm, limit: number): BTerm[][] | null {
  if (t.k === 'or') {
    const out: BTerm[][] = [];
    for (const a of t.args) {
      const d = dnf(a, limit);
      if (d === null) return null;
      out.push(...d);
      if (out.length > limit) return null;
    }
    return out;
  }
  if (t.k === 'and') {
    let acc: BTerm[][] = [[]];
    for (const a of t.args) {
      const d = dnf(a, limit);
      if (d === null) return null;
      const next: BTerm[][] = [];
      for (const x of acc) for (const y of d) next.push([...x, ...y]);
      if (next.length > limit) return null;
      acc = next;
    }
    return acc;
  }
  if (t.k === 'bool') return t.v ? [[]] : [];
  return [[t]];
}

/**
 * Exact elimination of one integer variable v from a condition, given extra
 * bounds lo <= v <= hi. The condition is put in disjunctive normal form
 * (exists distributes over or); in each disjunct every literal mentioning v
 * must be a (negated) inequality, normalized to a*v + r <= 0 with r's
 * coefficients divisible by a (then v <= floor(-r/a) or v >= ceil(r/-a) are
 * linear), and v exists iff every lower bound is at most every upper bound.
 * Returns the condition without v, and an admissible value of v (a term, for
 * decoding: the largest lower bound of the first disjunct that holds); null
 * if the shape does not fit.
 */
export function eliminateVar(cond: BTerm, v: string, lo: ITerm[], hi: ITerm[]): { cond: BTerm; value: ITerm } | null {
  const disjuncts = dnf(nnf(cond), 16);
  if (disjuncts === null) return null;
  const parts: { cond: BTerm; value: ITerm }[] = [];
  for (const lits of disjuncts) {
    const one = eliminateInConjunction(lits, v, lo, hi);
    if (one === null) return null;
    parts.push(one);
  }
  let value: ITerm = num(0);
  for (const p of [...parts].reverse()) value = ite(p.cond, p.value, value);
  return { cond: or(...parts.map((p) => p.cond)), value };
}

function eliminateInConjunction(lits: BTerm[], v: string, lo: ITerm[], hi: ITerm[]): { cond: BTerm; value: ITerm } | null {
  const keep: BTerm[] = [];
  // lower bounds b*v >= y and upper bounds a*v <= x, coefficients positive
  const lows: [number, ITerm][] = lo.map((y) => [1, y]);
  const highs: [number, ITerm][] = hi.map((x) => [1, x]);
  for (const lit of lits) {
    if (!mentionsB(lit, v)) {
      keep.push(lit);
      continue;
    }
    let diff: ITerm; // diff <= 0
    if (lit.k === 'le') diff = sub(lit.a, lit.b);
    else if (lit.k === 'not' && lit.a.k === 'le') diff = sub(add(lit.a.b, num(1)), lit.a.a);
    else return null;
    const l = linear(diff);
    const e = l.atoms.get(v);
    if (e === undefined || e.t.k !== 'ivar') return null;
    const a = e.k;
    l.atoms.delete(v);
    if ([...l.atoms.values()].some((x) => mentionsI(x.t, v))) return null;
    if (a > 0) {
      // a*v <= -r, i.e. v <= floor(-r / a) when a divides r's coefficients
      const neg: Lin = { c: -l.c, atoms: new Map([...l.atoms].map(([key, x]) => [key, { t: x.t, k: -x.k }])) };
      const u = divided(neg, a, Math.floor(-l.c / a));
      highs.push(u === null ? [a, divided(neg, 1, -l.c) as ITerm] : [1, u]);
    } else if (a < 0) {
      // b*v >= r, i.e. v >= ceil(r / b) when b divides r's coefficients
      const b = -a;
      const w = divided(l, b, Math.ceil(l.c / b));
      lows.push(w === null ? [b, divided(l, 1, l.c) as ITerm] : [1, w]);
    } else keep.push(lit);
  }
  // Over the integers: if every lower bound is v >= y, then v = max y is the
  // least candidate and exists iff a*y <= x for all pairs; symmetrically if
  // every upper bound is v <= x (v = min x, y <= b*x).
  let value: ITerm;
  if (lows.every(([b]) => b === 1)) {
    for (const [, y] of lows) for (const [a, x] of highs) keep.push(le(scale(a, y), x));
    value = lows[0]?.[1] ?? num(0);
    for (const [, y] of lows.slice(1)) value = ite(le(y, value), value, y);
  } else if (highs.every(([a]) => a === 1)) {
    for (const [b, y] of lows) for (const [, x] of highs) keep.push(le(y, scale(b, x)));
    value = highs[0]?.[1] ?? num(0);
    for (const [, x] of highs.slice(1)) value = ite(le(value, x), value, x);
  } else return null;
  return { cond: and(...keep), value };
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return Math.abs(a);
}

/**
 * An atom sum(k_i * t_i) + c  <op>  0 in canonical form: atoms ordered by
 * their text, coefficients divided by their gcd (for <=, the constant side
 * rounded down: exact over the integers), constants folded. Equal atoms then
 * print equally, so the solver shares them, and its rewriter has less to do.
 */
function normAtom(op: 'le' | 'eq', a: ITerm, b: ITerm): BTerm {
  const l = linear(sub(a, b));
  const atoms = [...l.atoms].filter(([, x]) => x.k !== 0).sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  if (atoms.length === 0) return bool(op === 'le' ? l.c <= 0 : l.c === 0);
  if (op === 'eq') return { k: 'eq', a, b }; // definitions stay as written
  // sum(pos) - sum(neg) + c <= 0, divided by the gcd g: sum(pos)/g <= sum(neg)/g + floor(-c/g)
  const g = atoms.reduce((acc, [, x]) => gcd(acc, x.k), 0);
  const k = Math.floor(-l.c / g);
  const pos = atoms.filter(([, x]) => x.k > 0).map(([, x]) => scale(x.k / g, x.t));
  const neg = atoms.filter(([, x]) => x.k < 0).map(([, x]) => scale(-x.k / g, x.t));
  if (pos.length === 0) return { k: 'le', a: num(-k), b: add(...neg) };
  return { k: 'le', a: add(...pos), b: add(...neg, num(k)) };
}

/** The same formula with every atom in canonical form (see normAtom). */
export function normB(t: BTerm): BTerm {
  switch (t.k) {
    case 'bool':
    case 'bvar':
      return t;
    case 'le':
      return normAtom('le', normI(t.a), normI(t.b));
    case 'eq':
      return normAtom('eq', normI(t.a), normI(t.b));
    case 'and':
      return and(...t.args.map(normB));
    case 'or':
      return or(...t.args.map(normB));
    case 'not':
      return not(normB(t.a));
  }
}

function normI(t: ITerm): ITerm {
  switch (t.k) {
    case 'num':
    case 'ivar':
      return t;
    case 'sum':
      return add(num(t.c), ...t.args.map(normI));
    case 'scale':
      return scale(t.c, normI(t.a));
    case 'ite':
      return ite(normB(t.c), normI(t.a), normI(t.b));
  }
}
