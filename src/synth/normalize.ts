// Normalization of completed sketches before hashing and printing.
//
// Why: coefficient holes produce spellings such as `1*n + 0*t + 0` and
// `2*count(VAL, 1) > 1*n + 2*t + -1`. Integer linear arithmetic lets us
// collect terms exactly (no rounding anywhere), so equal thresholds get one
// canonical IR: the verdict cache then deduplicates completions that differ
// only in spelling, and the kept spec files read like hand-written ones.
// Only integer-valued subterms are rewritten; guards, actions and the rule
// order are untouched, so the semantics are exactly those of the input.

import { type Expr, type Protocol, unreachable } from '../ir/types';

/** A linear form: constant plus coefficient per atom (keyed by the atom's JSON). */
interface Linear {
  constant: number;
  terms: Map<string, { atom: Expr; coef: number }>;
}

function linear(e: Expr, scale: number, into: Linear): void {
  switch (e.kind) {
    case 'int':
      into.constant += scale * e.value;
      return;
    case 'add':
      linear(e.left, scale, into);
      linear(e.right, scale, into);
      return;
    case 'sub':
      linear(e.left, scale, into);
      linear(e.right, -scale, into);
      return;
    case 'mul':
      linear(e.arg, scale * e.coef, into);
      return;
    default: {
      const atom = normalizeExpr(e);
      const key = JSON.stringify(atom);
      const cur = into.terms.get(key);
      into.terms.set(key, { atom, coef: (cur?.coef ?? 0) + scale });
    }
  }
}

/** Canonical order of atoms: counts first (the guard's subject), then n, t, phase. */
function rank(atom: Expr): number {
  switch (atom.kind) {
    case 'count':
      return 0;
    case 'param':
      return atom.name === 'n' ? 1 : 2;
    case 'phase':
      return 3;
    default:
      return 4;
  }
}

function rebuild(l: Linear): Expr {
  const terms = [...l.terms.entries()]
    .filter(([, x]) => x.coef !== 0)
    .sort(([ka, a], [kb, b]) => rank(a.atom) - rank(b.atom) || (ka < kb ? -1 : ka > kb ? 1 : 0))
    .map(([, x]) => x);
  let out: Expr | null = null;
  for (const { atom, coef } of terms) {
    const mag = Math.abs(coef);
    const term: Expr = mag === 1 ? atom : { kind: 'mul', coef: mag, arg: atom };
    if (out === null) out = coef < 0 ? { kind: 'mul', coef: -1, arg: term } : term;
    else out = coef < 0 ? { kind: 'sub', left: out, right: term } : { kind: 'add', left: out, right: term };
  }
  if (out === null) return { kind: 'int', value: l.constant };
  if (l.constant > 0) return { kind: 'add', left: out, right: { kind: 'int', value: l.constant } };
  if (l.constant < 0) return { kind: 'sub', left: out, right: { kind: 'int', value: -l.constant } };
  return out;
}

export function normalizeExpr(e: Expr): Expr {
  switch (e.kind) {
    case 'int':
    case 'bool':
    case 'none':
    case 'param':
    case 'phase':
    case 'var':
    case 'maj':
      return e;
    case 'count':
      return e.payload === null ? e : { ...e, payload: normalizeExpr(e.payload) };
    case 'add':
    case 'sub':
    case 'mul': {
      const l: Linear = { constant: 0, terms: new Map() };
      linear(e, 1, l);
      return rebuild(l);
    }
    case 'cmp':
      return { ...e, left: normalizeExpr(e.left), right: normalizeExpr(e.right) };
    case 'and':
    case 'or':
      return { ...e, left: normalizeExpr(e.left), right: normalizeExpr(e.right) };
    case 'not':
      return { ...e, arg: normalizeExpr(e.arg) };
    default:
      return unreachable(e);
  }
}

export function normalizeProtocol(p: Protocol): Protocol {
  const ne = normalizeExpr;
  return {
    ...p,
    resilience: ne(p.resilience),
    vars: p.vars.map((v) => (v.init === 'input' ? v : { ...v, init: ne(v.init) })),
    rounds: p.rounds.map((r) => ({
      ...r,
      sends: r.sends.map((s) => ({ ...s, payload: s.payload === null ? null : ne(s.payload), when: s.when === null ? null : ne(s.when) })),
      rules: r.rules.map((rule) => ({
        guard: ne(rule.guard),
        actions: rule.actions.map((a) => ({ ...a, value: ne(a.value) })),
      })),
    })),
    properties: { ...p.properties, termination: p.properties.termination === null ? null : ne(p.properties.termination) },
    horizon: ne(p.horizon),
  };
}

/**
 * Dead rules the front end does not flag: a rule whose guard is identical
 * to an earlier rule's in the same round never fires (the earlier one
 * always wins). Sketches with open rule slots produce these; rejecting them
 * statically keeps one canonical form per behaviour and saves simulation.
 */
export function deadRules(p: Protocol): string[] {
  const out: string[] = [];
  for (const r of p.rounds) {
    const seen = new Set<string>();
    r.rules.forEach((rule, i) => {
      const key = JSON.stringify(rule.guard);
      if (seen.has(key)) out.push(`round ${r.name}, rule ${i + 1}: same guard as an earlier rule`);
      seen.add(key);
    });
  }
  return out;
}
