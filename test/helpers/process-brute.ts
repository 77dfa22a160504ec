// Brute-force ground truth for the process encoding (test/process-faults*.test.ts,
// test/process-hybrid.test.ts) under crash, omission and hybrid faults (docs/semantics.md sections 1.7, 1.8, 2): every faulty set of every
// size 0..min(bound, n), every input vector, and per round every crash and
// withholding choice, with no symmetry argument; configurations of one root
// are merged only when identical. Built from the simulator's committed
// primitives (sendsOf, applyRules), so it is independent of both the
// encoding and of the simulator's fault-aware stepping. Tiny cases only.

import { evalParamInt } from '../../src/ir/eval';
import { DECIDED, type Expr, isBuiltinProperty, type LocalState, type Protocol, type PropertyName, type UserProperty } from '../../src/ir/types';
import { addToInbox, applyRules, cloneInbox, inboxOfBroadcasts, initialState, payloadDomain, roundMessages, roundPosition, sendsOf } from '../../src/sim/step';
import { checkedBoundary, stateHolds, userViolation, type ScopedRun } from '../../src/sim/user-properties';
import type { Broadcast, Trace, Withheld } from '../../src/trace/model';

export interface Decision {
  crashed: number[];
  withheld: Withheld[];
}

export interface Stepped {
  sent: Broadcast[];
  fired: (number | null)[];
  states: (LocalState | null)[];
}

/** One round: every process with a state sends; those not crashing now take a step on what reached them. */
export function stepFaulty(p: Protocol, n: number, t: number, g: number, states: readonly (LocalState | null)[], d: Decision): Stepped {
  const pos = roundPosition(p, n, g);
  const sent: Broadcast[] = [];
  for (let i = 0; i < n; i++) {
    const s = states[i] ?? null;
    if (s !== null) sent.push(...sendsOf(p, n, t, pos, i, s));
  }
  const common = inboxOfBroadcasts(sent);
  const fired: (number | null)[] = new Array<number | null>(n).fill(null);
  const next: (LocalState | null)[] = new Array<LocalState | null>(n).fill(null);
  for (let i = 0; i < n; i++) {
    const s = states[i] ?? null;
    if (s === null || d.crashed.includes(i)) continue;
    const own = cloneInbox(common);
    for (const w of d.withheld) {
      if (w.to !== i) continue;
      const b = sent.find((x) => x.from === w.from && x.message === w.message);
      if (b === undefined) throw new Error('withheld message was not sent');
      addToInbox(own, b.message, b.payload, -1);
    }
    const out = applyRules(p, n, t, pos, s, own);
    fired[i] = out.fired;
    next[i] = out.state;
  }
  return { sent, fired, states: next };
}

function subsets<T>(xs: readonly T[]): T[][] {
  return xs.reduce<T[][]>((acc, x) => acc.flatMap((s) => [s, [...s, x]]), [[]]);
}

/** Every crash/withholding choice of one round. */
function decisions(p: Protocol, n: number, t: number, g: number, faulty: readonly number[], states: readonly (LocalState | null)[]): Decision[] {
  const pos = roundPosition(p, n, g);
  const alive = faulty.filter((i) => (states[i] ?? null) !== null);
  const sentBy = (j: number): string[] => sendsOf(p, n, t, pos, j, states[j] as LocalState).map((b) => b.message);
  const out: Decision[] = [];
  if (p.faults.kind === 'crash') {
    for (const crashed of subsets(alive)) {
      const stepping = Array.from({ length: n }, (_, i) => i).filter((i) => (states[i] ?? null) !== null && !crashed.includes(i));
      const slots = crashed.flatMap((j) => sentBy(j).flatMap((message) => stepping.map((to) => ({ from: j, to, message }))));
      for (const withheld of subsets(slots)) out.push({ crashed, withheld });
    }
  } else {
    const slots = alive.flatMap((j) => sentBy(j).flatMap((message) => Array.from({ length: n }, (_, to) => ({ from: j, to, message }))));
    for (const withheld of subsets(slots)) out.push({ crashed: [], withheld });
  }
  return out;
}

