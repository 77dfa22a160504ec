// Showing the every-n-and-t engines' results for `check` (engine param / all): phase lemmas and inductive invariants.
import type { InvariantResult } from '../check/invariant';
import type { LemmaResult } from '../check/lemmas';
import type { PropertyName } from '../ir/types';

/** Progress lines for a lemma result (or a property the lemmas do not apply to). */
export function lemmaLines(r: LemmaResult | { property: PropertyName; skipped: string }): string[] {
  if ('skipped' in r) return [`  ${r.property.padEnd(12)} phase lemmas do not apply: ${r.skipped}`];
  const queries = r.queries.map((q) => `${q.name}: ${q.status} ${q.ms} ms`).join(', ');
  const head = `  ${r.property.padEnd(12)} every n and t (phase lemmas)  ${r.verdict.toUpperCase().padEnd(9)} ${String(r.ms).padStart(6)} ms  [lemma: ${queries}]`;
  if (r.verdict === 'verified') return [head, ...r.argument.map((line) => `      ${line}`)];
  return [head, `      ${r.reason ?? 'the lemma does not hold'}; falling back to the per-t queries`];
}

export function lemmaJson(r: LemmaResult): object {
  return {
    property: r.property,
    n: null,
    t: null,
    f: null,
    rounds: null,
    engine: 'lemma',
    verdict: r.verdict,
    ms: r.ms,
    region: r.region,
    argument: r.argument,
    queries: r.queries.map(({ smtlib: _smtlib, ...q }) => q),
  };
}

/** Progress lines for an inductive-invariant result. */
export function invariantLines(r: InvariantResult): string[] {
  const vcs = r.queries.filter((q) => q.name.startsWith('vc:')).map((q) => `${q.name.slice(3)}: ${q.status} ${q.ms} ms`).join(', ');
  const head = `  ${r.property.padEnd(12)} ${r.model === 'hybrid' ? 'every n, t and o' : 'every n and t'} (inductive invariant)  ${(r.verdict === 'proved' ? 'VERIFIED' : 'UNKNOWN').padEnd(9)} ${String(r.ms).padStart(6)} ms  [${r.invariant.length} conjuncts, ${r.queries.length} queries${vcs === '' ? '' : `; ${vcs}`}]`;
  if (r.verdict === 'proved') return [head];
  return [head, `      ${r.reason ?? 'no inductive invariant found'}; falling back to the param engine`];
}

export function invariantJson(r: InvariantResult): object {
  return {
    property: r.property,
    n: null,
    t: null,
    f: null,
    rounds: null,
    engine: 'invariant',
    verdict: r.verdict === 'proved' ? 'verified' : 'unknown',
    ms: r.ms,
    region: r.region,
    phases: r.phases,
    invariant: r.invariant,
    queries: r.queries.filter((q) => q.name.startsWith('vc:')).map(({ smtlib: _smtlib, ...q }) => q),
  };
}
