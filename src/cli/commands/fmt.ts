import { CommandModule } from 'yargs';
import { parseWithComments, printProtocol } from '../../lang';
import { EXIT } from '../exit-codes';
import { err, out, readText, reportErrors, writeAtomic } from '../io';
import { Handler } from '../run';

interface FmtArgs {
  file: string;
  write?: boolean;
  check?: boolean;
}

export const fmtCommand: CommandModule<object, FmtArgs> = {
  command: 'fmt <file>',
  describe: 'Print a protocol file in canonical form',
  builder: (y) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'protocol file (.bft)' })
      .option('write', { alias: 'w', type: 'boolean', describe: 'rewrite the file in place (atomically)' })
      .option('check', { type: 'boolean', describe: 'exit 1 if the file is not in canonical form; change nothing' })
      .conflicts('write', 'check'),
  handler: Handler.wrap(async (args: FmtArgs) => {
    const source = readText(args.file);
    const parsed = parseWithComments(source, args.file);
    if (!parsed.ok) reportErrors(parsed.errors, source);
    // Comments move with the element they belong to; none is ever dropped.
    const canonical = printProtocol(parsed.value.protocol, parsed.value.comments);
    if (args.check) {
      if (canonical === source) return EXIT.ok;
      err(`${args.file}: not in canonical form (run \`bftsynth fmt --write ${args.file}\`)`);
      return EXIT.violated;
    }
    if (args.write) {
      if (canonical !== source) writeAtomic(args.file, canonical);
      return EXIT.ok;
    }
    out(canonical);
    return EXIT.ok;
  }),
};
