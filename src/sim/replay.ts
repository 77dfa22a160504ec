// The oracle for every counterexample: re-run a trace's instance with exactly
// its Byzantine messages and check that the recorded run is reproduced.

import { DECIDED, type Protocol } from '../ir/types';
import type { Broadcast, LocalState, Trace, Val, Violation } from '../trace/model';
import { replay } from './adversary';
import { faultKindOf, followingFaultyOf, isFaulty, makeInstance, type Instance } from './instance';
import { claimsOf, scopedRunOf, unanimousInput } from './properties';
import { runSimulation } from './simulate';
import { checkByzantine, roundPosition } from './step';
import { userViolationAt } from './user-properties';

/** 'faults': crashes or withheld messages that no crash or omission adversary can choose (docs/semantics.md 1.7). */
export type MismatchKind = 'protocol' | 'instance' | 'shape' | 'byzantine' | 'faults' | 'state' | 'fired' | 'sent' | 'violations';

export interface Mismatch {
  kind: MismatchKind;
  /** global round (0: the initial states); null when not about a round. */
  round: number | null;
  process: number | null;
  variable: string | null;
  /** what the trace records, and what the replay produced (JSON or prose). */
  recorded: string;
  replayed: string;
  message: string;
}

export type ReplayReport = { ok: true; trace: Trace } | { ok: false; mismatch: Mismatch; trace: Trace | null };

export interface ReplayOptions {
  /**
   * 'exact' (default): the recorded violations equal the simulator's
   * (docs/semantics.md section 2.4: first round, deterministic witnesses). 'claimed': every recorded
   * violation holds in the replayed run at its round, with its processes and
   * values (a decoder may pick other witnesses than the simulator, and omit
   * violations of properties it did not query).
   */
  violations?: 'exact' | 'claimed';
  /** compare the fired rule indices too (default true). */
  checkFired?: boolean;
  /** if given, the trace must carry this protocol hash. */
  hash?: string;
}

export function replayTrace(protocol: Protocol, trace: Trace, options: ReplayOptions = {}): ReplayReport {
  const bad = (m: Omit<Mismatch, 'round' | 'process' | 'variable'> & Partial<Mismatch>, replayed: Trace | null = null): ReplayReport => ({
    ok: false,
    mismatch: { round: null, process: null, variable: null, ...m },
    trace: replayed,
  });
  if (trace.protocol.name !== protocol.name) {
    return bad({ kind: 'protocol', recorded: trace.protocol.name, replayed: protocol.name, message: 'the trace is of another protocol' });
  }
  if (options.hash !== undefined && trace.protocol.hash !== options.hash) {
    return bad({ kind: 'protocol', recorded: trace.protocol.hash, replayed: options.hash, message: 'the trace carries another protocol hash' });
  }
  const kind = trace.faults ?? 'byzantine';
  if (kind !== protocol.faults.kind) {
    return bad({ kind: 'instance', recorded: kind, replayed: protocol.faults.kind, message: `the trace is a run with ${kind} faults, the protocol's faults are ${protocol.faults.kind}` });
  }
  const made = makeInstance(protocol, {
    n: trace.n,
    t: trace.t,
    ...(trace.o === undefined ? {} : { o: trace.o }),
    byzantine: trace.byzantine,
    ...(trace.faulty === undefined ? {} : { faulty: trace.faulty }),
    inputs: trace.inputs,
  });
  if (!made.ok) {
    const msg = made.errors.map((e) => e.message).join('; ');
    const params = trace.o === undefined ? { n: trace.n, t: trace.t } : { n: trace.n, t: trace.t, o: trace.o };
    return bad({ kind: 'instance', recorded: JSON.stringify({ ...params, byzantine: trace.byzantine, faulty: trace.faulty }), replayed: msg, message: msg });
  }
  const instance = made.value;
  const shape = checkShape(protocol, instance, trace);
  if (shape !== null) return bad(shape);

  const run = runSimulation(protocol, instance, replay(trace), { hash: trace.protocol.hash, rounds: trace.rounds.length });
  if (!run.ok) {
    // the recorded crashes, omissions or schedule are not an adversary's choice: the trace is not a run
    const rec = trace.rounds[run.round - 1];
    return bad({ kind: 'faults', round: run.round, recorded: JSON.stringify({ crashed: rec?.crashed ?? [], withheld: rec?.withheld ?? [] }), replayed: run.problem, message: run.problem });
  }
  const replayed = run.trace;
  const checkFired = options.checkFired ?? true;
  const first = compareStates(protocol, 0, trace.initial, replayed.initial);
  if (first !== null) return bad(first, replayed);
  for (let k = 0; k < trace.rounds.length; k++) {
    const rec = trace.rounds[k]!;
    const rep = replayed.rounds[k]!;
    const states = compareStates(protocol, rec.round, rec.states, rep.states);
    if (states !== null) return bad(states, replayed);
    if (checkFired) {
      for (let i = 0; i < instance.n; i++) {
        if ((rec.fired[i] ?? null) !== rep.fired[i]) {
          return bad({ kind: 'fired', round: rec.round, process: i, recorded: String(rec.fired[i]), replayed: String(rep.fired[i]), message: `process ${i} fired another rule in round ${rec.round}` }, replayed);
        }
      }
    }
    const sentRec = sentKeys(rec.sent);
    const sentRep = sentKeys(rep.sent);
    if (sentRec !== sentRep) {
      return bad({ kind: 'sent', round: rec.round, recorded: sentRec, replayed: sentRep, message: `correct broadcasts differ in round ${rec.round}` }, replayed);
    }
  }
  const violations =
    (options.violations ?? 'exact') === 'exact'
      ? compareViolationsExactly(trace.violations, replayed.violations)
      : checkClaimedViolations(protocol, instance, trace, replayed);
  if (violations !== null) return bad(violations, replayed);
  return { ok: true, trace: replayed };
}

