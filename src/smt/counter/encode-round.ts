// One round of the counter encoding (./encode.ts): what the correct
// processes send, the round's flows between state classes (./flows.ts), the
// counts at the next boundary, the pool of leaders moving along flows, and
// the tracked leaders' moves.

import * as T from '../term';
import { position, roundTypes, valTag } from '../space';
import { sendsPayload } from './canon';
import { cntName } from './encode';
import { cnt, type CoreContext } from './encode-ends';
import { at, correctLeader, individual, poolCount, trackAt } from './encode-leaders';
import { payloadsOf, roundFlows } from './flows';

/** Round g, from boundary g - 1 to boundary g. */
export function encodeRound(ctx: CoreContext, g: number): void {
  const { protocol, space, q, params, setup, canon, reach, flows, leaders, pool, poolEnd } = ctx;
  const pos = position(protocol, g);
  const prev = reach[g - 1] as number[];
  const types = roundTypes(protocol, pos.index);
  const sends = protocol.rounds[pos.index]?.sends ?? [];
  const leader = leaders.find((l) => l.id === setup.leaderOf(pos.phase));
  const correct = new Map<string, T.ITerm>();
  for (const [k, send] of sends.entries()) {
    const decl = types[k];
    if (decl === undefined) throw new Error('counter: send without declaration');
    const mi = protocol.messages.indexOf(decl);
    for (const p of payloadsOf({ protocol, pos }, decl.name)) {
      const sendsP = (s: number): T.BTerm => sendsPayload(protocol, space, pos, params, send, p, s);
      let term: T.ITerm;
      if (!decl.leader) term = T.add(...prev.map((s) => T.ite(sendsP(s), cnt(g - 1, s), T.num(0))));
      else {
        if (leader === undefined) throw new Error('counter: untracked leader');
        term = T.b2i(T.and(correctLeader(leader), T.or(...prev.map((s) => T.and(at(leader, g - 1, s), sendsP(s))))));
      }
      if (term.k !== 'num') {
        const name = `c${g}_m${mi}_${valTag(p)}`;
        q.assert(T.eq(q.int(name), term));
        term = T.ivar(name);
      }
      correct.set(`${decl.name}/${valTag(p)}`, term);
    }
  }
  const fs = roundFlows(
    {
      protocol, space, q, pos, params,
      canon: canon[g] as number[],
      correct: (m, p) => correct.get(`${m}/${valTag(p)}`) ?? T.num(0),
      byzBound: (m) => {
        const d = types.find((x) => x.name === m);
        if (d === undefined || !d.leader) return params.f;
        if (leader === undefined) throw new Error('counter: untracked leader');
        return T.b2i(T.bvar(leader.byz));
      },
    },
    prev,
  );
  flows.push(fs);
  const next = [...new Set(fs.map((f) => f.dst))].sort((a, b) => a - b);
  reach.push(next);
  for (const s of next) q.intIn(cntName(g, s), 0);
  for (const s of prev) q.assert(T.eq(cnt(g - 1, s), T.add(...fs.filter((f) => f.src === s).map((f) => T.ivar(f.x)))));
  for (const s of next) q.assert(T.eq(cnt(g, s), T.add(...fs.filter((f) => f.dst === s).map((f) => T.ivar(f.x)))));
  // The pool moves along flows (y[f] <= x[f], conserved): what stays in
  // the pool at boundary g - 1 leaves through the flows out of each class.
  const ys = new Map<number, string>();
  pool.y[g] = ys;
  if (g <= poolEnd) {
    for (const f of fs) {
      const y = q.intIn(`y${g}_${f.id}`, 0);
      ys.set(f.id, `y${g}_${f.id}`);
      q.assert(T.le(y, T.ivar(f.x)));
    }
    const leaving = individual(ctx, g - 1).filter((l) => l.exit === g - 1);
    for (const s of prev) {
      const out = fs.filter((f) => f.src === s).map((f) => T.ivar(ys.get(f.id) as string));
      const left = T.add(...leaving.map((l) => T.b2i(T.and(correctLeader(l), at(l, g - 1, s)))));
      q.assert(T.eq(T.add(...out), T.sub(poolCount(ctx, g - 1, s), left)));
    }
  }
  trackAt(ctx, g);
  for (const s of next) {
    if (g <= poolEnd) q.assert(T.eq(poolCount(ctx, g, s), T.add(...fs.filter((f) => f.dst === s).map((f) => T.ivar(ys.get(f.id) as string)))));
  }
  // Individually tracked leaders move along flows: for every (src, dst)
  // pair, the flows from src to dst together carry, beyond their pool
  // members, at least the individual leaders that move so (the decoder then
  // puts each on one of them, within capacity); never along a pair without
  // flows.
  const tracked = individual(ctx, g).filter((l) => l.exit < g);
  if (tracked.length > 0) {
    for (const s of prev) {
      for (const d of next) {
        const pair = fs.filter((f) => f.src === s && f.dst === d);
        const cap = pair.map((f) => T.ivar(f.x));
        const inPool = pair.map((f) => (ys.has(f.id) ? T.ivar(ys.get(f.id) as string) : T.num(0)));
        const moves = tracked.map((l) => T.and(correctLeader(l), at(l, g - 1, s), at(l, g, d)));
        if (cap.length === 0) for (const mv of moves) q.assert(T.not(mv));
        else q.assert(T.ge(T.add(...cap), T.add(...inPool, ...moves.map(T.b2i))));
      }
    }
  }
}
