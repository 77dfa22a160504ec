// Synthesis benchmark: every sketch x strategy x seed with equal candidate
// budgets, through the same gate. Writes bench/synth.md (a readable table)
// and bench/synth.json (per sketch and strategy, the verifier calls and the
// candidates to the first verified protocol over the seeds).
//
//   node dist/bench/synth.js [--budget 400] [--seeds 5] [--verifier explore|smt]
//
// The last gate stage defaults to exhaustive enumeration on the default
// instances (the same instances the concrete SMT engine checks) because the
// SMT engine is still too slow for 45 campaigns; "verifier calls" counts
// calls to that last stage either way.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { runCampaign } from '../src/synth/campaign';
import { STRATEGIES, type Strategy } from '../src/synth/proposer';
import { parseSketch } from '../src/synth/sketch';
import { smtVerifier } from '../src/synth/smt-verifier';
import { loadTf } from '../src/synth/tf';
import { exploreVerifier } from '../src/synth/verifier';

interface Row {
  sketch: string;
  strategy: Strategy;
  seed: number;
  candidates: number;
  verifier_calls: number;
  first_verified_at: number | null;
  first_verified_candidate: number | null;
  distinct_verified: number;
  best_score: number | null;
  seconds: number;
  cheap_rejected_share: number;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

async function main(): Promise<void> {
  const root = join(__dirname, '..', '..');
  const budget = Number(arg('budget', '400'));
  const seeds = Number(arg('seeds', '5'));
  const which = arg('verifier', 'explore');
  const { tf, backend } = await loadTf();
  const dir = join(root, 'specs', 'sketches');
  const rows: Row[] = [];
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.bft')).sort()) {
    const file = join('specs', 'sketches', name);
    const parsed = parseSketch(readFileSync(join(root, file), 'utf8'), file);
    if (!parsed.ok) throw new Error(`${file}: ${parsed.errors[0]!.message}`);
    for (const strategy of STRATEGIES) {
      for (let seed = 1; seed <= seeds; seed++) {
        const verifier = which === 'smt' ? smtVerifier({ timeoutMs: 60000 }) : exploreVerifier();
        const t0 = Date.now();
        const r = await runCampaign({ sketch: parsed.value, strategy, seed, budget, timeS: null, outDir: mkdtempSync(join(tmpdir(), 'bftsynth-bench-')), resume: false, verifier, tf });
        await verifier.close?.();
        const g = r.state.gate.stats;
        const distinct = g.evaluated - g.cacheHits;
        const row: Row = {
          sketch: name,
          strategy,
          seed,
          candidates: r.state.candidates,
          verifier_calls: g.verifierCalls,
          first_verified_at: r.state.firstVerifiedAt,
          first_verified_candidate: r.state.verified[0]?.candidate ?? null,
          distinct_verified: r.state.verified.length,
          best_score: r.best?.score ?? null,
          seconds: (Date.now() - t0) / 1000,
          cheap_rejected_share: distinct === 0 ? 0 : (g.rejected.parse + g.rejected.simulate + g.rejected.explore) / distinct,
        };
        rows.push(row);
        process.stderr.write(`${name} ${strategy} seed ${seed}: ${JSON.stringify(row)}\n`);
      }
    }
  }
  const json: Record<string, Record<string, unknown>> = {};
  const lines = [
    `# Synthesis benchmark`,
    '',
    `Budget ${budget} candidates per run, seeds 1..${seeds}, last stage: ${which}, TensorFlow.js backend: ${backend}.`,
    'Columns: verifier calls / candidates to the first verified protocol (median [min..max] over the seeds that found one; `miss` counts seeds that found none), distinct verified per 1000 candidates (mean), wall time per run (mean), share of distinct candidates the cheap stages (parse, simulate, explore at t = 1) rejected.',
    '',
    '| sketch | strategy | calls to first (median [range]) | candidates to first (median [range]) | miss | verified / 1000 | s / run | cheap rejected |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const sketch of [...new Set(rows.map((r) => r.sketch))]) {
    json[sketch] = {};
    for (const strategy of STRATEGIES) {
      const rs = rows.filter((r) => r.sketch === sketch && r.strategy === strategy);
      const calls = rs.map((r) => r.first_verified_at).filter((x): x is number => x !== null);
      const cands = rs.map((r) => r.first_verified_candidate).filter((x): x is number => x !== null);
      const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
      json[sketch]![strategy] = {
        verifier_calls_to_first: rs.map((r) => r.first_verified_at),
        candidates_to_first: rs.map((r) => r.first_verified_candidate),
        verified_per_1000: mean(rs.map((r) => (1000 * r.distinct_verified) / Math.max(1, r.candidates))),
        seconds_per_run: mean(rs.map((r) => r.seconds)),
        cheap_rejected_share: mean(rs.map((r) => r.cheap_rejected_share)),
        runs: rs,
      };
      const range = (xs: number[]): string => (xs.length === 0 ? '-' : `${median(xs)} [${Math.min(...xs)}..${Math.max(...xs)}]`);
      lines.push(
        `| ${sketch} | ${strategy} | ${range(calls)} | ${range(cands)} | ${rs.length - calls.length} | ${mean(rs.map((r) => (1000 * r.distinct_verified) / Math.max(1, r.candidates))).toFixed(1)} | ${mean(rs.map((r) => r.seconds)).toFixed(1)} | ${(100 * mean(rs.map((r) => r.cheap_rejected_share))).toFixed(1)}% |`,
      );
    }
  }
  writeFileSync(join(root, 'bench', 'synth.json'), JSON.stringify({ budget, seeds, verifier: which, backend, results: json }, null, 2) + '\n');
  writeFileSync(join(root, 'bench', 'synth.md'), lines.join('\n') + '\n');
  process.stdout.write(lines.join('\n') + '\n');
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(4);
  },
);
