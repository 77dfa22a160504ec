import { CommandModule } from 'yargs';
import { printProtocol } from '../../lang';
import { EXIT } from '../exit-codes';
import { err, loadProtocol, out, writeAtomic } from '../io';
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
    const { source, protocol } = loadProtocol(args.file);
    const canonical = printProtocol(protocol);
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
