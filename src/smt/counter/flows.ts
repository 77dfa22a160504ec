// One round of the counter encoding: the flows out of each reachable local
// state, each with its own witness (the Byzantine counts one receiver of that
// flow got), under which its rule fires, no earlier rule fires, and the
// actions lead to the flow's destination.
//
// Why one witness per flow is exact: processes of one flow all move from the
// same state to the same state by the same rule; if any receiver could be
// driven along it by some Byzantine messages, the adversary can send those
// same messages to every receiver of the flow (it chooses per receiver), and
// correct senders are the same for all receivers.

import { DECIDED, type Protocol, type Rule } from '../../ir/types';
import type { LocalState, Val } from '../../trace/model';
import * as T from '../term';
import { domainOf, type Position, roundTypes, type StateSpace, valTag } from '../space';
import { boolOf, cEval, type CEnv, toCases } from './expr';

export interface Flow {
  id: number; // index within its round
  x: string; // the flow's count variable
  src: number;
  dst: number;
  rule: number | null; // null: no rule fired
  /** witness variables per message type and payload (absent: 0). */
  witness: Map<string, Map<Val, string>>;
}

export interface RoundContext {
  protocol: Protocol;
  space: StateSpace;
  q: T.Query;
  pos: Position;
  params: { n: T.ITerm; t: T.ITerm; f: T.ITerm };
  /** what correct processes (and a correct leader) sent: count per (type, payload). */
  correct: (message: string, p: Val) => T.ITerm;
  /** bound on a witness's total per type: f, or 1 if the leader is Byzantine else 0. */
  byzBound: (message: string) => T.ITerm;
}

type Recv = (message: string, p: Val) => T.ITerm;

/** A recorder of witness variables: created on first use, declared only if `prefix` is set. */
function recorder(ctx: RoundContext, prefix: string | null): { recv: Recv; used: Map<string, Map<Val, string>> } {
  const used = new Map<string, Map<Val, string>>();
  const recv: Recv = (m, p) => {
    let per = used.get(m);
    if (per === undefined) used.set(m, (per = new Map()));
    let name = per.get(p);
    if (name === undefined) {
      const mi = ctx.protocol.messages.findIndex((d) => d.name === m);
      name = `${prefix ?? 'probe'}_m${mi}_${valTag(p)}`;
      per.set(p, name);
      if (prefix !== null) ctx.q.intIn(name, 0);
    }
    return T.add(ctx.correct(m, p), T.ivar(name));
  };
  return { recv, used };
}

function env(ctx: RoundContext, state: LocalState, recv: Recv | undefined): CEnv {
  const payloads = (m: string): Val[] => payloadsOf(ctx, m);
  return { state, phase: ctx.pos.phase, params: ctx.params, values: ctx.protocol.values, recv, payloads };
}

export function payloadsOf(ctx: { protocol: Protocol; pos: Position }, m: string): Val[] {
  const d = roundTypes(ctx.protocol, ctx.pos.index).find((x) => x.name === m);
  if (d === undefined) throw new Error(`counter: ${m} is not sent in this round`);
  return domainOf(ctx.protocol.values, d.payload);
}

/** Condition that rule j (null: none) is the one that fires, and the possible successors with conditions. */
function outcome(ctx: RoundContext, s: LocalState, rules: Rule[], j: number | null, recv: Recv): { fire: T.BTerm; dsts: Map<number, T.BTerm> } {
  const e = env(ctx, s, recv);
  const earlier = rules.slice(0, j ?? rules.length).map((r) => T.not(boolOf(r.guard, e)));
  const rule = j === null ? null : rules[j];
  const fire = rule ? T.and(boolOf(rule.guard, e), ...earlier) : T.and(...earlier);
  // per variable: its possible new values with conditions (parallel assignment: read s)
  const choices = new Map<string, [Val, T.BTerm][]>();
  for (const a of rule?.actions ?? []) {
    if (a.kind === 'assign') choices.set(a.name, toCases(cEval(a.value, e)));
    else if (s[DECIDED] === null) choices.set(DECIDED, toCases(cEval(a.value, e)));
  }
  let partial: [LocalState, T.BTerm][] = [[{ ...s }, T.TRUE]];
  for (const [name, cases] of choices) {
    const next: [LocalState, T.BTerm][] = [];
    for (const [st, c] of partial) {
      for (const [v, cv] of cases) {
        const both = T.and(c, cv);
        if (both.k === 'bool' && !both.v) continue;
        next.push([{ ...st, [name]: v }, both]);
      }
    }
    partial = next;
  }
  const dsts = new Map<number, T.BTerm>();
  for (const [st, c] of partial) {
    const d = ctx.space.indexOf(st);
    dsts.set(d, T.or(dsts.get(d) ?? T.FALSE, c));
  }
  return { fire, dsts };
}

/** Encodes the flows of one round out of the states `from`; returns them. */
export function roundFlows(ctx: RoundContext, from: number[]): Flow[] {
  const rules = ctx.protocol.rounds[ctx.pos.index]?.rules ?? [];
  const flows: Flow[] = [];
  const g = ctx.pos.round;
  for (const s of from) {
    const st = ctx.space.state(s);
    const choicesOfRule: (number | null)[] = [...rules.map((_, j) => j), null];
    for (const j of choicesOfRule) {
      const probe = outcome(ctx, st, rules, j, recorder(ctx, null).recv);
      if (probe.fire.k === 'bool' && !probe.fire.v) continue;
      for (const d of probe.dsts.keys()) {
        const prefix = `w${g}_${s}_${j ?? 'x'}_${d}`;
        const rec = recorder(ctx, prefix);
        const o = outcome(ctx, st, rules, j, rec.recv);
        const cond = T.and(o.fire, o.dsts.get(d) ?? T.FALSE);
        if (cond.k === 'bool' && !cond.v) continue;
        const x = ctx.q.intIn(`x${g}_${s}_${j ?? 'x'}_${d}`, 0);
        ctx.q.assert(T.implies(T.ge(x, T.num(1)), cond));
        for (const [m, per] of rec.used) {
          ctx.q.assert(T.le(T.add(...[...per.values()].map(T.ivar)), ctx.byzBound(m)));
        }
        flows.push({ id: flows.length, x: x.k === 'ivar' ? x.name : '', src: s, dst: d, rule: j, witness: rec.used });
      }
    }
  }
  return flows;
}
