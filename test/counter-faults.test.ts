// The counter encoding under crash and omission faults, fault bounds beyond
// t and clean-round assumptions (docs/semantics.md sections 1.7, 1.8, 3.2):
// hand-checked verdicts, and every counterexample decodes to a trace with
// the faults recorded as the simulator records them.
import fc from 'fast-check';
import { allProperties, checkOne, claimedProperties, roundsFor } from '../src/check/check';
import { evalBool, evalExpr, evalParamExpr, evalParamInt } from '../src/ir/eval';
import { type Assumption, DECIDED, type Expr, type FaultKind, type LocalState, type Property, type PropertyName, type Protocol, type Round, type UserProperty, type Val } from '../src/ir/types';
import { checkedBoundary, type ScopedRun, stateHolds } from '../src/sim/user-properties';
import { arbitraryProtocol } from './helpers/arbitrary-protocol';
import { bruteForce } from './helpers/sim-brute';
import { explore } from '../src/sim/explore';
import { protocolHash } from '../src/ir/hash';
import { protocolArbWith } from './helpers/smt-random';
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

// ---- cross-check against exhaustive exploration ----
// An explorer of its own (the simulator's exploration over crash and
// omission faults is being written concurrently): every f, every faulty set
// up to the symmetry of non-leaders (any subset of the leaders, filled up
// with the highest other ids), every input
// vector, per round every crash set and, per receiver, every number of the
// droppable messages of each (type, payload) it gets (receivers see only
// counts), deduplicated per configuration. Expressions by src/ir/eval, user
// properties by the simulator's one evaluator.

type Inbox = Map<string, Map<Val, number>>;

function initialOf(p: Protocol, n: number, t: number, input: number): LocalState {
  const st: LocalState = {};
  for (const d of p.vars) st[d.name] = d.init === 'input' ? input : evalExpr(d.init, { n, t, phase: 1, values: p.values, state: {} });
  st[DECIDED] = null;
  return st;
}

function step(p: Protocol, n: number, t: number, g: number, s: LocalState, inbox: Inbox): LocalState {
  const k = p.rounds.length;
  const env = { n, t, phase: Math.floor((g - 1) / k) + 1, values: p.values, state: s, inbox };
  const rule = (p.rounds[(g - 1) % k] as Round).rules.find((r) => evalBool(r.guard, env));
  if (rule === undefined) return s;
  const next = { ...s };
  for (const a of rule.actions) {
    const x = evalExpr(a.value, env);
    if (a.kind === 'assign') next[a.name] = x;
    else if (s[DECIDED] === null) next[DECIDED] = x;
  }
  return next;
}

const subsetsOf = <X>(xs: X[]): X[][] => xs.reduce<X[][]>((acc, x) => acc.flatMap((s) => [s, [...s, x]]), [[]]);
const productOf = <X>(lists: X[][]): X[][] => lists.reduce<X[][]>((acc, l) => acc.flatMap((pre) => l.map((x) => [...pre, x])), [[]]);

