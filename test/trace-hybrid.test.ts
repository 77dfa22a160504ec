// Trace formats for hybrid runs (docs/semantics.md section 1.9): Byzantine
// processes B and omission-faulty processes O in one run, and the bound o.
// Golden text, JSON, ITF and HTML of one simulated run; round trips of random
// hybrid runs through JSON and ITF (fast-check); located errors for traces
// that break the hybrid rules; and the CLI (simulate --o, trace, replay).
import fc from 'fast-check';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { protocolHash } from '../src/ir/hash';
import type { Protocol } from '../src/ir/types';
import { random, scripted, split } from '../src/sim/adversary';
import { instanceOrThrow } from '../src/sim/instance';
import { replayTrace } from '../src/sim/replay';
import { simulate } from '../src/sim/simulate';
import { conformanceProblems } from '../src/trace/conform';
import { traceToHtml } from '../src/trace/html';
import { chooseLanes, MAX_LANES } from '../src/trace/html-lanes';
import { itfToText, traceToItf } from '../src/trace/itf';
import { traceToJson } from '../src/trace/json';
import type { Trace } from '../src/trace/model';
import { traceToText } from '../src/trace/text';
import { edited, readErrors, readOk } from './fixtures/traces-faults/traces';
import { cli } from './helpers/cli';
import { expectGolden } from './helpers/golden';
import { leaderHybrid, rbHybrid, rbHybridSource } from './helpers/hybrid-protocols';

const GOLDEN = join(__dirname, 'golden', 'trace-hybrid');
const golden = (name: string, actual: string): void => expectGolden(join(GOLDEN, name), actual);

/** A hand-picked hybrid run of the leader protocol at n = 6, t = 1, o = 1: p0 (phase 1's leader) Byzantine, p1 (phase 2's) omission-faulty. */
function leaderRun(): { protocol: Protocol; trace: Trace } {
  const protocol = leaderHybrid();
  const inst = instanceOrThrow(protocol, { n: 6, t: 1, o: 1, byzantine: [0], faulty: [1], inputs: [null, 0, 1, 1, 0, 1] });
  const byz = (to: number, message: string, payload: number) => ({ from: 0, to, message, payload });
  const trace = simulate(
    protocol,
    inst,
    scripted(
      'hand',
      [[byz(2, 'VOTE', 1), byz(4, 'VOTE', 0)], [byz(1, 'PROPOSE', 0), byz(2, 'PROPOSE', 1), byz(3, 'PROPOSE', 0), byz(4, 'PROPOSE', 1), byz(5, 'PROPOSE', 1)], [], []],
      [{ crashed: [], withheld: [{ from: 1, to: 3, message: 'VOTE' }] }, { crashed: [], withheld: [] }, { crashed: [], withheld: [] }, { crashed: [], withheld: [2, 3, 4].map((to) => ({ from: 1, to, message: 'PROPOSE' })) }],
    ),
    { hash: protocolHash(protocol) },
  );
  return { protocol, trace };
}

describe('golden exports of one hybrid run', () => {
  const { protocol, trace } = leaderRun();
  test('the run is a run, shows both kinds, and violates agreement', () => {
    expect(replayTrace(protocol, trace)).toMatchObject({ ok: true });
    expect(conformanceProblems(trace, protocol)).toEqual([]);
    expect(trace.violations.map((v) => v.property)).toContain('agreement');
    const text = traceToText(trace);
    expect(text).toContain('LeaderHybrid  n=6 t=1 o=1  Byzantine {p0}  faulty (omission): p1');
    expect(text).toContain('leader p0 BYZANTINE');
    expect(text).toContain('leader p1 omission-faulty');
    expect(text).toContain('withheld  p1 -/-> p2, p3, p4 PROPOSE(');
    expect(text).toMatch(/p1 {3}rule \d {3}.*\[omission-faulty\]/);
  });
  test('text', () => golden('leader.txt', traceToText(trace)));
  test('JSON', () => golden('leader.json', traceToJson(trace)));
  test('ITF', () => golden('leader.itf.json', itfToText(traceToItf(trace, protocol, { source: 'leader-hybrid.bft' }))));
  test('HTML', () => {
    const html = traceToHtml(trace, { protocol, file: 'leader-hybrid.bft' });
    expect(html).toContain('<dt>instance</dt><dd>n=6 t=1 o=1</dd>');
    expect(html).toContain('<dt>Byzantine</dt><dd>{p0}</dd><dt>faulty (omission)</dt><dd>{p1}</dd>');
    expect(html).toContain('class="lane byzantine"');
    expect(html).toContain('class="lane faulty omission"');
    expect(html).toContain('class="fault-withheld"');
    golden('leader.html', html);
  });
});

