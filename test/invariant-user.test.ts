// The invariant engine on the file's own `always` properties
// (src/smt/invariant/user.ts): unforgeability of an echo broadcast is proved
// for every n and t and runs of any length; a variant that relays on t
// echoes (so t Byzantine processes forge) is never proved, and the counter
// engine refutes it with a replayed run; what the engine cannot read
// (followers of a Byzantine protocol, a bound W over n, predicates over n)
// is refused with the reason (`eventually` proofs:
// test/invariant-eventually.test.ts). Every conjunct of a proof holds on
// fresh simulated runs. Loads Z3.
import { readFileSync } from 'fs';
import { join } from 'path';
import { checkOne } from '../src/check/check';
import { proveByInvariant } from '../src/check/invariant';
import type { Protocol } from '../src/ir/types';
import { parseProtocol } from '../src/lang';
import { allCandidates } from '../src/smt/invariant/candidates';
import { holdsOn, sampleStates } from '../src/smt/invariant/sample';
import { buildSystem, phaseBound } from '../src/smt/invariant/system';
import { shutdownZ3 } from '../src/smt/z3';
import { formatError } from '../src/util/result';

const ECHO = readFileSync(join(__dirname, 'fixtures', 'lang-faults', 'echo-accept.bft'), 'utf8');

function parse(source: string): Protocol {
  const r = parseProtocol(source, 'test.bft');
  if (!r.ok) throw new Error(r.errors.map((e) => formatError(e, source)).join('\n'));
  return r.value;
}

afterAll(async () => {
  await shutdownZ3();
});

describe('the file\'s own always-properties in the invariant engine', () => {
  test('unforgeability of the echo broadcast: proved for every n and t, runs of any length', async () => {
    const p = parse(ECHO);
    const r = await proveByInvariant(p, 'unforgeable', { unbounded: true });
    expect(r.verdict).toBe('proved');
    expect(r.region).toContain('every phase p >= 1 (runs of any length)');
    expect(r.queries.filter((q) => q.name.startsWith('vc:')).map((q) => q.status)).toEqual(['unsat', 'unsat', 'unsat']);
    // soundness guard: every conjunct holds on runs the engine did not sample (other t, other seeds)
    const ph = phaseBound(p, 'unforgeable');
    if (typeof ph === 'string') throw new Error(ph);
    const sys = buildSystem(p, 'unforgeable', ph, true);
    const byId = new Map(allCandidates(sys).map((c) => [c.id, c]));
    const fresh = sampleStates(sys, { ts: [1, 4], seed: 99, seeds: 2 });
    expect(fresh.length).toBeGreaterThan(50);
    for (const c of r.invariant) expect([c.id, fresh.every((s) => holdsOn(byId.get(c.id)!, s))]).toEqual([c.id, true]);
  }, 180_000);

  test('relaying on t echoes lets t Byzantine processes forge: never proved, refuted by a replayed run', async () => {
    const forged = parse(ECHO.replace('when count(ECHO) >= t + 1: echoed := true', 'when count(ECHO) >= t: echoed := true'));
    const r = await proveByInvariant(forged, 'unforgeable', { unbounded: true });
    expect(r.verdict).toBe('unknown');
    const c = await checkOne(forged, 'counter', { n: 4, t: 1, rounds: 3 }, 'unforgeable', 60_000);
    expect(c.verdict).toBe('violated');
    expect(c.counterexample?.violations.some((v) => v.property === 'user' && v.name === 'unforgeable')).toBe(true);
  }, 180_000);

  test('what the engine cannot read is refused with the reason, never approximated', async () => {
    const p = parse(ECHO);
    const withinN = parse(ECHO.replace('eventually all(accepted) within 2', 'eventually all(accepted) within n'));
    expect((await proveByInvariant(withinN, 'delivery')).reason).toMatch(/within W` mentions n/);
    const followers = parse(ECHO.replace('property relay: always', 'property relay for followers: always'));
    expect((await proveByInvariant(followers, 'relay')).reason).toMatch(/correct processes only/);
    const readsN = parse(ECHO.replace('always (no(input == 1) implies no(accepted))', 'always no(accepted && n > 3)'));
    expect((await proveByInvariant(readsN, 'unforgeable')).reason).toMatch(/reads n or t/);
    expect((await proveByInvariant(p, 'nonexistent')).reason).toMatch(/has no property nonexistent/);
  }, 60_000);
});
