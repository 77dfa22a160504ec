// The verdict table of a sketch: every completion through the gate's
// deterministic stages (no learned adversary; last stage = exhaustive
// enumeration on the default instances). Lets bench/lab/proposers.ts replay
// proposer strategies over many seeds in seconds instead of hours, and gives
// the exact number of correct completions in each search space.
//
//   node dist/bench/lab/table.js specs/sketches/phase-king-thresholds.bft   (writes bench/lab/cache/)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { basename, dirname, join, resolve } from 'path';
import { Gate, type Stage } from '../../src/synth/gate';
import { textHash } from '../../src/synth/checkpoint';
import { EnumerateProposer } from '../../src/synth/proposer';
import { arities, completionCount, parseSketch } from '../../src/synth/sketch';
import { exploreVerifier } from '../../src/synth/verifier';

export interface TableEntry {
  /** index into hashes; -1 when the completion does not parse. */
  h: number;
  stage: Stage;
  outcome: 'kept' | 'rejected' | 'unknown';
  violated: string[];
  score: number | null;
  survival?: number;
}

export interface VerdictTable {
  sketch: string;
  arities: number[];
  /** one entry per completion, in mixed-radix order (last hole fastest). */
  entries: TableEntry[];
  hashes: number;
  /** TABLE_VERSION and the sketch text's hash (cachedTable). */
  key?: string;
}

/** Every completion of the sketch file through the gate's deterministic stages. */
export async function buildTable(file: string, progress: (done: number, total: number) => void = () => {}): Promise<VerdictTable> {
  const parsed = parseSketch(readFileSync(file, 'utf8'), file);
  if (!parsed.ok) throw new Error(`${file}: ${parsed.errors[0]!.message}`);
  const sketch = parsed.value;
  const gate = new Gate(sketch, exploreVerifier());
  const all = new EnumerateProposer(arities(sketch));
  const hashIndex = new Map<string, number>();
  const entries: TableEntry[] = [];
  const total = completionCount(sketch);
  for (;;) {
    const batch = all.propose(256);
    if (batch.length === 0) break;
    for (const c of batch) {
      const v = (await gate.evaluate(c)).verdict;
      let h = -1;
      if (v.hash !== null) {
        h = hashIndex.get(v.hash) ?? hashIndex.size;
        hashIndex.set(v.hash, h);
      }
      entries.push({ h, stage: v.stage, outcome: v.outcome, violated: v.violated, score: v.score, ...(v.survival === undefined ? {} : { survival: v.survival }) });
    }
    progress(entries.length, total);
  }
  return { sketch: file, arities: arities(sketch), entries, hashes: hashIndex.size };
}

/**
 * Bump when the gate's verdicts change (stages, battery, survival share):
 * cached tables of another version are rebuilt. The sketch's own text is
 * checked by hash.
 */
const TABLE_VERSION = 1;

/** The cached table of a sketch (bench/lab/cache, not committed), built when absent or stale. */
export async function cachedTable(root: string, file: string, log: (line: string) => void): Promise<VerdictTable> {
  const cache = join(root, 'bench', 'lab', 'cache', `${basename(file, '.bft')}.table.json`);
  const key = `${TABLE_VERSION}:${textHash(readFileSync(join(root, file), 'utf8'))}`;
  if (existsSync(cache)) {
    const old = JSON.parse(readFileSync(cache, 'utf8')) as VerdictTable;
    if (old.key === key) return old;
  }
  const t0 = Date.now();
  const table = await buildTable(join(root, file), (done, total) => process.stderr.write(`\r${file}: ${done}/${total}`));
  process.stderr.write('\n');
  mkdirSync(dirname(cache), { recursive: true });
  const keyed = { ...table, sketch: file, key };
  writeFileSync(cache, JSON.stringify(keyed));
  log(`${file}: verdict table of ${table.entries.length} completions built in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return keyed;
}

async function main(): Promise<void> {
  const file = process.argv[2];
  if (file === undefined) throw new Error('usage: table.js SKETCH');
  const table = await cachedTable(resolve('.'), file, (l) => process.stderr.write(l + '\n'));
  const kept = table.entries.filter((e) => e.outcome === 'kept');
  process.stdout.write(`${file}: ${table.entries.length} completions, ${table.hashes} distinct protocols, ${kept.length} kept completions (${new Set(kept.map((e) => e.h)).size} distinct)\n`);
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(4);
    },
  );
}
