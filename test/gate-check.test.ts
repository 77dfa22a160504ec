// The gate keeps exactly what `check` verifies: a campaign's kept protocol is
// reported verified for every n and t by `bftsynth check FILE` (exit 0), and
// its proof directory passes `bftsynth proof check` (regenerated queries,
// every claim covered). The sketch's good completion decides in phase 2t + 1,
// so no phase-lemma chain applies to agreement: its proof is an inductive
// invariant; the other completion (n > 2t) is refuted.
import { mkdtempSync, readdirSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { cli, ROOT } from './helpers/cli';

test('a kept protocol is verified by check and its proofs re-check', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'bftsynth-gate-')), 'out');
  const sketch = join(ROOT, 'test', 'fixtures', 'late-king.sketch.bft');
  const run = cli(['synth', sketch, '--strategy', 'enumerate', '--budget', '2', '--no-adversary', '--out', out, '--json']);
  expect(run.code).toBe(0);
  const summary = JSON.parse(run.stdout) as { verified: { file: string; hash: string }[] };
  expect(summary.verified).toHaveLength(1);
  const kept = summary.verified[0]!;
  const check = cli(['check', kept.file]);
  expect(check.stdout).toContain('LateDecisionKing: VERIFIED');
  expect(check.stdout).toContain('agreement, termination proved for every n and t with n > 5*t (inductive invariant)');
  expect(check.code).toBe(0);
  const proofs = join(out, 'proofs', kept.hash.slice(0, 12));
  expect(readdirSync(proofs)).toContain('agreement-invariant-step.smt2');
  const re = cli(['proof', 'check', proofs, '--protocol', kept.file, '--no-native']);
  expect(re.stderr).not.toContain('no query set');
  expect(re.code).toBe(0);
}, 600000);
