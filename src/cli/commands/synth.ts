import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { CommandModule } from 'yargs';
import { campaignSummary, type CampaignSummary } from '../../synth/summary';
import { CampaignError, DEFAULT_BATCH, runCampaign, type Progress } from '../../synth/campaign';
import { arities, complete, parseSketch, type Sketch } from '../../synth/sketch';
import { parseProtocol } from '../../lang';
import { STRATEGIES, type Strategy } from '../../synth/proposer';
import { loadTf } from '../../synth/tf';
import { smtVerifier } from '../../synth/smt-verifier';
import { exploreVerifier, type Verifier } from '../../synth/verifier';
import { EXIT } from '../exit-codes';
import { UserError, err, out, readText, reportErrors } from '../io';
import { requireOutputDir } from '../output-paths';
import { Handler } from '../run';
import { packageRoot } from '../../util/package-root';

const VERIFIERS = ['smt', 'explore'] as const;
/** The main job's embedded default: a phase-king skeleton with open thresholds. */
const DEFAULT_SKETCH = join(packageRoot(), 'specs', 'sketches', 'phase-king-thresholds.bft');

interface SynthArgs {
  sketch: string;
  strategy: Strategy;
  budget: number;
  time?: number;
  seed: number;
  out: string;
  resume: boolean;
  json: boolean;
  verifier: (typeof VERIFIERS)[number];
  timeout: number;
  batch: number;
  adversary: boolean;
}

/** The longest --timeout: the solver's timer takes milliseconds as a signed 32-bit integer. */
const MAX_TIMEOUT_S = Math.floor((2 ** 31 - 1) / 1000);

/** Every numeric option checked before any work, each refusal naming its option. */
function checkOptions(args: SynthArgs): void {
  const integers: [string, number, number][] = [['budget', args.budget, 1], ['batch', args.batch, 1], ['seed', args.seed, 0]];
  for (const [name, v, min] of integers) {
    if (!Number.isSafeInteger(v) || v < min) throw new UserError(`--${name} must be an integer >= ${min}, got ${String(v)}`);
  }
  if (args.time !== undefined && !(Number.isFinite(args.time) && args.time > 0)) throw new UserError(`--time must be a positive number of seconds, got ${String(args.time)}`);
  if (!(Number.isFinite(args.timeout) && args.timeout > 0 && args.timeout <= MAX_TIMEOUT_S)) {
    throw new UserError(`--timeout must be a positive number of seconds (at most ${MAX_TIMEOUT_S}), got ${String(args.timeout)}`);
  }
}

function verifierFor(args: SynthArgs): Verifier {
  switch (args.verifier) {
    case 'smt':
      return smtVerifier({ timeoutMs: args.timeout * 1000 });
    case 'explore':
      return exploreVerifier();
  }
}

function progressLine(p: Progress): string {
  const s = p.stats;
  const rej = `rejected parse ${s.rejected.parse} / sim ${s.rejected.simulate} / adversary ${s.rejected.adversary} / explore ${s.rejected.explore} / verify ${s.rejected.verify}`;
  const best = p.best === null ? '-' : p.best.toFixed(3);
  return `${p.candidates}/${p.budget} candidates, ${p.verified} verified (best ${best}), ${s.gateCalls} verifier calls (${s.verifierCalls} final), ${rej}, reward ${p.meanReward.toFixed(3)}, ${(p.elapsedMs / 1000).toFixed(1)} s`;
}

/** A progress reporter: one rewritten line on a terminal, a plain line every few seconds otherwise. */
function reporter(): { report: (p: Progress) => void; done: () => void } {
  const tty = process.stderr.isTTY === true;
  let lastPlain = 0;
  let shown = false;
  return {
    report(p) {
      const line = progressLine(p);
      if (tty) {
        const width = Math.max(20, (process.stderr.columns ?? 100) - 1);
        process.stderr.write(`\r${line.slice(0, width).padEnd(width)}`);
        shown = true;
      } else if (Date.now() - lastPlain >= 2000 || p.candidates >= p.budget) {
        lastPlain = Date.now();
        err(`synth: ${line}`);
      }
    },
    done() {
      if (tty && shown) process.stderr.write('\n');
    },
  };
}

