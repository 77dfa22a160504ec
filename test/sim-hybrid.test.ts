// The simulator under hybrid faults (docs/semantics.md section 1.9): in one
// run Byzantine processes B and send-omission-faulty processes O. Strategies,
// replay (and its refusal of traces no hybrid adversary can produce),
// user-property scopes, and exhaustive exploration of small instances.
import fc from 'fast-check';
import type { Protocol } from '../src/ir/types';
import { none, random, replay, scripted, split, type Adversary } from '../src/sim/adversary';
import { explore, hybridFaultCounts } from '../src/sim/explore';
import { instanceOrThrow, makeInstance, processFault, type InstanceArgs } from '../src/sim/instance';
import { replayTrace } from '../src/sim/replay';
import { runSimulation, simulate } from '../src/sim/simulate';
import { hybridSets } from '../src/sim/symmetry';
import type { Trace } from '../src/trace/model';
import { leaderHybrid, rbHybrid } from './helpers/hybrid-protocols';

const HASH = 'h';

function run(p: Protocol, args: InstanceArgs, adversary: Adversary, rounds?: number): Trace {
  return simulate(p, instanceOrThrow(p, args), adversary, rounds === undefined ? { hash: HASH } : { hash: HASH, rounds });
}

/** Every message a trace records satisfies the hybrid rules: Byzantine messages only from B, withheld messages only of O senders. */
function expectHybridShape(trace: Trace, B: number[], O: number[]): void {
  expect(trace.faults).toBe('hybrid');
  expect(trace.byzantine).toEqual(B);
  expect(trace.faulty).toEqual(O);
  for (const r of trace.rounds) {
    for (const m of r.byzantine) expect(B).toContain(m.from);
    for (const w of r.withheld ?? []) expect(O).toContain(w.from);
    // every process but the Byzantine ones runs the protocol, the omission-faulty ones included
    r.states.forEach((s, i) => expect(s === null).toBe(B.includes(i)));
    for (const b of r.sent) expect(B).not.toContain(b.from);
  }
  O.forEach((i) => expect(trace.inputs[i]).not.toBeNull());
  B.forEach((i) => expect(trace.inputs[i]).toBeNull());
}

describe('hybrid instances and runs at n = 6, t = 1, o = 1', () => {
  const p = rbHybrid();
  const args: InstanceArgs = { n: 6, t: 1, o: 1, byzantine: [5], faulty: [4], inputs: [1, 0, 0, 0, 1, null] };

  test('per-process fault kinds', () => {
    const inst = instanceOrThrow(p, args);
    expect([0, 1, 2, 3, 4, 5].map((i) => processFault(inst, i))).toEqual([null, null, null, null, 'omission', 'byzantine']);
  });

  test('every strategy produces Byzantine messages from B and withholdings of O, and its runs replay', () => {
    const strategies: [string, () => Adversary][] = [
      ['none', none],
      ['random', () => random(7)],
      ['split', () => split()],
      ['split-swap', () => split({ swap: true })],
    ];
    for (const [name, make] of strategies) {
      const trace = run(p, args, make());
      expectHybridShape(trace, [5], [4]);
      expect(trace.o).toBe(1);
      const byz = trace.rounds.flatMap((r) => r.byzantine);
      const withheld = trace.rounds.flatMap((r) => r.withheld ?? []);
      if (name === 'none') {
        expect(byz).toEqual([]);
        expect(withheld).toEqual([]);
      } else {
        expect(byz.length).toBeGreaterThan(0);
        expect(withheld.length).toBeGreaterThan(0);
      }
      // Byzantine messages reach the omission-faulty process too: it runs the protocol
      if (name === 'split-swap') expect(byz.some((m) => m.to === 4)).toBe(true);
      expect(replayTrace(p, trace)).toMatchObject({ ok: true });
    }
  });

  test('the omission-faulty process receives everything and follows the protocol', () => {
    // p4's ECHO is withheld from p0..p3 (not from p4 itself); p5 sends p4 a Byzantine ECHO
    const w = (to: number) => ({ from: 4, to, message: 'ECHO' });
    const trace = run(p, args, scripted('s', [[{ from: 5, to: 4, message: 'ECHO', payload: null }]], [{ crashed: [], withheld: [0, 1, 2, 3].map(w) }]), 1);
    // p0 (input 1) and p4 (input 1) send; p0..p3 get p0's ECHO only; p4 gets both its own and p0's, and p5's
    const r = trace.rounds[0]!;
    expect(r.sent.map((b) => b.from)).toEqual([0, 4]);
    expect(r.states[4]).toMatchObject({ v: 1 });
    expect(r.fired[4]).toBe(1); // 3 ECHOes >= n - 2t - 2o = 2
    expect(r.fired[1]).toBeNull(); // 1 ECHO < 2
  });

  test('instance errors name the kind: o is required, B and O are disjoint and bounded', () => {
    const errors = (a: InstanceArgs): string[] => {
      const r = makeInstance(p, a);
      return r.ok ? [] : r.errors.map((e) => e.message);
    };
    expect(errors({ ...args, o: undefined })).toEqual([expect.stringContaining('o (the omission bound) must be a non-negative integer')]);
    expect(errors({ ...args, faulty: [5] })).toEqual([expect.stringContaining('process 5 is listed twice')]);
    expect(errors({ ...args, faulty: [3, 4] })).toEqual(['2 omission-faulty processes exceed the bound 1 at n = 6, t = 1, o = 1']);
  });
});

