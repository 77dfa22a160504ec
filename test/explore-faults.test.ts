import fc from 'fast-check';
import type { FaultKind, Protocol, UserProperty } from '../src/ir/types';
import { explore, type ExploreOptions, type ExploreResult } from '../src/sim/explore';
import { replayTrace } from '../src/sim/replay';
import * as b from './helpers/sim-ir';
import { bruteForceFaults } from './helpers/fault-brute';
import { decideOwn, echoAccept, floodset } from './helpers/fault-protocols';
import { randomProtocol } from './helpers/sim-random';
import { brokenQuorum, safeQuorum } from './helpers/sim-protocols';

function exploreOk(protocol: Protocol, options: Omit<ExploreOptions, 'hash'>): ExploreResult {
  const r = explore(protocol, { hash: 'h', ...options });
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
  return r.value;
}

const statuses = (r: ExploreResult): Record<string, string> => Object.fromEntries(Object.entries(r.byName).map(([k, v]) => [k, v.status]));

/** Every witness replays exactly (JSON round trip) and shows its property. */
function expectWitnessesReplay(protocol: Protocol, r: ExploreResult): void {
  for (const [name, v] of Object.entries(r.byName)) {
    if (v.status !== 'violated') continue;
    expect(v.witness.violations.map((x) => (x.property === 'user' ? x.name : x.property))).toContain(name);
    expect(replayTrace(protocol, JSON.parse(JSON.stringify(v.witness)))).toMatchObject({ ok: true });
  }
}

describe('explore: crash faults', () => {
  test('floodset deciding in round t + 1 is correct at n = 3, 4 (t = 1) and n = 4 (t = 2)', () => {
    for (const [n, t] of [[3, 1], [4, 1], [4, 2]] as const) {
      const r = exploreOk(floodset(), { n, t });
      expect([n, t, statuses(r)]).toEqual([n, t, { agreement: 'holds', termination: 'holds' }]);
      expect(r.stats.byzantineSets.map((s) => s.length)).toEqual(Array.from({ length: t + 1 }, (_, k) => t - k));
    }
  });

  test('floodset deciding in round t is broken at the smallest instance, by a crash that reaches one process', () => {
    const p = floodset({ rounds: 't' });
    const r = exploreOk(p, { n: 3, t: 1 });
    expect(statuses(r)).toEqual({ agreement: 'violated', termination: 'holds' });
    const v = r.byName.agreement!;
    if (v.status !== 'violated') throw new Error('expected a witness');
    expect(v.witness.faults).toBe('crash');
    expect(v.witness.rounds[0]!.crashed).toHaveLength(1);
    expect(v.witness.violations[0]).toMatchObject({ property: 'agreement', round: 1 });
    expectWitnessesReplay(p, r);
  });

  test('a bound of t + 1 breaks floodset at t + 1 rounds (n = 4, t = 1: two crashes in a chain)', () => {
    const p = floodset({ bound: 't + 1' });
    const r = exploreOk(p, { n: 4, t: 1 });
    expect(r.byName.agreement!.status).toBe('violated');
    const v = r.byName.agreement!;
    if (v.status === 'violated') {
      expect(v.witness.faulty).toHaveLength(2);
      expect(v.witness.violations[0]).toMatchObject({ property: 'agreement', round: 2 });
    }
    expectWitnessesReplay(p, r);
    // the bound is what breaks it: at n = 3 two crashes leave a single correct process
    expect(statuses(exploreOk(p, { n: 3, t: 1 }))).toEqual({ agreement: 'holds', termination: 'holds' });
  });

  test('assuming a clean round within t makes floodset deciding in round t correct', () => {
    for (const [n, t] of [[3, 1], [4, 2]] as const) {
      const p = floodset({ rounds: 't', clean: 't' });
      expect(statuses(exploreOk(p, { n, t }))).toEqual({ agreement: 'holds', termination: 'holds' });
    }
    // a later clean round does not help: round t itself may still split the processes
    const late = floodset({ rounds: 't', clean: 't + 1' });
    const r = exploreOk(late, { n: 3, t: 1 });
    expect(r.byName.agreement!.status).toBe('violated');
    expectWitnessesReplay(late, r);
  });
});

describe('explore: omission faults', () => {
  test('floodset at t + 1 rounds, correct under crash, breaks under omission: the 0 is revealed in the last round only', () => {
    const p = floodset({ faults: 'omission' });
    const r = exploreOk(p, { n: 3, t: 1 });
    expect(r.byName.agreement!.status).toBe('violated');
    const v = r.byName.agreement!;
    if (v.status === 'violated') {
      expect(v.witness.faults).toBe('omission');
      expect(v.witness.rounds.some((rec) => (rec.withheld ?? []).length > 0)).toBe(true);
      expect(v.witness.rounds.every((rec) => rec.crashed === undefined)).toBe(true);
    }
    expectWitnessesReplay(p, r);
  });

  test('with a clean round within t + 1 floodset is correct under omission too', () => {
    expect(statuses(exploreOk(floodset({ faults: 'omission', clean: 't + 1' }), { n: 3, t: 1 }))).toEqual({ agreement: 'holds', termination: 'holds' });
  });
});

