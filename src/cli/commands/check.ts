import { CommandModule } from 'yargs';
import { CheckResult, Engine, allProperties } from '../../check/check';
import { checkClaims, type EngineChoice, instanceText } from '../../check/verdict';
import { MAX_QUERY_ROUNDS, NT, defaultInstances, instanceProblem, processProblem } from '../../check/instances';
import { DEFAULT_PARAM_TS, ParamResult } from '../../check/param';
import { invariantJson, invariantLines, lemmaJson, lemmaLines } from '../lemma-output';
import { protocolHash, shortHash } from '../../ir/hash';
import type { PropertyName, Protocol } from '../../ir/types';
import { printExpr } from '../../lang';
import { writeCheckProofs } from '../../proof/from-check';
import { ProofDirError } from '../../proof/write';
import { requireOutputFile, requireProofDir } from '../output-paths';
import { withFaults } from '../fault-override';
import type { Property } from '../../trace/model';
import { traceToText } from '../../trace/text';
import { integerOption, parseInstances, positiveSeconds } from '../args';
import { EXIT, ExitCode } from '../exit-codes';
import { UserError, err, loadProtocol, out, writeAtomic } from '../io';
import { TRACE_FORMATS, TraceFormat, formatFromFileName, renderTrace } from '../render';
import { Handler } from '../run';

const PROPERTIES: readonly Property[] = ['agreement', 'validity', 'termination'];

const ENGINES: readonly EngineChoice[] = ['all', 'param', 'counter', 'process'];

interface CheckArgs {
  file: string;
  instances?: string;
  rounds?: number;
  property?: string;
  engine: EngineChoice;
  'max-t'?: number;
  timeout: number;
  json: boolean;
  'trace-out'?: string;
  format?: TraceFormat;
  proofs?: string;
  'all-proofs': boolean;
  faults?: string;
}

/** The built-in properties and the file's own, by name. */
function parseProperties(text: string, protocol: Protocol): PropertyName[] {
  const known: string[] = [...PROPERTIES, ...protocol.userProperties.map((u) => u.name)];
  return text.split(',').map((s) => {
    const p = s.trim();
    if (!known.includes(p)) throw new UserError(`--property: unknown property \`${p}\` (use ${known.join(', ')})`);
    return p;
  });
}

function line(r: CheckResult): string {
  const reason = r.reason === undefined ? '' : `  (${r.reason})`;
  const faulty = r.o === undefined ? ` f=${r.f ?? '0..t'}` : ` o=${r.o} fb=${r.f ?? '0..t'} fo=${r.fo ?? '0..o'}`;
  return `  ${r.property.padEnd(12)} n=${r.n} t=${r.t}${faulty} R=${r.rounds}  ${r.verdict.toUpperCase().padEnd(9)} ${String(r.ms).padStart(6)} ms  [${r.engine}]${reason}`;
}

function paramLine(r: ParamResult): string {
  const at = r.verdict === 'violated' ? `  at n=${r.n} t=${r.t} f=${r.f}` : '';
  const reason = r.reason === undefined ? '' : `  (${r.reason})`;
  const rest = r.remainder.length === 0 ? '' : `  (n < ${r.leaderBound}: ${r.remainder.map((x) => `n=${x.n} ${x.verdict}`).join(', ')} [counter])`;
  return `  ${r.property.padEnd(12)} ${r.region} R=${r.rounds}  ${r.verdict.toUpperCase().padEnd(9)} ${String(r.ms).padStart(6)} ms  [param]${at}${reason}${rest}`;
}

/** The t values of the parameterized regions: those of --instances, else 1 .. --max-t. */
function paramTs(args: CheckArgs, instances: NT[]): number[] {
  if (args.instances !== undefined) return [...new Set(instances.map((i) => i.t))].sort((a, b) => a - b);
  const maxT = args['max-t'];
  return maxT === undefined ? DEFAULT_PARAM_TS : Array.from({ length: maxT }, (_, i) => i + 1);
}

/** JSON view of a parameterized result: the README's fields (n, f null = every n of the region) plus region, side, remainder. */
function paramJson(r: ParamResult): object {
  const { smtlib: _smtlib, remainder, ...rest } = r;
  return { ...rest, remainder: remainder.map(({ smtlib: _s, counterexample: _c, ...x }) => x) };
}

