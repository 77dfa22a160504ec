// Crash and omission choices of the built-in strategies (docs/semantics.md
// section 1.7). Every strategy keeps a required clean round clean
// (view.mustBeClean), so the simulator never has to refuse it.

import type { Withheld } from '../trace/model';
import type { RoundView } from './adversary';
import { faultKindOf, followersOf, isFaulty } from './instance';
import type { Prng } from './prng';
import { NO_FAULTS, type FaultDecision } from './step';

/** Alive faulty processes that follow the protocol (crash- and omission-faulty; never the Byzantine ones of a hybrid run), ascending. */
function aliveFaulty(view: RoundView): number[] {
  return followersOf(view.instance).filter((i) => isFaulty(view.instance, i) && (view.states[i] ?? null) !== null);
}

/** Alive followers other than the given processes, ascending: the receivers whose inbox matters. */
function receiversBut(view: RoundView, but: ReadonlySet<number>): number[] {
  return followersOf(view.instance).filter((i) => !but.has(i) && (view.states[i] ?? null) !== null);
}

/**
 * Crash: every alive faulty process crashes with probability 1/4; each
 * message of a crashing process is kept from each other receiver with
 * probability 1/2. Omission: each message of a faulty sender is kept from
 * each receiver with probability 1/3. Hybrid: as omission for the
 * omission-faulty senders (the Byzantine ones send what the adversary's
 * byzantineMessages picks).
 */
export function randomFaults(view: RoundView, prng: Prng): FaultDecision {
  const kind = faultKindOf(view.instance);
  if (kind === 'byzantine' || view.mustBeClean === true) return NO_FAULTS;
  const withheld: Withheld[] = [];
  if (kind === 'omission' || kind === 'hybrid') {
    const faulty = new Set(aliveFaulty(view));
    const receivers = receiversBut(view, new Set());
    for (const b of view.sent) {
      if (!faulty.has(b.from)) continue;
      for (const to of receivers) if (prng.below(3) === 0) withheld.push({ from: b.from, to, message: b.message });
    }
    return { crashed: [], withheld };
  }
  const crashed = aliveFaulty(view).filter(() => prng.below(4) === 0);
  const crashing = new Set(crashed);
  const receivers = receiversBut(view, crashing);
  for (const b of view.sent) {
    if (!crashing.has(b.from)) continue;
    for (const to of receivers) if (prng.below(2) === 0) withheld.push({ from: b.from, to, message: b.message });
  }
  return { crashed, withheld };
}

/**
 * Splitting the receivers in two halves by id (the first ceil(k/2) of the k
 * receivers, and the rest; `swap` exchanges them). Crash: in every round the
 * smallest alive faulty process crashes, and its messages reach only the
 * first half of the other alive processes. Omission: every faulty sender's
 * messages are kept from the second half of the processes, every round
 * (hybrid: every omission-faulty sender's).
 */
export function splitFaults(view: RoundView, swap: boolean): FaultDecision {
  const kind = faultKindOf(view.instance);
  if (kind === 'byzantine' || view.mustBeClean === true) return NO_FAULTS;
  const keptFrom = (receivers: readonly number[]): number[] => {
    const half = Math.ceil(receivers.length / 2);
    return receivers.filter((_, k) => (k < half) === swap);
  };
  const withheld: Withheld[] = [];
  if (kind === 'omission' || kind === 'hybrid') {
    const faulty = new Set(aliveFaulty(view));
    const kept = keptFrom(receiversBut(view, new Set()));
    for (const b of view.sent) if (faulty.has(b.from)) for (const to of kept) withheld.push({ from: b.from, to, message: b.message });
    return { crashed: [], withheld };
  }
  const first = aliveFaulty(view)[0];
  if (first === undefined) return NO_FAULTS;
  const kept = keptFrom(receiversBut(view, new Set([first])));
  for (const b of view.sent) if (b.from === first) for (const to of kept) withheld.push({ from: first, to, message: b.message });
  return { crashed: [first], withheld };
}