type MismatchDraft = Omit<Mismatch, 'round' | 'process' | 'variable'> & Partial<Mismatch>;

function checkShape(protocol: Protocol, instance: Instance, trace: Trace): MismatchDraft | null {
  if (JSON.stringify(trace.byzantine) !== JSON.stringify(instance.byzantine)) {
    return { kind: 'instance', recorded: JSON.stringify(trace.byzantine), replayed: JSON.stringify(instance.byzantine), message: 'the Byzantine set must be sorted' };
  }
  // a hybrid trace's `faulty` lists the omission-faulty processes only (the Byzantine ones are in `byzantine`)
  const faulty = faultKindOf(instance) === 'hybrid' ? followingFaultyOf(instance) : (instance.faulty ?? instance.byzantine);
  if (trace.faulty !== undefined && JSON.stringify(trace.faulty) !== JSON.stringify(faulty)) {
    return { kind: 'instance', recorded: JSON.stringify(trace.faulty), replayed: JSON.stringify(faulty), message: 'the faulty set must be sorted' };
  }
  const kind = faultKindOf(instance);
  if (kind !== 'byzantine' && kind !== 'hybrid' && trace.rounds.some((r) => r.byzantine.length > 0)) {
    const k = trace.rounds.findIndex((r) => r.byzantine.length > 0);
    return { kind: 'byzantine', round: k + 1, recorded: JSON.stringify(trace.rounds[k]!.byzantine), replayed: '[]', message: `round ${k + 1}: a ${faultKindOf(instance)} run has no Byzantine messages` };
  }
  if (faultKindOf(instance) === 'byzantine') {
    const k = trace.rounds.findIndex((r) => (r.crashed ?? []).length > 0 || (r.withheld ?? []).length > 0);
    if (k >= 0) {
      const rec = trace.rounds[k]!;
      return { kind: 'faults', round: k + 1, recorded: JSON.stringify({ crashed: rec.crashed, withheld: rec.withheld }), replayed: '{}', message: `round ${k + 1}: Byzantine processes neither crash nor have messages withheld (they send what they like)` };
    }
  }
  const crashedIn = new Map<number, number>();
  for (let k = 0; k < trace.rounds.length; k++) {
    const rec = trace.rounds[k]!;
    for (const b of rec.sent) {
      const at = crashedIn.get(b.from);
      if (at !== undefined) {
        return { kind: 'sent', round: k + 1, process: b.from, recorded: JSON.stringify(b), replayed: 'nothing', message: `process ${b.from} sends ${b.message} in round ${k + 1} after crashing in round ${at}` };
      }
    }
    for (const c of rec.crashed ?? []) if (!crashedIn.has(c)) crashedIn.set(c, k + 1);
  }
  for (const b of instance.byzantine) {
    if (trace.inputs[b] !== null) {
      return { kind: 'instance', process: b, recorded: JSON.stringify(trace.inputs[b]), replayed: 'null', message: `Byzantine process ${b} must have input null` };
    }
  }
  if (trace.initial.length !== instance.n) {
    return { kind: 'shape', round: 0, recorded: String(trace.initial.length), replayed: String(instance.n), message: 'one initial state per process expected' };
  }
  for (let k = 0; k < trace.rounds.length; k++) {
    const rec = trace.rounds[k]!;
    const pos = roundPosition(protocol, instance.n, k + 1);
    const expected = { round: pos.round, phase: pos.phase, leader: pos.leader };
    const got = { round: rec.round, phase: rec.phase, leader: rec.leader };
    if (JSON.stringify(expected) !== JSON.stringify(got)) {
      return { kind: 'shape', round: k + 1, recorded: JSON.stringify(got), replayed: JSON.stringify(expected), message: `round record ${k + 1} has the wrong round, phase or leader` };
    }
    if (rec.states.length !== instance.n || rec.fired.length !== instance.n) {
      return { kind: 'shape', round: k + 1, recorded: String(rec.states.length), replayed: String(instance.n), message: 'one state and fired entry per process expected' };
    }
    const problem = checkByzantine(protocol, instance, pos, rec.byzantine);
    if (problem !== null) return { kind: 'byzantine', round: k + 1, recorded: JSON.stringify(rec.byzantine), replayed: problem, message: problem };
  }
  return null;
}

