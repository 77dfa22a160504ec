// Inputs that used to crash the tool (issue 12): each case gives a clear
// message, the documented exit code and no stack trace. In-process where the
// code allows it (fast), through the built binary where the exit code or the
// process itself is the point.
import { join } from 'path';
import { MAX_CHECK_N, MAX_PROCESS_CELLS, MAX_QUERY_ROUNDS, instanceProblem, processProblem } from '../src/check/instances';
import { MAX_SECONDS, integerOption, parseInstances, parseIntList, positiveSeconds } from '../src/cli/args';
import { MAX_SOURCE_BYTES, UserError, readText, writeAtomic } from '../src/cli/io';
import { parseProtocol } from '../src/lang';
import type { Protocol } from '../src/ir/types';
import type { Trace } from '../src/trace/model';
import { MAX_TEXT_STATES, traceToText } from '../src/trace/text';
import { traceToHtml } from '../src/trace/html';
import { MAX_SCRIPT_BYTES, shutdownZ3, solve, solverCrash } from '../src/smt/z3';
import { num, printI } from '../src/smt/term';
import { parseSketch } from '../src/synth/sketch';
import { readTrace } from '../src/trace/read';
import { ROOT } from './helpers/cli';
import { MAX_JSON_DEPTH, parseJsonText, tooDeepAt } from '../src/util/json-read';
import { existsSync, mkdtempSync, readdirSync, truncateSync, writeFileSync } from 'fs';
import { spawnSync } from 'child_process';
import { MAX_TRACE_BYTES } from '../src/trace/read';
import { tmpdir } from 'os';
import { expectGolden } from './helpers/golden';
import { cli, type CliRun } from './helpers/cli';

const GOLDEN = join(__dirname, 'golden', 'errors', 'cli');

function protocol(text: string): Protocol {
  const r = parseProtocol(text, 'p.bft');
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.value;
}

const VOTE = (bound: string): string => `protocol V
resilience n > 4*t
var v : value = input
message VOTE(value)
round vote {
  send VOTE(v)
  when count(VOTE, 0) >= n - t: decide 0
  otherwise: v := maj(VOTE)
}
claims agreement, validity, termination within ${bound}
`;

/** A user error: exit 2, a message, no stack frame. */
export function expectUserError(run: CliRun): void {
  expect(run.stderr).not.toMatch(/\n\s+at \S.*:\d+:\d+\)?/);
  expect(run.stderr.trim()).not.toBe('');
  expect(run.code).toBe(2);
}

function userErrorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof UserError) return e.message;
    throw e;
  }
  throw new Error('expected a UserError');
}

/** A trace of a silent run with `n` processes and `rounds` rounds, built without the simulator. */
function bigTrace(n: number, rounds: number): Trace {
  const states = Array.from({ length: n }, () => ({ v: 0, decided: null }));
  return {
    protocol: { name: 'V', hash: '0123456789abcdef' },
    n,
    t: 1,
    byzantine: [n - 1],
    inputs: states.map((_, i) => (i === n - 1 ? null : 0)),
    initial: states,
    rounds: Array.from({ length: rounds }, (_, k) => ({ round: k + 1, phase: k + 1, name: 'vote', leader: 0, sent: [], byzantine: [], fired: states.map(() => null), states })),
    violations: [{ property: 'termination', round: rounds, processes: Array.from({ length: n - 1 }, (_, i) => i) }],
  };
}

describe('item 4: output does not grow the stack with n', () => {
  test('a trace too large for a timeline says so and still names the violation', () => {
    const trace = bigTrace(200_000, 3);
    const text = traceToText(trace);
    expect(text).toContain(`more than the ${MAX_TEXT_STATES} a text timeline shows`);
    expect(text).toContain('termination violated: after round 3, p0, p1');
    expect(text).toContain('and 199979 more have not decided');
    expect(text.length).toBeLessThan(2000);
  });

  test('the HTML chart of a large trace is rendered without a stack overflow', () => {
    const html = traceToHtml(bigTrace(2000, 100));
    expect(html).toContain('<svg');
    expect(html).toContain('timeline not shown');
  });

  test('a trace just under the limit is printed in full, without a stack overflow', () => {
    const n = Math.floor(MAX_TEXT_STATES / 2) - 1;
    const text = traceToText(bigTrace(n, 1));
    expect(text).toContain(`  p${n - 2}`);
    expect(text).not.toContain('timeline not shown');
  });

  test('simulate refuses n and n x rounds beyond its limits up front (exit 2)', () => {
    for (const args of [['--n', '1000000', '--t', '1'], ['--n', '1e9', '--t', '1'], ['--n', '10000', '--t', '1', '--rounds', '20']]) {
      const run = cli(['simulate', 'specs/quorum-vote.bft', ...args]);
      expectUserError(run);
    }
    const run = cli(['simulate', 'specs/quorum-vote.bft', '--n', '1e9', '--t', '1']);
    expectGolden(join(GOLDEN, 'simulate-huge-n.err'), run.stderr);
  });
});

