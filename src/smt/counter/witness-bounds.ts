// The witness of a flow under crash and omission faults (./flows.ts,
// ./encode-faults.ts): per message type and payload, how many of the faulty
// senders' messages one receiver got, each bounded on its own.

import type { Val } from '../../trace/model';
import * as T from '../term';
import type { RoundContext } from './flows';

/**
 * The per-payload witness (crash, omission): each w[m][p] ranges over
 * 0 .. B(m, p) on its own, so an antitone one is 0 and a monotone one is
 * B(m, p) (exact as in the header: the other payloads' budgets do not
 * depend on it); one that is neither is eliminated exactly when it is the
 * only one of its type left and the condition has the shape, otherwise it
 * stays a variable with its bounds.
 */
export function perPayload(
  ctx: RoundContext,
  bound: (m: string, p: Val) => T.ITerm,
  cond0: T.BTerm,
  m: string,
  per: Map<Val, string>,
): { cond: T.BTerm; terms: Map<Val, T.ITerm> } {
  const fixed = new Map<string, T.ITerm>();
  const terms = new Map<Val, T.ITerm>();
  const keep: [Val, string][] = [];
  for (const [p, name] of per) {
    const pol = T.polarity(cond0, name);
    const v = pol.down ? T.num(0) : pol.up ? bound(m, p) : null;
    if (v === null) keep.push([p, name]);
    else {
      fixed.set(name, v);
      terms.set(p, v);
    }
  }
  let cond = T.substB(cond0, fixed);
  const only = keep.length === 1 ? (keep[0] as [Val, string]) : null;
  const qe = only === null ? null : T.eliminateVar(cond, only[1], [T.num(0)], [bound(m, only[0])]);
  if (only !== null && qe !== null) {
    cond = qe.cond;
    terms.set(only[0], qe.value);
    return { cond, terms };
  }
  for (const [p, name] of keep) {
    terms.set(p, ctx.q.intIn(name, 0));
    ctx.q.assert(T.le(T.ivar(name), bound(m, p)));
  }
  return { cond, terms };
}

/** The condition with every recorded witness at its bound (every faulty message delivered). */
export function fullDelivery(ctx: RoundContext, cond: T.BTerm, used: Map<string, Map<Val, string>>): T.BTerm | null {
  const bound = ctx.payloadBound;
  if (bound === undefined) return null;
  const m = new Map<string, T.ITerm>();
  for (const [msg, per] of used) for (const [p, name] of per) m.set(name, bound(msg, p));
  return T.substB(cond, m);
}

