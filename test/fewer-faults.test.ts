// Fewer faults than t (docs/semantics.md, section 4): at n = t + 1 a run with
// f = t leaves one correct process, which cannot disagree with itself, while
// with f = t - 1 two can. No engine may report verified where such a run
// violates. The ground truth is exhaustive exploration over every f in 0..t.

import fc from 'fast-check';
import { checkOne, type Verdict } from '../src/check/check';
import { checkParamOne } from '../src/check/param';
import { protocolHash } from '../src/ir/hash';
import type { Protocol } from '../src/ir/types';
import { parseProtocol } from '../src/lang';
import { explore, type PropertyVerdict } from '../src/sim/explore';
import { shutdownZ3 } from '../src/smt/z3';
import type { Property } from '../src/trace/model';
import { protocolArbWith } from './helpers/smt-random';

afterAll(async () => {
  await shutdownZ3();
});

const TIMEOUT = 20000;
const PROPS: Property[] = ['agreement', 'validity', 'termination'];

function parse(text: string): Protocol {
  const r = parseProtocol(text, 'test.bft');
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
  return r.value;
}

// The two examples: both break agreement at n = 2, t = 1 with no Byzantine process.
const LEADER_AT_TWO = parse(`protocol LeaderAtTwo
resilience n > t
var v : value = input
leader message K(value)
round lead {
  send K(v)
  when n == 2 && t == 1: decide v
  otherwise: decide 0
}
claims agreement, termination within 1
`);

const OWN_INPUT = parse(`protocol OwnInput
resilience n > t
var v : value = input
message VAL(value)
round r {
  send VAL(v)
  otherwise: decide v
}
claims agreement, termination within 1
`);

const asVerdict = (e: PropertyVerdict): Verdict | null => (e.status === 'holds' ? 'verified' : e.status === 'violated' ? 'violated' : null);

describe.each([
  ['LeaderAtTwo', LEADER_AT_TWO],
  ['OwnInput', OWN_INPUT],
])('%s: agreement is violated at n = 2, t = 1 with f = 0', (_name, p) => {
  test('exhaustive exploration finds it, with no Byzantine process', () => {
    const ex = explore(p, { n: 2, t: 1, hash: protocolHash(p), rounds: 1 });
    if (!ex.ok) throw new Error('explore failed');
    const a = ex.value.agreement;
    expect(a.status).toBe('violated');
    if (a.status === 'violated') expect(a.witness.byzantine).toEqual([]);
  });

  test.each(['counter', 'process'] as const)('the %s engine finds it and replays it', async (engine) => {
    const r = await checkOne(p, engine, { n: 2, t: 1, rounds: 1 }, 'agreement', TIMEOUT);
    expect(r.verdict).toBe('violated');
    expect(r.f).toBe(0);
    expect(r.counterexample?.byzantine).toEqual([]);
  });

  test('a query with f fixed to t misses it (why f must stay open)', async () => {
    const r = await checkOne(p, 'counter', { n: 2, t: 1, f: 1, rounds: 1 }, 'agreement', TIMEOUT);
    expect(r.verdict).toBe('verified');
  });

  test('the parameterized engine finds it for every n and t', async () => {
    const r = await checkParamOne(p, 'agreement', { t: null, rounds: 1 }, TIMEOUT);
    expect(r.verdict).toBe('violated');
    expect(r.counterexample?.violations.map((v) => v.property)).toContain('agreement');
  });
});

// Random protocols with resilience n > t, at n = t + 1: the SMT engines against
// exploration over every f.
test.each([
  [2, 1],
  [3, 2],
])('counter = process = exhaustive (every f) at n = %i, t = %i, resilience n > t', async (n, t) => {
  let compared = 0;
  let fewer = 0;
  await fc.assert(
    fc.asyncProperty(protocolArbWith('n>t'), async (p) => {
      const R = p.horizon.kind === 'int' ? p.horizon.value : 0;
      const ex = explore(p, { n, t, hash: protocolHash(p), rounds: R, maxConfigs: 20000 });
      if (!ex.ok) throw new Error(ex.errors.map((e) => e.message).join('; '));
      for (const prop of PROPS) {
        const c = await checkOne(p, 'counter', { n, t, rounds: R }, prop, TIMEOUT);
        const q = await checkOne(p, 'process', { n, t, rounds: R }, prop, TIMEOUT);
        if (c.verdict !== 'unknown' && q.verdict !== 'unknown') expect(`${prop}: ${q.verdict}`).toBe(`${prop}: ${c.verdict}`);
        const e = asVerdict(ex.value[prop]);
        if (e === null || c.verdict === 'unknown') continue;
        compared++;
        expect(`${prop}: ${c.verdict}`).toBe(`${prop}: ${e}`);
        if (c.verdict === 'violated' && c.f !== null && c.f < t) fewer++;
      }
    }),
    { numRuns: 12, seed: 1117 },
  );
  expect(compared).toBeGreaterThan(15);
  expect(fewer).toBeGreaterThan(0);
});

// The parameterized engine (remainder included) never verifies what exploration refutes at n = t + 1.
test('param (every n and t) agrees with exhaustive exploration at n = 2 and 3 (resilience n > t)', async () => {
  let refuted = 0;
  await fc.assert(
    fc.asyncProperty(protocolArbWith('n>t'), async (p) => {
      const R = p.horizon.kind === 'int' ? p.horizon.value : 0;
      for (const prop of PROPS) {
        const r = await checkParamOne(p, prop, { t: null, rounds: R }, TIMEOUT);
        if (r.verdict === 'unknown') continue;
        for (const [n, t] of [
          [2, 1],
          [3, 2],
        ] as const) {
          const ex = explore(p, { n, t, hash: protocolHash(p), rounds: R, maxConfigs: 20000 });
          if (!ex.ok) throw new Error('explore failed');
          const e = asVerdict(ex.value[prop]);
          if (e === 'violated') {
            refuted++;
            expect(`${prop} at ${n}:${t}: ${r.verdict}`).toBe(`${prop} at ${n}:${t}: violated`);
          }
        }
      }
    }),
    { numRuns: 10, seed: 2024 },
  );
  expect(refuted).toBeGreaterThan(0);
});
