// Trace export and import: golden files, round trips (fast-check), located
// errors for corrupt files, and the `trace` / `replay` commands in-process.
import fc from 'fast-check';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import yargs from 'yargs';
import { replayCommand } from '../src/cli/commands/replay';
import { traceCommand } from '../src/cli/commands/trace';
import { protocolHash } from '../src/ir/hash';
import type { Protocol } from '../src/ir/types';
import { parseProtocol } from '../src/lang';
import { random, split } from '../src/sim/adversary';
import { makeInstance } from '../src/sim/instance';
import { replayTrace } from '../src/sim/replay';
import { simulate } from '../src/sim/simulate';
import { conformanceProblems } from '../src/trace/conform';
import { traceToHtml } from '../src/trace/html';
import { itfToText, itfVarTypes, traceToItf } from '../src/trace/itf';
import { traceToJson } from '../src/trace/json';
import type { Trace } from '../src/trace/model';
import { formatTraceErrors, readTrace } from '../src/trace/read';
import { traceToText } from '../src/trace/text';
import { formatError } from '../src/util/result';
import { arbitraryProtocol } from './helpers/arbitrary-protocol';
import { expectGolden, UPDATE_GOLDEN } from './helpers/golden';

const ROOT = join(__dirname, '..');
const GOLDEN = join(__dirname, 'golden', 'trace');
const FIXTURE = 'test/fixtures/quorum-vote.bft';

const golden = (name: string, actual: string): void => expectGolden(join(GOLDEN, name), actual);

function parse(text: string, file = 'test.bft'): Protocol {
  const r = parseProtocol(text, file);
  if (!r.ok) throw new Error(r.errors.map((e) => formatError(e, text)).join('\n'));
  return r.value;
}

const quorumVote = (): Protocol => parse(readFileSync(join(ROOT, FIXTURE), 'utf8'), FIXTURE);

/** The fixed trace of the golden files: quorum vote at n=5, t=1, inputs 0,0,1,1,0, split adversary. */
function goldenTrace(): Trace {
  const p = quorumVote();
  const inst = makeInstance(p, { n: 5, t: 1, byzantine: [4], inputs: [0, 0, 1, 1, 0] });
  if (!inst.ok) throw new Error('bad instance');
  return simulate(p, inst.value, split(), { hash: protocolHash(p) });
}

function readOk(text: string, file = 'trace.json'): Trace {
  const r = readTrace(text, file);
  if (!r.ok) throw new Error(formatTraceErrors(r.errors, text));
  return r.value.trace;
}

function readErrors(text: string, file = 'trace.json'): string {
  const r = readTrace(text, file);
  if (r.ok) throw new Error('expected the trace to be rejected');
  return formatTraceErrors(r.errors, text);
}

