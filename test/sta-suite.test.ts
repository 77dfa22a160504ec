// The synchronous threshold automata suite (TACAS 2019, istoilkovska/syncTA;
// docs/sta-suite.md) against its ground truth, specs/sta/expected.json: every
// suite file of algorithms/ and counterexamples/ is mapped; every spec under
// specs/sta/ has an entry, a header naming its source, its syncTA file and
// its expected verdict, and formats idempotently; at its instances the
// counter and process engines (through checkClaims) give exactly the expected
// verdict of each property (at the smallest listed instance; every listed
// instance with STA_INSTANCES=all), and so does the simulator's exhaustive
// exploration at the smallest instance; a broken spec is refuted at its
// smallest instance with a counterexample that replays in the simulator.
//
// TEMPORARY: a property an engine does not model yet (engineUnsupported: a
// fault kind or a user property the encoding refuses) is registered as a
// skipped test naming the reason, so the suite turns them on by itself when
// the engines land.
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { allProperties, confirmReplay, engineUnsupported, type Engine } from '../src/check/check';
import type { NT } from '../src/check/instances';
import { checkClaims, instanceText } from '../src/check/verdict';
import { isClassicModel } from '../src/ir/faults';
import { protocolHash } from '../src/ir/hash';
import type { PropertyName, Protocol } from '../src/ir/types';
import { parseProtocol, printProtocol } from '../src/lang';
import { explore } from '../src/sim';
import { shutdownZ3 } from '../src/smt/z3';
import { violationName } from '../src/trace/model';
import { formatError } from '../src/util/result';
import { expectedVerdicts, STA_SUITE, type ExpectedEntry } from '../bench/sta';

const ROOT = join(__dirname, '..');
const STA_DIR = join(ROOT, 'specs', 'sta');
const TIMEOUT_MS = 60_000;
const ALL = process.env['STA_INSTANCES'] === 'all';

const expected = JSON.parse(readFileSync(join(STA_DIR, 'expected.json'), 'utf8')) as Record<string, ExpectedEntry>;
const files = readdirSync(STA_DIR)
  .filter((f) => f.endsWith('.bft'))
  .sort()
  .map((f) => `specs/sta/${f}`);

function load(rel: string): Protocol {
  const source = readFileSync(join(ROOT, rel), 'utf8');
  const r = parseProtocol(source, rel);
  if (!r.ok) throw new Error(r.errors.map((e) => formatError(e, source)).join('\n'));
  return r.value;
}

/** `5:1,7:2` or, for a hybrid spec, `6:1:1,...` (n:t:o). */
const instancesOf = (s: string): NT[] =>
  s.split(',').map((x) => {
    const [n, t, o] = x.split(':').map(Number);
    return o === undefined ? { n: n!, t: t! } : { n: n!, t: t!, o };
  });

/** The engine that refutes at an instance: the process encoding for hybrid faults (the counter encoding refuses them). */
const refuter = (p: Protocol): Engine => (p.faults.kind === 'hybrid' ? 'process' : 'counter');

afterAll(async () => {
  await shutdownZ3();
});

describe('STA suite: inventory', () => {
  test('every file of algorithms/ and counterexamples/ is mapped once, to an existing spec or a stated reason', () => {
    const suite = STA_SUITE.map((s) => s.syncta);
    expect(new Set(suite).size).toBe(suite.length);
    expect(suite.filter((f) => f.startsWith('algorithms/'))).toHaveLength(20);
    expect(suite.filter((f) => f.startsWith('counterexamples/'))).toHaveLength(11);
    for (const s of STA_SUITE) expect(() => readFileSync(join(ROOT, s.spec), 'utf8')).not.toThrow();
  });

  test('every spec under specs/sta/ has an expected entry and a suite file, and every entry a spec', () => {
    expect(Object.keys(expected).sort()).toEqual(files);
    const mapped = STA_SUITE.map((s) => s.spec).filter((s) => s.startsWith('specs/sta/'));
    expect([...mapped].sort()).toEqual(files);
    for (const s of STA_SUITE.filter((x) => x.spec.startsWith('specs/sta/'))) expect(expected[s.spec]!['syncta']).toBe(s.syncta);
  });
});

