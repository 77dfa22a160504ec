// Counter model -> per-process run. Byzantine set: the Byzantine leaders the
// model chose, filled up with the highest non-leader ids. Correct tracked
// leaders follow their own paths; every other correct process is placed into
// the remaining capacity of the flows out of its current state. A process in
// flow F receives F's witness: for each (type, payload) count k, k distinct
// Byzantine senders (leader types: the phase's Byzantine leader).
//
// The model counts state classes (./canon.ts), not states, so the real states
// are recomputed from the model alone: each process takes the rule of the
// flow it is placed in, and that rule's actions are evaluated with the
// counter encoding's own expression semantics (./expr.ts) on what the
// process received (the correct processes' broadcasts, recomputed the same
// way, plus the flow's witness). The simulator's step function is not used:
// replaying the decoded trace in the simulator (which picks the first rule
// whose guard holds, by its own semantics) is then an independent check.
// A process that does not land in the model's class is an internal error.

import { DECIDED, type Protocol, type Rule } from '../../ir/types';
import type { ByzantineMessage, LocalState, Val } from '../../trace/model';
import * as T from '../term';
import type { SmtModel } from '../z3';
import { correctSends, type DecodedRun } from '../trace-build';
import { domainOf, position, roundTypes } from '../space';
import { cEval } from './expr';
import { decodeFaulty } from './decode-faults';
import { INPUT_NAME } from '../../sim/user-properties';
import { type CounterEncoding, FAULTS, type TrackedLeader } from './encode';
import type { Flow } from './flows';

export function decodeCounter(enc: CounterEncoding, model: SmtModel): DecodedRun {
  const run = enc.faulty === null ? decodeByzantine(enc, model) : decodeFaulty(enc, model);
  return enc.hiddenInput ? withoutHiddenInput(run) : run;
}

/** The states without the hidden `input` variable a user property added (./encode-user.ts). */
function withoutHiddenInput(run: DecodedRun): DecodedRun {
  const strip = (s: LocalState | null): LocalState | null => {
    if (s === null) return null;
    const { [INPUT_NAME]: _hidden, ...rest } = s;
    return rest;
  };
  return { ...run, initial: run.initial.map(strip), rounds: run.rounds.map((r) => ({ ...r, states: r.states.map(strip) })) };
}

