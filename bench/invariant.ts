// The inductive-invariant engine (src/check/invariant.ts) on the library:
// per protocol and claimed property, the whole proveByInvariant call (class
// computation, sampling, Houdini, verification conditions), in one process
// after Z3's init (timed separately), with the verdict against
// specs/expected.json and Spacer's answer on the same system (native z3,
// when installed). A 'proved' where expected.json says violated is a
// soundness bug: exit 1.
//   npx tsc -p tsconfig.json && node dist/bench/invariant.js [files...]

import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import { proveByInvariant } from '../src/check/invariant';
import { parseProtocol } from '../src/lang';
import { nativeSolverVersion } from '../src/smt/native';
import { runSpacer } from '../src/smt/invariant/spacer';
import { buildSystem, phaseBound } from '../src/smt/invariant/system';
import { shutdownZ3, solve } from '../src/smt/z3';
import type { Property } from '../src/trace/model';

const ROOT = join(__dirname, '..', '..');

async function main(): Promise<void> {
  const expected = JSON.parse(readFileSync(join(ROOT, 'specs/expected.json'), 'utf8')) as Record<string, Record<string, string>>;
  const args = process.argv.slice(2);
  const files = args.length > 0 ? args : readdirSync(join(ROOT, 'specs')).filter((f) => f.endsWith('.bft')).map((f) => `specs/${f}`);
  const t0 = Date.now();
  await solve('(declare-fun x () Int)\n(assert (> x 0))\n', { timeoutMs: 10_000 });
  console.log(`z3 (wasm) init: ${Date.now() - t0} ms`);
  console.log('| protocol | property | expected | invariant engine | ms | conjuncts | queries | Spacer (native) |');
  console.log('| --- | --- | --- | --- | ---: | ---: | ---: | --- |');
  let bad = false;
  for (const file of files) {
    const r = parseProtocol(readFileSync(join(ROOT, file), 'utf8'), file);
    if (!r.ok) throw new Error(`${file} does not parse`);
    for (const property of ['agreement', 'validity', 'termination'] as Property[]) {
      const exp = expected[file]?.[property] ?? '?';
      const res = await proveByInvariant(r.value, property);
      if (res.reason?.endsWith('is not claimed') === true) continue;
      if (res.verdict === 'proved' && exp !== 'verified') bad = true;
      let spacer = 'n/a';
      const ph = phaseBound(r.value, property);
      if (nativeSolverVersion('z3') !== null && typeof ph !== 'string') {
        const s = await runSpacer(buildSystem(r.value, property, ph), 30_000);
        spacer = `${s.status === 'sat' ? 'safe' : s.status === 'unsat' ? 'reaches violation' : s.status} ${Math.round(s.ms)} ms`;
      }
      const asked = res.queries.filter((q) => q.reused === undefined).length;
      console.log(`| ${file} | ${property} | ${exp} | ${res.verdict} | ${res.ms} | ${res.invariant.length} | ${asked} | ${spacer} |`);
    }
  }
  await shutdownZ3();
  if (bad) {
    console.error('SOUNDNESS: proved a property that specs/expected.json calls violated');
    process.exit(1);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(2);
});
