// Soak: long runs in one process, recording memory, to show that nothing
// accumulates. Writes bench/soak.md and bench/soak.json.
//
//  - checks: hundreds of checks (as a synthesis campaign makes), to show that
//    Z3 contexts and solvers are released;
//  - campaign: a synthesis campaign of a few thousand candidates with the
//    default gate (learned proposer, learned adversary, SMT checker), run in
//    a child process of its own (`node --expose-gc dist/bench/soak.js
//    --campaign BUDGET`) so its TensorFlow.js and Z3 start as they do for
//    `bftsynth synth`, and so it can force a full garbage collection before
//    each sample: what is measured is what the campaign retains, not garbage
//    the collector has not reached yet.
import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { checkOne } from '../src/check/check';
import type { Protocol } from '../src/ir/types';
import { parseProtocol } from '../src/lang';
import { CRITIC_HISTORY_CAP } from '../src/synth/critic';
import { shutdownZ3 } from '../src/smt/z3';
import type { Property } from '../src/trace/model';

const SPECS = ['phase-king.bft', 'phase-king-t-phases.bft', 'quorum-vote.bft'];
const PROPERTIES: Property[] = ['agreement', 'validity', 'termination'];

/** The campaign soak's size: about 3 minutes on 2 idle cores (the issue's reproduction, `synth --budget 3000`). */
export const CAMPAIGN_BUDGET = 3000;
/** A sample every this many candidates (ten batches of 16: a sample falls on a checkpoint). */
const CAMPAIGN_EVERY = 160;
/** The campaign's resident memory levels off when a straight line fitted to its second half rises less than this share over it. */
const PLATEAU_SHARE = 0.05;
const CAMPAIGN_SKETCH = join('specs', 'sketches', 'phase-king-thresholds.bft');
const CAMPAIGN_SEED = 1;

interface Sample {
  checks: number;
  rss_mb: number;
  heap_mb: number;
  elapsed_ms: number;
}

export interface CampaignSample {
  candidates: number;
  /** distinct candidates judged (the gate's verdict cache; the critic's data is a subset). */
  distinct: number;
  verified: number;
  /** calls to the SMT checker. */
  smt_calls: number;
  /** resident memory just before the forced collection (what `ps` would show), and after it. */
  rss_before_gc_mb: number;
  rss_mb: number;
  heap_mb: number;
  external_mb: number;
  array_buffers_mb: number;
  tf_tensors: number;
  tf_mb: number;
  elapsed_ms: number;
}

export interface CampaignSoak {
  sketch: string;
  seed: number;
  budget: number;
  backend: string;
  samples: CampaignSample[];
  /** resident memory after the campaign, once Z3 is shut down and a collection ran. */
  rss_after_z3_mb: number;
  /** VmHWM: the highest resident memory of the whole run. */
  peak_rss_mb: number;
}

function load(root: string, name: string): Protocol {
  const text = readFileSync(join(root, 'specs', name), 'utf8');
  const r = parseProtocol(text, name);
  if (!r.ok) throw new Error(`${name}: ${r.errors.map((e) => e.message).join('; ')}`);
  return r.value;
}

const mb = (bytes: number): number => Math.round(bytes / 1e5) / 10;

/** A full collection when the process runs with --expose-gc (the campaign child does). */
function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
}

function peakRssMb(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m === null ? 0 : Math.round(Number(m[1]) / 1000);
}

/** The campaign soak itself (in the child process): samples every CAMPAIGN_EVERY candidates. */
async function campaignSoak(root: string, budget: number): Promise<CampaignSoak> {
  const { runCampaign } = await import('../src/synth/campaign');
  const { parseSketch } = await import('../src/synth/sketch');
  const { loadTf } = await import('../src/synth/tf');
  const { smtVerifier } = await import('../src/synth/smt-verifier');
  const file = join(root, CAMPAIGN_SKETCH);
  const sketch = parseSketch(readFileSync(file, 'utf8'), CAMPAIGN_SKETCH);
  if (!sketch.ok) throw new Error(`${CAMPAIGN_SKETCH}: ${sketch.errors.map((e) => e.message).join('; ')}`);
  const { tf, backend } = await loadTf();
  // the CLI's defaults (synth.ts): a 60 s timeout per query
  const verifier = smtVerifier({ timeoutMs: 60_000 });
  const outDir = mkdtempSync(join(tmpdir(), 'bftsynth-soak-'));
  const samples: CampaignSample[] = [];
  const t0 = Date.now();
  const sample = (candidates: number, distinct: number, verified: number, smtCalls: number): void => {
    const before = process.memoryUsage().rss;
    collect();
    const m = process.memoryUsage();
    const t = tf.memory();
    samples.push({
      candidates,
      distinct,
      verified,
      smt_calls: smtCalls,
      rss_before_gc_mb: mb(before),
      rss_mb: mb(m.rss),
      heap_mb: mb(m.heapUsed),
      external_mb: mb(m.external),
      array_buffers_mb: mb(m.arrayBuffers),
      tf_tensors: t.numTensors,
      tf_mb: mb(t.numBytes),
      elapsed_ms: Date.now() - t0,
    });
    process.stderr.write(`campaign soak: ${candidates}/${budget} candidates, rss ${mb(m.rss)} MB, JS heap ${mb(m.heapUsed)} MB, ${t.numTensors} tensors\n`);
  };
  try {
    sample(0, 0, 0, 0);
    await runCampaign({
      sketch: sketch.value,
      strategy: 'learned',
      seed: CAMPAIGN_SEED,
      budget,
      timeS: null,
      outDir,
      resume: false,
      verifier,
      tf,
      onCheckpoint: (s) => {
        if (s.candidates % CAMPAIGN_EVERY === 0 || s.candidates >= budget) sample(s.candidates, Object.keys(s.gate.verdicts).length, s.verified.length, s.gate.stats.verifierCalls);
      },
    });
  } finally {
    await verifier.close?.();
    rmSync(outDir, { recursive: true, force: true });
  }
  collect();
  return { sketch: CAMPAIGN_SKETCH, seed: CAMPAIGN_SEED, budget, backend, samples, rss_after_z3_mb: mb(process.memoryUsage().rss), peak_rss_mb: peakRssMb() };
}

