// The proposer lab (bench/lab) replays a proposer against a verdict table
// instead of the gate; its figures mean something only if it counts exactly
// as a campaign does. Checked against a real campaign: same seed, same
// batches, same verifier calls to the first verified protocol.
import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { labRun, tableIndex } from '../bench/lab/proposers';
import type { TableEntry, VerdictTable } from '../bench/lab/table';
import { runCampaign } from '../src/synth/campaign';
import { Gate } from '../src/synth/gate';
import { RandomProposer } from '../src/synth/proposer';
import { arities, parseSketch } from '../src/synth/sketch';
import { exploreVerifier } from '../src/synth/verifier';

const FILE = join('specs', 'sketches', 'king-rule-order.bft');

test('a lab replay counts verifier calls, cache hits and the first find exactly as the campaign', async () => {
  const parsed = parseSketch(readFileSync(join(__dirname, '..', FILE), 'utf8'), FILE);
  if (!parsed.ok) throw new Error('sketch');
  const sketch = parsed.value;
  const a = arities(sketch);
  const budget = 320;
  const seed = 1;
  const campaign = await runCampaign({ sketch, strategy: 'random', seed, budget, timeS: null, outDir: mkdtempSync(join(tmpdir(), 'bftsynth-lab-')), resume: false, verifier: exploreVerifier(), adversary: false });

  // a sparse table holding the verdicts of exactly the completions this seed draws
  const draws = new RandomProposer(a, seed).propose(budget);
  const gate = new Gate(sketch, exploreVerifier());
  const entries: TableEntry[] = [];
  const hashes = new Map<string, number>();
  for (const c of draws) {
    const v = (await gate.evaluate(c)).verdict;
    const h = v.hash === null ? -1 : (hashes.get(v.hash) ?? hashes.size);
    if (v.hash !== null) hashes.set(v.hash, h);
    entries[tableIndex(a, c)] = { h, stage: v.stage, outcome: v.outcome, violated: v.violated, score: v.score };
  }
  const table: VerdictTable = { sketch: FILE, arities: a, entries, hashes: hashes.size };
  const lab = labRun(table, new RandomProposer(a, seed), budget, 16);

  expect(campaign.state.firstVerifiedAt).not.toBeNull();
  expect(lab.first).toBe(campaign.state.firstVerifiedAt);
  expect(lab.calls).toBe(campaign.state.gate.stats.gateCalls);
  expect(lab.kept).toBe(campaign.state.verified.length);
});