test('a large hybrid run: at most MAX_LANES lanes, hidden Byzantine and omission-faulty processes in group lanes of their own', () => {
  const protocol = rbHybrid();
  const inst = instanceOrThrow(protocol, { n: 14, t: 2, o: 2, byzantine: [12, 13], faulty: [10, 11], inputs: Array.from({ length: 14 }, (_, i) => i % 2) });
  const trace = simulate(protocol, inst, random(1), { hash: 'h' });
  const lanes = chooseLanes(trace);
  expect(lanes.length).toBeLessThanOrEqual(MAX_LANES);
  for (const lane of lanes) expect(lane.byzantine && lane.faulty).toBe(false);
  expect(lanes.flatMap((l) => l.ids).sort((a, b) => a - b)).toEqual(Array.from({ length: 14 }, (_, i) => i));
  expect(lanes.filter((l) => l.byzantine).flatMap((l) => l.ids)).toEqual([12, 13]);
  expect(lanes.filter((l) => l.faulty).flatMap((l) => l.ids).sort()).toEqual([10, 11]);
  expect(traceToHtml(trace)).toContain('<dt>instance</dt><dd>n=14 t=2 o=2</dd>');
});

describe('round trips of random hybrid runs', () => {
  const arbitraryRun = fc.record({
    leader: fc.boolean(),
    order: fc.shuffledSubarray([0, 1, 2, 3, 4, 5], { minLength: 6, maxLength: 6 }),
    fb: fc.integer({ min: 0, max: 1 }),
    fo: fc.integer({ min: 0, max: 1 }),
    inputs: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 6, maxLength: 6 }),
    seed: fc.integer({ min: 0, max: 1 << 30 }),
    splitting: fc.boolean(),
    rounds: fc.integer({ min: 0, max: 4 }),
  });
  test('JSON and ITF read back to the same trace, which still replays (fast-check)', () => {
    fc.assert(
      fc.property(arbitraryRun, ({ leader, order, fb, fo, inputs, seed, splitting, rounds }) => {
        const protocol = leader ? leaderHybrid() : rbHybrid();
        const B = order.slice(0, fb).sort((a, b) => a - b);
        const O = order.slice(fb, fb + fo).sort((a, b) => a - b);
        const inst = instanceOrThrow(protocol, { n: 6, t: 1, o: 1, byzantine: B, faulty: O, inputs });
        const trace = simulate(protocol, inst, splitting ? split() : random(seed), { hash: protocolHash(protocol), rounds });
        const fromJson = readOk(traceToJson(trace));
        expect(fromJson).toEqual(trace);
        expect(JSON.stringify(fromJson)).toBe(JSON.stringify(trace)); // key order too
        const fromItf = readOk(itfToText(traceToItf(trace, protocol)), 't.itf.json');
        expect(fromItf).toEqual(trace);
        expect(replayTrace(protocol, fromItf)).toMatchObject({ ok: true });
      }),
      { numRuns: 60 },
    );
  });
});

describe('traces that break the hybrid rules give located errors', () => {
  const { trace } = leaderRun();
  const errorsOf = (edit: (t: Trace) => void): string => readErrors(edited(trace, edit));
  test('Byzantine messages only from B, withheld messages only of O, B and O disjoint, o present', () => {
    expect(errorsOf((t) => t.rounds[0]!.byzantine.push({ from: 1, to: 2, message: 'VOTE', payload: 0 }))).toContain('p1 is not Byzantine: it is omission-faulty, so it follows the protocol and its messages can only be withheld');
    expect(errorsOf((t) => t.rounds[0]!.withheld!.push({ from: 0, to: 2, message: 'VOTE' }))).toContain('p0 is Byzantine: it withholds a message by not sending it');
    expect(errorsOf((t) => (t.faulty = [0, 1]))).toContain('trace.faulty[0]: p0 is Byzantine: it cannot be omission-faulty too');
    expect(errorsOf((t) => delete t.o)).toContain('a hybrid trace needs its omission bound `o`');
    expect(errorsOf((t) => (t.faults = 'omission'))).toContain('only a hybrid trace has the omission bound o, and this is a omission trace');
    expect(errorsOf((t) => (t.rounds[0]!.states[1] = null))).toContain('trace.rounds[0].states[1]: p1 is neither Byzantine nor crashed: it needs a state');
  });
  test('ITF: omissionFaulty must be part of faulty, and o is required', () => {
    const { protocol } = leaderRun();
    const doc = JSON.parse(itfToText(traceToItf(trace, protocol))) as { states: Record<string, unknown>[]; '#meta': Record<string, unknown> };
    const bad = structuredClone(doc);
    bad.states[0]!['omissionFaulty'] = { '#set': [{ '#bigint': '3' }] };
    expect(readErrors(JSON.stringify(bad, null, 2), 't.itf.json')).toContain('process 3 is omission-faulty but not in faulty');
    const noO = structuredClone(doc);
    delete noO['#meta']['o'];
    for (const s of noO.states) delete s['o'];
    expect(readErrors(JSON.stringify(noO, null, 2), 't.itf.json')).toContain('a hybrid trace must set the param o');
  });
});

