// The trace model: one concrete run of a protocol instance, per process.
// Produced by the simulator and by decoding SMT models; replayed by the
// simulator; exported as ITF, JSON, text and HTML. Plain data (JSON-safe).

// Values, local states and properties belong to the IR (src/ir/types.ts); a trace is made of them.
import type { FaultKind, LocalState, Property, Val } from '../ir/types';
export type { FaultKind, LocalState, Property, Val };

/** A message a correct process broadcast this round (to every process, itself included). */
export interface Broadcast {
  from: number;
  message: string;
  payload: Val; // null when the message type has no payload
}

/** One message a Byzantine process sent to one receiver this round. */
export interface ByzantineMessage {
  from: number;
  to: number;
  message: string;
  payload: Val;
}

/**
 * A message that a crash- or omission-faulty process sent this round and the
 * adversary kept from one receiver (docs/semantics.md section 1.7). The
 * message itself is in `sent`; every receiver not listed here got it.
 */
export interface Withheld {
  from: number;
  to: number;
  message: string;
}

export interface RoundRecord {
  round: number; // global round number, from 1
  phase: number; // from 1
  name: string; // the round's name in the protocol
  leader: number; // the phase's leader (process id)
  sent: Broadcast[];
  byzantine: ByzantineMessage[];
  /** index of the rule each process fired (null: none fired, or Byzantine). */
  fired: (number | null)[];
  /** states after the round; null for Byzantine processes and for processes that have crashed (in this round or before). */
  states: (LocalState | null)[];
  /** crash faults: the processes that crash in this round (sorted); absent or empty: none. */
  crashed?: number[];
  /** crash and omission faults: messages in `sent` that did not reach a receiver; absent or empty: none. */
  withheld?: Withheld[];
}

export type Violation =
  | { property: 'agreement'; round: number; processes: [number, number]; values: [number, number] }
  | { property: 'validity'; round: number; process: number; value: number; input: number }
  | { property: 'termination'; round: number; processes: number[] }
  /** a property the protocol file writes itself (`property NAME: ...`), false at boundary `round`; `processes`: witnesses, possibly none. */
  | { property: 'user'; name: string; round: number; processes: number[] };

/** A violation of a built-in property (agreement, validity, termination). */
export type BuiltinViolation = Exclude<Violation, { property: 'user' }>;

export function isBuiltinViolation(v: Violation): v is BuiltinViolation {
  return v.property !== 'user';
}

/** The name a violation is reported under: the built-in property, or the user property's own name. */
export function violationName(v: Violation): string {
  return v.property === 'user' ? v.name : v.property;
}

export interface Trace {
  protocol: { name: string; hash: string };
  n: number;
  t: number;
  byzantine: number[]; // sorted process ids
  /** hybrid faults only: the omission bound o. */
  o?: number;
  /** the fault model of the run; absent: byzantine (traces written before crash and omission faults existed). */
  faults?: FaultKind | 'hybrid';
  /**
   * crash and omission faults: the faulty process ids, sorted (they have inputs and states); absent: none.
   * hybrid faults: the omission-faulty ones (the Byzantine ones are in `byzantine`).
   */
  faulty?: number[];
  /** inputs per process; null for Byzantine processes. */
  inputs: (number | null)[];
  initial: (LocalState | null)[];
  rounds: RoundRecord[];
  /** the violations this run exhibits (empty: none within its rounds). */
  violations: Violation[];
}
