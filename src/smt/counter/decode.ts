// Counter model -> per-process run. Byzantine set: the Byzantine leaders the
// model chose, filled up with the highest non-leader ids. Correct tracked
// leaders follow their own paths; every other correct process is placed into
// the remaining capacity of the flows out of its current state. A process in
// flow F receives F's witness: for each (type, payload) count k, k distinct
// Byzantine senders (leader types: the phase's Byzantine leader).
//
// The model counts state classes (./canon.ts), not states, so the real states
// are recomputed: the simulator's step function runs every round from the
// real initial states with the Byzantine messages read off the model, and
// every process must fire the model's rule and land in the model's class (the
// lifting argument of ./canon.ts); anything else is an internal error.

import type { Instance } from '../../sim/instance';
import { initialState, roundPosition, stepRound } from '../../sim/step';
import type { ByzantineMessage, LocalState, Val } from '../../trace/model';
import * as T from '../term';
import type { SmtModel } from '../z3';
import type { DecodedRun } from '../trace-build';
import { type CounterEncoding, FAULTS, type TrackedLeader } from './encode';
import type { Flow } from './flows';

export function decodeCounter(enc: CounterEncoding, model: SmtModel): DecodedRun {
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
  const instance: Instance = {
    n, t, byzantine: [...byzantine], inputs: [...inputs], isByzantine: Array.from({ length: n }, (_, i) => isByz(i)), correct,
  };
  const classOf = (g: number, s: LocalState): number => (enc.canon[g] as number[])[enc.space.indexOf(s)] as number;
  const initial = Array.from({ length: n }, (_, i) => (isByz(i) ? null : initialState(p, n, t, inputs[i] as number)));
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
    const step = stepRound(p, instance, roundPosition(p, n, g), real, byzMsgs);
    for (const i of correct) {
      const fl = chosen[i] as Flow;
      const st = step.states[i] as LocalState;
      if (step.fired[i] !== fl.rule || classOf(g, st) !== fl.dst) {
        throw new Error(`internal error: counter decode: process ${i} in round ${g} fired ${String(step.fired[i])} to ${JSON.stringify(st)}, the model says rule ${String(fl.rule)} to class ${JSON.stringify(enc.space.state(fl.dst))}`);
      }
    }
    real = step.states;
    rounds.push({ states: step.states, fired: step.fired, byzantine: byzMsgs });
  }
  return { n, t, byzantine, inputs, initial, rounds };
}
