// The process encoding under Byzantine faults beyond the classic model: a
// fault bound of t + 1 and user properties (docs/semantics.md sections 1.6,
// 1.7, 2.5), against exhaustive exploration (src/sim/explore.ts) and the
// counter encoding where it answers, on random small protocols (leaders
// included) at n <= 4. Every counterexample replays in the simulator.

import fc from 'fast-check';
import { checkOne } from '../src/check/check';
import type { Expr, Protocol, PropertyName, UserProperty } from '../src/ir/types';
import { explore } from '../src/sim/explore';
import { replayTrace } from '../src/sim/replay';
import { encodeProcess } from '../src/smt/process/encode';
import { processSupports } from '../src/smt/process/support';
import { decodeProcessTrace } from '../src/smt/process/trace';
import { shutdownZ3, solve } from '../src/smt/z3';
import { protocolArbWith } from './helpers/smt-random';

afterAll(async () => {
  await shutdownZ3();
});

const int = (value: number): Expr => ({ kind: 'int', value });
const eq = (left: Expr, right: Expr): Expr => ({ kind: 'cmp', op: '==', left, right });

const USER: UserProperty[] = [
  { name: 'one_set', scope: 'correct', formula: { kind: 'always', at: 'rounds', state: { kind: 'cmp', op: '<=', left: { kind: 'distinct', name: 'decided' }, right: { kind: 'int', value: 1 } } } },
  {
    name: 'ones_stay',
    scope: 'followers',
    formula: { kind: 'always', at: 'phases', state: { kind: 'implies', left: { kind: 'quant', quantifier: 'all', pred: eq({ kind: 'var', name: 'input' }, int(1)) }, right: { kind: 'quant', quantifier: 'no', pred: eq({ kind: 'var', name: 'v' }, int(0)) } } },
  },
  {
    name: 'decides_one',
    scope: 'correct',
    formula: { kind: 'eventually', given: { kind: 'quant', quantifier: 'all', pred: eq({ kind: 'var', name: 'input' }, int(1)) }, goal: { kind: 'quant', quantifier: 'some', pred: eq({ kind: 'var', name: 'decided' }, int(1)) }, within: int(1) },
  },
];

interface Case {
  p: Protocol;
  n: number;
  property: PropertyName;
}

const caseArb: fc.Arbitrary<Case> = fc
  .tuple(protocolArbWith('n>t'), fc.boolean(), fc.constantFrom(2, 3, 4), fc.integer({ min: 0, max: 5 }))
  .map(([base, above, n, pick]) => {
    const R = Math.min(2, base.horizon.kind === 'int' ? base.horizon.value : 2);
    const p: Protocol = {
      ...base,
      faults: { kind: 'byzantine', bound: above ? { kind: 'add', left: { kind: 'param', name: 't' }, right: int(1) } : { kind: 'param', name: 't' } },
      userProperties: USER,
      properties: { ...base.properties, termination: int(R) },
      horizon: int(R),
    };
    const names: PropertyName[] = ['agreement', 'validity', 'termination', ...USER.map((u) => u.name)];
    return { p, n, property: names[pick] as PropertyName };
  });

const TIMEOUT = 30000;

test('process encoding = exploration (= counter encoding where it answers), Byzantine faults up to t + 1 and user properties, n <= 4', async () => {
  const seen = { sat: 0, unsat: 0, explored: 0, counter: 0 };
  await fc.assert(
    fc.asyncProperty(caseArb, async ({ p, n, property }) => {
      const t = 1;
      const rounds = p.horizon.kind === 'int' ? p.horizon.value : 1;
      expect(processSupports(p, property)).toBeNull();
      const enc = encodeProcess(p, { n, t, rounds }, property);
      const r = await solve(enc.q.smtlib(), { timeoutMs: TIMEOUT });
      expect(r.status).not.toBe('unknown');
      const ex = explore(p, { n, t, hash: 'random', rounds });
      if (!ex.ok) throw new Error(ex.errors.map((e) => e.message).join('; '));
      const ev = ex.value.byName[property]?.status;
      if (ev === 'violated' || ev === 'holds') {
        seen.explored++;
        expect(r.status === 'sat').toBe(ev === 'violated');
      }
      if (r.status === 'sat') {
        seen.sat++;
        const trace = decodeProcessTrace(enc, r.model);
        const rep = replayTrace(p, trace, { violations: 'claimed' });
        expect(rep.ok ? null : rep.mismatch.message).toBeNull();
      } else seen.unsat++;
      const c = await checkOne(p, 'counter', { n, t, rounds }, property, TIMEOUT);
      if (c.verdict !== 'unknown') {
        seen.counter++;
        expect(c.verdict === 'violated').toBe(r.status === 'sat');
      }
    }),
    { seed: Number(process.env.PROCESS_FAULTS_SEED ?? 2718), numRuns: Number(process.env.PROCESS_FAULTS_RUNS ?? 60) },
  );
  expect(seen.explored).toBeGreaterThan(40);
  expect(seen.sat).toBeGreaterThan(3);
  expect(seen.unsat).toBeGreaterThan(3);
}, 240000);
