// Trace formats for crash and omission faults and user properties (issue 14,
// docs/semantics.md 1.7 and 2.5): golden exports of hand-built runs (checked
// to be the simulator's runs), and round trips of generated and simulated
// fault traces (fast-check). Located errors: trace-faults-errors.test.ts.
import fc from 'fast-check';
import { join } from 'path';
import { protocolHash } from '../src/ir/hash';
import type { Protocol } from '../src/ir/types';
import { random, scripted, split } from '../src/sim/adversary';
import { makeInstance } from '../src/sim/instance';
import { simulate } from '../src/sim/simulate';
import { userViolations } from '../src/sim/user-properties';
import { conformanceProblems } from '../src/trace/conform';
import { traceToHtml } from '../src/trace/html';
import { itfToText, traceToItf } from '../src/trace/itf';
import { traceToJson } from '../src/trace/json';
import type { FaultKind, RoundRecord, Trace, Violation } from '../src/trace/model';
import { describeViolation, traceToText } from '../src/trace/text';
import { arbitraryProtocol } from './helpers/arbitrary-protocol';
import { expectGolden } from './helpers/golden';
import { crashRun, crashTrace, EAGER_FLOODMIN, fixtureProtocol, MINFLOOD_OMISSION, omissionTrace, readOk } from './fixtures/traces-faults/traces';
import { singleBound } from '../src/ir/faults';

const GOLDEN = join(__dirname, 'golden', 'trace-faults');
const golden = (name: string, actual: string): void => expectGolden(join(GOLDEN, name), actual);

describe('golden exports of the hand-built crash and omission runs', () => {
  const cases = [
    { name: 'crash', trace: crashTrace, file: EAGER_FLOODMIN },
    { name: 'omission', trace: omissionTrace, file: MINFLOOD_OMISSION },
  ];
  for (const c of cases) {
    const p = fixtureProtocol(c.file);
    test(`${c.name}: the trace is a well-formed trace of its protocol`, () => {
      expect(readOk(traceToJson(c.trace()))).toEqual(c.trace());
      expect(conformanceProblems(c.trace(), p)).toEqual([]);
    });
    test(`${c.name}: text`, () => golden(`${c.name}.txt`, traceToText(c.trace())));
    test(`${c.name}: JSON`, () => golden(`${c.name}.json`, traceToJson(c.trace())));
    test(`${c.name}: ITF`, () => golden(`${c.name}.itf.json`, itfToText(traceToItf(c.trace(), p, { source: c.file }))));
    test(`${c.name}: HTML with its protocol`, () => golden(`${c.name}.html`, traceToHtml(c.trace(), { protocol: p, file: c.file })));
  }

  test('the text names who is faulty, the crash and whom it reached, the withheld messages, the crashed states', () => {
    const crash = traceToText(crashTrace());
    expect(crash).toContain('n=3 t=1  faulty (crash): p2  hash');
    expect(crash).toContain('  p2 CRASHES: VAL(0) reached p0 only (withheld from p1)');
    expect(crash.match(/ {2}p2 {3}crashed/g)).toHaveLength(2);
    expect(crash).not.toMatch(/Byzantine|byz/);
    const omission = traceToText(omissionTrace());
    expect(omission).toContain('faulty (omission): p1');
    expect(omission).toContain('  withheld  p1 -/-> p0, p2 VAL(0)');
    expect(omission).toContain('  withheld  p1 -/-> p2 VAL(0)');
    expect(omission).toMatch(/p1 {3}rule 1 {3}v=0 input=0 {2}\[omission-faulty\]/);
    expect(omission).toContain('leader p1 omission-faulty');
    expect(omission).toContain('property converge violated at the end of round 2: witness p2');
  });

  test('the hand-built runs are the runs the simulator computes under the same crash and withholding decisions', () => {
    const run = (file: string, faulty: number[], inputs: number[], faults: Parameters<typeof scripted>[2]): Trace => {
      const p = fixtureProtocol(file);
      const inst = makeInstance(p, { n: 3, t: 1, faulty, inputs });
      if (!inst.ok) throw new Error(inst.errors.map((e) => e.message).join('; '));
      return simulate(p, inst.value, scripted('hand', [[], []], faults), { hash: protocolHash(p), rounds: 2 });
    };
    const none = { crashed: [], withheld: [] };
    expect(run(EAGER_FLOODMIN, [2], [1, 1, 0], [{ crashed: [2], withheld: [{ from: 2, to: 1, message: 'VAL' }] }, none])).toEqual(crashTrace());
    const w = (to: number) => ({ from: 1, to, message: 'VAL' });
    expect(run(MINFLOOD_OMISSION, [1], [1, 0, 1], [{ crashed: [], withheld: [w(0), w(2)] }, { crashed: [], withheld: [w(2)] }])).toEqual(omissionTrace());
  });

  test("the omission run's user violation is the one the simulator's evaluator finds", () => {
    const trace = omissionTrace();
    const p = fixtureProtocol(MINFLOOD_OMISSION);
    const run = { n: 3, t: 1, faults: 'omission' as const, faulty: [1], roundsPerPhase: 1, states: [trace.initial, ...trace.rounds.map((r) => r.states)], inputs: trace.inputs };
    expect(userViolations(p, run)).toEqual(trace.violations);
  });

  test('user violations: round 0, no witnesses, many witnesses', () => {
    const v = (round: number, processes: number[]): Violation => ({ property: 'user', name: 'two_set', round, processes });
    expect(describeViolation(v(0, []))).toBe('property two_set violated in the initial states: no witnesses');
    expect(describeViolation(v(3, [1, 4]))).toBe('property two_set violated at the end of round 3: witnesses p1, p4');
    expect(describeViolation(v(1, Array.from({ length: 25 }, (_, i) => i)))).toMatch(/witnesses p0, p1, .*p19 and 5 more$/);
  });

  test('a large crash run: lists are clipped, every crash has its line', () => {
    const n = 40;
    const crashes = Array.from({ length: 13 }, (_, k) => ({ who: 27 + k, reached: [k] }));
    const text = traceToText(crashRun(n, 13, Array.from({ length: n }, (_, i) => (i >= 27 ? 0 : 1)), crashes));
    expect(text).toContain('faulty (crash): p27, p28');
    expect(text).toContain('p27 CRASHES: VAL(0) reached p0 only (withheld from p1, p2, p3, p4, ');
    expect(text).toMatch(/withheld from p1, .* and \d+ more\)/);
    expect(text.match(/CRASHES/g)).toHaveLength(13);
  });
});

