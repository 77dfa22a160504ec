// Brute-force ground truth for explore() under crash and omission faults:
// every faulty set of every size 0..min(bound, n), every input vector, and
// per round every crash set and every (sender, receiver, message type)
// delivered or withheld, sender by sender, with no symmetry and no counting
// argument. Runs are judged whole, by the simulator's property code
// (runViolations, userViolation), and runs that break the clean-round
// assumption are dropped. Exponential; n = 3 and two rounds at most.

import type { LocalState, Protocol } from '../../src/ir/types';
import { violationName, type Broadcast, type Withheld } from '../../src/trace/model';
import { faultBound, instanceOrThrow, type Instance } from '../../src/sim/instance';
import { runViolations } from '../../src/sim/properties';
import { cleanRoundWithin, initialStates } from '../../src/sim/simulate';
import { faultyRound, roundPosition, stepRound, type FaultDecision } from '../../src/sim/step';

function subsetsOf<T>(xs: readonly T[]): T[][] {
  return xs.reduce<T[][]>((acc, x) => acc.flatMap((s) => [s, [...s, x]]), [[]]);
}

/** Every fault decision of one round: crash sets and, per (message of a partial sender, receiver), delivered or not. */
function decisions(instance: Instance, states: readonly (LocalState | null)[], sent: readonly Broadcast[]): FaultDecision[] {
  const faulty = instance.faulty ?? [];
  const alive = (i: number): boolean => (states[i] ?? null) !== null;
  const crashSets = instance.kind === 'crash' ? subsetsOf(faulty.filter(alive)) : [[]];
  const out: FaultDecision[] = [];
  for (const crashed of crashSets) {
    const partial = instance.kind === 'crash' ? crashed : faulty;
    const receivers = Array.from({ length: instance.n }, (_, i) => i).filter((i) => alive(i) && !crashed.includes(i));
    const slots: Withheld[] = sent.filter((b) => partial.includes(b.from)).flatMap((b) => receivers.map((to) => ({ from: b.from, to, message: b.message })));
    for (const withheld of subsetsOf(slots)) out.push({ crashed, withheld });
  }
  return out;
}

/** The names of the properties some run violates. */
export function bruteForceFaults(protocol: Protocol, n: number, t: number, rounds: number): Set<string> {
  const found = new Set<string>();
  const p = protocol.properties;
  const names = [...(p.agreement ? ['agreement'] : []), ...(p.validity ? ['validity'] : []), ...(p.termination !== null ? ['termination'] : []), ...protocol.userProperties.map((u) => u.name)];
  const all = (): boolean => names.every((name) => found.has(name));
  const within = cleanRoundWithin(protocol, n, t);
  const people = Array.from({ length: n }, (_, i) => i);
  for (const faulty of subsetsOf(people).filter((s) => s.length <= faultBound(protocol, n, t))) {
    for (let code = 0; code < protocol.values ** n; code++) {
      const inputs = people.map((i) => Math.floor(code / protocol.values ** i) % protocol.values);
      const instance = instanceOrThrow(protocol, { n, t, faulty, inputs });
      const walk = (r: number, after: (LocalState | null)[][], clean: boolean): void => {
        if (all()) return;
        const states = after.length === 0 ? initialStates(protocol, instance) : after[after.length - 1]!;
        if (r > rounds) {
          for (const v of runViolations(protocol, instance, initialStates(protocol, instance), after)) found.add(violationName(v));
          return;
        }
        const pos = roundPosition(protocol, n, r);
        const sent = stepRound(protocol, instance, pos, states, []).sent;
        for (const d of decisions(instance, states, sent)) {
          const nowClean = clean || !faultyRound(d);
          if (within !== null && r === within && !nowClean) continue;
          walk(r + 1, [...after, stepRound(protocol, instance, pos, states, [], d).states], nowClean);
        }
      };
      walk(1, [], false);
    }
  }
  return found;
}
