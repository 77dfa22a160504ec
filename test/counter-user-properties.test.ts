// User properties in the counter encoding (docs/semantics.md section 2.5):
// k-set agreement under crash faults, unforgeability and conditional
// delivery under Byzantine faults (the latter reading `input` through the
// hidden variable), scopes, and `always at phase ends`.
import * as fs from 'fs';
import { checkOne, roundsFor } from '../src/check/check';
import { counterUnsupported } from '../src/smt/counter/support';
import { parseProtocol } from '../src/lang';
import type { Expr, FaultKind, Protocol, StateFormula, UserProperty } from '../src/ir/types';
import { assign, bool, boolVar, cmp, count, decide, int, message, N, otherwise, protocol, rule, send, T, add, v, valueVar } from './helpers/sim-ir';

const distinctAtMost = (k: number): StateFormula => ({ kind: 'cmp', op: '<=', left: { kind: 'distinct', name: 'decided' }, right: { kind: 'int', value: k } });
const always = (name: string, state: StateFormula, scope: UserProperty['scope'] = 'correct'): UserProperty => ({ name, scope, formula: { kind: 'always', at: 'rounds', state } });
const no = (pred: Expr): StateFormula => ({ kind: 'quant', quantifier: 'no', pred });
const all = (pred: Expr): StateFormula => ({ kind: 'quant', quantifier: 'all', pred });

/** One round over {0, 1, 2}: broadcast the input, decide the smallest value received. */
function minOfOneRound(kind: FaultKind, props: UserProperty[]): Protocol {
  const base = protocol({
    name: 'MinOfOneRound',
    values: 3,
    resilience: cmp(N, '>', T),
    vars: [valueVar('x')],
    messages: [message('V')],
    rounds: [
      {
        name: 'spread',
        sends: [send('V', v('x'))],
        rules: [rule(cmp(count('V', int(0)), '>=', int(1)), decide(int(0))), rule(cmp(count('V', int(1)), '>=', int(1)), decide(int(1))), otherwise(decide(int(2)))],
      },
    ],
    agreement: false,
    validity: false,
    horizon: int(1),
  });
  return { ...base, faults: { kind, bound: T }, userProperties: props };
}

/** Accept once at least `need` echoes arrive; correct processes echo iff their input is 1. */
function echo(need: Expr, props: UserProperty[]): Protocol {
  const base = protocol({
    name: 'Echo',
    resilience: cmp(N, '>', int(3)),
    vars: [valueVar('x'), boolVar('accepted')],
    messages: [message('E', false, null)],
    rounds: [{ name: 'echo', sends: [send('E', null, cmp(v('x'), '==', int(1)))], rules: [rule(cmp(count('E'), '>=', need), assign('accepted', bool(true)))] }],
    agreement: false,
    validity: false,
    horizon: int(2),
  });
  return { ...base, userProperties: props };
}

async function verdict(p: Protocol, property: string, n: number, t: number, rounds: number): Promise<string> {
  const r = await checkOne(p, 'counter', { n, t, rounds }, property, 60_000);
  if (r.verdict === 'unknown') throw new Error(r.reason);
  return r.verdict;
}

const inputIs1: Expr = cmp(v('input'), '==', int(1));
const unforgeable = always('unforgeable', { kind: 'implies', left: no(inputIs1), right: no(v('accepted')) });

describe('k-set agreement under crash faults (distinct)', () => {
  const p = minOfOneRound('crash', [always('one_set', distinctAtMost(1)), always('two_set', distinctAtMost(2)), always('two_set_followers', distinctAtMost(2), 'followers')]);
  test('one crash splits the decisions in two, never three', async () => {
    expect(await verdict(p, 'one_set', 3, 1, 1)).toBe('violated');
    expect(await verdict(p, 'two_set', 4, 1, 1)).toBe('verified');
    expect(await verdict(p, 'two_set_followers', 4, 1, 1)).toBe('verified');
  });
  test('two crashes split three correct processes three ways', async () => {
    expect(await verdict(p, 'two_set', 5, 2, 1)).toBe('violated');
  });
});

describe('unforgeability and delivery under Byzantine faults (input through the hidden variable)', () => {
  const delivery: UserProperty = { name: 'delivery', scope: 'correct', formula: { kind: 'eventually', given: all(inputIs1), goal: all(v('accepted')), within: int(1) } };
  const tooSoon: UserProperty = { ...delivery, name: 'too_soon', formula: { ...delivery.formula, within: int(0) } as UserProperty['formula'] };
  test('t + 1 echoes cannot be forged by t Byzantine processes', async () => {
    expect(await verdict(echo(add(T, int(1)), [unforgeable]), 'unforgeable', 4, 1, 2)).toBe('verified');
    expect(await verdict(echo(add(T, int(1)), [unforgeable]), 'unforgeable', 7, 2, 2)).toBe('verified');
  });
  test('t echoes can', async () => {
    expect(await verdict(echo(T, [unforgeable]), 'unforgeable', 4, 1, 2)).toBe('violated');
  });
  test('t + 1 Byzantine processes forge t + 1 echoes', async () => {
    const p = echo(add(T, int(1)), [unforgeable]);
    expect(await verdict({ ...p, faults: { kind: 'byzantine', bound: add(T, int(1)) } }, 'unforgeable', 4, 1, 2)).toBe('violated');
  });
  test('eventually: delivered within one round, not within none', async () => {
    const p = echo(add(T, int(1)), [delivery, tooSoon]);
    expect(await verdict(p, 'delivery', 4, 1, 2)).toBe('verified');
    expect(await verdict(p, 'too_soon', 4, 1, 2)).toBe('violated');
  });
  test('eventually beyond the run is unknown, with the reason', async () => {
    const p = echo(add(T, int(1)), [{ ...delivery, formula: { ...delivery.formula, within: int(3) } as UserProperty['formula'] }]);
    const r = await checkOne(p, 'counter', { n: 4, t: 1, rounds: 2 }, 'delivery', 60_000);
    expect(r.verdict).toBe('unknown');
    expect(r.reason).toMatch(/beyond the 2 rounds/);
  });
});

/** The synchronous threshold automata suite (specs/sta, docs/sta-suite.md): every verdict expected.json states, at its first instance (all of them: ~2x the time). */
describe('STA suite: the counter encoding gives every expected verdict', () => {
  const expected = JSON.parse(fs.readFileSync('specs/sta/expected.json', 'utf8')) as Record<string, Record<string, unknown>>;
  const files = Object.entries(expected).filter(([file, e]) => file.endsWith('.bft') && typeof e.instances === 'string');
  test.each(files)('%s', async (file, e) => {
    const parsed = parseProtocol(fs.readFileSync(file, 'utf8'), file);
    if (!parsed.ok) throw new Error(`${file} does not parse`);
    const p = parsed.value;
    const props = Object.keys(e).filter((k) => e[k] === 'verified' || e[k] === 'violated');
    // hybrid faults: the counter encoding refuses them by design (the process engine answers, test/sta-suite.test.ts)
    if (p.faults.kind === 'hybrid') {
      for (const prop of props) expect(counterUnsupported(p, prop)).toMatch(/hybrid faults/);
      return;
    }
    for (const inst of (e.instances as string).split(',').slice(0, 1)) {
      const [n, t] = inst.split(':').map(Number) as [number, number];
      for (const prop of props) {
        const r = await checkOne(p, 'counter', { n, t, rounds: roundsFor(p, prop, n, t) }, prop, 60_000);
        expect(`${prop} at ${inst}: ${r.verdict}`).toBe(`${prop} at ${inst}: ${String(e[prop])}`);
      }
    }
  }, 60_000);
});
