import { CommandModule } from 'yargs';
import { instanceProblem, type NT } from '../../check/instances';
import { protocolToQuint, quintUnsupported } from '../../export/quint';
import { protocolHash } from '../../ir/hash';
import type { Protocol } from '../../ir/types';
import { integerOption } from '../args';
import { EXIT } from '../exit-codes';
import { UserError, loadProtocol, out, writeAtomic } from '../io';
import { requireOutputFile } from '../output-paths';
import { Handler } from '../run';

const TARGETS = ['quint'] as const;

/**
 * Largest n exported. The text does not grow with n, but the module's init
 * enumerates the subsets of the processes (`powerset`) when simulated, so a
 * larger instance is of no use to `quint run`; 64 is where `check` stops
 * looking for default instances too.
 */
const MAX_EXPORT_N = 64;

interface ExportArgs {
  file: string;
  to: (typeof TARGETS)[number];
  n?: number;
  t?: number;
  out?: string;
}

export const exportCommand: CommandModule<object, ExportArgs> = {
  command: 'export <file>',
  describe: 'Print the protocol as a specification for another tool (Quint) at one instance',
  builder: (y) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'protocol file (.bft)' })
      .option('to', { choices: TARGETS, demandOption: true, describe: 'target language' })
      .option('n', { type: 'number', describe: 'number of processes (default: the smallest admissible for --t)' })
      .option('t', { type: 'number', describe: 'fault bound (default: 1)' })
      .option('out', { type: 'string', describe: 'write to this file (atomically) instead of stdout' }),
  handler: Handler.wrap(async (args: ExportArgs) => {
    requireOutputFile('--out', args.out);
    const t = args.t === undefined ? 1 : integerOption('t', args.t, { min: 0, max: MAX_EXPORT_N - 1 });
    const n = args.n === undefined ? undefined : integerOption('n', args.n, { min: 1, max: MAX_EXPORT_N });
    const loaded = loadProtocol(args.file);
    const { protocol } = loaded;
    const unsupported = quintUnsupported(protocol);
    if (unsupported !== null) throw new UserError(`${loaded.file}: cannot export: ${unsupported}`);
    const instance = n !== undefined ? { n, t } : smallestInstance(protocol, t);
    const problem = instanceProblem(protocol, instance);
    if (problem !== null) throw new UserError(`${loaded.file}: cannot export: ${problem}`);
    const text = protocolToQuint(protocol, { ...instance, source: loaded.file, hash: protocolHash(protocol) });
    if (args.out === undefined) out(text);
    else writeAtomic(args.out, text);
    return EXIT.ok;
  }),
};

/** The smallest admissible n for this t (at t = 1, the first default instance of `check`). */
function smallestInstance(protocol: Protocol, t: number): NT {
  for (let n = t + 1; n <= MAX_EXPORT_N; n++) if (instanceProblem(protocol, { n, t }) === null) return { n, t };
  throw new UserError(`${protocol.name}: no n up to ${MAX_EXPORT_N} is admissible at t = ${t}: give --n`);
}
