// Fewer faults than t, for the every-n-and-t engines (docs/semantics.md,
// section 4.3): the phase lemmas and the inductive invariant never prove what
// exhaustive exploration over every f refutes at n = t + 1. (Full tier: the
// invariant engine takes about a second per protocol and property.)

import fc from 'fast-check';
import { proveByInvariant } from '../src/check/invariant';
import { checkLemma } from '../src/check/lemmas';
import { protocolHash } from '../src/ir/hash';
import { explore } from '../src/sim/explore';
import { shutdownZ3 } from '../src/smt/z3';
import type { Property } from '../src/trace/model';
import { protocolArbWith } from './helpers/smt-random';

afterAll(async () => {
  await shutdownZ3();
});

const TIMEOUT = 20000;
const PROPS: Property[] = ['agreement', 'validity', 'termination'];

// The every-n-and-t engines (phase lemmas, inductive invariant) never prove what exploration over every f
// refutes at n = t + 1.
test('phase lemmas and the inductive invariant agree with exhaustive exploration at n = 2 and 3 (resilience n > t)', async () => {
  let proved = 0;
  let refuted = 0;
  await fc.assert(
    fc.asyncProperty(protocolArbWith('n>t'), async (p) => {
      const R = p.horizon.kind === 'int' ? p.horizon.value : 0;
      for (const prop of PROPS) {
        const lemma = await checkLemma(p, prop, TIMEOUT);
        const inv = await proveByInvariant(p, prop, { timeoutMs: TIMEOUT });
        const claims = [!('skipped' in lemma) && lemma.verdict === 'verified' ? 'lemma' : null, inv.verdict === 'proved' ? 'invariant' : null].filter((x): x is string => x !== null);
        if (claims.length === 0) continue;
        proved++;
        for (const [n, t] of [
          [2, 1],
          [3, 2],
        ] as const) {
          const ex = explore(p, { n, t, hash: protocolHash(p), rounds: R, maxConfigs: 20000 });
          if (!ex.ok) throw new Error('explore failed');
          if (ex.value[prop].status === 'violated') refuted++;
          expect(`${prop} at ${n}:${t} (proved by ${claims.join(', ')}): ${ex.value[prop].status}`).not.toMatch(/: violated$/);
        }
      }
    }),
    { numRuns: 8, seed: 77 },
  );
  expect(proved).toBeGreaterThan(3);
  expect(refuted).toBe(0);
});