interface Config {
  states: (LocalState | null)[];
  clean: boolean;
  goalSeen: boolean;
}

/** Whether some run of `rounds` rounds violates the property (crash or omission faults). */
export function bruteViolates(p: Protocol, n: number, t: number, rounds: number, property: PropertyName, faultCounts?: number[]): boolean {
  if (p.faults.kind === 'hybrid') throw new Error('bruteViolates: a hybrid protocol (bruteHybridViolates)');
  const bound = Math.max(0, Math.min(evalParamInt(p.faults.bound, n, t), n));
  // the simulator's reading (src/sim/simulate.ts): a run is rejected when it reaches round `within` without a clean round
  const w = p.assumptions.length === 0 ? null : Math.min(...p.assumptions.map((a) => evalParamInt(a.within, n, t)));
  const within = w !== null && w >= 1 ? w : null;
  const user: UserProperty | null = isBuiltinProperty(property) ? null : (p.userProperties.find((u) => u.name === property) ?? null);
  if (!isBuiltinProperty(property) && user === null) throw new Error(`no property ${property}`);
  const term = property === 'termination' && p.properties.termination !== null ? evalParamInt(p.properties.termination, n, t) : rounds;
  const ev = user?.formula.kind === 'eventually' ? evalParamInt(user.formula.within, n, t) : null;
  if (ev !== null && (ev < 0 || ev > rounds)) return false;
  const ids = Array.from({ length: n }, (_, i) => i);
  for (const faulty of subsets(ids).filter((s) => s.length <= bound && (faultCounts === undefined || faultCounts.includes(s.length)))) {
    const correct = ids.filter((i) => !faulty.includes(i));
    for (let code = 0; code < p.values ** n; code++) {
      const inputs = ids.map((i) => Math.floor(code / p.values ** i) % p.values);
      const scoped = (states: (LocalState | null)[], g: number): ScopedRun => {
        const all: (LocalState | null)[][] = [];
        all[g] = states;
        return { n, t, faults: p.faults.kind, faulty, roundsPerPhase: p.rounds.length, states: all, inputs };
      };
      const holds = (states: (LocalState | null)[], g: number, which: 'state' | 'given' | 'goal'): boolean => {
        const f = (user as UserProperty).formula;
        const s = f.kind === 'always' ? f.state : which === 'given' ? f.given : f.goal;
        return stateHolds(p, user as UserProperty, s, scoped(states, g), g);
      };
      const violatedAt = (c: Config, g: number): boolean => {
        const dec = correct.map((i) => c.states[i]?.[DECIDED] ?? null).filter((d): d is number => typeof d === 'number');
        switch (property) {
          case 'agreement':
            return dec.some((d) => d !== dec[0]);
          case 'validity': {
            const ins = correct.map((i) => inputs[i]);
            return ins.every((x) => x === ins[0]) && dec.some((d) => d !== ins[0]);
          }
          case 'termination':
            return g === term && correct.some((i) => (c.states[i]?.[DECIDED] ?? null) === null);
        }
        const f = (user as UserProperty).formula;
        if (f.kind === 'always') return checkedBoundary(f.at, g, p.rounds.length) && !holds(c.states, g, 'state');
        return g === ev && !c.goalSeen;
      };
      const init = ids.map((i) => initialState(p, n, t, inputs[i] as number));
      if (user?.formula.kind === 'eventually' && !holds(init, 0, 'given')) continue;
      let layer: Config[] = [{ states: init, clean: false, goalSeen: user?.formula.kind === 'eventually' && holds(init, 0, 'goal') }];
      // a violation at g counts when the run can still get its clean round (g < within) or had it
      const counts = (c: Config, g: number): boolean => within === null || within > rounds || g < within || c.clean;
      if (layer.some((c) => counts(c, 0) && violatedAt(c, 0))) return true;
      for (let g = 1; g <= rounds; g++) {
        const seen = new Map<string, Config>();
        for (const c of layer) {
          for (const d of decisions(p, n, t, g, faulty, c.states)) {
            const st = stepFaulty(p, n, t, g, c.states, d);
            const clean = c.clean || (d.crashed.length === 0 && d.withheld.length === 0);
            const goalSeen = c.goalSeen || (user?.formula.kind === 'eventually' && g <= (ev as number) && holds(st.states, g, 'goal'));
            const next: Config = { states: st.states, clean, goalSeen };
            if (within !== null && within <= rounds && g >= within && !clean) continue;
            if (counts(next, g) && violatedAt(next, g)) return true;
            seen.set(JSON.stringify([st.states, clean, goalSeen]), next);
          }
        }
        layer = [...seen.values()];
      }
    }
  }
  return false;
}

