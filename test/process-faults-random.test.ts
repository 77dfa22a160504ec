// The process encoding agrees with brute force (test/helpers/process-brute.ts),
// with exhaustive exploration (src/sim/explore.ts) and with the counter encoding, where that one answers, on random small
// protocols under crash and omission faults at n <= 4 (docs/semantics.md
// sections 1.7, 1.8, 2.5, 4.5): fault bounds t and t + 1, with and without a
// clean-round assumption, built-in and user properties. Every counterexample
// is replayed in the simulator and step by step.

import fc from 'fast-check';
import { checkOne } from '../src/check/check';
import type { Expr, Protocol, PropertyName, UserProperty } from '../src/ir/types';
import { explore } from '../src/sim/explore';
import { replayTrace } from '../src/sim/replay';
import { encodeProcess } from '../src/smt/process/encode';
import { processSupports } from '../src/smt/process/support';
import { decodeProcessTrace } from '../src/smt/process/trace';
import { shutdownZ3, solve } from '../src/smt/z3';
import { bruteViolates, replayLocal } from './helpers/process-brute';
import { protocolArbWith } from './helpers/smt-random';

afterAll(async () => {
  await shutdownZ3();
});

const int = (value: number): Expr => ({ kind: 'int', value });
const v: Expr = { kind: 'var', name: 'v' };
const decided: Expr = { kind: 'var', name: 'decided' };
const eq = (left: Expr, right: Expr): Expr => ({ kind: 'cmp', op: '==', left, right });

/** User properties over the random protocols' variables (v, b, decided). */
const USER: UserProperty[] = [
  { name: 'one_set', scope: 'correct', formula: { kind: 'always', at: 'rounds', state: { kind: 'cmp', op: '<=', left: { kind: 'distinct', name: 'decided' }, right: { kind: 'int', value: 1 } } } },
  { name: 'one_set_f', scope: 'followers', formula: { kind: 'always', at: 'phases', state: { kind: 'cmp', op: '<=', left: { kind: 'distinct', name: 'decided' }, right: { kind: 'int', value: 1 } } } },
  {
    name: 'keeps_one',
    scope: 'followers',
    formula: { kind: 'eventually', given: { kind: 'quant', quantifier: 'all', pred: eq({ kind: 'var', name: 'input' }, int(1)) }, goal: { kind: 'quant', quantifier: 'all', pred: eq(decided, int(1)) }, within: int(1) },
  },
  {
    name: 'flag_needs_one',
    scope: 'correct',
    formula: {
      kind: 'always',
      at: 'rounds',
      state: { kind: 'implies', left: { kind: 'quant', quantifier: 'some', pred: { kind: 'var', name: 'b' } }, right: { kind: 'cmp', op: '>=', left: { kind: 'number', pred: eq(v, int(1)) }, right: { kind: 'param', name: 't' } } },
    },
  },
];

interface Case {
  p: Protocol;
  n: number;
  property: PropertyName;
  f: number | undefined;
}

const caseArb: fc.Arbitrary<Case> = fc
  .tuple(
    protocolArbWith('n>t'),
    fc.constantFrom<'crash' | 'omission'>('crash', 'omission'),
    fc.boolean(),
    fc.constantFrom<number | null>(null, null, 1, 2),
    fc.constantFrom(2, 3, 3, 4),
    fc.integer({ min: 0, max: 6 }),
    fc.constantFrom<number | undefined>(undefined, undefined, 0, 1, 2),
  )
  .map(([base, kind, above, clean, n0, pick, f0]) => {
    // keep brute force small: bound t + 1 and omission only at n <= 3, with at most 3 rounds
    const n = kind === 'omission' || above ? Math.min(n0, 3) : n0;
    const R = Math.min(3, base.horizon.kind === 'int' ? base.horizon.value : 3);
    const p: Protocol = {
      ...base,
      faults: { kind, bound: above ? { kind: 'add', left: { kind: 'param', name: 't' }, right: int(1) } : { kind: 'param', name: 't' } },
      assumptions: clean === null ? [] : [{ kind: 'clean-round', within: int(clean) }],
      userProperties: USER,
      properties: { ...base.properties, termination: int(R) },
      horizon: int(R),
    };
    const names: PropertyName[] = ['agreement', 'validity', 'termination', ...USER.map((u) => u.name)];
    // a fixed f (as the parameterized engine concretizes a model) when within the bound
    const f = f0 !== undefined && f0 <= (above ? 2 : 1) ? f0 : undefined;
    return { p, n, property: names[pick] as PropertyName, f };
  });

const TIMEOUT = 30000;

test('process encoding = brute force = exploration (= counter encoding where it answers), crash and omission, n <= 4', async () => {
  const seen = { sat: 0, unsat: 0, counter: 0 };
  await fc.assert(
    fc.asyncProperty(caseArb, async ({ p, n, property, f }) => {
      const t = 1;
      const rounds = p.horizon.kind === 'int' ? p.horizon.value : 1;
      expect(processSupports(p, property)).toBeNull();
      const enc = encodeProcess(p, f === undefined ? { n, t, rounds } : { n, t, f, rounds }, property);
      const r = await solve(enc.q.smtlib(), { timeoutMs: TIMEOUT });
      expect(r.status).not.toBe('unknown');
      const brute = bruteViolates(p, n, t, rounds, property, f === undefined ? undefined : [f]);
      expect(r.status === 'sat').toBe(brute);
      const ex = explore(p, { n, t, hash: 'random', rounds, ...(f === undefined ? {} : { faults: [f] }) });
      if (!ex.ok) throw new Error(ex.errors.map((e) => e.message).join('; '));
      const ev = ex.value.byName[property]?.status;
      expect(ev === 'violated' || ev === 'holds').toBe(true);
      expect(ev === 'violated').toBe(brute);
      if (r.status === 'sat') {
        seen.sat++;
        const trace = decodeProcessTrace(enc, r.model);
        if (f !== undefined) expect(trace.faulty).toHaveLength(f);
        expect(replayLocal(p, trace)).toBeNull();
        const rep = replayTrace(p, trace, { violations: 'claimed' });
        expect(rep.ok ? null : rep.mismatch.message).toBeNull();
      } else seen.unsat++;
      const c = await checkOne(p, 'counter', f === undefined ? { n, t, rounds } : { n, t, rounds, f }, property, TIMEOUT);
      if (c.verdict !== 'unknown') {
        seen.counter++;
        expect(c.verdict === 'violated').toBe(brute);
      }
    }),
    { seed: Number(process.env.PROCESS_FAULTS_SEED ?? 1414), numRuns: Number(process.env.PROCESS_FAULTS_RUNS ?? 50) },
  );
  // the sample exercises both outcomes
  expect(seen.sat).toBeGreaterThan(5);
  expect(seen.unsat).toBeGreaterThan(5);
}, 240000);