describe.each(files)('%s', (file) => {
  const entry = expected[file]!;
  const p = load(file);
  const want = expectedVerdicts(entry);
  const instances = instancesOf(entry.instances);

  test('header names the source, the syncTA file and the expected verdict', () => {
    const source = readFileSync(join(ROOT, file), 'utf8');
    const header = source.slice(0, source.search(/^protocol /m));
    expect(header.trim().split('\n').every((line) => line.trim() === '' || line.trim().startsWith('//'))).toBe(true);
    expect(header).toMatch(/Source:/);
    expect(header).toContain(`syncTA: ${entry['syncta']}`);
    expect(header).toMatch(/Expected verdict/);
  });

  test('parses, formats idempotently, and expected.json lists exactly its properties', () => {
    const once = printProtocol(p);
    const again = parseProtocol(once, `${file} (printed)`);
    if (!again.ok) throw new Error(again.errors.map((e) => formatError(e, once)).join('\n'));
    expect(printProtocol(again.value)).toBe(once);
    expect(protocolHash(again.value)).toBe(protocolHash(p));
    expect(Object.keys(want).sort()).toEqual([...allProperties(p)].sort());
    expect(entry.why.length).toBeGreaterThan(20);
    // a broken spec is checked first where it breaks
    if (entry['counterexample_at'] !== undefined) expect(entry.instances.split(',')[0]).toBe(entry['counterexample_at']);
    else expect(Object.values(want).every((v) => v === 'verified')).toBe(true);
  });

  for (const engine of ['counter', 'process'] as const satisfies readonly Engine[]) {
    // Within ~90 s: the smallest instance; STA_INSTANCES=all (and bench --only sta) take every listed one.
    // The process encoding (n * n per round) answers for what is new here (crash and omission faults,
    // properties of the file's own); the classic Byzantine specs it checks with STA_INSTANCES=all.
    if (engine === 'process' && !ALL && isClassicModel(p)) continue;
    const at = ALL ? instances : instances.slice(0, 1);
    const props = allProperties(p);
    const unsupported = props.map((q) => [q, engineUnsupported(p, engine, q)] as const).filter((x): x is readonly [PropertyName, string] => x[1] !== null);
    for (const [q, why] of unsupported) test.skip(`${engine}: ${q} (engine does not model it yet: ${why})`, () => undefined);
    const supported = props.filter((q) => engineUnsupported(p, engine, q) === null);
    if (supported.length === 0) continue;
    test(`${engine} at ${at.map(instanceText).join(', ')}: ${supported.join(', ')} as expected`, async () => {
      const report = await checkClaims(p, { engine, properties: supported, instances: at, narrowedBy: [`--instances ${entry.instances}`], timeoutMs: TIMEOUT_MS });
      const got = Object.fromEntries(report.properties.map((c) => [c.property, c.verdict]));
      // a broken spec's first instance is its smallest violating one, so both engines see every violation
      expect(got).toEqual(Object.fromEntries(supported.map((q) => [q, want[q]])));
    }, ALL ? 3_600_000 : undefined);
  }

  // `explore_at`: where exhaustive exploration stays within its budget when the first instance is too large for it
  const exploreAt = entry['explore_at'] ?? entry.instances.split(',')[0]!;
  test(`exhaustive exploration (the simulator) at ${exploreAt} gives the expected verdicts`, () => {
    const { n, t, o } = instancesOf(exploreAt)[0]!;
    const r = explore(p, { n, t, ...(o === undefined ? {} : { o }), hash: protocolHash(p), maxConfigs: 400_000 });
    if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
    expect(r.value.stats.budgetExceeded).toBe(false);
    const got = Object.fromEntries(Object.entries(r.value.byName).map(([q, v]) => [q, v.status]));
    expect(got).toEqual(Object.fromEntries(Object.entries(want).map(([q, v]) => [q, v === 'verified' ? 'holds' : 'violated'])));
  });

  const cx = entry['counterexample_at'];
  if (cx !== undefined) {
    test(`refuted at its smallest instance ${cx} with a replayed counterexample`, async () => {
      const [inst] = instancesOf(cx);
      const violated = Object.keys(want).filter((q) => want[q] === 'violated' && engineUnsupported(p, refuter(p), q) === null);
      if (violated.length === 0) return; // the engines do not model it yet (see the skipped tests above)
      const report = await checkClaims(p, { engine: refuter(p), properties: violated, instances: [inst!], narrowedBy: [`--instances ${cx}`], timeoutMs: TIMEOUT_MS });
      for (const q of violated) expect(`${q}: ${report.properties.find((c) => c.property === q)?.verdict}`).toBe(`${q}: violated`);
      const trace = report.counterexample;
      if (trace === undefined) throw new Error('violated without a counterexample');
      expect({ n: trace.n, t: trace.t, ...(trace.o === undefined ? {} : { o: trace.o }) }).toEqual(inst);
      const shown = trace.violations.map(violationName).filter((q) => violated.includes(q));
      expect(shown.length).toBeGreaterThan(0);
      // the simulator reproduces every recorded state, message and violation
      for (const q of shown) confirmReplay(p, trace, q);
    });
  }
});