describe('replay of hybrid runs', () => {
  const arbitraryRun = fc.record({
    n: fc.integer({ min: 6, max: 7 }),
    order: fc.shuffledSubarray([0, 1, 2, 3, 4, 5], { minLength: 6, maxLength: 6 }),
    fb: fc.integer({ min: 0, max: 1 }),
    fo: fc.integer({ min: 0, max: 1 }),
    inputs: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 7, maxLength: 7 }),
    seed: fc.integer({ min: 0, max: 1 << 30 }),
    strategy: fc.constantFrom('random', 'split', 'split-swap'),
    leader: fc.boolean(),
  });

  test('random hybrid runs of both protocols replay exactly (fast-check)', () => {
    fc.assert(
      fc.property(arbitraryRun, ({ n, order, fb, fo, inputs, seed, strategy, leader }) => {
        const p = leader ? leaderHybrid() : rbHybrid();
        const B = order.slice(0, fb).sort((a, b) => a - b);
        const O = order.slice(fb, fb + fo).sort((a, b) => a - b);
        const adversary = strategy === 'random' ? random(seed) : split({ swap: strategy === 'split-swap' });
        const trace = run(p, { n, t: 1, o: 1, byzantine: B, faulty: O, inputs: inputs.slice(0, n) }, adversary);
        expectHybridShape(trace, B, O);
        const report = replayTrace(p, trace);
        expect(report).toMatchObject({ ok: true });
        // the replay adversary reproduces the same trace, message for message
        expect(run(p, { n, t: 1, o: 1, byzantine: B, faulty: O, inputs: inputs.slice(0, n) }, replay(trace))).toEqual(trace);
      }),
      { numRuns: 60 },
    );
  });

  const p = rbHybrid();
  const base = (): Trace => run(p, { n: 6, t: 1, o: 1, byzantine: [5], faulty: [4], inputs: [1, 1, 0, 0, 1, null] }, random(3));

  test('an omission-faulty sender sending a Byzantine message is refused', () => {
    const trace = base();
    trace.rounds[0]!.byzantine.push({ from: 4, to: 0, message: 'ECHO', payload: null });
    const r = replayTrace(p, trace);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.mismatch.kind).toBe('byzantine');
    expect(r.mismatch.round).toBe(1);
    expect(r.mismatch.message).toContain('Byzantine message ECHO from 4 to 0: sender is not a Byzantine process (it is omission-faulty');
  });

  test('a Byzantine process withholding a message is refused', () => {
    const trace = base();
    trace.rounds[1]!.withheld = [...(trace.rounds[1]!.withheld ?? []), { from: 5, to: 0, message: 'ECHO' }];
    const r = replayTrace(p, trace);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.mismatch.kind).toBe('faults');
    expect(r.mismatch.round).toBe(2);
    expect(r.mismatch.message).toContain('withheld ECHO from 5 to 0: the sender is Byzantine');
  });

  test('a withholding the trace does not record shows as a state mismatch; a missing o or a swapped B and O as an instance mismatch', () => {
    const trace = base();
    const w = trace.rounds.find((r) => (r.withheld ?? []).length > 0);
    expect(w).toBeDefined();
    const dropped = { ...trace, rounds: trace.rounds.map((r) => (r === w ? { ...r, withheld: [] } : r)) };
    const r1 = replayTrace(p, dropped);
    expect(r1.ok === false && ['state', 'fired', 'sent', 'violations'].includes(r1.mismatch.kind)).toBe(true);
    const { o: _o, ...noO } = trace;
    void _o;
    expect(replayTrace(p, noO)).toMatchObject({ ok: false, mismatch: { kind: 'instance' } });
    expect(replayTrace(p, { ...trace, faults: 'omission' })).toMatchObject({ ok: false, mismatch: { kind: 'instance' } });
  });

  test('a Byzantine leader equivocates with leader messages; an omission-faulty leader only withholds them', () => {
    const q = leaderHybrid();
    // phase 1's leader is p0: Byzantine in one run, omission-faulty in the other
    const byzLeader = run(q, { n: 6, t: 1, o: 1, byzantine: [0], faulty: [5], inputs: [0, 0, 0, 1, 1, 1] }, split());
    expect(byzLeader.rounds[1]!.byzantine.filter((m) => m.message === 'PROPOSE').map((m) => m.payload)).toEqual(expect.arrayContaining([0, 1]));
    const omitLeader = run(q, { n: 6, t: 1, o: 1, byzantine: [5], faulty: [0], inputs: [0, 0, 0, 1, 1, 1] }, split());
    expect(omitLeader.rounds[1]!.byzantine.some((m) => m.message === 'PROPOSE')).toBe(false);
    expect((omitLeader.rounds[1]!.withheld ?? []).some((w) => w.from === 0 && w.message === 'PROPOSE')).toBe(true);
    for (const t of [byzLeader, omitLeader]) expect(replayTrace(q, t)).toMatchObject({ ok: true });
  });

  test('the omission-faulty process is a follower: a `for followers` property reads it, the Byzantine one never', () => {
    // unforgeable: no follower starts with 1, yet with the broken thresholds the Byzantine ECHO makes p4 accept
    const broken = rbHybrid({ broken: true });
    const trace = simulate(broken, instanceOrThrow(broken, { n: 5, t: 1, o: 1, byzantine: [4], faulty: [3], inputs: [0, 0, 0, 0, null] }), split(), { hash: HASH });
    const v = trace.violations.find((x) => x.property === 'user' && x.name === 'unforgeable');
    expect(v).toBeDefined();
    expect(runSimulation(broken, instanceOrThrow(broken, { n: 5, t: 1, o: 1, byzantine: [4], faulty: [3], inputs: [0, 0, 0, 0, null] }), replay(trace), { hash: HASH }).ok).toBe(true);
    if (v?.property === 'user') expect(v.processes).not.toContain(4);
  });
});

