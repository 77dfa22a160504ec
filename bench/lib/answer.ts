// The columns every row of the check benchmark has, whichever engine answered:
// our verdict and time, native z3's on the same query text, and whether they agree.
import type { Verdict } from '../../src/check/check';
import { nativeVerdict, type Agreement, type Answer, type NativeResult, type OursResult } from './types';

export function agreement(ours: Verdict, native: Verdict | null): Agreement {
  if (native === null) return 'n/a';
  if (ours === 'unknown' || native === 'unknown') return ours === native ? 'yes' : 'partial';
  return ours === native ? 'yes' : 'NO';
}

export function answerOf(ours: OursResult, native: NativeResult | null, expected: Verdict | null): Answer {
  const nv = native === null ? null : nativeVerdict(native.status);
  const definite = ours.verdict !== 'unknown' && nv !== null && nv !== 'unknown';
  const a: Answer = {
    verdict: ours.verdict,
    expected,
    ours_ms: ours.ms,
    smt_bytes: ours.smtBytes,
    native_status: native?.status ?? null,
    native_verdict: nv,
    native_ms: native === null ? null : Math.round(native.ms * 10) / 10,
    native_solve_ms: native?.solveMs ?? null,
    native_max_memory_mb: native?.maxMemoryMb ?? null,
    ratio: definite && native !== null && native.ms > 0 ? Math.round((ours.ms / native.ms) * 100) / 100 : null,
    agreement: agreement(ours.verdict, nv),
  };
  if (ours.reason !== undefined) a.ours_reason = ours.reason;
  if (ours.error !== undefined) a.ours_error = ours.error;
  if (native?.detail !== undefined) a.native_detail = native.detail;
  return a;
}
