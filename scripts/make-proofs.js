#!/usr/bin/env node
// Regenerates proofs/<name>/ for every library protocol whose expected verdict
// is verified on all three properties (specs/expected.json), with the built CLI
// and its default question (every claim proved for every n and t), with both
// every-n-and-t proofs where both engines find one (phase lemmas, inductive invariant).
'use strict';
const { readFileSync, rmSync } = require('fs');
const { basename, join } = require('path');
const { spawnSync } = require('child_process');

const root = join(__dirname, '..');
const expected = JSON.parse(readFileSync(join(root, 'specs', 'expected.json'), 'utf8'));
let failed = 0;
for (const [file, e] of Object.entries(expected)) {
  const dir = join('proofs', basename(file, '.bft'));
  if (!(e.agreement === 'verified' && e.validity === 'verified' && e.termination === 'verified')) {
    rmSync(join(root, dir), { recursive: true, force: true });
    continue;
  }
  const r = spawnSync(process.execPath, [join(root, 'bin', 'bftsynth.js'), 'check', file, '--all-proofs', '--proofs', dir], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`make-proofs: ${file} did not verify (exit ${r.status})`);
    failed++;
  }
}
process.exit(failed === 0 ? 0 : 1);
