// The protocol library (specs/*.bft) against its ground truth, specs/expected.json:
// every file parses, formats idempotently, has exactly one expected entry,
// simulates under every built-in adversary without contradicting a verified
// property, shows each violated property under a recorded built-in adversary,
// and the simulator's exhaustive explorer returns exactly the expected verdicts
// at the default instances.
import * as fs from 'fs';
import * as path from 'path';
import { evalParamExpr, evalParamInt } from '../src/ir/eval';
import { protocolHash } from '../src/ir/hash';
import type { Protocol } from '../src/ir/types';
import { parseProtocol, printProtocol } from '../src/lang';
import { explore, instanceOrThrow, random, replay, silent, simulate, split, type Adversary } from '../src/sim';
import { isBuiltinViolation, type Property, type Trace } from '../src/trace/model';
import { formatError } from '../src/util/result';

const ROOT = path.resolve(__dirname, '..');
const SPECS = path.join(ROOT, 'specs');
const PROPERTIES: Property[] = ['agreement', 'validity', 'termination'];

type Verdict = 'verified' | 'violated';
interface Expected {
  agreement: Verdict;
  validity: Verdict;
  termination: Verdict;
  instances: string;
  why: string;
}

const expected: Record<string, Expected> = JSON.parse(fs.readFileSync(path.join(SPECS, 'expected.json'), 'utf8'));
const files = fs
  .readdirSync(SPECS)
  .filter((f) => f.endsWith('.bft'))
  .sort()
  .map((f) => `specs/${f}`);

function parseFile(rel: string): Protocol {
  const source = fs.readFileSync(path.join(ROOT, rel), 'utf8');
  const result = parseProtocol(source, rel);
  if (!result.ok) throw new Error(result.errors.map((e) => formatError(e, source)).join('\n'));
  return result.value;
}

function instancesOf(entry: Expected): { n: number; t: number }[] {
  return entry.instances.split(',').map((s) => {
    const [n, t] = s.split(':').map(Number);
    return { n: n!, t: t! };
  });
}

/** Process ids of the correct processes get `inputs` in order; Byzantine ids get null. */
function inputsFor(n: number, byzantine: number[], correctInputs: (k: number) => number): (number | null)[] {
  let k = 0;
  return Array.from({ length: n }, (_, i) => (byzantine.includes(i) ? null : correctInputs(k++)));
}

function run(p: Protocol, n: number, t: number, byzantine: number[], inputs: (number | null)[], adversary: Adversary): Trace {
  const instance = instanceOrThrow(p, { n, t, byzantine, inputs });
  return simulate(p, instance, adversary, { hash: protocolHash(p) });
}

type AdversaryName = 'silent' | 'split' | 'split(swap)' | 'random';
function adversaries(name: AdversaryName, seeds: number): Adversary[] {
  switch (name) {
    case 'silent':
      return [silent()];
    case 'split':
      return [split()];
    case 'split(swap)':
      return [split({ swap: true })];
    case 'random':
      return Array.from({ length: seeds }, (_, s) => random(s));
  }
}

/**
 * Runs that show each violated property with a built-in adversary (the same
 * as in expected.json's `why`). `inputs` lists the correct processes' inputs
 * in id order; for `random`, some seed in 0..63 must show it (the recorded
 * seed is only a hint, so a change of PRNG does not break the test).
 */
