// Proof artefacts end to end: check --proofs writes them, proof check
// re-runs them (wasm Z3, and native z3/cvc5 where installed), and refuses
// tampered files, a changed protocol and a query that is not unsat.
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { sha256, smtFile } from '../src/proof/write';
import { cli } from './helpers/cli';

const work = mkdtempSync(join(tmpdir(), 'bftsynth-proof-'));
const spec = join(work, 'quorum.bft');
const proofs = join(work, 'proofs');

beforeAll(() => {
  // A small verified protocol: safe quorum voting that decides in one round with n > 5t.
  writeFileSync(
    spec,
    ['protocol FastQuorum', 'resilience n > 5*t', 'var v : value = input', 'message VOTE(value)', 'round vote {', '  send VOTE(v)', '  when count(VOTE, 0) >= n - t: decide 0', '  when count(VOTE, 1) >= n - t: decide 1', '}', 'horizon 1', 'claims agreement, validity', ''].join('\n'),
  );
  const run = cli(['check', spec, '--proofs', proofs]);
  expect(run.stderr).toContain('proof artefacts written');
  expect(run.code).toBe(0);
});

test('check --proofs writes one unsat query per property and instance, with a manifest', () => {
  const manifest = JSON.parse(readFileSync(join(proofs, 'manifest.json'), 'utf8')) as { protocol: { name: string }; queries: { file: string; sha256: string; expect: string }[] };
  expect(manifest.protocol.name).toBe('FastQuorum');
  // Validity for every n and t by the phase lemma; agreement (no lemma chain: no leader) by an inductive
  // invariant, its three verification conditions; both also at the default instances.
  expect(manifest.queries.map((q) => q.file).sort()).toEqual([
    'agreement-invariant-init.smt2',
    'agreement-invariant-property.smt2',
    'agreement-invariant-step.smt2',
    'agreement-n11-t2-counter.smt2',
    'agreement-n6-t1-counter.smt2',
    'validity-lemma-validity-invariant.smt2',
    'validity-n11-t2-counter.smt2',
    'validity-n6-t1-counter.smt2',
  ]);
  for (const q of manifest.queries) {
    const text = readFileSync(join(proofs, q.file), 'utf8');
    expect(sha256(text)).toBe(q.sha256);
    expect(text).toContain('(check-sat)');
  }
});

test('proof check re-proves every query (exit 0)', () => {
  const run = cli(['proof', 'check', proofs, '--json']);
  expect(run.code).toBe(0);
  const report = JSON.parse(run.stdout) as { verdict: string; queries: { outcome: string; runs: { solver: string; status: string }[] }[] };
  expect(report.verdict).toBe('proved');
  for (const q of report.queries) {
    expect(q.outcome).toBe('proved');
    // every solver that ran agrees: unsat (or is absent on this machine)
    for (const r of q.runs) expect(['unsat', 'absent']).toContain(r.status);
  }
});

test('a tampered query file is refused (exit 2)', () => {
  const copy = join(work, 'tampered');
  cli(['check', spec, '--proofs', copy]);
  const file = join(copy, 'agreement-n6-t1-counter.smt2');
  writeFileSync(file, readFileSync(file, 'utf8').replace('(check-sat)', '(assert false)\n(check-sat)'));
  const run = cli(['proof', 'check', copy, '--no-native']);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('sha256 mismatch');
});

test('proofs of a protocol that changed since are refused (exit 2)', () => {
  const changed = join(work, 'changed.bft');
  copyFileSync(spec, changed);
  writeFileSync(changed, readFileSync(changed, 'utf8').replace('n - t: decide 1', 'n - 2*t: decide 1'));
  const run = cli(['proof', 'check', proofs, '--protocol', changed]);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('the protocol changed since these proofs were made');
});

/** A fresh proof directory of the spec, with its manifest as JSON. */
function freshProofs(name: string): { dir: string; manifestFile: string; manifest: { queries: { file: string; sha256: string; property: string }[] } } {
  const dir = join(work, name);
  cli(['check', spec, '--proofs', dir]);
  const manifestFile = join(dir, 'manifest.json');
  return { dir, manifestFile, manifest: JSON.parse(readFileSync(manifestFile, 'utf8')) as { queries: { file: string; sha256: string; property: string }[] } };
}

test('a query replaced by (assert false) and re-sealed in the manifest is refused: queries are regenerated, not trusted (exit 2)', () => {
  const { dir, manifestFile, manifest } = freshProofs('resealed');
  for (const q of manifest.queries) {
    const text = smtFile('(assert false)', ['not a proof']);
    writeFileSync(join(dir, q.file), text);
    q.sha256 = sha256(text);
  }
  writeFileSync(manifestFile, JSON.stringify(manifest));
  const run = cli(['proof', 'check', dir, '--no-native']);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('differs from the query regenerated from the protocol');
  expect(run.stdout).toBe('');
});

