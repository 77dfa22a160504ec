// Protocols with crash and omission faults whose verdicts are known, written
// in the protocol language (the parser supports `faults`, `assume` and
// `property` since issue 14).

import { parseProtocol } from '../../src/lang';
import type { Protocol } from '../../src/ir/types';

export function parse(source: string, file = 'fault-protocols.bft'): Protocol {
  const r = parseProtocol(source, file);
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.loc.line}:${e.loc.col} ${e.message}`).join('\n'));
  return r.value;
}

export interface FloodsetOptions {
  /** `crash` (default), `omission` or `byzantine`. */
  faults?: string;
  /** the fault bound's expression (default: t). */
  bound?: string;
  /** the decision round, an expression in t (default t + 1). */
  rounds?: string;
  /** `assume clean round within ...` (none by default). */
  clean?: string;
  /** extra declarations (properties). */
  extra?: string;
  values?: number;
  claims?: string;
}

/**
 * FloodMin over 0..1, one round per phase: flood the smallest value seen,
 * decide it in round R. Agreement holds under crash faults with R = t + 1
 * (some round among t + 1 has no crash, after which everyone alive holds the
 * same minimum); with R = t a chain of crashes splits the processes; under
 * omission faults a faulty process can reveal its 0 in the last round only.
 * Strong validity is not claimed: a faulty process's input counts too.
 */
export function floodset(o: FloodsetOptions = {}): Protocol {
  const rounds = o.rounds ?? 't + 1';
  const values = o.values ?? 2;
  const adopt = Array.from({ length: values }, (_, w) => `  when count(VAL, ${w}) >= 1 && phase == ${rounds}: v := ${w}; decide ${w}\n  when count(VAL, ${w}) >= 1: v := ${w}`).join('\n');
  return parse(`protocol Floodset
values 0..${values - 1}
resilience n > t
faults ${o.faults ?? 'crash'}${o.bound === undefined ? '' : ` up to ${o.bound}`}
${o.clean === undefined ? '' : `assume clean round within ${o.clean}`}

var v : value = input

message VAL(value)

round flood {
  send VAL(v)
${adopt}
  when phase == ${rounds}: decide v
}

claims ${o.claims ?? `agreement, termination within ${rounds}`}
${o.extra ?? ''}
`);
}

/** Everyone decides its own input in round 1: k-set agreement holds for k >= |values| only. */
export function decideOwn(values: number, faults = 'crash'): Protocol {
  return parse(`protocol DecideOwn
values 0..${values - 1}
resilience n > t
faults ${faults}

var v : value = input

message VAL(value)

round only {
  send VAL(v)
  otherwise: decide v
}

claims termination within 1

property two_set: always distinct(decided) <= 2
property decided_by_one: if all(input == 0) then eventually all(decided == 0) within 1
`);
}

/**
 * Accept on any echo, echo when the input is 1. Unforgeability over the
 * followers holds under omission faults (a faulty process with input 1 stays
 * in scope, so the premise fails) and breaks under crash faults (it echoes
 * in its crash round and leaves the scope); over the correct processes it
 * breaks under both.
 */
export function echoAccept(faults: string, scope: string): Protocol {
  return parse(`protocol EchoAny
values 0..1
resilience n > t
faults ${faults}

var v : value = input
var accepted : bool = false

message ECHO

round echo {
  send ECHO if v == 1
  when count(ECHO) >= 1: accepted := true
}

horizon 2

property unforgeable for ${scope}: always (no(input == 1) implies no(accepted))
`);
}
