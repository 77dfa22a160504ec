// Issue 12, data loss and output paths: nothing a user owns is lost, and a
// path that cannot be written is refused before the work (exit 2), without
// `*.tmp-*` debris. Each block reproduces the reported problem and shows it
// fixed, mostly end to end through the built CLI (dist/).
import { spawn, spawnSync } from 'child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative } from 'path';
import { outputDirProblem, outputFileProblem } from '../src/cli/output-paths';
import { MANIFEST } from '../src/proof/manifest';
import { ProofDirError, proofDirProblem, writeProofs, type ProvenQuery } from '../src/proof/write';
import { loadCheckpoint } from '../src/synth/checkpoint';
import { lockDir, LOCK_FILE } from '../src/synth/lock';
import { writeFileAtomic } from '../src/util/out-path';
import { cli, ROOT } from './helpers/cli';

const SKETCH = join(ROOT, 'specs', 'sketches', 'phase-king-thresholds.bft');
/** The cheapest campaign: no TensorFlow (random proposer, no learned adversary), explore as the last stage. */
const CHEAP = ['--strategy', 'random', '--seed', '1', '--batch', '8', '--verifier', 'explore', '--no-adversary'];
const STACK = /\n\s+at .*:\d+:\d+\)?/;

const work = mkdtempSync(join(tmpdir(), 'bftsynth-safety-'));
let n = 0;
const fresh = (name: string): string => join(work, `${name}-${++n}`);

/** Every `*.tmp-*` file or directory under `dir`, recursively. */
function debris(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.tmp-/.test(f));
}

beforeAll(() => {
  // the CLI runs from dist/: build it (tsc emits even when another module is mid-edit)
  spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', ROOT], { cwd: ROOT, encoding: 'utf8' });
}, 180000);

const query = (file: string, script = '(assert false)'): ProvenQuery => ({
  file,
  property: 'agreement',
  claim: 'a test claim',
  engine: 'counter',
  parameters: { n: 4, t: 1, f: 1 },
  rounds: 1,
  expect: 'unsat',
  solver: { name: 'z3', version: '0', params: {} },
  ms: 1,
  script,
});
const PROTOCOL = { name: 'P', hash: 'a'.repeat(64), file: 'p.bft' };

