// The counter encoding under crash and omission faults, fault bounds beyond
// t and clean-round assumptions (docs/semantics.md sections 1.7, 1.8, 3.2):
// hand-checked verdicts, and every counterexample decodes to a trace with
// the faults recorded as the simulator records them (checkOne replays it);
// random protocols against two exhaustive explorers (./helpers/counter-explore.ts
// and the simulator's), and Byzantine faults up to t + 1 against brute force.
import fc from 'fast-check';
import { allProperties, checkOne, claimedProperties, roundsFor } from '../src/check/check';
import { evalParamExpr, evalParamInt } from '../src/ir/eval';
import type { Assumption, Expr, FaultKind, Property, Protocol } from '../src/ir/types';
import { arbitraryProtocol } from './helpers/arbitrary-protocol';
import { bruteForce } from './helpers/sim-brute';
import { bruteViolated } from './helpers/counter-explore';
import { explore } from '../src/sim/explore';
import { protocolHash } from '../src/ir/hash';
import { protocolArbWith } from './helpers/smt-random';
import { add, and, assign, bool, cmp, count, decide, int, message, or, phase, protocol, rule, send, T, v, valueVar, boolVar, N } from './helpers/sim-ir';
import { singleBound } from '../src/ir/faults';

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
  test('a clean round within R does not constrain runs shorter than R, nor R < 1 (section 1.8)', async () => {
    expect(await verdict(floodset('crash', { decideAt: T, assumptions: [{ kind: 'clean-round', within: tPlus1 }] }), 'agreement', 3, 1, 1)).toBe('violated');
    expect(await verdict(floodset('crash', { decideAt: T, assumptions: [{ kind: 'clean-round', within: int(0) }] }), 'agreement', 3, 1, 1)).toBe('violated');
  });
  test('up to t + 1 crashes break t + 1 rounds', async () => {
    expect(await verdict(floodset('crash', { bound: tPlus1 }), 'agreement', 4, 1, 2)).toBe('violated');
  });
});

describe('counter encoding, omission faults: floodset', () => {
  test('omission breaks floodset agreement at t + 1 rounds (a faulty process may speak late), not termination', async () => {
    expect(await verdict(floodset('omission'), 'agreement', 3, 1, 2)).toBe('violated');
    expect(await verdict(floodset('omission'), 'termination', 4, 2, 3)).toBe('verified');
  });
});

/** One round: the leader broadcasts its input; decide what it says, or your own input without its message. */
function followTheLeader(kind: FaultKind, assumptions: Assumption[] = []): Protocol {
  const base = protocol({
    name: 'FollowTheLeader',
    resilience: cmp(N, '>', T),
    vars: [valueVar('x')],
    messages: [message('L', true)],
    rounds: [{ name: 'lead', sends: [send('L', v('x'))], rules: [rule(cmp(count('L', int(0)), '>=', int(1)), decide(int(0))), rule(cmp(count('L', int(1)), '>=', int(1)), decide(int(1))), rule(bool(true), decide(v('x')))] }],
    agreement: true,
    validity: false,
    termination: int(1),
  });
  return { ...base, faults: { kind, bound: T }, assumptions };
}

describe('leaders under crash and omission faults', () => {
  test('a leader crashing mid-broadcast splits the decisions; a clean first round does not', async () => {
    expect(await verdict(followTheLeader('crash'), 'agreement', 3, 1, 1)).toBe('violated');
    expect(await verdict(followTheLeader('crash', [{ kind: 'clean-round', within: int(1) }]), 'agreement', 3, 1, 1)).toBe('verified');
  });
  test('an omission-faulty leader splits them unless the round is clean', async () => {
    expect(await verdict(followTheLeader('omission'), 'agreement', 4, 1, 1)).toBe('violated');
    expect(await verdict(followTheLeader('omission', [{ kind: 'clean-round', within: int(1) }]), 'agreement', 4, 1, 1)).toBe('verified');
  });
});

/** A random protocol (leader messages included), under crash or omission faults, cut down to an instance n <= 4 the explorer can exhaust. */
function smallInstance(p0: Protocol): { p: Protocol; n: number; t: number } | null {
  const inst = [[3, 1], [4, 1], [2, 1]].find(([n, t]) => evalParamExpr(p0.resilience, n as number, t as number) === true);
  if (inst === undefined) return null;
  const [n, t] = inst as [number, number];
  const clamp = (e: Expr, max: number): Expr => (evalParamInt(e, n, t) > max ? int(max) : e);
  const kind = p0.faults.kind === 'crash' ? 'crash' : 'omission';
  const termination = p0.properties.termination === null ? null : clamp(p0.properties.termination, 3);
  const p: Protocol = {
    ...p0,
    faults: { kind, bound: clamp(singleBound(p0.faults), t + 1) },
    horizon: clamp(p0.horizon, 3),
    properties: { ...p0.properties, termination },
  };
  return { p, n, t };
}

describe('counter verdicts agree with exhaustive exploration (crash, omission, leaders; n <= 4)', () => {
  test('random protocols, every property', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryProtocol({ faults: true, leaders: true, maxValues: 3, maxRounds: 3, maxExtraVars: 1 }), async (p0) => {
        const small = smallInstance(p0);
        fc.pre(small !== null);
        const { p, n, t } = small as { p: Protocol; n: number; t: number };
        for (const property of allProperties(p)) {
          const rounds = roundsFor(p, property, n, t);
          const r = await checkOne(p, 'counter', { n, t, rounds }, property, 60_000);
          if (r.verdict === 'unknown') {
            expect(r.reason).toMatch(/beyond the/);
            continue;
          }
          const brute = bruteViolated(p, n, t, rounds, [property]).has(property);
          if ((r.verdict === 'violated') !== brute) throw new Error(`${property} at ${n}:${t}: counter ${r.verdict}, exploration ${brute ? 'violated' : 'verified'}\n${JSON.stringify(p)}`);
          // and the simulator's own exploration (src/sim/explore.ts), where it decides
          const ex = explore(p, { n, t, hash: protocolHash(p), rounds });
          if (!ex.ok) throw new Error(`explore: ${JSON.stringify(ex)}`);
          const sim = ex.value.byName[property]?.status;
          if (sim === 'holds' || sim === 'violated') expect(`${property}: ${r.verdict}`).toBe(`${property}: ${sim === 'holds' ? 'verified' : 'violated'}`);
        }
      }),
      { numRuns: 40, seed: 1414 },
    );
  }, 120_000);
});

describe('Byzantine faults up to t + 1 (counter vs brute force over every f <= t + 1, leaders included)', () => {
  test('random protocols at n:t 3:1', async () => {
    await fc.assert(
      fc.asyncProperty(protocolArbWith('n>t'), async (p0) => {
        const R = Math.min(evalParamInt(p0.horizon, 3, 1), 2);
        const p: Protocol = { ...p0, faults: { kind: 'byzantine', bound: tPlus1 }, horizon: int(R), properties: { ...p0.properties, termination: int(R) } };
        const truth = [0, 1, 2].map((f) => bruteForce(p, 3, 1, f, R));
        for (const property of claimedProperties(p)) {
          const r = await checkOne(p, 'counter', { n: 3, t: 1, rounds: R }, property, 60_000);
          expect(r.verdict).toBe(truth.some((x) => x[property]) ? 'violated' : 'verified');
        }
      }),
      { numRuns: 8, seed: 77 },
    );
  }, 120_000);
});
