// The inductive-invariant engine in the protocol's own crash and omission
// model (src/smt/invariant/faults.ts): FloodSet (specs/sta/floodset.bft,
// correct only under crash faults: one Byzantine process breaks it) is
// proved for every n and t; deciding after t rounds (floodset-broken.bft) is
// never proved and the counter engine refutes it with a replayed trace; with
// `assume clean round within t` the t-round variant is proved. Under
// omission faults, FloodMin with its clean-round assumption is proved, also
// the file's own agreement among all followers (correct and faulty), which
// is never proved without the assumption. Every proof's
// verification conditions were answered unsat (its sanity queries sat), the
// proof checker regenerates the same texts, and every conjunct holds on
// fresh simulated runs with crashes (the soundness guard). Loads Z3.
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
import { singleBound } from '../src/ir/faults';

const ROOT = join(__dirname, '..');
function parse(source: string, name: string): Protocol {
  const r = parseProtocol(source, name);
  if (!r.ok) throw new Error(r.errors.map((e) => formatError(e, source)).join('\n'));
  return r.value;
}
const read = (rel: string): string => readFileSync(join(ROOT, rel), 'utf8');
const load = (rel: string): Protocol => parse(read(rel), rel);

/** floodset-broken.bft (decides in round t) with the schedule assumption that makes t rounds enough. */
function assumed(): Protocol {
  const src = read('specs/sta/floodset-broken.bft').replace('protocol FloodSetBroken', 'protocol FloodSetAssumed').replace(/^claims /m, 'assume clean round within t\n\nclaims ');
  return parse(src, 'floodset-assumed.bft');
}

afterAll(async () => {
  await shutdownZ3();
});

const LONG = 300_000;

/** Every conjunct of a proved invariant holds on fresh sampled runs of the protocol's own model (other seeds, t up to 4). */
function guard(p: Protocol, property: PropertyName, res: InvariantResult): void {
  const ph = phaseBound(p, property);
  if (typeof ph === 'string') throw new Error(ph);
  const sys = buildSystem(p, property, ph);
  expect(sys.faults?.kind).toBe(p.faults.kind);
  const ids = new Set(res.invariant.map((c) => c.id));
  const conjuncts = allCandidates(sys).filter((c) => ids.has(c.id));
  expect(conjuncts.length).toBe(ids.size);
  const samples = sampleStates(sys, { ts: [1, 2, 3, 4], seeds: 3, seed: 4242 });
  expect(samples.length).toBeGreaterThan(50);
  // the runs crash: some sampled states have crashed processes and some are not clean yet
  if (p.faults.kind === 'crash') expect(samples.some((s) => (s.fault?.c ?? 0) > 0)).toBe(true);
  expect(samples.some((s) => s.fault?.clean === 0 && s.p > 1)).toBe(true);
  for (const s of samples) for (const c of conjuncts) if (!holdsOn(c, s)) throw new Error(`${p.name} ${property}: conjunct "${c.words}" fails on the sampled state ${JSON.stringify({ ...s, counts: [...s.counts], fault: s.fault === null ? null : { ...s.fault, counts: [...s.fault.counts] } })}`);
}

/** A proof in the protocol's own model, whose verification conditions regenerate from the protocol and the conjuncts' ids. */
function expectProof(p: Protocol, res: InvariantResult): void {
  expect(res.reason).toBeUndefined();
  expect(res.verdict).toBe('proved');
  expect(res.model).toBe(p.faults.kind);
  const vcs = res.queries.filter((q) => q.name.startsWith('vc:'));
  expect(vcs.map((q) => q.name)).toEqual(['vc:init', 'vc:step', 'vc:property']);
  for (const q of vcs) expect(q.status).toBe('unsat');
  for (const q of res.queries.filter((x) => x.name.startsWith('sanity:'))) expect(q.status).toBe('sat');
  const ids = res.invariant.map((c) => c.id);
  expect(ids).toContain('dom:faulty');
  const model = invariantModel(p, ids);
  expect(model).toBe(p);
  const again = invariantVcs(model as Protocol, res.property, ids);
  expect(again.map((x) => x.smtlib)).toEqual(vcs.map((q) => q.smtlib));
}

