// The inductive-invariant engine (src/check/invariant.ts, src/smt/invariant/):
// the library's correct protocols are proved for every n and t (quorum-vote's
// termination, which is violated, is not), broken protocols are never
// proved, every proof's verification conditions were answered unsat (and its
// sanity queries sat), and every conjunct of a returned invariant holds on
// fresh simulator runs (other seeds, t up to 4). Loads Z3.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { type InvariantResult, invariantVcs, proveByInvariant } from '../src/check/invariant';
import type { Protocol } from '../src/ir/types';
import { parseProtocol } from '../src/lang';
import { explore } from '../src/sim';
import { allCandidates } from '../src/smt/invariant/candidates';
import { holdsOn, sampleStates } from '../src/smt/invariant/sample';
import { buildSystem, phaseBound } from '../src/smt/invariant/system';
import { nativeSolverVersion, runNativeSolver } from '../src/smt/native';
import { runSpacer } from '../src/smt/invariant/spacer';
import { shutdownZ3 } from '../src/smt/z3';
import type { Property } from '../src/trace/model';
import { formatError } from '../src/util/result';
import { mutantsOf } from './helpers/mutants';

const ROOT = join(__dirname, '..');
function load(rel: string): Protocol {
  const source = readFileSync(join(ROOT, rel), 'utf8');
  const r = parseProtocol(source, rel);
  if (!r.ok) throw new Error(r.errors.map((e) => formatError(e, source)).join('\n'));
  return r.value;
}

afterAll(async () => {
  await shutdownZ3();
});

const LONG = 600_000;

/** Every conjunct of a proved invariant holds on fresh sampled runs. */
function guard(p: Protocol, property: Property, res: InvariantResult): void {
  const ph = phaseBound(p, property);
  if (typeof ph === 'string') throw new Error(ph);
  const sys = buildSystem(p, property, ph);
  const ids = new Set(res.invariant.map((c) => c.id));
  const conjuncts = allCandidates(sys).filter((c) => ids.has(c.id));
  expect(conjuncts.length).toBe(ids.size);
  const samples = sampleStates(sys, { ts: [1, 2, 3, 4], seeds: 4, seed: 12345 });
  expect(samples.length).toBeGreaterThan(50);
  for (const s of samples) for (const c of conjuncts) if (!holdsOn(c, s)) throw new Error(`${p.name} ${property}: conjunct "${c.words}" fails on the sampled state ${JSON.stringify({ ...s, counts: [...s.counts] })}`);
}

function expectProof(res: InvariantResult): void {
  expect(res.reason).toBeUndefined();
  expect(res.verdict).toBe('proved');
  const vcs = res.queries.filter((q) => q.name.startsWith('vc:'));
  expect(vcs.map((q) => q.name)).toEqual(['vc:init', 'vc:step', 'vc:property']);
  for (const q of vcs) expect(q.status).toBe('unsat');
  for (const q of res.queries.filter((x) => x.name.startsWith('sanity:'))) expect(q.status).toBe('sat');
  expect(res.invariant.length).toBeGreaterThan(0);
}

const proved: [string, Property[]][] = [
  ['specs/phase-king.bft', ['agreement', 'validity', 'termination']],
  ['specs/phase-queen.bft', ['agreement', 'validity', 'termination']],
  ['specs/phase-king-3round.bft', ['agreement', 'validity', 'termination']],
  ['specs/quorum-vote.bft', ['agreement', 'validity']],
  // termination within 2t rounds: the region excludes t = 0, whose horizon of 0 rounds is not admissible
  ['specs/phase-king-t-phases.bft', ['validity', 'termination']],
];

describe('proved for every n and t', () => {
  for (const [file, props] of proved) {
    for (const property of props) {
      test(`${file} ${property}`, async () => {
        const p = load(file);
        const res = await proveByInvariant(p, property);
        expectProof(res);
        guard(p, property, res);
      }, LONG);
    }
  }
});

describe('never proved', () => {
  const cases: [string, Property][] = [
    ['specs/quorum-vote.bft', 'termination'],
    ['specs/phase-king-t-phases.bft', 'agreement'],
    ['specs/phase-king-n4t.bft', 'validity'],
    ['specs/phase-king-n4t.bft', 'agreement'],
    ['specs/phase-king-3round-weak-commit.bft', 'agreement'],
  ];
  for (const [file, property] of cases) {
    test(`${file} ${property}`, async () => {
      const expected = JSON.parse(readFileSync(join(ROOT, 'specs/expected.json'), 'utf8')) as Record<string, Record<string, string>>;
      expect(expected[file]?.[property]).toBe('violated');
      const res = await proveByInvariant(load(file), property);
      expect(res.verdict).toBe('unknown');
      expect(res.reason).toBeDefined();
    }, LONG);
  }
});