describe('exhaustive exploration of hybrid adversaries', () => {
  test('the (fb, fo) pairs and the faulty sets: fixed ranges without leaders, every leader assignment with them', () => {
    const p = rbHybrid();
    expect(hybridFaultCounts(p, 6, 1, 1)).toEqual([
      { byzantine: 1, omission: 1 },
      { byzantine: 1, omission: 0 },
      { byzantine: 0, omission: 1 },
      { byzantine: 0, omission: 0 },
    ]);
    expect(hybridSets(p, 6, 1, 1, 3)).toEqual([{ byzantine: [5], omission: [4] }]);
    const q = leaderHybrid();
    // horizon 4 = 2 phases: leaders p0, p1; each correct, Byzantine or omission-faulty where the counts allow
    const sets = hybridSets(q, 6, 1, 1, 4);
    expect(sets).toContainEqual({ byzantine: [5], omission: [4] });
    expect(sets).toContainEqual({ byzantine: [0], omission: [1] });
    expect(sets).toContainEqual({ byzantine: [1], omission: [0] });
    expect(sets).toContainEqual({ byzantine: [0], omission: [5] });
    expect(sets).toContainEqual({ byzantine: [5], omission: [1] });
    // the 3^2 leader assignments with at most one Byzantine and one omission-faulty leader: 7
    expect(sets).toHaveLength(7);
    for (const s of sets) expect(s.byzantine.filter((i) => s.omission.includes(i))).toEqual([]);
  });

  test('the broken protocol (n >= 3t + 2o) violates unforgeable at n = 5, t = 1, o = 1; the witness replays', () => {
    const p = rbHybrid({ broken: true });
    const r = explore(p, { n: 5, t: 1, o: 1, hash: HASH });
    if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
    const v = r.value.byName['unforgeable']!;
    expect(v.status).toBe('violated');
    if (v.status !== 'violated') return;
    expect(v.witness.faults).toBe('hybrid');
    expect(v.witness.o).toBe(1);
    expect(replayTrace(p, v.witness)).toMatchObject({ ok: true });
    expect(r.value.byName['delivery']).toEqual({ status: 'holds' });
    expect(r.value.stats.hybridSets?.length).toBeGreaterThan(0);
  });

  test('the correct protocol (n > 3t + 2o) holds at n = 6, t = 1, o = 1, every (fb, fo) explored', () => {
    const p = rbHybrid();
    const r = explore(p, { n: 6, t: 1, o: 1, hash: HASH });
    if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
    expect(r.value.byName['unforgeable']).toEqual({ status: 'holds' });
    expect(r.value.byName['delivery']).toEqual({ status: 'holds' });
    expect(r.value.stats.hybridSets).toEqual([
      { byzantine: [5], omission: [4] },
      { byzantine: [5], omission: [] },
      { byzantine: [], omission: [5] },
      { byzantine: [], omission: [] },
    ]);
  });

  test('exploration finds what random hybrid runs find (a leader protocol, within its budget)', () => {
    const q = leaderHybrid();
    const r = explore(q, { n: 6, t: 1, o: 1, hash: HASH, maxConfigs: 200_000 });
    if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
    // any violation found by simulation must be found by exploration (it is the ground truth)
    for (let seed = 0; seed < 40; seed++) {
      for (const [B, O] of [[[0], [1]], [[1], [0]], [[5], [0]]] as [number[], number[]][]) {
        const trace = run(q, { n: 6, t: 1, o: 1, byzantine: B, faulty: O, inputs: [0, 1, 0, 1, 0, 1].map((x, i) => (i + seed) % 3 === 0 ? 1 - x : x) }, random(seed));
        for (const v of trace.violations) if (!r.value.stats.budgetExceeded) expect(r.value.byName[v.property === 'user' ? v.name : v.property]!.status).toBe('violated');
      }
    }
    for (const name of ['agreement', 'validity']) {
      const v = r.value.byName[name]!;
      if (v.status === 'violated') expect(replayTrace(q, v.witness)).toMatchObject({ ok: true });
    }
  });

  test('o is required for a hybrid protocol and refused elsewhere', () => {
    const r = explore(rbHybrid(), { n: 6, t: 1, hash: HASH });
    expect(r.ok).toBe(false);
  });
});
