// The process encoding under crash and omission faults, fault bounds above t,
// the clean-round assumption and user properties (issue 14; docs/semantics.md
// sections 1.7, 1.8, 2.5, 3.3): hand-checked verdicts, each one also asked of
// the brute-force ground truth (test/helpers/process-brute.ts), and every
// counterexample replayed, in the simulator and step by step.

import { parseProtocol } from '../src/lang';
import type { Protocol, PropertyName } from '../src/ir/types';
import { replayTrace } from '../src/sim/replay';
import { encodeProcess } from '../src/smt/process/encode';
import { processSupports } from '../src/smt/process/support';
import { decodeProcessTrace } from '../src/smt/process/trace';
import { shutdownZ3, solve } from '../src/smt/z3';
import type { Trace } from '../src/trace/model';
import { bruteViolates, replayLocal } from './helpers/process-brute';

afterAll(async () => {
  await shutdownZ3();
});

function parse(text: string): Protocol {
  const r = parseProtocol(text, 'test.bft');
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
  return r.value;
}

/** FloodSet (Lynch 6.2) deciding in phase D; `extra` adds declarations. */
function floodset(decideIn: string, extra = ''): Protocol {
  return parse(`
protocol FloodSet
values 0..1
resilience n > t
faults crash${extra}

var v : value = input
var both : bool = false

message ZERO
message ONE

round flood {
  send ZERO if v == 0 || both
  send ONE if v == 1 || both
  when phase == ${decideIn} && (both || v == 0 && count(ONE) >= 1 || v == 1 && count(ZERO) >= 1): both := true; decide 0
  when phase == ${decideIn}: decide v
  when v == 0 && count(ONE) >= 1 || v == 1 && count(ZERO) >= 1: both := true
}

claims agreement, termination within ${decideIn}
`);
}

/** Rotating coordinator under send omission, deciding after t + 1 phases (a leader message). */
const ROTATING = parse(`
protocol Rotating
values 0..1
resilience n > t
faults omission

var v : value = input

leader message COORD(value)

round coord {
  send COORD(v)
  when phase == t + 1 && count(COORD) >= 1: v := maj(COORD); decide maj(COORD)
  when phase == t + 1: decide v
  when count(COORD) >= 1: v := maj(COORD)
}

claims agreement, termination within t + 1
`);

/** A vote among all: an omission-faulty process can tell one process its value and not another. */
const VOTE_OMISSION = parse(`
protocol VoteOmission
values 0..1
resilience n > t
faults omission

var v : value = input

message VAL(value)

round vote {
  send VAL(v)
  when count(VAL, 0) >= 1: decide 0
  otherwise: decide 1
}

claims agreement, termination within 1
`);

/** FloodMin over three values: k-set agreement as a user property. */
function floodmin(rounds: string, k: number, scope = ''): Protocol {
  return parse(`
protocol FloodMin
values 0..2
resilience n > t
faults crash

var v : value = input

message VAL(value)

round flood {
  send VAL(v)
  when count(VAL, 0) >= 1 && phase == ${rounds}: v := 0; decide 0
  when count(VAL, 0) >= 1: v := 0
  when count(VAL, 1) >= 1 && phase == ${rounds}: v := 1; decide 1
  when count(VAL, 1) >= 1: v := 1
  when phase == ${rounds}: decide v
}

claims termination within ${rounds}

property kset${scope}: always distinct(decided) <= ${k}
property decide_input for followers: if all(input == 2) then eventually all(decided == 2) within ${rounds}
property decide_input_correct: if all(input == 2) then eventually all(decided == 2) within ${rounds}
`);
}

interface Outcome {
  status: 'sat' | 'unsat' | 'unknown';
  trace?: Trace;
}

/** One process-encoding query; a counterexample is replayed in the simulator and step by step. */
async function ask(p: Protocol, n: number, t: number, property: PropertyName, rounds: number): Promise<Outcome> {
  expect(processSupports(p, property)).toBeNull();
  const enc = encodeProcess(p, { n, t, rounds }, property);
  const r = await solve(enc.q.smtlib(), { timeoutMs: 60000 });
  if (r.status !== 'sat') return { status: r.status };
  const trace = decodeProcessTrace(enc, r.model);
  if (p.faults.kind !== 'byzantine') expect(replayLocal(p, trace)).toBeNull();
  const rep = replayTrace(p, trace, { violations: 'claimed' });
  expect(rep.ok ? null : rep.mismatch.message).toBeNull();
  return { status: 'sat', trace };
}

