// The parameterized engine against the concrete one (docs/semantics.md section 4,
// soundness rules): parameterized unsat implies concrete unsat on every
// instance checked, a concrete sat implies parameterized sat for that t, a
// parameterized counterexample concretizes to a replayed trace, and a wrong
// resilience condition is not proved. (The third test file that loads Z3.)
import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { checkOne, claimedProperties } from '../src/check/check';
import { checkParamOne, checkParamProtocol, paramPlan, type ParamResult } from '../src/check/param';
import { evalParamExpr, evalParamInt } from '../src/ir/eval';
import type { Protocol } from '../src/ir/types';
import { parseProtocol } from '../src/lang';
import { loadManifest, recheckProofs } from '../src/proof/recheck';
import { writeCheckProofs } from '../src/proof/from-check';
import { protocolHash } from '../src/ir/hash';
import { replayTrace } from '../src/sim/replay';
import { shutdownZ3 } from '../src/smt/z3';
import type { Property } from '../src/trace/model';
import { formatError } from '../src/util/result';

const ROOT = join(__dirname, '..');
const expected = JSON.parse(readFileSync(join(ROOT, 'specs', 'expected.json'), 'utf8')) as Record<string, Record<Property, string>>;

function parse(source: string, name = 'test.bft'): Protocol {
  const r = parseProtocol(source, name);
  if (!r.ok) throw new Error(r.errors.map((e) => formatError(e, source)).join('\n'));
  return r.value;
}
const load = (rel: string): Protocol => parse(readFileSync(join(ROOT, rel), 'utf8'), rel);

afterAll(async () => {
  await shutdownZ3();
});

const TIMEOUT = 60000;
const TS = [1, 2, 3];

/** The smallest admissible n at t, then +1 and +5 (the concrete instances compared with a region). */
function instancesAt(p: Protocol, t: number): number[] {
  for (let n = t + 1; n <= 200; n++) if (evalParamExpr(p.resilience, n, t) === true) return [n, n + 1, n + 5].filter((m) => evalParamExpr(p.resilience, m, t) === true);
  return [];
}

describe('parameterized and concrete engines agree on the library (t <= 3)', () => {
  test.each(Object.keys(expected))('%s', async (rel) => {
    const p = load(rel);
    const rep = await checkParamProtocol(p, { ts: TS, timeoutMs: TIMEOUT });
    expect(rep.skipped).toEqual([]);
    for (const property of claimedProperties(p)) {
      const plan = paramPlan(p, property);
      const regions = rep.results.filter((r) => r.property === property);
      expect(regions.length).toBe(plan.kind === 'all-t' ? 1 : TS.length);
      for (const t of TS) {
        const region = regions.find((r) => plan.kind === 'all-t' || r.t === t) as ParamResult;
        expect(region.verdict).not.toBe('unknown');
        for (const n of instancesAt(p, t)) {
          const rounds = evalParamInt(plan.kind === 'per-t' ? plan.bound : p.horizon, n, t);
          const c = await checkOne(p, 'counter', { n, t, rounds: plan.kind === 'all-t' ? plan.rounds : rounds }, property, TIMEOUT);
          const where = `${property} at n=${n} t=${t}: param ${region.verdict}, counter ${c.verdict}`;
          expect(c.verdict).not.toBe('unknown');
          // param verified => concrete verified; concrete violated => param violated
          if (region.verdict === 'verified' || c.verdict === 'violated') expect(where).toBe(`${property} at n=${n} t=${t}: param ${c.verdict}, counter ${c.verdict}`);
        }
        // the library's ground truth, for every t of the region
        expect(`${property}: ${region.verdict}`).toBe(`${property}: ${expected[rel]?.[property]}`);
      }
      for (const r of regions.filter((x) => x.verdict === 'violated')) {
        const cex = r.counterexample;
        if (cex === undefined) throw new Error('violated without a counterexample');
        expect(evalParamExpr(p.resilience, cex.n, cex.t)).toBe(true);
        expect([cex.n, cex.t, cex.byzantine.length]).toEqual([r.n, r.t, r.f]);
      }
    }
  });
});

