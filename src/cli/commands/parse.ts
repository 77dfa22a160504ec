import { CommandModule } from 'yargs';
import { protocolHash } from '../../ir/hash';
import { EXIT } from '../exit-codes';
import { loadProtocol, out } from '../io';
import { Handler } from '../run';

interface ParseArgs {
  file: string;
  json: boolean;
}

export const parseCommand: CommandModule<object, ParseArgs> = {
  command: 'parse <file>',
  describe: 'Parse and check a protocol file; print its IR',
  builder: (y) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'protocol file (.bft)' })
      .option('json', { type: 'boolean', default: false, describe: 'print {file, hash, ir} as JSON' }),
  handler: Handler.wrap(async (args: ParseArgs) => {
    const { file, protocol } = loadProtocol(args.file);
    const hash = protocolHash(protocol);
    if (args.json) out(JSON.stringify({ file, hash, ir: protocol }, null, 2));
    else {
      const rounds = protocol.rounds.map((r) => `${r.name} (${r.rules.length} rules)`).join(', ');
      out(`${file}: ok\n  protocol ${protocol.name}, hash ${hash.slice(0, 12)}\n  ${protocol.vars.length} variables, ${protocol.messages.length} message types\n  phase: ${rounds}`);
    }
    return EXIT.ok;
  }),
};