describe('crash faults in their own model', () => {
  for (const property of ['agreement', 'termination'] as const) {
    test(`FloodSet ${property} is proved for every n and t`, async () => {
      const p = load('specs/sta/floodset.bft');
      const res = await proveByInvariant(p, property);
      expectProof(p, res);
      guard(p, property, res);
    }, LONG);
  }

  test('FloodSet agreement is not proved in the Byzantine model (it needs crash faults)', async () => {
    const p = load('specs/sta/floodset.bft');
    const byz: Protocol = { ...p, faults: { kind: 'byzantine', bound: singleBound(p.faults) }, assumptions: [] };
    expect((await proveByInvariant(byz, 'agreement')).verdict).toBe('unknown');
  }, LONG);

  test('deciding after t rounds: never proved, refuted with a replayed trace', async () => {
    const p = load('specs/sta/floodset-broken.bft');
    const res = await proveByInvariant(p, 'agreement');
    expect(res.verdict).toBe('unknown');
    const r = await checkOne(p, 'counter', { n: 3, t: 1, rounds: 1 }, 'agreement', 60_000);
    expect(r.verdict).toBe('violated');
    const trace = r.counterexample;
    if (trace === undefined) throw new Error('no counterexample');
    expect(trace.faults).toBe('crash');
    expect(replayTrace(p, JSON.parse(JSON.stringify(trace)))).toMatchObject({ ok: true });
  }, LONG);

  test('FloodSet\'s built-in validity (over the correct inputs) does not hold: never proved, refuted with a replayed trace', async () => {
    const file = load('specs/sta/floodset.bft');
    // a faulty process with the other input reaches some processes before it crashes: W = {0, 1}, default 0
    const p: Protocol = { ...file, properties: { ...file.properties, validity: true } };
    expect((await proveByInvariant(p, 'validity')).verdict).toBe('unknown');
    const r = await checkOne(p, 'counter', { n: 3, t: 1, rounds: 2 }, 'validity', 60_000);
    expect(r.verdict).toBe('violated');
    if (r.counterexample === undefined) throw new Error('no counterexample');
    expect(replayTrace(p, JSON.parse(JSON.stringify(r.counterexample)))).toMatchObject({ ok: true });
  }, LONG);

  test('deciding after t rounds with `assume clean round within t`: agreement proved', async () => {
    const p = assumed();
    const res = await proveByInvariant(p, 'agreement');
    expectProof(p, res);
    expect(res.invariant.map((c) => c.id)).toContain('assumed-clean');
    guard(p, 'agreement', res);
  }, LONG);
});

describe('omission faults in their own model', () => {
  test('FloodMin under omission with a clean round within t + 1: agreement proved', async () => {
    const p = load('specs/sta/floodmin-omit1.bft');
    const res = await proveByInvariant(p, 'agreement');
    expectProof(p, res);
    guard(p, 'agreement', res);
  }, LONG);
});

describe('the file\'s own properties for followers (correct and alive faulty processes)', () => {
  test('FloodMin under omission: agreement among all followers proved', async () => {
    const p = load('specs/sta/floodmin-omit1.bft');
    const res = await proveByInvariant(p, 'agreement_all');
    expectProof(p, res);
    guard(p, 'agreement_all', res);
  }, LONG);

  test('without the clean-round assumption it is never proved', async () => {
    const p = load('specs/sta/kset-omit1-broken.bft');
    expect((await proveByInvariant(p, 'agreement_all')).verdict).toBe('unknown');
  }, LONG);
});

describe('refused with a reason', () => {
  test('a fault bound other than t', async () => {
    const p = load('specs/sta/floodset.bft');
    const res = await proveByInvariant({ ...p, faults: { kind: 'crash', bound: { kind: 'add', left: { kind: 'param', name: 't' }, right: { kind: 'int', value: 1 } } } }, 'agreement');
    expect(res.verdict).toBe('unknown');
    expect(res.reason).toMatch(/up to t only/);
  });
});
