// Proposer lab: replays a strategy against a sketch's verdict table (see
// table.ts) exactly as the campaign would (same batches, same rewards, same
// counting of verifier calls), minus the gate's cost. Many seeds in seconds.
//
// Writes bench/proposers.md and bench/proposers.json.
//
//   node dist/bench/lab/proposers.js [--seeds 60] [--budget 800] [--sketches a.bft,b.bft]
//        [--variants random,previous,reinforce,learned] [--policy '{"novelty":0.5}' [--reward previous]] [--batch 16] [--out bench]
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { rewardOf, type Verdict } from '../../src/synth/gate';
import { DEFAULT_POLICY, LearnedProposer, type PolicyConfig } from '../../src/synth/policy';
import { EnumerateProposer, RandomProposer, type Proposer, type Strategy } from '../../src/synth/proposer';
import { loadTf, type Tf } from '../../src/synth/tf';
import { cachedTable, type VerdictTable } from './table';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

/** A completion's position in the table (mixed radix, last hole fastest: the order EnumerateProposer visits). */
export function tableIndex(arities: readonly number[], choices: readonly number[]): number {
  return choices.reduce((acc, c, h) => acc * arities[h]! + c, 0);
}

export interface LabRun {
  /** verifier calls (distinct candidates past the static checks) to the first kept one; null if none. */
  first: number | null;
  calls: number;
  kept: number;
  /** calls before the first kept one that got past the simulation stage. */
  deep: number;
}

type Reward = (v: Verdict, repeat: boolean) => number;

/**
 * Rewards to compare: the production one (gate.ts rewardOf) and the one it
 * replaced (kept here to measure the change: credit by which property
 * failed and how far the candidate got, blind to how often it failed).
 */
const REWARDS: Record<string, Reward> = {
  production: rewardOf,
  previous: (v, repeat) => {
    const depth = { parse: 0, simulate: 0, adversary: 0.05, explore: 0.1, verify: 0.2 }[v.stage];
    const agreement = !v.violated.includes('agreement');
    const validity = !v.violated.includes('validity');
    const base = v.outcome === 'kept' ? (v.score ?? 1) : v.outcome === 'unknown' ? 0.5 : v.stage === 'parse' ? 0 : (agreement && validity ? 0.3 : agreement || validity ? 0.1 : 0.02) + depth;
    return repeat ? 0.25 * base : base;
  },
};

export function labRun(table: VerdictTable, proposer: Proposer, budget: number, batchSize: number, reward: Reward = rewardOf): LabRun {
  const seen = new Set<string>();
  const keptSeen = new Set<number>();
  let candidates = 0;
  let calls = 0;
  let first: number | null = null;
  let deep = 0;
  while (candidates < budget) {
    const batch = proposer.propose(Math.min(batchSize, budget - candidates));
    if (batch.length === 0) break;
    const rewards = batch.map((choices) => {
      candidates++;
      const e = table.entries[tableIndex(table.arities, choices)]!;
      const key = e.h < 0 ? `parse:${choices.join('.')}` : String(e.h);
      const cached = seen.has(key);
      seen.add(key);
      if (!cached && e.stage !== 'parse') calls++;
      if (!cached && first === null && e.stage !== 'parse' && e.stage !== 'simulate') deep++;
      const isNew = e.outcome === 'kept' && !keptSeen.has(e.h);
      if (isNew) {
        keptSeen.add(e.h);
        first ??= calls;
      }
      const v: Verdict = { hash: null, stage: e.stage, outcome: e.outcome, violated: e.violated as Verdict['violated'], detail: '', score: e.score, ...(e.survival === undefined ? {} : { survival: e.survival }) };
      return reward(v, cached || (e.outcome === 'kept' && !isNew));
    });
    proposer.learn(rewards);
  }
  return { first, calls, kept: keptSeen.size, deep };
}

interface Variant {
  name: string;
  what: string;
  strategy: Strategy;
  policy?: PolicyConfig;
  reward: Reward;
}

