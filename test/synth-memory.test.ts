// What a long campaign keeps (issue 12 item 13; bench/soak.md measures it):
// the critic fits on at most CRITIC_HISTORY_CAP candidates, the most recent
// rewarded ones, however many were judged, and the proposer's save/load
// still keeps the whole history (screening must keep skipping every judged
// candidate); the networks' tensors do not grow from batch to batch of a
// campaign with every network on, and are all released at its end.
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { runCampaign } from '../src/synth/campaign';
import { Critic, CRITIC_HISTORY_CAP } from '../src/synth/critic';
import { LearnedProposer, type PolicyState } from '../src/synth/policy';
import { parseSketch } from '../src/synth/sketch';
import { loadTf, type Tf } from '../src/synth/tf';
import { exploreVerifier } from '../src/synth/verifier';

let tf: Tf;
beforeAll(async () => {
  tf = (await loadTf()).tf;
});

afterEach(() => jest.restoreAllMocks());

test('the critic fits on at most the cap, the most recent rewarded candidates; the history is kept whole', () => {
  const arities = [4, 4, 4, 4, 4, 4, 4];
  const p0 = new LearnedProposer(tf, arities, 1);
  const saved: PolicyState = p0.save();
  p0.dispose();
  // more distinct judged candidates than the cap, every other one rewarded
  const judged = CRITIC_HISTORY_CAP * 2 + 100;
  saved.history = Array.from({ length: judged }, (_, i) => ({ choices: arities.map((a, h) => Math.floor(i / a ** h) % a), reward: i % 2 === 0 ? 0 : 0.3 }));
  const p = new LearnedProposer(tf, arities, 1, JSON.parse(JSON.stringify(saved)));
  const sizes: number[] = [];
  let lastReward = -1;
  jest.spyOn(Critic.prototype, 'fit').mockImplementation((history) => {
    sizes.push(history.length);
    lastReward = history[history.length - 1]!.reward;
    return 0;
  });
  const batch = p.propose(16);
  p.learn(batch.map(() => 0.5));
  expect(sizes).toEqual([CRITIC_HISTORY_CAP]);
  // the newest entry (this batch's) is in the fit: the cap keeps the most recent ones
  expect(lastReward).toBe(0.5);
  const after = p.save().history ?? [];
  expect(after.length).toBeGreaterThan(judged);
  p.dispose();
});

test('a campaign with the proposer, critic and adversary networks: tensors flat across batches, none left after it', async () => {
  const file = join('specs', 'sketches', 'phase-king-thresholds.bft');
  const sketch = parseSketch(readFileSync(join(__dirname, '..', file), 'utf8'), file);
  if (!sketch.ok) throw new Error('sketch');
  const before = tf.memory().numTensors;
  const counts: number[] = [];
  const outDir = mkdtempSync(join(tmpdir(), 'bftsynth-memory-'));
  try {
    // past the critic's warm-up, so screening (critic.predict) runs in the later batches
    await runCampaign({ sketch: sketch.value, strategy: 'learned', seed: 2, budget: 64, batch: 16, timeS: null, outDir, resume: false, verifier: exploreVerifier(), tf, adversary: true, onCheckpoint: () => counts.push(tf.memory().numTensors) });
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
  expect(counts).toHaveLength(4);
  expect(new Set(counts).size).toBe(1);
  expect(tf.memory().numTensors).toBe(before);
});
