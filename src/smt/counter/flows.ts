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
//
// Witness elimination (exact). A flow's condition cond(w) is a Boolean
// combination of linear atoms over the received counts c + w, and the
// witness ranges over w >= 0 with sum_p w[m][p] <= B(m) per message type m.
// If cond is antitone in w[m][p] (./term.ts `polarity`: every occurrence of
// it, negations pushed in, can only become false when it grows), any witness
// stays a witness with w[m][p] lowered to 0 (the budget only gets looser), so
// it is replaced by 0. Then, per type, one payload p in which cond is
// monotone (can only become true when it grows) is replaced by
// B(m) - (the type's remaining witness variables): raising it to fill the
// budget keeps any witness a witness. If one variable v is left and the
// condition is a conjunction of inequalities a*v + r <= 0 whose r divides by
// a, v is eliminated exactly (./term.ts `eliminateVar`: every lower bound,
// 0 included, is at most every upper bound, B(m) included); its value for
// decoding is the largest lower bound. A leader's message type has budget 0
// or 1, so its witness is 0 or one unit vector: the condition becomes the
// disjunction over those few cases. Otherwise what is left stays a variable
// with its budget constraint. For threshold guards (count(M, v) >= k, their
// negations, and conjunctions of those) no witness variable is left, and the
// condition becomes a bound on the correct counts.

import { DECIDED, type Protocol, type Rule } from '../../ir/types';
import type { LocalState, Val } from '../../trace/model';
import * as T from '../term';
import { domainOf, type Position, roundTypes, type StateSpace, valTag } from '../space';
import { boolOf, cEval, type CEnv, toCases } from './expr';
import { fullDelivery, perPayload } from './witness-bounds';

export interface Flow {
  id: number; // index within its round
  x: string; // the flow's count variable
  src: number;
  dst: number;
  rule: number | null; // null: no rule fired
  /** the witness: the Byzantine count per message type and payload, as a term over model constants (absent: 0). */
  witness: Map<string, Map<Val, T.ITerm>>;
  /** "some reception meets this flow's condition" (x >= 1 implies it); faulty processes' flows reuse it (./encode-faults.ts) */
  act: T.BTerm;
  /** per-payload budgets only (crash, omission): the condition when every faulty message is delivered (a clean round) */
  full: T.BTerm | null;
}

export interface RoundContext {
  protocol: Protocol;
  space: StateSpace;
  q: T.Query;
  pos: Position;
  params: { n: T.ITerm; t: T.ITerm; f: T.ITerm; phaseBase?: T.ITerm };
  /** what correct processes (and a correct leader) sent: count per (type, payload). */
  correct: (message: string, p: Val) => T.ITerm;
  /** bound on a witness's total per type: f, or 1 if the leader is Byzantine else 0. */
  byzBound: (message: string) => T.ITerm;
  /**
   * Crash and omission faults (./encode-faults.ts): the witness is bounded per
   * payload instead, 0 <= w[m][p] <= payloadBound(m, p) (the faulty senders
   * of (m, p) whose message may be kept from a receiver); byzBound is unused.
   */
  payloadBound?: (message: string, p: Val) => T.ITerm;
  /** canonical representative of each state at the boundary after this round (see ./canon.ts); identity if absent. */
  canon?: readonly number[];
}

type Recv = (message: string, p: Val) => T.ITerm;

/** A recorder of witness variables: named on first use (declared by the caller). */
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
    const i = ctx.space.indexOf(st);
    const d = ctx.canon === undefined ? i : (ctx.canon[i] as number);
    dsts.set(d, T.or(dsts.get(d) ?? T.FALSE, c));
  }
  return { fire, dsts };
}

/**
 * Eliminates witness variables from a flow condition (see the header);
 * declares the ones left, with their budget constraints, and returns the
 * condition and every witness count as a term.
 */
