// Runs one instance for R rounds against an adversary and records the trace.

import { evalParamInt } from '../ir/eval';
import type { Protocol } from '../ir/types';
import type { ByzantineMessage, LocalState, RoundRecord, Trace, Withheld } from '../trace/model';
import type { Adversary, RoundView } from './adversary';
import { faultKindOf, faultyOf, followingFaultyOf, type Instance } from './instance';
import { runViolations } from './properties';
import { checkByzantine, checkFaults, faultyRound, initialState, NO_FAULTS, roundMessages, roundName, roundPosition, stepRound, type FaultDecision } from './step';

export interface SimulateOptions {
  /** the protocol's hash (computed by the caller from the IR). */
  hash: string;
  /** rounds to run; default: the protocol's horizon for this n, t. */
  rounds?: number;
}

/** The rounds a run lasts by default: the horizon (the termination bound when termination is claimed); o for a hybrid protocol. */
export function defaultRounds(protocol: Protocol, n: number, t: number, o?: number): number {
  return evalParamInt(protocol.horizon, n, t, o);
}

export function initialStates(protocol: Protocol, instance: Instance): (LocalState | null)[] {
  return instance.inputs.map((input) => (input === null ? null : initialState(protocol, instance.n, instance.t, input, instance.o)));
}

/** The round by which the protocol assumes a clean round (docs/semantics.md section 1.8), or null. */
export function cleanRoundWithin(protocol: Protocol, n: number, t: number, o?: number): number | null {
  let within: number | null = null;
  for (const a of protocol.assumptions) {
    const r = evalParamInt(a.within, n, t, o);
    within = within === null ? r : Math.min(within, r);
  }
  return within;
}

/** A run, or the first choice of the adversary that no run can make. */
export type SimulationOutcome = { ok: true; trace: Trace } | { ok: false; round: number; problem: string };

/**
 * Simulates the instance. An adversary that breaks the Byzantine, crash or
 * omission semantics, or the protocol's clean-round assumption, is a bug in
 * the adversary and throws; replayTrace uses runSimulation and reports it.
 */
export function simulate(protocol: Protocol, instance: Instance, adversary: Adversary, options: SimulateOptions): Trace {
  const r = runSimulation(protocol, instance, adversary, options);
  if (!r.ok) throw new Error(`adversary ${adversary.name}: ${r.problem}`);
  return r.trace;
}

export function runSimulation(protocol: Protocol, instance: Instance, adversary: Adversary, options: SimulateOptions): SimulationOutcome {
  const rounds = options.rounds ?? defaultRounds(protocol, instance.n, instance.t, instance.o);
  if (protocol.rounds.length === 0) throw new Error(`${protocol.name} has no rounds`);
  const kind = faultKindOf(instance);
  const within = kind === 'byzantine' ? null : cleanRoundWithin(protocol, instance.n, instance.t, instance.o);
  const initial = initialStates(protocol, instance);
  const records: RoundRecord[] = [];
  let states: (LocalState | null)[] = initial;
  let clean = false;
  for (let r = 1; r <= rounds; r++) {
    const pos = roundPosition(protocol, instance.n, r);
    const view: RoundView = { protocol, instance, position: pos, states, sent: stepRound(protocol, instance, pos, states, []).sent, mustBeClean: within !== null && !clean && r === within };
    const byzantine = adversary.byzantineMessages(view);
    const problem = checkByzantine(protocol, instance, pos, byzantine);
    if (problem !== null) return { ok: false, round: r, problem };
    const faults: FaultDecision = kind === 'byzantine' ? NO_FAULTS : (adversary.faults?.(view) ?? NO_FAULTS);
    const faultProblem = checkFaults(instance, pos, states, view.sent, faults);
    if (faultProblem !== null) return { ok: false, round: r, problem: faultProblem };
    clean ||= !faultyRound(faults);
    if (within !== null && r === within && !clean) {
      return { ok: false, round: r, problem: `round ${r}: no round among 1..${within} is clean, but the protocol assumes a clean round within ${within}` };
    }
    const outcome = stepRound(protocol, instance, pos, states, byzantine, faults);
    const record: RoundRecord = {
      round: r,
      phase: pos.phase,
      name: roundName(protocol, pos.index),
      leader: pos.leader,
      sent: outcome.sent,
      byzantine: sortByzantine(protocol, pos.index, byzantine),
      fired: outcome.fired,
      states: outcome.states,
    };
    if (kind === 'crash') record.crashed = [...faults.crashed].sort((a, b) => a - b);
    if (kind !== 'byzantine') record.withheld = sortWithheld(protocol, pos.index, faults.withheld);
    records.push(record);
    states = outcome.states;
  }
  const trace: Trace = {
    protocol: { name: protocol.name, hash: options.hash },
    n: instance.n,
    t: instance.t,
    byzantine: [...instance.byzantine],
    inputs: [...instance.inputs],
    initial,
    rounds: records,
    violations: runViolations(
      protocol,
      instance,
      initial,
      records.map((rec) => rec.states),
    ),
  };
  if (kind === 'byzantine') return { ok: true, trace };
  // the fault fields after byzantine, in the model's order (JSON key order is what a golden file sees)
  const { protocol: p, n, t, byzantine, ...rest } = trace;
  // hybrid: `byzantine` the Byzantine processes, `faulty` the omission-faulty ones (they have inputs and states)
  if (kind === 'hybrid') return { ok: true, trace: { protocol: p, n, t, byzantine, o: instance.o ?? 0, faults: kind, faulty: followingFaultyOf(instance), ...rest } };
  return { ok: true, trace: { protocol: p, n, t, byzantine, faults: kind, faulty: [...faultyOf(instance)], ...rest } };
}

/** A canonical order for readability: by receiver, then sender, then the round's send order. */
function sortByzantine(protocol: Protocol, index: number, msgs: readonly ByzantineMessage[]): ByzantineMessage[] {
  const order = roundMessages(protocol, index).map((d) => d.name);
  return [...msgs].sort((a, b) => a.to - b.to || a.from - b.from || order.indexOf(a.message) - order.indexOf(b.message));
}

/** The canonical order of withheld messages: by sender, then receiver, then the round's send order. */
export function sortWithheld(protocol: Protocol, index: number, msgs: readonly Withheld[]): Withheld[] {
  const order = roundMessages(protocol, index).map((d) => d.name);
  return [...msgs].map((w) => ({ from: w.from, to: w.to, message: w.message })).sort((a, b) => a.from - b.from || a.to - b.to || order.indexOf(a.message) - order.indexOf(b.message));
}
