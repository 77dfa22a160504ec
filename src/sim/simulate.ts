// Runs one instance for R rounds against an adversary and records the trace.

import { evalParamInt } from '../ir/eval';
import type { Protocol } from '../ir/types';
import type { ByzantineMessage, LocalState, RoundRecord, Trace } from '../trace/model';
import type { Adversary } from './adversary';
import type { Instance } from './instance';
import { claimsOf, violationsOf } from './properties';
import { checkByzantine, initialState, roundMessages, roundName, roundPosition, stepRound } from './step';

export interface SimulateOptions {
  /** the protocol's hash (computed by the caller from the IR). */
  hash: string;
  /** rounds to run; default: the protocol's horizon for this n, t. */
  rounds?: number;
}

/** The rounds a run lasts by default: the horizon (the termination bound when termination is claimed). */
export function defaultRounds(protocol: Protocol, n: number, t: number): number {
  return evalParamInt(protocol.horizon, n, t);
}

export function initialStates(protocol: Protocol, instance: Instance): (LocalState | null)[] {
  return instance.inputs.map((input) => (input === null ? null : initialState(protocol, instance.n, instance.t, input)));
}

/**
 * Simulates the instance. An adversary that breaks the Byzantine semantics
 * is a bug in the adversary and throws; replayTrace checks recorded messages
 * first and reports them instead.
 */
export function simulate(protocol: Protocol, instance: Instance, adversary: Adversary, options: SimulateOptions): Trace {
  const rounds = options.rounds ?? defaultRounds(protocol, instance.n, instance.t);
  if (protocol.rounds.length === 0) throw new Error(`${protocol.name} has no rounds`);
  const initial = initialStates(protocol, instance);
  const records: RoundRecord[] = [];
  let states: (LocalState | null)[] = initial;
  for (let r = 1; r <= rounds; r++) {
    const pos = roundPosition(protocol, instance.n, r);
    const correctSent = stepRound(protocol, instance, pos, states, []).sent;
    const byzantine = adversary.byzantineMessages({ protocol, instance, position: pos, states, sent: correctSent });
    const problem = checkByzantine(protocol, instance, pos, byzantine);
    if (problem !== null) throw new Error(`adversary ${adversary.name}: ${problem}`);
    const outcome = stepRound(protocol, instance, pos, states, byzantine);
    records.push({
      round: r,
      phase: pos.phase,
      name: roundName(protocol, pos.index),
      leader: pos.leader,
      sent: outcome.sent,
      byzantine: sortByzantine(protocol, pos.index, byzantine),
      fired: outcome.fired,
      states: outcome.states,
    });
    states = outcome.states;
  }
  const claims = claimsOf(protocol, instance.n, instance.t);
  return {
    protocol: { name: protocol.name, hash: options.hash },
    n: instance.n,
    t: instance.t,
    byzantine: [...instance.byzantine],
    inputs: [...instance.inputs],
    initial,
    rounds: records,
    violations: violationsOf(
      claims,
      instance,
      initial,
      records.map((rec) => rec.states),
    ),
  };
}

/** A canonical order for readability: by receiver, then sender, then the round's send order. */
function sortByzantine(protocol: Protocol, index: number, msgs: readonly ByzantineMessage[]): ByzantineMessage[] {
  const order = roundMessages(protocol, index).map((d) => d.name);
  return [...msgs].sort((a, b) => a.to - b.to || a.from - b.from || order.indexOf(a.message) - order.indexOf(b.message));
}
