// Generic helpers shared by both encodings (no guard semantics here): the
// finite domains of variables and payloads, the product of local states, and
// where a global round sits in the phase structure.

import { typeDomain } from '../ir/domain';
import { DECIDED, type MessageDecl, type Protocol } from '../ir/types';
import type { LocalState, Val } from '../trace/model';

/** Every value of a finite type (shared with the simulator, so both engines enumerate alike). */
export const domainOf = typeDomain;

export interface VarInfo {
  name: string;
  domain: Val[];
}

/** The local-state variables, declared ones then `decided`. */
export function stateVars(p: Protocol): VarInfo[] {
  const vars = p.vars.map((v) => ({ name: v.name, domain: domainOf(p.values, v.type) }));
  vars.push({ name: DECIDED, domain: domainOf(p.values, { kind: 'optvalue' }) });
  return vars;
}

/** The product of all variable domains, indexed; independent of n. */
export class StateSpace {
  readonly vars: VarInfo[];
  readonly states: LocalState[] = [];
  private readonly index = new Map<string, number>();

  constructor(p: Protocol) {
    this.vars = stateVars(p);
    const rec = (i: number, acc: LocalState): void => {
      const v = this.vars[i];
      if (v === undefined) {
        this.index.set(this.key(acc), this.states.length);
        this.states.push({ ...acc });
        return;
      }
      for (const x of v.domain) rec(i + 1, { ...acc, [v.name]: x });
    };
    rec(0, {});
  }

  key(s: LocalState): string {
    return this.vars.map((v) => JSON.stringify(s[v.name])).join(',');
  }

  indexOf(s: LocalState): number {
    const i = this.index.get(this.key(s));
    if (i === undefined) throw new Error(`state ${JSON.stringify(s)} is outside the state space`);
    return i;
  }

  state(i: number): LocalState {
    const s = this.states[i];
    if (s === undefined) throw new Error(`no state ${i}`);
    return s;
  }
}

export interface Position {
  round: number; // global, from 1
  phase: number; // from 1
  index: number; // into protocol.rounds
}

export function position(p: Protocol, round: number): Position {
  const k = p.rounds.length;
  return { round, phase: Math.floor((round - 1) / k) + 1, index: (round - 1) % k };
}

/** The message types sent in a round (each at most once), with declarations. */
export function roundTypes(p: Protocol, index: number): MessageDecl[] {
  const r = p.rounds[index];
  if (r === undefined) throw new Error(`no round ${index}`);
  return r.sends.map((s) => {
    const d = p.messages.find((m) => m.name === s.message);
    if (d === undefined) throw new Error(`unknown message ${s.message}`);
    return d;
  });
}

/** A symbol-safe rendering of a payload for variable names. */
export function valTag(v: Val): string {
  return v === null ? 'N' : v === true ? 'T' : v === false ? 'F' : String(v);
}
