// The invariant engine on STA properties that need more than the clean-round
// ghost: FloodMin for k = 2 (specs/sta/floodmin2.bft), whose 2-set agreement
// rests on a round with at most one crash among floor(t/2)+1 rounds. The
// candidates "every round so far had >= m crashes, or the alive processes' v
// and the correct decisions lie in m values" and that span atom
// (src/smt/invariant/candidates-faults.ts) prove two_set for every n > t;
// deciding one round early (floodmin2-broken.bft, violated at 5:2) is never
// proved. Every proof's three verification conditions are unsat and
// regenerate from the protocol and the conjuncts' ids. Loads Z3.
import { invariantModel, invariantVcs, proveByInvariant } from '../src/check/invariant';
import type { Protocol } from '../src/ir/types';
import { shutdownZ3 } from '../src/smt/z3';
import { loadSpec } from './helpers/spec';

afterAll(async () => {
  await shutdownZ3();
});

describe('FloodMin k = 2 (crash faults)', () => {
  test('two_set is proved for every n > t, through the span pigeonhole', async () => {
    const p = loadSpec('specs/sta/floodmin2.bft');
    const res = await proveByInvariant(p, 'two_set');
    expect(res.reason).toBeUndefined();
    expect(res.verdict).toBe('proved');
    expect(res.model).toBe('crash');
    const vcs = res.queries.filter((q) => q.name.startsWith('vc:'));
    expect(vcs.map((q) => q.name)).toEqual(['vc:init', 'vc:step', 'vc:property']);
    for (const q of vcs) expect(q.status).toBe('unsat');
    const ids = res.invariant.map((c) => c.id);
    expect(ids).toContain('pigeonhole-span:v:2');
    const again = invariantVcs(invariantModel(p, ids) as Protocol, res.property, ids);
    expect(again.map((x) => x.smtlib)).toEqual(vcs.map((q) => q.smtlib));
  }, 60_000);

  test('deciding one round early (floodmin2-broken) is not proved', async () => {
    const res = await proveByInvariant(loadSpec('specs/sta/floodmin2-broken.bft'), 'two_set');
    expect(res.verdict).toBe('unknown');
  }, 60_000);
});
