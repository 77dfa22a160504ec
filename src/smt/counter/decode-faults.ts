// Counter model -> per-process run under crash and omission faults
// (./encode-faults.ts). The faulty processes are the faulty leaders the
// model chose, filled up with the highest non-leader ids (the others are
// interchangeable). Each process starts with an input of its population
// (in / fin; a tracked leader in its class at boundary 0); per round, the
// crash counts pick who crashes (a crashing leader first, then lowest ids of
// the class), tracked leaders take a flow of their pair, every other
// process is placed into the remaining capacity of its population's flows
// (x for correct, xf for faulty) out of its current class, and receives
// every message except, per (type, payload), those of the droppable senders
// (omission: faulty; crash: crashing this round) beyond the flow's witness
// count: the first k by id get through, the others are withheld from it. A
// clean round (the model's clean[g]) delivers everything. States are
// recomputed with the counter encoding's own semantics (./decode.ts); a
// process outside the model's class is an internal error, and the checker
// replays the trace in the simulator.

import type { LocalState, Val, Withheld } from '../../trace/model';
import * as T from '../term';
import type { SmtModel } from '../z3';
import { type Broadcast } from '../../trace/model';
import { correctSends, type DecodedRun } from '../trace-build';
import { position } from '../space';
import { applyActions, bump, initialOf } from './decode';
import { type CounterEncoding, FAULTS, type TrackedLeader } from './encode';
import type { Flow } from './flows';

