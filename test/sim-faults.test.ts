import fc from 'fast-check';
import type { Protocol } from '../src/ir/types';
import { none, random, replay, scripted, split, type Adversary } from '../src/sim/adversary';
import { instanceOrThrow, makeInstance, type InstanceArgs } from '../src/sim/instance';
import { replayTrace } from '../src/sim/replay';
import { simulate } from '../src/sim/simulate';
import type { FaultDecision } from '../src/sim/step';
import type { Trace } from '../src/trace/model';
import { echoAccept, floodset, parse } from './helpers/fault-protocols';
import { safeQuorum } from './helpers/sim-protocols';
import { singleBound } from '../src/ir/faults';

const HASH = 'h';

function run(p: Protocol, args: InstanceArgs, adversary: Adversary, rounds?: number): Trace {
  return simulate(p, instanceOrThrow(p, args), adversary, rounds === undefined ? { hash: HASH } : { hash: HASH, rounds });
}

const errors = (p: Protocol, args: InstanceArgs): string[] => {
  const r = makeInstance(p, args);
  return r.ok ? [] : r.errors.map((e) => e.message);
};

/** A leader protocol under crash faults: the phase's leader proposes, everyone adopts what it hears. */
const leaderCrash = (): Protocol =>
  parse(`protocol LeaderAdopt
values 0..1
resilience n > t
faults crash

var v : value = input

leader message PROPOSE(value)

round propose {
  send PROPOSE(v)
  when count(PROPOSE, 1) >= 1: v := 1
  when count(PROPOSE, 0) >= 1: v := 0
}

horizon 2
claims agreement
`);

describe('instances with crash and omission faults', () => {
  test('faulty processes have inputs; the Byzantine set is empty; kind and membership are recorded', () => {
    const r = makeInstance(floodset(), { n: 3, t: 1, faulty: [2], inputs: [0, 1, 1] });
    expect(r.ok && r.value).toMatchObject({ byzantine: [], faulty: [2], isFaulty: [false, false, true], kind: 'crash', inputs: [0, 1, 1], correct: [0, 1], isByzantine: [false, false, false] });
  });

  test('the fault bound is min(bound, n) and the wrong kind of set is refused', () => {
    expect(errors(floodset(), { n: 3, t: 1, faulty: [1, 2], inputs: [0, 0, 0] })).toEqual(['2 crash-faulty processes exceed the fault bound t = 1']);
    expect(errors(floodset({ bound: 't + 1' }), { n: 3, t: 1, faulty: [1, 2], inputs: [0, 0, 0] })).toEqual([]);
    expect(errors(floodset({ bound: 't + 5' }), { n: 2, t: 1, faulty: [0, 1], inputs: [0, 0] })).toEqual([]);
    expect(errors(floodset({ bound: 't + 1' }), { n: 3, t: 1, faulty: [0, 1, 2], inputs: [0, 0, 0] })).toEqual(['3 crash-faulty processes exceed the fault bound 2 at n = 3, t = 1']);
    expect(errors(floodset(), { n: 3, t: 1, byzantine: [2], inputs: [0, 0, 0] })).toEqual(['Floodset has crash faults, not Byzantine ones: name the faulty processes instead']);
    expect(errors(floodset(), { n: 3, t: 1, faulty: [3], inputs: [0, 0, 0] })).toEqual(['faulty process id 3 is out of range 0..2']);
    expect(errors(floodset(), { n: 3, t: 1, faulty: [2], inputs: [0, 0, null] })).toEqual(['input of process 2 must be a value in 0..1, got null']);
  });
});