const VARIANTS: Variant[] = [
  { name: 'random', what: 'uniform random completions', strategy: 'random', reward: rewardOf },
  { name: 'previous', what: 'REINFORCE alone with the previous reward (the learned proposer before the critic)', strategy: 'learned', policy: { ...DEFAULT_POLICY, screen: 0 }, reward: REWARDS.previous! },
  { name: 'reinforce', what: 'REINFORCE alone with the survival reward (isolates the reward change)', strategy: 'learned', policy: { ...DEFAULT_POLICY, screen: 0 }, reward: rewardOf },
  { name: 'learned', what: 'the learned proposer as shipped: REINFORCE + survival reward + critic screening', strategy: 'learned', policy: DEFAULT_POLICY, reward: rewardOf },
];

function make(v: Variant, tf: Tf, arities: number[], seed: number): Proposer {
  switch (v.strategy) {
    case 'random':
      return new RandomProposer(arities, seed);
    case 'enumerate':
      return new EnumerateProposer(arities);
    case 'learned':
      return new LearnedProposer(tf, arities, seed, undefined, v.policy ?? DEFAULT_POLICY);
  }
}

/** Median over all runs, a miss counting as infinitely many calls. */
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

const show = (x: number): string => (Number.isFinite(x) ? String(x) : 'miss');