function eliminateWitness(ctx: RoundContext, cond0: T.BTerm, used: Map<string, Map<Val, string>>): { cond: T.BTerm; witness: Map<string, Map<Val, T.ITerm>> } {
  let cond = cond0;
  const witness = new Map<string, Map<Val, T.ITerm>>();
  for (const [m, per] of used) {
    if (ctx.payloadBound !== undefined) {
      const r = perPayload(ctx, ctx.payloadBound, cond, m, per);
      cond = r.cond;
      witness.set(m, r.terms);
      continue;
    }
    const bound = ctx.byzBound(m);
    const zero = new Map<string, T.ITerm>();
    const keep: [Val, string][] = [];
    let fill: [Val, string] | null = null;
    for (const [p, name] of per) {
      const pol = T.polarity(cond, name);
      if (pol.down) zero.set(name, T.num(0));
      else if (pol.up && fill === null) fill = [p, name];
      else keep.push([p, name]);
    }
    cond = T.substB(cond, zero);
    const terms = new Map<Val, T.ITerm>();
    for (const [p, name] of per) if (zero.has(name)) terms.set(p, T.num(0));
    if (ctx.protocol.messages.find((d) => d.name === m)?.leader === true) {
      // a leader's message: the budget is 0 or 1, so the witness is 0 or one unit vector
      const vars = [...(fill === null ? [] : [fill]), ...keep];
      const none = T.substB(cond, new Map(vars.map(([, name]) => [name, T.num(0)])));
      const unit = vars.map(([, name]) => T.substB(cond, new Map(vars.map(([, x]) => [x, x === name ? bound : T.num(0)]))));
      vars.forEach(([p], i) => terms.set(p, T.b2i(T.and(T.not(none), ...unit.slice(0, i).map(T.not), unit[i] as T.BTerm))));
      cond = T.or(none, ...unit);
      witness.set(m, terms);
      continue;
    }
    const rest = T.add(...keep.map(([, name]) => T.ivar(name)));
    if (fill !== null) cond = T.substB(cond, new Map([[fill[1], T.sub(bound, rest)]]));
    // one variable left: eliminate it exactly if the condition has the shape (T.eliminateVar)
    const only = keep.length === 1 ? (keep[0] as [Val, string]) : null;
    const qe = only === null ? null : T.eliminateVar(cond, only[1], [T.num(0)], [bound]);
    if (only !== null && qe !== null) {
      cond = qe.cond;
      terms.set(only[0], qe.value);
      if (fill !== null) terms.set(fill[0], T.sub(bound, qe.value));
    } else {
      for (const [p, name] of keep) terms.set(p, ctx.q.intIn(name, 0));
      if (fill !== null) terms.set(fill[0], T.sub(bound, rest));
      if (keep.length > 0) ctx.q.assert(T.le(rest, bound));
    }
    witness.set(m, terms);
  }
  return { cond, witness: resolveWitness(used, witness) };
}

/**
 * The witness terms over declared constants only. A type's terms are built
 * from the condition as it stands when that type is eliminated, which may
 * still mention the witness variables of types eliminated after it (a
 * leader's message read before a `maj` of another type: its unit cases, or
 * an eliminated variable's lower bound, mention the other type's counts).
 * Those variables are never declared, so a model has no value for them and
 * the decoder would read 0, a reception under which the flow's condition
 * need not hold. Every eliminated variable has a defining term (0, the
 * budget's remainder, the bound of eliminateVar, the unit-case indicator),
 * so the types' terms are resolved from the last type eliminated back to
 * the first, each substituting the already resolved terms of the later
 * types: the later types' values satisfy the condition as it was when the
 * earlier type was eliminated, and the earlier type's terms pick a value
 * that satisfies the condition before that. A term can also mention a
 * variable of its own or an earlier type, but only in a literal where its
 * coefficient is 0 (eliminateVar keeps such literals as they are), so its
 * value does not matter there and it is read as 0. Decoding only: the
 * query's text does not change.
 */
function resolveWitness(used: Map<string, Map<Val, string>>, witness: Map<string, Map<Val, T.ITerm>>): Map<string, Map<Val, T.ITerm>> {
  const types = [...used];
  const eliminated = (m: string, p: Val, name: string): boolean => {
    const term = witness.get(m)?.get(p);
    return term !== undefined && !(term.k === 'ivar' && term.name === name);
  };
  const resolved = new Map<string, T.ITerm>(); // eliminated variable of a later type -> its term over declared constants
  const out = new Map<string, Map<Val, T.ITerm>>();
  for (let i = types.length - 1; i >= 0; i--) {
    const [m, per] = types[i] as [string, Map<Val, string>];
    // this type's and the earlier types' eliminated variables (coefficient 0 wherever they still occur) read as 0
    const zero = new Map<string, T.ITerm>();
    for (const [m2, per2] of types.slice(0, i + 1)) for (const [p, name] of per2) if (eliminated(m2, p, name)) zero.set(name, T.num(0));
    const terms = new Map<Val, T.ITerm>();
    for (const [p, t] of witness.get(m) ?? new Map<Val, T.ITerm>()) terms.set(p, T.substI(T.substI(t, resolved), zero));
    for (const [p, name] of per) if (eliminated(m, p, name)) resolved.set(name, terms.get(p) as T.ITerm);
    out.set(m, terms);
  }
  return new Map([...witness.keys()].map((m) => [m, out.get(m) as Map<Val, T.ITerm>]));
}