export function decodeFaulty(enc: CounterEncoding, model: SmtModel): DecodedRun {
  const fp = enc.faulty;
  if (fp === null) throw new Error('counter decode: no crash or omission faults');
  const { n, t } = enc.instance;
  const p = enc.protocol;
  const int = (name: string): number => {
    const v = model.get(name);
    return typeof v === 'number' ? v : 0;
  };
  const f = enc.instance.f ?? int(FAULTS);
  const all = Array.from({ length: n }, (_, i) => i);
  const leaderIds = new Set(enc.leaders.map((l) => l.id));
  const faulty = enc.leaders.filter((l) => model.get(l.byz) === true).map((l) => l.id);
  for (let i = n - 1; i >= 0 && faulty.length < f; i--) if (!leaderIds.has(i)) faulty.push(i);
  if (faulty.length !== f) throw new Error('counter decode: cannot place the faulty processes');
  faulty.sort((a, b) => a - b);
  const isF = (i: number): boolean => faulty.includes(i);
  const leaderAt = (l: TrackedLeader, g: number): number => {
    const hit = [...(l.at[g] ?? new Map<number, string>())].filter(([, name]) => model.get(name) === true);
    if (hit.length !== 1) throw new Error(`counter decode: leader ${l.id} is in ${hit.length} classes at boundary ${g}`);
    return (hit[0] as [number, string])[0];
  };
  const alive = (l: TrackedLeader, g: number): boolean => {
    const name = fp.alive.get(l.id)?.[g];
    return name === undefined || model.get(name) === true;
  };

  // ---- inputs and initial states ----
  const left = { correct: enc.inputs.map(int), faulty: fp.inputs.map(int) };
  const inputs: number[] = new Array<number>(n).fill(-1);
  const cur: number[] = new Array<number>(n).fill(-1);
  const take = (i: number, cls: number | null): void => {
    const pool = isF(i) ? left.faulty : left.correct;
    const v = pool.findIndex((k, x) => k > 0 && (cls === null || enc.initialOf[x] === cls));
    if (v < 0) throw new Error(`counter decode: no input left for process ${i}`);
    pool[v] = (pool[v] as number) - 1;
    inputs[i] = v;
    cur[i] = enc.initialOf[v] as number;
  };
  for (const l of enc.leaders) take(l.id, l.until > 0 ? leaderAt(l, 0) : null);
  for (const i of all) if (!leaderIds.has(i)) take(i, null);
  const classOf = (g: number, s: LocalState): number => (enc.canon[g] as number[])[enc.space.indexOf(s)] as number;
  const initial = all.map((i) => initialOf(enc, inputs[i] as number));
  for (const i of all) if (classOf(0, initial[i] as LocalState) !== cur[i]) throw new Error(`internal error: counter decode: process ${i} starts outside its class`);
  let real: (LocalState | null)[] = initial;

  // ---- rounds ----
  const rounds: DecodedRun['rounds'] = [];
  for (let g = 1; g <= enc.instance.rounds; g++) {
    const flows = enc.flows[g] as Flow[];
    const xs = fp.x[g] as Map<number, string>;
    const cap = { correct: flows.map((fl) => int(fl.x)), faulty: flows.map((fl) => int(xs.get(fl.id) as string)) };
    const up = all.filter((i) => real[i] !== null);
    // who crashes in this round: z[g][s] of the alive faulty processes in class s, a crashing tracked leader first
    const zLeft = new Map([...(fp.crash[g] ?? new Map<number, string>())].map(([s, name]) => [s, int(name)]));
    const crashing = new Set<number>();
    for (const l of enc.leaders) {
      if (!isF(l.id) || g > l.until || !alive(l, g - 1) || alive(l, g)) continue;
      zLeft.set(cur[l.id] as number, (zLeft.get(cur[l.id] as number) ?? 0) - 1);
      crashing.add(l.id);
    }
    for (const i of up.filter((x) => isF(x) && !leaderIds.has(x))) {
      const k = zLeft.get(cur[i] as number) ?? 0;
      if (k > 0) {
        zLeft.set(cur[i] as number, k - 1);
        crashing.add(i);
      }
    }
    const untracked = (i: number): boolean => enc.leaders.some((l) => l.id === i && g > l.until);
    for (const i of up.filter((x) => isF(x) && untracked(x))) {
      const k = zLeft.get(cur[i] as number) ?? 0;
      if (k > 0) {
        zLeft.set(cur[i] as number, k - 1);
        crashing.add(i);
      }
    }
    if ([...zLeft.values()].some((k) => k !== 0)) throw new Error(`counter decode: crash counts of round ${g} do not fit`);
    const stepping = up.filter((i) => !crashing.has(i));
    const chosen = new Map<number, Flow>();
    const tracked = new Map(enc.leaders.filter((l) => g < l.until && stepping.includes(l.id)).map((l) => [l.id, leaderAt(l, g)]));
    for (const i of [...stepping.filter((x) => tracked.has(x)), ...stepping.filter((x) => !tracked.has(x))]) {
      const c = isF(i) ? cap.faulty : cap.correct;
      const d = tracked.get(i);
      const fl = flows.find((x) => x.src === cur[i] && (d === undefined || x.dst === d) && (c[x.id] as number) > 0);
      if (fl === undefined) throw new Error(`counter decode: no flow for process ${i} in round ${g}`);
      c[fl.id] = (c[fl.id] as number) - 1;
      chosen.set(i, fl);
    }
    const droppable = (i: number): boolean => (fp.kind === 'omission' ? isF(i) : crashing.has(i));
    const sent: Broadcast[] = up.flatMap((i) => correctSends(p, n, t, g, i, real[i] as LocalState));
    const common = new Map<string, number>();
    for (const b of sent) if (!droppable(b.from)) bump(common, b.message, b.payload);
    const cleanName = fp.clean.get(g);
    const clean = cleanName !== undefined && model.get(cleanName) === true;
    const pos = position(p, g);
    const states: (LocalState | null)[] = new Array<LocalState | null>(n).fill(null);
    const fired: (number | null)[] = new Array<number | null>(n).fill(null);
    const withheld: Withheld[] = [];
    for (const i of stepping) {
      const fl = chosen.get(i) as Flow;
      const inbox = new Map(common);
      const groups = new Map<string, Broadcast[]>();
      for (const b of sent) {
        if (!droppable(b.from)) continue;
        const key = JSON.stringify([b.message, b.payload]);
        groups.set(key, [...(groups.get(key) ?? []), b]);
      }
      for (const group of groups.values()) {
        const { message, payload } = group[0] as Broadcast;
        const term = fl.witness.get(message)?.get(payload);
        const k = clean || term === undefined ? group.length : T.evalI(term, (x) => model.get(x));
        if (k < 0 || k > group.length) throw new Error(`counter decode: witness ${k} of ${message} outside 0..${group.length} in round ${g}`);
        group.forEach((b, j) => {
          if (j < k) bump(inbox, b.message, b.payload as Val);
          else withheld.push({ from: b.from, to: i, message: b.message });
        });
      }
      const rule = fl.rule === null ? null : (p.rounds[pos.index]?.rules[fl.rule] ?? null);
      const st = rule === null ? (real[i] as LocalState) : applyActions(p, pos, n, t, rule, real[i] as LocalState, inbox);
      if (classOf(g, st) !== fl.dst) {
        throw new Error(`internal error: counter decode: process ${i} in round ${g} takes rule ${String(fl.rule)} to ${JSON.stringify(st)}, outside the model's class ${JSON.stringify(enc.space.state(fl.dst))}`);
      }
      states[i] = st;
      fired[i] = fl.rule;
      cur[i] = fl.dst;
    }
    withheld.sort((a, b) => a.from - b.from || a.to - b.to || p.messages.findIndex((d) => d.name === a.message) - p.messages.findIndex((d) => d.name === b.message));
    real = states;
    rounds.push({ states, fired, byzantine: [], crashed: [...crashing].sort((a, b) => a - b), withheld });
  }
  return { n, t, byzantine: [], inputs, initial, faults: { kind: fp.kind, faulty }, rounds };
}