async function main(): Promise<void> {
  const root = join(__dirname, '..', '..', '..');
  const seeds = Number(arg('seeds', '60'));
  const budget = Number(arg('budget', '800'));
  const batch = Number(arg('batch', '16'));
  const only = arg('sketches', 'all');
  const names = arg('variants', VARIANTS.map((v) => v.name).join(',')).split(',');
  const custom = arg('policy', '');
  const variants = VARIANTS.filter((v) => names.includes(v.name));
  // ad-hoc experiments: --policy '{...}' [--reward previous] adds a variant "custom"
  if (custom !== '') variants.push({ name: 'custom', what: custom, strategy: 'learned', policy: { ...DEFAULT_POLICY, ...(JSON.parse(custom) as Partial<PolicyConfig>) }, reward: REWARDS[arg('reward', 'production')]! });
  const out = arg('out', 'bench');
  const { tf, backend } = await loadTf();
  const dir = join(root, 'specs', 'sketches');
  const files = readdirSync(dir).filter((f) => f.endsWith('.bft') && (only === 'all' || only.split(',').includes(f))).sort();
  const json: Record<string, unknown> = {};
  const md: string[] = [];
  const ratios: string[] = [];
  const spaces: string[] = [];
  for (const name of files) {
    const table = await cachedTable(root, join('specs', 'sketches', name), (l) => process.stderr.write(l + '\n'));
    const reaching = table.entries.filter((e) => e.stage !== 'parse').length;
    const kept = table.entries.filter((e) => e.outcome === 'kept').length;
    spaces.push(`| ${name} | ${table.entries.length} | ${reaching} | ${kept} | ${(reaching / Math.max(1, kept)).toFixed(0)} |`);
    json[name] = { completions: table.entries.length, past_static_checks: reaching, kept };
    const medians: Record<string, number> = {};
    for (const v of variants) {
      const runs: LabRun[] = [];
      const t0 = Date.now();
      for (let seed = 1; seed <= seeds; seed++) {
        const p = make(v, tf, table.arities, seed);
        runs.push(labRun(table, p, budget, batch, v.reward));
        if (p instanceof LearnedProposer) p.dispose();
      }
      const firsts = runs.map((r) => r.first ?? Infinity);
      const before = runs.reduce((a, r) => a + (r.first ?? r.calls), 0);
      medians[v.name] = median(firsts);
      const row = {
        median_calls_to_first: Number.isFinite(median(firsts)) ? median(firsts) : null,
        quartiles: [quantile(firsts, 0.25), quantile(firsts, 0.75)].map((x) => (Number.isFinite(x) ? x : null)),
        misses: runs.filter((r) => r.first === null).length,
        past_simulator_share_before_first: before === 0 ? 0 : runs.reduce((a, r) => a + r.deep, 0) / before,
        kept_per_run: runs.reduce((a, r) => a + r.kept, 0) / seeds,
        seconds_per_run: (Date.now() - t0) / 1000 / seeds,
        calls_to_first: runs.map((r) => r.first),
      };
      (json[name] as Record<string, unknown>)[v.name] = row;
      md.push(`| ${name} | ${v.name} | ${show(median(firsts))} [${show(quantile(firsts, 0.25))}..${show(quantile(firsts, 0.75))}] | ${row.misses} | ${(100 * row.past_simulator_share_before_first).toFixed(1)}% | ${row.kept_per_run.toFixed(1)} | ${row.seconds_per_run.toFixed(2)} |`);
      process.stderr.write(`${name} ${v.name}: median ${show(median(firsts))}, misses ${row.misses}/${seeds}\n`);
    }
    if (medians.random !== undefined) {
      const cmp = variants.filter((v) => v.name !== 'random').map((v) => `${v.name} ${Number.isFinite(medians[v.name]!) ? (medians.random / medians[v.name]!).toFixed(2) + 'x' : 'n/a (median is a miss)'}`);
      ratios.push(`- ${name}: ${cmp.join(', ')}`);
    }
  }
  const lines = [
    '# Proposer lab',
    '',
    `\`node dist/bench/lab/proposers.js --seeds ${seeds} --budget ${budget}\` (TensorFlow.js backend ${backend}; ${seeds} seeds per variant, budget ${budget} candidates, batches of ${batch}).`,
    '',
    'Each sketch\'s completions all went once through the gate\'s deterministic stages (static checks, simulation battery, exploration at t = 1, exhaustive enumeration on the default instances; no learned adversary), and the verdicts were cached (bench/lab/cache, rebuilt when a sketch changes). A lab run replays a proposer against that table exactly as a campaign would: same batches, same rewards, same count of verifier calls (distinct candidates past the static checks). So many seeds cost seconds instead of hours, and the figures measure the proposer alone. The full campaign benchmark (bench/synth.md) runs the real gate, with the learned adversary and the SMT checker, on 5 seeds.',
    '',
    'The search spaces, exactly:',
    '',
    '| sketch | completions | past the static checks | kept | past-static per kept |',
    '| --- | --- | --- | --- | --- |',
    ...spaces,
    '',
    'Variants:',
    '',
    ...variants.map((v) => `- \`${v.name}\`: ${v.what}`),
    '',
    'Columns: verifier calls to the first kept protocol, median over all seeds (a miss counts as infinitely many) [quartiles]; seeds that found none within the budget; share of the calls before the first find that got past the simulation stage (how well the proposer homes in on near misses); distinct kept protocols per run; proposer seconds per run (the gate\'s time excluded).',
    '',
    '| sketch | variant | calls to first | misses | past simulator before first | kept / run | s / run |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...md,
    '',
    'Median calls to the first kept protocol, random over each variant:',
    '',
    ...ratios,
  ];
  const mdFile = join(root, out, 'proposers.md');
  let notes = '';
  if (existsSync(mdFile)) {
    const old = readFileSync(mdFile, 'utf8');
    const k = old.indexOf(NOTES);
    if (k >= 0) notes = old.slice(k);
  }
  writeFileSync(join(root, out, 'proposers.json'), JSON.stringify({ seeds, budget, batch, backend, results: json }, null, 2) + '\n');
  writeFileSync(mdFile, lines.join('\n') + '\n' + (notes === '' ? '' : '\n' + notes));
  process.stdout.write(lines.join('\n') + '\n');
}

/** Everything in proposers.md from this marker on is hand-written analysis, kept across runs. */
const NOTES = '<!-- notes: kept across runs -->';

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(4);
    },
  );
}
