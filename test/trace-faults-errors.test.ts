// Crash and omission traces that break the fault rules (docs/semantics.md
// 1.7) give located errors, in JSON and ITF; no corruption of a fault trace
// makes the reader or the exporters throw; `trace` and `replay` on them.
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import yargs from 'yargs';
import { replayCommand } from '../src/cli/commands/replay';
import { traceCommand } from '../src/cli/commands/trace';
import { conformanceProblems } from '../src/trace/conform';
import { traceToHtml } from '../src/trace/html';
import { itfToText, traceToItf } from '../src/trace/itf';
import { traceToJson } from '../src/trace/json';
import type { RoundRecord, Trace } from '../src/trace/model';
import { readTrace } from '../src/trace/read';
import { describeViolation, traceToText } from '../src/trace/text';
import { crashTrace, EAGER_FLOODMIN, edited, fixtureProtocol, MINFLOOD_OMISSION, omissionTrace, readErrors } from './fixtures/traces-faults/traces';

describe('traces that break the fault rules give located errors', () => {
  const errorsOf = (trace: Trace, edit: (t: Trace) => void): string => readErrors(edited(trace, edit));
  const round = (t: Trace, k: number): RoundRecord => t.rounds[k]!;

  test('crashes: only faulty processes, in crash traces, once; a crashed process has no state, fires and sends nothing', () => {
    expect(errorsOf(crashTrace(), (t) => (round(t, 0).crashed = [1, 2]))).toContain('trace.rounds[0].crashed[0]: p1 crashes, but it is not faulty (faulty: p2)');
    expect(errorsOf(crashTrace(), (t) => (round(t, 1).crashed = [2]))).toContain('trace.rounds[1].crashed[0]: p2 crashes twice: it crashed in round 1 already');
    expect(errorsOf(crashTrace(), (t) => (round(t, 1).states[2] = { v: 0, decided: null }))).toContain('trace.rounds[1].states[2]: p2 crashed in round 1: its state must be null');
    expect(errorsOf(crashTrace(), (t) => (round(t, 1).fired[2] = 0))).toContain('trace.rounds[1].fired[2]: p2 has crashed (round 1): it fires no rule');
    expect(errorsOf(crashTrace(), (t) => round(t, 1).sent.push({ from: 2, message: 'VAL', payload: 0 }))).toContain('trace.rounds[1].sent[2].from: p2 crashed in round 1: it sends nothing afterwards');
    expect(errorsOf(crashTrace(), (t) => delete round(t, 0).crashed)).toContain('trace.rounds[0].states[2]: p2 is neither Byzantine nor crashed: it needs a state');
    expect(errorsOf(omissionTrace(), (t) => (round(t, 0).crashed = [1]))).toContain('trace.rounds[0].crashed: only crash-faulty processes crash, and this is a omission trace');
    expect(errorsOf(crashTrace(), (t) => (round(t, 0).crashed = [5]))).toContain('trace.rounds[0].crashed[0]: process 5 is out of range 0..2 (n = 3)');
  });

  test('withheld messages: sent by a faulty process (crash faults: in its crash round), once, to a process in range', () => {
    expect(errorsOf(omissionTrace(), (t) => round(t, 0).withheld!.push({ from: 0, to: 2, message: 'VAL' }))).toContain('trace.rounds[0].withheld[2].from: p0 is not faulty: its messages reach every receiver');
    expect(errorsOf(omissionTrace(), (t) => (round(t, 0).withheld![0]!.message = 'ECHO'))).toContain('trace.rounds[0].withheld[0].message: p1 did not send ECHO in round 1: only a message sent can be withheld');
    expect(errorsOf(omissionTrace(), (t) => round(t, 1).withheld!.push({ from: 1, to: 2, message: 'VAL' }))).toContain('trace.rounds[1].withheld[1]: VAL of p1 is withheld from p2 twice');
    expect(errorsOf(omissionTrace(), (t) => (round(t, 1).withheld![0]!.to = 3))).toContain('trace.rounds[1].withheld[0].to: process 3 is out of range 0..2 (n = 3)');
    const late = errorsOf(crashTrace(), (t) => {
      t.faulty = [1, 2];
      round(t, 1).withheld = [{ from: 1, to: 0, message: 'VAL' }];
    });
    expect(late).toContain('trace.rounds[1].withheld[0].from: p1 is crash-faulty: its messages are withheld only in the round it crashes, not in round 2');
  });

  test('who is faulty: the kind, the faulty set, Byzantine processes only in Byzantine traces, inputs and states', () => {
    expect(errorsOf(crashTrace(), (t) => ((t as unknown as Record<string, unknown>)['faults'] = 'fail-stop'))).toContain('trace.faults: expected a fault kind: byzantine, crash or omission');
    expect(errorsOf(crashTrace(), (t) => (t.faulty = [2, 1]))).toContain('trace.faulty[1]: the faulty ids must be strictly ascending');
    expect(errorsOf(crashTrace(), (t) => (t.byzantine = [0]))).toContain('trace.byzantine: a crash trace has no Byzantine processes: its faulty processes are in `faulty`');
    expect(errorsOf(crashTrace(), (t) => (t.inputs[2] = null))).toContain('trace.inputs[2]: p2 is not Byzantine: it needs an input');
    const byz = errorsOf(crashTrace(), (t) => delete t.faults);
    expect(byz).toContain('trace.faulty: a Byzantine trace lists its faulty processes in `byzantine`: `faulty` is for crash and omission faults');
    expect(byz).toContain('trace.rounds[0].crashed: only crash-faulty processes crash, and this is a byzantine trace');
    expect(byz).toContain('trace.rounds[0].withheld: a Byzantine process withholds a message by not sending it: `withheld` is for crash and omission faults');
  });

  test('user violations need a name; their witnesses are in range', () => {
    expect(errorsOf(omissionTrace(), (t) => ((t.violations[0] as { name: string }).name = ''))).toContain('trace.violations[0].name: a user property needs a name');
    expect(errorsOf(omissionTrace(), (t) => ((t.violations[0] as { processes: number[] }).processes = [7]))).toContain(
      'trace.violations[0].processes[0]: process 7 is out of range 0..2 (n = 3)',
    );
  });

  test('ITF: a bad fault kind, a crash out of range and a changed faulty set point into the ITF document', () => {
    const p = fixtureProtocol(EAGER_FLOODMIN);
    const doc = JSON.parse(itfToText(traceToItf(crashTrace(), p))) as { states: Record<string, unknown>[] };
    doc.states[0]!['faults'] = 'fail-stop';
    expect(readErrors(JSON.stringify(doc, null, 2), 't.itf.json')).toMatch(/^t\.itf\.json:\d+:\d+: states\[0\]\.faults: expected a fault kind/);
    doc.states[0]!['faults'] = 'crash';
    doc.states[1]!['crashed'] = { '#set': [{ '#bigint': '1' }] };
    doc.states[2]!['faulty'] = { '#set': [] };
    const text = JSON.stringify(doc, null, 2);
    const msg = readErrors(text, 't.itf.json');
    expect(msg).toContain('states[2].faulty: the faulty set must be the same in every state');
    const fixed = JSON.parse(text) as typeof doc;
    fixed.states[2]!['faulty'] = { '#set': [{ '#bigint': '2' }] };
    const msg2 = readErrors(JSON.stringify(fixed, null, 2), 't.itf.json');
    expect(msg2).toContain('states[1].crashed.#set[0]: p1 crashes, but it is not faulty (faulty: p2)');
    const [, line] = /^t\.itf\.json:(\d+):\d+:/.exec(msg2)!;
    // the node is the integer object: its line opens it, the next holds its digits
    expect(JSON.stringify(fixed, null, 2).split('\n').slice(Number(line) - 1, Number(line) + 1).join('\n')).toMatch(/\{\s*"#bigint": "1"/);
  });

  test('no corruption of a fault trace file makes the reader or the exporters throw', () => {
    const sources = [
      { trace: crashTrace(), p: fixtureProtocol(EAGER_FLOODMIN) },
      { trace: omissionTrace(), p: fixtureProtocol(MINFLOOD_OMISSION) },
    ];
    const texts = sources.flatMap(({ trace, p }) => [{ text: traceToJson(trace), p }, { text: itfToText(traceToItf(trace, p)), p }]);
    fc.assert(
      fc.property(fc.constantFrom(...texts), fc.nat(), fc.nat(), fc.constantFrom('', '0', '"x"', 'null', '-1', '{}', '[]', '9', ']', '"crash"', '"omission"'), ({ text, p }, at, len, insert) => {
        const i = at % text.length;
        const corrupt = text.slice(0, i) + insert + text.slice(i + (len % 8));
        const r = readTrace(corrupt, 'c.json');
        if (r.ok) {
          conformanceProblems(r.value.trace, p);
          traceToItf(r.value.trace, p);
          traceToText(r.value.trace);
          traceToHtml(r.value.trace, { protocol: p });
          traceToJson(r.value.trace);
        } else {
          expect(r.errors.length).toBeGreaterThan(0);
          for (const e of r.errors) expect(e.loc.line).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 500 },
    );
  });
});

/** Runs `trace` / `replay` in-process, capturing output and exit code (as test/trace.test.ts does). */
async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const so = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => out.push(String(chunk)) > 0);
  const se = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => err.push(String(chunk)) > 0);
  const saved = process.cwd();
  try {
    process.chdir(join(__dirname, '..'));
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

describe('bftsynth trace / replay on crash and omission traces', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bftsynth-trace-faults-'));
  const file = (name: string, text: string): string => {
    const f = join(dir, name);
    writeFileSync(f, text);
    return f;
  };

  test('trace converts them to every format, ITF with --protocol; replay reproduces their violations from JSON and ITF', async () => {
    for (const [trace, protocol, name] of [
      [crashTrace(), EAGER_FLOODMIN, 'crash'],
      [omissionTrace(), MINFLOOD_OMISSION, 'omission'],
    ] as const) {
      const json = file(`${name}.json`, traceToJson(trace));
      expect((await run('trace', json)).stdout).toBe(traceToText(trace));
      const itf = await run('trace', json, '--format', 'itf', '--protocol', protocol);
      expect(itf.stdout).toBe(itfToText(traceToItf(trace, fixtureProtocol(protocol), { source: protocol })));
      expect((await run('trace', file(`${name}.itf.json`, itf.stdout), '--format', 'json')).stdout).toBe(traceToJson(trace));
      for (const f of [json, join(dir, `${name}.itf.json`)]) {
        const r = await run('replay', protocol, f);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        expect(r.stdout).toContain('reproduced');
        for (const v of trace.violations) expect(r.stdout).toContain(describeViolation(v));
      }
    }
  });

  test('replay of a crash trace whose crash reached another receiver does not reproduce', async () => {
    const moved = edited(crashTrace(), (t) => (t.rounds[0]!.withheld = [{ from: 2, to: 0, message: 'VAL' }]));
    const r = await run('replay', EAGER_FLOODMIN, file('moved.json', moved));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('does not reproduce');
  });
});
