import { CommandModule } from 'yargs';
import { protocolHash } from '../../ir/hash';
import { unreachable } from '../../ir/types';
import { replayTrace, type Mismatch, type MismatchKind } from '../../sim/replay';
import { describeViolation } from '../../trace/text';
import { EXIT, ExitCode } from '../exit-codes';
import { UserError, loadProtocol, out } from '../io';
import { Handler } from '../run';
import type { Path } from '../../util/json-locate';
import { checkTraceFits, loadTrace } from './trace';

interface ReplayArgs {
  protocol: string;
  trace: string;
}

/**
 * A trace that cannot be a run of the protocol at all (wrong instance,
 * shape or Byzantine messages) is malformed input; one that is a run but
 * reaches other states or violations does not reproduce.
 */
function exitFor(kind: MismatchKind): ExitCode {
  switch (kind) {
    case 'protocol':
    case 'instance':
    case 'shape':
    case 'byzantine':
    case 'faults':
      return EXIT.badInput;
    case 'state':
    case 'fired':
    case 'sent':
    case 'violations':
      return EXIT.violated;
    default:
      return unreachable(kind);
  }
}

/** Where in the trace (model path) a mismatch is: the round's record, down to the process where known. */
function mismatchPath(m: Mismatch): Path {
  if (m.round === null) return [];
  if (m.round === 0) return m.process === null ? ['initial'] : ['initial', m.process];
  const round: Path = ['rounds', m.round - 1];
  if (m.kind === 'byzantine' || m.kind === 'sent') return [...round, m.kind];
  if (m.kind === 'fired') return m.process === null ? [...round, 'fired'] : [...round, 'fired', m.process];
  return m.process === null ? round : [...round, 'states', m.process];
}

function where(m: Mismatch): string {
  const parts = [m.round === null ? null : m.round === 0 ? 'initial states' : `round ${m.round}`, m.process === null ? null : `p${m.process}`, m.variable === null ? null : `variable ${m.variable}`];
  return parts.filter((p): p is string => p !== null).join(', ');
}

export const replayCommand: CommandModule<object, ReplayArgs> = {
  command: 'replay <protocol> <trace>',
  describe: 'Re-run a trace (ITF or JSON) in the simulator and say whether it reproduces the violation it records',
  builder: (y) =>
    y
      .positional('protocol', { type: 'string', demandOption: true, describe: 'protocol file (.bft)' })
      .positional('trace', { type: 'string', demandOption: true, describe: 'trace file (ITF or bftsynth JSON)' }),
  handler: Handler.wrap(async (args: ReplayArgs) => {
    const loaded = loadProtocol(args.protocol);
    const read = loadTrace(args.trace);
    const { trace } = read;
    checkTraceFits(read, loaded);
    // A decoder may pick other witnesses than the simulator would, so recorded
    // violations need only hold; a trace that records none must have none.
    const report = replayTrace(loaded.protocol, trace, { hash: protocolHash(loaded.protocol), violations: trace.violations.length === 0 ? 'exact' : 'claimed' });
    if (report.ok) {
      out(
        trace.violations.length === 0
          ? `${args.trace}: replays: the run is reproduced, and it violates no claimed property`
          : `${args.trace}: reproduced:\n${trace.violations.map((v) => `  ${describeViolation(v)}`).join('\n')}`,
      );
      return EXIT.ok;
    }
    const m = report.mismatch;
    const code = exitFor(m.kind);
    const at = where(m);
    const loc = read.locate(mismatchPath(m));
    const text = [
      `${loc.file}:${loc.line}:${loc.col}: ${code === EXIT.badInput ? 'not a run of' : 'does not reproduce on'} ${loaded.protocol.name}: ${m.message}`,
      ...(at === '' ? [] : [`  at: ${at}`]),
      `  trace records: ${m.recorded}`,
      `  replay gives:  ${m.replayed}`,
    ].join('\n');
    // malformed input is an error (stderr); a divergence is the command's answer (stdout)
    if (code === EXIT.badInput) throw new UserError(text);
    out(text);
    return code;
  }),
};
