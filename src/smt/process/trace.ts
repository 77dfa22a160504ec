// A process-encoding model as a trace (src/trace/model.ts), for every fault
// kind and every property. Byzantine faults with a built-in property go
// through the shared builder (../trace-build.ts), exactly as before; crash,
// omission and hybrid faults and user properties are assembled here from what the
// decoder read off the model: the broadcasts, crashes and withheld messages
// included. The violation is located in the decoded run (built-in properties
// with the shared finder over the correct processes, user properties with
// the one evaluator of src/sim/user-properties.ts); the caller replays the
// trace in the simulator. A hybrid trace (src/trace/model.ts) has `faults:
// 'hybrid'`, `o`, the Byzantine processes in `byzantine` (no input, no state;
// their messages, to correct and omission-faulty receivers, in each round's
// `byzantine`) and the omission-faulty ones in `faulty` (inputs, states, their
// kept messages in `withheld`).

import { protocolHash } from '../../ir/hash';
import { isBuiltinProperty, type Protocol, type PropertyName } from '../../ir/types';
import { userViolation, type ScopedRun } from '../../sim/user-properties';
import { roundName } from '../../sim/step';
import type { RoundRecord, Trace, Violation } from '../../trace/model';
import { buildTrace, findViolation } from '../trace-build';
import { position } from '../space';
import type { SmtModel } from '../z3';
import { decodeProcess, type ProcessRun } from './decode';
import type { ProcessEncoding } from './encode';

/** The trace of a sat model of a process-encoding query; throws when the decoded run does not violate the queried property (an encoder or decoder bug). */
export function decodeProcessTrace(enc: ProcessEncoding, model: SmtModel): Trace {
  return processTrace(enc.protocol, decodeProcess(enc, model), enc.property);
}

export function processTrace(p: Protocol, run: ProcessRun, property: PropertyName): Trace {
  const kind = p.faults.kind;
  if (kind === 'byzantine' && isBuiltinProperty(property)) return buildTrace(p, run, property);
  const rounds: RoundRecord[] = run.rounds.map((r, k) => {
    const g = k + 1;
    const pos = position(p, g);
    const rec: RoundRecord = {
      round: g,
      phase: pos.phase,
      name: roundName(p, pos.index),
      leader: (pos.phase - 1) % run.n,
      sent: run.sent[k] ?? [],
      byzantine: r.byzantine,
      fired: r.fired,
      states: r.states,
    };
    const crashed = r.crashed ?? [];
    const withheld = r.withheld ?? [];
    if (crashed.length > 0) rec.crashed = crashed;
    if (withheld.length > 0) rec.withheld = withheld;
    return rec;
  });
  const v = violationOf(p, run, property);
  if (v === null) throw new Error(`internal error: the process encoding's model shows no ${property} violation`);
  const byzantine = [...run.byzantine].sort((a, b) => a - b);
  if (run.hybrid !== undefined) {
    const omission = [...run.hybrid.omission].sort((a, b) => a - b);
    return { protocol: { name: p.name, hash: protocolHash(p) }, n: run.n, t: run.t, o: run.hybrid.o, byzantine, faults: 'hybrid', faulty: omission, inputs: run.inputs, initial: run.initial, rounds, violations: [v] };
  }
  const trace: Trace = {
    protocol: { name: p.name, hash: protocolHash(p) },
    n: run.n,
    t: run.t,
    byzantine,
    inputs: run.inputs,
    initial: run.initial,
    rounds,
    violations: [v],
  };
  return run.faults === undefined ? trace : { ...trace, faults: run.faults.kind, faulty: run.faults.faulty };
}

/** The first violation of the property in the decoded run (built-in: smallest correct witnesses, docs/semantics.md section 2.4). */
export function violationOf(p: Protocol, run: ProcessRun, property: PropertyName): Violation | null {
  const faulty = new Set([...run.byzantine, ...(run.faults?.faulty ?? []), ...(run.hybrid?.omission ?? [])]);
  if (isBuiltinProperty(property)) {
    // the shared finder reads "correct" as "has an input": hide the faulty processes' inputs from it
    return findViolation({ ...run, inputs: run.inputs.map((x, i) => (faulty.has(i) ? null : x)) }, property);
  }
  const prop = p.userProperties.find((u) => u.name === property);
  if (prop === undefined) throw new Error(`process: no property ${property}`);
  const scoped: ScopedRun = {
    n: run.n,
    t: run.t,
    ...(run.hybrid === undefined ? {} : { o: run.hybrid.o, byzantine: run.byzantine }),
    faults: p.faults.kind,
    faulty: [...faulty],
    roundsPerPhase: p.rounds.length,
    states: [run.initial, ...run.rounds.map((r) => r.states)],
    inputs: run.inputs,
  };
  return userViolation(p, prop, scoped);
}
