// Hybrid faults at the command line (docs/language.md "Hybrid faults"):
// instances n:t:o, the errors for a missing or misplaced o, what is refused
// up front (proof artefacts, synthesis), and a check whose counterexample
// has both kinds of faulty process and replays.
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { cli } from './helpers/cli';

const dir = mkdtempSync(join(tmpdir(), 'bftsynth-hybrid-cli-'));
const RB = 'specs/sta/rb-hybrid.bft';
const RB_BROKEN = 'specs/sta/rb-hybrid-broken.bft';

describe('hybrid faults in the CLI', () => {
  test('check at n:t:o instances with the process engine: verified there, and said to be only there', () => {
    const r = cli(['check', RB, '--engine', 'process', '--instances', '4:1:0,3:0:1', '--property', 'unforgeable']);
    expect(r.stderr).toContain('unforgeable  n=4 t=1 o=0 fb=0..t fo=0..o R=3  VERIFIED');
    expect(r.stdout).toContain('ReliableBroadcastHybrid: VERIFIED (against up to t Byzantine and up to o omission faults): unforgeable proved at n:t:o = 4:1:0, 3:0:1');
    expect(r.stdout).toContain('not a proof for every n, t and o');
    expect(r.code).toBe(0);
  });

  test('a counterexample with a Byzantine and an omission-faulty process is replayed, written, and replays again from the file', () => {
    const out = join(dir, 'cx.itf.json');
    const r = cli(['check', RB_BROKEN, '--engine', 'process', '--instances', '5:1:1', '--property', 'unforgeable', '--trace-out', out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/unforgeable VIOLATED at n=5 t=1 o=1 fb=1 fo=1/);
    expect(r.stdout).toMatch(/Byzantine \{p\d\} {2}faulty \(omission\): p\d/);
    const replay = cli(['replay', RB_BROKEN, out]);
    expect(replay.stdout).toContain('reproduced');
    expect(replay.code).toBe(0);
    // o is checked like n and t: a state that disagrees with #meta is refused, located (found by review)
    const doc = JSON.parse(readFileSync(out, 'utf8')) as { states: Record<string, unknown>[] };
    for (const s of doc.states) s['o'] = { '#bigint': '7' };
    const tampered = join(dir, 'cx-o7.itf.json');
    writeFileSync(tampered, JSON.stringify(doc));
    const refused = cli(['replay', RB_BROKEN, tampered]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/cx-o7\.itf\.json:1:\d+: states\[0\]\.o: o is 7 here but 1 in #meta/);
  });

  test('o is required for a hybrid file and refused for others, with exit 2', () => {
    const missing = cli(['check', RB, '--engine', 'process', '--instances', '6:1']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--instances: .*o/);
    const extra = cli(['check', 'specs/sta/rb.bft', '--engine', 'counter', '--instances', '4:1:1']);
    expect(extra.code).toBe(2);
    expect(extra.stderr).toMatch(/--instances: .*o/);
    const sim = cli(['simulate', RB, '--n', '6', '--t', '1']);
    expect(sim.code).toBe(2);
    expect(sim.stderr).toMatch(/--o|o \(the omission bound\)/);
  });

  test('proof artefacts and synthesis refuse hybrid files before any work', () => {
    const proofs = cli(['check', RB, '--proofs', join(dir, 'proofs')]);
    expect(proofs.code).toBe(2);
    expect(proofs.stderr).toContain('--proofs: proof artefacts of a hybrid fault model are not kept yet');
    const sketch = join(dir, 'rb.sketch');
    writeFileSync(sketch, readFileSync(RB, 'utf8').replace('n - t - o:', '?acc in { n - t - o | n - t }:'));
    const synth = cli(['synth', sketch, '--out', join(dir, 'synth'), '--budget', '2']);
    expect(synth.code).toBe(2);
    expect(synth.stderr).toContain('synthesis does not take hybrid fault models');
  });
});
