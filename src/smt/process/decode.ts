// Process model -> per-process run: read the Byzantine set, inputs, every
// state variable, fired rules and the Byzantine messages to correct receivers.

import { DECIDED } from '../../ir/types';
import type { ByzantineMessage, LocalState, Val } from '../../trace/model';
import type { SmtModel } from '../z3';
import type { DecodedRun } from '../trace-build';
import { domainOf, position, roundTypes } from '../space';
import { NONE_CODE } from './expr';
import type { ProcessEncoding } from './encode';

export function decodeProcess(enc: ProcessEncoding, model: SmtModel): DecodedRun {
  const p = enc.protocol;
  const { n, t } = enc.instance;
  const int = (name: string): number => {
    const v = model.get(name);
    return typeof v === 'number' ? v : 0;
  };
  const isByz = enc.byz.map((b) => (typeof b === 'boolean' ? b : model.get(b) === true));
  const byzantine = isByz.flatMap((b, i) => (b ? [i] : []));
  const vars = [...p.vars.map((v) => ({ name: v.name, type: v.type })), { name: DECIDED, type: { kind: 'optvalue' as const } }];
  const stateAt = (g: number, i: number): LocalState | null => {
    if (isByz[i]) return null;
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
  const inputs = ids.map((i) => (isByz[i] ? null : int(`inp${i}`)));
  const initial = ids.map((i) => stateAt(0, i));
  const rounds: DecodedRun['rounds'] = [];
  for (let g = 1; g <= enc.instance.rounds; g++) {
    const pos = position(p, g);
    const leader = (pos.phase - 1) % n;
    const byzMsgs: ByzantineMessage[] = [];
    for (const to of ids) {
      if (isByz[to]) continue;
      for (const decl of roundTypes(p, pos.index)) {
        const mi = p.messages.indexOf(decl);
        const dom = domainOf(p.values, decl.payload);
        for (const from of byzantine) {
          if (decl.leader && from !== leader) continue;
          const k = int(enc.byzVar(g, to, from, mi));
          if (k >= 0) byzMsgs.push({ from, to, message: decl.name, payload: dom[k] as Val });
        }
      }
    }
    const fired = ids.map((i) => {
      if (isByz[i]) return null;
      const r = int(enc.firedVar(g, i));
      return r < 0 ? null : r;
    });
    rounds.push({ states: ids.map((i) => stateAt(g, i)), fired, byzantine: byzMsgs });
  }
  return { n, t, byzantine, inputs, initial, rounds };
}
