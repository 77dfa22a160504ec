// Time to a proof for every n and t, whole command included: per library
// protocol and claimed property, `bftsynth check FILE --property P --engine
// param --json` as a user runs it (a new process: Node start, Z3 init,
// parsing, every query), with the verdict and what it covers. Beside it the
// published-artefact figures of the synchronous threshold automata tool
// (TACAS 2019), measured on these machines for the issue: phase king
// 5.5 s and phase queen 0.6 s, both safety only (no termination).
// A property that specs/expected.json calls violated and that comes out
// verified is a soundness bug: the run exits 1.

import { spawnSync } from 'child_process';
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';

interface Expected {
  agreement: string;
  validity: string;
  termination: string;
}

interface Row {
  file: string;
  property: string;
  expected: string;
  verdict: string;
  everyNT: boolean;
  covers: string;
  engines: string;
  ms: number;
  sta: string;
}

/** The STA artefact's whole-run times for the same protocol (safety only), where it has one. */
const STA: Record<string, string> = {
  'specs/phase-king.bft': '5.5 s (agreement and validity, no termination)',
  'specs/phase-queen.bft': '0.6 s (agreement and validity, no termination)',
};

interface CheckJson {
  verdict: string;
  properties: { property: string; verdict: string; everyNT: boolean; covers: string }[];
  results: { engine: string; verdict: string }[];
}

function runOne(root: string, file: string, property: string): Omit<Row, 'file' | 'property' | 'expected' | 'sta'> {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [join(root, 'bin', 'bftsynth.js'), 'check', file, '--property', property, '--engine', 'param', '--json'], { cwd: root, encoding: 'utf8', timeout: 600_000 });
  const ms = Date.now() - t0;
  try {
    const j = JSON.parse(r.stdout) as CheckJson;
    const c = j.properties.find((x) => x.property === property);
    const engines = [...new Set(j.results.filter((x) => x.verdict === 'verified').map((x) => x.engine))].join('+');
    return { verdict: c?.verdict ?? j.verdict, everyNT: c?.everyNT ?? false, covers: c?.covers ?? '', engines, ms };
  } catch {
    return { verdict: `error (exit ${String(r.status)})`, everyNT: false, covers: r.stderr.split('\n')[0] ?? '', engines: '', ms };
  }
}

export function runEveryNT(root: string, log: (line: string) => void): number {
  const expected = JSON.parse(readFileSync(join(root, 'specs', 'expected.json'), 'utf8')) as Record<string, Expected>;
  const rows: Row[] = [];
  let unsound = 0;
  for (const [file, e] of Object.entries(expected)) {
    for (const property of ['agreement', 'validity', 'termination'] as const) {
      const row: Row = { file, property, expected: e[property], sta: STA[file] ?? '', ...runOne(root, file, property) };
      rows.push(row);
      if (row.expected === 'violated' && row.verdict === 'verified') unsound++;
      log(`  ${file} ${property}: ${row.verdict}${row.everyNT ? ' (every n and t)' : ''} ${(row.ms / 1000).toFixed(1)} s`);
    }
  }
  const proved = rows.filter((r) => r.expected === 'verified');
  const md = [
    '# Proofs for every n and t, whole command',
    '',
    'Regenerate: `node dist/bench/run.js --only every-nt` (part of `make bench`). Each row is one',
    '`bftsynth check FILE --property P --engine param --json` as a new process (wall time: Node start, Z3',
    'init, parsing and every query). *engines* are those whose unsat queries made the verdict',
    '(lemma: phase lemmas, param: parameterized counter queries, invariant: inductive invariant).',
    `A row expected violated never says verified (soundness guard: ${unsound === 0 ? 'held' : `${unsound} FAILED`}).`,
    `Expected-verified properties proved for every n and t: ${proved.filter((r) => r.everyNT).length} of ${proved.length}.`,
    '',
    '| protocol | property | expected | verdict | every n and t | by | s | STA artefact (TACAS 2019) |',
    '| --- | --- | --- | --- | --- | --- | ---: | --- |',
    ...rows.map((r) => `| ${r.file} | ${r.property} | ${r.expected} | ${r.verdict} | ${r.everyNT ? 'yes' : 'no'} | ${r.engines} | ${(r.ms / 1000).toFixed(1)} | ${r.sta} |`),
    '',
  ].join('\n');
  writeFileSync(join(root, 'bench', 'every-nt.md'), md);
  writeFileSync(join(root, 'bench', 'every-nt.json'), JSON.stringify(rows, null, 2) + '\n');
  return unsound === 0 ? 0 : 1;
}
