// bftsynth command line: declarative yargs commands; the only layer that
// knows argv, the terminal and exit codes.
import yargs from 'yargs';
import { EXIT } from './exit-codes';
import { err, guardOutput } from './io';
import { checkCommand } from './commands/check';
import { exportCommand } from './commands/export';
import { fmtCommand } from './commands/fmt';
import { parseCommand } from './commands/parse';
import { proofCommand } from './commands/proof';
import { replayCommand } from './commands/replay';
import { simulateCommand } from './commands/simulate';
import { synthCommand } from './commands/synth';
import { traceCommand } from './commands/trace';

/**
 * Waits until what was written has left the process. Only when something is
 * pending: an empty write still reaches the file, and on a full disk (stderr
 * to /dev/full) it fails although nothing was lost. A failed flush has been
 * reported by guardOutput's listener; the callback runs either way.
 */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.writableLength === 0) return Promise.resolve();
  return new Promise<void>((resolve) => stream.write('', () => resolve()));
}

export async function main(argv: string[]): Promise<void> {
  guardOutput();
  await yargs(argv)
    .scriptName('bftsynth')
    .usage('$0 <command> [options]\n\nSynthesize and verify Byzantine fault tolerant consensus protocols.')
    .command(fmtCommand)
    .command(parseCommand)
    .command(simulateCommand)
    .command(checkCommand)
    .command(traceCommand)
    .command(replayCommand)
    .command(synthCommand)
    .command(proofCommand)
    .command(exportCommand)
    .demandCommand(1, 'name a command (see --help)')
    .strict()
    .help()
    .alias('h', 'help')
    .version()
    .epilog('Exit codes: 0 ok/verified, 1 violated, 2 bad input, 3 unknown (timeout), 4 internal error.')
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .fail((message, error) => {
      if (error) throw error;
      err(`bftsynth: ${message}\nRun \`bftsynth --help\` for usage.`);
      process.exit(EXIT.badInput);
    })
    .parseAsync();
  // Z3's WebAssembly worker threads would keep the process alive (and complain
  // when killed); once the command is done and output flushed, exit outright.
  await flushed(process.stdout);
  await flushed(process.stderr);
  process.exit(process.exitCode ?? EXIT.ok);
}
