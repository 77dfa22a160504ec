// The synchronous threshold automata suite (Stoilkovska, Konnov, Widder,
// Zuleger, "Verifying safety of synchronous fault-tolerant algorithms by
// bounded model checking", TACAS 2019; artefact github.com/istoilkovska/syncTA,
// folders algorithms/ and counterexamples/) against bftsynth: per suite file
// the spec it maps to (docs/sta-suite.md), the verdict and coverage line of a
// whole `bftsynth check SPEC --instances I --json` run as a user runs it (a
// new process: Node start, Z3 init, parsing, every engine that applies), its
// wall time, and the STA artefact's published time beside it.
//
//   node dist/bench/run.js --only sta   ->  bench/sta.md, bench/sta.json
//
// The expected verdicts are specs/sta/expected.json (and specs/expected.json
// for the suite files that map to existing library specs). A property
// expected violated that comes out verified is a soundness bug: exit 1.

import { spawnSync } from 'child_process';
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';

/** How a suite file is covered. */
export type StaKind =
  /** a spec under specs/sta/ written for it */
  | 'spec'
  /** an existing library spec (specs/*.bft) is the same algorithm */
  | 'reference';

export interface StaEntry {
  /** the artefact's file, relative to its repository */
  syncta: string;
  /** the spec, relative to this repository */
  spec: string;
  kind: StaKind;
  note: string;
}

/**
 * The STA artefact's published per-benchmark times. Searched for (the paper's
 * pages, docs and code corpora) and not found: the TACAS 2019 paper's results
 * table was not available in any stored copy we could read, so no figure is
 * given rather than an invented one.
 */
export const STA_PUBLISHED_TIME = 'not found';

/** bench/sta-artefact.json: the artefact itself run on this machine (bench/sta-artefact.sh). */
interface ArtefactRuns {
  measured: string;
  timeout_seconds: number;
  files: Record<string, { seconds: number; wall_seconds: number; diameter: number; result: string }>;
  failures: Record<string, { reason: string }>;
}

function loadArtefactRuns(root: string): ArtefactRuns | null {
  try {
    return JSON.parse(readFileSync(join(root, 'bench', 'sta-artefact.json'), 'utf8')) as ArtefactRuns;
  } catch {
    return null;
  }
}

/** The artefact's whole-process time for one file, and its own verdict (it decides agreement, validity, unforgeability). */
function artefactCell(runs: ArtefactRuns | null, syncta: string): string {
  if (runs === null) return 'not run (bench/sta-artefact.sh)';
  const r = runs.files[syncta];
  if (r !== undefined) return `${r.wall_seconds.toFixed(1)} (${r.result})`;
  const f = runs.failures[syncta];
  return f === undefined ? 'not run' : f.reason;
}

