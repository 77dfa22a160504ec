// Fuzzing the CLI's file and flag inputs (issue 12): random flag values
// (numbers, garbage, huge, negative, empty) and random file kinds (missing,
// directory, empty, binary, over the size limit, FIFO, CR/BOM text, corrupted)
// for parse, fmt, simulate, trace and replay. Whatever comes in, the answer is
// an exit code of 0 to 3 (4 is a bug), no stack trace, and a message on exit 2.
// The commands run in-process (as main.ts wires them) to keep 60 runs fast.
import { spawnSync } from 'child_process';
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import yargs from 'yargs';
import { fmtCommand } from '../src/cli/commands/fmt';
import { parseCommand } from '../src/cli/commands/parse';
import { replayCommand } from '../src/cli/commands/replay';
import { simulateCommand } from '../src/cli/commands/simulate';
import { traceCommand } from '../src/cli/commands/trace';
import { MAX_SOURCE_BYTES } from '../src/cli/io';
import { MAX_TRACE_BYTES } from '../src/trace/read';
import { ROOT } from './helpers/cli';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** yargs' own usage errors end the run with this instead of process.exit. */
class UsageError {
  constructor(readonly message: string) {}
}

/** Runs the commands in-process with main.ts's yargs settings, capturing output and exit code. */
async function run(argv: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const so = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => out.push(String(chunk)) > 0);
  const se = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => err.push(String(chunk)) > 0);
  try {
    process.exitCode = 0;
    await yargs(argv)
      .command(fmtCommand)
      .command(parseCommand)
      .command(simulateCommand)
      .command(traceCommand)
      .command(replayCommand)
      .strict()
      .fail((message, e) => {
        throw e ?? new UsageError(message);
      })
      .parseAsync();
    return { code: Number(process.exitCode ?? 0), stdout: out.join(''), stderr: err.join('') };
  } catch (e) {
    // main.ts prints a usage error and exits 2; anything else escaping the handlers is a bug
    if (e instanceof UsageError) return { code: 2, stdout: out.join(''), stderr: err.join('') + e.message };
    return { code: 4, stdout: out.join(''), stderr: `${err.join('')}${e instanceof Error ? (e.stack ?? e.message) : String(e)}` };
  } finally {
    process.exitCode = 0;
    so.mockRestore();
    se.mockRestore();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'bftsynth-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = (name: string): string => join(dir, name);
const protocolText = readFileSync(join(ROOT, 'specs', 'quorum-vote.bft'), 'utf8');

/** The file kinds every file argument is drawn from, made once. */
interface Files {
  protocols: { good: string[]; bad: string[] };
  traces: { good: string[]; bad: string[] };
}

function makeFiles(): Files {
  mkdirSync(at('dir'));
  writeFileSync(at('empty'), '');
  writeFileSync(at('binary'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
  writeFileSync(at('huge.bft'), ' '.repeat(MAX_SOURCE_BYTES + 1));
  writeFileSync(at('huge.json'), ''); // sparse: refused by its size before it is read
  truncateSync(at('huge.json'), MAX_TRACE_BYTES + 1);
  spawnSync('mkfifo', [at('fifo')]);
  writeFileSync(at('qv.bft'), protocolText);
  writeFileSync(at('qv-cr.bft'), '\ufeff' + protocolText.replace(/\n/g, '\r'));
  writeFileSync(at('qv-cut.bft'), protocolText.slice(0, Math.floor(protocolText.length * 0.8)));
  const sim = spawnSync(process.execPath, ['bin/bftsynth.js', 'simulate', 'specs/quorum-vote.bft', '--n', '5', '--t', '1', '--json'], { cwd: ROOT, encoding: 'utf8' });
  writeFileSync(at('trace.json'), sim.stdout);
  writeFileSync(at('trace-cut.json'), sim.stdout.slice(0, Math.floor(sim.stdout.length / 2)));
  writeFileSync(at('trace-deep.json'), '['.repeat(50_000) + ']'.repeat(50_000));
  writeFileSync(at('trace-crlf.json'), '\ufeff' + sim.stdout.replace(/\n/g, '\r\n'));
  const common = [at('missing'), at('dir'), at('empty'), at('binary'), at('fifo'), '/dev/zero', '/dev/null'];
  return {
    protocols: { good: [at('qv.bft'), at('qv-cr.bft')], bad: [...common, at('huge.bft'), at('qv-cut.bft'), at('trace.json')] },
    traces: { good: [at('trace.json'), at('trace-crlf.json')], bad: [...common, at('huge.json'), at('trace-cut.json'), at('trace-deep.json'), at('qv.bft')] },
  };
}

/** Mostly what works, so that the commands' work is fuzzed as well as their refusals. */
function mostly<T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.oneof({ arbitrary: good, weight: 3 }, { arbitrary: bad, weight: 1 });
}

/** Bad flag values: garbage, huge, negative, empty, fractional, other notations. */
const garbage = fc.constantFrom('', 'abc', 'NaN', 'Infinity', '-1', '0', '1.5', '1e9', '0x10', '99999999999999999999999', '9007199254740993', ' 5', '5,', ',', '1,2,x', '-0', '100000');
const value = (good: fc.Arbitrary<number>): fc.Arbitrary<string> => mostly(good.map(String), garbage);
const list = mostly(fc.array(fc.integer({ min: -1, max: 6 }), { maxLength: 6 }).map((xs) => xs.join(',')), garbage);

/** Each option present or not (half the time). */
function opt(name: string, v: fc.Arbitrary<string>): fc.Arbitrary<string[]> {
  return fc.option(v, { nil: null }).map((x) => (x === null ? [] : [`--${name}`, x]));
}

function argvs(files: Files): fc.Arbitrary<string[]> {
  const protocol = mostly(fc.constantFrom(...files.protocols.good), fc.constantFrom(...files.protocols.bad));
  const trace = mostly(fc.constantFrom(...files.traces.good), fc.constantFrom(...files.traces.bad));
  const n = value(fc.constantFrom(5, 6, 9, 13, 40));
  const t = value(fc.integer({ min: 0, max: 2 }));
  return fc.oneof(
    fc.tuple(protocol, fc.boolean()).map(([f, json]) => ['parse', f, ...(json ? ['--json'] : [])]),
    fc.tuple(protocol, fc.boolean()).map(([f, check]) => ['fmt', f, ...(check ? ['--check'] : [])]),
    fc
      .tuple(protocol, n, t, opt('seed', value(fc.nat())), opt('rounds', value(fc.integer({ min: 1, max: 12 }))), opt('inputs', list), opt('byz', list), fc.constantFrom('split', 'random', 'silent'))
      .map(([f, nv, tv, seed, rounds, inputs, byz, adversary]) => ['simulate', f, '--n', nv, '--t', tv, ...seed, ...rounds, ...inputs, ...byz, '--adversary', adversary]),
    fc.tuple(trace, fc.constantFrom('text', 'json', 'itf', 'html'), fc.option(protocol, { nil: null, freq: 3 })).map(([f, format, p]) => ['trace', f, '--format', format, ...(p === null ? [] : ['--protocol', p])]),
    fc.tuple(protocol, trace).map(([p, f]) => ['replay', p, f]),
  );
}

test('no file or flag makes parse, fmt, simulate, trace or replay crash', async () => {
  const files = makeFiles();
  const codes = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(argvs(files), async (argv) => {
      const r = await run(argv);
      codes.set(r.code, (codes.get(r.code) ?? 0) + 1);
      const context = `bftsynth ${argv.map((a) => JSON.stringify(a)).join(' ')}\n${r.stderr.slice(0, 2000)}`;
      if (![0, 1, 2, 3].includes(r.code)) throw new Error(`exit ${r.code}: ${context}`);
      if (/\n\s+at \S.*:\d+:\d+\)?/.test(r.stderr)) throw new Error(`a stack trace: ${context}`);
      if (r.code === 2 && r.stderr.trim() === '') throw new Error(`exit 2 without a message: ${context}`);
    }),
    { numRuns: 60, seed: Number(process.env.FUZZ_SEED ?? 20261130) },
  );
  // the inputs reach the commands' work, not only their refusals
  if (process.env.FUZZ_SEED !== undefined) console.log(JSON.stringify([...codes]));
  expect(codes.get(0) ?? 0).toBeGreaterThan(0);
  expect(codes.get(2) ?? 0).toBeGreaterThan(0);
}, 300_000);
