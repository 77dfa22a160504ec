// The invariant engine on the file's own `if G then eventually S within W`
// properties (src/smt/invariant/eventually.ts: ghosts g = "G at boundary 0"
// and seen = "S at some phase boundary so far", violation at p = P_W + 1):
// FloodSet's validity0 and validity1 (for followers, W = t + 1, crash
// faults) are proved for every n and t, the proof checker regenerates the
// same verification conditions, and every conjunct holds on fresh simulated
// runs (the soundness guard). Variants that decide too late or decide the
// wrong value are never proved, and the counter engine refutes them with a
// replayed trace; likewise under Byzantine faults for an echo broadcast's
// delivery (test/fixtures/lang-faults/echo-accept.bft). A bound that is not a whole number of phases, or that
// mentions n, is refused with the reason. Loads Z3.
import { readFileSync } from 'fs';
import { join } from 'path';
import { checkOne } from '../src/check/check';
import { type InvariantResult, invariantModel, invariantVcs, proveByInvariant } from '../src/check/invariant';
import type { PropertyName, Protocol } from '../src/ir/types';
import { parseProtocol } from '../src/lang';
import { replayTrace } from '../src/sim/replay';
import { allCandidates } from '../src/smt/invariant/candidates';
import { holdsOn, sampleStates } from '../src/smt/invariant/sample';
import { buildSystem, phaseBound } from '../src/smt/invariant/system';
import { shutdownZ3 } from '../src/smt/z3';
import { formatError } from '../src/util/result';

const SOURCE = readFileSync(join(__dirname, '..', 'specs', 'sta', 'floodset.bft'), 'utf8');
function parse(source: string): Protocol {
  const r = parseProtocol(source, 'floodset.bft');
  if (!r.ok) throw new Error(r.errors.map((e) => formatError(e, source)).join('\n'));
  return r.value;
}
/** A variant of floodset.bft: every `from` replaced by `to` (which must occur). */
function variant(from: string, to: string): Protocol {
  expect(SOURCE.includes(from)).toBe(true);
  return parse(SOURCE.split(from).join(to));
}

/** Deciding one phase late (termination unclaimed, the horizon t + 2). */
const late = (): Protocol => parse(SOURCE.split('when phase == t + 1').join('when phase == t + 2').replace('claims agreement, termination within t + 1', 'claims agreement\nhorizon t + 2'));

afterAll(async () => {
  await shutdownZ3();
});

const LONG = 120_000;

/** Every conjunct of the proof holds on fresh sampled runs (other seeds, t up to 4), which reach both ghost values. */
function guard(p: Protocol, property: PropertyName, res: InvariantResult): void {
  const ph = phaseBound(p, property);
  if (typeof ph === 'string') throw new Error(ph);
  const sys = buildSystem(p, property, ph);
  const ids = new Set(res.invariant.map((c) => c.id));
  const conjuncts = allCandidates(sys).filter((c) => ids.has(c.id));
  expect(conjuncts.length).toBe(ids.size);
  const samples = sampleStates(sys, { ts: [1, 2, 3, 4], seeds: 3, seed: 4242 });
  expect(samples.length).toBeGreaterThan(50);
  if (p.faults.kind === 'crash') expect(samples.some((s) => (s.fault?.c ?? 0) > 0)).toBe(true);
  expect(samples.some((s) => s.ev?.g === 1 && s.ev.seen === 0)).toBe(true);
  expect(samples.some((s) => s.ev?.g === 1 && s.ev.seen === 1)).toBe(true);
  expect(samples.some((s) => s.ev?.g === 0)).toBe(true);
  for (const s of samples) for (const c of conjuncts) if (!holdsOn(c, s)) throw new Error(`${property}: conjunct "${c.words}" fails on a sampled state ${JSON.stringify({ ...s, counts: [...s.counts], fault: null })}`);
}

