// Brute-force ground truth for explore(): every Byzantine set of size f,
// every input vector, and per round every choice of every Byzantine sender
// for every receiver and message type (nothing or any payload), sender by
// sender, with no symmetry or counting argument. Exponential; tiny cases only.

import type { Protocol } from '../../src/ir/types';
import { evalParamInt } from '../../src/ir/eval';
import { DECIDED } from '../../src/ir/types';
import type { ByzantineMessage, LocalState, Property } from '../../src/trace/model';
import { instanceOrThrow, type Instance } from '../../src/sim/instance';
import { initialState, payloadDomain, roundMessages, roundPosition, stepRound } from '../../src/sim/step';

export type Violated = Record<Property, boolean>;

function subsets(n: number, k: number): number[][] {
  if (k === 0) return [[]];
  const out: number[][] = [];
  for (let first = 0; first < n; first++) for (const rest of subsets(n, k - 1)) if (rest.length === 0 || rest[0]! > first) out.push([first, ...rest]);
  return out;
}

function product<T>(lists: T[][]): T[][] {
  return lists.reduce<T[][]>((acc, list) => acc.flatMap((prefix) => list.map((x) => [...prefix, x])), [[]]);
}

export function bruteForce(protocol: Protocol, n: number, t: number, f: number, rounds: number, sets: number[][] = subsets(n, f)): Violated {
  const found: Violated = { agreement: false, validity: false, termination: false };
  const bound = protocol.properties.termination === null ? null : evalParamInt(protocol.properties.termination, n, t);
  const decisions = (inst: Instance, states: (LocalState | null)[]): (number | null)[] => inst.correct.map((i) => states[i]![DECIDED] as number | null);
  const check = (inst: Instance, unanimous: number | null, states: (LocalState | null)[], round: number): void => {
    const ds = decisions(inst, states);
    const decided = ds.filter((d): d is number => d !== null);
    if (protocol.properties.agreement && decided.some((d) => d !== decided[0])) found.agreement = true;
    if (protocol.properties.validity && unanimous !== null && decided.some((d) => d !== unanimous)) found.validity = true;
    if (bound === round && ds.some((d) => d === null)) found.termination = true;
  };
  const claimed = (['agreement', 'validity', 'termination'] as const).filter((p) => (p === 'termination' ? bound !== null : protocol.properties[p]));
  const allFound = (): boolean => claimed.every((p) => found[p]);
  for (const byzantine of sets) {
    const correctCount = n - byzantine.length;
    for (const inputsOfCorrect of product(Array.from({ length: correctCount }, () => Array.from({ length: protocol.values }, (_, x) => x)))) {
      const inputs: (number | null)[] = new Array<number | null>(n).fill(null);
      const inst0 = instanceOrThrow(protocol, { n, t, byzantine, inputs: new Array<number>(n).fill(0) });
      inst0.correct.forEach((i, k) => (inputs[i] = inputsOfCorrect[k]!));
      const inst = instanceOrThrow(protocol, { n, t, byzantine, inputs });
      const unanimous = inputsOfCorrect.every((x) => x === inputsOfCorrect[0]) ? inputsOfCorrect[0]! : null;
      const initial = inputs.map((x) => (x === null ? null : initialState(protocol, n, t, x)));
      check(inst, unanimous, initial, 0);
      const walk = (states: (LocalState | null)[], r: number): void => {
        if (r > rounds || allFound()) return;
        const pos = roundPosition(protocol, n, r);
        // One slot per (sender, receiver, message type) it may send: nothing or a payload.
        const slots: (ByzantineMessage | null)[][] = [];
        for (const from of byzantine) {
          for (const to of inst.correct) {
            for (const decl of roundMessages(protocol, pos.index)) {
              if (decl.leader && from !== pos.leader) continue;
              slots.push([null, ...payloadDomain(protocol, decl.payload).map((payload) => ({ from, to, message: decl.name, payload }))]);
            }
          }
        }
        for (const pick of product(slots)) {
          const msgs = pick.filter((m): m is ByzantineMessage => m !== null);
          const next = stepRound(protocol, inst, pos, states, msgs).states;
          check(inst, unanimous, next, r);
          walk(next, r + 1);
        }
      };
      walk(initial, 1);
    }
  }
  return found;
}
