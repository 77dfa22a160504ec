// Leaders in the counter encoding (./encode.ts header, "Leaders"): which
// leaders a run has, whether each is Byzantine, the pool of correct leaders
// that have not sent yet, and each tracked leader's class per boundary.

import * as T from '../term';
import { position, roundTypes } from '../space';
import { POOL_FROM, type TrackedLeader } from './encode';
import { cnt, type CoreContext } from './encode-ends';

export const correctLeader = (l: TrackedLeader): T.BTerm => T.not(T.bvar(l.byz));

/** "Leader l is in class s at boundary g" (false where it is not tracked). */
export function at(l: TrackedLeader, g: number, s: number): T.BTerm {
  const name = l.at[g]?.get(s);
  return name === undefined ? T.FALSE : T.bvar(name);
}

export function poolCount(ctx: CoreContext, g: number, s: number): T.ITerm {
  const name = ctx.pool.counts[g]?.get(s);
  return name === undefined ? T.num(0) : T.ivar(name);
}

/** The leaders tracked individually at boundary g. */
export const individual = (ctx: CoreContext, g: number): TrackedLeader[] => ctx.leaders.filter((l) => l.exit <= g && g < l.until);

const byzSum = (ctx: CoreContext): T.ITerm => T.add(...ctx.leaders.map((l) => T.b2i(T.bvar(l.byz))));

/** The run's leaders (first and last sending round each), at most f of them Byzantine, the correct ones among the n - f. */
export function encodeLeaders(ctx: CoreContext): void {
  const { protocol, q, params, setup, options } = ctx;
  const leaderRounds = new Map<number, [number, number]>(); // leader id -> first and last round it sends in
  for (let g = 1; g <= setup.rounds; g++) {
    const pos = position(protocol, g);
    if (!roundTypes(protocol, pos.index).some((d) => d.leader)) continue;
    const id = setup.leaderOf(pos.phase);
    leaderRounds.set(id, [leaderRounds.get(id)?.[0] ?? g, g]);
  }
  const usePool = options.leaderPool ?? leaderRounds.size > POOL_FROM;
  for (const [id, [first, until]] of [...leaderRounds].sort((a, b) => a[0] - b[0])) {
    const byz = `byzL${id}`;
    q.bool(byz);
    ctx.leaders.push({ id, byz, first, until, exit: usePool ? first - 1 : 0, at: [] });
  }
  ctx.poolEnd = Math.max(-1, ...ctx.leaders.map((l) => l.exit));
  q.assert(T.le(byzSum(ctx), params.f));
  q.assert(T.le(T.sub(T.num(ctx.leaders.length), byzSum(ctx)), ctx.correctTotal));
}

/**
 * Boundary g: pool counts, the individual leaders' classes (exactly one for
 * a correct leader), the pool holds the leaders that leave it here, and
 * every class holds its pool members plus the individual leaders that left
 * the pool earlier.
 */
export function trackAt(ctx: CoreContext, g: number): void {
  const { q, pool, poolEnd, leaders } = ctx;
  const here = ctx.reach[g] as number[];
  if (g <= poolEnd) {
    const m = new Map<number, string>();
    for (const s of here) {
      m.set(s, `pool${g}_${s}`);
      q.intIn(`pool${g}_${s}`, 0);
    }
    pool.counts[g] = m;
    if (g === 0) q.assert(T.eq(T.add(...here.map((s) => poolCount(ctx, 0, s))), T.sub(T.num(leaders.length), byzSum(ctx))));
  }
  const tracked = individual(ctx, g);
  for (const l of tracked) {
    const m = new Map<number, string>();
    for (const s of here) {
      m.set(s, `at${l.id}_${g}_${s}`);
      q.bool(`at${l.id}_${g}_${s}`);
    }
    l.at[g] = m;
    const bs = here.map((s) => at(l, g, s));
    q.assert(T.implies(correctLeader(l), T.or(...bs)));
    for (let a = 0; a < bs.length; a++) for (let b = a + 1; b < bs.length; b++) q.assert(T.or(T.not(bs[a] as T.BTerm), T.not(bs[b] as T.BTerm)));
  }
  const leaving = tracked.filter((l) => l.exit === g);
  const earlier = tracked.filter((l) => l.exit < g);
  const here1 = (ls: TrackedLeader[], s: number): T.ITerm => T.add(...ls.map((l) => T.b2i(T.and(correctLeader(l), at(l, g, s)))));
  for (const s of here) {
    if (leaving.length > 0) q.assert(T.ge(poolCount(ctx, g, s), here1(leaving, s)));
    if (g <= poolEnd || earlier.length > 0) q.assert(T.ge(cnt(g, s), T.add(poolCount(ctx, g, s), here1(earlier, s))));
  }
}
