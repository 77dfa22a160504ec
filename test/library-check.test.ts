// The SMT checker against the library's ground truth (specs/expected.json):
// every claimed property gets its expected verdict at the listed instances,
// every counterexample has been replayed (checkOne does it) and renders in
// every export format; and mutants of the verified protocols that exhaustive
// simulation breaks are reported violated by the counter encoding.
import { readFileSync } from 'fs';
import { join } from 'path';
import { CheckResult, checkOne, checkProtocol, claimedProperties, roundsFor } from '../src/check/check';
import { protocolHash } from '../src/ir/hash';
import type { PropertyName, Protocol } from '../src/ir/types';
import { parseProtocol } from '../src/lang';
import { explore } from '../src/sim';
import { shutdownZ3 } from '../src/smt/z3';
import { traceToHtml } from '../src/trace/html';
import { itfToText, traceToItf } from '../src/trace/itf';
import { traceToJson } from '../src/trace/json';
import { readTrace } from '../src/trace/read';
import { traceToText } from '../src/trace/text';
import { formatError } from '../src/util/result';
import { mutantsOf } from './helpers/mutants';

const ROOT = join(__dirname, '..');
type Verdict = 'verified' | 'violated';
type Expected = Record<PropertyName, Verdict> & { instances: string; why: string };
const expected = JSON.parse(readFileSync(join(ROOT, 'specs', 'expected.json'), 'utf8')) as Record<string, Expected>;

function load(rel: string): Protocol {
  const source = readFileSync(join(ROOT, rel), 'utf8');
  const r = parseProtocol(source, rel);
  if (!r.ok) throw new Error(r.errors.map((e) => formatError(e, source)).join('\n'));
  return r.value;
}

const instancesOf = (e: Expected) => e.instances.split(',').map((s) => ({ n: Number(s.split(':')[0]), t: Number(s.split(':')[1]) }));

afterAll(async () => {
  await shutdownZ3();
});

describe('every library protocol gets its expected verdict (counter engine)', () => {
  for (const [rel, entry] of Object.entries(expected)) {
    test(rel, async () => {
      const p = load(rel);
      const report = await checkProtocol(p, { instances: instancesOf(entry), engine: 'counter', timeoutMs: 60000 });
      const got = report.results.map((r) => `${r.property}@${r.n}:${r.t}=${r.verdict}`);
      const want = report.results.map((r) => `${r.property}@${r.n}:${r.t}=${entry[r.property]}`);
      expect(got).toEqual(want);
      expect(report.results.length).toBe(claimedProperties(p).length * instancesOf(entry).length);
      for (const r of report.results.filter((x) => x.verdict === 'violated')) {
        const trace = r.counterexample!;
        expect(trace.violations.some((v) => v.property === r.property)).toBe(true);
        expect(traceToText(trace)).toContain(`${r.property} violated`);
        expect(traceToHtml(trace)).toContain('<svg');
        for (const text of [traceToJson(trace), itfToText(traceToItf(trace, p))]) {
          const back = readTrace(text, 'cx');
          expect(back.ok && back.value.trace).toEqual(trace);
        }
      }
    });
  }
});

describe('mutants that exhaustive simulation breaks are reported violated', () => {
  const verified = Object.entries(expected).filter(([, e]) => e.agreement === 'verified' && e.validity === 'verified' && e.termination === 'verified');
  // A fixed, spread-out sample keeps the suite within minutes; MUTANTS=all checks every mutant.
  const perProtocol = process.env.MUTANTS === 'all' ? Infinity : 8;

  test.each(verified.map(([rel]) => rel))('%s', async (rel) => {
    const p = load(rel);
    const { n, t } = instancesOf(expected[rel]!)[0]!;
    const all = mutantsOf(p);
    const step = Math.max(1, Math.floor(all.length / perProtocol));
    const sample = all.filter((_, i) => i % step === 0).slice(0, perProtocol);
    let broken = 0;
    for (const mutant of sample) {
      const m = mutant.protocol;
      const oracle = explore(m, { n, t, hash: protocolHash(m) });
      if (!oracle.ok) continue;
      for (const property of claimedProperties(m)) {
        const verdict = oracle.value[property];
        if (verdict.status !== 'violated' && verdict.status !== 'holds') continue;
        const r: CheckResult = await checkOne(m, 'counter', { n, t, rounds: roundsFor(m, property, n, t) }, property, 60000);
        const context = `${rel} mutant "${mutant.description}" ${property} at ${n}:${t}`;
        // Both directions: the SMT engine and exhaustive simulation agree.
        expect(`${context}: ${r.verdict}`).toBe(`${context}: ${verdict.status === 'violated' ? 'violated' : 'verified'}`);
        if (r.verdict === 'violated') broken++;
      }
    }
    expect(sample.length).toBeGreaterThan(0);
    // A sample in which no mutant breaks anything would test nothing.
    expect(broken).toBeGreaterThan(0);
  });
});
