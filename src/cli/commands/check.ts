import { CommandModule } from 'yargs';
import { CheckResult, Engine, checkProtocol, claimedProperties } from '../../check/check';
import { NT, defaultInstances, instanceProblem } from '../../check/instances';
import { protocolHash, shortHash } from '../../ir/hash';
import { writeCheckProofs } from '../../proof/from-check';
import type { Property } from '../../trace/model';
import { traceToText } from '../../trace/text';
import { parseInstances } from '../args';
import { EXIT, ExitCode } from '../exit-codes';
import { UserError, err, loadProtocol, out, writeAtomic } from '../io';
import { TRACE_FORMATS, TraceFormat, formatFromFileName, renderTrace } from '../render';
import { Handler } from '../run';

const PROPERTIES: readonly Property[] = ['agreement', 'validity', 'termination'];
const ENGINES: readonly Engine[] = ['counter', 'process'];

interface CheckArgs {
  file: string;
  instances?: string;
  rounds?: number;
  property?: string;
  engine: Engine;
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
  return `  ${r.property.padEnd(12)} n=${r.n} t=${r.t} f=${r.f} R=${r.rounds}  ${r.verdict.toUpperCase().padEnd(9)} ${String(r.ms).padStart(6)} ms  [${r.engine}]${reason}`;
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
      .option('engine', { choices: ENGINES, default: 'counter' as Engine, describe: 'counter: proves at any size; process: one variable per process (a cross-check for small n)' })
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
    const hash = protocolHash(protocol);
    if (!args.json) err(`checking ${protocol.name} (${shortHash(hash)}) at ${instances.map((i) => `${i.n}:${i.t}`).join(', ')} with the ${args.engine} engine`);
    {
      const report = await checkProtocol(protocol, {
        instances,
        properties,
        engine: args.engine,
        rounds: args.rounds,
        timeoutMs: Math.round(args.timeout * 1000),
        onResult: args.json ? undefined : (r) => err(line(r)),
      });
      const counterexample = report.results.find((r) => r.counterexample !== undefined)?.counterexample;
      if (args['trace-out'] !== undefined && counterexample !== undefined) {
        const format = args.format ?? formatFromFileName(args['trace-out']) ?? 'itf';
        writeAtomic(args['trace-out'], renderTrace(counterexample, format, { protocol, file }));
      }
      if (args.proofs !== undefined && report.verdict === 'verified') {
        await writeCheckProofs(args.proofs, protocol, hash, file, report.results);
        if (!args.json) err(`proof artefacts written to ${args.proofs} (re-check with \`bftsynth proof check ${args.proofs}\`)`);
      }
      if (args.json) {
        const results = report.results.map(({ smtlib: _smtlib, ...rest }) => rest);
        out(JSON.stringify({ protocol: { name: protocol.name, hash, file }, verdict: report.verdict, results }, null, 2));
      } else {
        if (counterexample !== undefined) out(`counterexample (replayed in the simulator):\n${traceToText(counterexample)}`);
        if (args['trace-out'] !== undefined && counterexample !== undefined) err(`counterexample written to ${args['trace-out']}`);
        out(`${protocol.name}: ${report.verdict.toUpperCase()}`);
      }
      return report.verdict === 'verified' ? EXIT.ok : report.verdict === 'violated' ? EXIT.violated : EXIT.unknown;
    }
  }),
};
