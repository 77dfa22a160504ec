// The formal spec on one run (docs/semantics.md section 2), as the simulator reports
// it: built-in properties over the correct processes (not in F, section 1.7),
// user properties through user-properties.ts; only claimed properties, at most one violation per property, the first
// round it shows, with a deterministic choice of witnesses so that every
// engine's trace can be compared with the simulator's.

import { evalParamInt } from '../ir/eval';
import { DECIDED, type Protocol } from '../ir/types';
import type { LocalState, Violation } from '../trace/model';
import { faultKindOf, faultyOf, type Instance } from './instance';
import { userViolations, type ScopedRun } from './user-properties';

export interface Claims {
  agreement: boolean;
  validity: boolean;
  /** the termination bound R in rounds for this n, t; null if termination is not claimed. */
  termination: number | null;
}

export function claimsOf(protocol: Protocol, n: number, t: number, o?: number): Claims {
  const p = protocol.properties;
  return {
    agreement: p.agreement,
    validity: p.validity,
    termination: p.termination === null ? null : evalParamInt(p.termination, n, t, o),
  };
}

/** The decision of correct process i in a state vector (null: undecided). */
function decisionOf(states: readonly (LocalState | null)[], i: number): number | null {
  const d = states[i]?.[DECIDED];
  return typeof d === 'number' ? d : null;
}

/** Disagreement among correct processes: the smallest decided id and the smallest id deciding otherwise. */
export function agreementViolation(correct: readonly number[], states: readonly (LocalState | null)[], round: number): Violation | null {
  let first: number | null = null;
  for (const i of correct) {
    const d = decisionOf(states, i);
    if (d === null) continue;
    if (first === null) {
      first = i;
      continue;
    }
    const v = decisionOf(states, first)!;
    if (d !== v) return { property: 'agreement', round, processes: [first, i], values: [v, d] };
  }
  return null;
}

/** The value all correct inputs share, or null if they differ (or there is no correct process). */
export function unanimousInput(instance: Instance): number | null {
  let v: number | null = null;
  for (const i of instance.correct) {
    const input = instance.inputs[i]!;
    if (v === null) v = input;
    else if (v !== input) return null;
  }
  return v;
}

/** With unanimous input v: the smallest correct id that decided something else. */
export function validityViolation(
  correct: readonly number[],
  unanimous: number | null,
  states: readonly (LocalState | null)[],
  round: number,
): Violation | null {
  if (unanimous === null) return null;
  for (const i of correct) {
    const d = decisionOf(states, i);
    if (d !== null && d !== unanimous) return { property: 'validity', round, process: i, value: d, input: unanimous };
  }
  return null;
}

/** At the termination bound: every correct process still undecided. */
export function terminationViolation(correct: readonly number[], states: readonly (LocalState | null)[], round: number): Violation | null {
  const undecided = correct.filter((i) => decisionOf(states, i) === null);
  return undecided.length === 0 ? null : { property: 'termination', round, processes: undecided };
}

/**
 * The violations of a run, given the states before round 1 and after each
 * round. Agreement and validity: the first round they show. Termination:
 * checked at the end of round R only if the run lasts at least R rounds.
 * Ordered agreement, validity, termination.
 */
export function violationsOf(
  claims: Claims,
  instance: Instance,
  initial: readonly (LocalState | null)[],
  after: readonly (readonly (LocalState | null)[])[],
): Violation[] {
  const out: Violation[] = [];
  const correct = instance.correct;
  const unanimous = unanimousInput(instance);
  const stateAt = (r: number): readonly (LocalState | null)[] => (r === 0 ? initial : after[r - 1]!);
  const firstOf = (check: (states: readonly (LocalState | null)[], r: number) => Violation | null): Violation | null => {
    for (let r = 0; r <= after.length; r++) {
      const v = check(stateAt(r), r);
      if (v !== null) return v;
    }
    return null;
  };
  if (claims.agreement) {
    const v = firstOf((s, r) => agreementViolation(correct, s, r));
    if (v !== null) out.push(v);
  }
  if (claims.validity) {
    const v = firstOf((s, r) => validityViolation(correct, unanimous, s, r));
    if (v !== null) out.push(v);
  }
  const bound = claims.termination;
  if (bound !== null && bound >= 0 && bound <= after.length) {
    const v = terminationViolation(correct, stateAt(bound), bound);
    if (v !== null) out.push(v);
  }
  return out;
}

/** A run as the user's properties read it (docs/semantics.md section 2.5). */
export function scopedRunOf(protocol: Protocol, instance: Instance, initial: readonly (LocalState | null)[], after: readonly (readonly (LocalState | null)[])[]): ScopedRun {
  return {
    n: instance.n,
    t: instance.t,
    ...(instance.o === undefined ? {} : { o: instance.o }),
    faults: faultKindOf(instance),
    faulty: faultyOf(instance),
    ...(faultKindOf(instance) === 'hybrid' ? { byzantine: instance.byzantine } : {}),
    roundsPerPhase: protocol.rounds.length,
    states: [initial, ...after],
    inputs: instance.inputs,
  };
}

/** Every violation of a run: the claimed built-in properties (violationsOf), then the user's own in the file's order. */
export function runViolations(protocol: Protocol, instance: Instance, initial: readonly (LocalState | null)[], after: readonly (readonly (LocalState | null)[])[]): Violation[] {
  const builtin = violationsOf(claimsOf(protocol, instance.n, instance.t, instance.o), instance, initial, after);
  if (protocol.userProperties.length === 0) return builtin;
  return [...builtin, ...userViolations(protocol, scopedRunOf(protocol, instance, initial, after))];
}
