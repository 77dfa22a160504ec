// The parameterized queries of the check benchmark: for every claimed property
// of a protocol, one query per t = 1..4 (every admissible n at that t) when the
// round bound mentions t, or one query for every n and t when it does not
// (src/check/param.ts's paramPlan, as `bftsynth check --engine param` runs them).
import { MAX_ROUNDS } from '../../src/ir/bounds';
import { evalParamInt } from '../../src/ir/eval';
import type { Protocol } from '../../src/ir/types';
import { claimedProperties } from '../../src/check/check';
import { paramPlan } from '../../src/check/param';
import { LIBRARY_TS, libraryFiles, loadSpec, smallestN } from './plan';
import type { ParamQuery } from './types';

export interface ParamPlanResult {
  queries: ParamQuery[];
  /** (property, t) pairs the parameterized engine does not cover, and why */
  skipped: string[];
}

export function paramQueries(file: string, p: Protocol, ts: readonly number[] = LIBRARY_TS): ParamPlanResult {
  const queries: ParamQuery[] = [];
  const skipped: string[] = [];
  const add = (property: ParamQuery['property'], t: number | null, rounds: number): void => {
    queries.push({ engine: 'param', key: `param|${file}|${property}|${t ?? 'all'}|${rounds}`, file, protocol: p.name, property, t, rounds });
  };
  for (const property of claimedProperties(p)) {
    const plan = paramPlan(p, property);
    if (plan.kind === 'none') {
      skipped.push(`${file} ${property}: no parameterized query (${plan.reason})`);
    } else if (plan.kind === 'all-t') {
      // the region's emptiness is Z3's to decide in checkParamProtocol; here: some t = 1..4 admits an n
      if (ts.some((t) => smallestN(p, t) !== null)) add(property, null, plan.rounds);
      else skipped.push(`${file} ${property}: no admissible n at t = ${ts.join(', ')}`);
    } else {
      for (const t of ts) {
        const rounds = evalParamInt(plan.bound, t + 1, t);
        if (rounds < 1 || rounds > MAX_ROUNDS) skipped.push(`${file} ${property} t=${t}: the round bound is ${rounds}`);
        else if (smallestN(p, t) === null) skipped.push(`${file} ${property} t=${t}: no admissible n (parameterized query skipped)`);
        else add(property, t, rounds);
      }
    }
  }
  return { queries, skipped };
}

/** The parameterized queries of every library protocol whose path contains one of `filter` (empty: all). */
export function paramLibraryPlan(root: string, filter: readonly string[]): ParamPlanResult {
  const out: ParamPlanResult = { queries: [], skipped: [] };
  for (const file of libraryFiles(root).filter((f) => filter.length === 0 || filter.some((s) => f.includes(s)))) {
    const r = paramQueries(file, loadSpec(root, file));
    out.queries.push(...r.queries);
    out.skipped.push(...r.skipped);
  }
  return out;
}
