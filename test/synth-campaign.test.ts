// Campaigns: determinism under a seed, every kept protocol survives
// exhaustive simulation, and the policy network neither leaks tensors nor
// loses its weights through save/load.
import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parseProtocol } from '../src/lang';
import { explore } from '../src/sim/explore';
import { runCampaign, type CampaignOptions } from '../src/synth/campaign';
import { DEFAULT_POLICY, LearnedProposer } from '../src/synth/policy';
import { EnumerateProposer } from '../src/synth/proposer';
import { smallestN } from '../src/synth/score';
import { arities, parseSketch, type Sketch } from '../src/synth/sketch';
import { loadTf, type Tf } from '../src/synth/tf';
import { exploreVerifier } from '../src/synth/verifier';

const ROOT = join(__dirname, '..');
const SKETCH = join('specs', 'sketches', 'phase-king-thresholds.bft');

function loadSketch(file: string): Sketch {
  const r = parseSketch(readFileSync(join(ROOT, file), 'utf8'), file);
  if (!r.ok) throw new Error('sketch');
  return r.value;
}

let tf: Tf;
beforeAll(async () => {
  tf = (await loadTf()).tf;
});

function options(over: Partial<CampaignOptions>): CampaignOptions {
  return {
    sketch: loadSketch(SKETCH),
    strategy: 'random',
    seed: 7,
    budget: 96,
    timeS: null,
    outDir: mkdtempSync(join(tmpdir(), 'bftsynth-synth-')),
    resume: false,
    verifier: exploreVerifier(),
    tf,
    ...over,
  };
}

describe('campaign', () => {
  test.each(['random', 'learned'] as const)('%s: deterministic under a seed', async (strategy) => {
    const a = await runCampaign(options({ strategy, budget: 64 }));
    const b = await runCampaign(options({ strategy, budget: 64 }));
    expect(b.state.curve).toEqual(a.state.curve);
    expect(b.state.verified.map((v) => [v.hash, v.choices, v.candidate])).toEqual(a.state.verified.map((v) => [v.hash, v.choices, v.candidate]));
    expect(b.state.proposer).toEqual(a.state.proposer);
    const c = await runCampaign(options({ strategy, budget: 64, seed: 8 }));
    expect(c.state.proposer).not.toEqual(a.state.proposer);
  });

  test('learned: stopping at a checkpoint and resuming continues bit for bit', async () => {
    const straight = await runCampaign(options({ strategy: 'learned', budget: 64 }));
    const outDir = mkdtempSync(join(tmpdir(), 'bftsynth-synth-'));
    await runCampaign(options({ strategy: 'learned', budget: 32, outDir }));
    const resumed = await runCampaign(options({ strategy: 'learned', budget: 64, outDir, resume: true }));
    expect(resumed.state.curve).toEqual(straight.state.curve);
    expect(resumed.state.proposer).toEqual(straight.state.proposer);
    expect(resumed.state.verified.map((v) => v.hash)).toEqual(straight.state.verified.map((v) => v.hash));
  });

  test('every kept protocol is an ordinary spec file that exhaustive simulation does not break', async () => {
    const r = await runCampaign(options({ strategy: 'random', seed: 3, budget: 240 }));
    expect(r.state.verified.length).toBeGreaterThan(0);
    for (const v of r.state.verified) {
      const parsed = parseProtocol(readFileSync(v.file, 'utf8'), v.file);
      if (!parsed.ok) throw new Error(`${v.file} does not parse`);
      const p = parsed.value;
      // the smallest instance, and one process more (the gate never ran that one)
      for (const n of [smallestN(p, 1)!, smallestN(p, 1)! + 1]) {
        const ex = explore(p, { n, t: 1, hash: v.hash });
        if (!ex.ok) throw new Error('explore');
        expect([ex.value.agreement.status, ex.value.validity.status, ex.value.termination.status]).toEqual(['holds', 'holds', 'holds']);
      }
    }
    expect(readFileSync(r.curveFile, 'utf8')).toContain('<polyline id="verified"');
  });

  test('enumerate stops when the space is exhausted', async () => {
    const sketch = loadSketch(SKETCH);
    const e = new EnumerateProposer([2, 3]);
    expect(e.propose(10)).toEqual([
      [0, 0],
      [0, 1],
      [0, 2],
      [1, 0],
      [1, 1],
      [1, 2],
    ]);
    expect(e.propose(10)).toEqual([]);
    expect(arities(sketch).length).toBe(sketch.holes.length);
  });
});

describe('policy network', () => {
  test('tf.memory().numTensors stays flat over many propose/learn steps', () => {
    const p = new LearnedProposer(tf, [3, 3, 4, 3, 2], 1);
    const step = (): void => {
      const batch = p.propose(16);
      p.learn(batch.map((c) => (c[0] === 1 ? 1 : 0.1)));
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 200; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    p.dispose();
    // the policy's and the critic's weights, with their Adam moments
    expect(tf.memory().numTensors).toBe(before - 24);
  });

  test('learns a rewarded choice; weights survive save and load (JSON)', () => {
    const p = new LearnedProposer(tf, [4, 3], 5, undefined, { ...DEFAULT_POLICY, learningRate: 0.03 });
    for (let i = 0; i < 150; i++) {
      const batch = p.propose(16);
      p.learn(batch.map((c) => (c[0] === 2 && c[1] === 1 ? 1 : 0)));
    }
    const probs0 = p.probabilities([[]], 0)[0]!;
    expect(probs0[2]).toBeGreaterThan(0.6);
    expect(p.probabilities([[2]], 1)[0]![1]).toBeGreaterThan(0.6);
    const saved = JSON.parse(JSON.stringify(p.save())) as unknown;
    const q = new LearnedProposer(tf, [4, 3], 999, saved, { ...DEFAULT_POLICY, learningRate: 0.03 });
    expect(q.probabilities([[]], 0)[0]).toEqual(probs0);
    expect(q.propose(8)).toEqual(p.propose(8));
    p.dispose();
    q.dispose();
  });
});
