// Running and showing the phase lemmas for `check` (engine param / all): termination, validity and agreement.
import { LemmaResult, checkLemma } from '../check/lemmas';
import type { Protocol } from '../ir/types';
import type { Property } from '../trace/model';

/** The lemma results that hold (verified); the others are reported and left to the per-t queries. */
export async function provedByLemmas(protocol: Protocol, properties: readonly Property[], timeoutMs: number, log: ((line: string) => void) | undefined): Promise<LemmaResult[]> {
  const proved: LemmaResult[] = [];
  for (const property of properties) {
    const r = await checkLemma(protocol, property, timeoutMs);
    if ('skipped' in r) {
      log?.(`  ${property.padEnd(12)} phase lemmas do not apply: ${r.skipped}`);
      continue;
    }
    const queries = r.queries.map((q) => `${q.name}: ${q.status} ${q.ms} ms`).join(', ');
    log?.(`  ${property.padEnd(12)} every n and t (phase lemmas)  ${r.verdict.toUpperCase().padEnd(9)} ${String(r.ms).padStart(6)} ms  [lemma: ${queries}]`);
    if (r.verdict === 'verified') {
      for (const line of r.argument) log?.(`      ${line}`);
      proved.push(r);
    } else log?.(`      ${r.reason ?? 'the lemma does not hold'}; falling back to the per-t queries`);
  }
  return proved;
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