function compareStates(protocol: Protocol, round: number, recorded: readonly (LocalState | null)[], replayed: readonly (LocalState | null)[]): MismatchDraft | null {
  const order = [...protocol.vars.map((v) => v.name), DECIDED];
  for (let i = 0; i < replayed.length; i++) {
    const a = recorded[i] ?? null;
    const b = replayed[i] ?? null;
    if (a === null || b === null) {
      if (a !== b) return { kind: 'state', round, process: i, recorded: JSON.stringify(a), replayed: JSON.stringify(b), message: `process ${i}: state ${a === null ? 'missing' : 'recorded for a Byzantine or crashed process'} in round ${round}` };
      continue;
    }
    const names = [...order, ...Object.keys(a).filter((k) => !order.includes(k))];
    for (const name of names) {
      const x: Val | undefined = a[name];
      const y: Val | undefined = b[name];
      if (x !== y) {
        return { kind: 'state', round, process: i, variable: name, recorded: JSON.stringify(x ?? 'missing'), replayed: JSON.stringify(y ?? 'missing'), message: `process ${i}: ${name} differs after round ${round}` };
      }
    }
  }
  return null;
}

function sentKeys(sent: readonly Broadcast[]): string {
  return sent
    .map((b) => JSON.stringify([b.from, b.message, b.payload]))
    .sort()
    .join(',');
}

function compareViolationsExactly(recorded: readonly Violation[], replayed: readonly Violation[]): MismatchDraft | null {
  const key = (vs: readonly Violation[]): string => vs.map((v) => JSON.stringify(v)).sort().join(',');
  if (key(recorded) === key(replayed)) return null;
  return { kind: 'violations', recorded: JSON.stringify(recorded), replayed: JSON.stringify(replayed), message: 'the recorded violations differ from the replayed ones' };
}

function checkClaimedViolations(protocol: Protocol, instance: Instance, trace: Trace, replayed: Trace): MismatchDraft | null {
  const stateAt = (r: number): readonly (LocalState | null)[] | undefined => (r === 0 ? replayed.initial : replayed.rounds[r - 1]?.states);
  // built-in properties speak of the correct processes only (not in F)
  const decided = (r: number, i: number): Val | undefined => (isFaulty(instance, i) ? undefined : stateAt(r)?.[i]?.[DECIDED]);
  const bound = claimsOf(protocol, instance.n, instance.t, instance.o).termination;
  for (const v of trace.violations) {
    let holds: boolean;
    switch (v.property) {
      case 'agreement':
        holds = decided(v.round, v.processes[0]) === v.values[0] && decided(v.round, v.processes[1]) === v.values[1] && v.values[0] !== v.values[1];
        break;
      case 'validity':
        holds = unanimousInput(instance) === v.input && decided(v.round, v.process) === v.value && v.value !== v.input;
        break;
      case 'termination':
        holds = v.round === bound && v.processes.length > 0 && v.processes.every((i) => decided(v.round, i) === null);
        break;
      case 'user': {
        // the one evaluator (user-properties.ts) finds the property false at the recorded boundary of the
        // replayed run, and every recorded witness is one of its witnesses there
        const prop = protocol.userProperties.find((u) => u.name === v.name);
        const after = replayed.rounds.map((r) => r.states);
        const found = prop === undefined ? null : userViolationAt(protocol, prop, scopedRunOf(protocol, instance, replayed.initial, after), v.round);
        holds = found !== null && found.property === 'user' && v.processes.every((i) => found.processes.includes(i));
        break;
      }
    }
    if (!holds) {
      return { kind: 'violations', round: v.round, recorded: JSON.stringify(v), replayed: JSON.stringify(replayed.violations), message: `the recorded ${v.property === 'user' ? `'${v.name}'` : v.property} violation does not hold in the replayed run` };
    }
  }
  return null;
}