describe('explore: user properties', () => {
  test('two-set agreement: broken by three values, kept by two', () => {
    const three = exploreOk(decideOwn(3), { n: 3, t: 1 });
    expect(statuses(three)).toEqual({ termination: 'holds', two_set: 'violated', decided_by_one: 'holds' });
    expectWitnessesReplay(decideOwn(3), three);
    expect(statuses(exploreOk(decideOwn(2), { n: 3, t: 1 }))).toEqual({ termination: 'holds', two_set: 'holds', decided_by_one: 'holds' });
  });

  test('two-set agreement holds for floodset over 0..2 with t = 2 crashes in 2 rounds, while agreement does not', () => {
    const p = floodset({ values: 3, rounds: '2', extra: 'property two_set: always distinct(decided) <= 2' });
    const r = exploreOk(p, { n: 4, t: 2 });
    expect(statuses(r)).toEqual({ agreement: 'violated', termination: 'holds', two_set: 'holds' });
    expectWitnessesReplay(p, r);
  });

  test('unforgeability over the followers: kept under omission, broken under crash; over the correct processes broken by both', () => {
    expect(statuses(exploreOk(echoAccept('omission', 'followers'), { n: 3, t: 1 }))).toEqual({ unforgeable: 'holds' });
    for (const [faults, scope] of [['crash', 'followers'], ['crash', 'correct'], ['omission', 'correct']] as const) {
      const p = echoAccept(faults, scope);
      const r = exploreOk(p, { n: 3, t: 1 });
      expect([faults, scope, statuses(r)]).toEqual([faults, scope, { unforgeable: 'violated' }]);
      expectWitnessesReplay(p, r);
    }
  });

  test('an eventually bound beyond the explored rounds is unknown, not holds', () => {
    const p = decideOwn(2);
    const r = exploreOk({ ...p, userProperties: p.userProperties.map((u) => (u.formula.kind === 'eventually' ? { ...u, formula: { ...u.formula, within: b.int(3) } } : u)) }, { n: 3, t: 1, rounds: 1 });
    expect(r.byName.decided_by_one).toMatchObject({ status: 'unknown' });
  });

  test('Byzantine protocols: a user property is judged like the built-in it restates, over every f; a bound of t + 1 breaks the n - t quorum', () => {
    const oneValue: UserProperty = { name: 'one_value', scope: 'correct', formula: { kind: 'always', at: 'rounds', state: { kind: 'cmp', op: '<=', left: { kind: 'distinct', name: 'decided' }, right: { kind: 'int', value: 1 } } } };
    for (const base of [safeQuorum(), brokenQuorum()]) {
      const p: Protocol = { ...base, userProperties: [oneValue] };
      const r = exploreOk(p, { n: 4, t: 1 });
      expect(r.byName.one_value!.status).toBe(r.agreement.status);
      expect(r.stats.byzantineSets.map((s) => s.length)).toEqual([1, 0]); // validity holds for both: every f is explored
      expectWitnessesReplay(p, r);
    }
    const beyond: Protocol = { ...safeQuorum(), faults: { kind: 'byzantine', bound: b.add(b.T, b.int(1)) } };
    const r = exploreOk(beyond, { n: 4, t: 1 });
    expect(r.agreement.status).toBe('violated');
    if (r.agreement.status === 'violated') expect(r.agreement.witness.byzantine).toHaveLength(2);
    expectWitnessesReplay(beyond, r);
  });

  test('fault counts outside 0..min(bound, n) are refused', () => {
    const r = explore(floodset({ bound: 't + 1' }), { n: 3, t: 1, hash: 'h', faults: [3] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.message).toMatch(/outside 0\.\.2/);
  });
});

// The oracle's own oracle: exploration's verdicts (counts per receiver,
// symmetry, crash sets up to symmetry, goal bits) equal brute force over
// every sender-level choice, judged on whole runs by the simulator.
describe('explore equals brute force under crash and omission faults', () => {
  const props: UserProperty[] = [
    { name: 'one_value', scope: 'correct', formula: { kind: 'always', at: 'rounds', state: { kind: 'cmp', op: '<=', left: { kind: 'distinct', name: 'decided' }, right: { kind: 'int', value: 1 } } } },
    {
      name: 'followers_decide',
      scope: 'followers',
      formula: { kind: 'eventually', given: { kind: 'quant', quantifier: 'all', pred: b.cmp(b.v('v'), '==', b.int(1)) }, goal: { kind: 'quant', quantifier: 'some', pred: b.cmp(b.v('decided'), '!=', b.none) }, within: b.int(2) },
    },
  ];
  const variants = fc.record({
    kind: fc.constantFrom<FaultKind>('crash', 'omission'),
    bound: fc.constantFrom(b.T, b.add(b.T, b.int(1))),
    clean: fc.boolean(),
  });
  const check = (leader: boolean, numRuns: number, seed: number): void => {
    fc.assert(
      fc.property(randomProtocol({ leader }), variants, (base, { kind, bound, clean }) => {
        const p: Protocol = {
          ...base,
          resilience: b.cmp(b.N, '>', b.T),
          faults: { kind, bound },
          assumptions: clean ? [{ kind: 'clean-round', within: b.int(2) }] : [],
          userProperties: props,
          properties: { ...base.properties, termination: b.int(2) },
          horizon: b.int(2),
        };
        const r = exploreOk(p, { n: 3, t: 1 });
        const truth = bruteForceFaults(p, 3, 1, 2);
        for (const [name, v] of Object.entries(r.byName)) expect([name, v.status]).toEqual([name, truth.has(name) ? 'violated' : 'holds']);
        expectWitnessesReplay(p, r);
      }),
      { numRuns, seed },
    );
  };
  test('random protocols at n = 3, t = 1, two rounds', () => check(false, 10, 14));
  test('the same with a leader message (leaders crash, or withhold their proposal)', () => check(true, 8, 15));
});
