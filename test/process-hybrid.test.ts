// The process encoding under hybrid faults (docs/semantics.md sections 1.9,
// 3.3): Byzantine and send-omission faulty processes in one run, every fb and
// fo up to the two bounds at a concrete n:t:o. Hybrid reliable broadcast is
// verified where its resilience holds and refuted, with a counterexample that
// has both kinds of faults and replays, where it is off by one; random small
// hybrid protocols agree with brute force (test/helpers/process-brute.ts).

import { createHash } from 'crypto';
import fc from 'fast-check';
import { parseProtocol } from '../src/lang';
import type { CountTerm, Expr, Protocol, PropertyName, UserProperty } from '../src/ir/types';
import { checkOne, checkProtocol } from '../src/check/check';
import { defaultInstances, instanceProblem, processProblem } from '../src/check/instances';
import { replayTrace } from '../src/sim/replay';
import { encodeProcess } from '../src/smt/process/encode';
import { processSupports } from '../src/smt/process/support';
import { decodeProcessTrace } from '../src/smt/process/trace';
import { shutdownZ3, solve } from '../src/smt/z3';
import type { Trace } from '../src/trace/model';
import { bruteHybridViolates } from './helpers/process-brute';
import { protocolArbWith } from './helpers/smt-random';
import { rbHybridSource } from './helpers/hybrid-protocols';

afterAll(async () => {
  await shutdownZ3();
});

function parse(text: string): Protocol {
  const r = parseProtocol(text, 'test.bft');
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
  return r.value;
}

const rb = (resilience: string): Protocol => parse(rbHybridSource({ name: 'ReliableBroadcastHybrid', resilience }));

const RB = rb('n > 3*t + 2*o');
const RB_BROKEN = rb('n >= 3*t + 2*o');
const TIMEOUT = 60000;

test('instances of a hybrid protocol are n:t:o', () => {
  expect(defaultInstances(RB)).toEqual([
    { n: 4, t: 1, o: 0 },
    { n: 3, t: 0, o: 1 },
    { n: 6, t: 1, o: 1 },
  ]);
  expect(instanceProblem(RB, { n: 6, t: 1, o: 1 })).toBeNull();
  expect(instanceProblem(RB, { n: 6, t: 1 })).toMatch(/n:t:o/);
  expect(instanceProblem(RB, { n: 5, t: 1, o: 1 })).toMatch(/resilience/);
  expect(instanceProblem(RB, { n: 6, t: 1, o: -1 })).toMatch(/non-negative/);
});

test.each([
  [6, 1, 1],
  [4, 1, 0],
  [3, 0, 1],
])('hybrid reliable broadcast: unforgeable at %i:%i:%i', async (n, t, o) => {
  const t0 = Date.now();
  const r = await checkOne(RB, 'process', { n, t, o, rounds: 3 }, 'unforgeable', TIMEOUT);
  console.log(`verified ${n}:${t}:${o} in ${Date.now() - t0} ms`);
  expect(r.reason).toBeUndefined();
  expect(r.verdict).toBe('verified');
  expect(r.o).toBe(o);
});

/** The shape of a hybrid trace (src/trace/model.ts): B in byzantine, O in faulty, disjoint; B without inputs, states or messages to them; only O withholds. */
function expectHybridShape(tr: Trace, n: number, o: number): void {
  expect(tr.faults).toBe('hybrid');
  expect(tr.o).toBe(o);
  const B = tr.byzantine;
  const O = tr.faulty ?? [];
  expect(B.filter((i) => O.includes(i))).toEqual([]);
  for (let i = 0; i < n; i++) {
    expect(tr.inputs[i] === null).toBe(B.includes(i));
    expect(tr.initial[i] === null).toBe(B.includes(i));
    for (const r of tr.rounds) expect(r.states[i] === null).toBe(B.includes(i));
  }
  for (const r of tr.rounds) {
    for (const m of r.byzantine) {
      expect(B).toContain(m.from);
      expect(B).not.toContain(m.to);
    }
    for (const w of r.withheld ?? []) {
      expect(O).toContain(w.from);
      expect(r.sent.some((b) => b.from === w.from && b.message === w.message)).toBe(true);
    }
    for (const b of r.sent) expect(B).not.toContain(b.from);
  }
}

function expectReplays(p: Protocol, tr: Trace): void {
  const rep = replayTrace(p, tr, { violations: 'claimed' });
  expect(rep.ok ? null : rep.mismatch.message).toBeNull();
}

