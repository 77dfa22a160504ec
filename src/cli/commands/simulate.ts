import { CommandModule } from 'yargs';
import { protocolHash } from '../../ir/hash';
import { Adversary, none, random, silent, split } from '../../sim/adversary';
import { hybridBounds, makeInstance, type InstanceArgs } from '../../sim/instance';
import type { Protocol } from '../../ir/types';
import { defaultRounds, simulate } from '../../sim/simulate';
import { MAX_N } from '../../trace/schema';
import { traceToText } from '../../trace/text';
import { formatError } from '../../util/result';
import { integerOption, parseIntList } from '../args';
import { MAX_ROUNDS } from '../../ir/bounds';
import { EXIT, type ExitCode } from '../exit-codes';
import { UserError, loadProtocol, out } from '../io';
import { Handler } from '../run';

const ADVERSARIES = ['silent', 'none', 'random', 'split', 'split-swap'] as const;

/** Largest n simulated: a trace file's own limit, so that every run shown can be read back by `trace` and `replay`. */
export const MAX_SIM_N = MAX_N;
/**
 * Local states (n x rounds) one run may record. Measured with quorum-vote at
 * n = 10000: 10 rounds print 29 MB of JSON; 50 rounds take 16 s and 770 MB,
 * 100 rounds 32 s and 1.2 GB. Refused up front rather than running out of heap.
 */
export const MAX_SIM_STATES = 100_000;
/** The PRNG (mulberry32) takes a 32-bit seed; a larger one would silently alias a smaller one. */
const MAX_SEED = 2 ** 32 - 1;

interface SimulateArgs {
  file: string;
  n: number;
  t: number;
  o?: number;
  byz?: string;
  faulty?: string;
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
    case 'none':
      return none();
    case 'random':
      return random(seed);
    case 'split':
      return split();
    case 'split-swap':
      return split({ swap: true });
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
      .option('o', { type: 'number', describe: 'the omission bound o of a hybrid protocol' })
      .option('byz', { type: 'string', alias: 'byzantine', describe: 'Byzantine process ids, e.g. 3,4 (default: the last t; hybrid protocols: the Byzantine set, default the last processes up to the Byzantine bound)' })
      .option('faulty', {
        type: 'string',
        describe: 'crash or omission protocols: the faulty process ids, e.g. 1,2 (default: the last t); hybrid protocols: the omission-faulty set (default: the processes before the Byzantine ones, up to the omission bound)',
      })
      .option('inputs', { type: 'string', describe: 'one input per process, e.g. 0,1,1,0 (default: process i gets i mod |values|)' })
      .option('adversary', {
        choices: ADVERSARIES,
        default: 'split' as const,
        describe: 'strategy: Byzantine senders (silent/none: send nothing; random; split: equivocate), crash (none: never; random; split: one crash a round reaching half the processes) or omission (none; random; split: withhold from half); split-swap exchanges the halves',
      })
      .option('seed', { type: 'number', default: 1, describe: 'seed of the random adversary' })
      .option('rounds', { type: 'number', describe: 'rounds to run (default: the termination bound or horizon)' })
      .option('json', { type: 'boolean', default: false, describe: 'print the trace as JSON' }),
  handler: Handler.wrap(async (args: SimulateArgs) => {
    // every number first: n sizes the arrays built below
    const n = integerOption('n', args.n, { min: 1, max: MAX_SIM_N });
    const t = integerOption('t', args.t, { min: 0, max: n - 1 });
    const seed = integerOption('seed', args.seed, { min: 0, max: MAX_SEED });
    const asked = args.rounds === undefined ? undefined : integerOption('rounds', args.rounds, { min: 1, max: MAX_ROUNDS });
    const { protocol } = loadProtocol(args.file);
    const kind = protocol.faults.kind;
    if (kind !== 'hybrid' && args.o !== undefined) {
      throw new UserError(`${protocol.name} has ${kind} faults, not hybrid ones (\`faults byzantine and omission\`): it has no parameter o, drop --o`);
    }
    if (kind === 'hybrid') return simulateHybrid(protocol, args, n, t, seed, asked);
    if (kind === 'byzantine' && args.faulty !== undefined) {
      throw new UserError(`${protocol.name} has Byzantine faults: name them with --byz, not --faulty`);
    }
    if (kind !== 'byzantine' && args.byz !== undefined) {
      throw new UserError(`${protocol.name} has ${kind} faults, not Byzantine ones: name the faulty processes with --faulty, not --byz`);
    }
    const lastT = Array.from({ length: Math.max(0, Math.min(t, n)) }, (_, k) => n - 1 - k);
    const listed = kind === 'byzantine' ? args.byz : args.faulty;
    const faulty = listed === undefined ? lastT : parseIntList(kind === 'byzantine' ? 'byz' : 'faulty', listed);
    const inputs = args.inputs === undefined ? Array.from({ length: Math.max(0, n) }, (_, i) => i % protocol.values) : parseIntList('inputs', args.inputs);
    const instance = makeInstance(protocol, kind === 'byzantine' ? { n, t, byzantine: faulty, inputs } : { n, t, faulty, inputs });
    if (!instance.ok) throw new UserError(instance.errors.map((e) => formatError(e)).join('\n'));
    const rounds = asked ?? defaultRounds(protocol, n, t);
    if (n * rounds > MAX_SIM_STATES) {
      throw new UserError(`--n ${n} for ${rounds} rounds${asked === undefined ? ' (the protocol\'s bound)' : ''} records ${n * rounds} local states; a simulation records at most ${MAX_SIM_STATES} (n x rounds): use a smaller n${asked === undefined ? ' or --rounds' : ' or fewer rounds'}`);
    }
    const trace = simulate(protocol, instance.value, adversaryFor(args.adversary, seed), { hash: protocolHash(protocol), rounds });
    out(args.json ? JSON.stringify(trace, null, 2) : traceToText(trace));
    return trace.violations.length > 0 ? EXIT.violated : EXIT.ok;
  }),
};