interface Witness {
  file: string;
  property: Property;
  n: number;
  t: number;
  byzantine: number[];
  inputs: number[];
  by: AdversaryName[];
}
const WITNESSES: Witness[] = [
  { file: 'specs/quorum-vote.bft', property: 'termination', n: 5, t: 1, byzantine: [0], inputs: [1, 1, 0, 0], by: ['split', 'split(swap)'] },
  { file: 'specs/quorum-vote.bft', property: 'termination', n: 9, t: 2, byzantine: [0, 1], inputs: [1, 1, 1, 0, 0, 0, 0], by: ['split', 'split(swap)'] },
  { file: 'specs/phase-king-3round-weak-commit.bft', property: 'agreement', n: 4, t: 1, byzantine: [0], inputs: [1, 1, 0], by: ['random'] }, // seed 4
  { file: 'specs/phase-king-3round-weak-commit.bft', property: 'agreement', n: 7, t: 2, byzantine: [0, 2], inputs: [1, 1, 0, 0, 1], by: ['random'] }, // seed 0
  { file: 'specs/phase-king-n4t.bft', property: 'validity', n: 4, t: 1, byzantine: [0], inputs: [1, 1, 1], by: ['split', 'random'] },
  { file: 'specs/phase-king-n4t.bft', property: 'validity', n: 4, t: 1, byzantine: [0], inputs: [0, 0, 0], by: ['split(swap)'] },
  { file: 'specs/phase-king-n4t.bft', property: 'agreement', n: 4, t: 1, byzantine: [1], inputs: [0, 0, 0], by: ['split', 'split(swap)', 'random'] },
  { file: 'specs/phase-king-n4t.bft', property: 'validity', n: 8, t: 2, byzantine: [0, 1], inputs: [1, 1, 1, 1, 1, 1], by: ['split'] },
  { file: 'specs/phase-king-n4t.bft', property: 'validity', n: 8, t: 2, byzantine: [0, 1], inputs: [0, 0, 0, 0, 0, 0], by: ['split(swap)', 'random'] },
  { file: 'specs/phase-king-n4t.bft', property: 'agreement', n: 8, t: 2, byzantine: [0, 2], inputs: [0, 0, 0, 0, 0, 0], by: ['split', 'split(swap)', 'random'] },
  { file: 'specs/phase-king-3round-n3t.bft', property: 'agreement', n: 3, t: 1, byzantine: [0], inputs: [1, 0], by: ['split', 'split(swap)', 'random'] },
  { file: 'specs/phase-king-3round-n3t.bft', property: 'agreement', n: 6, t: 2, byzantine: [0, 1], inputs: [1, 0, 0, 0], by: ['split', 'split(swap)'] },
  { file: 'specs/phase-king-3round-off-by-one.bft', property: 'agreement', n: 4, t: 1, byzantine: [0], inputs: [1, 0, 0], by: ['random'] }, // seed 1
  { file: 'specs/phase-king-3round-off-by-one.bft', property: 'agreement', n: 7, t: 2, byzantine: [1, 2], inputs: [1, 1, 1, 1, 0], by: ['random'] }, // seed 20
  { file: 'specs/phase-king-t-phases.bft', property: 'agreement', n: 5, t: 1, byzantine: [0], inputs: [1, 0, 0, 0], by: ['split', 'split(swap)', 'random'] },
  { file: 'specs/phase-king-t-phases.bft', property: 'agreement', n: 9, t: 2, byzantine: [0, 1], inputs: [1, 0, 0, 0, 0, 0, 0], by: ['split', 'split(swap)', 'random'] },
  { file: 'specs/decide-zero.bft', property: 'validity', n: 4, t: 1, byzantine: [0], inputs: [1, 1, 1], by: ['silent', 'split', 'split(swap)', 'random'] },
  { file: 'specs/decide-zero.bft', property: 'validity', n: 7, t: 2, byzantine: [0, 1], inputs: [1, 1, 1, 1, 1], by: ['silent', 'split', 'split(swap)', 'random'] },
  { file: 'specs/one-round-majority.bft', property: 'agreement', n: 4, t: 1, byzantine: [0], inputs: [1, 1, 0], by: ['split', 'split(swap)', 'random'] },
  { file: 'specs/one-round-majority.bft', property: 'agreement', n: 7, t: 2, byzantine: [0, 1], inputs: [1, 1, 0, 0, 0], by: ['split', 'split(swap)', 'random'] },
  { file: 'specs/no-decide.bft', property: 'termination', n: 4, t: 1, byzantine: [0], inputs: [0, 0, 0], by: ['silent', 'split', 'split(swap)', 'random'] },
  { file: 'specs/no-decide.bft', property: 'termination', n: 7, t: 2, byzantine: [0, 1], inputs: [1, 0, 1, 0, 1], by: ['silent', 'split', 'split(swap)', 'random'] },
];

describe('protocol library: inventory', () => {
  test('has at least 12 protocols', () => {
    expect(files.length).toBeGreaterThanOrEqual(12);
  });

  test('every spec has an entry in specs/expected.json and every entry a spec', () => {
    expect(Object.keys(expected).sort()).toEqual(files);
  });

  test('the library has verified protocols and a violation of each property', () => {
    for (const p of PROPERTIES) {
      const verdicts = Object.values(expected).map((e) => e[p]);
      expect(verdicts).toContain('verified');
      expect(verdicts).toContain('violated');
    }
  });
});

