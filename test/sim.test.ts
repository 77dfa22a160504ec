import fc from 'fast-check';
import { evalExpr, evalParamExpr, majority, type EvalEnv } from '../src/ir/eval';
import type { Protocol } from '../src/ir/types';
import { makeInstance, instanceOrThrow, type InstanceArgs } from '../src/sim/instance';
import { random, replay, scripted, silent, split, type Adversary } from '../src/sim/adversary';
import { simulate } from '../src/sim/simulate';
import { replayTrace } from '../src/sim/replay';
import { roundPosition, sendsOf, stepRound } from '../src/sim/step';
import type { Trace } from '../src/trace/model';
import * as b from './helpers/sim-ir';
import { brokenQuorum, phaseKing, safeQuorum } from './helpers/sim-protocols';

const HASH = 'test-hash';

function run(protocol: Protocol, args: InstanceArgs, adversary: Adversary, rounds?: number): Trace {
  return simulate(protocol, instanceOrThrow(protocol, args), adversary, rounds === undefined ? { hash: HASH } : { hash: HASH, rounds });
}

const env = (over: Partial<EvalEnv> = {}): EvalEnv => ({ n: 7, t: 2, phase: 3, values: 3, state: { x: 1, f: true, decided: null }, ...over });

describe('evalExpr', () => {
  const inbox = new Map([
    ['VAL', new Map<number | boolean | null, number>([[0, 2], [2, 2], [1, 1]])],
    ['PING', new Map<number | boolean | null, number>([[null, 4]])],
  ]);

  test('parameters, phase, variables and linear arithmetic', () => {
    expect(evalExpr(b.sub(b.add(b.N, b.mul(2, b.T)), b.phase), env())).toBe(8);
    expect(evalExpr(b.v('x'), env())).toBe(1);
    expect(evalExpr(b.v('decided'), env())).toBeNull();
    expect(evalExpr(b.cmp(b.v('decided'), '==', b.none), env())).toBe(true);
    expect(evalExpr(b.and(b.v('f'), b.not(b.cmp(b.v('x'), '!=', b.int(1)))), env())).toBe(true);
    expect(evalExpr(b.or(b.bool(false), b.cmp(b.T, '>=', b.int(3))), env())).toBe(false);
  });

  test('counts with and without payload, counting a missing type as zero', () => {
    expect(evalExpr(b.count('VAL'), env({ inbox }))).toBe(5);
    expect(evalExpr(b.count('VAL', b.v('x')), env({ inbox }))).toBe(1);
    expect(evalExpr(b.count('PING'), env({ inbox }))).toBe(4);
    expect(evalExpr(b.count('ECHO', b.int(0)), env({ inbox }))).toBe(0);
  });

  test('maj breaks ties by the tie rule over the whole domain', () => {
    expect(evalExpr(b.maj('VAL'), env({ inbox }))).toBe(0);
    expect(evalExpr(b.maj('VAL', 'max'), env({ inbox }))).toBe(2);
    expect(majority(undefined, 3, 'min')).toBe(0);
    expect(majority(undefined, 3, 'max')).toBe(2);
    expect(majority(new Map([[1, 1]]), 3, 'max')).toBe(1);
  });

  test('counts outside a guard and unknown variables are bugs', () => {
    expect(() => evalExpr(b.count('VAL'), env())).toThrow(/outside a guard/);
    expect(() => evalExpr(b.v('nope'), env())).toThrow(/unknown variable/);
    expect(() => evalParamExpr(b.add(b.N, b.phase), 4, 1)).toThrow(/'phase' in a parameter expression/);
    expect(() => evalParamExpr(b.not(b.v('x')), 4, 1)).toThrow(/'var' in a parameter expression/);
  });

  test('evalParamExpr evaluates resilience conditions and bounds', () => {
    const resilience = b.cmp(b.N, '>', b.mul(3, b.T));
    expect(evalParamExpr(resilience, 4, 1)).toBe(true);
    expect(evalParamExpr(resilience, 3, 1)).toBe(false);
    expect(evalParamExpr(b.mul(2, b.add(b.T, b.int(1))), 9, 2)).toBe(6);
  });
});