/**
 * What a state does in this round, as text: what it sends, and per rule the
 * condition under which the rule fires and, per canonical destination, the
 * condition of going there. The receive counts are placeholders common to
 * all states (correct counts `ctx.correct`, Byzantine counts probe
 * variables), so two states with the same signature fire the same rule and
 * reach the same canonical destination for every possible reception.
 */
export function signature(ctx: RoundContext, s: number, sends: string): string {
  const rules = ctx.protocol.rounds[ctx.pos.index]?.rules ?? [];
  const st = ctx.space.state(s);
  const parts: string[] = [sends];
  for (const j of [...rules.map((_, k) => k), null]) {
    const o = outcome(ctx, st, rules, j, recorder(ctx, null).recv);
    if (o.fire.k === 'bool' && !o.fire.v) continue;
    const dsts = [...o.dsts].sort((a, b) => a[0] - b[0]).map(([d, c]) => `${d}:${T.printB(c)}`);
    parts.push(`${j ?? 'x'}|${T.printB(o.fire)}|${dsts.join(';')}`);
  }
  return parts.join('\n');
}

/**
 * Encodes the flows of one round out of the states `from`; returns them.
 *
 * Flows whose conditions are the same text (typically: the same rule of
 * different source states, when the rule's guard and its destination's
 * condition do not read the variables in which the sources differ) share one
 * witness and one Boolean `a` that stands for "this condition can be met":
 * `a -> cond(witness)`, and each such flow has `x >= 1 -> a`. Exact: a flow
 * needs some reception under which its condition holds, and the same
 * condition is met by the same reception.
 */
export function roundFlows(ctx: RoundContext, from: number[]): Flow[] {
  const rules = ctx.protocol.rounds[ctx.pos.index]?.rules ?? [];
  const flows: Flow[] = [];
  const g = ctx.pos.round;
  const shared = new Map<string, { act: T.BTerm; full: T.BTerm | null; witness: Map<string, Map<Val, T.ITerm>> }>();
  for (const s of from) {
    const st = ctx.space.state(s);
    const choicesOfRule: (number | null)[] = [...rules.map((_, j) => j), null];
    for (const j of choicesOfRule) {
      const probe = outcome(ctx, st, rules, j, recorder(ctx, null).recv);
      if (probe.fire.k === 'bool' && !probe.fire.v) continue;
      for (const [d, dcond] of probe.dsts) {
        const pcond = T.and(probe.fire, dcond);
        if (pcond.k === 'bool' && !pcond.v) continue;
        const key = T.printB(pcond);
        let w = shared.get(key);
        if (w === undefined) {
          const k = shared.size;
          const rec = recorder(ctx, `w${g}_${k}`);
          const o = outcome(ctx, st, rules, j, rec.recv);
          const c = T.and(o.fire, o.dsts.get(d) ?? T.FALSE);
          const e = eliminateWitness(ctx, c, rec.used);
          const act = e.cond.k === 'bool' ? e.cond : ctx.q.bool(`a${g}_${k}`);
          if (act.k !== 'bool') ctx.q.assert(T.implies(act, e.cond));
          w = { act, full: fullDelivery(ctx, c, rec.used), witness: e.witness };
          shared.set(key, w);
        }
        const x = ctx.q.intIn(`x${g}_${s}_${j ?? 'x'}_${d}`, 0);
        ctx.q.assert(T.implies(T.ge(x, T.num(1)), w.act));
        flows.push({ id: flows.length, x: x.k === 'ivar' ? x.name : '', src: s, dst: d, rule: j, witness: w.witness, act: w.act, full: w.full });
      }
    }
  }
  return flows;
}