describe('safety for runs of any length (unbounded)', () => {
  const cases: [string, Property, boolean][] = [
    ['specs/phase-king.bft', 'agreement', true],
    ['specs/quorum-vote.bft', 'agreement', true],
    ['specs/phase-queen.bft', 'validity', true],
    ['specs/phase-king-t-phases.bft', 'agreement', false],
  ];
  for (const [file, property, ok] of cases) {
    test(`${file} ${property}: ${ok ? 'proved' : 'not proved'}`, async () => {
      const p = load(file);
      const res = await proveByInvariant(p, property, { unbounded: true });
      if (!ok) return expect(res.verdict).toBe('unknown');
      expectProof(res);
      expect(res.region).toContain('every phase p >= 1 (runs of any length)');
      expect(res.invariant.map((c) => c.id)).not.toContain('dom:p<=P+1');
    }, LONG);
  }
});

test('a property that is not claimed is not proved', async () => {
  const p = load('specs/phase-king.bft');
  const res = await proveByInvariant({ ...p, properties: { ...p.properties, termination: null } }, 'termination');
  expect(res.verdict).toBe('unknown');
  expect(res.queries).toEqual([]);
});

test('minimized: phase king agreement needs a handful of conjuncts, re-checked from scratch', async () => {
  const res = await proveByInvariant(load('specs/phase-king.bft'), 'agreement', { minimizeMs: 300_000 });
  expectProof(res);
  expect(res.invariant.length).toBeLessThanOrEqual(12);
  expect(res.invariant.map((c) => c.id)).toContain('goodleader => common:v');
  for (const q of res.queries.filter((x) => x.name.startsWith('vc:'))) expect(q.reused).toBeUndefined();
}, LONG);

const hasZ3 = nativeSolverVersion('z3') !== null;
(hasZ3 ? describe : describe.skip)('Spacer on the same system (native z3)', () => {
  test('refutes a broken protocol in the system, proves a correct one', async () => {
    const run = async (file: string, property: Property): Promise<string> => {
      const p = load(file);
      const ph = phaseBound(p, property);
      if (typeof ph === 'string') throw new Error(ph);
      return (await runSpacer(buildSystem(p, property, ph), 60_000)).status;
    };
    expect(await run('specs/phase-king-t-phases.bft', 'agreement')).toBe('unsat');
    expect(await run('specs/phase-king.bft', 'validity')).toBe('sat');
  }, LONG);

  test('with spacerMs, a broken protocol stops early and unproved', async () => {
    const res = await proveByInvariant(load('specs/phase-king-n4t.bft'), 'validity', { spacerMs: 30_000 });
    expect(res.verdict).toBe('unknown');
    expect(res.spacer?.status).toBe('unsat');
    expect(res.queries).toEqual([]);
  }, LONG);
});

// Cross-check against exhaustive exploration: mutants of phase king (a
// threshold or constant off by one, a rule dropped); wherever exploration at
// n = 5, t = 1 (every f in 0..1, every Byzantine set, every message choice)
// finds a violation, the invariant engine must not prove that property.
test('mutants: never proved where exhaustive exploration finds a violation', async () => {
  const p = load('specs/phase-king.bft');
  const mutants = mutantsOf(p);
  expect(mutants.length).toBeGreaterThan(10);
  let checked = 0;
  for (const m of mutants) {
    const r = explore(m.protocol, { n: 5, t: 1, hash: 'h', faults: [0, 1], maxConfigs: 50_000 });
    if (!r.ok) continue;
    for (const property of ['agreement', 'validity', 'termination'] as Property[]) {
      if (r.value[property].status !== 'violated') continue;
      const res = await proveByInvariant(m.protocol, property);
      if (res.verdict === 'proved') throw new Error(`${m.description}: ${property} proved, but exploration finds a violation`);
      checked++;
    }
  }
  expect(checked).toBeGreaterThan(5);
}, LONG);

test('the proof regenerates from the protocol and the conjuncts ids, and native z3 and cvc5 agree', async () => {
  const p = load('specs/phase-queen.bft');
  const res = await proveByInvariant(p, 'agreement', { minimizeMs: 15_000 });
  expectProof(res);
  const vcs = res.queries.filter((q) => q.name.startsWith('vc:'));
  const again = invariantVcs(p, 'agreement', res.invariant.map((c) => c.id));
  expect(again.map((q) => [q.name, q.smtlib])).toEqual(vcs.map((q) => [q.name, q.smtlib]));
  expect(() => invariantVcs(p, 'agreement', ['no such conjunct'])).toThrow(/no candidate/);
  const dir = mkdtempSync(join(tmpdir(), 'inv-vc-'));
  try {
    for (const solver of ['z3', 'cvc5'] as const) {
      if (nativeSolverVersion(solver) === null) continue;
      for (const q of again) {
        const file = join(dir, `${q.name.replace(':', '-')}.smt2`);
        writeFileSync(file, `(set-logic QF_LIA)\n${q.smtlib}(check-sat)\n`);
        expect([solver, q.name, (await runNativeSolver(solver, file, 60_000)).status]).toEqual([solver, q.name, 'unsat']);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, LONG);