describe('bftsynth simulate / trace / replay on a hybrid protocol', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bft-hybrid-'));
  const file = join(dir, 'rb-hybrid.bft');
  const source = rbHybridSource();
  writeFileSync(file, source);

  test('simulate needs --o; --byz and --faulty name B and O; bad combinations are user errors (exit 2)', () => {
    const r = cli(['simulate', file, '--n', '6', '--t', '1', '--o', '1', '--byz', '2', '--faulty', '0', '--adversary', 'random', '--seed', '5']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('RbHybrid  n=6 t=1 o=1  Byzantine {p2}  faulty (omission): p0');
    const byDefault = cli(['simulate', file, '--n', '6', '--t', '1', '--o', '1']);
    expect(byDefault.stdout).toContain('Byzantine {p5}  faulty (omission): p4');
    const cases: [string[], string][] = [
      [[], 'give its omission bound with --o'],
      [['--o', '1', '--byzantine', '3', '--faulty', '3'], 'process 3 is listed twice'],
      [['--o', '1', '--faulty', '3,4'], '2 omission-faulty processes exceed the bound 1'],
      [['--o', 'x'], '--o must be an integer'],
      [['--o', '1'], 'n = 5, t = 1, o = 1 violates the resilience condition'],
    ];
    for (const [extra, message] of cases) {
      const bad = cli(['simulate', file, '--n', '5', '--t', '1', ...extra]);
      expect({ code: bad.code, stderr: bad.stderr }).toEqual({ code: 2, stderr: expect.stringContaining(message) });
      expect(bad.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
    const other = cli(['simulate', join(__dirname, '..', 'specs', 'quorum-vote.bft'), '--n', '4', '--t', '1', '--o', '1']);
    expect({ code: other.code, stderr: other.stderr }).toEqual({ code: 2, stderr: expect.stringContaining('it has no parameter o') });
  });

  test('trace converts a simulated hybrid run to every format, and replay reproduces it from JSON and ITF', () => {
    const sim = cli(['simulate', file, '--n', '6', '--t', '1', '--o', '1', '--adversary', 'split', '--json']);
    expect(sim.code).toBe(0);
    const json = join(dir, 'run.json');
    writeFileSync(json, sim.stdout);
    const itf = join(dir, 'run.itf.json');
    expect(cli(['trace', json, '--format', 'itf', '--protocol', file, '--out', itf]).code).toBe(0);
    expect(readFileSync(itf, 'utf8')).toContain('"omissionFaulty"');
    for (const t of [json, itf]) {
      const r = cli(['replay', file, t]);
      expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 0, stdout: expect.stringContaining('replays: the run is reproduced') });
    }
    expect(cli(['trace', itf, '--format', 'text']).stdout).toContain('n=6 t=1 o=1  Byzantine {p5}  faulty (omission): p4');
    expect(cli(['trace', itf, '--format', 'html']).stdout).toContain('<dt>faulty (omission)</dt>');
    // a tampered trace: the omission-faulty p4 sends a Byzantine message
    const tampered = JSON.parse(sim.stdout) as Trace;
    tampered.rounds[0]!.byzantine.push({ from: 4, to: 0, message: 'ECHO', payload: null });
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify(tampered, null, 2));
    const r = cli(['replay', file, bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('p4 is not Byzantine: it is omission-faulty');
  });
});