/** Re-runs a crash/omission trace with its recorded crashes and withheld messages; the first mismatch, or null. */
export function replayLocal(p: Protocol, trace: Trace): string | null {
  const { n, t } = trace;
  const faulty = trace.faulty ?? [];
  let states: (LocalState | null)[] = trace.inputs.map((x) => (x === null ? null : initialState(p, n, t, x)));
  if (JSON.stringify(states) !== JSON.stringify(trace.initial)) return 'initial states differ';
  const all = [states];
  for (const [k, rec] of trace.rounds.entries()) {
    const crashed = rec.crashed ?? [];
    if (crashed.some((i) => !faulty.includes(i) || states[i] === null)) return `round ${k + 1}: a crash of a correct or crashed process`;
    for (const w of rec.withheld ?? []) {
      if (!faulty.includes(w.from)) return `round ${k + 1}: withheld from a correct sender`;
      if (p.faults.kind === 'crash' && !crashed.includes(w.from)) return `round ${k + 1}: withheld from a sender that does not crash`;
    }
    const out = stepFaulty(p, n, t, k + 1, states, { crashed, withheld: rec.withheld ?? [] });
    const key = (b: readonly Broadcast[]): string => b.map((x) => JSON.stringify([x.from, x.message, x.payload])).sort().join();
    if (key(out.sent) !== key(rec.sent)) return `round ${k + 1}: sent differs`;
    if (JSON.stringify(out.states) !== JSON.stringify(rec.states)) return `round ${k + 1}: states differ ${JSON.stringify(out.states)} vs ${JSON.stringify(rec.states)}`;
    if (JSON.stringify(out.fired) !== JSON.stringify(rec.fired)) return `round ${k + 1}: fired differs`;
    states = out.states;
    all.push(states);
  }
  const correct = Array.from({ length: n }, (_, i) => i).filter((i) => !faulty.includes(i) && !trace.byzantine.includes(i));
  const dec = (g: number, i: number): unknown => all[g]?.[i]?.[DECIDED];
  for (const v of trace.violations) {
    let ok: boolean;
    switch (v.property) {
      case 'agreement':
        ok = v.processes.every((i) => correct.includes(i)) && dec(v.round, v.processes[0]) === v.values[0] && dec(v.round, v.processes[1]) === v.values[1] && v.values[0] !== v.values[1];
        break;
      case 'validity':
        ok = correct.every((i) => trace.inputs[i] === v.input) && correct.includes(v.process) && dec(v.round, v.process) === v.value && v.value !== v.input;
        break;
      case 'termination':
        ok = v.processes.length > 0 && v.processes.every((i) => correct.includes(i) && dec(v.round, i) === null);
        break;
      case 'user': {
        const prop = p.userProperties.find((u) => u.name === v.name);
        const run: ScopedRun = { n, t, faults: p.faults.kind, faulty: [...faulty, ...trace.byzantine], roundsPerPhase: p.rounds.length, states: all, inputs: trace.inputs };
        ok = prop !== undefined && userViolation(p, prop, run)?.round === v.round;
        break;
      }
    }
    if (!ok) return `the recorded violation ${JSON.stringify(v)} does not hold`;
  }
  return trace.violations.length > 0 ? null : 'no violation recorded';
}

