// What all Byzantine senders together can make one correct receiver get in
// one round. A receiver's update only depends on its counts, so per message
// type only the multiset of Byzantine payloads matters, not who sent which:
// per non-leader type, a count per payload with sum <= f (each sender sends
// at most one message of the type, or nothing); per leader type, at most one
// message and only when the phase's leader is Byzantine.

import type { Protocol } from '../ir/types';
import type { ByzantineMessage, Val } from '../trace/model';
import { payloadDomain, roundMessages } from './step';

export interface ChoicePart {
  message: string;
  leader: boolean;
  /** payload -> number of Byzantine senders sending it (only non-zero entries). */
  counts: [Val, number][];
}

/** One receiver's Byzantine inflow for one round. */
export type ReceiverChoice = ChoicePart[];

/**
 * Every distinct inflow for one receiver: the product over the round's
 * message types of the count vectors over the type's payload domain D with
 * sum <= f (C(f + |D|, |D|) of them; leader types: |D| + 1 if the leader is
 * Byzantine, else 1).
 */
export function receiverChoices(protocol: Protocol, index: number, f: number, leaderByzantine: boolean): ReceiverChoice[] {
  let product: ReceiverChoice[] = [[]];
  for (const decl of roundMessages(protocol, index)) {
    const bound = decl.leader ? (leaderByzantine ? 1 : 0) : f;
    const vectors = countVectors(payloadDomain(protocol, decl.payload), bound);
    const next: ReceiverChoice[] = [];
    for (const prefix of product) {
      for (const counts of vectors) next.push([...prefix, { message: decl.name, leader: decl.leader, counts }]);
    }
    product = next;
  }
  return product;
}

/** All ways to give payloads of `domain` counts with total <= bound (zero entries omitted). */
function countVectors(domain: readonly Val[], bound: number): [Val, number][][] {
  const out: [Val, number][][] = [];
  const walk = (k: number, left: number, acc: [Val, number][]): void => {
    if (k === domain.length) {
      out.push(acc);
      return;
    }
    for (let c = 0; c <= left; c++) walk(k + 1, left - c, c === 0 ? acc : [...acc, [domain[k]!, c]]);
  };
  walk(0, bound, []);
  return out;
}

/**
 * Concrete messages realising a choice for receiver `to`: the Byzantine
 * senders (ascending) take the payloads in order; a leader type is sent by
 * the leader.
 */
export function materializeChoice(choice: ReceiverChoice, byzantine: readonly number[], leader: number, to: number): ByzantineMessage[] {
  const out: ByzantineMessage[] = [];
  for (const part of choice) {
    let sender = 0;
    for (const [payload, count] of part.counts) {
      for (let c = 0; c < count; c++) {
        const from = part.leader ? leader : byzantine[sender++];
        if (from === undefined) throw new Error('materializeChoice: more messages than Byzantine senders');
        out.push({ from, to, message: part.message, payload });
      }
    }
  }
  return out;
}