export const synthCommand: CommandModule<object, SynthArgs> = {
  command: 'synth [sketch]',
  describe: 'Synthesize protocols from a sketch; keep only what the gate verifies',
  builder: (y) =>
    y
      .positional('sketch', { type: 'string', default: DEFAULT_SKETCH, defaultDescription: 'the embedded phase-king-thresholds sketch', describe: 'sketch file (.bft with ?holes)' })
      .option('strategy', { choices: STRATEGIES, default: 'learned' as Strategy, describe: 'how candidates are proposed: learned (a policy network trained by REINFORCE on the gate\'s reward, its samples screened by a critic network), random (uniform), enumerate (every completion in order)' })
      .option('budget', { type: 'number', default: 2000, describe: 'candidates to propose in total' })
      .option('time', { type: 'number', describe: 'stop after this many seconds (the checkpoint allows --resume)' })
      .option('seed', { type: 'number', default: 1, describe: 'seed of every PRNG and of the network initialisation' })
      .option('out', { type: 'string', default: 'synth-out', describe: 'directory for verified protocols, proofs, checkpoint and curve.svg' })
      .option('resume', { type: 'boolean', default: false, describe: 'continue from the checkpoint in --out' })
      .option('json', { type: 'boolean', default: false, describe: 'print a JSON summary on stdout' })
      .option('verifier', { choices: VERIFIERS, default: 'smt' as const, describe: 'last gate stage: smt keeps only protocols proved for every n and t (what `check FILE` reports verified); explore (tests, benchmarks) keeps what exhaustive enumeration passes at the default instances, which is no proof for every n and t' })
      .option('timeout', { type: 'number', default: 60, describe: 'SMT timeout per query, seconds' })
      .option('batch', { type: 'number', default: DEFAULT_BATCH, describe: 'candidates per batch (per policy update and checkpoint)' })
      .option('adversary', { type: 'boolean', default: true, describe: 'the learned adversary network as a gate stage (--no-adversary skips it)' }),
  handler: Handler.wrap(async (args: SynthArgs) => {
    checkOptions(args);
    const source = readText(args.sketch);
    const sketch = parseSketch(source, args.sketch);
    if (!sketch.ok) reportErrors(sketch.errors, source);
    refuseHybrid(sketch.value, args.sketch);
    // before any work (and before loading TensorFlow): results that cannot be written are refused now
    requireOutputDir('--out', args.out);
    const tf = args.strategy === 'learned' || args.adversary ? (await loadTf()).tf : undefined;
    const verifier = verifierFor(args);
    const progress = reporter();
    let summary: CampaignSummary;
    try {
      const result = await runCampaign({
        sketch: sketch.value,
        strategy: args.strategy,
        seed: args.seed,
        budget: args.budget,
        timeS: args.time ?? null,
        outDir: args.out,
        resume: args.resume,
        verifier,
        batch: args.batch,
        tf,
        adversary: args.adversary,
        onProgress: progress.report,
        ...crashInjection(),
      });
      progress.done();
      summary = campaignSummary(result);
      if (args.json) out(JSON.stringify(summary));
      else {
        const st = result.state;
        const g = st.gate.stats;
        err(
          `synth: ${st.candidates} candidates (${result.rate.toFixed(1)}/s), ${g.gateCalls} verifier calls (${g.verifierCalls} to the last stage), ${st.verified.length} verified; ` +
            `rejected: parse ${g.rejected.parse}, simulate ${g.rejected.simulate}, adversary ${g.rejected.adversary}, explore ${g.rejected.explore}, verify ${g.rejected.verify}; unknown ${g.unknown}; cache hits ${g.cacheHits}`,
        );
        if (args.adversary) {
          const a = g.adversary;
          err(`synth: learned adversary: attacked ${a.attacked}, rejected ${a.rejected}, missed (refuted later) ${a.missedByExplore} by explore + ${a.missedByVerify} by ${verifier.name}; ${a.episodes} runs, ${a.imitated} decisions cloned from counterexamples`);
        }
        err(`synth: learning curve ${result.curveFile}, checkpoint ${result.checkpointFile}`);
        // what "verified" means here depends on the last stage: say it with the result
        const meaning = args.verifier === 'smt' ? 'every claimed property proved for every n and t' : 'passed exhaustive enumeration at the default instances only (--verifier explore): NOT proved for every n and t';
        if (result.best === null) out('No protocol verified within the budget.');
        else {
          const proofs = join(args.out, 'proofs', result.best.hash.slice(0, 12));
          out(`Best protocol (score ${result.best.score}; ${meaning}): ${result.best.file}${existsSync(proofs) ? `\nProof artefacts: ${proofs}` : ''}`);
          out(readFileSync(result.best.file, 'utf8'));
        }
      }
    } catch (e) {
      progress.done();
      if (e instanceof CampaignError) throw new UserError(e.message);
      throw e;
    } finally {
      await verifier.close?.();
    }
    return summary.verified.length > 0 ? EXIT.ok : EXIT.violated;
  }),
};

/**
 * Fault injection for the crash-and-resume tests: with
 * BFTSYNTH_CRASH_AFTER_CHECKPOINT=k the process kills itself with SIGKILL
 * (as `kill -9` would, no cleanup) right after its k-th checkpoint, so the
 * test needs no polling and no timing.
 */
function crashInjection(): { onCheckpoint?: () => void } {
  const k = Number(process.env['BFTSYNTH_CRASH_AFTER_CHECKPOINT'] ?? '');
  if (!Number.isInteger(k) || k < 1) return {};
  let written = 0;
  return {
    onCheckpoint: () => {
      if (++written === k) process.kill(process.pid, 'SIGKILL');
    },
  };
}

/**
 * The gate's stages (simulation battery, learned adversary, exploration)
 * play one fault kind at a time; a hybrid sketch is refused before any work
 * rather than rejected candidate by candidate.
 */
function refuseHybrid(sketch: Sketch, file: string): void {
  const first = parseProtocol(complete(sketch, arities(sketch).map(() => 0)), file);
  if (first.ok && first.value.faults.kind === 'hybrid') {
    throw new UserError(`${file}: synthesis does not take hybrid fault models (faults byzantine and omission) yet; check a hybrid protocol with \`bftsynth check\``);
  }
}