test('Phase King at n = 4t: a parameterized counterexample at n = 4t that concretizes and replays', async () => {
  const p = load('specs/phase-king-n4t.bft');
  for (const property of ['agreement', 'validity'] as const) {
    const r = await checkParamOne(p, property, { t: 2, rounds: 6 }, TIMEOUT);
    expect(r.verdict).toBe('violated');
    expect([r.n, r.t]).toEqual([8, 2]); // n > 4t is the correct condition: the only bad n at t = 2 is 8
    const cex = r.counterexample;
    if (cex === undefined) throw new Error('no counterexample');
    expect(cex.violations.some((v) => v.property === property)).toBe(true);
    expect(replayTrace(p, cex, { violations: 'claimed' }).ok).toBe(true);
  }
});

test('a wrong resilience condition (Phase King with n > t) is not proved; its counterexample is outside n > 4t', async () => {
  const source = readFileSync(join(ROOT, 'specs', 'phase-king.bft'), 'utf8').replace('resilience n > 4*t', 'resilience n > t');
  const p = parse(source);
  const rep = await checkParamProtocol(p, { ts: [1, 2], properties: ['agreement', 'validity'], timeoutMs: TIMEOUT });
  for (const r of rep.results) {
    expect(`${r.property} t=${r.t}: ${r.verdict}`).toBe(`${r.property} t=${r.t}: violated`);
    expect((r.n as number) <= 4 * (r.t as number)).toBe(true);
    expect(r.counterexample).toBeDefined();
  }
});

// A leader protocol whose horizon has more phases than small n have processes:
// the query assumes n >= L (distinct leaders) and the admissible n < L are
// proved by the concrete engine, so the region still covers every n.
const LEADER_GOSSIP = `
protocol LeaderGossip
resilience n > t
var v : value = input
leader message KING(value)
round king {
  send KING(v)
  when count(KING, 1) >= 1: v := 1; decide 1
}
horizon t + 4
claims agreement, validity
`;

test('the leader side condition n >= L: the n below it are covered by concrete queries', async () => {
  const p = parse(LEADER_GOSSIP);
  const r = await checkParamOne(p, 'agreement', { t: 1, rounds: 5 }, TIMEOUT);
  expect(r.leaderBound).toBe(5);
  expect(r.side).toContain('n >= 5 (the leaders of phases 1..5 are distinct)');
  expect(r.remainder.map((x) => `${x.n}:${x.t}:${x.engine}:${x.verdict}`)).toEqual(['2:1:counter:verified', '3:1:counter:verified', '4:1:counter:verified']);
  expect(r.verdict).toBe('verified');
  // validity fails (a Byzantine king sends KING(1) to processes whose input is 0); the query finds it at its smallest n, 5
  const v = await checkParamOne(p, 'validity', { t: 1, rounds: 5 }, TIMEOUT);
  expect([v.verdict, v.n]).toEqual(["violated", 5]);
});

test('parameterized proofs are written with their region and re-check as unsat', async () => {
  const p = load('specs/phase-king.bft');
  const r = await checkParamOne(p, 'termination', { t: 2, rounds: 6 }, TIMEOUT);
  const a = await checkParamOne(load('specs/one-round-majority.bft'), 'validity', { t: null, rounds: 1 }, TIMEOUT);
  expect([r.verdict, a.verdict]).toEqual(['verified', 'verified']);
  const dir = join(mkdtempSync(join(tmpdir(), 'bftsynth-param-')), 'proofs');
  await writeCheckProofs(dir, p, protocolHash(p), 'specs/phase-king.bft', [], [r]);
  const m = loadManifest(dir);
  if (!m.ok) throw new Error('manifest does not load');
  const q = m.value.queries[0];
  expect(q?.file).toBe('termination-param-t2.smt2');
  expect(q?.parameters).toEqual({ resilience: 'n > 4*t', f: '0 <= f <= t', t: 2, side: ['0 <= f <= t', 't < n', 't = 2', 'n >= 3 (the leaders of phases 1..3 are distinct)'] });
  // One region at t = 2 proves no claim for every n and t: proof check refuses the directory and says which claims.
  const re = await recheckProofs(dir, m.value, p, { timeoutMs: TIMEOUT, natives: [] });
  expect(re.ok).toBe(false);
  if (!re.ok) expect(re.errors.map((e) => e.message.split(':')[0])).toEqual(['agreement', 'validity', 'termination']);
  expect(a.t).toBeNull();
  expect(a.smtlib).toContain('(declare-fun t () Int)');
});