describe('item 1: --proofs never deletes what the tool did not write', () => {
  // refused up front (exit 2), before any solving, with no stack trace
  const refused = (r: { code: number | null; stderr: string }): void => {
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('VERIFIED');
    expect(r.stderr).not.toMatch(STACK);
  };

  test('the reported case: a directory with the user\'s files and the protocol itself survives', () => {
    const victim = fresh('victim');
    mkdirSync(join(victim, 'sub'), { recursive: true });
    writeFileSync(join(victim, 'thesis.tex'), 'precious\n');
    writeFileSync(join(victim, 'sub', 'notes.txt'), 'also precious\n');
    writeFileSync(join(victim, 'phase-king.bft'), readFileSync(join(ROOT, 'specs', 'phase-king.bft')));
    const r = cli(['check', join(victim, 'phase-king.bft'), '--engine', 'counter', '--instances', '5:1', '--proofs', victim]);
    refused(r);
    expect(r.stderr).toContain('refusing to write proof artefacts there');
    expect(r.stderr).toContain('thesis.tex');
    expect(readFileSync(join(victim, 'thesis.tex'), 'utf8')).toBe('precious\n');
    expect(readFileSync(join(victim, 'sub', 'notes.txt'), 'utf8')).toBe('also precious\n');
    expect(readdirSync(victim).sort()).toEqual(['phase-king.bft', 'sub', 'thesis.tex']);
    expect(debris(work)).toEqual([]);
  }, 120000);

  test('--proofs naming an existing file, or a path under a file: refused, the file unchanged', () => {
    const file = fresh('file.txt');
    writeFileSync(file, 'precious\n');
    for (const target of [file, join(file, 'proofs')]) {
      const r = cli(['check', join(ROOT, 'specs', 'phase-king.bft'), '--engine', 'counter', '--instances', '5:1', '--proofs', target]);
      refused(r);
      expect(r.stderr).toMatch(/is not a directory/);
      expect(readFileSync(file, 'utf8')).toBe('precious\n');
    }
    expect(debris(work)).toEqual([]);
  }, 240000);

  test('an earlier proof is replaced file by file; a file added to it is never deleted', () => {
    const dir = fresh('proof');
    writeProofs(dir, PROTOCOL, 'test', [query('a.smt2'), query('b.smt2')]);
    expect(proofDirProblem(dir)).toBeNull();
    // a new proof with other queries: b goes (the old manifest lists it), c comes
    const m = writeProofs(dir, PROTOCOL, 'test', [query('a.smt2', '(assert (= 1 2))'), query('c.smt2')]);
    expect(readdirSync(dir).sort()).toEqual(['a.smt2', 'c.smt2', MANIFEST]);
    expect(m.queries.map((q) => q.file)).toEqual(['a.smt2', 'c.smt2']);
    expect(readFileSync(join(dir, 'a.smt2'), 'utf8')).toContain('(assert (= 1 2))');
    // the user adds a file: the directory is no longer only a proof
    writeFileSync(join(dir, 'mine.txt'), 'precious\n');
    expect(proofDirProblem(dir)).toMatch(/holds files that are not part of its earlier proof \(mine\.txt\)/);
    expect(() => writeProofs(dir, PROTOCOL, 'test', [query('a.smt2')])).toThrow(ProofDirError);
    expect(readdirSync(dir).sort()).toEqual(['a.smt2', 'c.smt2', MANIFEST, 'mine.txt']);
    expect(debris(work)).toEqual([]);
  });

  test('the campaign\'s OUT/proofs/<hash>: made with its parents, rewritten when a resumed run finds the protocol again', () => {
    const dir = join(fresh('out'), 'proofs', 'abcdef012345');
    writeProofs(dir, PROTOCOL, 'test', [query('a.smt2')]);
    writeProofs(dir, PROTOCOL, 'test', [query('a.smt2')]);
    expect(readdirSync(dir).sort()).toEqual(['a.smt2', MANIFEST]);
    expect(debris(work)).toEqual([]);
  });

  test('a manifest cannot make the tool delete outside the directory, nor vouch for foreign files', () => {
    const outside = fresh('outside.smt2');
    writeFileSync(outside, 'precious\n');
    const dir = fresh('forged');
    mkdirSync(dir);
    writeFileSync(join(dir, MANIFEST), JSON.stringify({ format: 'bftsynth-proof', version: 1, queries: [{ file: `../${relative(work, outside)}` }] }));
    expect(proofDirProblem(dir)).toMatch(/not a bftsynth proof manifest/);
    writeFileSync(join(dir, MANIFEST), JSON.stringify({ format: 'something-else', version: 1, queries: [] }));
    expect(proofDirProblem(dir)).toMatch(/not a bftsynth proof manifest/);
    writeFileSync(join(dir, MANIFEST), '{ truncated');
    expect(proofDirProblem(dir)).toMatch(/cannot be read as JSON/);
    expect(readFileSync(outside, 'utf8')).toBe('precious\n');
  });

  test('new and empty directories are fine; nothing is left behind when a write fails', () => {
    expect(proofDirProblem(join(fresh('new'), 'a', 'b'))).toBeNull();
    const empty = fresh('empty');
    mkdirSync(empty);
    expect(proofDirProblem(empty)).toBeNull();
    writeProofs(empty, PROTOCOL, 'test', [query('a.smt2')]);
    expect(readdirSync(empty).sort()).toEqual(['a.smt2', MANIFEST]);
    // a query file that cannot be written (a name with a directory in it): the temporary directory goes
    const dir = fresh('fails');
    expect(() => writeProofs(dir, PROTOCOL, 'test', [query('no/such.smt2')])).toThrow(/ENOENT/);
    expect(existsSync(dir)).toBe(false);
    expect(() => writeProofs(empty, PROTOCOL, 'test', [query('no/such.smt2')])).toThrow(/ENOENT/);
    expect(readdirSync(empty).sort()).toEqual(['a.smt2', MANIFEST]);
    expect(debris(work)).toEqual([]);
  });
});

