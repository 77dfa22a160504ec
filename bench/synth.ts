// Synthesis benchmark: every sketch x strategy x seed with equal candidate
// budgets, through the same gate. Writes bench/synth.md (a readable table)
// and bench/synth.json (per sketch and strategy, the verifier calls and the
// candidates to the first verified protocol over the seeds).
//
//   node dist/bench/synth.js [--budget 400] [--seeds 5] [--smt-on phase-king-thresholds.bft]
//                            [--sketches a.bft,b.bft] [--strategies learned,random] [--no-adversary] [--out bench]
//
// The last gate stage is the SMT checker (concrete counter engine) on the
// sketches listed by --smt-on ("all" for every one), exhaustive enumeration
// on the default instances (the instances the SMT engine checks) on the
// others. "Verifier calls" counts every distinct candidate the gate ran
// beyond its static checks (simulator, learned adversary, explore, last
// stage); the calls to the last stage alone are a separate column.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { runCampaign } from '../src/synth/campaign';
import type { AdversaryStats } from '../src/synth/gate';
import { DEFAULT_POLICY, type PolicyConfig } from '../src/synth/policy';
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
  verifier: string;
  verifier_calls: number;
  first_verified_at: number | null;
  final_stage_calls: number;
  first_verified_at_final_stage: number | null;
  first_verified_candidate: number | null;
  distinct_verified: number;
  best_score: number | null;
  seconds: number;
  cheap_rejected_share: number;
  adversary: AdversaryStats;
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
  const smtOn = arg('smt-on', 'phase-king-thresholds.bft').split(',');
  const only = arg('sketches', 'all');
  const strategies = arg('strategies', STRATEGIES.join(',')).split(',') as Strategy[];
  const useAdversary = !process.argv.includes('--no-adversary');
  // experiments: --policy '{"learningRate":0.01,...}' overrides the default policy config; --batch N
  const policyArg = arg('policy', '');
  const policy = policyArg === '' ? undefined : { ...DEFAULT_POLICY, ...(JSON.parse(policyArg) as Partial<PolicyConfig>) };
  const batchArg = arg('batch', '');
  const batch = batchArg === '' ? undefined : Number(batchArg);
  const outDir = resolve(root, arg('out', 'bench'));
  const { tf, backend } = await loadTf();
  const dir = join(root, 'specs', 'sketches');
  const rows: Row[] = [];
  // --rows a.log,b.log: no runs, re-render the tables from the per-run lines of earlier runs' stderr
  // (lets sketches run as parallel processes)
  const fromLogs = arg('rows', '');
  for (const log of fromLogs === '' ? [] : fromLogs.split(',')) {
    for (const line of readFileSync(log, 'utf8').split('\n')) {
      const m = /^\S+ \S+ seed \d+: (\{.*\})$/.exec(line);
      if (m !== null) rows.push(JSON.parse(m[1]!) as Row);
    }
  }
  const verifierOf = (name: string): string => (smtOn.includes('all') || smtOn.includes(name) ? 'smt' : 'explore');
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.bft') && (only === 'all' || only.split(',').includes(f))).sort()) {
    const file = join('specs', 'sketches', name);
    if (fromLogs !== '') break;
    const parsed = parseSketch(readFileSync(join(root, file), 'utf8'), file);
    if (!parsed.ok) throw new Error(`${file}: ${parsed.errors[0]!.message}`);
    for (const strategy of strategies) {
      for (let seed = 1; seed <= seeds; seed++) {
        const verifier = verifierOf(name) === 'smt' ? smtVerifier({ timeoutMs: 60000 }) : exploreVerifier();
        const t0 = Date.now();
        const r = await runCampaign({
          sketch: parsed.value,
          strategy,
          seed,
          budget,
          timeS: null,
          outDir: mkdtempSync(join(tmpdir(), 'bftsynth-bench-')),
          resume: false,
          verifier,
          tf,
          adversary: useAdversary,
          ...(policy === undefined ? {} : { policy }),
          ...(batch === undefined ? {} : { batch }),
        });
        await verifier.close?.();
        const g = r.state.gate.stats;
        const distinct = g.evaluated - g.cacheHits;
        const row: Row = {
          sketch: name,
          strategy,
          seed,
          candidates: r.state.candidates,
          verifier: verifier.name,
          verifier_calls: g.gateCalls,
          first_verified_at: r.state.firstVerifiedAt,
          final_stage_calls: g.verifierCalls,
          first_verified_at_final_stage: r.state.firstVerifiedAtFinal,
          first_verified_candidate: r.state.verified[0]?.candidate ?? null,
          distinct_verified: r.state.verified.length,
          best_score: r.best?.score ?? null,
          seconds: (Date.now() - t0) / 1000,
          cheap_rejected_share: distinct === 0 ? 0 : (g.rejected.parse + g.rejected.simulate + g.rejected.adversary + g.rejected.explore) / distinct,
          adversary: g.adversary,
        };
        rows.push(row);
        process.stderr.write(`${name} ${strategy} seed ${seed}: ${JSON.stringify(row)}\n`);
      }
    }
  }
  const json: Record<string, Record<string, unknown>> = {};
  const mean = (xs: number[]): number => xs.reduce((acc, x) => acc + x, 0) / Math.max(1, xs.length);
  // median over every seed, a miss counting as infinitely many calls (so misses are never flattering)
  const medianAll = (xs: (number | null)[]): number | null => {
    const m = median(xs.map((x) => x ?? Infinity));
    return m === null || !Number.isFinite(m) ? null : m;
  };
  const range = (xs: (number | null)[]): string => {
    const found = xs.filter((x): x is number => x !== null);
    const m = medianAll(xs);
    return found.length === 0 ? '-' : `${m === null ? 'miss' : m} [${Math.min(...found)}..${Math.max(...found)}]`;
  };
  const lines = [
    `# Synthesis benchmark`,
    '',
    `\`node dist/bench/synth.js --budget ${budget} --seeds ${seeds} --smt-on ${smtOn.join(',')}${useAdversary ? '' : ' --no-adversary'}\` (equal budget of ${budget} candidates per run, seeds 1..${seeds}, TensorFlow.js backend ${backend}, learned adversary stage ${useAdversary ? 'on' : 'off'}).`,
    '',
    'What is counted. A *verifier call* is a distinct candidate (not a cache hit) that the gate runs beyond its static checks (parse, dead rules, resilience): it reached the simulator, and every stage from there on (built-in adversaries, learned adversary, exhaustive exploration at t = 1, last stage) is a verifier, only a cheaper one. That is the work the gate does; a strategy cannot make its calls cheap by leaving the work to the cheap stages. *Final-stage calls* count calls to the last stage alone (the SMT checker or exhaustive enumeration on the default instances), the figure of the previous benchmark.',
    '',
    'Columns: calls to the first verified protocol, median over all seeds (a seed that found none counts as infinitely many; `miss` when that is the median) [min..max over the seeds that found one]; seeds that found none; distinct verified per 1000 candidates (mean); wall time per run (mean); share of distinct candidates the cheap stages (parse, simulate, learned adversary, explore at t = 1) rejected; the learned adversary: candidates attacked, rejected, and passed but refuted later (by explore + by the last stage), summed over the seeds.',
    '',
    '| sketch | last stage | strategy | verifier calls to first | final-stage calls to first | candidates to first | miss | verified / 1000 | s / run | cheap rejected | adversary attacked / rejected / missed |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  const ratios: string[] = [];
  for (const sketch of [...new Set(rows.map((r) => r.sketch))]) {
    json[sketch] = {};
    for (const strategy of strategies) {
      const rs = rows.filter((r) => r.sketch === sketch && r.strategy === strategy);
      const calls = rs.map((r) => r.first_verified_at);
      const sum = (f: (a: AdversaryStats) => number): number => rs.reduce((acc, r) => acc + f(r.adversary), 0);
      json[sketch]![strategy] = {
        verifier: rs[0]?.verifier,
        verifier_calls_to_first: calls,
        final_stage_calls_to_first: rs.map((r) => r.first_verified_at_final_stage),
        candidates_to_first: rs.map((r) => r.first_verified_candidate),
        median_verifier_calls_to_first: medianAll(calls),
        verified_per_1000: mean(rs.map((r) => (1000 * r.distinct_verified) / Math.max(1, r.candidates))),
        seconds_per_run: mean(rs.map((r) => r.seconds)),
        cheap_rejected_share: mean(rs.map((r) => r.cheap_rejected_share)),
        runs: rs,
      };
      lines.push(
        `| ${sketch} | ${rs[0]?.verifier ?? '-'} | ${strategy} | ${range(calls)} | ${range(rs.map((r) => r.first_verified_at_final_stage))} | ${range(rs.map((r) => r.first_verified_candidate))} | ${rs.filter((r) => r.first_verified_at === null).length} | ${mean(rs.map((r) => (1000 * r.distinct_verified) / Math.max(1, r.candidates))).toFixed(1)} | ${mean(rs.map((r) => r.seconds)).toFixed(1)} | ${(100 * mean(rs.map((r) => r.cheap_rejected_share))).toFixed(1)}% | ${sum((a) => a.attacked)} / ${sum((a) => a.rejected)} / ${sum((a) => a.missedByExplore)} + ${sum((a) => a.missedByVerify)} |`,
      );
    }
    const med = (strategy: string): number | null => medianAll(rows.filter((r) => r.sketch === sketch && r.strategy === strategy).map((r) => r.first_verified_at));
    const l = med('learned');
    const r = med('random');
    if (strategies.includes('learned') && strategies.includes('random')) {
      ratios.push(`- ${sketch}: random ${r ?? 'miss'} / learned ${l ?? 'miss'} = ${l !== null && r !== null ? (r / l).toFixed(2) + 'x' : l !== null ? 'learned better (random missed)' : 'n/a'} (target: >= 3x)`);
    }
  }
  lines.push('', 'Median verifier calls to the first verified protocol, random over learned:', '', ...ratios);
  const mdFile = join(outDir, 'synth.md');
  let notes = '';
  try {
    const old = readFileSync(mdFile, 'utf8');
    const k = old.indexOf(NOTES);
    if (k >= 0) notes = old.slice(k);
  } catch {
    // first run: no notes yet
  }
  writeFileSync(join(outDir, 'synth.json'), JSON.stringify({ budget, seeds, smt_on: smtOn, adversary: useAdversary, backend, counting: 'verifier_calls: distinct candidates past the static checks; final_stage_calls: calls to the last stage', results: json }, null, 2) + '\n');
  writeFileSync(mdFile, lines.join('\n') + '\n' + (notes === '' ? '' : '\n' + notes));
  process.stdout.write(lines.join('\n') + '\n');
}

/** Everything in synth.md from this marker on is hand-written analysis, kept across runs. */
const NOTES = '<!-- notes: kept across runs -->';

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(4);
  },
);