async function verdict(p: Protocol, n: number, t: number, property: PropertyName, rounds: number): Promise<'sat' | 'unsat' | 'unknown'> {
  const o = await ask(p, n, t, property, rounds);
  if (o.status !== 'unknown') expect(bruteViolates(p, n, t, rounds, property)).toBe(o.status === 'sat');
  return o.status;
}

describe('FloodSet under crash faults', () => {
  test('t + 1 rounds: agreement and termination hold at 2:1, 3:1 and 3:2', async () => {
    const p = floodset('t + 1');
    for (const [n, t] of [[2, 1], [3, 1], [3, 2]] as const) {
      expect(await verdict(p, n, t, 'agreement', t + 1)).toBe('unsat');
      expect(await verdict(p, n, t, 'termination', t + 1)).toBe('unsat');
    }
  });

  test('t rounds: agreement is violated at 3:1, by a process crashing in round 1 that reaches one correct process', async () => {
    const o = await ask(floodset('t'), 3, 1, 'agreement', 1);
    expect(o.status).toBe('sat');
    const trace = o.trace as Trace;
    expect(trace.faults).toBe('crash');
    expect(trace.faulty).toHaveLength(1);
    expect(trace.rounds[0]?.crashed).toEqual(trace.faulty);
    expect(trace.rounds[0]?.withheld).toHaveLength(1);
    expect(bruteViolates(floodset('t'), 3, 1, 1, 'agreement')).toBe(true);
  });

  test('t rounds with `assume clean round within t`: agreement holds', async () => {
    const p = floodset('t', '\nassume clean round within t');
    for (const [n, t] of [[3, 1], [4, 1], [3, 2]] as const) expect(await verdict(p, n, t, 'agreement', t)).toBe('unsat');
  });

  test('the clean round must come within t: `within t + 1` over t rounds constrains nothing', async () => {
    expect(await verdict(floodset('t', '\nassume clean round within t + 1'), 3, 1, 'agreement', 1)).toBe('sat');
    // nor does a bound below 1 (no round is round 0): never a vacuous proof
    expect(await verdict({ ...floodset('t'), assumptions: [{ kind: 'clean-round', within: { kind: 'int', value: 0 } }] }, 3, 1, 'agreement', 1)).toBe('sat');
  });

  test('a bound above t: t + 1 rounds against t + 1 crashes break agreement at 4:1', async () => {
    const p = floodset('t + 1', ' up to t + 1');
    const o = await ask(p, 4, 1, 'agreement', 2);
    expect(o.status).toBe('sat');
    expect(o.trace?.faulty).toHaveLength(2);
    expect(await verdict(floodset('t + 1'), 4, 1, 'agreement', 2)).toBe('unsat');
  });
});

describe('omission faults', () => {
  test('a faulty voter withholds its 0 from one process: agreement violated at 3:1 and 4:1, not at 2:1 (one correct process)', async () => {
    expect(await verdict(VOTE_OMISSION, 2, 1, 'agreement', 1)).toBe('unsat');
    for (const n of [3, 4]) {
      const o = await ask(VOTE_OMISSION, n, 1, 'agreement', 1);
      expect(o.status).toBe('sat');
      expect(o.trace?.faults).toBe('omission');
      expect((o.trace?.rounds[0]?.withheld ?? []).length).toBeGreaterThan(0);
      expect(bruteViolates(VOTE_OMISSION, n, 1, 1, 'agreement')).toBe(true);
    }
  });

  test('a clean round among 1..1 forbids the withholding', async () => {
    const p: Protocol = { ...VOTE_OMISSION, assumptions: [{ kind: 'clean-round' as const, within: { kind: 'int' as const, value: 1 } }] };
    expect(await verdict(p, 3, 1, 'agreement', 1)).toBe('unsat');
  });

  test('rotating coordinator: t + 1 distinct coordinators give agreement at 2:1, 3:1, 3:2', async () => {
    for (const [n, t] of [[2, 1], [3, 1], [3, 2]] as const) expect(await verdict(ROTATING, n, t, 'agreement', t + 1)).toBe('unsat');
  });

  test('rotating coordinator over t phases: agreement violated at 3:1, the faulty coordinator withholding', async () => {
    const bad = parse(`
protocol RotatingShort
values 0..1
resilience n > t
faults omission

var v : value = input

leader message COORD(value)

round coord {
  send COORD(v)
  when phase == t && count(COORD) >= 1: v := maj(COORD); decide maj(COORD)
  when phase == t: decide v
  when count(COORD) >= 1: v := maj(COORD)
}

claims agreement, termination within t
`);
    const o = await ask(bad, 3, 1, 'agreement', 1);
    expect(o.status).toBe('sat');
    expect(o.trace?.faulty).toEqual([0]);
    expect(bruteViolates(bad, 3, 1, 1, 'agreement')).toBe(true);
  });
});