function expectProof(p: Protocol, res: InvariantResult): void {
  expect(res.reason).toBeUndefined();
  expect(res.verdict).toBe('proved');
  expect(res.model).toBe('crash');
  expect(res.region).toContain('phases 1 .. P = 1 + 1*t');
  const vcs = res.queries.filter((q) => q.name.startsWith('vc:'));
  expect(vcs.map((q) => [q.name, q.status])).toEqual([['vc:init', 'unsat'], ['vc:step', 'unsat'], ['vc:property', 'unsat']]);
  for (const q of res.queries.filter((x) => x.name.startsWith('sanity:'))) expect(q.status).toBe('sat');
  const ids = res.invariant.map((c) => c.id);
  expect(ids).toContain('dom:ghosts');
  const model = invariantModel(p, ids);
  expect(model).toBe(p);
  // the checker regenerates the same texts, also when asked for runs of any length (an `eventually` system has W's phases only)
  for (const unbounded of [false, true]) expect(invariantVcs(p, res.property, ids, { unbounded }).map((x) => x.smtlib)).toEqual(vcs.map((q) => q.smtlib));
}

describe('`if G then eventually S within W` in the invariant engine', () => {
  for (const property of ['validity0', 'validity1'] as const) {
    test(`FloodSet ${property} (followers, W = t + 1) is proved for every n and t`, async () => {
      const p = parse(SOURCE);
      const res = await proveByInvariant(p, property, { unbounded: true });
      expectProof(p, res);
      guard(p, property, res);
    }, LONG);
  }

  const broken: [string, () => Protocol, PropertyName][] = [
    // (termination is not claimed there: the replayed run must break exactly the property asked)
    ['deciding in phase t + 2 misses W = t + 1', late, 'validity0'],
    ['deciding 1 by default decides 1 when every input is 0', () => variant('when phase == t + 1: decide v', 'when phase == t + 1: decide 1'), 'validity0'],
  ];
  for (const [name, make, property] of broken) {
    test(`${name}: never proved, refuted by the counter engine with a replayed trace`, async () => {
      const p = make();
      const res = await proveByInvariant(p, property, { timeoutMs: 30_000 });
      expect(res.verdict).toBe('unknown');
      const r = await checkOne(p, 'counter', { n: 3, t: 1, rounds: 2 }, property, 60_000);
      expect(r.verdict).toBe('violated');
      const trace = r.counterexample;
      if (trace === undefined) throw new Error('no counterexample');
      expect(trace.violations.some((v) => v.property === 'user' && v.name === property)).toBe(true);
      expect(replayTrace(p, JSON.parse(JSON.stringify(trace)))).toMatchObject({ ok: true });
    }, LONG);
  }

  test('Byzantine faults, for the correct processes: the echo broadcast\'s delivery is proved; accepting on n - t + 1 echoes is refuted', async () => {
    const echo = readFileSync(join(__dirname, 'fixtures', 'lang-faults', 'echo-accept.bft'), 'utf8');
    const ok = await proveByInvariant(parse(echo), 'delivery', { unbounded: true });
    expect([ok.verdict, ok.reason]).toEqual(['proved', undefined]);
    expect(ok.model).toBe('byzantine');
    guard(parse(echo), 'delivery', ok);
    const slow = parse(echo.replace('when count(ECHO) >= n - t: echoed', 'when count(ECHO) >= n - t + 1: echoed'));
    expect((await proveByInvariant(slow, 'delivery', { timeoutMs: 30_000 })).verdict).toBe('unknown');
    const r = await checkOne(slow, 'counter', { n: 4, t: 1, rounds: 2 }, 'delivery', 60_000);
    expect(r.verdict).toBe('violated');
    if (r.counterexample === undefined) throw new Error('no counterexample');
    expect(replayTrace(slow, JSON.parse(JSON.stringify(r.counterexample)))).toMatchObject({ ok: true });
  }, LONG);

  test('a bound that is not a whole number of phases, or that mentions n, is refused with the reason', async () => {
    const p = parse(SOURCE);
    // two rounds per phase: W = t + 1 rounds ends inside a phase for even t
    const twoRounds: Protocol = { ...p, rounds: [...p.rounds, ...p.rounds] };
    const a = await proveByInvariant(twoRounds, 'validity0');
    expect(a.verdict).toBe('unknown');
    expect(a.reason).toMatch(/not a whole number of phases/);
    const readsN = variant('eventually all(decided == 0) within t + 1', 'eventually all(decided == 0) within n');
    const b = await proveByInvariant(readsN, 'validity0');
    expect(b.verdict).toBe('unknown');
    expect(b.reason).toMatch(/mentions n/);
    const predN = variant('eventually all(decided == 0)', 'eventually all(decided == 0 || n > 100)');
    expect((await proveByInvariant(predN, 'validity0')).reason).toMatch(/reads n or t/);
  }, LONG);
});