describe('simulating crash faults', () => {
  test('split: a crash reaches half the processes, the crashed process is null from its crash round on and sends nothing after', () => {
    const tr = run(floodset({ rounds: 't' }), { n: 3, t: 1, faulty: [0], inputs: [0, 1, 1] }, split());
    expect(tr).toMatchObject({ byzantine: [], faults: 'crash', faulty: [0] });
    expect(Object.keys(tr).slice(0, 6)).toEqual(['protocol', 'n', 't', 'byzantine', 'faults', 'faulty']);
    const r1 = tr.rounds[0]!;
    expect(r1.crashed).toEqual([0]);
    expect(r1.withheld).toEqual([{ from: 0, to: 2, message: 'VAL' }]);
    expect(r1.states[0]).toBeNull();
    expect(r1.fired[0]).toBeNull();
    expect(r1.states[1]).toMatchObject({ v: 0, decided: 0 });
    expect(r1.states[2]).toMatchObject({ v: 1, decided: 1 });
    expect(tr.violations).toEqual([{ property: 'agreement', round: 1, processes: [1, 2], values: [0, 1] }]);
    const later = run(floodset(), { n: 4, t: 2, faulty: [2, 3], inputs: [1, 1, 0, 1] }, split());
    expect(later.rounds[1]!.sent.some((b) => b.from === 2)).toBe(false);
    expect(later.rounds[1]!.crashed).toEqual([3]);
  });

  test('none: faulty processes behave correctly and are still not correct', () => {
    const tr = run(floodset(), { n: 3, t: 1, faulty: [2], inputs: [1, 1, 0] }, none());
    expect(tr.rounds.every((r) => r.crashed!.length === 0 && r.withheld!.length === 0)).toBe(true);
    expect(tr.rounds[1]!.states.map((s) => s?.['decided'])).toEqual([0, 0, 0]);
  });

  test('a crashed leader sends no leader message', () => {
    const p = leaderCrash();
    const crashLeader2: FaultDecision[] = [{ crashed: [1], withheld: [] }];
    const tr = run(p, { n: 3, t: 1, faulty: [1], inputs: [0, 1, 1] }, scripted('s', [], crashLeader2));
    expect(tr.rounds[1]!.leader).toBe(1);
    expect(tr.rounds[1]!.sent).toEqual([]);
    expect(tr.rounds[1]!.states.map((s) => s?.['v'] ?? null)).toEqual([0, null, 0]);
  });

  test('an adversary that breaks the semantics is refused', () => {
    const p = floodset();
    const bad = (d: FaultDecision): (() => Trace) => () => run(p, { n: 3, t: 1, faulty: [2], inputs: [0, 0, 0] }, scripted('bad', [], [d]));
    expect(bad({ crashed: [1], withheld: [] })).toThrow(/process 1 crashes but is not faulty/);
    expect(bad({ crashed: [], withheld: [{ from: 2, to: 0, message: 'VAL' }] })).toThrow(/does not crash in this round/);
    expect(bad({ crashed: [2], withheld: [{ from: 2, to: 5, message: 'VAL' }] })).toThrow(/receiver out of range/);
    expect(bad({ crashed: [2], withheld: [{ from: 2, to: 0, message: 'NOPE' }] })).toThrow(/did not send NOPE/);
    expect(bad({ crashed: [2, 2], withheld: [] })).toThrow(/listed as crashing twice/);
    const twice = scripted('twice', [], [{ crashed: [2], withheld: [] }, { crashed: [2], withheld: [] }]);
    expect(() => run(p, { n: 3, t: 1, faulty: [2], inputs: [0, 0, 0] }, twice)).toThrow(/crashes again/);
  });
});

describe('simulating omission faults', () => {
  test('omission-faulty processes receive everything and update like correct ones; their withheld messages stay in sent', () => {
    const p = floodset({ faults: 'omission' });
    const tr = run(p, { n: 3, t: 1, faulty: [0], inputs: [0, 1, 1] }, split());
    expect(tr.rounds[0]!.crashed).toBeUndefined();
    expect(tr.rounds[0]!.withheld).toEqual([{ from: 0, to: 2, message: 'VAL' }]);
    expect(tr.rounds[0]!.sent.some((b) => b.from === 0)).toBe(true);
    expect(tr.rounds.every((r) => r.states[0] !== null)).toBe(true);
    // process 0 keeps deciding like everyone; process 2 never hears its 0
    expect(tr.rounds[1]!.states.map((s) => s?.['decided'])).toEqual([0, 0, 0]);
    expect(() => run(p, { n: 3, t: 1, faulty: [0], inputs: [0, 1, 1] }, scripted('c', [], [{ crashed: [0], withheld: [] }]))).toThrow(/omissions/);
  });
});

