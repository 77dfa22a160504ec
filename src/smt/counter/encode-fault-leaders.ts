// Leaders under crash and omission faults (./encode-faults.ts; the Byzantine
// version is ./encode-leaders.ts). A leader is one specific process, so each
// leader of the run is followed individually from boundary 0 until the
// boundary before its last sending round: at[l][g][s] (exactly one class
// while it has a state), byzL (here: the leader is faulty; at most f of them,
// the correct ones among the n - f), and under crash faults alive[l][g]
// ("not crashed by boundary g", g = 0 .. its last sending round; once false,
// false). It is drawn from its population's counts at boundary 0, moves
// along its population's flows of its (src, dst) pair (the flows of a pair
// carry at least the tracked leaders that move so), and a faulty leader
// that crashes in round g is one of the z[g][s] crashing in its class.
//
// Its leader messages: a correct leader's, and a faulty one's that is alive
// and (crash) does not crash in the round, reach everybody; an
// omission-faulty leader's, and a crash-faulty one's in its crash round,
// reach the receivers the adversary picks (the per-payload budget 0 or 1);
// a crashed leader sends none (docs/semantics.md section 1.7).

import * as T from '../term';
import { position, roundTypes } from '../space';
import type { TrackedLeader } from './encode';
import { cnt, type CoreContext } from './encode-ends';
import { at, correctLeader } from './encode-leaders';
import { cntF, type FaultPart } from './encode-faults';
import type { Flow } from './flows';

const faultyLeader = (l: TrackedLeader): T.BTerm => T.bvar(l.byz);

/** "Leader l has not crashed by boundary g" (true under omission faults, and beyond its tracking). */
export function aliveAt(fp: FaultPart, l: TrackedLeader, g: number): T.BTerm {
  const name = fp.alive.get(l.id)?.[g];
  return name === undefined ? T.TRUE : T.bvar(name);
}

/** The run's leaders, tracked from boundary 0; at most f faulty, the correct ones among the n - f. */
export function encodeFaultLeaders(ctx: CoreContext, fp: FaultPart): void {
  const { protocol, q, params, setup } = ctx;
  const rounds = new Map<number, [number, number]>();
  for (let g = 1; g <= setup.rounds; g++) {
    const pos = position(protocol, g);
    if (!roundTypes(protocol, pos.index).some((d) => d.leader)) continue;
    const id = setup.leaderOf(pos.phase);
    rounds.set(id, [rounds.get(id)?.[0] ?? g, g]);
  }
  for (const [id, [first, until]] of [...rounds].sort((a, b) => a[0] - b[0])) {
    const l: TrackedLeader = { id, byz: `byzL${id}`, first, until, exit: 0, at: [] };
    q.bool(l.byz);
    ctx.leaders.push(l);
    if (fp.kind === 'crash') {
      const names = Array.from({ length: until + 1 }, (_, g) => `alive${id}_${g}`);
      names.forEach((name) => q.bool(name));
      fp.alive.set(id, names);
      q.assert(T.bvar(names[0] as string));
      for (let g = 1; g <= until; g++) q.assert(T.implies(T.bvar(names[g] as string), T.bvar(names[g - 1] as string)));
    }
  }
  const faulty = T.add(...ctx.leaders.map((l) => T.b2i(faultyLeader(l))));
  q.assert(T.le(faulty, params.f));
  q.assert(T.le(T.sub(T.num(ctx.leaders.length), faulty), ctx.correctTotal));
}

