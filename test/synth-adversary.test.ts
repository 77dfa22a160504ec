// The adversary network: its rejections are ordinary replayable runs, it
// learns from counterexamples, never leaks tensors, survives save/load, and
// a campaign with it resumes bit for bit.
import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { protocolHash } from '../src/ir/hash';
import type { Protocol } from '../src/ir/types';
import { parseProtocol } from '../src/lang';
import { explore } from '../src/sim/explore';
import { replayTrace } from '../src/sim/replay';
import { DEFAULT_ADVERSARY, LearnedAdversary } from '../src/synth/adversary-net';
import { runCampaign } from '../src/synth/campaign';
import { defaultInstances } from '../src/synth/score';
import { parseSketch } from '../src/synth/sketch';
import { loadTf, type Tf } from '../src/synth/tf';
import { exploreVerifier } from '../src/synth/verifier';

const ROOT = join(__dirname, '..');

function load(file: string): Protocol {
  const r = parseProtocol(readFileSync(join(ROOT, file), 'utf8'), file);
  if (!r.ok) throw new Error(`${file} does not parse`);
  return r.value;
}

let tf: Tf;
beforeAll(async () => {
  tf = (await loadTf()).tf;
});

describe('learned adversary', () => {
  test('rejections are replayable runs; a correct protocol is never rejected', () => {
    const net = new LearnedAdversary(tf, 3);
    const broken = load('specs/decide-zero.bft');
    const hash = protocolHash(broken);
    // only unanimous inputs 1 break it: a few attacks (it learns from each) find them
    let a = net.attack(broken, hash, defaultInstances(broken));
    for (let k = 0; k < 5 && a.violated.length === 0; k++) a = net.attack(broken, hash, defaultInstances(broken));
    expect(a.violated).toEqual(['validity']);
    expect(a.witness).not.toBeNull();
    expect(replayTrace(broken, a.witness!).ok).toBe(true);
    const good = load('specs/phase-king-3round.bft');
    for (let k = 0; k < 3; k++) expect(net.attack(good, protocolHash(good), defaultInstances(good)).violated).toEqual([]);
    net.dispose();
  });

  test('imitation raises the likelihood of a counterexample; no tensor leaks; save/load keeps the weights', () => {
    const p = load('specs/phase-king-3round-n3t.bft');
    const hash = protocolHash(p);
    const inst = defaultInstances(p)[0]!;
    const ex = explore(p, { n: inst.n, t: inst.t, hash });
    if (!ex.ok) throw new Error('explore');
    const witness = [ex.value.agreement, ex.value.validity, ex.value.termination].find((v) => v.status === 'violated');
    if (witness === undefined || witness.status !== 'violated') throw new Error('expected a counterexample');
    const net = new LearnedAdversary(tf, 5, undefined, { ...DEFAULT_ADVERSARY, episodes: 2 });
    net.attack(p, hash, [inst]);
    const before = tf.memory().numTensors;
    const nll = (): number => net.logLikelihood(p, witness.witness);
    const l0 = nll();
    for (let k = 0; k < 10; k++) expect(net.imitate(p, witness.witness)).toBeGreaterThan(0);
    expect(nll()).toBeGreaterThan(l0);
    for (let k = 0; k < 20; k++) net.attack(p, hash, [inst]);
    expect(tf.memory().numTensors).toBe(before);
    const saved = JSON.parse(JSON.stringify(net.save())) as unknown;
    const copy = new LearnedAdversary(tf, 999, saved, { ...DEFAULT_ADVERSARY, episodes: 2 });
    expect(copy.logLikelihood(p, witness.witness)).toBe(nll());
    expect(copy.attack(p, hash, [inst])).toEqual(net.attack(p, hash, [inst]));
    net.dispose();
    copy.dispose();
    expect(tf.memory().numTensors).toBe(before - 12);
  });

  test('campaign: the adversary stage is counted, checkpointed and resumed bit for bit', async () => {
    const file = join('specs', 'sketches', 'phase-king-thresholds.bft');
    const sk = parseSketch(readFileSync(join(ROOT, file), 'utf8'), file);
    if (!sk.ok) throw new Error('sketch');
    const opts = { sketch: sk.value, strategy: 'learned' as const, seed: 4, timeS: null, resume: false, verifier: exploreVerifier(), tf };
    const straight = await runCampaign({ ...opts, budget: 64, outDir: mkdtempSync(join(tmpdir(), 'bftsynth-adv-')) });
    const g = straight.state.gate.stats;
    expect(g.adversary.attacked).toBeGreaterThan(0);
    expect(g.adversary.rejected).toBe(g.rejected.adversary);
    expect(g.adversary.attacked).toBe(g.adversary.rejected + g.adversary.missedByExplore + g.adversary.missedByVerify + g.kept + g.unknown);
    expect(g.gateCalls).toBeGreaterThanOrEqual(g.verifierCalls);
    const outDir = mkdtempSync(join(tmpdir(), 'bftsynth-adv-'));
    await runCampaign({ ...opts, budget: 32, outDir });
    const resumed = await runCampaign({ ...opts, budget: 64, outDir, resume: true });
    expect(resumed.state.adversary).toEqual(straight.state.adversary);
    expect(resumed.state.gate).toEqual(straight.state.gate);
    expect(resumed.state.curve).toEqual(straight.state.curve);
    await expect(runCampaign({ ...opts, budget: 80, outDir, resume: true, adversary: false })).rejects.toThrow('with the learned adversary');
  });
});