describe.each(files)('%s', (file) => {
  const entry = expected[file];
  const source = fs.readFileSync(path.join(ROOT, file), 'utf8');

  test('expected.json entry is well-formed', () => {
    expect(entry).toBeDefined();
    for (const p of PROPERTIES) expect(['verified', 'violated']).toContain(entry![p]);
    expect(entry!.instances).toMatch(/^\d+:\d+(,\d+:\d+)*$/);
    expect(entry!.why.length).toBeGreaterThan(20);
  });

  test('starts with a header comment naming its source and expected verdict', () => {
    const header = source.slice(0, source.search(/^protocol /m));
    expect(header.trim().split('\n').every((line) => line.trim() === '' || line.trim().startsWith('//'))).toBe(true);
    expect(header).toMatch(/Source:/);
    expect(header).toMatch(/Expected verdict/);
  });

  test('parses, claims all three properties, and formats idempotently', () => {
    const p = parseFile(file);
    expect(p.properties.agreement).toBe(true);
    expect(p.properties.validity).toBe(true);
    expect(p.properties.termination).not.toBeNull();
    const once = printProtocol(p);
    const again = parseProtocol(once, `${file} (printed)`);
    if (!again.ok) throw new Error(again.errors.map((e) => formatError(e, once)).join('\n'));
    expect(printProtocol(again.value)).toBe(once);
    expect(protocolHash(again.value)).toBe(protocolHash(p));
  });

  test('its instances are the smallest n for t = 1 and t = 2 that the resilience condition admits', () => {
    const p = parseFile(file);
    const insts = instancesOf(entry!);
    expect(insts.map((i) => i.t)).toEqual([1, 2]);
    for (const { n, t } of insts) {
      expect(evalParamExpr(p.resilience, n, t)).toBe(true);
      expect(evalParamExpr(p.resilience, n - 1, t)).toBe(false);
    }
  });

  test('simulates under every built-in adversary, never contradicting a verified property', () => {
    const p = parseFile(file);
    for (const { n, t } of instancesOf(entry!)) {
      const rounds = evalParamInt(p.horizon, n, t);
      const byzSets = [Array.from({ length: t }, (_, i) => i), Array.from({ length: t }, (_, i) => n - t + i)];
      const inputChoices: ((k: number) => number)[] = [() => 0, () => p.values - 1, (k) => k % p.values, (k) => (k < (n - t) / 2 ? 1 : 0)];
      for (const byzantine of byzSets) {
        for (const choose of inputChoices) {
          const inputs = inputsFor(n, byzantine, choose);
          for (const adversary of [silent(), split(), split({ swap: true }), random(1), random(2), random(3)]) {
            const trace = run(p, n, t, byzantine, inputs, adversary);
            expect(trace.rounds).toHaveLength(rounds);
            // the replay adversary reproduces the run exactly
            expect(run(p, n, t, byzantine, inputs, replay(trace))).toEqual(trace);
            for (const v of trace.violations.filter(isBuiltinViolation)) {
              if (entry![v.property] === 'verified') {
                throw new Error(`${file} n=${n} t=${t} byz=${byzantine} inputs=${inputs} ${adversary.name}: ${v.property} violated but expected verified`);
              }
            }
          }
        }
      }
    }
  });

  test('every violated property is shown by a recorded built-in adversary at every instance', () => {
    const p = parseFile(file);
    for (const property of PROPERTIES) {
      if (entry![property] !== 'violated') continue;
      for (const { n, t } of instancesOf(entry!)) {
        const witnesses = WITNESSES.filter((w) => w.file === file && w.property === property && w.n === n && w.t === t);
        expect(witnesses.length).toBeGreaterThan(0);
        for (const w of witnesses) {
          const inputs = inputsFor(n, w.byzantine, (k) => w.inputs[k]!);
          for (const name of w.by) {
            const shown = adversaries(name, 64).some((adv) => run(p, n, t, w.byzantine, inputs, adv).violations.some((v) => v.property === property));
            if (!shown) throw new Error(`${file} n=${n} t=${t}: ${name} does not show the ${property} violation`);
          }
        }
      }
    }
  });

  test('exhaustive exploration gives exactly the expected verdicts', () => {
    const p = parseFile(file);
    for (const { n, t } of instancesOf(entry!)) {
      const result = explore(p, { n, t, hash: protocolHash(p), maxConfigs: 2_000_000 });
      if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('; '));
      const got = Object.fromEntries(PROPERTIES.map((prop) => [prop, result.value[prop].status]));
      const want = Object.fromEntries(PROPERTIES.map((prop) => [prop, entry![prop] === 'verified' ? 'holds' : 'violated']));
      expect({ n, t, ...got }).toEqual({ n, t, ...want });
    }
  });
});