describe('golden exports of the quorum vote trace', () => {
  const trace = goldenTrace();
  const p = quorumVote();
  test('text', () => golden('quorum-vote.txt', traceToText(trace)));
  test('ITF', () => golden('quorum-vote.itf.json', itfToText(traceToItf(trace, p, { source: FIXTURE }))));
  test('HTML', () => golden('quorum-vote.html', traceToHtml(trace)));
  test('JSON', () => golden('quorum-vote.json', traceToJson(trace)));
  test('the ITF follows the format: #meta, params, vars, states with #meta.index and every var', () => {
    const itf = traceToItf(trace, p);
    expect(itf['#meta'].format).toBe('ITF');
    expect(itf.states).toHaveLength(trace.rounds.length + 1);
    itf.states.forEach((s, k) => {
      expect(s['#meta']).toEqual({ index: k });
      for (const v of [...itf.vars, ...itf.params]) expect(s).toHaveProperty([v]);
    });
    expect(itf.states[1]!['leader']).toEqual({ tag: 'Some', value: { '#bigint': '0' } });
    expect(itf.states[0]!['state']).toEqual(expect.objectContaining({ '#map': expect.arrayContaining([[{ '#bigint': '0' }, { v: { '#bigint': '0' }, decided: { tag: 'None', value: { '#tup': [] } } }]]) }));
  });

  test('#meta has the fields Quint writes (no timestamp unless asked: exports are reproducible) and varTypes', () => {
    const meta = traceToItf(trace, p, { source: FIXTURE })['#meta'];
    expect(Object.keys(meta)).toEqual(['format', 'format-description', 'source', 'status', 'description', 'varTypes', 'protocol', 'n', 't', 'violations']);
    expect(meta.status).toBe('violation');
    expect(traceToItf({ ...trace, violations: [] }, p)['#meta'].status).toBe('ok');
    expect(traceToItf(trace, p, { timestamp: 1796007600000 })['#meta'].timestamp).toBe(1796007600000);
    expect(meta.varTypes).toEqual({
      n: 'Int',
      t: 'Int',
      faulty: 'Set(Int)',
      inputs: 'Int -> Int',
      round: 'Int',
      phase: 'Int',
      roundName: 'Str',
      leader: 'Some(Int) | None(UNIT)',
      state: 'Int -> { v: Int, decided: (Some(Int) | None(UNIT)) }',
      sent: 'Set({ from: Int, message: Str, payload: Int })',
      byzantine: 'Set({ from: Int, to: Int, message: Str, payload: Int })',
      fired: 'Int -> Int',
    });
    const itf = traceToItf(trace, p);
    expect(Object.keys(meta.varTypes!).sort()).toEqual([...itf.params, ...itf.vars].sort());
  });

  test('varTypes: payload-free messages are the unit <<>>, and mixed payload types have no single type', () => {
    const withPayloads = (decls: string, send: string): Protocol =>
      parse(`protocol P\nresilience n > 3*t\nvar v : value = input\nvar b : bool = false\n${decls}\nround r {\n  send ${send}\n  otherwise: decide v\n}\nclaims agreement\nhorizon 1\n`);
    const unitOnly = itfVarTypes(withPayloads('message A', 'A'))!;
    expect(unitOnly['sent']).toBe('Set({ from: Int, message: Str, payload: <<>> })');
    expect(unitOnly['state']).toBe('Int -> { v: Int, b: Bool, decided: (Some(Int) | None(UNIT)) }');
    expect(itfVarTypes(withPayloads('message A\nmessage B(value)', 'A'))).toBeNull();
    expect(itfVarTypes(withPayloads('message A(bool)\nmessage B(bool)', 'A(b)'))!['byzantine']).toBe('Set({ from: Int, to: Int, message: Str, payload: Bool })');
  });
});

/** Small random protocols, simulated under the random adversary with a random seed. */
const arbitraryTrace: fc.Arbitrary<{ protocol: Protocol; trace: Trace }> = arbitraryProtocol({ maxRounds: 2 }).chain((protocol) =>
  fc
    .record({
      byzantine: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }),
      inputs: fc.array(fc.integer({ min: 0, max: protocol.values - 1 }), { minLength: 6, maxLength: 6 }),
      seed: fc.integer({ min: 0, max: 1 << 30 }),
      rounds: fc.integer({ min: 0, max: 4 }),
    })
    .map(({ byzantine, inputs, seed, rounds }) => {
      // n = 6, t = 1 satisfies every resilience condition the generator draws (n > k*t, k <= 5)
      const inst = makeInstance(protocol, { n: 6, t: 1, byzantine: byzantine === null ? [] : [byzantine], inputs });
      if (!inst.ok) throw new Error(inst.errors.map((e) => e.message).join('; '));
      return { protocol, trace: simulate(protocol, inst.value, random(seed), { hash: protocolHash(protocol), rounds }) };
    }),
);

describe('round trips', () => {
  test('trace -> JSON -> trace is the identity', () => {
    fc.assert(
      fc.property(arbitraryTrace, ({ trace }) => {
        expect(readOk(traceToJson(trace))).toEqual(trace);
      }),
      { numRuns: 150 },
    );
  });

  test('trace -> ITF -> trace is the identity, and ITF -> trace -> ITF too', () => {
    fc.assert(
      fc.property(arbitraryTrace, ({ protocol, trace }) => {
        const itf = itfToText(traceToItf(trace, protocol));
        const back = readOk(itf, 'trace.itf.json');
        expect(back).toEqual(trace);
        expect(itfToText(traceToItf(back, protocol))).toBe(itf);
      }),
      { numRuns: 150 },
    );
  });

  test('the bare trace of `simulate --json` is read too', () => {
    const trace = goldenTrace();
    expect(readOk(JSON.stringify(trace))).toEqual(trace);
  });
});

