// `make bench`: the benchmarks, tables and JSON under bench/.
//
//   node dist/bench/run.js [--only check|every-nt|sta|soak|synth|lab] [--timeout S] [--protocols a,b]
//                          [--no-growth] [--growth-max-n N] [--no-param] [--no-native] [--keep-smt DIR]
//                          [-- <arguments for bench/synth.js>]
//   (sta: --protocols takes spec paths and reruns only those rows, keeping the others from bench/sta.json)
//
// check: bench/check.ts -> bench/check.md, bench/check.json (the SMT checker:
//        concrete counter engine and parameterized engine).
// every-nt: bench/every-nt.ts -> bench/every-nt.md, bench/every-nt.json (the
//        whole `check` command's time to a proof for every n and t, per
//        library protocol and property, beside the STA artefact's figures).
// sta:   bench/sta.ts -> bench/sta.md, bench/sta.json (the synchronous threshold
//        automata suite, TACAS 2019: per suite file its spec, the whole `check`
//        command's verdict, coverage and time, beside the artefact's published time).
// soak:  bench/soak.ts -> bench/soak.md, bench/soak.json (memory over 600 checks).
// synth: bench/synth.ts -> bench/synth.md, bench/synth.json (synthesis), run
//        as its own process when dist/bench/synth.js exists.
// lab:   bench/lab/proposers.ts -> bench/proposers.md, bench/proposers.json
//        (proposers replayed against cached verdict tables, many seeds).
// Exit 1 when ours and native z3 disagree on a verdict (a bug), when the
// parameterized engine verifies what the concrete one refutes (a soundness
// bug), or when synth fails.
import { spawnSync } from 'child_process';
import { existsSync } from 'fs';
import { join } from 'path';
import { runCheckBench } from './check';
import { runEveryNT } from './every-nt';
import { runStaBench } from './sta';
import { runSoak } from './soak';
import { fmtNum } from './lib/stats';

type Part = 'check' | 'every-nt' | 'sta' | 'soak' | 'synth' | 'lab';

interface Args {
  only: Part[];
  timeoutMs: number;
  filter: string[];
  growth: boolean;
  growthMaxN: number;
  param: boolean;
  native: boolean;
  keepSmt: string | null;
  synthArgs: string[];
}

function usage(message: string): never {
  process.stderr.write(`bench: ${message}\nusage: node dist/bench/run.js [--only check|every-nt|sta|soak|synth|lab] [--timeout S] [--protocols a,b] [--no-growth] [--growth-max-n N] [--no-param] [--no-native] [--keep-smt DIR] [-- synth args]\n`);
  process.exit(2);
}

export function parseArgs(argv: readonly string[]): Args {
  const dash = argv.indexOf('--');
  const own = dash < 0 ? argv : argv.slice(0, dash);
  const a: Args = { only: ['check', 'every-nt', 'sta', 'soak', 'synth', 'lab'], timeoutMs: 20_000, filter: [], growth: true, growthMaxN: Infinity, param: true, native: true, keepSmt: null, synthArgs: dash < 0 ? [] : argv.slice(dash + 1) };
  for (let i = 0; i < own.length; i++) {
    const flag = own[i]!;
    const value = (): string => own[++i] ?? usage(`${flag} needs a value`);
    const num = (): number => {
      const v = Number(value());
      return Number.isFinite(v) && v > 0 ? v : usage(`${flag} needs a positive number`);
    };
    switch (flag) {
      case '--only': {
        const v = value();
        if (v !== 'check' && v !== 'every-nt' && v !== 'sta' && v !== 'soak' && v !== 'synth' && v !== 'lab') usage(`--only check|every-nt|sta|soak|synth|lab, not ${v}`);
        a.only = [v];
        break;
      }
      case '--timeout':
        a.timeoutMs = Math.round(num() * 1000);
        break;
      case '--protocols':
        a.filter = value().split(',').filter((s) => s !== '');
        break;
      case '--no-growth':
        a.growth = false;
        break;
      case '--growth-max-n':
        a.growthMaxN = num();
        break;
      case '--no-param':
        a.param = false;
        break;
      case '--no-native':
        a.native = false;
        break;
      case '--keep-smt':
        a.keepSmt = value();
        break;
      default:
        usage(`unknown option ${flag}`);
    }
  }
  return a;
}

const ROOT = join(__dirname, '..', '..');
const log = (line: string): void => void process.stdout.write(`${line}\n`);

