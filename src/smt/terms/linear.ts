// Linear normal forms: canonical atoms (normB) and exact elimination of one
// integer variable (eliminateVar).

import { type BTerm, type ITerm, add, and, bool, ite, le, not, num, or, scale, sub } from './build';
import { printI } from './print';
import { mentionsB, mentionsI } from './analyze';

/** A linear form: constant plus coefficients of atoms (variables, or ite terms keyed by their text). */
interface Lin {
  c: number;
  atoms: Map<string, { t: ITerm; k: number }>;
}

export function linear(t: ITerm, k = 1, acc: Lin = { c: 0, atoms: new Map() }): Lin {
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