test('a satisfiable query re-sealed in the manifest is refused before any solver runs (exit 2)', () => {
  const { dir, manifestFile, manifest } = freshProofs('bogus');
  const text = smtFile('(declare-fun x () Int)\n(assert (> x 0))', ['not a proof']);
  writeFileSync(join(dir, manifest.queries[0]!.file), text);
  manifest.queries[0]!.sha256 = sha256(text);
  writeFileSync(manifestFile, JSON.stringify(manifest));
  const run = cli(['proof', 'check', dir]);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain(manifest.queries[0]!.file);
});

test('a manifest without its agreement entries does not prove the claims: refused, naming agreement (exit 2)', () => {
  const { dir, manifestFile, manifest } = freshProofs('no-agreement');
  writeFileSync(manifestFile, JSON.stringify({ ...manifest, queries: manifest.queries.filter((q) => q.property !== 'agreement') }));
  const run = cli(['proof', 'check', dir, '--no-native']);
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/agreement: no query set in the manifest proves it for every n and t/);
});

test('an invariant weakened in the manifest no longer matches its stored verification conditions: refused (exit 2)', () => {
  const { dir, manifestFile, manifest } = freshProofs('weakened');
  type Inv = { invariant?: { conjuncts: { id: string }[] } };
  const invs = (manifest.queries as (typeof manifest.queries[number] & Inv)[]).filter((q) => q.invariant !== undefined);
  expect(invs.length).toBe(3);
  for (const q of invs) q.invariant!.conjuncts = q.invariant!.conjuncts.slice(1);
  writeFileSync(manifestFile, JSON.stringify(manifest));
  const run = cli(['proof', 'check', dir, '--no-native']);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('agreement-invariant-step.smt2');
  expect(run.stderr).toContain('differs from the query regenerated from the protocol');
});

test('genuine unsat queries renamed to phase-lemma files do not make a lemma proof (found by review): refused (exit 2)', () => {
  const { dir, manifestFile, manifest } = freshProofs('renamed');
  const donor = manifest.queries.find((q) => q.file === 'agreement-n6-t1-counter.smt2')!;
  const lemmaNames = ['no-early-decision', 'unify', 'persist', 'decide-same', 'last-same'].map((x) => `agreement-lemma-${x}.smt2`);
  const text = readFileSync(join(dir, donor.file), 'utf8');
  for (const name of lemmaNames) writeFileSync(join(dir, name), text);
  const forged = [...manifest.queries.filter((q) => q.property !== 'agreement'), ...lemmaNames.map((file) => ({ ...donor, file }))];
  writeFileSync(manifestFile, JSON.stringify({ ...manifest, queries: forged }));
  const run = cli(['proof', 'check', dir, '--no-native']);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('must be called agreement-n6-t1-counter.smt2');
  expect(run.stderr).toMatch(/agreement: no query set in the manifest proves it/);
});

test('a malformed manifest is a located error (exit 2)', () => {
  const dir = join(work, 'malformed');
  cli(['check', spec, '--proofs', dir]);
  writeFileSync(join(dir, 'manifest.json'), '{"format": "bftsynth-proof", "version": 1, "protocol": 3}');
  const run = cli(['proof', 'check', dir]);
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/manifest\.json:1:\d+: protocol: expected an object/);
  expect(run.stderr).not.toMatch(/\n\s+at .*:\d+:\d+\)/);
});

describe('the library proofs committed in proofs/ still hold', () => {
  const root = join(__dirname, '..', 'proofs');
  const dirs = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

  test('there is one proof directory per fully verified library protocol', () => {
    const expected = JSON.parse(readFileSync(join(__dirname, '..', 'specs', 'expected.json'), 'utf8')) as Record<string, Record<string, string>>;
    const verified = Object.entries(expected)
      .filter(([, e]) => e['agreement'] === 'verified' && e['validity'] === 'verified' && e['termination'] === 'verified')
      .map(([file]) => file.replace(/^specs\//, '').replace(/\.bft$/, ''));
    expect(dirs.sort()).toEqual(verified.sort());
  });

  test.each(dirs)('proofs/%s', (dir) => {
    const run = cli(['proof', 'check', join('proofs', dir), '--json']);
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as { verdict: string; queries: { file: string; outcome: string; runs: { status: string }[] }[] };
    expect(report.queries.map((q) => `${q.file}: ${q.outcome}`)).toEqual(report.queries.map((q) => `${q.file}: proved`));
    for (const q of report.queries) for (const r of q.runs) expect(['unsat', 'absent']).toContain(r.status);
    expect(run.code).toBe(0);
  });
});
