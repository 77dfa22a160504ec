// Protocol texts for the SMT tests (parsed with src/lang), correct and broken.

import { parseProtocol } from '../../src/lang';
import type { Protocol } from '../../src/ir/types';

export const PHASE_KING = `
protocol PhaseKing
values 0..1
resilience n > 4*t

var v : value = input
var strong : bool = false

message VAL(value)
leader message KING(value)

round exchange {
  send VAL(v)
  when 2*count(VAL, 1) > n + 2*t: v := 1; strong := true
  when 2*count(VAL, 0) > n + 2*t: v := 0; strong := true
  otherwise: v := maj(VAL); strong := false
}

round king {
  send KING(v)
  when strong && phase == t + 1: decide v
  when strong: skip
  when count(KING, 1) >= 1 && phase == t + 1: v := 1; decide 1
  when count(KING, 0) >= 1 && phase == t + 1: v := 0; decide 0
  when phase == t + 1: decide v
  when count(KING, 1) >= 1: v := 1
  when count(KING, 0) >= 1: v := 0
}

claims agreement, validity, termination within 2*(t + 1)
`;

/** Phase King with one phase too few: agreement breaks. */
export const PHASE_KING_SHORT = PHASE_KING.replace(/phase == t \+ 1/g, 'phase == t').replace('within 2*(t + 1)', 'within 2*t');

/** One round of votes, decide on n - t matching votes: agreement and validity hold for n > 3t. */
export const QUORUM = `
protocol Quorum
resilience n > 3*t
var v : value = input
message VOTE(value)
round vote {
  send VOTE(v)
  when count(VOTE, 1) >= n - t: decide 1
  when count(VOTE, 0) >= n - t: decide 0
}
claims agreement, validity
horizon 1
`;

/** Broken: t votes for 1 suffice, so the Byzantine votes alone make a process decide 1. */
export const QUORUM_BROKEN = QUORUM.replace('count(VOTE, 1) >= n - t', 'count(VOTE, 1) >= t').replace('protocol Quorum', 'protocol QuorumBroken');

export function parse(text: string, file = 'test.bft'): Protocol {
  const r = parseProtocol(text, file);
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.loc.line}:${e.loc.col} ${e.message}`).join('\n'));
  return r.value;
}
