// The proposer's critic and the reward it learns: the critic ranks what the
// gate rewarded above what it did not, survives save/load, leaks no tensors;
// screening never sends the gate a candidate it already judged while unjudged
// ones remain; the reward orders verdicts by how close they came.
import fc from 'fast-check';
import { Critic } from '../src/synth/critic';
import { rewardOf, type Verdict } from '../src/synth/gate';
import { LearnedProposer } from '../src/synth/policy';
import { loadTf, type Tf } from '../src/synth/tf';

let tf: Tf;
beforeAll(async () => {
  tf = (await loadTf()).tf;
});

/** Every completion of a small space, with a reward that depends on two holes jointly. */
function space(arities: number[], reward: (c: number[]) => number): { choices: number[]; reward: number }[] {
  const out: { choices: number[]; reward: number }[] = [];
  const total = arities.reduce((p, a) => p * a, 1);
  for (let i = 0; i < total; i++) {
    const c: number[] = [];
    let rest = i;
    for (let h = arities.length - 1; h >= 0; h--) {
      c[h] = rest % arities[h]!;
      rest = Math.floor(rest / arities[h]!);
    }
    out.push({ choices: c, reward: reward(c) });
  }
  return out;
}

describe('critic', () => {
  test('learns an interaction of two holes; save/load keeps its predictions; no tensor leaks', () => {
    const arities = [3, 3, 2];
    // rewarded only when hole 0 and hole 1 agree: no single hole predicts it
    const data = space(arities, (c) => (c[0] === c[1] ? 1 : 0));
    const critic = new Critic(tf, arities, 3);
    const before = tf.memory().numTensors;
    for (let k = 0; k < 60; k++) critic.fit(data);
    expect(tf.memory().numTensors).toBe(before);
    const p = critic.predict(data.map((d) => d.choices));
    const good = p.filter((_, i) => data[i]!.reward === 1);
    const bad = p.filter((_, i) => data[i]!.reward === 0);
    expect(Math.min(...good)).toBeGreaterThan(Math.max(...bad));
    const copy = new Critic(tf, arities, 99, JSON.parse(JSON.stringify(critic.save())));
    expect(copy.predict(data.map((d) => d.choices))).toEqual(p);
    critic.dispose();
    copy.dispose();
    expect(tf.memory().numTensors).toBe(before - 12);
  });
});

describe('screening by the critic', () => {
  test('never re-proposes a judged candidate while the space has unjudged ones; flat tensors', () => {
    const arities = [4, 4, 4, 4];
    const p = new LearnedProposer(tf, arities, 2);
    const judged = new Set<string>();
    const step = (): void => {
      const batch = p.propose(16);
      for (const c of batch) {
        if (judged.size > 32 && judged.size < 200) expect(judged.has(c.join('.'))).toBe(false);
      }
      p.learn(batch.map((c) => (c[0] === c[1] ? 1 : 0.1)));
      for (const c of batch) judged.add(c.join('.'));
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    p.dispose();
  });

  test('screened proposals are rewarded more often than the policy alone would be', () => {
    // a needle: 16 of 1296 completions earn 1, the rest 0.1 or 0.3 by how many of holes 0/1 match
    const arities = [6, 6, 6, 6];
    const reward = (c: number[]): number => (c[0] === 2 && c[1] === 3 && c[2] < 4 && c[3] < 4 ? 1 : 0.1 + 0.1 * (Number(c[0] === 2) + Number(c[1] === 3)));
    const hits = (screen: number): number => {
      const p = new LearnedProposer(tf, arities, 4, undefined, { hidden: 32, learningRate: 0.003, entropyBonus: 0.15, baselineRate: 0.2, normalize: true, screen, criticWarmup: 16, screenExplore: 0.25, novelty: 0 });
      let found = 0;
      for (let i = 0; i < 12; i++) {
        const batch = p.propose(16);
        const r = batch.map(reward);
        found += r.filter((x) => x === 1).length;
        p.learn(r);
      }
      p.dispose();
      return found;
    };
    expect(hits(16)).toBeGreaterThan(2 * Math.max(1, hits(0)));
  });
});

describe('reward', () => {
  const verdict = (over: Partial<Verdict>): Verdict => ({ hash: 'h', stage: 'simulate', outcome: 'rejected', violated: ['agreement'], detail: '', score: null, ...over });

  test('orders verdicts by how close they came; a repeat earns a quarter', () => {
    const ladder = [
      verdict({ stage: 'parse', violated: [] }),
      verdict({ survival: 0.2 }),
      verdict({ survival: 0.9 }),
      verdict({ stage: 'adversary' }),
      verdict({ stage: 'explore' }),
      verdict({ stage: 'verify' }),
      verdict({ stage: 'verify', outcome: 'kept', violated: [], score: 1.2 }),
    ].map((v) => rewardOf(v, false));
    for (let i = 1; i < ladder.length; i++) expect(ladder[i]).toBeGreaterThan(ladder[i - 1]!);
    expect(rewardOf(verdict({ stage: 'explore' }), true)).toBeCloseTo(0.25 * ladder[4]!);
  });

  test('monotone in the survival share, and below anything that passed the simulator', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(rewardOf(verdict({ survival: lo }), false)).toBeLessThanOrEqual(rewardOf(verdict({ survival: hi }), false));
        expect(rewardOf(verdict({ survival: hi }), false)).toBeLessThan(rewardOf(verdict({ stage: 'adversary' }), false));
      }),
    );
  });
});
