// Assembling a Trace from what a decoder read off a model: per round, each
// correct process's state, fired rule and the Byzantine messages it got.
// Correct broadcasts are recomputed from the states (sends depend only on the
// sender's state), and the queried violation is located in the run. Nothing
// here is trusted: the result is replayed in the simulator by the caller.

import { protocolHash } from '../ir/hash';
import { DECIDED, isBuiltinProperty, type Property, type PropertyName, type Protocol, unreachable } from '../ir/types';
import { roundName } from '../sim/step';
import { userViolation } from '../sim/user-properties';
import type { Broadcast, ByzantineMessage, LocalState, RoundRecord, Trace, Val, Violation, Withheld } from '../trace/model';
import { position, roundTypes } from './space';
import * as T from './term';
import { boolOf, cEval, toCases } from './counter/expr';

export interface DecodedRun {
  n: number;
  t: number;
  byzantine: number[];
  inputs: (number | null)[];
  initial: (LocalState | null)[];
  /** crash and omission faults (absent: Byzantine): the kind and the faulty processes, sorted (they have inputs and states) */
  faults?: { kind: 'crash' | 'omission'; faulty: number[] };
  /** per round 1..R (array index g-1); crashed and withheld: crash and omission faults only (docs/semantics.md section 1.7) */
  rounds: { states: (LocalState | null)[]; fired: (number | null)[]; byzantine: ByzantineMessage[]; crashed?: number[]; withheld?: Withheld[] }[];
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
  const faulty = new Set(run.faults?.faulty ?? []);
  const correct = run.inputs.map((x, i) => (x === null || faulty.has(i) ? -1 : i)).filter((i) => i >= 0);
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

/** The first violation of a built-in property, or of the user property `property` (by the simulator's one evaluator). */
export function locateViolation(p: Protocol, run: DecodedRun, property: PropertyName): Violation | null {
  if (isBuiltinProperty(property)) return findViolation(run, property);
  const prop = p.userProperties.find((u) => u.name === property);
  if (prop === undefined) throw new Error(`no property ${property}`);
  return userViolation(p, prop, {
    n: run.n,
    t: run.t,
    faults: run.faults?.kind ?? 'byzantine',
    faulty: run.faults?.faulty ?? run.byzantine,
    roundsPerPhase: p.rounds.length,
    states: [run.initial, ...run.rounds.map((r) => r.states)],
    inputs: run.inputs,
  });
}

export function buildTrace(p: Protocol, run: DecodedRun, property: PropertyName): Trace {
  const byz = new Set(run.byzantine);
  const rounds = run.rounds.map((r, k): RoundRecord => {
    const g = k + 1;
    const pos = position(p, g);
    const before = k === 0 ? run.initial : (run.rounds[k - 1] as DecodedRun['rounds'][number]).states;
    const sent: Broadcast[] = [];
    for (let i = 0; i < run.n; i++) {
      const st = before[i] ?? null;
      if (byz.has(i) || st === null) continue; // Byzantine, or crashed in an earlier round
      sent.push(...correctSends(p, run.n, run.t, g, i, st));
    }
    const rec: RoundRecord = {
      round: g,
      phase: pos.phase,
      name: roundName(p, pos.index),
      leader: (pos.phase - 1) % run.n,
      sent,
      byzantine: r.byzantine,
      fired: r.fired,
      states: r.states,
    };
    if (run.faults?.kind === 'crash') rec.crashed = r.crashed ?? [];
    if (run.faults !== undefined) rec.withheld = r.withheld ?? [];
    return rec;
  });
  const v = locateViolation(p, run, property);
  return {
    protocol: { name: p.name, hash: protocolHash(p) },
    n: run.n,
    t: run.t,
    byzantine: [...run.byzantine].sort((a, b) => a - b),
    ...(run.faults === undefined ? {} : { faults: run.faults.kind, faulty: [...run.faults.faulty].sort((a, b) => a - b) }),
    inputs: run.inputs,
    initial: run.initial,
    rounds,
    violations: v === null ? [] : [v],
  };
}