describe('the clean-round assumption', () => {
  test('the built-in strategies keep the required round clean; a scripted adversary that does not is refused', () => {
    const p = floodset({ rounds: 't', clean: 't' });
    for (const adv of [split(), random(3)]) {
      const tr = run(p, { n: 3, t: 1, faulty: [2], inputs: [1, 1, 0] }, adv);
      expect(tr.rounds[0]!.crashed).toEqual([]);
      expect(tr.violations).toEqual([]);
    }
    expect(() => run(p, { n: 3, t: 1, faulty: [2], inputs: [1, 1, 0] }, scripted('x', [], [{ crashed: [2], withheld: [] }]))).toThrow(/assumes a clean round within 1/);
  });
});

describe('replay of crash and omission traces', () => {
  const base = (): Trace => run(floodset({ rounds: 't' }), { n: 3, t: 1, faulty: [0], inputs: [0, 1, 1] }, split());
  const replayed = (mutate: (tr: Trace) => void, p: Protocol = floodset({ rounds: 't' })): string => {
    const tr = JSON.parse(JSON.stringify(base())) as Trace;
    mutate(tr);
    const r = replayTrace(p, tr);
    return r.ok ? 'ok' : `${r.mismatch.kind}: ${r.mismatch.message}`;
  };

  test('a simulated trace replays; tampered fault records are reported clearly', () => {
    expect(replayed(() => undefined)).toBe('ok');
    expect(replayed((tr) => (tr.rounds[0]!.crashed = [1]))).toMatch(/^faults: round 1: process 1 crashes but is not faulty/);
    expect(replayed((tr) => (tr.rounds[0]!.withheld = [{ from: 1, to: 2, message: 'VAL' }]))).toMatch(/the sender is not faulty/);
    expect(replayed((tr) => (tr.rounds[0]!.withheld = [{ from: 0, to: 7, message: 'VAL' }]))).toMatch(/receiver out of range/);
    expect(replayed((tr) => (tr.rounds[0]!.withheld = [{ from: 0, to: 2, message: 'ECHO' }]))).toMatch(/did not send ECHO/);
    expect(replayed((tr) => (tr.rounds[0]!.withheld = []))).toMatch(/^state: process 2: v differs after round 1/);
    expect(replayed((tr) => (tr.faults = 'omission'))).toMatch(/^instance: the trace is a run with omission faults, the protocol's faults are crash/);
    expect(replayed((tr) => (tr.faulty = [1]))).toMatch(/^faults: round 1: process 0 crashes but is not faulty/);
    expect(replayed((tr) => (tr.faulty = [0, 0]))).toMatch(/^instance: faulty process id 0 is listed twice/);
    expect(replayed((tr) => (tr.rounds[0]!.states[0] = { v: 0, decided: 0 }))).toMatch(/state recorded for a Byzantine or crashed process/);
    expect(replayed((tr) => (tr.violations = [{ property: 'agreement', round: 1, processes: [0, 1], values: [0, 0] }]))).toMatch(/^violations/);
    // a clean round within 1 is assumed: the recorded crash in round 1 breaks it
    expect(replayed(() => undefined, floodset({ rounds: 't', clean: 't' }))).toMatch(/^faults: round 1: no round among 1\.\.1 is clean/);
  });

  test('nothing is sent after crashing, and a process crashes once', () => {
    const p = floodset();
    const tr = run(p, { n: 3, t: 1, faulty: [2], inputs: [1, 1, 0] }, scripted('s', [], [{ crashed: [2], withheld: [{ from: 2, to: 0, message: 'VAL' }] }]));
    expect(replayTrace(p, JSON.parse(JSON.stringify(tr)))).toMatchObject({ ok: true });
    const late = JSON.parse(JSON.stringify(tr)) as Trace;
    late.rounds[1]!.sent.push({ from: 2, message: 'VAL', payload: 0 });
    expect(replayTrace(p, late)).toMatchObject({ ok: false, mismatch: { kind: 'sent', message: 'process 2 sends VAL in round 2 after crashing in round 1' } });
    const again = JSON.parse(JSON.stringify(tr)) as Trace;
    again.rounds[1]!.crashed = [2];
    expect(replayTrace(p, again)).toMatchObject({ ok: false, mismatch: { kind: 'faults', message: 'round 2: process 2 crashes again (it crashed in an earlier round)' } });
  });

  test('Byzantine traces carry no fault fields, and refuse crash records', () => {
    const p = safeQuorum();
    const tr = run(p, { n: 4, t: 1, byzantine: [3], inputs: [0, 1, 1, 0] }, split());
    expect(Object.keys(tr)).toEqual(['protocol', 'n', 't', 'byzantine', 'inputs', 'initial', 'rounds', 'violations']);
    expect(Object.keys(tr.rounds[0]!)).toEqual(['round', 'phase', 'name', 'leader', 'sent', 'byzantine', 'fired', 'states']);
    const bad = JSON.parse(JSON.stringify(tr)) as Trace;
    bad.rounds[0]!.crashed = [3];
    expect(replayTrace(p, bad)).toMatchObject({ ok: false, mismatch: { kind: 'faults' } });
  });

  test('recorded user violations must hold in the replayed run, with their witnesses', () => {
    const p = echoAccept('crash', 'followers');
    const tr = run(p, { n: 3, t: 1, faulty: [2], inputs: [0, 0, 1] }, split());
    expect(tr.violations).toEqual([{ property: 'user', name: 'unforgeable', round: 1, processes: [] }]);
    expect(replayTrace(p, JSON.parse(JSON.stringify(tr)), { violations: 'claimed' })).toMatchObject({ ok: true });
    const wrongRound = JSON.parse(JSON.stringify(tr)) as Trace;
    wrongRound.violations = [{ property: 'user', name: 'unforgeable', round: 0, processes: [] }];
    expect(replayTrace(p, wrongRound, { violations: 'claimed' })).toMatchObject({ ok: false, mismatch: { kind: 'violations', message: "the recorded 'unforgeable' violation does not hold in the replayed run" } });
    const later = JSON.parse(JSON.stringify(tr)) as Trace;
    later.violations = [{ property: 'user', name: 'unforgeable', round: 2, processes: [] }];
    expect(replayTrace(p, later, { violations: 'claimed' })).toMatchObject({ ok: true });
    const unknown = JSON.parse(JSON.stringify(tr)) as Trace;
    unknown.violations = [{ property: 'user', name: 'nope', round: 1, processes: [] }];
    expect(replayTrace(p, unknown, { violations: 'claimed' })).toMatchObject({ ok: false });
  });
});

describe('every simulated trace replays to itself (fast-check)', () => {
  const protocols = [floodset(), floodset({ faults: 'omission' }), floodset({ bound: 't + 1', rounds: 't', clean: 't + 1' }), leaderCrash(), echoAccept('crash', 'followers'), echoAccept('omission', 'correct')];
  test('random and split adversaries, random faulty sets and inputs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: protocols.length - 1 }),
        fc.integer({ min: 2, max: 5 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 5, maxLength: 5 }),
        fc.constantFrom('random', 'split', 'swap', 'none'),
        (k, n, seed, bits, which) => {
          const p = protocols[k]!;
          const t = 1;
          const faulty = Array.from({ length: n }, (_, i) => i).filter((i) => (seed >> i) % 2 === 1).slice(0, t + (singleBound(p.faults).kind === 'param' ? 0 : 1));
          const adversary = which === 'random' ? random(seed) : which === 'split' ? split() : which === 'swap' ? split({ swap: true }) : none();
          const tr = run(p, { n, t, faulty, inputs: bits.slice(0, n) }, adversary, 3);
          const back = replayTrace(p, JSON.parse(JSON.stringify(tr)) as Trace);
          expect(back).toMatchObject({ ok: true });
          if (back.ok) expect(back.trace).toEqual(tr);
          expect(replayTrace(p, tr, { violations: 'claimed' })).toMatchObject({ ok: true });
          const again = run(p, { n, t, faulty, inputs: bits.slice(0, n) }, replay(tr), 3);
          expect(again).toEqual(tr);
        },
      ),
      { numRuns: 150, seed: 21 },
    );
  });
});