/** Rewrites every node of a JSON document bottom-up. */
function mapJson(v: unknown, f: (x: unknown) => unknown): unknown {
  if (Array.isArray(v)) return f(v.map((x) => mapJson(x, f)));
  if (v !== null && typeof v === 'object') return f(Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mapJson(x, f)])));
  return f(v);
}

const isObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);
const UNIT_TUP = JSON.stringify({ '#tup': [] });

describe('ITF as Quint and Apalache write it', () => {
  test('the writer writes integers only as {"#bigint"} and None only with the unit {"#tup": []}, as Quint does', () => {
    fc.assert(
      fc.property(arbitraryTrace, ({ protocol, trace }) => {
        const doc = JSON.parse(itfToText(traceToItf(trace, protocol))) as { states: Record<string, unknown>[] };
        // the values: the #meta objects are free-form (our n, t, violations and the states' index are plain JSON there)
        const values = doc.states.map(({ '#meta': _index, ...vars }) => vars);
        const numbers: unknown[] = [];
        const nones: string[] = [];
        mapJson(values, (x) => {
          if (typeof x === 'number') numbers.push(x);
          if (isObject(x) && x['tag'] === 'None') nones.push(JSON.stringify(x['value']));
          return x;
        });
        expect(numbers).toEqual([]);
        for (const v of nones) expect(v).toBe(UNIT_TUP);
      }),
      { numRuns: 60 },
    );
  });

  test('round trip: plain JSON integers and every spelling of the unit read as the same trace', () => {
    const units: unknown[] = [{ '#tup': [] }, {}, { tag: 'UNIT' }];
    fc.assert(
      fc.property(arbitraryTrace, fc.constantFrom(...units), fc.boolean(), ({ protocol, trace }, unit, plain) => {
        const doc = JSON.parse(itfToText(traceToItf(trace, protocol))) as Record<string, unknown>;
        const states = mapJson(doc['states'], (x) => {
          if (!isObject(x)) return x;
          if (plain && typeof x['#bigint'] === 'string') return Number(x['#bigint']);
          if (JSON.stringify(x) === UNIT_TUP) return unit;
          return x;
        });
        const rewritten = JSON.stringify({ ...doc, states }, null, 1);
        expect(readOk(rewritten, 'rewritten.itf.json')).toEqual(trace);
      }),
      { numRuns: 100 },
    );
  });

  test('params set in the initial state only (as ADR-015 asks) read as the same trace; missing there, they are reported', () => {
    const trace = goldenTrace();
    const doc = JSON.parse(itfToText(traceToItf(trace, quorumVote()))) as { states: Record<string, unknown>[] };
    for (const s of doc.states.slice(1)) for (const k of ['n', 't', 'faulty', 'inputs']) delete s[k];
    expect(readOk(JSON.stringify(doc, null, 2))).toEqual(trace);
    delete doc.states[0]!['inputs'];
    expect(readErrors(JSON.stringify(doc, null, 2))).toContain('states[0]: the initial state must set the param inputs');
  });

  test('integers out of the safe range and fractions are rejected at their node', () => {
    const doc = JSON.parse(itfToText(traceToItf(goldenTrace(), quorumVote()))) as { states: Record<string, unknown>[] };
    doc.states[1]!['round'] = 1.5;
    doc.states[2]!['phase'] = 2 ** 60;
    const msg = readErrors(JSON.stringify(doc, null, 2), 'big.itf.json');
    expect(msg).toContain('states[1].round');
    expect(msg).toContain('states[2].phase');
  });

  // test/fixtures/quint-shaped.itf.json is a trace laid out exactly as Quint's
  // `quint run --out-itf` lays it out, hand-adapted to our variables: the
  // #meta header of Quint's addItfHeader (quint/src/cliHelpers.ts: format,
  // format-description, source, status, description "Created by Quint on
  // <date>", timestamp) and no bftsynth fields in it; no `params` (Quint writes
  // every name as a var), `vars` and the state fields in the sorted order of
  // Quint's records, one line without a trailing newline (JSONbig.stringify);
  // integers as {"#bigint"} and None as {"tag": "None", "value": {"#tup": []}}
  // as in Quint's own fixture quint/testFixture/_1054sumTypesInItf.qnt, whose
  // trace quint/integration-tests/runtime/typescript/test.md records as
  // [{"#meta":{"index":0},"x":{"tag":"None","value":{"#tup":[]}}},{"#meta":{"index":1},"x":{"tag":"Some","value":{"#bigint":"1"}}},...].
  // The run: quorum vote, n = 5, t = 1, p4 Byzantine, inputs 0,0,1,1, the
  // split adversary, two rounds.
  const QUINT_FIXTURE = join(ROOT, 'test', 'fixtures', 'quint-shaped.itf.json');
  const quintRun = (): Trace => {
    const p = quorumVote();
    const inst = makeInstance(p, { n: 5, t: 1, byzantine: [4], inputs: [0, 0, 1, 1, 0] });
    if (!inst.ok) throw new Error('bad instance');
    return simulate(p, inst.value, split(), { hash: protocolHash(p), rounds: 2 });
  };

  test('a trace written the way Quint writes it is read, and replays in the simulator', () => {
    const text = readFileSync(QUINT_FIXTURE, 'utf8');
    const doc = JSON.parse(text) as Record<string, unknown>;
    expect(doc['params']).toBeUndefined();
    expect(Object.keys(doc['#meta'] as object)).toEqual(['format', 'format-description', 'source', 'status', 'description', 'timestamp']);
    const back = readOk(text, 'quint-shaped.itf.json');
    const run = quintRun();
    // Quint's #meta names no bftsynth protocol and records no violations
    expect(back).toEqual({ ...run, protocol: { name: '', hash: '' }, violations: [] });
    expect(run.violations).toEqual([]);
    // the run itself replays, once the caller says which protocol it is of
    const p = quorumVote();
    const replayed = replayTrace(p, { ...back, protocol: { name: p.name, hash: protocolHash(p) } }, { hash: protocolHash(p) });
    expect(replayed.ok ? null : replayed.mismatch).toBeNull();
  });

  test('our writer and Quint agree value by value on the same run (key order and params aside)', () => {
    const quint = JSON.parse(readFileSync(QUINT_FIXTURE, 'utf8')) as { vars: string[]; states: Record<string, unknown>[] };
    const ours = traceToItf(quintRun(), quorumVote());
    const sorted = (v: unknown): unknown => mapJson(v, (x) => (isObject(x) ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, x[k]])) : x));
    expect([...ours.params, ...ours.vars].sort()).toEqual(quint.vars);
    expect(sorted(ours.states)).toEqual(sorted(quint.states));
  });

  test('a trace without bftsynth #meta takes n and t from its states, and rejects an impossible n', () => {
    const doc = JSON.parse(readFileSync(QUINT_FIXTURE, 'utf8')) as { states: Record<string, unknown>[] };
    doc.states[1]!['n'] = { '#bigint': '6' };
    expect(readErrors(JSON.stringify(doc, null, 2))).toContain('states[1].n: n is 6 here but 5 in state 0');
    for (const s of doc.states) s['n'] = { '#bigint': '100000000' };
    expect(readErrors(JSON.stringify(doc, null, 2))).toContain('states[0].n: n must be in 1..10000');
  });
});