/** Which of `props` some run of `rounds` rounds violates (all under the same clean-round assumption). */
function bruteViolated(p: Protocol, n: number, t: number, rounds: number, props: PropertyName[]): Set<PropertyName> {
  const kind = p.faults.kind;
  const k = p.rounds.length;
  // a clean round within R constrains runs of at least R rounds, R >= 1 (docs/semantics.md section 1.8)
  const within = Math.min(...p.assumptions.map((a) => evalParamInt(a.within, n, t)).filter((w) => w >= 1 && w <= rounds));
  const found = new Set<PropertyName>();
  const maxF = Math.min(evalParamInt(p.faults.bound, n, t), n);
  const leaders = new Set<number>();
  for (let g = 1; g <= rounds; g++) {
    const r = p.rounds[(g - 1) % k] as Round;
    if (r.sends.some((s) => p.messages.find((m) => m.name === s.message)?.leader === true)) leaders.add((Math.floor((g - 1) / k)) % n);
  }
  const others = Array.from({ length: n }, (_, i) => n - 1 - i).filter((i) => !leaders.has(i));
  const sets = subsetsOf([...leaders])
    .filter((ls) => ls.length <= maxF)
    .flatMap((ls) => Array.from({ length: Math.min(maxF - ls.length, others.length) + 1 }, (_, j) => [...ls, ...others.slice(0, j)]));
  for (const faulty of sets) {
    const isF = (i: number): boolean => faulty.includes(i);
    const correct = Array.from({ length: n }, (_, i) => i).filter((i) => !isF(i));
    for (const inputs of productOf(Array.from({ length: n }, () => Array.from({ length: p.values }, (_, v) => v)))) {
      const first = inputs[correct[0] ?? 0] as number;
      const unanimous = correct.length > 0 && correct.every((i) => inputs[i] === first) ? first : null;
      const run = (states: (LocalState | null)[][]): ScopedRun => ({ n, t, faults: kind, faulty, roundsPerPhase: k, states, inputs });
      /** per property: does it fail at this boundary (always kinds), or does the goal hold (eventually) */
      const at = (hist: (LocalState | null)[][], b: number): boolean[] =>
        props.map((name) => {
          const s = hist[b] as (LocalState | null)[];
          const dec = correct.map((i) => s[i]?.[DECIDED] ?? null).filter((d) => d !== null);
          if (name === 'agreement') return new Set(dec).size > 1;
          if (name === 'validity') return unanimous !== null && dec.some((d) => d !== unanimous);
          if (name === 'termination') return b === rounds && correct.some((i) => (s[i]?.[DECIDED] ?? null) === null);
          const u = p.userProperties.find((x) => x.name === name) as UserProperty;
          if (u.formula.kind === 'always') return checkedBoundary(u.formula.at, b, k) && !stateHolds(p, u, u.formula.state, run(hist), b);
          return b <= evalParamInt(u.formula.within, n, t) && stateHolds(p, u, u.formula.goal, run(hist), b);
        });
      const init = inputs.map((x) => initialOf(p, n, t, x));
      const given = props.map((name) => {
        const u = p.userProperties.find((x) => x.name === name);
        return u === undefined || u.formula.kind !== 'eventually' || stateHolds(p, u, u.formula.given, run([init]), 0);
      });
      const seen = new Set<string>();
      const go = (hist: (LocalState | null)[][], flags: boolean[], clean: boolean): void => {
        const g = hist.length;
        const cur = hist[g - 1] as (LocalState | null)[];
        const key = `${g}|${JSON.stringify(cur)}|${flags.join()}|${clean}`;
        if (seen.has(key)) return;
        seen.add(key);
        if (g - 1 === rounds) {
          if (within <= rounds && !clean) return;
          props.forEach((name, j) => {
            const u = p.userProperties.find((x) => x.name === name);
            const eventually = u !== undefined && u.formula.kind === 'eventually';
            if (eventually ? given[j] === true && !flags[j] : flags[j]) found.add(name);
          });
          return;
        }
        const alive = cur.map((s, i) => (s === null ? -1 : i)).filter((i) => i >= 0);
        const sent: { from: number; key: string; m: string; v: Val }[] = [];
        const round = p.rounds[(g - 1) % k] as Round;
        for (const i of alive) {
          const env = { n, t, phase: Math.floor((g - 1) / k) + 1, values: p.values, state: cur[i] as LocalState };
          for (const s of round.sends) {
            if (p.messages.find((m) => m.name === s.message)?.leader === true && i !== Math.floor((g - 1) / k) % n) continue;
            if (s.when !== null && !evalBool(s.when, env)) continue;
            const v = s.payload === null ? null : evalExpr(s.payload, env);
            sent.push({ from: i, key: JSON.stringify([s.message, v]), m: s.message, v });
          }
        }
        const crashSets = kind === 'crash' ? subsetsOf(alive.filter(isF)) : [[]];
        for (const crashing of crashSets) {
          const drop = (i: number): boolean => (kind === 'omission' ? isF(i) : crashing.includes(i));
          const sure: Inbox = new Map();
          const groups = new Map<string, { m: string; v: Val; k: number }>();
          for (const x of sent) {
            if (!drop(x.from)) {
              const per = sure.get(x.m) ?? new Map<Val, number>();
              per.set(x.v, (per.get(x.v) ?? 0) + 1);
              sure.set(x.m, per);
            } else groups.set(x.key, { ...(groups.get(x.key) ?? { m: x.m, v: x.v, k: 0 }), k: (groups.get(x.key)?.k ?? 0) + 1 });
          }
          const gs = [...groups.values()];
          const stepping = alive.filter((i) => !crashing.includes(i));
          const options = stepping.map((i) => {
            const out = new Map<string, [LocalState, boolean]>();
            for (const counts of productOf(gs.map((x) => Array.from({ length: x.k + 1 }, (_, c) => c)))) {
              const inbox: Inbox = new Map([...sure].map(([m, per]) => [m, new Map(per)]));
              gs.forEach((x, j) => {
                const per = inbox.get(x.m) ?? new Map<Val, number>();
                per.set(x.v, (per.get(x.v) ?? 0) + (counts[j] as number));
                inbox.set(x.m, per);
              });
              const full = gs.every((x, j) => counts[j] === x.k);
              const next = step(p, n, t, g, cur[i] as LocalState, inbox);
              out.set(`${JSON.stringify(next)}|${full}`, [next, full]);
            }
            return [...out.values()];
          });
          for (const pick of productOf(options)) {
            const nextStates: (LocalState | null)[] = new Array<LocalState | null>(n).fill(null);
            stepping.forEach((i, j) => (nextStates[i] = (pick[j] as [LocalState, boolean])[0]));
            const roundClean = kind === 'crash' ? crashing.length === 0 : pick.every(([, full]) => full);
            const h = [...hist, nextStates];
            const now = at(h, g);
            go(h, flags.map((x, j) => x || (now[j] as boolean)), clean || (roundClean && g <= within));
          }
        }
      };
      go([init], at([init], 0), false);
      if (found.size === props.length) return found;
    }
  }
  return found;
}

/** A random protocol (leader messages included), under crash or omission faults, cut down to an instance n <= 4 the explorer can exhaust. */
function smallInstance(p0: Protocol): { p: Protocol; n: number; t: number } | null {
  const inst = [[3, 1], [4, 1], [2, 1]].find(([n, t]) => evalParamExpr(p0.resilience, n as number, t as number) === true);
  if (inst === undefined) return null;
  const [n, t] = inst as [number, number];
  const clamp = (e: Expr, max: number): Expr => (evalParamInt(e, n, t) > max ? int(max) : e);
  const kind = p0.faults.kind === 'byzantine' ? 'omission' : p0.faults.kind;
  const termination = p0.properties.termination === null ? null : clamp(p0.properties.termination, 3);
  const p: Protocol = {
    ...p0,
    faults: { kind, bound: clamp(p0.faults.bound, t + 1) },
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