test('off-by-one hybrid reliable broadcast: forged at its smallest both-kinds instance 5:1:1', async () => {
  // every fb and fo: the solver's pick, replayed by checkOne
  const t0 = Date.now();
  const open = await checkOne(RB_BROKEN, 'process', { n: 5, t: 1, o: 1, rounds: 3 }, 'unforgeable', TIMEOUT);
  console.log(`violated 5:1:1 (open counts) in ${Date.now() - t0} ms`);
  expect(open.verdict).toBe('violated');
  expect(open.o).toBe(1);
  expectHybridShape(open.counterexample as Trace, 5, 1);
  // one Byzantine and one omission-faulty process
  const t1 = Date.now();
  const r = await checkOne(RB_BROKEN, 'process', { n: 5, t: 1, o: 1, f: 1, fo: 1, rounds: 3 }, 'unforgeable', TIMEOUT);
  console.log(`violated 5:1:1 (fb = fo = 1) in ${Date.now() - t1} ms`);
  expect(r.verdict).toBe('violated');
  expect([r.f, r.fo]).toEqual([1, 1]);
  const tr = r.counterexample as Trace;
  expectHybridShape(tr, 5, 1);
  expect(tr.byzantine).toHaveLength(1);
  expect(tr.faulty).toHaveLength(1);
  expect(tr.violations).toEqual([expect.objectContaining({ property: 'user', name: 'unforgeable' })]);
  expectReplays(RB_BROKEN, tr);
  // and brute force agrees, at the smallest instances of each kind
  expect(bruteHybridViolates(RB_BROKEN, 3, 1, 0, 2, 'unforgeable')).toBe(true);
  expect(bruteHybridViolates(RB, 4, 1, 0, 2, 'unforgeable')).toBe(false);
  expect(bruteHybridViolates(RB, 3, 0, 1, 3, 'unforgeable')).toBe(false);
});

test('checkProtocol runs hybrid protocols at n:t:o; the counter engine answers unknown with its reason', async () => {
  const rep = await checkProtocol(RB_BROKEN, { instances: defaultInstances(RB_BROKEN), engine: 'process', timeoutMs: TIMEOUT });
  expect(rep.results.map((x) => [x.n, x.t, x.o, x.verdict])).toEqual([
    [3, 1, 0, 'violated'],
    [2, 0, 1, 'violated'], // relay on n - 2o = 0 echoes: everyone relays in round 1 and accepts in round 2
    [5, 1, 1, 'violated'],
  ]);
  for (const x of rep.results) if (x.counterexample !== undefined) expectHybridShape(x.counterexample, x.n, x.o as number);
  const c = await checkProtocol(RB, { instances: [{ n: 6, t: 1, o: 1 }], engine: 'counter', timeoutMs: TIMEOUT });
  expect(c.results[0]?.verdict).toBe('unknown');
  expect(c.results[0]?.reason).toMatch(/hybrid/);
  expect(processProblem(RB, { n: 6, t: 1, o: 1 })).toBeNull();
});

const int = (value: number): Expr => ({ kind: 'int', value });
const one: CountTerm = { kind: 'int', value: 1 };
const param = (name: 'n' | 't' | 'o'): Expr => ({ kind: 'param', name });
const eq = (left: Expr, right: Expr): Expr => ({ kind: 'cmp', op: '==', left, right });

/** User properties over the random protocols' variables (v, b, decided); the followers include the omission-faulty processes. */
const USER: UserProperty[] = [
  { name: 'one_set', scope: 'correct', formula: { kind: 'always', at: 'rounds', state: { kind: 'cmp', op: '<=', left: { kind: 'distinct', name: 'decided' }, right: one } } },
  { name: 'one_set_f', scope: 'followers', formula: { kind: 'always', at: 'rounds', state: { kind: 'cmp', op: '<=', left: { kind: 'distinct', name: 'decided' }, right: one } } },
  {
    name: 'keeps_one',
    scope: 'followers',
    formula: { kind: 'eventually', given: { kind: 'quant', quantifier: 'all', pred: eq({ kind: 'var', name: 'input' }, int(1)) }, goal: { kind: 'quant', quantifier: 'all', pred: eq({ kind: 'var', name: 'v' }, int(1)) }, within: int(1) },
  },
  {
    name: 'flag_needs_o',
    scope: 'followers',
    formula: {
      kind: 'always',
      at: 'rounds',
      state: { kind: 'implies', left: { kind: 'quant', quantifier: 'some', pred: { kind: 'var', name: 'b' } }, right: { kind: 'cmp', op: '>', left: { kind: 'number', pred: eq({ kind: 'var', name: 'v' }, int(1)) }, right: { kind: 'param', name: 'o' } } },
    },
  },
];

