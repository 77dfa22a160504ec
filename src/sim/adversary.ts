// Adversary strategies for the simulator. An adversary is omniscient
// (docs/semantics.md section 1.6): it sees every state and what the correct processes
// send this round before it picks the Byzantine messages.

import type { Protocol } from '../ir/types';
import type { Broadcast, ByzantineMessage, LocalState, Trace, Val } from '../trace/model';
import { randomFaults, splitFaults } from './adversary-faults';
import { followersOf, type Instance } from './instance';
import { mulberry32 } from './prng';
import { NO_FAULTS, payloadDomain, roundMessages, type FaultDecision, type RoundPosition } from './step';

export interface RoundView {
  protocol: Protocol;
  instance: Instance;
  position: RoundPosition;
  /** states before the round; null for Byzantine processes. */
  states: readonly (LocalState | null)[];
  /** what the correct processes broadcast this round (crash and omission faults: the faulty ones that have not crashed too). */
  sent: readonly Broadcast[];
  /**
   * True when the protocol assumes a clean round within R, no round so far
   * was clean and this is round R: the adversary must not crash anybody or
   * withhold anything now (docs/semantics.md section 1.8).
   */
  mustBeClean?: boolean;
}

export interface Adversary {
  readonly name: string;
  /**
   * The Byzantine messages of one round. They must respect the binding
   * semantics (see checkByzantine in step.ts); the simulator rejects others.
   */
  byzantineMessages(view: RoundView): ByzantineMessage[];
  /**
   * Crash and omission faults: who crashes this round and which messages are
   * withheld (see checkFaults in step.ts). Absent: nobody crashes, nothing is
   * withheld (the faulty processes behave correctly). Not asked for
   * Byzantine protocols; asked for hybrid ones (withholdings of the
   * omission-faulty senders, beside byzantineMessages).
   */
  faults?(view: RoundView): FaultDecision;
}

/** The message types a given Byzantine sender may send this round (leader types only as the leader). */
function typesFor(view: RoundView, from: number) {
  return roundMessages(view.protocol, view.position.index).filter((d) => !d.leader || from === view.position.leader);
}

/** Byzantine processes send nothing; crash- and omission-faulty ones behave correctly. */
export function silent(): Adversary {
  return { name: 'silent', byzantineMessages: () => [] };
}

/** No fault ever shows: Byzantine processes send nothing, crash- and omission-faulty ones behave correctly. */
export function none(): Adversary {
  return { name: 'none', byzantineMessages: () => [] };
}

/**
 * Each Byzantine sender, per correct receiver, per message type of the round
 * it may send, independently sends nothing or one payload, uniformly among
 * those |domain| + 1 choices. Stateful: the seeded PRNG advances across
 * rounds, so use a fresh adversary per run for reproducibility.
 */
export function random(seed: number): Adversary {
  const prng = mulberry32(seed);
  return {
    name: `random(${seed})`,
    byzantineMessages(view) {
      const out: ByzantineMessage[] = [];
      for (const from of view.instance.byzantine) {
        const types = typesFor(view, from);
        // every process that runs the protocol: the correct ones and, in a hybrid run, the omission-faulty ones
        for (const to of followersOf(view.instance)) {
          for (const decl of types) {
            const domain = payloadDomain(view.protocol, decl.payload);
            const pick = prng.below(domain.length + 1);
            if (pick < domain.length) out.push({ from, to, message: decl.name, payload: domain[pick]! });
          }
        }
      }
      return out;
    },
    faults: (view) => randomFaults(view, prng),
  };
}

/**
 * Equivocation: the correct processes are split in two halves by id (the
 * first ceil(k/2) and the rest). Every Byzantine sender, for every message
 * type it may send this round (leader types only as the leader), sends the
 * smallest payload to the first half and the largest to the second half:
 * value 0 and the largest value (also for `value?`: none is never sent),
 * false and true for bools. A message without payload goes to the first
 * half only. `swap` exchanges the halves' roles.
 */
export function split(options: { swap?: boolean } = {}): Adversary {
  const swap = options.swap === true;
  return {
    name: swap ? 'split(swap)' : 'split',
    byzantineMessages(view) {
      // the receivers that run the protocol (hybrid: omission-faulty ones too)
      const correct = followersOf(view.instance);
      const half = Math.ceil(correct.length / 2);
      const out: ByzantineMessage[] = [];
      for (const from of view.instance.byzantine) {
        for (const decl of typesFor(view, from)) {
          const domain = payloadDomain(view.protocol, decl.payload).filter((p) => p !== null || decl.payload === null);
          const low: Val | undefined = domain[0];
          const high: Val | undefined = decl.payload === null ? undefined : domain[domain.length - 1];
          correct.forEach((to, k) => {
            const first = k < half !== swap;
            const payload = first ? low : high;
            if (payload !== undefined) out.push({ from, to, message: decl.name, payload });
          });
        }
      }
      return out;
    },
    faults: (view) => splitFaults(view, swap),
  };
}

/**
 * Sends exactly the given Byzantine messages, per round (index 0 = round 1),
 * and makes exactly the given crash and omission choices; nothing beyond.
 */
export function scripted(name: string, rounds: readonly (readonly ByzantineMessage[])[], faults: readonly FaultDecision[] = []): Adversary {
  return {
    name,
    byzantineMessages: (view) => (rounds[view.position.round - 1] ?? []).map((m) => ({ ...m })),
    faults: (view) => {
      const d = faults[view.position.round - 1] ?? NO_FAULTS;
      return { crashed: [...d.crashed], withheld: d.withheld.map((w) => ({ ...w })) };
    },
  };
}

/** Sends exactly the Byzantine messages, and makes exactly the crashes and omissions, recorded in a trace. */
export function replay(trace: Trace): Adversary {
  return scripted(
    'replay',
    trace.rounds.map((r) => r.byzantine),
    trace.rounds.map((r) => ({ crashed: r.crashed ?? [], withheld: r.withheld ?? [] })),
  );
}