/** Every file of the artefact's algorithms/ and counterexamples/, in its order. */
export const STA_SUITE: readonly StaEntry[] = [
  { syncta: 'algorithms/faircons.py', spec: 'specs/sta/faircons.bft', kind: 'spec', note: 'crash; source publication not found, modelled from the encoding' },
  { syncta: 'algorithms/fixed_phase_queen_BSW_hybrid.py', spec: 'specs/sta/fixed-phase-queen-bsw-hybrid.bft', kind: 'spec', note: 'hybrid (t Byzantine, o omission), n > 4t + 2o; the artefact file equals phase_queen_BSW_hybrid.py' },
  { syncta: 'algorithms/floodmin1.py', spec: 'specs/sta/floodmin1.bft', kind: 'spec', note: 'crash, k = 1' },
  { syncta: 'algorithms/floodmin2.py', spec: 'specs/sta/floodmin2.bft', kind: 'spec', note: 'crash, k = 2, values 0..2' },
  { syncta: 'algorithms/floodmin_omit1.py', spec: 'specs/sta/floodmin-omit1.bft', kind: 'spec', note: 'omission, clean-round assumption' },
  { syncta: 'algorithms/floodmin_omit2.py', spec: 'specs/sta/floodmin-omit2.bft', kind: 'spec', note: 'omission, k = 2, clean-round assumption' },
  { syncta: 'algorithms/floodset.py', spec: 'specs/sta/floodset.bft', kind: 'spec', note: 'crash' },
  { syncta: 'algorithms/kset_omit1.py', spec: 'specs/sta/kset-omit1.bft', kind: 'spec', note: 'omission, rotating coordinator' },
  { syncta: 'algorithms/kset_omit2.py', spec: 'specs/sta/kset-omit2.bft', kind: 'spec', note: 'omission, two coordinators per round as two one-round phases' },
  { syncta: 'algorithms/phase_king.py', spec: 'specs/phase-king-3round.bft', kind: 'reference', note: 'Byzantine, 3 rounds/phase, n > 3t: the library spec' },
  { syncta: 'algorithms/phase_king_BSW_byz.py', spec: 'specs/sta/phase-king-bsw-byz.bft', kind: 'spec', note: 'Byzantine, BSW thresholds' },
  { syncta: 'algorithms/phase_king_BSW_hybrid.py', spec: 'specs/sta/phase-king-bsw-hybrid.bft', kind: 'spec', note: 'hybrid (t Byzantine, o omission), n > 3t + 2o, BSW thresholds' },
  { syncta: 'algorithms/phase_king_BSW_omit.py', spec: 'specs/sta/phase-king-bsw-omit.bft', kind: 'spec', note: 'omission, BSW thresholds' },
  { syncta: 'algorithms/phase_queen.py', spec: 'specs/phase-queen.bft', kind: 'reference', note: 'Byzantine, n > 4t: the library spec' },
  { syncta: 'algorithms/phase_queen_BSW_byz.py', spec: 'specs/sta/phase-queen-bsw-byz.bft', kind: 'spec', note: 'Byzantine, BSW thresholds' },
  { syncta: 'algorithms/phase_queen_BSW_hybrid.py', spec: 'specs/sta/phase-queen-bsw-hybrid.bft', kind: 'spec', note: 'hybrid (t Byzantine, o omission), n > 4t + 2o, BSW thresholds' },
  { syncta: 'algorithms/phase_queen_BSW_omit.py', spec: 'specs/sta/phase-queen-bsw-omit.bft', kind: 'spec', note: 'omission, BSW thresholds' },
  { syncta: 'algorithms/rb.py', spec: 'specs/sta/rb.bft', kind: 'spec', note: 'Byzantine, unforgeability and delivery' },
  { syncta: 'algorithms/rb_hybrid.py', spec: 'specs/sta/rb-hybrid.bft', kind: 'spec', note: 'hybrid (t Byzantine, o omission), n > 3t + 2o' },
  { syncta: 'algorithms/rb_omit.py', spec: 'specs/sta/rb-omit.bft', kind: 'spec', note: 'omission' },
  { syncta: 'counterexamples/faircons.py', spec: 'specs/sta/faircons-broken.bft', kind: 'spec', note: 'no clean round: decide in round t' },
  { syncta: 'counterexamples/floodmin1.py', spec: 'specs/sta/floodmin1-broken.bft', kind: 'spec', note: 'no clean round: decide in round t' },
  { syncta: 'counterexamples/floodmin2.py', spec: 'specs/sta/floodmin2-broken.bft', kind: 'spec', note: 'no round with <= 1 crash: decide one round early' },
  { syncta: 'counterexamples/floodset.py', spec: 'specs/sta/floodset-broken.bft', kind: 'spec', note: 'no clean round: decide in round t' },
  { syncta: 'counterexamples/kset_omit1.py', spec: 'specs/sta/kset-omit1-broken.bft', kind: 'spec', note: 'the file is floodmin_omit1 without the clean round' },
  { syncta: 'counterexamples/kset_omit2.py', spec: 'specs/sta/kset-omit2-broken.bft', kind: 'spec', note: 'the file is floodmin_omit2 without the clean round' },
  { syncta: 'counterexamples/phase_king.py', spec: 'specs/phase-king-3round-n3t.bft', kind: 'reference', note: 'n >= 3t: the library spec' },
  { syncta: 'counterexamples/phase_queen.py', spec: 'specs/sta/phase-queen-broken.bft', kind: 'spec', note: 'n >= 4t' },
  { syncta: 'counterexamples/rb.py', spec: 'specs/sta/rb-broken.bft', kind: 'spec', note: 'n >= 3t and f up to t + 1' },
  { syncta: 'counterexamples/rb_hybrid.py', spec: 'specs/sta/rb-hybrid-broken.bft', kind: 'spec', note: 'n >= 3t + 2o' },
  { syncta: 'counterexamples/rb_omit.py', spec: 'specs/sta/rb-omit-broken.bft', kind: 'spec', note: 'n >= 2t' },
];

/** An expected.json entry: property -> verdict, plus its instances and notes. */
export type ExpectedEntry = Record<string, string> & { instances: string; why: string };