interface Case {
  p: Protocol;
  n: number;
  t: number;
  o: number;
  property: PropertyName;
  counts: { fb: number; fo: number } | undefined;
}

const caseArb: fc.Arbitrary<Case> = fc
  .tuple(
    protocolArbWith('n>t'),
    fc.constantFrom<[number, number, number]>([3, 1, 1], [3, 1, 1], [2, 1, 1], [3, 0, 1], [3, 1, 0], [4, 1, 1]),
    fc.boolean(),
    fc.integer({ min: 0, max: 6 }),
    fc.constantFrom<{ fb: number; fo: number } | undefined>(undefined, undefined, undefined, { fb: 1, fo: 1 }, { fb: 0, fo: 1 }, { fb: 1, fo: 0 }),
  )
  .map(([base, [n, t, o], o2, pick, c]) => {
    const leaders = base.rounds.some((r) => r.sends.some((s) => s.message === 'K'));
    // keep brute force small: 2 rounds with a leader round, 3 without; n = 4 only without leaders and for 1 round
    const R = Math.min(n === 4 ? 1 : leaders ? 2 : 3, base.horizon.kind === 'int' ? base.horizon.value : 3);
    const p: Protocol = {
      ...base,
      // the omission bound is o, or o + 1 (bounds beyond the parameter)
      faults: { kind: 'hybrid', byzantine: param('t'), omission: o2 ? { kind: 'add', left: param('o'), right: int(1) } : param('o') },
      userProperties: USER,
      properties: { ...base.properties, termination: int(R) },
      horizon: int(R),
    };
    const names: PropertyName[] = ['agreement', 'validity', 'termination', ...USER.map((u) => u.name)];
    const counts = c !== undefined && c.fb <= t && c.fo <= (o2 ? o + 1 : o) && c.fb + c.fo <= n ? c : undefined;
    return { p: n === 4 && leaders ? { ...p, rounds: p.rounds.filter((r) => !r.sends.some((s) => s.message === 'K')) } : p, n, t, o, property: names[pick] as PropertyName, counts };
  })
  .filter((c) => c.p.rounds.length > 0);

test('process encoding = brute force on random hybrid protocols, n <= 4; counterexamples replay', async () => {
  const seen = { sat: 0, unsat: 0, leaders: 0, both: 0 };
  await fc.assert(
    fc.asyncProperty(caseArb, async ({ p, n, t, o, property, counts }) => {
      const rounds = p.horizon.kind === 'int' ? p.horizon.value : 1;
      expect(processSupports(p, property)).toBeNull();
      const enc = encodeProcess(p, counts === undefined ? { n, t, o, rounds } : { n, t, o, f: counts.fb, fo: counts.fo, rounds }, property);
      const r = await solve(enc.q.smtlib(), { timeoutMs: TIMEOUT });
      expect(r.status).not.toBe('unknown');
      const brute = bruteHybridViolates(p, n, t, o, rounds, property, counts);
      expect(r.status === 'sat').toBe(brute);
      if (p.messages.some((m) => m.leader) && p.rounds.some((x) => x.sends.some((y) => y.message === 'K'))) seen.leaders++;
      if (r.status === 'sat') {
        seen.sat++;
        const tr = decodeProcessTrace(enc, r.model);
        if (tr.byzantine.length > 0 && (tr.faulty ?? []).length > 0) seen.both++;
        expectHybridShape(tr, n, o);
        if (counts !== undefined) expect([tr.byzantine.length, tr.faulty?.length]).toEqual([counts.fb, counts.fo]);
        expectReplays(p, tr);
      } else seen.unsat++;
    }),
    { seed: Number(process.env.PROCESS_HYBRID_SEED ?? 1909), numRuns: Number(process.env.PROCESS_HYBRID_RUNS ?? 80) },
  );
  console.log(`random hybrid cases: ${JSON.stringify(seen)}`);
  expect(seen.sat).toBeGreaterThan(5);
  expect(seen.unsat).toBeGreaterThan(5);
  expect(seen.leaders).toBeGreaterThan(3);
  expect(seen.both).toBeGreaterThan(1);
}, 300000);