describe('user properties: k-set agreement', () => {
  test('FloodMin with t + 1 rounds: 1-set agreement at 3:1, 2-set at 3:2', async () => {
    expect(await verdict(floodmin('t + 1', 1), 3, 1, 'kset', 2)).toBe('unsat');
    expect(await verdict(floodmin('t + 1', 2), 3, 2, 'kset', 3)).toBe('unsat');
    expect(await verdict(floodmin('t + 1', 1), 3, 1, 'decide_input', 2)).toBe('unsat');
    // over the correct processes only, a faulty process with input 0 is not in the premise and spreads its 0
    const o = await ask(floodmin('t + 1', 1), 3, 1, 'decide_input_correct', 2);
    expect(o.status).toBe('sat');
    expect(o.trace?.violations[0]).toMatchObject({ property: 'user', name: 'decide_input_correct', round: 2 });
  });

  test('FloodMin with t rounds: 1-set agreement violated at 3:1, with witnesses', async () => {
    const o = await ask(floodmin('t', 1), 3, 1, 'kset', 1);
    expect(o.status).toBe('sat');
    const v = o.trace?.violations[0];
    expect(v).toMatchObject({ property: 'user', name: 'kset', round: 1, processes: [] });
    expect(bruteViolates(floodmin('t', 1), 3, 1, 1, 'kset')).toBe(true);
  });

  test('for followers: a crash-faulty process that has not crashed counts', async () => {
    // at 2:1 with one crash in round 1, the only other process still decides alone: k = 1 holds for both scopes
    for (const scope of ['', ' for followers']) expect(await verdict(floodmin('t', 1, scope), 2, 1, 'kset', 1)).toBe('unsat');
    // at 3:1 the crash that breaks it for the correct processes breaks it for the followers too
    expect(await verdict(floodmin('t', 1, ' for followers'), 3, 1, 'kset', 1)).toBe('sat');
  });
});

describe('Byzantine faults above the design bound', () => {
  const quorum = (bound: string): Protocol =>
    parse(`
protocol Quorum
resilience n > 3*t
faults byzantine up to ${bound}
var v : value = input
message VOTE(value)
round vote {
  send VOTE(v)
  when count(VOTE, 1) >= n - t: decide 1
  when count(VOTE, 0) >= n - t: decide 0
}
claims agreement, validity
horizon 1
`);

  test('Quorum at 4:1 keeps agreement against t Byzantine processes and loses it against t + 1', async () => {
    expect((await ask(quorum('t'), 4, 1, 'agreement', 1)).status).toBe('unsat');
    const o = await ask(quorum('t + 1'), 4, 1, 'agreement', 1);
    expect(o.status).toBe('sat');
    expect(o.trace?.byzantine).toHaveLength(2);
    expect(o.trace?.faults).toBeUndefined();
  });

  test('a clean-round assumption is refused for Byzantine faults', () => {
    const p: Protocol = { ...quorum('t'), assumptions: [{ kind: 'clean-round', within: { kind: 'int', value: 1 } }] };
    expect(processSupports(p, 'agreement')).toMatch(/Byzantine/);
  });
});