/** The expected verdicts of a spec: every key whose value is a verdict. */
export function expectedVerdicts(e: ExpectedEntry): Record<string, 'verified' | 'violated'> {
  const out: Record<string, 'verified' | 'violated'> = {};
  for (const [k, v] of Object.entries(e)) if (v === 'verified' || v === 'violated') out[k] = v;
  return out;
}

/** specs/sta/expected.json and specs/expected.json, by spec path. */
export function loadStaExpected(root: string): Record<string, ExpectedEntry> {
  const read = (rel: string): Record<string, ExpectedEntry> => JSON.parse(readFileSync(join(root, rel), 'utf8')) as Record<string, ExpectedEntry>;
  return { ...read('specs/expected.json'), ...read('specs/sta/expected.json') };
}

interface CheckJson {
  verdict: string;
  summary: string;
  properties: { property: string; verdict: string; everyNT: boolean; covers: string; reason?: string }[];
}

export interface StaRow {
  syncta: string;
  spec: string;
  kind: StaKind;
  note: string;
  instances: string;
  expected: Record<string, string>;
  verdict: string;
  /** per property: verdict, and what it covers */
  properties: { property: string; verdict: string; everyNT: boolean; covers: string; reason?: string }[];
  /** checkClaims' one line */
  summary: string;
  /** properties whose verdict differs from the expected one */
  mismatches: string[];
  /** expected violated, came out verified */
  unsound: string[];
  ms: number;
  sta_published: string;
  /** the STA artefact run on this machine: whole-process seconds and its verdict, or why not */
  sta_here: string;
}

/** A row's whole check is stopped after this long (a runaway guard, not a criterion: kset-omit2's validity proofs take minutes each). */
const ROW_LIMIT_S = 1800;

function runCheck(root: string, spec: string, instances: string): { json: CheckJson | null; error: string; ms: number } {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [join(root, 'bin', 'bftsynth.js'), 'check', spec, '--instances', instances, '--json'], { cwd: root, encoding: 'utf8', timeout: ROW_LIMIT_S * 1000 });
  const ms = Date.now() - t0;
  try {
    return { json: JSON.parse(r.stdout) as CheckJson, error: '', ms };
  } catch {
    // spawnSync kills the command at its timeout: say so rather than "exit null"
    if (r.status === null) return { json: null, error: `no answer: the whole command was stopped after ${Math.round(ms / 1000)} s (limit ${ROW_LIMIT_S} s)`, ms };
    return { json: null, error: `error (exit ${String(r.status)}): ${(r.stderr ?? '').split('\n')[0] ?? ''}`, ms };
  }
}

const cell = (s: string): string => s.replace(/\|/g, '\\|');

/** Of the properties expected to hold, which were proved for every n and t (not only at the instances). */
function everyNT(r: StaRow): { holds: string[]; proved: string[] } {
  const holds = Object.entries(r.expected).filter(([, v]) => v === 'verified').map(([p]) => p);
  return { holds, proved: holds.filter((p) => r.properties.find((x) => x.property === p)?.everyNT === true) };
}

function everyNTCell(r: StaRow): string {
  const { holds, proved } = everyNT(r);
  if (holds.length === 0) return '—';
  const missing = holds.filter((p) => !proved.includes(p));
  return `${proved.length}/${holds.length}${missing.length === 0 ? '' : ` (not: ${missing.join(', ')})`}`;
}

/**
 * `only`: the specs to run again (e.g. `--protocols specs/sta/rb-hybrid.bft`); the other rows are
 * kept from bench/sta.json, so one row can be redone without the whole suite (about 30 minutes).
 */
