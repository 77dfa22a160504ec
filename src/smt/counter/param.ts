// The parameterized counter encoding (docs/semantics.md section 3.2, second use): the
// same core as the concrete check (./encode.ts encodeCounterCore), with n and
// f (and t, when the region does not fix it) declared Int constants instead
// of numerals. Everything the core builds from them stays linear: guards are
// linear in counts, n, t and constants by the language, phase numbers are
// concrete per round, and the witness budget is f. So the query is in QF_LIA.
//
// The region of the query, asserted explicitly (and listed in `side`):
// - the resilience condition over n and t;
// - 0 <= f <= t and t < n (the tool's admissible instances: t >= 0, n > t);
// - t = the region's t, or (all-t regions) t >= 0;
// - leaders: the core needs each leader's identity. The leader of phase p is
//   (p - 1) mod n; with L the last phase of the horizon that has a leader
//   round, phases 1 .. L have pairwise distinct leaders 0 .. L - 1 iff
//   n >= L. So the query asserts n >= L and uses leaderOf(p) = p - 1, which
//   equals (p - 1) mod n on that whole region. The admissible n < L (finitely
//   many: t < n < L) are the caller's to check with the concrete engine
//   (src/check/param.ts does), so that together they cover every admissible
//   (n, t).
// An unsat answer therefore proves: no admissible (n, t, f) in the region has
// a run of `rounds` rounds violating the property (the core is exact for
// every fixed n, t, f, see ./encode.ts and ./canon.ts; nothing in it depends
// on n, t, f being numerals). A model gives concrete n, t, f, at which the
// concrete encoding (the same core) is satisfiable too.

import type { Protocol } from '../../ir/types';
import type { Property } from '../../trace/model';
import * as T from '../term';
import { position, roundTypes } from '../space';
import { type CoreEncoding, type CounterOptions, encodeCounterCore } from './encode';
import { boolOf } from './expr';

export interface ParamRegion {
  /** t fixed (the round bound depends on t), or null: every t */
  t: number | null;
  rounds: number;
}

export interface ParamEncoding {
  enc: CoreEncoding;
  /** the side conditions asserted besides the resilience condition, in words (SMT-LIB-free) */
  side: string[];
  /** the last phase with a leader round within the horizon (0: no leaders); the query assumes n >= it */
  leaderPhases: number;
}

/** Names of the parameter constants in the query (and its models). */
export const PARAM_N = 'n';
export const PARAM_T = 't';
export const PARAM_F = 'f';

/** The last phase whose leader sends within `rounds` rounds (0 if none). */
export function lastLeaderPhase(protocol: Protocol, rounds: number): number {
  let last = 0;
  for (let g = 1; g <= rounds; g++) {
    const pos = position(protocol, g);
    if (roundTypes(protocol, pos.index).some((d) => d.leader)) last = pos.phase;
  }
  return last;
}

/** The parameter constants and the region's conditions (without the leader side condition). */
export function regionSetup(protocol: Protocol, region: { t: number | null }): { q: T.Query; params: { n: T.ITerm; t: T.ITerm; f: T.ITerm }; side: string[] } {
  const q = new T.Query();
  const n = q.int(PARAM_N);
  const t = region.t === null ? q.int(PARAM_T) : T.num(region.t);
  const f = q.int(PARAM_F);
  const side: string[] = ['0 <= f <= t', 't < n'];
  q.assert(T.ge(f, T.num(0)));
  q.assert(T.le(f, t));
  q.assert(T.ge(t, T.num(0)));
  q.assert(T.lt(t, n));
  side.push(region.t === null ? 't >= 0' : `t = ${region.t}`);
  q.assert(boolOf(protocol.resilience, { state: {}, phase: 1, params: { n, t }, values: protocol.values, payloads: () => [] }));
  return { q, params: { n, t, f }, side };
}

/** A query that is sat iff the region has an admissible (n, t, f) at all (an empty region proves nothing worth saying). */
export function regionQuery(protocol: Protocol, region: { t: number | null }): string {
  return regionSetup(protocol, region).q.smtlib();
}

export function encodeCounterParam(protocol: Protocol, region: ParamRegion, property: Property, options: CounterOptions = {}): ParamEncoding {
  const { q, params, side } = regionSetup(protocol, region);
  const L = lastLeaderPhase(protocol, region.rounds);
  if (L > 1) {
    q.assert(T.ge(params.n, T.num(L)));
    side.push(`n >= ${L} (the leaders of phases 1..${L} are distinct)`);
  }
  const enc = encodeCounterCore(protocol, { q, params, rounds: region.rounds, leaderOf: (phase) => phase - 1 }, property, options);
  return { enc, side, leaderPhases: L };
}
