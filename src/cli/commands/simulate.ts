import { CommandModule } from 'yargs';
import { protocolHash } from '../../ir/hash';
import { Adversary, random, silent, split } from '../../sim/adversary';
import { makeInstance } from '../../sim/instance';
import { simulate } from '../../sim/simulate';
import { traceToText } from '../../trace/text';
import { formatError } from '../../util/result';
import { parseIntList } from '../args';
import { EXIT } from '../exit-codes';
import { UserError, loadProtocol, out } from '../io';
import { Handler } from '../run';

const ADVERSARIES = ['silent', 'random', 'split'] as const;

interface SimulateArgs {
  file: string;
  n: number;
  t: number;
  byz?: string;
  inputs?: string;
  adversary: (typeof ADVERSARIES)[number];
  seed: number;
  rounds?: number;
  json: boolean;
}

function adversaryFor(name: SimulateArgs['adversary'], seed: number): Adversary {
  switch (name) {
    case 'silent':
      return silent();
    case 'random':
      return random(seed);
    case 'split':
      return split();
  }
}

export const simulateCommand: CommandModule<object, SimulateArgs> = {
  command: 'simulate <file>',
  describe: 'Run one instance against an adversary and show every round',
  builder: (y) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'protocol file (.bft)' })
      .option('n', { type: 'number', demandOption: true, describe: 'number of processes' })
      .option('t', { type: 'number', demandOption: true, describe: 'fault bound' })
      .option('byz', { type: 'string', describe: 'Byzantine process ids, e.g. 3,4 (default: the last t)' })
      .option('inputs', { type: 'string', describe: 'one input per process, e.g. 0,1,1,0 (default: process i gets i mod |values|)' })
      .option('adversary', { choices: ADVERSARIES, default: 'split' as const, describe: 'Byzantine strategy' })
      .option('seed', { type: 'number', default: 1, describe: 'seed of the random adversary' })
      .option('rounds', { type: 'number', describe: 'rounds to run (default: the termination bound or horizon)' })
      .option('json', { type: 'boolean', default: false, describe: 'print the trace as JSON' }),
  handler: Handler.wrap(async (args: SimulateArgs) => {
    const { protocol } = loadProtocol(args.file);
    const { n, t } = args;
    const byzantine = args.byz === undefined ? Array.from({ length: Math.max(0, Math.min(t, n)) }, (_, k) => n - 1 - k) : parseIntList('byz', args.byz);
    const inputs = args.inputs === undefined ? Array.from({ length: Math.max(0, n) }, (_, i) => i % protocol.values) : parseIntList('inputs', args.inputs);
    const instance = makeInstance(protocol, { n, t, byzantine, inputs });
    if (!instance.ok) throw new UserError(instance.errors.map((e) => formatError(e)).join('\n'));
    if (args.rounds !== undefined && (!Number.isInteger(args.rounds) || args.rounds < 1 || args.rounds > 10000)) {
      throw new UserError(`--rounds must be an integer from 1 to 10000, got ${args.rounds}`);
    }
    const trace = simulate(protocol, instance.value, adversaryFor(args.adversary, args.seed), { hash: protocolHash(protocol), rounds: args.rounds });
    out(args.json ? JSON.stringify(trace, null, 2) : traceToText(trace));
    return trace.violations.length > 0 ? EXIT.violated : EXIT.ok;
  }),
};