/** Runs the campaign soak in a child process (this file with --campaign); null when it fails. */
function runCampaignChild(root: string, budget: number, log: (line: string) => void): CampaignSoak | null {
  const r = spawnSync(process.execPath, ['--expose-gc', __filename, '--campaign', String(budget), root], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' });
  if (r.status !== 0) {
    log(`campaign soak: the child exited with ${r.status ?? r.signal}`);
    return null;
  }
  // the result is the last line (a library may print before it)
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as CampaignSoak;
}

/** Least-squares slope of y against x. */
function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

export interface Plateau {
  /** the first sample of the second half, and the last. */
  from: CampaignSample;
  to: CampaignSample;
  /** a straight line fitted to the second half's resident memory: its rise over the second half, MB and as a share of its mean. */
  rise_mb: number;
  rise_share: number;
  /** the same over the first half, for contrast. */
  first_half_rise_mb: number;
  /** JS heap per distinct candidate over the whole run (the verdict cache and the critic's data grow with them, by design). */
  heap_kb_per_distinct: number;
  tensors_min: number;
  tensors_max: number;
  levels_off: boolean;
}

/** The plateau statement, computed from the samples. */
export function plateauOf(samples: readonly CampaignSample[]): Plateau {
  const run = samples.filter((s) => s.candidates > 0);
  const last = run[run.length - 1]!;
  const half = last.candidates / 2;
  const second = run.filter((s) => s.candidates >= half);
  const first = run.filter((s) => s.candidates <= half);
  const rise = (part: readonly CampaignSample[]): number => {
    if (part.length < 2) return 0;
    const xs = part.map((s) => s.candidates);
    return slope(xs, part.map((s) => s.rss_mb)) * (xs[xs.length - 1]! - xs[0]!);
  };
  const secondRise = rise(second);
  const mean = second.reduce((s, x) => s + x.rss_mb, 0) / second.length;
  const tensors = run.map((s) => s.tf_tensors);
  return {
    from: second[0]!,
    to: last,
    rise_mb: Math.round(secondRise * 10) / 10,
    rise_share: Math.round((secondRise / mean) * 1000) / 1000,
    first_half_rise_mb: Math.round(rise(first) * 10) / 10,
    heap_kb_per_distinct: Math.round(slope(run.map((s) => s.distinct), run.map((s) => s.heap_mb)) * 1000 * 10) / 10,
    tensors_min: Math.min(...tensors),
    tensors_max: Math.max(...tensors),
    levels_off: secondRise / mean < PLATEAU_SHARE,
  };
}

function campaignMarkdown(c: CampaignSoak, p: Plateau): string[] {
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
  const sign = (x: number): string => `${x >= 0 ? '+' : ''}${x}`;
  return [
    '## A synthesis campaign',
    '',
    `\`bftsynth synth --budget ${c.budget}\` as the CLI runs it (sketch ${c.sketch}, seed ${c.seed}, learned proposer and adversary, the SMT checker as the last stage, TensorFlow.js on ${c.backend}), in a process of its own, sampled every ${CAMPAIGN_EVERY} candidates after a forced full garbage collection (\`rss before GC\` is what \`ps\` showed just before it).`,
    '',
    `**${p.levels_off ? 'Resident memory levels off' : 'Resident memory is still climbing'}**: over the second half (candidates ${p.from.candidates} to ${p.to.candidates}) a straight line fitted to it rises ${sign(p.rise_mb)} MB (${pct(p.rise_share)} of its mean; the plateau criterion is below ${pct(PLATEAU_SHARE)}), against ${sign(p.first_half_rise_mb)} MB over the first half; ${p.from.rss_mb} MB at ${p.from.candidates} candidates, ${p.to.rss_mb} MB at ${p.to.candidates}. TensorFlow.js tensors: ${p.tensors_min === p.tensors_max ? `${p.tensors_min} throughout` : `${p.tensors_min} to ${p.tensors_max}`}. The JS heap grows by ${p.heap_kb_per_distinct} KB per distinct candidate judged: the gate's verdict cache and the critic's data, kept by design and bounded by the sketch's completions (the critic fits at most its most recent ${CRITIC_HISTORY_CAP.toLocaleString('en-US')} rewarded candidates). After the campaign, once Z3 is shut down and a collection ran: ${c.rss_after_z3_mb} MB; highest resident memory of the run: ${c.peak_rss_mb} MB.`,
    '',
    '| candidates | distinct | verified | SMT calls | rss MB | rss before GC MB | JS heap MB | external MB | tf tensors | tf MB | elapsed s |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...c.samples.map((s) => `| ${s.candidates} | ${s.distinct} | ${s.verified} | ${s.smt_calls} | ${s.rss_mb} | ${s.rss_before_gc_mb} | ${s.heap_mb} | ${s.external_mb} | ${s.tf_tensors} | ${s.tf_mb} | ${(s.elapsed_ms / 1000).toFixed(1)} |`),
    '',
  ];
}

async function checkSoak(root: string, checks: number, log: (line: string) => void): Promise<Sample[]> {
  const protocols = SPECS.map((s) => load(root, s));
  const samples: Sample[] = [];
  const t0 = Date.now();
  const sample = (done: number): void => {
    const m = process.memoryUsage();
    samples.push({ checks: done, rss_mb: Math.round(m.rss / 1e6), heap_mb: Math.round(m.heapUsed / 1e6), elapsed_ms: Date.now() - t0 });
  };
  sample(0);
  for (let i = 0; i < checks; i++) {
    const p = protocols[i % protocols.length]!;
    await checkOne(p, 'counter', { n: 5, t: 1, rounds: 4 }, PROPERTIES[Math.floor(i / protocols.length) % 3]!, 20_000);
    if ((i + 1) % 50 === 0) {
      sample(i + 1);
      log(`soak: ${i + 1}/${checks} checks, rss ${samples[samples.length - 1]!.rss_mb} MB`);
    }
  }
  await shutdownZ3();
  return samples;
}

/** Both soaks; writes bench/soak.md and bench/soak.json. */
export async function runSoak(root: string, checks: number, log: (line: string) => void, budget = CAMPAIGN_BUDGET): Promise<Sample[]> {
  const samples = await checkSoak(root, checks, log);
  log(`soak: a campaign of ${budget} candidates in a child process`);
  const campaign = runCampaignChild(root, budget, log);
  const first = samples.find((s) => s.checks >= Math.min(100, checks)) ?? samples[0]!;
  const last = samples[samples.length - 1]!;
  const plateau = campaign === null ? null : plateauOf(campaign.samples);
  const md = [
    '# Soak benchmark',
    '',
    `Written by \`make bench\` (bench/soak.ts) on ${new Date().toISOString()}; the samples are in bench/soak.json.`,
    '',
    '## Checks',
    '',
    `${checks} checks (counter engine, n = 5, t = 1, four rounds; ${SPECS.join(', ')} round-robin over the three properties, verified and violated ones, so counterexamples are decoded and replayed too) in one process. Resident memory after ${first.checks} checks: ${first.rss_mb} MB; after ${last.checks}: ${last.rss_mb} MB (${last.rss_mb - first.rss_mb >= 0 ? '+' : ''}${last.rss_mb - first.rss_mb} MB).`,
    '',
    '| checks | rss MB | JS heap MB | elapsed s |',
    '|---:|---:|---:|---:|',
    ...samples.map((s) => `| ${s.checks} | ${s.rss_mb} | ${s.heap_mb} | ${(s.elapsed_ms / 1000).toFixed(1)} |`),
    '',
    ...(campaign === null || plateau === null ? ['## A synthesis campaign', '', 'The campaign soak failed (see the bench log).', ''] : campaignMarkdown(campaign, plateau)),
  ].join('\n');
  writeFileSync(join(root, 'bench', 'soak.md'), md);
  writeFileSync(join(root, 'bench', 'soak.json'), JSON.stringify({ checks, specs: SPECS, samples, campaign: campaign === null ? null : { ...campaign, plateau } }, null, 2) + '\n');
  if (plateau !== null) log(`soak: campaign rss ${plateau.from.rss_mb} MB at ${plateau.from.candidates} candidates, ${plateau.to.rss_mb} MB at ${plateau.to.candidates}; fitted rise over the second half ${plateau.rise_mb} MB (${(plateau.rise_share * 100).toFixed(1)}%): ${plateau.levels_off ? 'levels off' : 'STILL CLIMBING'}`);
  return samples;
}

if (require.main === module && process.argv[2] === '--campaign') {
  const budget = Number(process.argv[3] ?? CAMPAIGN_BUDGET);
  const root = process.argv[4] ?? join(__dirname, '..', '..');
  campaignSoak(root, budget).then(
    // exit once written: nothing else may keep the child alive (the parent waits for it)
    (r) => process.stdout.write(`${JSON.stringify(r)}\n`, () => process.exit(0)),
    (e: unknown) => {
      process.stderr.write(`campaign soak: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(4);
    },
  );
}