/** Boundary g: each tracked leader's class (one while it has a state); at boundary 0 the leaders fit in their populations' counts. */
export function trackFaultLeaders(ctx: CoreContext, fp: FaultPart, g: number): void {
  const { q } = ctx;
  const here = ctx.reach[g] as number[];
  const tracked = ctx.leaders.filter((l) => g < l.until);
  for (const l of tracked) {
    const m = new Map<number, string>();
    for (const s of here) {
      m.set(s, `at${l.id}_${g}_${s}`);
      q.bool(`at${l.id}_${g}_${s}`);
    }
    l.at[g] = m;
    const bs = here.map((s) => at(l, g, s));
    const has = T.or(correctLeader(l), aliveAt(fp, l, g));
    q.assert(T.implies(has, T.or(...bs)));
    for (const b of bs) q.assert(T.implies(b, has));
    for (let a = 0; a < bs.length; a++) for (let b = a + 1; b < bs.length; b++) q.assert(T.or(T.not(bs[a] as T.BTerm), T.not(bs[b] as T.BTerm)));
  }
  if (g !== 0) return;
  for (const s of here) {
    q.assert(T.ge(cnt(0, s), T.add(...tracked.map((l) => T.b2i(T.and(correctLeader(l), at(l, 0, s)))))));
    q.assert(T.ge(cntF(0, s), T.add(...tracked.map((l) => T.b2i(T.and(faultyLeader(l), at(l, 0, s)))))));
  }
}

/** What the leader of round g sends of a payload, from its class at boundary g - 1: to everybody (sure) and to receivers the adversary picks (maybe). */
export function leaderSends(fp: FaultPart, l: TrackedLeader, g: number, prev: readonly number[], sendsP: (s: number) => T.BTerm): { sure: T.ITerm; maybe: T.ITerm } {
  const from = T.or(...prev.map((s) => T.and(at(l, g - 1, s), sendsP(s))));
  const correct = T.and(correctLeader(l), from);
  if (fp.kind === 'omission') return { sure: T.b2i(correct), maybe: T.b2i(T.and(faultyLeader(l), from)) };
  const staying = T.and(faultyLeader(l), aliveAt(fp, l, g), from);
  const crashing = T.and(faultyLeader(l), T.not(aliveAt(fp, l, g)), from);
  return { sure: T.b2i(T.or(correct, staying)), maybe: T.b2i(crashing) };
}

/** Round g: tracked leaders move along their populations' flows; a crashing faulty leader is among its class's crashes. */
export function moveFaultLeaders(ctx: CoreContext, fp: FaultPart, g: number, fs: readonly Flow[], crashOf: (s: number) => T.ITerm): void {
  const { q } = ctx;
  const prev = ctx.reach[g - 1] as number[];
  const next = ctx.reach[g] as number[];
  const sending = ctx.leaders.filter((l) => g <= l.until);
  if (fp.kind === 'crash') {
    for (const s of prev) {
      const crashing = sending.map((l) => T.b2i(T.and(faultyLeader(l), at(l, g - 1, s), T.not(aliveAt(fp, l, g)))));
      if (crashing.length > 0) q.assert(T.ge(crashOf(s), T.add(...crashing)));
    }
    // The faulty leaders that stay alive through round g are not among its
    // crashes. While a leader is tracked to a destination this follows from
    // conservation (z + faulty flows = m, and it moves along a faulty flow);
    // in its last sending round it is not, and without this the model could
    // count it in z while its alive flag says it stays (its leader messages
    // reaching everybody): a run the decoder cannot lift. Asserted only in
    // the rounds where some leader sends for the last time.
    if (sending.some((l) => l.until === g)) {
      for (const s of prev) {
        const staying = sending.map((l) => T.b2i(T.and(faultyLeader(l), at(l, g - 1, s), aliveAt(fp, l, g))));
        q.assert(T.le(T.add(crashOf(s), ...staying), cntF(g - 1, s)));
      }
    }
  }
  const moving = ctx.leaders.filter((l) => g < l.until);
  if (moving.length === 0) return;
  const xf = (id: number): T.ITerm => T.ivar(fp.x[g]?.get(id) as string);
  for (const s of prev) {
    for (const d of next) {
      const pair = fs.filter((f) => f.src === s && f.dst === d);
      const correct = moving.map((l) => T.and(correctLeader(l), at(l, g - 1, s), at(l, g, d)));
      const faulty = moving.map((l) => T.and(faultyLeader(l), aliveAt(fp, l, g), at(l, g - 1, s), at(l, g, d)));
      q.assert(T.ge(T.add(...pair.map((f) => T.ivar(f.x))), T.add(...correct.map(T.b2i))));
      q.assert(T.ge(T.add(...pair.map((f) => xf(f.id))), T.add(...faulty.map(T.b2i))));
    }
  }
}
