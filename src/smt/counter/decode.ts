// Counter model -> per-process run. Byzantine set: the Byzantine leaders the
// model chose, filled up with the highest non-leader ids. Correct tracked
// leaders follow their own paths; every other correct process is placed into
// the remaining capacity of the flows out of its current state. A process in
// flow F receives F's witness: for each (type, payload) count k, k distinct
// Byzantine senders (leader types: the phase's Byzantine leader).

import type { ByzantineMessage, LocalState, Val } from '../../trace/model';
import type { SmtModel } from '../z3';
import type { DecodedRun } from '../trace-build';
import type { CounterEncoding } from './encode';
import type { Flow } from './flows';

export function decodeCounter(enc: CounterEncoding, model: SmtModel): DecodedRun {
  const { n, t, f } = enc.instance;
  const p = enc.protocol;
  const int = (name: string): number => {
    const v = model.get(name);
    return typeof v === 'number' ? v : 0;
  };
  const byzLeader = (id: number): boolean => model.get(`byzL${id}`) === true;
  const leaderIds = new Set(enc.leaders.map((l) => l.id));
  const byzantine = enc.leaders.filter((l) => byzLeader(l.id)).map((l) => l.id);
  for (let i = n - 1; i >= 0 && byzantine.length < f; i--) if (!leaderIds.has(i)) byzantine.push(i);
  if (byzantine.length !== f) throw new Error('counter decode: cannot place the Byzantine processes');
  byzantine.sort((a, b) => a - b);
  const isByz = (i: number): boolean => byzantine.includes(i);
  const correct = Array.from({ length: n }, (_, i) => i).filter((i) => !isByz(i));
  const tracked = enc.leaders.filter((l) => !byzLeader(l.id) && l.ls.length > 0);

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
  for (const l of tracked) takeInput(l.id, int(l.ls[0] as string));
  for (const i of correct) if (inputs[i] === null) takeInput(i, null);
  const stateOf = (s: number): LocalState => ({ ...enc.space.state(s) });
  const initial = Array.from({ length: n }, (_, i) => (isByz(i) ? null : stateOf(cur[i] as number)));

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
    for (const l of tracked) {
      if (l.ls.length > g) take(l.id, flows[int(l.lf[g] as string)] as Flow);
    }
    for (const i of correct) {
      if (chosen[i] !== null) continue;
      const fl = flows.find((x) => x.src === cur[i] && (cap[x.id] as number) > 0);
      if (fl === undefined) throw new Error(`counter decode: no flow for process ${i} in round ${g}`);
      take(i, fl);
    }
    const leader = (Math.floor((g - 1) / p.rounds.length)) % n;
    const byzMsgs: ByzantineMessage[] = [];
    const states: (LocalState | null)[] = new Array<LocalState | null>(n).fill(null);
    const fired: (number | null)[] = new Array<number | null>(n).fill(null);
    for (const i of correct) {
      const fl = chosen[i] as Flow;
      for (const [m, per] of fl.witness) {
        const decl = p.messages.find((d) => d.name === m);
        let next = 0;
        for (const [payload, name] of per) {
          for (let k = int(name); k > 0; k--) {
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
      states[i] = stateOf(fl.dst);
      fired[i] = fl.rule;
      cur[i] = fl.dst;
    }
    rounds.push({ states, fired, byzantine: byzMsgs });
  }
  return { n, t, byzantine, inputs, initial, rounds };
}