async function check(a: Args): Promise<number> {
  const { summary: s } = await runCheckBench({
    root: ROOT,
    timeoutMs: a.timeoutMs,
    filter: a.filter,
    growth: a.growth,
    growthMaxN: a.growthMaxN,
    param: a.param,
    native: a.native,
    keepSmt: a.keepSmt,
    outMd: join(ROOT, 'bench', 'check.md'),
    outJson: join(ROOT, 'bench', 'check.json'),
    log,
  });
  log('');
  log(`check bench: ${s.queries} queries; library within 1 s: ${s.library_within_1s}/${s.library_queries}; unknown ${s.unknown}; errors ${s.errors}`);
  const ratio = s.ratio_count > 0 ? `median ours/native ${fmtNum(s.median_ratio)} over ${s.ratio_count}; ` : '';
  log(`  ${ratio}peak RSS ${s.peak_rss_mb} MB; written bench/check.md, bench/check.json`);
  if (s.errors > 0) log(`  WARNING: ${s.errors} queries failed on our side (see bench/check.md, Notes)`);
  if (s.unexpected > 0) log(`  WARNING: ${s.unexpected} verdicts differ from specs/expected.json`);
  const p = s.param;
  if (p !== null) {
    log(`  parameterized: ${p.queries} queries (${Object.entries(p.verdicts).map(([k, v]) => `${v} ${k}`).join(', ')}); within 1 s ${p.within_1s}/${p.queries}; ${fmtNum(p.total_ms / 1000)} s in all; median param/concrete ${fmtNum(p.median_param_over_concrete)}; median ours/native ${fmtNum(p.median_ratio)}`);
    for (const x of p.per_protocol) log(`    ${x.protocol.padEnd(30)} ${String(x.queries).padStart(2)} queries: ${x.verified} verified, ${x.violated} violated, ${x.unknown} unknown; ${fmtNum(x.total_ms / 1000)} s, slowest ${x.max_ms} ms`);
    if (p.errors > 0) log(`  WARNING: ${p.errors} parameterized queries failed on our side (see bench/check.md, Notes)`);
    if (p.unexpected > 0) log(`  WARNING: ${p.unexpected} parameterized verdicts differ from specs/expected.json`);
  }
  let code = 0;
  if (s.disagreements > 0 || (p?.disagreements ?? 0) > 0) {
    log(`  !!! ${s.disagreements + (p?.disagreements ?? 0)} VERDICT DISAGREEMENTS between ours and native z3: a bug (rows marked NO in bench/check.md) !!!`);
    code = 1;
  }
  if (p !== null && p.soundness_bugs > 0) {
    log(`  !!! ${p.soundness_bugs} SOUNDNESS BUGS: the parameterized engine verifies what the concrete engine refutes at the smallest n (rows marked NO: SOUNDNESS BUG in bench/check.md) !!!`);
    code = 1;
  }
  const l = s.lemma;
  if (l !== null) {
    log(`  phase lemmas (every n and t): ${Object.entries(l.verdicts).map(([k, v]) => `${v} ${k}`).join(', ')}; ${fmtNum(l.total_ms / 1000)} s in all`);
    if (l.soundness_bugs > 0) {
      log(`  !!! ${l.soundness_bugs} SOUNDNESS BUGS: a phase lemma verifies what specs/expected.json says is violated (rows marked SOUNDNESS BUG in bench/check.md) !!!`);
      code = 1;
    }
  }
  return code;
}

/** Runs a bench script as its own process (TensorFlow.js and Z3 state stay out of this one). */
function script(label: string, file: string, args: readonly string[]): number {
  const path = join(__dirname, file);
  if (!existsSync(path)) {
    log(`${label} bench: dist/bench/${file} not built; skipped`);
    return 0;
  }
  log(`${label} bench: node ${path} ${args.join(' ')}`);
  const r = spawnSync(process.execPath, [path, ...args], { stdio: 'inherit', cwd: ROOT });
  return r.status ?? 1;
}

async function main(): Promise<number> {
  const a = parseArgs(process.argv.slice(2));
  let code = 0;
  if (a.only.includes('check')) code = Math.max(code, await check(a));
  if (a.only.includes('every-nt')) code = Math.max(code, runEveryNT(ROOT, log));
  if (a.only.includes('sta')) code = Math.max(code, runStaBench(ROOT, log, a.filter));
  if (a.only.includes('soak')) await runSoak(ROOT, 600, log);
  if (a.only.includes('synth')) code = Math.max(code, script('synth', 'synth.js', a.synthArgs));
  if (a.only.includes('lab')) code = Math.max(code, script('proposer lab', join('lab', 'proposers.js'), []));
  return code;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(4);
    },
  );
}
