// The CLI end to end, through the built binary, as a user runs it.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { expectGolden } from './helpers/golden';
import { cli, ROOT } from './helpers/cli';

const fixture = (name: string) => join('test', 'fixtures', name);
const goldenDir = join(ROOT, 'test', 'golden', 'cli');

function golden(name: string, actual: string): void {
  expectGolden(join(goldenDir, name), actual);
}

function expectCleanUserError(run: { code: number | null; stderr: string }): void {
  expect(run.code).toBe(2);
  expect(run.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/); // no stack trace
  expect(run.stderr.length).toBeGreaterThan(0);
}

describe('fmt', () => {
  test('prints the canonical form; --check and --write agree with it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bftsynth-fmt-'));
    const file = join(dir, 'messy.bft');
    copyFileSync(join(ROOT, 'test', 'golden', 'fmt', 'messy.bft'), file);
    const printed = cli(['fmt', file]);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toBe(readFileSync(join(ROOT, 'test', 'golden', 'fmt', 'messy.expected'), 'utf8'));
    expect(cli(['fmt', '--check', file]).code).toBe(1);
    expect(cli(['fmt', '--write', file]).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(printed.stdout);
    expect(cli(['fmt', '--check', file]).code).toBe(0);
  });

  test('a malformed file is left untouched by --write', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bftsynth-fmt-'));
    const file = join(dir, 'broken.bft');
    const text = 'protocol P\nresilience n > 3*t\nround a { when : skip }\n';
    writeFileSync(file, text);
    const run = cli(['fmt', '--write', file]);
    expectCleanUserError(run);
    expect(run.stderr).toContain(`${file}:3:16: expected an expression, found \`:\``);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });
});

describe('parse', () => {
  test('--json prints the IR and its hash', () => {
    const run = cli(['parse', fixture('quorum-vote.bft'), '--json']);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as { hash: string; ir: { name: string; rounds: unknown[] } };
    expect(json.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(json.ir.name).toBe('QuorumVote');
    expect(json.ir.rounds).toHaveLength(1);
  });

  test('errors are located, with the line and a caret, exit 2', () => {
    const run = cli(['parse', join('test', 'golden', 'errors', 'undeclared.bft')]);
    expectCleanUserError(run);
    golden('parse-undeclared.stderr', run.stderr);
  });

  test('a missing file and bad usage exit 2 with a message', () => {
    expectCleanUserError(cli(['parse', 'no/such/file.bft']));
    expectCleanUserError(cli(['parse']));
    expectCleanUserError(cli(['frobnicate']));
    expectCleanUserError(cli(['simulate', fixture('quorum-vote.bft'), '--n', '5']));
  });
});

describe('simulate', () => {
  test('the split adversary stalls the quorum vote (golden timeline, exit 1)', () => {
    const run = cli(['simulate', fixture('quorum-vote.bft'), '--n', '5', '--t', '1', '--inputs', '0,0,1,1,0']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('termination violated');
    golden('simulate-quorum-vote-split.txt', run.stdout);
  });

  test('Phase King survives every built-in adversary at n=5, t=1', () => {
    for (const adversary of ['silent', 'random', 'split']) {
      const run = cli(['simulate', fixture('phase-king.bft'), '--n', '5', '--t', '1', '--adversary', adversary, '--seed', '7']);
      expect(run.stdout).toContain('no claimed property violated');
      expect(run.code).toBe(0);
    }
  });

  test('a pinned seed gives the same JSON trace twice', () => {
    const args = ['simulate', fixture('phase-king.bft'), '--n', '9', '--t', '2', '--adversary', 'random', '--seed', '42', '--json'];
    const a = cli(args);
    expect(a.code).toBe(0);
    expect(cli(args).stdout).toBe(a.stdout);
    const trace = JSON.parse(a.stdout) as { n: number; byzantine: number[]; rounds: unknown[] };
    expect(trace.n).toBe(9);
    expect(trace.byzantine).toEqual([7, 8]);
    expect(trace.rounds).toHaveLength(6);
  });

  test('impossible parameters are rejected with a reason', () => {
    const tooFew = cli(['simulate', fixture('phase-king.bft'), '--n', '4', '--t', '1']);
    expectCleanUserError(tooFew);
    expect(tooFew.stderr).toContain('violates the resilience condition');
    const tooMany = cli(['simulate', fixture('phase-king.bft'), '--n', '9', '--t', '2', '--byz', '0,1,2']);
    expectCleanUserError(tooMany);
    expect(tooMany.stderr).toContain('exceed the fault bound');
    expectCleanUserError(cli(['simulate', fixture('phase-king.bft'), '--n', '5', '--t', '1', '--inputs', '0,1,x']));
  });
});
