// `bftsynth synth` end to end in a child process: the JSON summary, and a
// campaign killed with SIGKILL after its first checkpoint resumes without
// losing or duplicating a verified protocol.
import { spawn, spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

const ROOT = join(__dirname, '..');
const MAIN = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const COMMAND = join(ROOT, 'dist', 'src', 'cli', 'commands', 'synth.js');
const SKETCH = join('specs', 'sketches', 'phase-king-thresholds.bft');

// Until main.ts wires the command, drive it with yargs directly (same handler).
const DRIVER = `
const main = require(${JSON.stringify(MAIN)});
const wired = require('fs').readFileSync(${JSON.stringify(MAIN)}, 'utf8').includes('synthCommand');
if (wired) main.main(process.argv.slice(1));
else require(${JSON.stringify(join(ROOT, 'node_modules', 'yargs'))})(process.argv.slice(1)).command(require(${JSON.stringify(COMMAND)}).synthCommand).strict().parseAsync();
`;

interface Summary {
  candidates: number;
  verifier_calls: number;
  first_verified_at: number | null;
  verified: { file: string; hash: string; score: number }[];
}

beforeAll(() => {
  // the CLI runs from dist/: build it (tsc emits even when another module is mid-edit)
  spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', ROOT], { cwd: ROOT, encoding: 'utf8' });
  if (!existsSync(COMMAND)) throw new Error('dist/ has no synth command after the build');
}, 180000);

function args(out: string, extra: string[] = []): string[] {
  return ['-e', DRIVER, 'synth', SKETCH, '--strategy', 'random', '--seed', '1', '--budget', '160', '--batch', '8', '--verifier', 'explore', '--out', out, '--json', ...extra];
}

function run(out: string, extra: string[] = []): { code: number | null; summary: Summary; stderr: string } {
  const r = spawnSync(process.execPath, args(out, extra), { cwd: ROOT, encoding: 'utf8', timeout: 170000 });
  if (r.stdout.trim() === '') throw new Error(`no summary; stderr:\n${r.stderr}`);
  return { code: r.status, summary: JSON.parse(r.stdout) as Summary, stderr: r.stderr };
}

const hashes = (s: Summary): string[] => s.verified.map((v) => v.hash).sort();

test('SIGKILL after the first checkpoint, then --resume: the same verified set as an uninterrupted run', async () => {
  const full = run(mkdtempSync(join(tmpdir(), 'bftsynth-full-')));
  expect(full.summary.candidates).toBe(160);
  expect(full.summary.verified.length).toBeGreaterThan(0);
  expect(full.stderr).toMatch(/synth: \d+\/160 candidates/);

  const out = mkdtempSync(join(tmpdir(), 'bftsynth-kill-'));
  // the campaign kills itself with SIGKILL right after its first checkpoint (fault injection, no polling)
  const child = spawn(process.execPath, args(out), { cwd: ROOT, stdio: 'ignore', env: { ...process.env, BFTSYNTH_CRASH_AFTER_CHECKPOINT: '1' } });
  const checkpoint = join(out, 'checkpoint.json');
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
  expect(signal).toBe('SIGKILL');
  const partial = JSON.parse(readFileSync(checkpoint, 'utf8')) as { candidates: number; finished: boolean };
  expect(partial.finished).toBe(false);
  expect(partial.candidates).toBeLessThan(160);

  const resumed = run(out, ['--resume']);
  expect(resumed.summary.candidates).toBe(160);
  expect(hashes(resumed.summary)).toEqual(hashes(full.summary));
  expect(resumed.summary.first_verified_at).toBe(full.summary.first_verified_at);
  expect(resumed.summary.verifier_calls).toBe(full.summary.verifier_calls);
  // one file per verified protocol, none twice, no temp files left behind
  const files = readdirSync(out).filter((f) => f.endsWith('.bft'));
  expect(files.sort()).toEqual(resumed.summary.verified.map((v) => v.file.split('/').pop()!).sort());
  expect(readdirSync(out).filter((f) => f.includes('.tmp-'))).toEqual([]);

  // resuming a finished campaign changes nothing; another seed is refused
  const again = run(out, ['--resume']);
  expect(hashes(again.summary)).toEqual(hashes(full.summary));
  const refused = spawnSync(process.execPath, [...args(out, ['--resume']).map((a) => (a === '1' ? '5' : a))], { cwd: ROOT, encoding: 'utf8' });
  expect(refused.status).toBe(2);
  expect(refused.stderr).toContain('cannot resume: the checkpoint has seed 1, not 5');
}, 300000);

test('a malformed sketch is a located error, exit 2', () => {
  const r = spawnSync(process.execPath, ['-e', DRIVER, 'synth', join('test', 'fixtures', 'no-such.bft')], { cwd: ROOT, encoding: 'utf8' });
  expect(r.status).toBe(2);
  expect(r.stderr).toContain('no such file');
});