function decodeByzantine(enc: CounterEncoding, model: SmtModel): DecodedRun {
  const { n, t } = enc.instance;
  const p = enc.protocol;
  const int = (name: string): number => {
    const v = model.get(name);
    return typeof v === 'number' ? v : 0;
  };
  const f = enc.instance.f ?? int(FAULTS);
  const byzLeader = (id: number): boolean => model.get(`byzL${id}`) === true;
  const leaderIds = new Set(enc.leaders.map((l) => l.id));
  const byzantine = enc.leaders.filter((l) => byzLeader(l.id)).map((l) => l.id);
  for (let i = n - 1; i >= 0 && byzantine.length < f; i--) if (!leaderIds.has(i)) byzantine.push(i);
  if (byzantine.length !== f) throw new Error('counter decode: cannot place the Byzantine processes');
  byzantine.sort((a, b) => a - b);
  const isByz = (i: number): boolean => byzantine.includes(i);
  const correct = Array.from({ length: n }, (_, i) => i).filter((i) => !isByz(i));
  const tracked = enc.leaders.filter((l) => !byzLeader(l.id));
  /** the class a tracked leader is in at boundary g, by the model */
  const leaderAt = (l: TrackedLeader, g: number): number => {
    const hit = [...(l.at[g] ?? new Map<number, string>())].filter(([, name]) => model.get(name) === true);
    if (hit.length !== 1) throw new Error(`counter decode: leader ${l.id} is in ${hit.length} classes at boundary ${g}`);
    return (hit[0] as [number, string])[0];
  };

  // ---- the leader pool, decomposed into unit paths; the unit that leaves
  // the pool at leader l's boundary becomes l (./encode.ts header) ----
  const poolPath = new Map<number, { start: number; flows: number[] }>(); // flows[g]: flow id in round g
  const poolEnd = enc.pool.counts.length - 1;
  let units: { cls: number; start: number; flows: number[] }[] = [];
  for (const [s, name] of enc.pool.counts[0] ?? new Map<number, string>()) for (let k = int(name); k > 0; k--) units.push({ cls: s, start: s, flows: [-1] });
  for (let g = 0; g <= poolEnd; g++) {
    for (const l of tracked.filter((x) => x.exit === g)) {
      const s = leaderAt(l, g);
      const k = units.findIndex((u) => u.cls === s);
      if (k < 0) throw new Error(`counter decode: no pool member for leader ${l.id} at boundary ${g}`);
      poolPath.set(l.id, units[k] as { cls: number; start: number; flows: number[] });
      units = units.filter((_, j) => j !== k);
    }
    if (g === poolEnd) break;
    const ys = enc.pool.y[g + 1] as Map<number, string>;
    const left = (enc.flows[g + 1] as Flow[]).map((fl) => int(ys.get(fl.id) ?? ''));
    for (const u of units) {
      const fl = (enc.flows[g + 1] as Flow[]).find((x) => x.src === u.cls && (left[x.id] as number) > 0);
      if (fl === undefined) throw new Error(`counter decode: pool flow broken in round ${g + 1}`);
      left[fl.id] = (left[fl.id] as number) - 1;
      u.flows.push(fl.id);
      u.cls = fl.dst;
    }
  }
  if (units.length > 0) throw new Error('counter decode: pool members left over');

  // ---- inputs and initial states ----
  const pool = enc.inputs.map(int);
  const inputs: (number | null)[] = new Array<number | null>(n).fill(null);
  const cur: number[] = new Array<number>(n).fill(-1);
  const takeInput = (i: number, state: number | null): void => {
    const v = pool.findIndex((k, x) => k > 0 && (state === null || enc.initialOf[x] === state));
    if (v < 0) throw new Error(`counter decode: no input left for process ${i}`);
    pool[v] = (pool[v] as number) - 1;
    inputs[i] = v;
    cur[i] = enc.initialOf[v] as number;
  };
  for (const l of tracked) {
    const path = poolPath.get(l.id);
    if (path === undefined) throw new Error(`counter decode: leader ${l.id} never left the pool`);
    takeInput(l.id, path.start);
  }
  for (const i of correct) if (inputs[i] === null) takeInput(i, null);
  const classOf = (g: number, s: LocalState): number => (enc.canon[g] as number[])[enc.space.indexOf(s)] as number;
  const initial = Array.from({ length: n }, (_, i) => (isByz(i) ? null : initialOf(enc, inputs[i] as number)));
  for (const i of correct) {
    if (classOf(0, initial[i] as LocalState) !== cur[i]) throw new Error(`internal error: counter decode: process ${i} starts outside its class`);
  }
  let real: (LocalState | null)[] = initial;

  // ---- rounds ----
  const rounds: DecodedRun['rounds'] = [];
  for (let g = 1; g <= enc.instance.rounds; g++) {
    const flows = enc.flows[g] as Flow[];
    const cap = flows.map((fl) => int(fl.x));
    const chosen: (Flow | null)[] = new Array<Flow | null>(n).fill(null);
    const take = (i: number, fl: Flow): void => {
      if ((cap[fl.id] as number) <= 0 || fl.src !== cur[i]) throw new Error(`counter decode: flow ${fl.x} cannot take process ${i}`);
      cap[fl.id] = (cap[fl.id] as number) - 1;
      chosen[i] = fl;
    };
    // pool members first (they fit: y <= x), then individual leaders (the spare capacity of their pair)
    for (const l of tracked) {
      if (g > l.exit) continue;
      take(l.id, flows[(poolPath.get(l.id) as { flows: number[] }).flows[g] as number] as Flow);
    }
    for (const l of tracked) {
      if (g <= l.exit || l.until <= g) continue;
      const d = leaderAt(l, g);
      const fl = flows.find((x) => x.src === cur[l.id] && x.dst === d && (cap[x.id] as number) > 0);
      if (fl === undefined) throw new Error(`counter decode: no flow for leader ${l.id} in round ${g}`);
      take(l.id, fl);
    }
    for (const i of correct) {
      if (chosen[i] !== null) continue;
      const fl = flows.find((x) => x.src === cur[i] && (cap[x.id] as number) > 0);
      if (fl === undefined) throw new Error(`counter decode: no flow for process ${i} in round ${g}`);
      take(i, fl);
    }
    const leader = (Math.floor((g - 1) / p.rounds.length)) % n;
    const byzMsgs: ByzantineMessage[] = [];
    for (const i of correct) {
      const fl = chosen[i] as Flow;
      for (const [m, per] of fl.witness) {
        const decl = p.messages.find((d) => d.name === m);
        let next = 0;
        for (const [payload, term] of per) {
          for (let k = T.evalI(term, (x) => model.get(x)); k > 0; k--) {
            let from: number;
            if (decl?.leader) from = leader;
            else {
              if (next >= byzantine.length) throw new Error('counter decode: witness exceeds f');
              from = byzantine[next++] as number;
            }
            byzMsgs.push({ from, to: i, message: m, payload: payload as Val });
          }
        }
      }
      cur[i] = fl.dst;
    }
    const pos = position(p, g);
    const common = new Map<string, number>();
    for (const i of correct) for (const b of correctSends(p, n, t, g, i, real[i] as LocalState)) bump(common, b.message, b.payload);
    const states: (LocalState | null)[] = new Array<LocalState | null>(n).fill(null);
    const fired: (number | null)[] = new Array<number | null>(n).fill(null);
    for (const i of correct) {
      const fl = chosen[i] as Flow;
      const inbox = new Map(common);
      for (const m of byzMsgs) if (m.to === i) bump(inbox, m.message, m.payload);
      const rule = fl.rule === null ? null : (p.rounds[pos.index]?.rules[fl.rule] ?? null);
      const st = rule === null ? (real[i] as LocalState) : applyActions(p, pos, n, t, rule, real[i] as LocalState, inbox);
      if (classOf(g, st) !== fl.dst) {
        throw new Error(`internal error: counter decode: process ${i} in round ${g} takes rule ${String(fl.rule)} to ${JSON.stringify(st)}, outside the model's class ${JSON.stringify(enc.space.state(fl.dst))}`);
      }
      states[i] = st;
      fired[i] = fl.rule;
    }
    real = states;
    rounds.push({ states, fired, byzantine: byzMsgs });
  }
  return { n, t, byzantine, inputs, initial, rounds };
}

