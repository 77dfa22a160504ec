// The two ends of the counter encoding (./encode.ts): boundary 0 (the
// correct processes' inputs, or a havoc start for ./lemma.ts) and the
// violation asserted at the last boundary. Also the context the parts of
// encodeCounterCore share.

import { DECIDED, type Protocol, unreachable } from '../../ir/types';
import type { Property, Val } from '../../trace/model';
import * as T from '../term';
import type { StateSpace } from '../space';
import { cntName, type CoreSetup, type CounterOptions, type LeaderPool, type TrackedLeader } from './encode';
import { cEval, type CEnv, toCases } from './expr';
import type { Flow } from './flows';
import type { FaultPart } from './encode-faults';

/** What the parts of encodeCounterCore build together (filled in order: start, leaders, rounds, violation). */
export interface CoreContext {
  protocol: Protocol;
  space: StateSpace;
  q: T.Query;
  params: CoreSetup['params'];
  setup: CoreSetup;
  options: CounterOptions;
  /** n - f */
  correctTotal: T.ITerm;
  canon: number[][];
  reach: number[][];
  flows: Flow[][];
  leaders: TrackedLeader[];
  pool: LeaderPool;
  /** the last boundary with pool members (-1: none) */
  poolEnd: number;
  /** crash and omission faults: the faulty processes' counts (./encode-faults.ts); null: Byzantine */
  faulty: FaultPart | null;
}

export const cnt = (g: number, s: number): T.ITerm => T.ivar(cntName(g, s));

/** Boundary 0: the inputs' counts and the classes they start in, or (havoc) any distribution of the n - f correct processes. */
export function encodeStart(ctx: CoreContext, havoc: boolean): { inputs: string[]; inTerms: T.ITerm[]; initialOf: number[] } {
  const { protocol, space, q, params, canon, reach, correctTotal } = ctx;
  const baseEnv = (state: CEnv['state'], phase: number): CEnv => ({ state, phase, params, values: protocol.values, payloads: () => [] });
  const initialOf: number[] = [];
  for (let v = 0; v < (havoc ? 0 : protocol.values); v++) {
    const st: Record<string, Val> = {};
    for (const d of protocol.vars) {
      if (d.init === 'input') st[d.name] = v;
      else {
        const cases = toCases(cEval(d.init, baseEnv({}, 1)));
        if (cases.length !== 1) throw new Error('counter: non-constant initial value');
        st[d.name] = (cases[0] as [Val, T.BTerm])[0];
      }
    }
    st[DECIDED] = null;
    initialOf.push((canon[0] as number[])[space.indexOf(st)] as number);
  }
  const inputs = initialOf.map((_, v) => `in${v}`);
  const inTerms = inputs.map((name) => q.intIn(name, 0));
  if (havoc) {
    reach.push([...new Set(canon[0] as number[])].sort((a, b) => a - b));
    for (const s of reach[0] as number[]) q.intIn(cntName(0, s), 0);
    q.assert(T.eq(T.add(...(reach[0] as number[]).map((s) => cnt(0, s))), correctTotal));
  } else {
    q.assert(T.eq(T.add(...inTerms), correctTotal));
    reach.push([...new Set(initialOf)]);
    for (const s of reach[0] as number[]) {
      q.intIn(cntName(0, s), 0);
      q.assert(T.eq(cnt(0, s), T.add(...inTerms.filter((_, v) => initialOf[v] === s))));
    }
  }
  return { inputs, inTerms, initialOf };
}

/** Asserts that the run violates `property` at the last boundary; returns the validity input's name (null otherwise). */
export function encodeViolation(ctx: CoreContext, property: Property, inTerms: readonly T.ITerm[]): string | null {
  const { protocol, space, q, reach } = ctx;
  const R = ctx.setup.rounds;
  const last = reach[R] as number[];
  const decidedCount = (v: Val): T.ITerm => T.add(...last.filter((s) => space.state(s)[DECIDED] === v).map((s) => cnt(R, s)));
  const values = Array.from({ length: protocol.values }, (_, v) => v);
  switch (property) {
    case 'agreement': {
      const pairs: T.BTerm[] = [];
      for (const a of values) for (const b of values) if (a < b) pairs.push(T.and(T.ge(decidedCount(a), T.num(1)), T.ge(decidedCount(b), T.num(1))));
      q.assert(T.or(...pairs));
      return null;
    }
    case 'validity': {
      const vin = 'vin';
      const v = q.intIn(vin, 0, protocol.values - 1);
      for (const u of values) q.assert(T.or(T.eq(v, T.num(u)), T.eq(inTerms[u] as T.ITerm, T.num(0))));
      q.assert(T.or(...values.map((u) => T.and(T.ne(v, T.num(u)), T.ge(decidedCount(u), T.num(1))))));
      return vin;
    }
    case 'termination':
      q.assert(T.ge(decidedCount(null), T.num(1)));
      return null;
    default:
      return unreachable(property);
  }
}