(UPDATE_GOLDEN ? test.skip : test)('a missing golden file fails the test instead of being created', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'bftsynth-golden-')), 'absent.txt');
  expect(() => expectGolden(file, 'anything')).toThrow(/golden file .*absent\.txt is missing: run the test with UPDATE_GOLDEN=1/);
  expect(existsSync(file)).toBe(false);
});

/** The golden trace as pretty JSON with one edit, and the line of the edited node. */
function edited(edit: (t: Record<string, unknown>) => void): string {
  const doc = JSON.parse(traceToJson(goldenTrace())) as { trace: Record<string, unknown> };
  edit(doc.trace);
  return JSON.stringify(doc, null, 2);
}

const roundsOf = (t: Record<string, unknown>) => t['rounds'] as { states: Record<string, unknown>[]; leader?: unknown; byzantine: { to: number }[] }[];

describe('corrupt traces give located errors', () => {
  test('truncated JSON: a syntax error at the end, with line and column', () => {
    const text = traceToJson(goldenTrace());
    const cut = text.slice(0, text.indexOf('"sent"') + 8);
    const msg = readErrors(cut, 'cut.json');
    const lines = cut.split('\n');
    expect(msg).toMatch(new RegExp(`^cut\\.json:${lines.length}:${lines[lines.length - 1]!.length + 1}: JSON syntax: expected a value \\(the file ends early: is it truncated\\?\\)`));
    expect(msg.split('\n')).toHaveLength(3); // one error: the message, the line, the caret
    expect(readErrors('{"format": "bftsynth-trace", "version": 1,\n  "trace": nul}')).toMatch(/^trace\.json:2:12: JSON syntax: invalid symbol/);
  });

  test('a value of the wrong type names its path and points at its line', () => {
    const text = edited((t) => {
      roundsOf(t)[2]!.states[1]!['v'] = 'x';
    });
    const msg = readErrors(text, 'bad.json');
    expect(msg).toContain('trace.rounds[2].states[1].v: expected a value: an integer, true, false or null');
    const [, line] = /^bad\.json:(\d+):\d+:/.exec(msg)!;
    expect(text.split('\n')[Number(line) - 1]).toContain('"v": "x"');
  });

  test('a missing field is reported at its object', () => {
    const msg = readErrors(edited((t) => delete roundsOf(t)[0]!.leader));
    expect(msg).toMatch(/^trace\.json:\d+:\d+: trace\.rounds\[0\]\.leader: missing, expected an integer/);
  });

  test('a process out of range and a wrong number of states', () => {
    const msg = readErrors(
      edited((t) => {
        roundsOf(t)[1]!.byzantine[0]!.to = 9;
        roundsOf(t)[3]!.states.pop();
      }),
    );
    expect(msg).toContain('trace.rounds[1].byzantine[0].to: process 9 is out of range 0..4 (n = 5)');
    expect(msg).toContain('trace.rounds[3].states: expected 5 states (one per process, n = 5), found 4');
  });

  test('ITF: a bad integer and a process out of range point into the ITF document', () => {
    const itf = JSON.parse(itfToText(traceToItf(goldenTrace(), quorumVote()))) as { states: Record<string, { '#map': unknown[][] }>[] };
    (itf.states[2]!['state']!['#map'][1]![1] as Record<string, unknown>)['v'] = { '#bigint': 'one' };
    itf.states[3]!['fired']!['#map'][0]![0] = { '#bigint': '7' };
    const text = JSON.stringify(itf, null, 2);
    const msg = readErrors(text, 't.itf.json');
    expect(msg).toContain('states[2].state.#map[1][1].v');
    const [, line] = /^t\.itf\.json:(\d+):\d+:/.exec(msg)!;
    expect(text.split('\n')[Number(line) - 1]).toContain('"v"');
    const fixed = JSON.parse(text) as typeof itf;
    (fixed.states[2]!['state']!['#map'][1]![1] as Record<string, unknown>)['v'] = { '#bigint': '1' };
    expect(readErrors(JSON.stringify(fixed))).toContain('states[3].fired.#map[0][0]: process 7 is out of range 0..4');
  });

  test('not a trace, another format, a newer version', () => {
    expect(readErrors('[1, 2]')).toContain('not a trace');
    expect(readErrors('{"hello": 1}')).toContain('not a trace');
    expect(readErrors('{"format": "other", "trace": {}}')).toContain('unknown trace format "other"');
    expect(readErrors('{"format": "bftsynth-trace", "version": 2, "trace": {}}')).toContain('unsupported version 2');
    expect(readErrors('')).toMatch(/^trace\.json:1:1: JSON syntax/);
  });

  test('no corruption of a trace file makes the reader or the exporters throw', () => {
    const p = quorumVote();
    const texts = [traceToJson(goldenTrace()), itfToText(traceToItf(goldenTrace(), p))];
    fc.assert(
      fc.property(fc.constantFrom(...texts), fc.nat(), fc.nat(), fc.constantFrom('', '0', '"x"', 'null', '-1', '{}', '[]', '9', ']'), (text, at, len, insert) => {
        const i = at % text.length;
        const corrupt = text.slice(0, i) + insert + text.slice(i + (len % 8));
        const r = readTrace(corrupt, 'c.json');
        if (r.ok) {
          replayTrace(p, r.value.trace, { hash: protocolHash(p) });
          conformanceProblems(r.value.trace, p);
          traceToItf(r.value.trace, p);
          traceToText(r.value.trace);
          traceToHtml(r.value.trace);
          traceToJson(r.value.trace);
        } else {
          expect(r.errors.length).toBeGreaterThan(0);
          for (const e of r.errors) expect(e.loc.line).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 600 },
    );
  });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the commands in-process (as main.ts will wire them), capturing output and exit code. */
async function run(...argv: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const so = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => out.push(String(chunk)) > 0);
  const se = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => err.push(String(chunk)) > 0);
  const saved = process.cwd();
  try {
    process.chdir(ROOT);
    process.exitCode = 0;
    await yargs(argv)
      .command(traceCommand)
      .command(replayCommand)
      .strict()
      .fail((msg, e) => {
        throw e ?? new Error(msg);
      })
      .parseAsync();
    return { code: Number(process.exitCode ?? 0), stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.exitCode = 0;
    process.chdir(saved);
    so.mockRestore();
    se.mockRestore();
  }
}

describe('bftsynth trace / replay', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bftsynth-trace-'));
  const file = (name: string, text: string): string => {
    const f = join(dir, name);
    writeFileSync(f, text);
    return f;
  };
  const json = file('qv.json', traceToJson(goldenTrace()));
  const noStack = (r: Run): void => expect(r.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);

  test('converts JSON to every format; ITF needs --protocol', async () => {
    const text = await run('trace', json, '--format', 'text');
    expect(text.code).toBe(0);
    expect(text.stdout).toBe(traceToText(goldenTrace()));
    const itf = await run('trace', json, '--format', 'itf', '--protocol', FIXTURE);
    expect(itf.code).toBe(0);
    expect(itf.stdout).toBe(readFileSync(join(GOLDEN, 'quorum-vote.itf.json'), 'utf8'));
    const missing = await run('trace', json, '--format', 'itf');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--format itf needs the protocol');
    const out = join(dir, 'out.html');
    expect((await run('trace', file('qv.itf.json', itf.stdout), '--format', 'html', '--out', out)).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(traceToHtml(goldenTrace()));
    expect((await run('trace', join(dir, 'qv.itf.json'), '--format', 'json')).stdout).toBe(traceToJson(goldenTrace()));
  });

  test('replay reproduces the recorded violation (exit 0), from JSON and from ITF', async () => {
    for (const f of [json, join(dir, 'qv.itf.json')]) {
      const r = await run('replay', FIXTURE, f);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('reproduced');
      expect(r.stdout).toContain('termination violated: after round 4');
    }
  });

  test('replay of an edited run says where it diverges (exit 1)', async () => {
    const text = edited((t) => {
      roundsOf(t)[1]!.states[2]!['v'] = 0;
    });
    const r = await run('replay', FIXTURE, file('diverges.json', text));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('does not reproduce');
    expect(r.stdout).toContain('round 2, p2, variable v');
  });

  test('a violation that does not hold does not reproduce (exit 1)', async () => {
    const text = edited((t) => {
      t['violations'] = [{ property: 'agreement', round: 2, processes: [0, 2], values: [0, 1] }];
    });
    const r = await run('replay', FIXTURE, file('claims.json', text));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('agreement violation does not hold');
  });

  test('malformed traces, traces of another protocol and impossible runs exit 2 without a stack trace', async () => {
    const truncated = await run('replay', FIXTURE, file('cut.json', traceToJson(goldenTrace()).slice(0, 300)));
    expect(truncated.code).toBe(2);
    expect(truncated.stderr).toMatch(/cut\.json:\d+:\d+: JSON syntax/);
    noStack(truncated);

    const other = await run('replay', 'test/fixtures/phase-king.bft', json);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('belongs to another protocol');
    noStack(other);

    const wrongType = await run('trace', file('type.json', edited((t) => void (roundsOf(t)[0]!.states[0]!['v'] = true))), '--protocol', FIXTURE);
    expect(wrongType.code).toBe(2);
    expect(wrongType.stderr).toContain('round 1, state of p0: `v` is true, expected a value 0..1');

    const fromCorrect = edited((t) => {
      (roundsOf(t)[0]!.byzantine[0] as unknown as { from: number }).from = 0;
    });
    const impossible = await run('replay', FIXTURE, file('impossible.json', fromCorrect));
    expect(impossible.code).toBe(2);
    expect(impossible.stderr).toContain('sender is not a Byzantine process');
    noStack(impossible);

    const missing = await run('replay', FIXTURE, join(dir, 'no-such.json'));
    expect(missing.code).toBe(2);
  });
});
