// The trace model: one concrete run of a protocol instance, per process.
// Produced by the simulator and by decoding SMT models; replayed by the
// simulator; exported as ITF, JSON, text and HTML. Plain data (JSON-safe).

// Values, local states and properties belong to the IR (src/ir/types.ts); a trace is made of them.
import type { LocalState, Property, Val } from '../ir/types';
export type { LocalState, Property, Val };

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

export interface RoundRecord {
  round: number; // global round number, from 1
  phase: number; // from 1
  name: string; // the round's name in the protocol
  leader: number; // the phase's leader (process id)
  sent: Broadcast[];
  byzantine: ByzantineMessage[];
  /** index of the rule each process fired (null: none fired, or Byzantine). */
  fired: (number | null)[];
  /** states after the round; null for Byzantine processes. */
  states: (LocalState | null)[];
}

export type Violation =
  | { property: 'agreement'; round: number; processes: [number, number]; values: [number, number] }
  | { property: 'validity'; round: number; process: number; value: number; input: number }
  | { property: 'termination'; round: number; processes: number[] };

export interface Trace {
  protocol: { name: string; hash: string };
  n: number;
  t: number;
  byzantine: number[]; // sorted process ids
  /** inputs per process; null for Byzantine processes. */
  inputs: (number | null)[];
  initial: (LocalState | null)[];
  rounds: RoundRecord[];
  /** the violations this run exhibits (empty: none within its rounds). */
  violations: Violation[];
}
