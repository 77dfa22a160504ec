import { CommandModule } from 'yargs';
import { CheckResult, Engine, Verdict, checkProtocol, claimedProperties } from '../../check/check';
import { NT, defaultInstances, instanceProblem } from '../../check/instances';
import { LemmaResult } from '../../check/lemmas';
import { DEFAULT_PARAM_TS, ParamReport, ParamResult, checkParamProtocol } from '../../check/param';
import { lemmaJson, provedByLemmas } from '../lemma-output';
import { protocolHash, shortHash } from '../../ir/hash';
import type { Protocol } from '../../ir/types';
import { printExpr } from '../../lang';
import { writeCheckProofs } from '../../proof/from-check';
import type { Property } from '../../trace/model';
import { traceToText } from '../../trace/text';
import { parseInstances } from '../args';
import { EXIT, ExitCode } from '../exit-codes';
import { UserError, err, loadProtocol, out, writeAtomic } from '../io';
import { TRACE_FORMATS, TraceFormat, formatFromFileName, renderTrace } from '../render';
import { Handler } from '../run';

const PROPERTIES: readonly Property[] = ['agreement', 'validity', 'termination'];
/** param: the parameterized engine only; all: param where it applies, then counter at the instances. */
type EngineChoice = Engine | 'param' | 'all';
const ENGINES: readonly EngineChoice[] = ['all', 'param', 'counter', 'process'];

interface CheckArgs {
  file: string;
  instances?: string;
  rounds?: number;
  property?: string;
  engine: EngineChoice;
  'max-t': number;
  timeout: number;
  json: boolean;
  'trace-out'?: string;
  format?: TraceFormat;
  proofs?: string;
}

function parseProperties(text: string): Property[] {
  return text.split(',').map((s) => {
    const p = s.trim();
    if (!(PROPERTIES as readonly string[]).includes(p)) throw new UserError(`--property: unknown property \`${p}\` (use ${PROPERTIES.join(', ')})`);
    return p as Property;
  });
}

function line(r: CheckResult): string {
  const reason = r.reason === undefined ? '' : `  (${r.reason})`;
  return `  ${r.property.padEnd(12)} n=${r.n} t=${r.t} f=${r.f ?? '0..t'} R=${r.rounds}  ${r.verdict.toUpperCase().padEnd(9)} ${String(r.ms).padStart(6)} ms  [${r.engine}]${reason}`;
}

function paramLine(r: ParamResult): string {
  const at = r.verdict === 'violated' ? `  at n=${r.n} t=${r.t} f=${r.f}` : '';
  const reason = r.reason === undefined ? '' : `  (${r.reason})`;
  const rest = r.remainder.length === 0 ? '' : `  (n < ${r.leaderBound}: ${r.remainder.map((x) => `n=${x.n} ${x.verdict}`).join(', ')} [counter])`;
  return `  ${r.property.padEnd(12)} ${r.region} R=${r.rounds}  ${r.verdict.toUpperCase().padEnd(9)} ${String(r.ms).padStart(6)} ms  [param]${at}${reason}${rest}`;
}

/** As check's overall(): violated beats unknown beats verified; nothing checked is unknown. */
function combine(verdicts: Verdict[]): Verdict {
  if (verdicts.includes('violated')) return 'violated';
  if (verdicts.includes('unknown') || verdicts.length === 0) return 'unknown';
  return 'verified';
}

/** The t values of the parameterized regions: those of --instances, else 1 .. --max-t. */
function paramTs(args: CheckArgs, instances: NT[]): number[] {
  if (args.instances !== undefined) return [...new Set(instances.map((i) => i.t))].sort((a, b) => a - b);
  return args['max-t'] === DEFAULT_PARAM_TS.length ? DEFAULT_PARAM_TS : Array.from({ length: args['max-t'] }, (_, i) => i + 1);
}

/** JSON view of a parameterized result: the README's fields (n, f null = every n of the region) plus region, side, remainder. */
function paramJson(r: ParamResult): object {
  const { smtlib: _smtlib, remainder, ...rest } = r;
  return { ...rest, remainder: remainder.map(({ smtlib: _s, counterexample: _c, ...x }) => x) };
}

