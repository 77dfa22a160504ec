// Property-based cross-check (docs/semantics.md section 4, soundness rules): on random
// small protocols, the counter encoding, the process encoding and exhaustive
// enumeration of every adversary in the simulator give the same verdict.
// (The second and last test file that loads Z3.)

import fc from 'fast-check';
import { checkOne } from '../src/check/check';
import { protocolHash } from '../src/ir/hash';
import { explore } from '../src/sim/explore';
import { shutdownZ3 } from '../src/smt/z3';
import type { Property } from '../src/trace/model';
import { protocolArb } from './helpers/smt-random';

afterAll(async () => {
  await shutdownZ3();
});

const PROPS: Property[] = ['agreement', 'validity', 'termination'];

test.each([
  [4, 1],
  [5, 1],
])('counter = process = exhaustive at n = %i, t = %i', async (n, t) => {
  let compared = 0;
  await fc.assert(
    fc.asyncProperty(protocolArb, async (p) => {
      const R = p.horizon.kind === 'int' ? p.horizon.value : 0;
      const ex = explore(p, { n, t, hash: protocolHash(p), rounds: R, maxConfigs: 20000 });
      if (!ex.ok) throw new Error(ex.errors.map((e) => e.message).join('; '));
      for (const prop of PROPS) {
        const c = await checkOne(p, 'counter', { n, t, rounds: R }, prop, 20000);
        const q = await checkOne(p, 'process', { n, t, rounds: R }, prop, 20000);
        const e = ex.value[prop];
        if (c.verdict !== 'unknown' && q.verdict !== 'unknown') expect(`${prop}: ${q.verdict}`).toBe(`${prop}: ${c.verdict}`);
        if (e.status === 'holds' || e.status === 'violated') {
          compared++;
          expect(`${prop}: ${c.verdict}`).toBe(`${prop}: ${e.status === 'holds' ? 'verified' : 'violated'}`);
        }
      }
    }),
    { numRuns: 15, seed: 4242 },
  );
  expect(compared).toBeGreaterThan(20);
});
