// Assembling a Trace from what a decoder read off a model: per round, each
// correct process's state, fired rule and the Byzantine messages it got.
// Correct broadcasts are recomputed from the states (sends depend only on the
// sender's state), and the queried violation is located in the run. Nothing
// here is trusted: the result is replayed in the simulator by the caller.

import { protocolHash } from '../ir/hash';
import { DECIDED, type Protocol, unreachable } from '../ir/types';
import { roundName } from '../sim/step';
import type { Broadcast, ByzantineMessage, LocalState, Property, Trace, Val, Violation } from '../trace/model';
import { position, roundTypes } from './space';
import * as T from './term';
import { boolOf, cEval, toCases } from './counter/expr';

export interface DecodedRun {
  n: number;
  t: number;
  byzantine: number[];
  inputs: (number | null)[];
  initial: (LocalState | null)[];
  /** per round 1..R (array index g-1) */
  rounds: { states: (LocalState | null)[]; fired: (number | null)[]; byzantine: ByzantineMessage[] }[];
}

/** What a correct process in `state` broadcasts in round g, by the counter encoding's expression semantics (not the simulator's). */
export function correctSends(p: Protocol, n: number, t: number, g: number, from: number, state: LocalState): Broadcast[] {
  const pos = position(p, g);
  const env = { state, phase: pos.phase, params: { n: T.num(n), t: T.num(t) }, values: p.values, payloads: (): Val[] => [] };
  const out: Broadcast[] = [];
  const types = roundTypes(p, pos.index);
  for (const [k, send] of (p.rounds[pos.index]?.sends ?? []).entries()) {
    if (types[k]?.leader && from !== (pos.phase - 1) % n) continue;
    if (send.when !== null) {
      const w = boolOf(send.when, env);
      if (w.k !== 'bool') throw new Error('send condition is not concrete');
      if (!w.v) continue;
    }
    let payload: Val = null;
    if (send.payload !== null) {
      const cases = toCases(cEval(send.payload, env));
      if (cases.length !== 1) throw new Error('send payload is not concrete');
      payload = (cases[0] as [Val, T.BTerm])[0];
    }
    out.push({ from, message: send.message, payload });
  }
  return out;
}

/** The first violation of `property` in the run (witnesses: smallest ids). */
export function findViolation(run: DecodedRun, property: Property): Violation | null {
  const correct = run.inputs.map((x, i) => (x === null ? -1 : i)).filter((i) => i >= 0);
  const all = [run.initial, ...run.rounds.map((r) => r.states)];
  const dec = (s: (LocalState | null)[], i: number): Val => s[i]?.[DECIDED] ?? null;
  switch (property) {
    case 'agreement':
      for (const [r, s] of all.entries()) {
        for (const i of correct) for (const j of correct) {
          const a = dec(s, i);
          const b = dec(s, j);
          if (typeof a === 'number' && typeof b === 'number' && a !== b && i < j) {
            return { property, round: r, processes: [i, j], values: [a, b] };
          }
        }
      }
      return null;
    case 'validity': {
      const ins = new Set(correct.map((i) => run.inputs[i]));
      if (ins.size !== 1) return null;
      const input = run.inputs[correct[0] as number] as number;
      for (const [r, s] of all.entries()) {
        for (const i of correct) {
          const d = dec(s, i);
          if (typeof d === 'number' && d !== input) return { property, round: r, process: i, value: d, input };
        }
      }
      return null;
    }
    case 'termination': {
      const R = run.rounds.length;
      const last = all[R] as (LocalState | null)[];
      const undecided = correct.filter((i) => dec(last, i) === null);
      return undecided.length > 0 ? { property, round: R, processes: undecided } : null;
    }
    default:
      return unreachable(property);
  }
}

export function buildTrace(p: Protocol, run: DecodedRun, property: Property): Trace {
  const byz = new Set(run.byzantine);
  const rounds = run.rounds.map((r, k) => {
    const g = k + 1;
    const pos = position(p, g);
    const before = k === 0 ? run.initial : (run.rounds[k - 1] as DecodedRun['rounds'][number]).states;
    const sent: Broadcast[] = [];
    for (let i = 0; i < run.n; i++) {
      if (byz.has(i)) continue;
      sent.push(...correctSends(p, run.n, run.t, g, i, before[i] as LocalState));
    }
    return {
      round: g,
      phase: pos.phase,
      name: roundName(p, pos.index),
      leader: (pos.phase - 1) % run.n,
      sent,
      byzantine: r.byzantine,
      fired: r.fired,
      states: r.states,
    };
  });
  const v = findViolation(run, property);
  return {
    protocol: { name: p.name, hash: protocolHash(p) },
    n: run.n,
    t: run.t,
    byzantine: [...run.byzantine].sort((a, b) => a - b),
    inputs: run.inputs,
    initial: run.initial,
    rounds,
    violations: v === null ? [] : [v],
  };
}
