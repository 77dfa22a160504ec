// Rows of the parameterized queries: ours and native z3 on the same exported
// query, plus the concrete counter rows of the same protocol, property and t
// they are compared with (a param 'verified' where the concrete engine finds a
// violation is a soundness bug).
import type { Verdict } from '../../src/check/check';
import { answerOf } from './answer';
import type { ConcreteAgreement, ConcreteRef, NativeResult, OursResult, ParamExtra, ParamQuery, ParamRow, Row } from './types';

const NO_EXTRA: ParamExtra = { region: '?', leader_bound: 0, remainder: 0, counterexample: null };

const ref = (x: Row): ConcreteRef => ({ n: x.n, t: x.t, verdict: x.verdict, ms: x.ours_ms });

/** The concrete rows at the smallest n of each t the region covers (t = 1..4 for an every-t region). */
function smallestRows(q: ParamQuery, counter: readonly Row[], ts: readonly number[]): Row[] {
  const same = counter.filter((x) => x.file === q.file && x.property === q.property && x.sets.includes('library'));
  return (q.t === null ? ts : [q.t]).map((t) => same.filter((x) => x.t === t).sort((a, b) => a.n - b.n)[0]).filter((x): x is Row => x !== undefined);
}

function largestRow(q: ParamQuery, counter: readonly Row[], smallest: readonly Row[]): Row | null {
  if (q.t === null || smallest.length === 0) return null;
  const top = counter.filter((x) => x.file === q.file && x.property === q.property && x.t === q.t).sort((a, b) => b.n - a.n)[0];
  return top !== undefined && top.n > smallest[0]!.n ? top : null;
}

export function concreteAgreement(param: Verdict, concrete: readonly Verdict[]): ConcreteAgreement {
  if (concrete.length === 0) return 'n/a';
  if (param === 'verified' && concrete.includes('violated')) return 'NO';
  if (param === 'unknown' || concrete.includes('unknown')) return 'partial';
  if (param === 'violated' && !concrete.includes('violated')) return 'larger n';
  return 'yes';
}

export function makeParamRow(q: ParamQuery, ours: OursResult, native: NativeResult | null, expected: Verdict | null, counter: readonly Row[], ts: readonly number[]): ParamRow {
  const smallest = smallestRows(q, counter, ts);
  const largest = largestRow(q, counter, smallest);
  const first = smallest[0];
  const { key: _key, ...query } = q;
  return {
    ...query,
    ...answerOf(ours, native, expected),
    ...(ours.param ?? NO_EXTRA),
    concrete_smallest: smallest.map(ref),
    concrete_largest: largest === null ? null : ref(largest),
    concrete_agreement: concreteAgreement(
      ours.verdict,
      smallest.map((x) => x.verdict),
    ),
    param_over_concrete: first !== undefined && first.ours_ms > 0 ? Math.round((ours.ms / first.ours_ms) * 100) / 100 : null,
  };
}