describe('makeInstance', () => {
  const p = safeQuorum();
  const messages = (args: InstanceArgs): string[] => {
    const r = makeInstance(p, args);
    return r.ok ? [] : r.errors.map((e) => `${e.loc.file}: ${e.message}`);
  };

  test('accepts a valid instance and nulls Byzantine inputs', () => {
    const r = makeInstance(p, { n: 4, t: 1, byzantine: [3], inputs: [0, 1, 1, 0] });
    expect(r.ok && r.value).toEqual({ n: 4, t: 1, byzantine: [3], inputs: [0, 1, 1, null], isByzantine: [false, false, false, true], correct: [0, 1, 2] });
  });

  test('rejects impossible parameters with clear messages', () => {
    expect(messages({ n: 4, t: 1, byzantine: [2, 3], inputs: [0, 0, 0, 0] })).toEqual(['<args>: 2 Byzantine processes exceed the fault bound t = 1']);
    expect(messages({ n: 4, t: 1, byzantine: [4], inputs: [0, 0, 0, 0] })).toEqual(['<args>: Byzantine process id 4 is out of range 0..3']);
    expect(messages({ n: 4, t: 1, byzantine: [1, 1], inputs: [0, 0, 0, 0] })[0]).toMatch(/listed twice/);
    expect(messages({ n: 4, t: 1, byzantine: [], inputs: [0, 0, 0] })).toEqual(['<args>: expected 4 inputs (one per process), got 3']);
    expect(messages({ n: 4, t: 1, byzantine: [], inputs: [0, 2, 0, 0] })).toEqual(['<args>: input of process 1 must be a value in 0..1, got 2']);
    expect(messages({ n: 3, t: 1, byzantine: [], inputs: [0, 0, 0] })).toEqual(['<args>: n = 3, t = 1 violates the resilience condition of SafeQuorum']);
    expect(messages({ n: 0, t: 0, byzantine: [], inputs: [] })[0]).toMatch(/n must be a positive integer/);
  });
});

describe('one round', () => {
  test('a leader message is sent only by the phase leader, and only when its condition holds', () => {
    const p = phaseKing();
    const pos = roundPosition(p, 5, 4); // phase 2, king round: leader 1
    expect(pos).toEqual({ round: 4, phase: 2, index: 1, leader: 1 });
    const state = { v: 1, strong: false, decided: null };
    expect(sendsOf(p, 5, 1, pos, 0, state)).toEqual([]);
    expect(sendsOf(p, 5, 1, pos, 1, state)).toEqual([{ from: 1, message: 'KING', payload: 1 }]);
    const guarded = b.protocol({ ...p, name: 'G', rounds: [{ name: 'only', sends: [b.send('VAL', b.v('v'), b.v('strong'))], rules: [] }], termination: b.int(1) });
    expect(sendsOf(guarded, 5, 1, roundPosition(guarded, 5, 1), 0, state)).toEqual([]);
  });

  test('the first matching rule fires with parallel assignment; decisions are irrevocable', () => {
    const p = b.protocol({
      name: 'Swap',
      resilience: b.bool(true),
      vars: [b.valueVar('x'), b.valueVar('y', b.int(1))],
      messages: [b.message('VAL')],
      rounds: [
        {
          name: 'swap',
          sends: [b.send('VAL', b.v('x'))],
          rules: [
            b.rule(b.cmp(b.count('VAL', b.int(0)), '>=', b.int(3)), b.assign('x', b.v('y')), b.assign('y', b.v('x')), b.decide(b.v('x'))),
            b.rule(b.bool(true), b.decide(b.int(1))),
          ],
        },
      ],
      horizon: b.int(2),
    });
    const trace = run(p, { n: 3, t: 0, byzantine: [], inputs: [0, 0, 0] }, silent());
    // Round 1: x and y swap (both read the old state) and decide the old x (0).
    expect(trace.rounds[0]!.states[0]).toEqual({ x: 1, y: 0, decided: 0 });
    expect(trace.rounds[0]!.fired).toEqual([0, 0, 0]);
    // Round 2: the second rule fires, but decided stays 0.
    expect(trace.rounds[1]!.states[0]).toEqual({ x: 1, y: 0, decided: 0 });
    expect(trace.rounds[1]!.fired).toEqual([1, 1, 1]);
  });

  test('Byzantine messages reach only their receiver', () => {
    const p = safeQuorum();
    const inst = instanceOrThrow(p, { n: 4, t: 1, byzantine: [3], inputs: [1, 1, 0, null] });
    const out = stepRound(p, inst, roundPosition(p, 4, 1), [{ v: 1, decided: null }, { v: 1, decided: null }, { v: 0, decided: null }, null], [
      { from: 3, to: 2, message: 'VAL', payload: 1 },
    ]);
    expect(out.states.map((s) => s?.decided ?? null)).toEqual([null, null, 1, null]);
  });
});