/** What a verified verdict covers, so that nobody reads it as "for all n and t" when it is not. */
function coverage(protocol: Protocol, lemmas: readonly LemmaResult[], param: readonly ParamResult[], concrete: readonly CheckResult[]): string {
  const parts: string[] = [];
  if (lemmas.length > 0) parts.push(`${lemmas.map((l) => l.property).join(' and ')} for every n and t with ${printExpr(protocol.resilience)} (phase lemmas)`);
  if (param.length > 0) {
    const everyT = param.every((r) => r.t === null);
    const ts = [...new Set(param.map((r) => r.t).filter((t): t is number => t !== null))].sort((a, b) => a - b);
    const which = [...new Set(param.map((r) => r.property))].join(', ');
    parts.push(everyT ? `${which} for every n and t with ${printExpr(protocol.resilience)}` : `${which} for every n with ${printExpr(protocol.resilience)} at t = ${ts.join(', ')}${ts.length > 0 ? ' (larger t not covered)' : ''}`);
  }
  if (concrete.length > 0) parts.push(`at n:t = ${[...new Set(concrete.map((r) => `${r.n}:${r.t}`))].join(', ')}`);
  return parts.join('; ');
}

export const checkCommand: CommandModule<object, CheckArgs> = {
  command: 'check <file>',
  describe: 'Prove or refute the claimed properties with Z3, at fixed instances',
  builder: (y) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'protocol file (.bft)' })
      .option('instances', { type: 'string', describe: 'n:t pairs, e.g. 4:1,7:2 (default: the smallest n for t = 1 and t = 2)' })
      .option('rounds', { type: 'number', describe: 'rounds to check (default: the termination bound, or the horizon)' })
      .option('property', { type: 'string', describe: 'comma-separated subset of agreement,validity,termination (default: the claimed ones)' })
      .option('engine', {
        choices: ENGINES,
        default: 'all' as EngineChoice,
        describe: 'param: for every admissible n (per t, or every t when the round bound is constant); counter: at the instances; all: param where it applies, then counter; process: one variable per process (a cross-check for small n)',
      })
      .option('max-t', { type: 'number', default: DEFAULT_PARAM_TS.length, describe: 'param: the t values 1..max-t (default 4; --instances gives its own t values)' })
      .option('timeout', { type: 'number', default: 60, describe: 'seconds per query; a timeout is reported as unknown' })
      .option('json', { type: 'boolean', default: false, describe: 'print one JSON object (see README)' })
      .option('trace-out', { type: 'string', describe: 'write the first counterexample to this file' })
      .option('format', { choices: TRACE_FORMATS, describe: 'format of --trace-out (default: from its extension, else itf)' })
      .option('proofs', { type: 'string', describe: 'when every query is unsat, write the proof artefacts (SMT-LIB2 + manifest) to this directory' }),
  handler: Handler.wrap(async (args: CheckArgs): Promise<ExitCode> => {
    const { file, protocol } = loadProtocol(args.file);
    const instances: NT[] = args.instances === undefined ? defaultInstances(protocol) : parseInstances('instances', args.instances);
    if (instances.length === 0) throw new UserError(`${file}: no instance with t <= 2 and n <= 64 satisfies the resilience condition; give --instances`);
    const problems = instances.map((i) => instanceProblem(protocol, i)).filter((p): p is string => p !== null);
    if (problems.length > 0) throw new UserError(problems.map((p) => `--instances: ${p}`).join('\n'));
    if (args.rounds !== undefined && (!Number.isInteger(args.rounds) || args.rounds < 1 || args.rounds > 1000)) throw new UserError(`--rounds must be an integer from 1 to 1000, got ${args.rounds}`);
    if (!(args.timeout > 0)) throw new UserError(`--timeout must be a positive number of seconds, got ${args.timeout}`);
    const properties = args.property === undefined ? claimedProperties(protocol) : parseProperties(args.property);
    if (!Number.isInteger(args['max-t']) || args['max-t'] < 1 || args['max-t'] > 64) throw new UserError(`--max-t must be an integer from 1 to 64, got ${args['max-t']}`);
    // the parameterized engine unrolls the protocol's own round bound per region; --rounds is a concrete-engine option
    if (args.rounds !== undefined && args.engine === 'param') throw new UserError('--rounds: the param engine always uses the protocol\'s round bound (use --engine counter)');
    const hash = protocolHash(protocol);
    const timeoutMs = Math.round(args.timeout * 1000);
    const usesParam = args.engine === 'param' || (args.engine === 'all' && args.rounds === undefined);
    const concreteEngine: Engine | null = args.engine === 'param' ? null : args.engine === 'all' ? 'counter' : args.engine;
    const ts = paramTs(args, instances);
    if (!args.json) {
      const what = [usesParam ? `the param engine (t = ${ts.join(', ')}; every admissible n)` : null, concreteEngine === null ? null : `the ${concreteEngine} engine at ${instances.map((i) => `${i.n}:${i.t}`).join(', ')}`];
      err(`checking ${protocol.name} (${shortHash(hash)}) with ${what.filter((x) => x !== null).join(', then ')}`);
    }
    // Phase lemmas first: where one holds, the property is proved for every n and t and needs no per-t queries.
    const lemmas: LemmaResult[] = usesParam ? await provedByLemmas(protocol, properties, timeoutMs, args.json ? undefined : err) : [];
    const byLemma = new Set<Property>(lemmas.map((l) => l.property));
    const paramProperties = properties.filter((p) => !byLemma.has(p));
    const param: ParamReport =
      usesParam && paramProperties.length > 0 ? await checkParamProtocol(protocol, { ts, properties: paramProperties, timeoutMs, onResult: args.json ? undefined : (r) => err(paramLine(r)) }) : { results: [], skipped: [] };
    if (!args.json) for (const s of param.skipped) err(`  ${s.property.padEnd(12)} ${s.t === null ? '' : `t=${s.t} `}not covered by the param engine: ${s.reason}`);
    const concrete =
      concreteEngine === null
        ? { verdict: 'unknown' as Verdict, results: [] as CheckResult[] }
        : await checkProtocol(protocol, { instances, properties, engine: concreteEngine, rounds: args.rounds, timeoutMs, onResult: args.json ? undefined : (r) => err(line(r)) });
    // param alone: a property it skips is not checked at all, so it cannot be verified
    const skippedOnly: Verdict[] = concreteEngine === null && param.skipped.length > 0 ? ['unknown'] : [];
    const verdicts: Verdict[] = [...lemmas.map((l) => l.verdict), ...param.results.map((r) => r.verdict), ...concrete.results.map((r) => r.verdict), ...skippedOnly];
    const verdict = combine(verdicts);
    const counterexample = [...param.results, ...concrete.results].find((r) => r.counterexample !== undefined)?.counterexample;
    if (args['trace-out'] !== undefined && counterexample !== undefined) {
      const format = args.format ?? formatFromFileName(args['trace-out']) ?? 'itf';
      writeAtomic(args['trace-out'], renderTrace(counterexample, format, { protocol, file }));
    }
    if (args.proofs !== undefined && verdict === 'verified') {
      await writeCheckProofs(args.proofs, protocol, hash, file, concrete.results, param.results, lemmas);
      if (!args.json) err(`proof artefacts written to ${args.proofs} (re-check with \`bftsynth proof check ${args.proofs}\`)`);
    }
    if (args.json) {
      const results = [...lemmas.map(lemmaJson), ...param.results.map(paramJson), ...concrete.results.map(({ smtlib: _smtlib, ...rest }) => rest)];
      out(JSON.stringify({ protocol: { name: protocol.name, hash, file }, verdict, results, ...(usesParam ? { skipped: param.skipped } : {}) }, null, 2));
    } else {
      if (counterexample !== undefined) out(`counterexample (replayed in the simulator):\n${traceToText(counterexample)}`);
      if (args['trace-out'] !== undefined && counterexample !== undefined) err(`counterexample written to ${args['trace-out']}`);
      out(`${protocol.name}: ${verdict.toUpperCase()}${verdict === 'verified' ? ` ${coverage(protocol, lemmas, param.results, concrete.results)}` : ''}`);
    }
    return verdict === 'verified' ? EXIT.ok : verdict === 'violated' ? EXIT.violated : EXIT.unknown;
  }),
};