/** Every way to pick `k` of `xs`. */
function subsetsOfSize<T>(xs: readonly T[], k: number): T[][] {
  return subsets(xs).filter((s) => s.length === k);
}

/** Every product of the option lists (one pick from each). */
function product<T>(lists: readonly (readonly T[])[]): T[][] {
  return lists.reduce<T[][]>((acc, opts) => acc.flatMap((pre) => opts.map((x) => [...pre, x])), [[]]);
}

/**
 * Whether some run of `rounds` rounds violates the property under hybrid
 * faults (docs/semantics.md section 1.9), with no symmetry argument: every
 * pair of disjoint sets B (Byzantine, |B| <= the Byzantine bound) and O
 * (omission-faulty, |O| <= the omission bound), or of the sizes `counts`
 * fixes, every input vector of the processes not in B, and per round every
 * Byzantine choice (per receiver not in B, message type of the round and
 * Byzantine sender: nothing or one payload; leader types only from the
 * leader) and every set of messages of O senders withheld from receivers not
 * in B. Tiny cases only.
 */
export function bruteHybridViolates(p: Protocol, n: number, t: number, o: number, rounds: number, property: PropertyName, counts?: { fb: number; fo: number }): boolean {
  const m = p.faults;
  if (m.kind !== 'hybrid') throw new Error('bruteHybridViolates: not a hybrid protocol');
  const clamp = (e: Expr): number => Math.max(0, Math.min(evalParamInt(e, n, t, o), n));
  const bB = clamp(m.byzantine);
  const bO = clamp(m.omission);
  const user: UserProperty | null = isBuiltinProperty(property) ? null : (p.userProperties.find((u) => u.name === property) ?? null);
  if (!isBuiltinProperty(property) && user === null) throw new Error(`no property ${property}`);
  const term = property === 'termination' && p.properties.termination !== null ? evalParamInt(p.properties.termination, n, t, o) : rounds;
  const ev = user?.formula.kind === 'eventually' ? evalParamInt(user.formula.within, n, t, o) : null;
  if (ev !== null && (ev < 0 || ev > rounds)) return false;
  const ids = Array.from({ length: n }, (_, i) => i);
  for (let fb = 0; fb <= bB; fb++) {
    for (let fo = 0; fo <= bO && fb + fo <= n; fo++) {
      if (counts !== undefined && (counts.fb !== fb || counts.fo !== fo)) continue;
      for (const B of subsetsOfSize(ids, fb)) {
        for (const O of subsetsOfSize(ids.filter((i) => !B.includes(i)), fo)) {
          if (hybridSetViolates(p, n, t, o, rounds, property, user, term, ev, B, O)) return true;
        }
      }
    }
  }
  return false;
}

interface HybridConfig {
  states: (LocalState | null)[];
  goalSeen: boolean;
}