/** A cheap campaign into `out` (exit 0 or 1: found something or not). */
function campaign(out: string, extra: string[] = [], budget = 16): ReturnType<typeof cli> {
  return cli(['synth', SKETCH, ...CHEAP, '--budget', String(budget), '--out', out, ...extra]);
}

describe('item 2: one campaign per --out, never replaced without --resume', () => {
  test('a second campaign without --resume is refused and the first one\'s checkpoint is kept', () => {
    const out = fresh('campaign');
    expect(campaign(out).code).toBe(1);
    const before = readFileSync(join(out, 'checkpoint.json'), 'utf8');
    const r = cli(['synth', SKETCH, ...CHEAP, '--budget', '8', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${out} holds a campaign`);
    expect(r.stderr).toContain('--resume');
    expect(r.stderr).not.toMatch(STACK);
    expect(readFileSync(join(out, 'checkpoint.json'), 'utf8')).toBe(before);
    expect(existsSync(join(out, LOCK_FILE))).toBe(false);
  }, 120000);

  test('a running campaign locks --out: a second one is refused naming its pid; SIGINT releases the lock', async () => {
    const out = fresh('locked');
    const first = spawn(process.execPath, [join(ROOT, 'bin', 'bftsynth.js'), 'synth', SKETCH, ...CHEAP, '--budget', '100000', '--out', out], { cwd: ROOT, stdio: 'ignore' });
    const lock = join(out, LOCK_FILE);
    await until(() => existsSync(join(out, 'checkpoint.json')), 60000);
    expect(readFileSync(lock, 'utf8').trim()).toBe(String(first.pid));
    for (const extra of [[], ['--resume']]) {
      const r = campaign(out, extra);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`in use by another campaign (pid ${first.pid})`);
    }
    const ended = new Promise<NodeJS.Signals | null>((resolve) => first.on('exit', (_code, signal) => resolve(signal)));
    first.kill('SIGINT');
    expect(await ended).toBe('SIGINT');
    expect(existsSync(lock)).toBe(false);
    // and the interrupted campaign resumes from where SIGINT left it (how far it got depends on the machine's load)
    const stopped = (JSON.parse(readFileSync(join(out, 'checkpoint.json'), 'utf8')) as { candidates: number }).candidates;
    const resumed = campaign(out, ['--resume', '--json'], stopped + 8);
    const summary = JSON.parse(resumed.stdout) as { candidates: number; verified: unknown[] };
    expect(summary.candidates).toBe(stopped + 8);
    expect(resumed.code).toBe(summary.verified.length > 0 ? 0 : 1);
  }, 120000);

  test('SIGTERM releases the lock too', async () => {
    const out = fresh('term');
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'bftsynth.js'), 'synth', SKETCH, ...CHEAP, '--budget', '100000', '--out', out], { cwd: ROOT, stdio: 'ignore' });
    await until(() => existsSync(join(out, 'checkpoint.json')), 60000);
    expect(existsSync(join(out, LOCK_FILE))).toBe(true);
    const ended = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    child.kill('SIGTERM');
    expect(await ended).toBe('SIGTERM');
    expect(existsSync(join(out, LOCK_FILE))).toBe(false);
  }, 120000);

  test('a stale lock (its pid is gone) is taken over; a live one is respected', () => {
    const dir = fresh('lock');
    mkdirSync(dir);
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' }).stdout.trim();
    writeFileSync(join(dir, LOCK_FILE), `${dead}\n`);
    const r = campaign(dir);
    expect(r.code).toBe(1);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    // a live pid other than ours (the parent of this test process), then a lock of this process
    writeFileSync(join(dir, LOCK_FILE), `${process.ppid}\n`);
    expect(lockDir(dir)).toMatch(`pid ${process.ppid}`);
    // no pid yet and just written: a campaign that is starting up
    writeFileSync(join(dir, LOCK_FILE), '');
    expect(lockDir(dir)).toMatch(/starting/);
  }, 120000);

  test('the lock is released when the campaign fails', () => {
    const out = fresh('fails');
    mkdirSync(out);
    writeFileSync(join(out, 'checkpoint.json'), 'not json');
    const r = campaign(out, ['--resume']);
    expect(r.code).toBe(2);
    expect(existsSync(join(out, LOCK_FILE))).toBe(false);
  }, 120000);
});

async function until(cond: () => boolean, ms: number): Promise<void> {
  const started = Date.now();
  while (!cond()) {
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('item 3: --resume works from any working directory', () => {
  // budget 32 finds the first verified protocol with these settings (first_verified_at 28)
  test('a campaign started with a relative --out resumes from elsewhere and shows its best protocol', () => {
    const home = fresh('home');
    mkdirSync(home);
    const first = cli(['synth', SKETCH, ...CHEAP, '--budget', '32', '--out', 'out'], { cwd: home });
    expect(first.code).toBe(0);
    const ckpt = JSON.parse(readFileSync(join(home, 'out', 'checkpoint.json'), 'utf8')) as { verified: { file: string }[] };
    expect(ckpt.verified.length).toBeGreaterThan(0);
    for (const v of ckpt.verified) expect(v.file).toMatch(/^[^/]+\.bft$/); // relative to --out
    const elsewhere = cli(['synth', SKETCH, ...CHEAP, '--budget', '40', '--out', join(home, 'out'), '--resume'], { cwd: work });
    expect(elsewhere.code).toBe(0);
    expect(elsewhere.stdout).toContain('Best protocol');
    expect(elsewhere.stdout).toContain('protocol PhaseKingSketch');
    expect(elsewhere.stderr).not.toMatch(STACK);

    // a checkpoint of the earlier format (paths relative to its run's working directory) resumes too
    const old = JSON.parse(readFileSync(join(home, 'out', 'checkpoint.json'), 'utf8')) as { verified: { file: string }[] };
    for (const v of old.verified) v.file = join('out', v.file);
    writeFileSync(join(home, 'out', 'checkpoint.json'), JSON.stringify(old));
    const legacy = loadCheckpoint(join(home, 'out', 'checkpoint.json'));
    expect(legacy.ok && legacy.state?.verified.every((v) => v.file === join(home, 'out', v.file.split('/').pop()!))).toBe(true);
    const again = cli(['synth', SKETCH, ...CHEAP, '--budget', '40', '--out', join(home, 'out'), '--resume', '--json'], { cwd: work });
    expect(again.code).toBe(0);
    const summary = JSON.parse(again.stdout) as { verified: { file: string }[] };
    for (const v of summary.verified) expect(existsSync(v.file)).toBe(true);
  }, 240000);
});

describe('item 7: a corrupt checkpoint is exit 2 with the file and the field, never a stack trace', () => {
  let good: Record<string, unknown> = {};
  let learned: Record<string, unknown> = {};
  beforeAll(() => {
    const out = fresh('good');
    campaign(out);
    good = JSON.parse(readFileSync(join(out, 'checkpoint.json'), 'utf8')) as Record<string, unknown>;
    // the learned proposer and the learned adversary: the checkpoint holds their networks
    const lout = fresh('learned');
    cli(['synth', SKETCH, '--seed', '1', '--batch', '8', '--budget', '8', '--verifier', 'explore', '--out', lout]);
    learned = JSON.parse(readFileSync(join(lout, 'checkpoint.json'), 'utf8')) as Record<string, unknown>;
  }, 120000);

  type Json = Record<string | number, unknown>;
  /** A copy of `base` with the value at `path` (computed from the copy) replaced. */
  const edited = (base: () => Json, path: (c: Json) => (string | number)[], value: unknown): (() => string) => () => {
    const copy = JSON.parse(JSON.stringify(base())) as Json;
    const keys = path(copy);
    let at = copy;
    for (const k of keys.slice(0, -1)) at = at[k] as Json;
    at[keys[keys.length - 1]!] = value;
    return JSON.stringify(copy);
  };
  const firstVerdict = (c: Json): string => Object.keys((c.gate as { verdicts: Json }).verdicts)[0]!;
  const cases: [string, () => string, RegExp, boolean][] = [
    // cut ten characters into the sketch hash, wherever the clone lives (the sketch path comes before it)
    ['truncated', () => { const s = JSON.stringify(good); return s.slice(0, s.indexOf('"sketchHash":"') + 24); }, /checkpoint\.json:1:\d+: JSON syntax: unterminated string/, false],
    ['truncated between fields', () => JSON.stringify(good).replace(/,"curve".*/, ','), /checkpoint\.json:1:\d+: JSON syntax: .*\(the file ends early: is it truncated\?\)/, false],
    ['not JSON', () => 'this is not json', /checkpoint\.json:1:1: JSON syntax/, false],
    ['null', () => 'null', /checkpoint\.json:1:1: \(top level\): expected an object, found null/, false],
    ['an array', () => '[]', /\(top level\): expected an object, found an array/, false],
    ['another version', edited(() => good, () => ['version'], 2), /version: this bftsynth reads checkpoints of version 1, not 2/, false],
    ['a wrong field type', edited(() => good, () => ['candidates'], '16'), /candidates: expected an integer, found "16"/, false],
    ['a garbage proposer', edited(() => good, () => ['proposer'], { rng: 'x' }), /proposer\.rng: expected an integer, found "x"/, false],
    ['a garbage adversary field', edited(() => good, () => ['adversary'], 'garbage'), /adversary: expected null \(the learned adversary off\)/, false],
    ['a garbage verdict', edited(() => good, (c) => ['gate', 'verdicts', firstVerdict(c), 'stage'], 'nowhere'), /gate\.verdicts\[?"?[0-9a-f.]+"?\]?\.stage/, false],
    ['weights of another shape', edited(() => learned, () => ['proposer', 'weights', 'w1'], [1, 2, 3]), /proposer\.weights\.w1: 3 numbers, expected \d+/, true],
    ['critic moments of another shape', edited(() => learned, () => ['proposer', 'critic', 'm', 'b1'], []), /proposer\.critic\.m\.b1: 0 numbers, expected \d+/, true],
    ['a weight that is not a number', edited(() => learned, () => ['proposer', 'weights', 'b1', 0], null), /proposer\.weights\.b1\[0\]: expected/, true],
    ['garbage adversary weights', edited(() => learned, () => ['adversary', 'weights'], 'garbage'), /adversary\.weights: expected an object/, true],
    ['adversary weights of another shape', edited(() => learned, () => ['adversary', 'v', 'w2'], [0]), /adversary\.v\.w2: 1 numbers, expected \d+/, true],
    ['a recorded choice beyond its hole', edited(() => learned, () => ['proposer', 'history', 0, 'choices', 0], 99), /proposer\.history\[0\]\.choices\[0\]: choice 99/, true],
  ];
  test.each(cases)('%s', (_what, text, message, isLearned) => {
    const out = fresh('corrupt');
    mkdirSync(out);
    const file = join(out, 'checkpoint.json');
    const content = text();
    writeFileSync(file, content);
    const args = isLearned ? ['synth', SKETCH, '--seed', '1', '--batch', '8', '--budget', '16', '--verifier', 'explore', '--out', out, '--resume'] : ['synth', SKETCH, ...CHEAP, '--budget', '24', '--out', out, '--resume'];
    const r = cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(STACK);
    expect(r.stderr).not.toContain('internal error');
    expect(readFileSync(file, 'utf8')).toBe(content); // left as it was, for the user to look at
    expect(debris(out)).toEqual([]);
  }, 120000);
});

describe('item 9: output paths are checked before any work', () => {
  const file = join(work, 'a-file.txt');
  beforeAll(() => writeFileSync(file, 'precious\n'));

  test.each([
    ['a regular file', () => file, /--out: .*a-file\.txt exists and is not a directory/],
    ['a path under a file', () => join(file, 'out'), /--out: .*a-file\.txt is not a directory/],
    ['/proc/self/x (hung before)', () => '/proc/self/x', /--out: cannot write in \/proc\/self/],
  ])('synth --out on %s: exit 2 at once', (_what, out, message) => {
    const started = Date.now();
    const r = campaign(out());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toContain('candidates'); // no campaign ran
    expect(Date.now() - started).toBeLessThan(30000);
    expect(readFileSync(file, 'utf8')).toBe('precious\n');
  }, 60000);

  test.each([
    ['--timeout', '0'],
    ['--timeout', '-1'],
    ['--timeout', 'abc'],
    ['--timeout', 'Infinity'],
    ['--budget', '0'],
    ['--budget', '2.5'],
    ['--batch', '0'],
    ['--batch', 'x'],
    ['--seed', 'abc'],
    ['--seed', '1.5'],
    ['--time', '0'],
    ['--time', '-3'],
    ['--time', 'abc'],
  ])('synth %s %s: exit 2 naming the option', (option, value) => {
    const out = fresh('opts');
    const r = cli(['synth', SKETCH, '--strategy', 'random', '--verifier', 'explore', '--no-adversary', '--out', out, option, value]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${option} must be`);
    expect(existsSync(out)).toBe(false); // refused before anything was written
  });

  test('outputFileProblem (for --trace-out, trace --out) and outputDirProblem', () => {
    const dir = fresh('dir');
    mkdirSync(dir);
    expect(outputFileProblem(join(dir, 'trace.json'))).toBeNull();
    expect(outputFileProblem(join(dir, 'new', 'deeper', 'trace.json'))).toBeNull();
    expect(outputFileProblem(dir)).toMatch(/is a directory/);
    expect(outputFileProblem(join(file, 'trace.json'))).toMatch(/a-file\.txt (exists and )?is not a directory/);
    expect(outputFileProblem('/proc/self/x/trace.json')).toMatch(/cannot write in \/proc\/self/);
    expect(outputFileProblem('/dev/null')).toMatch(/not a regular file/);
    expect(outputFileProblem(`${dir}/`)).toMatch(/names a directory/);
    expect(outputDirProblem(file)).toMatch(/exists and is not a directory/);
    const made = join(fresh('made'), 'a', 'b');
    expect(outputDirProblem(made)).toBeNull();
    expect(readdirSync(made)).toEqual([]); // created, and the test file removed
  });

  test('a failed atomic write leaves no temporary file', () => {
    const dir = fresh('atomic');
    mkdirSync(join(dir, 'target'), { recursive: true });
    // renaming a file over a directory fails after the temporary file is written
    expect(() => writeFileAtomic(join(dir, 'target'), 'text')).toThrow();
    expect(readdirSync(dir)).toEqual(['target']);
    writeFileAtomic(join(dir, 'ok.txt'), 'text');
    expect(readdirSync(dir).sort()).toEqual(['ok.txt', 'target']);
  });

  test('a read-only --out is refused before the work (skipped when running as root)', () => {
    if (process.getuid?.() === 0) return; // root writes anywhere
    const dir = fresh('ro');
    mkdirSync(dir);
    chmodSync(dir, 0o555);
    const r = campaign(join(dir, 'out'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot write in/);
    chmodSync(dir, 0o755);
  }, 60000);
});