/** A generated run (Byzantine faults, or none) made into a trace of `kind` faults that satisfies the schema. */
function withFaults(trace: Trace, kind: FaultKind, faulty: number[], crashAt: number[], keep: boolean[][], userV: Violation | null): Trace {
  if (kind === 'byzantine') return { ...trace, faults: 'byzantine', violations: userV === null ? trace.violations : [...trace.violations, userV] };
  const crashRound = new Map<number, number>();
  if (kind === 'crash') faulty.forEach((i, k) => crashAt[k]! > 0 && crashAt[k]! <= trace.rounds.length && crashRound.set(i, crashAt[k]!));
  let bit = 0;
  const rounds = trace.rounds.map((r): RoundRecord => {
    const dead = (i: number): boolean => (crashRound.get(i) ?? Infinity) < r.round;
    const crashed = faulty.filter((i) => crashRound.get(i) === r.round);
    const sent = r.sent.filter((b) => !dead(b.from));
    const canLose = sent.filter((b) => (kind === 'omission' ? faulty.includes(b.from) : crashed.includes(b.from)));
    const withheld = canLose.flatMap((b) => Array.from({ length: trace.n }, (_, to) => to).filter(() => keep[bit++ % keep.length]![0] === true).map((to) => ({ from: b.from, to, message: b.message })));
    const gone = (i: number): boolean => dead(i) || crashed.includes(i);
    return {
      ...r,
      sent,
      fired: r.fired.map((f, i) => (gone(i) ? null : f)),
      states: r.states.map((s, i) => (gone(i) ? null : s)),
      // as the simulator writes them: in every round, empty or not
      ...(kind === 'crash' ? { crashed } : {}),
      withheld,
    };
  });
  return { ...trace, faults: kind, faulty, rounds, violations: userV === null ? trace.violations : [...trace.violations, userV] };
}

/** Small random protocols simulated at n = 6, t = 1, made into traces of every fault kind (not runs: format round trips only). */
const arbitraryFaultTrace: fc.Arbitrary<{ protocol: Protocol; trace: Trace }> = arbitraryProtocol({ maxRounds: 2 }).chain((protocol) =>
  fc
    .record({
      kind: fc.constantFrom<FaultKind | 'none'>('none', 'byzantine', 'crash', 'omission'),
      faulty: fc.uniqueArray(fc.integer({ min: 0, max: 5 }), { maxLength: 2 }).map((ids) => [...ids].sort((a, b) => a - b)),
      crashAt: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 2, maxLength: 2 }),
      keep: fc.array(fc.tuple(fc.boolean()), { minLength: 1, maxLength: 12 }),
      inputs: fc.array(fc.integer({ min: 0, max: protocol.values - 1 }), { minLength: 6, maxLength: 6 }),
      seed: fc.integer({ min: 0, max: 1 << 30 }),
      rounds: fc.integer({ min: 0, max: 4 }),
      user: fc.option(fc.record({ name: fc.string({ minLength: 1, maxLength: 8 }), round: fc.nat(4), processes: fc.uniqueArray(fc.integer({ min: 0, max: 5 }), { maxLength: 3 }) }), { nil: null }),
    })
    .map(({ kind, faulty, crashAt, keep, inputs, seed, rounds, user }) => {
      // n = 6, t = 1 satisfies every resilience condition the generator draws (n > k*t, k <= 5); crash and omission traces may have more faulty processes than t
      const byz = kind === 'none' || kind === 'byzantine';
      const inst = makeInstance(protocol, { n: 6, t: 1, byzantine: byz ? faulty.slice(0, 1) : [], inputs });
      if (!inst.ok) throw new Error(inst.errors.map((e) => e.message).join('; '));
      const base = simulate(protocol, inst.value, random(seed), { hash: protocolHash(protocol), rounds });
      const userV: Violation | null = user === null ? null : { property: 'user', ...user };
      return { protocol, trace: kind === 'none' ? base : withFaults(base, kind, faulty, crashAt, keep, userV) };
    }),
);