function hybridSetViolates(
  p: Protocol,
  n: number,
  t: number,
  o: number,
  rounds: number,
  property: PropertyName,
  user: UserProperty | null,
  term: number,
  ev: number | null,
  B: readonly number[],
  O: readonly number[],
): boolean {
  const ids = Array.from({ length: n }, (_, i) => i);
  const followers = ids.filter((i) => !B.includes(i));
  const correct = followers.filter((i) => !O.includes(i));
  const faulty = [...B, ...O];
  for (let code = 0; code < p.values ** followers.length; code++) {
    const inputs: (number | null)[] = ids.map(() => null);
    followers.forEach((i, k) => {
      inputs[i] = Math.floor(code / p.values ** k) % p.values;
    });
    const scoped = (states: (LocalState | null)[], g: number): ScopedRun => {
      const all: (LocalState | null)[][] = [];
      all[g] = states;
      return { n, t, o, faults: 'hybrid', faulty, byzantine: B, roundsPerPhase: p.rounds.length, states: all, inputs };
    };
    const holds = (states: (LocalState | null)[], g: number, which: 'state' | 'given' | 'goal'): boolean => {
      const f = (user as UserProperty).formula;
      const s = f.kind === 'always' ? f.state : which === 'given' ? f.given : f.goal;
      return stateHolds(p, user as UserProperty, s, scoped(states, g), g);
    };
    const violatedAt = (c: HybridConfig, g: number): boolean => {
      const dec = correct.map((i) => c.states[i]?.[DECIDED] ?? null).filter((d): d is number => typeof d === 'number');
      switch (property) {
        case 'agreement':
          return dec.some((d) => d !== dec[0]);
        case 'validity': {
          const ins = correct.map((i) => inputs[i]);
          return ins.every((x) => x === ins[0]) && dec.some((d) => d !== ins[0]);
        }
        case 'termination':
          return g === term && correct.some((i) => (c.states[i]?.[DECIDED] ?? null) === null);
      }
      const f = (user as UserProperty).formula;
      if (f.kind === 'always') return checkedBoundary(f.at, g, p.rounds.length) && !holds(c.states, g, 'state');
      return g === ev && !c.goalSeen;
    };
    const init = ids.map((i) => (B.includes(i) ? null : initialState(p, n, t, inputs[i] as number, o)));
    if (user?.formula.kind === 'eventually' && !holds(init, 0, 'given')) continue;
    let layer: HybridConfig[] = [{ states: init, goalSeen: user?.formula.kind === 'eventually' && holds(init, 0, 'goal') }];
    if (layer.some((c) => violatedAt(c, 0))) return true;
    for (let g = 1; g <= rounds; g++) {
      const pos = roundPosition(p, n, g);
      const types = roundMessages(p, pos.index);
      const seen = new Map<string, HybridConfig>();
      for (const c of layer) {
        const sent: Broadcast[] = followers.flatMap((i) => sendsOf(p, n, t, pos, i, c.states[i] as LocalState, o));
        const common = inboxOfBroadcasts(sent);
        // per receiver: every Byzantine choice, and every set of withheld messages of O senders
        const byzOptions = followers.map((to) =>
          product(types.flatMap((decl) => B.filter((j) => !decl.leader || j === pos.leader).map((j) => [null, ...payloadDomain(p, decl.payload).map((pl) => ({ from: j, to, message: decl.name, payload: pl }))]))),
        );
        const withOptions = followers.map((to) => subsets(sent.filter((b) => O.includes(b.from)).map((b) => ({ from: b.from, to, message: b.message, payload: b.payload }))));
        // receivers step independently: the successors are the product of each receiver's possible next states
        const perReceiver = followers.map((to, k) => {
          const outs = new Map<string, LocalState>();
          for (const byz of byzOptions[k] ?? []) {
            for (const kept of withOptions[k] ?? []) {
              const own = cloneInbox(common);
              for (const w of kept) addToInbox(own, w.message, w.payload, -1);
              for (const x of byz) if (x !== null) addToInbox(own, x.message, x.payload, 1);
              const out = applyRules(p, n, t, pos, c.states[to] as LocalState, own, o);
              outs.set(JSON.stringify(out.state), out.state);
            }
          }
          return [...outs.values()];
        });
        for (const pick of product(perReceiver)) {
          const states: (LocalState | null)[] = ids.map(() => null);
          followers.forEach((i, k) => {
            states[i] = pick[k] as LocalState;
          });
          const goalSeen = c.goalSeen || (user?.formula.kind === 'eventually' && g <= (ev as number) && holds(states, g, 'goal'));
          const next: HybridConfig = { states, goalSeen };
          if (violatedAt(next, g)) return true;
          seen.set(JSON.stringify([states, goalSeen]), next);
        }
      }
      layer = [...seen.values()];
    }
  }
  return false;
}