export const inboxKey = (message: string, payload: Val): string => `${message}/${JSON.stringify(payload)}`;

export function bump(inbox: Map<string, number>, message: string, payload: Val): void {
  const k = inboxKey(message, payload);
  inbox.set(k, (inbox.get(k) ?? 0) + 1);
}

/** One value of an expression whose every input is concrete (the case split of ./expr.ts has exactly one true case). */
function concrete(e: ReturnType<typeof cEval>): Val {
  const none = (): number | boolean | undefined => undefined;
  switch (e.kind) {
    case 'int':
      return T.evalI(e.t, none);
    case 'bool':
      return T.evalB(e.t, none);
    case 'enum': {
      const hit = e.cases.filter(([, c]) => T.evalB(c, none));
      if (hit.length !== 1) throw new Error(`internal error: counter decode: ${hit.length} values of a concrete expression`);
      return (hit[0] as [Val, T.BTerm])[0];
    }
  }
}

/** A rule's actions, right-hand sides read before the rule, a decision only when undecided (docs/semantics.md, section 1). */
export function applyActions(p: Protocol, pos: { index: number; phase: number }, n: number, t: number, rule: Rule, state: LocalState, inbox: ReadonlyMap<string, number>): LocalState {
  const types = roundTypes(p, pos.index);
  const env = {
    state, phase: pos.phase, params: { n: T.num(n), t: T.num(t) }, values: p.values,
    recv: (m: string, v: Val): T.ITerm => T.num(inbox.get(inboxKey(m, v)) ?? 0),
    payloads: (m: string): Val[] => domainOf(p.values, types.find((d) => d.name === m)?.payload ?? null),
  };
  const next: LocalState = { ...state };
  for (const a of rule.actions) {
    const v = concrete(cEval(a.value, env));
    if (a.kind === 'assign') next[a.name] = v;
    else if (state[DECIDED] === null) next[DECIDED] = v;
  }
  return next;
}

/** The initial state of a correct process with input v, from the encoding's own view of the declarations. */
export function initialOf(enc: CounterEncoding, v: number): LocalState {
  const env = { state: {}, phase: 1, params: { n: T.num(enc.instance.n), t: T.num(enc.instance.t) }, values: enc.protocol.values, payloads: (): Val[] => [] };
  const st: LocalState = {};
  for (const d of enc.protocol.vars) st[d.name] = d.init === 'input' ? v : concrete(cEval(d.init, env));
  st[DECIDED] = null;
  return st;
}