describe('simulate', () => {
  const adversaries = (): Adversary[] => [silent(), random(1), random(2), split(), split({ swap: true })];

  test('a correct quorum protocol keeps agreement and validity under every built-in adversary', () => {
    for (const [n, t] of [
      [4, 1],
      [7, 2],
    ] as const) {
      for (let mask = 0; mask < 1 << (n - t); mask++) {
        const inputs = Array.from({ length: n }, (_, i) => (i < n - t ? (mask >> i) & 1 : null));
        const byzantine = Array.from({ length: t }, (_, k) => n - 1 - k);
        for (const adv of adversaries()) expect(run(safeQuorum(), { n, t, byzantine, inputs }, adv, 3).violations).toEqual([]);
      }
    }
  });

  test('Phase King decides, agrees and is valid under every built-in adversary, including Byzantine kings', () => {
    for (const [n, t, byzantine] of [
      [5, 1, [0]],
      [5, 1, [4]],
      [9, 2, [0, 1]],
      [9, 2, [1, 5]],
    ] as const) {
      for (const inputs of [Array.from({ length: n }, (_, i) => i % 2), Array.from({ length: n }, () => 1), Array.from({ length: n }, (_, i) => (i < 2 ? 0 : 1))]) {
        for (const adv of adversaries()) {
          const trace = run(phaseKing(), { n, t, byzantine: [...byzantine], inputs }, adv);
          expect(trace.rounds).toHaveLength(2 * (t + 1));
          expect(trace.violations).toEqual([]);
          const last = trace.rounds[trace.rounds.length - 1]!;
          for (let i = 0; i < n; i++) expect(last.states[i] === null || last.states[i]!.decided !== null).toBe(true);
        }
      }
    }
  });

  test('split breaks the t + 1 quorum: agreement fails in round 1', () => {
    const trace = run(brokenQuorum(), { n: 4, t: 1, byzantine: [3], inputs: [0, 0, 1, null] }, split());
    expect(trace.violations).toEqual([{ property: 'agreement', round: 1, processes: [0, 2], values: [0, 1] }]);
    expect(trace.rounds[0]!.byzantine).toEqual([
      { from: 3, to: 0, message: 'VAL', payload: 0 },
      { from: 3, to: 1, message: 'VAL', payload: 0 },
      { from: 3, to: 2, message: 'VAL', payload: 1 },
    ]);
  });

  test('validity and termination violations are reported at their rounds', () => {
    // Always decide 0 after one round: validity fails for unanimous 1.
    const always0 = b.protocol({
      name: 'Always0',
      resilience: b.cmp(b.N, '>', b.mul(3, b.T)),
      vars: [b.valueVar('v')],
      messages: [b.message('VAL')],
      rounds: [{ name: 'r', sends: [b.send('VAL', b.v('v'))], rules: [b.rule(b.cmp(b.phase, '==', b.int(2)), b.decide(b.int(0)))] }],
      termination: b.int(1),
      horizon: b.int(2),
    });
    const trace = run(always0, { n: 4, t: 1, byzantine: [1], inputs: [1, null, 1, 1] }, silent());
    expect(trace.violations).toEqual([
      { property: 'validity', round: 2, process: 0, value: 0, input: 1 },
      { property: 'termination', round: 1, processes: [0, 2, 3] },
    ]);
    expect(trace.inputs).toEqual([1, null, 1, 1]);
    expect(trace.initial[1]).toBeNull();
    expect(trace.rounds.every((r) => r.states[1] === null && r.fired[1] === null)).toBe(true);
    // Fewer rounds than the bound: termination is not judged.
    expect(run(always0, { n: 4, t: 1, byzantine: [], inputs: [0, 0, 0, 0] }, silent(), 0).violations).toEqual([]);
  });

  test('an adversary that breaks the Byzantine semantics is rejected', () => {
    const p = phaseKing();
    const args = { n: 5, t: 1, byzantine: [4], inputs: [0, 0, 1, 1, null] };
    const kingFromNonLeader = scripted('bad', [[], [{ from: 4, to: 0, message: 'KING', payload: 1 }]]);
    expect(() => run(p, args, kingFromNonLeader)).toThrow(/only the phase's leader/);
    const twice = scripted('bad', [[{ from: 4, to: 0, message: 'VAL', payload: 1 }, { from: 4, to: 0, message: 'VAL', payload: 0 }]]);
    expect(() => run(p, args, twice)).toThrow(/more than one message/);
    const fromCorrect = scripted('bad', [[{ from: 0, to: 1, message: 'VAL', payload: 1 }]]);
    expect(() => run(p, args, fromCorrect)).toThrow(/not a Byzantine process/);
    const badPayload = scripted('bad', [[{ from: 4, to: 1, message: 'VAL', payload: 2 }]]);
    expect(() => run(p, args, badPayload)).toThrow(/not of the message's type/);
  });

  test('the random adversary is deterministic per seed', () => {
    const args = { n: 9, t: 2, byzantine: [0, 3], inputs: [0, 1, 0, 1, 0, 1, 0, 1, 0] };
    expect(run(phaseKing(), args, random(42))).toEqual(run(phaseKing(), args, random(42)));
    expect(run(phaseKing(), args, random(42))).not.toEqual(run(phaseKing(), args, random(43)));
  });
});

describe('replayTrace', () => {
  const broken = (): Trace => run(brokenQuorum(), { n: 4, t: 1, byzantine: [3], inputs: [0, 0, 1, null] }, split());

  test('reproduces a simulated run, also after a JSON round trip', () => {
    const trace = broken();
    const report = replayTrace(brokenQuorum(), JSON.parse(JSON.stringify(trace)) as Trace, { hash: HASH });
    expect(report.ok).toBe(true);
    expect(report.ok && report.trace).toEqual(trace);
  });

  test('reports the first mismatch: round, process, variable', () => {
    const trace = broken();
    const tampered: Trace = JSON.parse(JSON.stringify(trace)) as Trace;
    tampered.rounds[1]!.states[1]!.v = 1;
    const report = replayTrace(brokenQuorum(), tampered);
    expect(report.ok).toBe(false);
    if (!report.ok) expect(report.mismatch).toMatchObject({ kind: 'state', round: 2, process: 1, variable: 'v', recorded: '1', replayed: '0' });
  });

  test('detects a forged decision, a forged violation, a wrong rule and an illegal Byzantine message', () => {
    const forgedDecision: Trace = JSON.parse(JSON.stringify(broken())) as Trace;
    forgedDecision.rounds[0]!.states[2]!.decided = 0;
    expect(replayTrace(brokenQuorum(), forgedDecision)).toMatchObject({ ok: false, mismatch: { kind: 'state', round: 1, process: 2, variable: 'decided' } });

    const noViolation: Trace = { ...broken(), violations: [] };
    expect(replayTrace(brokenQuorum(), noViolation)).toMatchObject({ ok: false, mismatch: { kind: 'violations' } });

    const wrongRule: Trace = JSON.parse(JSON.stringify(broken())) as Trace;
    wrongRule.rounds[0]!.fired[0] = 2;
    expect(replayTrace(brokenQuorum(), wrongRule)).toMatchObject({ ok: false, mismatch: { kind: 'fired', round: 1, process: 0 } });
    expect(replayTrace(brokenQuorum(), wrongRule, { checkFired: false }).ok).toBe(true);

    const illegal: Trace = JSON.parse(JSON.stringify(broken())) as Trace;
    illegal.rounds[0]!.byzantine.push({ from: 3, to: 0, message: 'VAL', payload: 1 });
    expect(replayTrace(brokenQuorum(), illegal)).toMatchObject({ ok: false, mismatch: { kind: 'byzantine', round: 1 } });

    expect(replayTrace(brokenQuorum(), { ...broken(), t: 0 })).toMatchObject({ ok: false, mismatch: { kind: 'instance' } });
    expect(replayTrace(safeQuorum(), broken())).toMatchObject({ ok: false, mismatch: { kind: 'protocol' } });
    expect(replayTrace(brokenQuorum(), broken(), { hash: 'other' })).toMatchObject({ ok: false, mismatch: { kind: 'protocol' } });
  });

  test("'claimed' mode accepts other witnesses but not false ones", () => {
    const trace = broken();
    const otherPair: Trace = { ...trace, violations: [{ property: 'agreement', round: 2, processes: [1, 2], values: [0, 1] }] };
    expect(replayTrace(brokenQuorum(), otherPair).ok).toBe(false);
    expect(replayTrace(brokenQuorum(), otherPair, { violations: 'claimed' }).ok).toBe(true);
    const falsePair: Trace = { ...trace, violations: [{ property: 'agreement', round: 1, processes: [0, 1], values: [0, 1] }] };
    expect(replayTrace(brokenQuorum(), falsePair, { violations: 'claimed' })).toMatchObject({ ok: false, mismatch: { kind: 'violations', round: 1 } });
  });

  test('property: a random adversary run replays exactly (fast-check)', () => {
    const protocols = [safeQuorum(), brokenQuorum(), phaseKing()];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: protocols.length - 1 }),
        fc.integer({ min: 1, max: 2 }),
        fc.integer(),
        fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 11, maxLength: 11 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 10 }), { maxLength: 2 }),
        (which, t, seed, rawInputs, rawByz) => {
          const p = protocols[which]!;
          const n = 4 * t + 1 + (seed & 1);
          const byzantine = rawByz.map((x) => x % n).filter((x, k, xs) => xs.indexOf(x) === k).slice(0, t);
          const trace = run(p, { n, t, byzantine, inputs: rawInputs.slice(0, n) }, random(seed));
          const report = replayTrace(p, JSON.parse(JSON.stringify(trace)) as Trace);
          expect(report.ok).toBe(true);
          expect(replay(trace).name).toBe('replay');
        },
      ),
      { numRuns: 150 },
    );
  });
});