export function runStaBench(root: string, log: (line: string) => void, only: readonly string[] = []): number {
  const expected = loadStaExpected(root);
  const artefact = loadArtefactRuns(root);
  const previous = only.length === 0 ? [] : (JSON.parse(readFileSync(join(root, 'bench', 'sta.json'), 'utf8')) as StaRow[]);
  const rows: StaRow[] = [];
  for (const s of STA_SUITE) {
    const kept = only.length > 0 && !only.includes(s.spec) ? previous.find((r) => r.syncta === s.syncta && r.spec === s.spec) : undefined;
    if (kept !== undefined) {
      rows.push({ ...kept, sta_here: artefactCell(artefact, s.syncta) });
      continue;
    }
    const base = { syncta: s.syncta, spec: s.spec, kind: s.kind, note: s.note, sta_published: STA_PUBLISHED_TIME, sta_here: artefactCell(artefact, s.syncta) };
    const e = expected[s.spec];
    if (e === undefined) throw new Error(`bench sta: no expected verdicts for ${s.spec}`);
    const want = expectedVerdicts(e);
    const run = runCheck(root, s.spec, e.instances);
    const props = run.json?.properties ?? [];
    const mismatches = Object.entries(want)
      .filter(([p, v]) => props.find((x) => x.property === p)?.verdict !== v)
      .map(([p, v]) => `${p}: expected ${v}, got ${props.find((x) => x.property === p)?.verdict ?? 'nothing'}`);
    const unsound = Object.entries(want)
      .filter(([p, v]) => v === 'violated' && props.find((x) => x.property === p)?.verdict === 'verified')
      .map(([p]) => p);
    rows.push({ ...base, instances: e.instances, expected: want, verdict: run.json?.verdict ?? run.error, properties: props, summary: run.json?.summary ?? run.error, mismatches, unsound, ms: run.ms });
    log(`  ${s.syncta} -> ${s.spec}: ${run.json?.verdict ?? run.error} ${(run.ms / 1000).toFixed(1)} s${mismatches.length > 0 ? ` (differs from expected: ${mismatches.join('; ')})` : ''}`);
  }
  const modelled = rows;
  const asExpected = modelled.filter((r) => r.mismatches.length === 0 && r.verdict !== '' && !r.verdict.startsWith('error'));
  const unsound = rows.flatMap((r) => r.unsound.map((p) => `${r.spec} ${p}`));
  const md = [
    '# The synchronous threshold automata suite (TACAS 2019)',
    '',
    'Regenerate: `node dist/bench/run.js --only sta` (part of `make bench`). One row per file of the',
    "artefact's algorithms/ and counterexamples/ (github.com/istoilkovska/syncTA); the mapping and what",
    'each spec models is docs/sta-suite.md. Each row is one `bftsynth check SPEC --instances I --json` as a',
    'new process (wall time: Node start, Z3 init, parsing and every engine that applies: phase lemmas and',
    'inductive invariants for every n and t where they apply, parameterized queries, the counter engine at',
    'the instances). *covers* is the coverage line of checkClaims. Expected verdicts: specs/sta/expected.json',
    '(specs/expected.json for the referenced library specs).',
    '',
    `STA artefact published time: ${STA_PUBLISHED_TIME} (see bench/sta.ts: the paper's results table was not`,
    'found in any source we could read, so that column is not filled with guesses). Instead *STA artefact here*',
    'is the artefact itself (its diameter computation and bounded model checking with native z3, one Python',
    'process per file) run on this machine by `bench/sta-artefact.sh` (bench/sta-artefact.json), with its own',
    `verdict: ${artefact === null ? 'not run yet' : `${artefact.measured}; time limit ${artefact.timeout_seconds} s per file`}.`,
    'The two columns were measured at different times under different load: compare orders of magnitude.',
    '',
    `As expected: ${asExpected.length} of ${modelled.length} files (every file of the suite is modelled).`,
    `Soundness guard (no expected-violated property verified): ${unsound.length === 0 ? 'held' : `FAILED: ${unsound.join(', ')}`}.`,
    `Proved for every n and t (every n, t and o for the hybrid files), of the properties expected to hold: ${modelled.reduce((a, r) => a + everyNT(r).proved.length, 0)} of ${modelled.reduce((a, r) => a + everyNT(r).holds.length, 0)}; *every n, t* lists them per file (the verdict column answers the narrower question at the instances).`,
    '',
    '| syncTA file | spec | kind | instances | verdict | every n, t | covers | as expected | s | STA artefact here (s, its verdict) | STA published |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | ---: | --- | --- |',
    ...rows.map((r) =>
      [
        r.syncta,
        r.spec,
        r.kind,
        r.instances,
        r.verdict,
        cell(everyNTCell(r)),
        cell(r.summary === '' ? r.note : r.summary),
        r.mismatches.length === 0 ? 'yes' : `NO: ${cell(r.mismatches.join('; '))}`,
        (r.ms / 1000).toFixed(1),
        cell(r.sta_here),
        r.sta_published,
      ].join(' | '),
    ).map((line) => `| ${line} |`),
    '',
  ].join('\n');
  writeFileSync(join(root, 'bench', 'sta.md'), md);
  writeFileSync(join(root, 'bench', 'sta.json'), JSON.stringify(rows, null, 2) + '\n');
  log(`sta bench: ${asExpected.length}/${modelled.length} as expected; written bench/sta.md, bench/sta.json`);
  return unsound.length === 0 ? 0 : 1;
}
