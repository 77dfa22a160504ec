import { existsSync } from 'fs';
import { CommandModule } from 'yargs';
import { QueryRecheck, loadManifest, protocolMismatch, recheckProofs } from '../../proof/recheck';
import type { NativeSolver } from '../../smt/native';
import { formatJsonErrors } from '../../util/json-read';
import { EXIT, ExitCode } from '../exit-codes';
import { UserError, err, loadProtocol, out, readText } from '../io';
import { positiveSeconds } from '../args';
import { Handler } from '../run';

interface ProofCheckArgs {
  dir: string;
  protocol?: string;
  timeout: number;
  native: boolean;
  json: boolean;
}

function line(q: QueryRecheck): string {
  const runs = q.runs.map((r) => `${r.solver}: ${r.status}${r.status === 'absent' ? '' : ` ${r.ms} ms`}`).join(', ');
  return `  ${q.outcome.toUpperCase().padEnd(8)} ${q.query.file}  (${runs})`;
}

const checkSubcommand: CommandModule<object, ProofCheckArgs> = {
  command: 'check <dir>',
  describe: 'Regenerate every query of a proof directory from the protocol, refuse it unless the stored queries are exactly those and prove every claim for every n and t, then re-run them with wasm z3, native z3 and cvc5',
  builder: (y) =>
    y
      .positional('dir', { type: 'string', demandOption: true, describe: 'proof directory (with manifest.json)' })
      .option('protocol', { type: 'string', describe: 'the protocol file (default: the file named in the manifest)' })
      .option('timeout', { type: 'number', default: 120, describe: 'seconds per query and solver' })
      .option('native', { type: 'boolean', default: true, describe: 'also run Debian\'s z3 and cvc5 where installed (--no-native to skip)' })
      .option('json', { type: 'boolean', default: false, describe: 'print the re-check as JSON' }),
  handler: Handler.wrap(async (args: ProofCheckArgs): Promise<ExitCode> => {
    const timeoutS = positiveSeconds('timeout', args.timeout);
    const manifest = loadManifest(args.dir);
    if (!manifest.ok) {
      const file = manifest.errors[0]!.loc.file;
      throw new UserError(formatJsonErrors(manifest.errors, existsSync(file) ? readText(file) : ''));
    }
    // --protocol names a file the user chose: its own read error says what is wrong with it
    const protocolFile = args.protocol ?? manifest.value.protocol.file;
    if (args.protocol === undefined && !existsSync(protocolFile)) throw new UserError(`${args.dir}: the proofs are of ${protocolFile}, which does not exist here; give --protocol`);
    const { protocol } = loadProtocol(protocolFile);
    const mismatch = protocolMismatch(manifest.value, protocol);
    if (mismatch !== null) throw new UserError(`${args.dir}: ${mismatch}; regenerate them (make proofs)`);
    const natives: NativeSolver[] = args.native ? ['z3', 'cvc5'] : [];
    if (!args.json) err(`re-checking ${manifest.value.queries.length} queries of ${manifest.value.protocol.name} in ${args.dir}`);
    const report = await recheckProofs(args.dir, manifest.value, protocol, { timeoutMs: Math.round(timeoutS * 1000), natives, onQuery: args.json ? undefined : (q) => err(line(q)) });
    if (!report.ok) throw new UserError(report.errors.map((e) => `${e.loc.file}: ${e.message}`).join('\n'));
    const { verdict, queries } = report.value;
    if (args.json) out(JSON.stringify({ dir: args.dir, protocol: manifest.value.protocol, verdict, queries: queries.map((q) => ({ file: q.query.file, claim: q.query.claim, outcome: q.outcome, runs: q.runs })) }, null, 2));
    else out(`${manifest.value.protocol.name}: ${verdict === 'proved' ? 'every proof still holds' : verdict === 'refuted' ? 'a solver REFUTES a proof (sat): the encoding or a solver is wrong' : 'some queries are no longer proved (unknown or timeout)'}`);
    return verdict === 'proved' ? EXIT.ok : verdict === 'refuted' ? EXIT.violated : EXIT.unknown;
  }),
};

export const proofCommand: CommandModule = {
  command: 'proof <command>',
  describe: 'Work with proof artefacts (proofs/<protocol>/)',
  builder: (y) => y.command(checkSubcommand).demandCommand(1, 'name a subcommand: check'),
  handler: () => undefined,
};