/** The last `k` processes among 0..n-1 not in `taken`, ascending. */
function lastFree(n: number, k: number, taken: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = n - 1; i >= 0 && out.length < k; i--) if (!taken.includes(i)) out.push(i);
  return out.reverse();
}

/**
 * `simulate` of a hybrid protocol (docs/semantics.md section 1.9): --o is
 * required, --byz names the Byzantine set B and --faulty the omission-faulty
 * set O. By default B is the last processes up to the Byzantine bound and O
 * the ones before them up to the omission bound (never more than n in all).
 */
function simulateHybrid(protocol: Protocol, args: SimulateArgs, n: number, t: number, seed: number, asked: number | undefined): ExitCode {
  if (args.o === undefined) throw new UserError(`${protocol.name} has hybrid faults (Byzantine and omission): give its omission bound with --o`);
  const o = integerOption('o', args.o, { min: 0, max: n });
  const bounds = hybridBounds(protocol, n, t, o);
  const byzListed = args.byz === undefined ? undefined : parseIntList('byz', args.byz);
  const omitListed = args.faulty === undefined ? undefined : parseIntList('faulty', args.faulty);
  const fb = Math.min(bounds.byzantine, n - (omitListed?.length ?? 0));
  const byzantine = byzListed ?? lastFree(n, Math.max(0, fb), omitListed ?? []);
  const faulty = omitListed ?? lastFree(n, Math.max(0, Math.min(bounds.omission, n - byzantine.length)), byzantine);
  const inputs = args.inputs === undefined ? Array.from({ length: n }, (_, i) => i % protocol.values) : parseIntList('inputs', args.inputs);
  const instanceArgs: InstanceArgs = { n, t, o, byzantine, faulty, inputs };
  const instance = makeInstance(protocol, instanceArgs);
  if (!instance.ok) throw new UserError(instance.errors.map((e) => formatError(e)).join('\n'));
  const rounds = asked ?? defaultRounds(protocol, n, t, o);
  if (n * rounds > MAX_SIM_STATES) {
    throw new UserError(`--n ${n} for ${rounds} rounds${asked === undefined ? " (the protocol's bound)" : ''} records ${n * rounds} local states; a simulation records at most ${MAX_SIM_STATES} (n x rounds): use a smaller n${asked === undefined ? ' or --rounds' : ' or fewer rounds'}`);
  }
  const trace = simulate(protocol, instance.value, adversaryFor(args.adversary, seed), { hash: protocolHash(protocol), rounds });
  out(args.json ? JSON.stringify(trace, null, 2) : traceToText(trace));
  return trace.violations.length > 0 ? EXIT.violated : EXIT.ok;
}