/** A small single-kind protocol, with or without a leader message. */
const single = (faults: string, leader: boolean): string => `
protocol RB
values 0..1
resilience n > 3*t
faults ${faults}

var v : value = input
var accepted : bool = false

message ECHO
${leader ? 'leader message K(value)' : ''}

round echo {
  send ECHO if v == 1
  ${leader ? 'send K(v)' : ''}
  when count(ECHO) >= n - t: v := 1; accepted := true
  when count(ECHO) >= n - 2*t ${leader ? '|| count(K, 1) >= 1' : ''}: v := 1
}

horizon 2

property unforgeable for followers: always (no(input == 1) implies no(accepted))
claims agreement
`;

test('single-kind queries are byte-identical to those before hybrid faults (hashes taken at bf2ab7f); o belongs to hybrid files only', () => {
  const out: Record<string, string> = {};
  const kinds = [
    ['byzantine', true],
    ['omission', true],
    ['crash', true],
    ['byzantine up to t + 1', true],
    ['byzantine', false],
    ['omission', false],
    ['crash', false],
  ] as const;
  for (const [kind, leader] of kinds) {
    const p = parse(single(kind, leader));
    for (const prop of ['unforgeable', 'agreement']) {
      for (const f of [undefined, 1]) {
        const e = encodeProcess(p, f === undefined ? { n: 4, t: 1, rounds: 2 } : { n: 4, t: 1, f, rounds: 2 }, prop);
        out[`${kind}/${leader}/${prop}/${String(f)}`] = createHash('sha256').update(e.q.smtlib()).digest('hex').slice(0, 16);
      }
    }
  }
  expect(out).toEqual({
    'byzantine/true/unforgeable/undefined': 'ac236014248790f8',
    'byzantine/true/unforgeable/1': '48f654fc85c6c25e',
    'byzantine/true/agreement/undefined': '01c34005970bd04f',
    'byzantine/true/agreement/1': '43e8a7aa91ed0883',
    'omission/true/unforgeable/undefined': '6ab267d7d5460e31',
    'omission/true/unforgeable/1': 'bb79e9e6b48ac86a',
    'omission/true/agreement/undefined': 'c695ba2d926c823f',
    'omission/true/agreement/1': 'c1508cd6cf3d511a',
    'crash/true/unforgeable/undefined': '5298e534399bfb3a',
    'crash/true/unforgeable/1': '46e41e9f71138bc2',
    'crash/true/agreement/undefined': 'bf33ea4afd576b22',
    'crash/true/agreement/1': '232f47cc3030c9b7',
    'byzantine up to t + 1/true/unforgeable/undefined': 'a38b1eea4cb545d0',
    'byzantine up to t + 1/true/unforgeable/1': '48f654fc85c6c25e',
    'byzantine up to t + 1/true/agreement/undefined': '64bdb786a4286c71',
    'byzantine up to t + 1/true/agreement/1': '43e8a7aa91ed0883',
    'byzantine/false/unforgeable/undefined': '4c32c8e90e427a3e',
    'byzantine/false/unforgeable/1': '71a4ab685501de28',
    'byzantine/false/agreement/undefined': 'f063a81cd0924590',
    'byzantine/false/agreement/1': '706d426a3d528dbb',
    'omission/false/unforgeable/undefined': 'ca86138b1d8c9fd1',
    'omission/false/unforgeable/1': 'baae9431b5055139',
    'omission/false/agreement/undefined': 'c6ec5428484a0def',
    'omission/false/agreement/1': '467fade79813d140',
    'crash/false/unforgeable/undefined': 'd39bf56f7a22652d',
    'crash/false/unforgeable/1': '48a1ebc4af4de256',
    'crash/false/agreement/undefined': '654956db080ee33a',
    'crash/false/agreement/1': 'ce04045b47bcb32a',
  });
  const byz = parse(single('byzantine', false));
  expect(instanceProblem(byz, { n: 4, t: 1, o: 0 })).toMatch(/no hybrid faults/);
  expect(() => encodeProcess(byz, { n: 4, t: 1, o: 0, rounds: 2 }, 'agreement')).toThrow(/hybrid/);
  expect(() => encodeProcess(RB, { n: 4, t: 1, rounds: 2 }, 'unforgeable')).toThrow(/needs o/);
});
