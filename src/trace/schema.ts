// The shape of a trace in plain JSON (the Trace model), as a zod schema, and
// the semantic checks that a schema cannot state (array lengths equal to n,
// process ids in range). A trace that passes both can be exported and
// replayed without any engine tripping over it; whether it is a run of a
// given protocol is replayTrace's question.

import { z } from 'zod';
import { unreachable } from '../ir/types';
import type { Trace } from './model';
import { faultIssues } from './schema-faults';

/** Beyond these a file is not a plausible trace, and allocating for it would hurt. */
export const MAX_N = 10000;
export const MAX_ROUNDS = 10000;

export const valSchema = z.union([z.number().int(), z.boolean(), z.null()], { error: 'expected a value: an integer, true, false or null' });
const pid = z.number().int().nonnegative();
const localState = z.record(z.string(), valSchema);

export const violationSchema = z.discriminatedUnion(
  'property',
  [
    z.object({ property: z.literal('agreement'), round: pid, processes: z.tuple([pid, pid]), values: z.tuple([z.number().int(), z.number().int()]) }),
    z.object({ property: z.literal('validity'), round: pid, process: pid, value: z.number().int(), input: z.number().int() }),
    z.object({ property: z.literal('termination'), round: pid, processes: z.array(pid) }),
    z.object({ property: z.literal('user'), name: z.string().min(1, 'a user property needs a name'), round: pid, processes: z.array(pid) }),
  ],
  { error: 'expected a violation with property agreement, validity, termination or user' },
);

export const protocolRefSchema = z.object({ name: z.string(), hash: z.string() });

const roundSchema = z.object({
  round: z.number().int().min(1),
  phase: z.number().int().min(1),
  name: z.string(),
  leader: pid,
  sent: z.array(z.object({ from: pid, message: z.string(), payload: valSchema })),
  byzantine: z.array(z.object({ from: pid, to: pid, message: z.string(), payload: valSchema })),
  fired: z.array(z.number().int().nonnegative().nullable()),
  states: z.array(localState.nullable()),
  crashed: z.array(pid).optional(),
  withheld: z.array(z.object({ from: pid, to: pid, message: z.string() })).optional(),
});

export const faultKindSchema = z.enum(['byzantine', 'crash', 'omission', 'hybrid'], { error: 'expected a fault kind: byzantine, crash or omission, or hybrid (Byzantine and omission together)' });

export const traceSchema = z.object({
  protocol: protocolRefSchema,
  n: z.number().int().min(1).max(MAX_N),
  t: z.number().int().min(0),
  byzantine: z.array(pid),
  o: z.number().int().min(0).optional(),
  faults: faultKindSchema.optional(),
  faulty: z.array(pid).optional(),
  inputs: z.array(z.number().int().nonnegative().nullable()),
  initial: z.array(localState.nullable()),
  rounds: z.array(roundSchema).max(MAX_ROUNDS),
  violations: z.array(violationSchema),
});

// The schema must describe exactly the model: this fails to compile otherwise.
const sameAsModel: (x: z.infer<typeof traceSchema>) => Trace = (x) => x;
void sameAsModel;

import type { Path } from '../util/json-locate';

export type { Path };

export interface TraceIssue {
  path: Path;
  message: string;
}

/** Semantic problems of a schema-valid trace, each at the offending node; at most `limit`. */
export function wellFormedIssues(trace: Trace, limit = 20): TraceIssue[] {
  const issues: TraceIssue[] = [];
  const add = (path: Path, message: string): void => {
    if (issues.length < limit) issues.push({ path, message });
  };
  const n = trace.n;
  const pidOk = (path: Path, i: number): void => {
    if (i >= n) add(path, `process ${i} is out of range 0..${n - 1} (n = ${n})`);
  };
  const lengthOk = (path: Path, length: number, what: string): void => {
    if (length !== n) add(path, `expected ${n} ${what} (one per process, n = ${n}), found ${length}`);
  };
  trace.byzantine.forEach((b, k) => {
    pidOk(['byzantine', k], b);
    if (k > 0 && b <= trace.byzantine[k - 1]!) add(['byzantine', k], 'the Byzantine ids must be strictly ascending');
  });
  lengthOk(['inputs'], trace.inputs.length, 'inputs');
  lengthOk(['initial'], trace.initial.length, 'initial states');
  trace.rounds.forEach((r, k) => {
    const at = (...rest: Path): Path => ['rounds', k, ...rest];
    pidOk(at('leader'), r.leader);
    lengthOk(at('states'), r.states.length, 'states');
    lengthOk(at('fired'), r.fired.length, 'fired entries');
    r.sent.forEach((b, j) => pidOk(at('sent', j, 'from'), b.from));
    r.byzantine.forEach((m, j) => {
      pidOk(at('byzantine', j, 'from'), m.from);
      pidOk(at('byzantine', j, 'to'), m.to);
    });
  });
  faultIssues(trace, add);
  trace.violations.forEach((v, k) => {
    switch (v.property) {
      case 'agreement':
        v.processes.forEach((p, j) => pidOk(['violations', k, 'processes', j], p));
        break;
      case 'validity':
        pidOk(['violations', k, 'process'], v.process);
        break;
      case 'termination':
      case 'user':
        v.processes.forEach((p, j) => pidOk(['violations', k, 'processes', j], p));
        break;
      default:
        unreachable(v);
    }
  });
  return issues;
}