describe('item 5: the WebAssembly Z3 giving out is unknown, with the reason', () => {
  afterAll(() => shutdownZ3());

  test('a query beyond the script limit is unknown without calling Z3', async () => {
    const script = `(declare-const x Int)\n${' '.repeat(MAX_SCRIPT_BYTES)}(assert (> x 0))\n`;
    const r = await solve(script, { timeoutMs: 1000 });
    expect(r.status).toBe('unknown');
    if (r.status === 'unknown') expect(r.reason).toMatch(/MB of SMT-LIB, more than the 16\.0 MB/);
  });

  test('a query that cannot be parsed within the timeout is unknown without parsing it', async () => {
    const script = '(declare-const x Int)(assert (> x 0))\n' + ' '.repeat(8 * 1024 * 1024);
    const r = await solve(script, { timeoutMs: 1000, maxScriptBytes: Infinity });
    expect(r.status).toBe('unknown');
    if (r.status === 'unknown') expect(r.reason).toMatch(/cannot be parsed within the timeout \(1000 ms\)/);
  });

  test('a real trap is unknown with its message (not masked by release), and the next query gets a fresh Z3', async () => {
    // 32 MB of text overflows z3-solver's 20 MB wasm stack: "memory access out of bounds"
    const line = '(declare-const x Int)(assert (> x 0))\n';
    const script = line + ' '.repeat(32 * 1024 * 1024);
    // a timeout long enough that the parse-time guard lets it reach fromString
    const r = await solve(script, { timeoutMs: 60000, maxScriptBytes: Infinity });
    expect(r.status).toBe('unknown');
    if (r.status === 'unknown') expect(r.reason).toMatch(/^the solver crashed \(memory access out of bounds\)/);
    const after = await solve('(declare-const y Int)(assert (= y 3))', { timeoutMs: 5000 });
    expect(after.status).toBe('sat');
  });

  test('only solver failures count as crashes; a bug in our code still propagates', () => {
    const trap = new Error('memory access out of bounds');
    trap.name = 'RuntimeError';
    expect(solverCrash(trap)).toBe('memory access out of bounds');
    expect(solverCrash(new Error('Aborted(OOM)'))).toBe('Aborted(OOM)');
    expect(solverCrash(new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded'))).not.toBeNull();
    expect(solverCrash(new TypeError('x is undefined'))).toBeNull();
    expect(solverCrash(new RangeError('Maximum call stack size exceeded'))).toBeNull();
    expect(solverCrash('a string')).toBeNull();
  });

  test('a round bound beyond one query is refused with its limit', () => {
    expect(instanceProblem(protocol(VOTE('10000*t')), { n: 5, t: 1 })).toBe(
      `the termination bound is 10000 rounds at n = 5, t = 1; one SMT query unrolls at most ${MAX_QUERY_ROUNDS} rounds (check a smaller instance or claim a smaller bound)`,
    );
    expect(instanceProblem(protocol(VOTE(`${MAX_QUERY_ROUNDS}*t`)), { n: 5, t: 1 })).toBeNull();
  });

  test('the process engine refuses n^2 x rounds beyond its bound, pointing to the counter engine', () => {
    const p = protocol(VOTE('2*(t + 1)'));
    expect(processProblem(p, { n: 40, t: 3 })).toBeNull();
    expect(processProblem(p, { n: 100, t: 3 })).toBe(`n:t = 100:3: the process engine's query grows with n^2 x rounds (100^2 x 8 = 80000, at most ${MAX_PROCESS_CELLS}); use the counter engine, whose size does not grow with n`);
  });
});

describe('item 6 and 10: numeric options', () => {
  test('integers beyond 2^53 are refused, not rounded', () => {
    expect(userErrorOf(() => parseInstances('instances', '99999999999999999999999:1'))).toBe('--instances: `99999999999999999999999:1`: n and t must be at most 9007199254740991');
    expect(userErrorOf(() => parseIntList('inputs', '0,99999999999999999999'))).toMatch(/^--inputs: `99999999999999999999` is too large/);
    expect(parseInstances('instances', '9007199254740991:1')).toEqual([{ n: 9007199254740991, t: 1 }]);
    expect(instanceProblem(protocol(VOTE('2')), { n: 9007199254740991, t: 1 })).toBe(`n:t = 9007199254740991:1: n must be at most ${MAX_CHECK_N}`);
    expect(instanceProblem(protocol(VOTE('2')), { n: MAX_CHECK_N, t: 1 })).toBeNull();
  });

  test('check refuses them with exit 2 before any SMT text exists', () => {
    const run = cli(['check', 'specs/quorum-vote.bft', '--engine', 'counter', '--instances', '99999999999999999999999:1']);
    expectUserError(run);
    expectGolden(join(GOLDEN, 'check-huge-instance.err'), run.stderr);
  });

  test('the SMT printer never prints a numeral it cannot print exactly (a bug guard)', () => {
    expect(printI(num(-9007199254740991))).toBe('(- 9007199254740991)');
    expect(() => printI(num(1e23))).toThrow(/not a safe integer/);
    expect(() => printI(num(0.5))).toThrow(/not a safe integer/);
  });

  test('positiveSeconds takes (0, MAX_SECONDS]; anything else names the option', () => {
    expect(positiveSeconds('timeout', 2.5)).toBe(2.5);
    expect(positiveSeconds('timeout', MAX_SECONDS)).toBe(MAX_SECONDS);
    for (const bad of [0, -1, NaN, Infinity, MAX_SECONDS + 1, '', 'abc', [1, 2], undefined]) {
      expect(userErrorOf(() => positiveSeconds('timeout', bad))).toMatch(/^--timeout /);
    }
    expect(userErrorOf(() => positiveSeconds('timeout', NaN))).toBe(`--timeout must be a number of seconds greater than 0 and at most ${MAX_SECONDS}, got something that is not a number`);
  });

  test('integerOption takes safe integers in range only', () => {
    expect(integerOption('seed', 0, { min: 0, max: 10 })).toBe(0);
    expect(integerOption('seed', '7', { min: 0, max: 10 })).toBe(7);
    for (const bad of [-1, 11, 1.5, NaN, 2 ** 60, 'x', [1, 1]]) expect(() => integerOption('seed', bad, { min: 0, max: 10 })).toThrow(UserError);
  });
});

describe('item 8: deep JSON and sketches without holes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bftsynth-robust-'));

  test('nesting is measured in one pass, strings and escapes aside', () => {
    expect(tooDeepAt('[[1]]', 2)).toBeNull();
    expect(tooDeepAt('[[[1]]]', 2)).toBe(2);
    expect(tooDeepAt('["[[[[", "\\"", {"a": "{{{"}]', 2)).toBeNull();
    expect(tooDeepAt('[' + '{"a":'.repeat(3), 3)).toBe(11);
  });

  test('100,000 nested brackets are a located error, not a stack overflow', () => {
    const text = '['.repeat(100_000) + ']'.repeat(100_000);
    const r = readTrace(text, 'deep.json');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toEqual([{ loc: { file: 'deep.json', line: 1, col: MAX_JSON_DEPTH + 1 }, message: `JSON nested more than ${MAX_JSON_DEPTH} levels deep: not a file this tool writes` }]);
    expect(parseJsonText('{"a":'.repeat(50_000), 'x.json').ok).toBe(false);
  });

  test('trace and replay answer exit 2 on it', () => {
    const file = join(dir, 'deep.json');
    writeFileSync(file, '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000));
    for (const args of [['trace', file], ['replay', 'specs/quorum-vote.bft', file]]) {
      const run = cli(args);
      expectUserError(run);
      expect(run.stderr).toContain(`${file}:1:`);
    }
  });

  test('a sketch without holes is a located user error', () => {
    const r = parseSketch(VOTE('2'), 'v.bft');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.loc).toEqual({ file: 'v.bft', line: 1, col: 1 });
    const run = cli(['synth', 'specs/phase-king.bft', '--budget', '2', '--out', join(dir, 'out')]);
    expectUserError(run);
    expectGolden(join(GOLDEN, 'synth-no-holes.err'), run.stderr);
  });
});

