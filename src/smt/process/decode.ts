// Process model -> per-process run: read the faulty set, inputs, every state
// variable, fired rules, the Byzantine messages to correct receivers, crash
// rounds and withheld messages. Everything is read off the model (never
// recomputed with the simulator, docs/semantics.md section 4.2).

import { DECIDED } from '../../ir/types';
import type { ByzantineMessage, LocalState, Val, Withheld } from '../../trace/model';
import type { SmtModel } from '../z3';
import type { DecodedRun } from '../trace-build';
import * as T from '../term';
import { domainOf, position, roundTypes } from '../space';
import { NONE_CODE, type PVal } from './expr';
import type { ProcessEncoding } from './encode';

/**
 * A decoded run. Crash and omission faults add `faults` and, per round, who
 * crashes and the messages kept from a receiver (the shape the shared trace
 * builder reads); `sent` is every broadcast as the model has it. Hybrid
 * faults: `byzantine` are the Byzantine processes and `hybrid` holds o and the
 * omission-faulty ones (`faults` stays absent: the shared builder knows no
 * hybrid runs, ./trace.ts assembles their traces).
 */
export interface ProcessRun extends DecodedRun {
  faults?: { kind: 'crash' | 'omission'; faulty: number[] };
  hybrid?: { o: number; omission: number[] };
  rounds: (DecodedRun['rounds'][number] & { crashed?: number[]; withheld?: Withheld[] })[];
  /** per round 1..R (index g-1): every broadcast read off the model (crash-faulty senders in their crash round included) */
  sent: { from: number; message: string; payload: Val }[][];
}

export function decodeProcess(enc: ProcessEncoding, model: SmtModel): ProcessRun {
  const p = enc.protocol;
  const { n, t } = enc.instance;
  const fl = enc.faults;
  const val = (name: string): number | boolean | undefined => model.get(name);
  const holds = (b: T.BTerm): boolean => T.evalB(b, val);
  const int = (name: string): number => {
    const v = model.get(name);
    return typeof v === 'number' ? v : 0;
  };
  const isFaulty = fl.faultyT.map(holds);
  const faultyIds = isFaulty.flatMap((b, i) => (b ? [i] : []));
  const isByzantine = fl.byzantineT.map(holds);
  const byzantineIds = isByzantine.flatMap((b, i) => (b ? [i] : []));
  const byzantineKind = fl.kind === 'byzantine';
  const byzantineSenders = byzantineKind || fl.kind === 'hybrid';
  const vars = [...p.vars.map((v) => ({ name: v.name, type: v.type })), { name: DECIDED, type: { kind: 'optvalue' as const } }];
  const stateAt = (g: number, i: number): LocalState | null => {
    if (!holds(fl.follows(g, i))) return null;
    const s: LocalState = {};
    vars.forEach((v, k) => {
      const name = enc.stateVar(g, i, k);
      if (v.type.kind === 'bool') s[v.name] = model.get(name) === true;
      else {
        const c = int(name);
        s[v.name] = c === NONE_CODE ? null : c;
      }
    });
    return s;
  };
  const ids = Array.from({ length: n }, (_, i) => i);
  const inputs = ids.map((i) => (isByzantine[i] ? null : int(`inp${i}`)));
  const initial = ids.map((i) => stateAt(0, i));
  const rounds: ProcessRun['rounds'] = [];
  const sent: ProcessRun['sent'] = [];
  for (let g = 1; g <= enc.instance.rounds; g++) {
    const pos = position(p, g);
    const leader = (pos.phase - 1) % n;
    const types = roundTypes(p, pos.index);
    const byzMsgs: ByzantineMessage[] = [];
    if (byzantineSenders) {
      for (const to of ids) {
        if (isByzantine[to]) continue;
        for (const decl of types) {
          const mi = p.messages.indexOf(decl);
          const dom = domainOf(p.values, decl.payload);
          for (const from of byzantineIds) {
            if (decl.leader && from !== leader) continue;
            const k = int(enc.byzVar(g, to, from, mi));
            if (k >= 0) byzMsgs.push({ from, to, message: decl.name, payload: dom[k] as Val });
          }
        }
      }
    }
    const sends = enc.sends[g - 1] ?? [];
    const round: ProcessRun['sent'][number] = [];
    const kept: Withheld[] = [];
    for (const from of ids) {
      for (const [k, s] of (sends[from] ?? []).entries()) {
        if (!holds(s.on)) continue;
        round.push({ from, message: s.message, payload: s.payload === null ? null : payloadOf(s.payload, val) });
        // a message withheld from a receiver that takes no step this round is not recorded: it changes nothing
        if (!fl.mayDrop(from)) continue;
        for (const to of ids) if (holds(fl.follows(g, to)) && model.get(enc.deliveredVar(g, from, to, k)) !== true) kept.push({ from, to, message: s.message });
      }
    }
    sent.push(round);
    const fired = ids.map((i) => {
      if (!holds(fl.follows(g, i))) return null;
      const r = int(enc.firedVar(g, i));
      return r < 0 ? null : r;
    });
    const rec: ProcessRun['rounds'][number] = { states: ids.map((i) => stateAt(g, i)), fired, byzantine: byzMsgs };
    if (fl.kind === 'crash') rec.crashed = faultyIds.filter((i) => T.evalI(fl.crashRound(i), val) === g);
    if (fl.kind !== 'byzantine') rec.withheld = kept;
    rounds.push(rec);
  }
  const run: ProcessRun = { n, t, byzantine: byzantineIds, inputs, initial, rounds, sent };
  if (fl.kind === 'hybrid') run.hybrid = { o: enc.instance.o ?? 0, omission: faultyIds.filter((i) => !isByzantine[i]) };
  else if (fl.kind !== 'byzantine') run.faults = { kind: fl.kind, faulty: faultyIds };
  return run;
}

function payloadOf(v: PVal, val: T.Valuation): Val {
  if (v.kind === 'bool') return T.evalB(v.t, val);
  const c = T.evalI(v.t, val);
  return c === NONE_CODE ? null : c;
}