export const checkCommand: CommandModule<object, CheckArgs> = {
  command: 'check <file>',
  describe: 'Prove or refute the claimed properties with Z3, at fixed instances',
  builder: (y) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'protocol file (.bft)' })
      .option('instances', { type: 'string', describe: 'n:t pairs, e.g. 4:1,7:2, or n:t:o for a hybrid protocol, e.g. 6:1:1 (default: the smallest n for t = 1 and t = 2)' })
      .option('rounds', { type: 'number', describe: 'rounds to check (default: the termination bound, or the horizon)' })
      .option('property', { type: 'string', describe: 'comma-separated subset of agreement, validity, termination and the file\'s own properties (default: all it claims)' })
      .option('engine', {
        choices: ENGINES,
        default: 'all' as EngineChoice,
        describe: 'param: for every admissible n (per t, or every t when the round bound is constant); counter: at the instances; all: param where it applies, then counter; process: one variable per process (a cross-check for small n)',
      })
      .option('max-t', { type: 'number', describe: 'param: the per-t regions t = 1..max-t (default 4; --instances gives its own t values); a narrower question' })
      .option('timeout', { type: 'number', default: 60, describe: 'seconds per query; a timeout is reported as unknown' })
      .option('json', { type: 'boolean', default: false, describe: 'print one JSON object (see README)' })
      .option('trace-out', { type: 'string', describe: 'write the first counterexample to this file' })
      .option('format', { choices: TRACE_FORMATS, describe: 'format of --trace-out (default: from its extension, else itf)' })
      .option('proofs', { type: 'string', describe: 'when every query is unsat, write the proof artefacts (SMT-LIB2 + manifest) to this directory' })
      .option('faults', { type: 'string', describe: 'check against another adversary than the file declares, e.g. "crash", "omission up to t + 1", "byzantine up to t + 1" (thresholds still read t)' })
      .option('all-proofs', { type: 'boolean', default: false, describe: 'run the inductive-invariant engine also where the phase lemmas proved a property, so --proofs holds both proofs' }),
  handler: Handler.wrap(async (args: CheckArgs): Promise<ExitCode> => {
    const loaded = loadProtocol(args.file);
    const file = loaded.file;
    const protocol = args.faults === undefined ? loaded.protocol : withFaults(loaded.protocol, args.faults);
    const instances: NT[] = args.instances === undefined ? defaultInstances(protocol) : parseInstances('instances', args.instances);
    if (instances.length === 0) throw new UserError(`${file}: no instance with t <= 2 and n <= 64 satisfies the resilience condition; give --instances`);
    const where = args.instances === undefined ? `${file}: the default instances` : '--instances';
    const problems = instances.flatMap((i) => [instanceProblem(protocol, i), args.engine === 'process' ? processProblem(protocol, i) : null]).filter((p): p is string => p !== null);
    if (problems.length > 0) throw new UserError(problems.map((p) => `${where}: ${p}`).join('\n'));
    if (args.rounds !== undefined) integerOption('rounds', args.rounds, { min: 1, max: MAX_QUERY_ROUNDS });
    const timeoutS = positiveSeconds('timeout', args.timeout);
    const properties = args.property === undefined ? allProperties(protocol) : parseProperties(args.property, protocol);
    if (args['max-t'] !== undefined) integerOption('max-t', args['max-t'], { min: 1, max: 64 });
    // the parameterized engine unrolls the protocol's own round bound per region; --rounds is a concrete-engine option
    if (args.rounds !== undefined && args.engine === 'param') throw new UserError('--rounds: the param engine always uses the protocol\'s round bound (use --engine counter)');
    // output paths are refused before any solving, not after it
    requireProofDir('--proofs', args.proofs);
    if (args.proofs !== undefined && protocol.faults.kind === 'hybrid') throw new UserError('--proofs: proof artefacts of a hybrid fault model are not kept yet: check without --proofs');
    if (args.proofs !== undefined && protocol.userProperties.length > 0) throw new UserError(`--proofs: proof artefacts of a file's own properties (${protocol.userProperties.map((u) => u.name).join(', ')}) are not kept yet: check without --proofs`);
    requireOutputFile('--trace-out', args['trace-out']);
    const hash = protocolHash(protocol);
    const timeoutMs = Math.round(timeoutS * 1000);
    const usesParam = args.engine === 'param' || (args.engine === 'all' && args.rounds === undefined);
    const concreteEngine: Engine | null = args.engine === 'param' ? null : args.engine === 'all' ? (protocol.faults.kind === 'hybrid' ? 'process' : 'counter') : args.engine;
    const ts = paramTs(args, instances);
    if (!args.json) {
      const provers = protocol.faults.kind === 'hybrid' ? 'the inductive-invariant engine (every n, t and o)' : `the phase lemmas and the param engine (every t where the round bound allows, else t = ${ts.join(', ')}; every admissible n)`;
      const what = [usesParam ? provers : null, concreteEngine === null ? null : `the ${concreteEngine} engine at ${instances.map(instanceText).join(', ')}`];
      err(`checking ${protocol.name} (${shortHash(hash)}) with ${what.filter((x) => x !== null).join(', then ')}`);
    }
    const log = args.json ? undefined : err;
    const report = await checkClaims(protocol, {
      engine: args.engine,
      properties,
      instances,
      ts,
      ...(args.rounds === undefined ? {} : { rounds: args.rounds }),
      narrowedBy: narrowing(args, protocol),
      everyProver: args['all-proofs'],
      timeoutMs,
      onLemma: log && ((r) => lemmaLines(r).forEach((l) => log(l))),
      onInvariant: log && ((r) => invariantLines(r).forEach((l) => log(l))),
      onParam: log && ((r) => log(paramLine(r))),
      onSkip: log && ((s) => log(`  ${s.property.padEnd(12)} ${s.t === null ? '' : `t=${s.t} `}not covered by the param engine: ${s.reason}`)),
      onConcrete: log && ((r) => log(line(r))),
    });
    const { verdict, counterexample } = report;
    if (args['trace-out'] !== undefined && counterexample !== undefined) {
      const format = args.format ?? formatFromFileName(args['trace-out']) ?? 'itf';
      writeAtomic(args['trace-out'], renderTrace(counterexample, format, { protocol, file }));
    }
    if (args.proofs !== undefined && verdict === 'verified') {
      try {
        await writeCheckProofs(args.proofs, protocol, hash, file, report.concrete, report.param.results, report.lemmas, report.invariants);
      } catch (e) {
        // checked before the solving, and again at write time in case the directory changed meanwhile
        if (e instanceof ProofDirError) throw new UserError(`--proofs: ${e.message}`);
        throw e;
      }
      if (!args.json) err(`proof artefacts written to ${args.proofs} (re-check with \`bftsynth proof check ${args.proofs}\`)`);
    }
    if (args.json) {
      const results = [...report.lemmas.map(lemmaJson), ...report.invariants.map(invariantJson), ...report.param.results.map(paramJson), ...report.concrete.map(({ smtlib: _smtlib, ...rest }) => rest)];
      out(JSON.stringify({ protocol: { name: protocol.name, hash, file }, verdict, summary: report.summary, properties: report.properties, results, ...(usesParam ? { skipped: report.param.skipped } : {}) }, null, 2));
    } else {
      if (counterexample !== undefined) out(`counterexample (replayed in the simulator):\n${traceToText(counterexample)}`);
      if (args['trace-out'] !== undefined && counterexample !== undefined) err(`counterexample written to ${args['trace-out']}`);
      out(report.summary);
    }
    return verdict === 'verified' ? EXIT.ok : verdict === 'violated' ? EXIT.violated : EXIT.unknown;
  }),
};

/**
 * The flags that make the question narrower than "for every n and t", in
 * words. --property is not one: it picks properties, and each is still asked
 * for every n and t.
 */
function narrowing(args: CheckArgs, protocol: Protocol): string[] {
  const out: string[] = [];
  if (args.engine === 'counter' || args.engine === 'process') out.push(`--engine ${args.engine} (fixed instances only)`);
  if (args.instances !== undefined) out.push(`--instances ${args.instances}`);
  if (args['max-t'] !== undefined) out.push(`--max-t ${args['max-t']}`);
  if (args.rounds !== undefined) {
    const claim = protocol.properties.termination;
    out.push(`--rounds ${args.rounds}${claim === null ? '' : ` (the claimed bound ${printExpr(claim)} itself is not checked)`}`);
  }
  return out;
}