/** Small random protocols made crash or omission ones, simulated at n = 6, t = 1 under the random and split adversaries: real runs. */
const arbitrarySimulatedFaultTrace: fc.Arbitrary<{ protocol: Protocol; trace: Trace }> = arbitraryProtocol({ maxRounds: 2 }).chain((generated) =>
  fc
    .record({
      kind: fc.constantFrom<FaultKind>('crash', 'omission'),
      faulty: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }),
      inputs: fc.array(fc.integer({ min: 0, max: generated.values - 1 }), { minLength: 6, maxLength: 6 }),
      seed: fc.option(fc.integer({ min: 0, max: 1 << 30 }), { nil: null }),
      rounds: fc.integer({ min: 0, max: 4 }),
    })
    .map(({ kind, faulty, inputs, seed, rounds }) => {
      const protocol: Protocol = { ...generated, faults: { kind, bound: singleBound(generated.faults) } };
      const inst = makeInstance(protocol, { n: 6, t: 1, faulty: faulty === null ? [] : [faulty], inputs });
      if (!inst.ok) throw new Error(inst.errors.map((e) => e.message).join('; '));
      return { protocol, trace: simulate(protocol, inst.value, seed === null ? split() : random(seed), { hash: protocolHash(protocol), rounds }) };
    }),
);

describe('round trips of Byzantine, crash and omission traces', () => {
  test('simulated crash and omission runs: JSON and ITF round trips are the identity', () => {
    let faulted = 0;
    fc.assert(
      fc.property(arbitrarySimulatedFaultTrace, ({ protocol, trace }) => {
        if (trace.rounds.some((r) => (r.crashed ?? []).length > 0 || (r.withheld ?? []).length > 0)) faulted++;
        expect(readOk(traceToJson(trace))).toEqual(trace);
        const itf = itfToText(traceToItf(trace, protocol));
        expect(readOk(itf, 'trace.itf.json')).toEqual(trace);
        traceToText(trace);
        traceToHtml(trace, { protocol });
      }),
      { numRuns: 100 },
    );
    expect(faulted).toBeGreaterThan(10);
  });

  test('every generated trace satisfies the schema; JSON -> trace is the identity', () => {
    fc.assert(
      fc.property(arbitraryFaultTrace, ({ trace }) => {
        expect(readOk(traceToJson(trace))).toEqual(trace);
      }),
      { numRuns: 150 },
    );
  });

  test('trace -> ITF -> trace is the identity, and ITF -> trace -> ITF too', () => {
    const kinds = new Set<string>();
    fc.assert(
      fc.property(arbitraryFaultTrace, ({ protocol, trace }) => {
        kinds.add(trace.faults ?? 'none');
        const itf = itfToText(traceToItf(trace, protocol));
        const back = readOk(itf, 'trace.itf.json');
        expect(back).toEqual(trace);
        expect(itfToText(traceToItf(back, protocol))).toBe(itf);
      }),
      { numRuns: 200 },
    );
    expect([...kinds].sort()).toEqual(['byzantine', 'crash', 'none', 'omission']);
  });

  test('the hand-built runs round-trip exactly through JSON and ITF', () => {
    for (const [trace, file] of [
      [crashTrace(), EAGER_FLOODMIN],
      [omissionTrace(), MINFLOOD_OMISSION],
    ] as const) {
      const p = fixtureProtocol(file);
      expect(readOk(traceToJson(trace))).toEqual(trace);
      expect(readOk(itfToText(traceToItf(trace, p)), 't.itf.json')).toEqual(trace);
    }
  });

  test('the ITF of a fault trace: params faults and faulty, vars crashed and withheld, their types', () => {
    const itf = traceToItf(crashTrace(), fixtureProtocol(EAGER_FLOODMIN));
    expect(itf.params).toEqual(['n', 't', 'faults', 'faulty', 'inputs']);
    expect(itf.vars.slice(-2)).toEqual(['crashed', 'withheld']);
    expect(itf.states[1]!['crashed']).toEqual({ '#set': [{ '#bigint': '2' }] });
    expect(itf.states[1]!['withheld']).toEqual({ '#set': [{ from: { '#bigint': '2' }, to: { '#bigint': '1' }, message: 'VAL' }] });
    expect(itf.states[0]!['faults']).toBe('crash');
    const types = itf['#meta'].varTypes!;
    expect(Object.keys(types).sort()).toEqual([...itf.params, ...itf.vars].sort());
    expect(types['withheld']).toBe('Set({ from: Int, to: Int, message: Str })');
    const omission = traceToItf(omissionTrace(), fixtureProtocol(MINFLOOD_OMISSION));
    expect(omission.vars).not.toContain('crashed');
    expect(omission['#meta'].status).toBe('violation');
    expect(omission['#meta'].violations).toEqual([{ property: 'user', name: 'converge', round: 2, processes: [2] }]);
  });
});