describe('item 10: flags, output streams, input files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bftsynth-robust-'));

  test('proof check validates --timeout before any work', () => {
    for (const bad of ['abc', '0', '-1', '1e9']) {
      const run = cli(['proof', 'check', 'proofs/phase-king', '--timeout', bad]);
      expectUserError(run);
      expect(run.stderr).toMatch(/^--timeout must be a number of seconds greater than 0/);
    }
  });

  test('proof check --protocol names the file given, not the manifest\'s', () => {
    const run = cli(['proof', 'check', 'proofs/phase-king', '--protocol', 'other.bft', '--no-native']);
    expectUserError(run);
    expect(run.stderr.trim()).toBe('other.bft: cannot read: no such file');
  });

  test('simulate validates --seed', () => {
    for (const bad of ['abc', '-1', '1.5', '99999999999']) expectUserError(cli(['simulate', 'specs/quorum-vote.bft', '--n', '5', '--t', '1', '--seed', bad]));
  });

  const full = existsSync('/dev/full') ? test : test.skip;
  full('a full disk on stdout is one line and exit 4, never a raw stack and exit 1', () => {
    const r = spawnSync('bash', ['-c', 'node bin/bftsynth.js fmt specs/phase-king.bft > /dev/full'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(4);
    expect(r.stderr).toBe('bftsynth: cannot write to standard output: no space left on the device (ENOSPC)\n');
  });

  test('a reader that goes away (EPIPE) is ignored: the command keeps its own exit code', () => {
    const r = spawnSync('bash', ['-c', 'node bin/bftsynth.js simulate specs/quorum-vote.bft --n 2000 --t 1 | head -c 10 > /dev/null; echo "${PIPESTATUS[0]}"'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stdout.trim()).toMatch(/^[01]$/);
    expect(r.stderr).toBe('');
  });

  test('a failed atomic write is a one-line user error and leaves no temporary file', () => {
    const file = join(dir, 'plain.txt');
    writeFileSync(file, 'x');
    let caught: unknown = null;
    try {
      writeAtomic(join(file, 'under-a-file.json'), '{}');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(UserError);
    expect((caught as UserError).code).toBe(2);
    expect((caught as UserError).message).toMatch(/^\S+under-a-file\.json: cannot write: /);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  test('readText refuses directories, FIFOs, devices and files over its limit, without blocking', () => {
    const fifo = join(dir, 'fifo');
    spawnSync('mkfifo', [fifo]);
    const big = join(dir, 'big.bft');
    writeFileSync(big, ' '.repeat(MAX_SOURCE_BYTES + 1));
    expect(userErrorOf(() => readText(dir))).toBe(`${dir}: cannot read: is a directory`);
    expect(userErrorOf(() => readText(fifo))).toBe(`${fifo}: cannot read: not a regular file (a pipe, socket or device); give a file`);
    expect(userErrorOf(() => readText('/dev/zero'))).toBe('/dev/zero: cannot read: not a regular file (a pipe, socket or device); give a file');
    expect(userErrorOf(() => readText(big))).toBe(`${big}: cannot read: the file is ${MAX_SOURCE_BYTES + 1} bytes, more than the ${MAX_SOURCE_BYTES} bytes (256 kB) accepted for a protocol or sketch file`);
    expect(userErrorOf(() => readText(join(dir, 'missing.bft')))).toBe(`${join(dir, 'missing.bft')}: cannot read: no such file`);
    expect(readText(big, { bytes: MAX_SOURCE_BYTES + 1, what: 'x' }).length).toBe(MAX_SOURCE_BYTES + 1);
    const run = spawnSync(process.execPath, ['bin/bftsynth.js', 'parse', fifo], { cwd: ROOT, encoding: 'utf8', timeout: 20000 });
    expect(run.status).toBe(2);
  });
});

describe('item 11: trace files have a size limit', () => {
  test('a trace above MAX_TRACE_BYTES is refused before it is read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bftsynth-robust-'));
    const file = join(dir, 'huge.json');
    // sparse: the size is what is refused, before a byte is read
    writeFileSync(file, '');
    truncateSync(file, MAX_TRACE_BYTES + 1);
    const run = cli(['trace', file]);
    expectUserError(run);
    expect(run.stderr.trim()).toBe(`${file}: cannot read: the file is ${MAX_TRACE_BYTES + 1} bytes, more than the ${MAX_TRACE_BYTES} bytes (32.0 MB) accepted for a trace file`);
    const r = readTrace(' '.repeat(MAX_TRACE_BYTES + 1), 'in-memory.json');
    expect(r.ok).toBe(false);
  });
});

describe('item 12: byte order marks, CR line ends, duplicate guards, conformance', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bftsynth-robust-'));

  test('a UTF-8 byte order mark is skipped', () => {
    const r = parseProtocol('\ufeff' + VOTE('2'), 'bom.bft');
    expect(r.ok).toBe(true);
    const bad = parseProtocol('\ufeffprotocol P\n$', 'bom.bft');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors[0]!.loc).toEqual({ file: 'bom.bft', line: 2, col: 1 });
  });

  test('a lone CR ends a line, in the lexer, comments and located errors', () => {
    const text = VOTE('2').replace('  otherwise', '  // a comment\n  when count(VOTE, 0) >= n - t: skip\n  otherwise').replace(/\n/g, '\r');
    const r = parseProtocol(text, 'cr.bft');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => `${e.loc.line}:${e.loc.col}`)).toEqual(['9:3']);
    const file = join(dir, 'cr.bft');
    writeFileSync(file, text);
    const run = cli(['parse', file]);
    expectUserError(run);
    expect(run.stderr).toBe(`${file}:9:3: unreachable rule: an earlier rule of round \`vote\` has the same guard \`count(VOTE, 0) >= n - t\` (line 7)\n    when count(VOTE, 0) >= n - t: skip\n    ^\n`);
  });

  test('the same protocol with LF, CRLF and CR line ends formats the same', () => {
    const lf = cli(['fmt', 'specs/phase-king.bft']).stdout;
    for (const [name, eol] of [['crlf.bft', '\r\n'], ['cr.bft', '\r']] as const) {
      const file = join(dir, name);
      writeFileSync(file, '\ufeff' + lf.replace(/\n/g, eol));
      expect(cli(['fmt', file]).stdout).toBe(lf);
    }
  });

  test('a rule whose guard repeats an earlier guard, or has it as a conjunct, is unreachable', () => {
    const rules = (a: string, b: string): string => VOTE('2').replace('  otherwise', `  when ${a}: skip\n  when ${b}: v := 0\n  otherwise`);
    const unreachable = (text: string): string[] => {
      const r = parseProtocol(text, 'u.bft');
      return r.ok ? [] : r.errors.map((e) => e.message);
    };
    expect(unreachable(rules('n > t', '(n > t)'))).toEqual(['unreachable rule: an earlier rule of round `vote` has the same guard `n > t` (line 8)']);
    expect(unreachable(rules('n > t', 'count(VOTE, 1) > t && n > t'))).toHaveLength(1);
    expect(unreachable(rules('n > t && count(VOTE, 1) > t', 'n > t'))).toEqual([]);
    expect(unreachable(rules('n > t', 'n >= t'))).toEqual([]);
  });

  test('a fired rule index beyond the round, or a wrong round name, is exit 2 at file:line:col', () => {
    const sim = cli(['simulate', 'specs/quorum-vote.bft', '--n', '5', '--t', '1', '--json']);
    const trace = JSON.parse(sim.stdout) as Trace;
    trace.rounds[1]!.fired[2] = 98;
    writeFileSync(join(dir, 'rule99.json'), JSON.stringify(trace, null, 2));
    writeFileSync(join(dir, 'qv.bft'), cli(['fmt', 'specs/quorum-vote.bft']).stdout);
    const run = cli(['replay', 'qv.bft', 'rule99.json'], { cwd: dir });
    expectUserError(run);
    expectGolden(join(GOLDEN, 'replay-rule-99.err'), run.stderr);
    trace.rounds[1]!.fired[2] = 0;
    trace.rounds[0]!.name = 'other';
    writeFileSync(join(dir, 'name.json'), JSON.stringify(trace, null, 2));
    const named = cli(['trace', 'name.json', '--protocol', 'qv.bft'], { cwd: dir });
    expectUserError(named);
    expect(named.stderr).toMatch(/^name\.json:\d+:\d+: round 1 is `other`, but round 1 of QuorumVote is `vote`/);
    const other = cli(['replay', join(ROOT, 'specs', 'phase-king.bft'), 'rule99.json'], { cwd: dir });
    expectUserError(other);
    expect(other.stderr).toMatch(/^rule99\.json:4:13: the trace belongs to another protocol/);
  });
});
