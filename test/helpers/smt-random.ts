// Random small protocols (IR) for cross-checking the SMT engines against the
// exhaustive explorer: one value variable, an optional flag, VAL votes, an
// optional leader message, 1-2 rounds per phase, 1-3 threshold rules.

import { DEFAULT_FAULT_FIELDS } from '../../src/ir/faults';
import fc from 'fast-check';
import type { Action, Expr, Protocol, Round, Rule } from '../../src/ir/types';

const int = (value: number): Expr => ({ kind: 'int', value });
const cnt = (message: string, payload: Expr | null): Expr => ({ kind: 'count', message, payload });
const ge = (left: Expr, right: Expr): Expr => ({ kind: 'cmp', op: '>=', left, right });
const v: Expr = { kind: 'var', name: 'v' };
const b: Expr = { kind: 'var', name: 'b' };
const nParam: Expr = { kind: 'param', name: 'n' };
const tParam: Expr = { kind: 'param', name: 't' };
const nMinusT: Expr = { kind: 'sub', left: nParam, right: tParam };
const tPlus1: Expr = { kind: 'add', left: tParam, right: int(1) };

/** Resilience conditions of the random protocols: the usual n > 3t, or n > t (admits n = t + 1, where fewer faults matter). */
export const RESILIENCE: Record<'n>3t' | 'n>t', Expr> = {
  'n>3t': { kind: 'cmp', op: '>', left: nParam, right: { kind: 'mul', coef: 3, arg: tParam } },
  'n>t': { kind: 'cmp', op: '>', left: nParam, right: tParam },
};

function guardArb(leader: boolean): fc.Arbitrary<Expr> {
  const atom = fc.oneof(
    fc.tuple(fc.constantFrom<Expr>(int(0), int(1), v), fc.integer({ min: 0, max: 5 })).map(([p, k]) => ge(cnt('VAL', p), int(k))),
    fc.tuple(fc.constantFrom<Expr>(int(0), int(1), v), fc.constantFrom<Expr>(nMinusT, tPlus1)).map(([p, k]) => ge(cnt('VAL', p), k)),
    fc.integer({ min: 0, max: 5 }).map((k) => ge(cnt('VAL', null), int(k))),
    fc.constant<Expr>({ kind: 'cmp', op: '==', left: { kind: 'phase' }, right: int(2) }),
    fc.constant<Expr>(b),
    ...(leader ? [fc.constantFrom(0, 1).map((p) => ge(cnt('K', int(p)), int(1)))] : []),
  );
  return fc.oneof(atom, fc.tuple(atom, atom).map(([l, r]): Expr => ({ kind: 'and', left: l, right: r })), atom.map((a): Expr => ({ kind: 'not', arg: a })));
}

const actionArb: fc.Arbitrary<Action[]> = fc.tuple(
  fc.constantFrom<Expr | null>(null, int(0), int(1), { kind: 'maj', message: 'VAL', tie: 'min' }, { kind: 'maj', message: 'VAL', tie: 'max' }),
  fc.constantFrom<boolean | null>(null, true, false),
  fc.constantFrom<Expr | null>(null, null, int(0), int(1), v),
).map(([assign, flag, decide]) => {
  const out: Action[] = [];
  if (assign !== null) out.push({ kind: 'assign', name: 'v', value: assign });
  if (flag !== null) out.push({ kind: 'assign', name: 'b', value: { kind: 'bool', value: flag } });
  if (decide !== null) out.push({ kind: 'decide', value: decide });
  return out;
});

function roundArb(leader: boolean): fc.Arbitrary<Round> {
  const rule: fc.Arbitrary<Rule> = fc.tuple(guardArb(leader), actionArb).map(([guard, actions]) => ({ guard, actions }));
  return fc.array(rule, { minLength: 1, maxLength: 3 }).map((rules) => ({
    name: leader ? 'lead' : 'vote',
    sends: [{ message: 'VAL', payload: v, when: null }, ...(leader ? [{ message: 'K', payload: v, when: null }] : [])],
    rules,
  }));
}

export const protocolArb: fc.Arbitrary<Protocol> = protocolArbWith('n>3t');

export function protocolArbWith(resilience: keyof typeof RESILIENCE): fc.Arbitrary<Protocol> {
  return fc
  .tuple(fc.boolean(), fc.array(roundArb(false), { minLength: 1, maxLength: 2 }), fc.option(roundArb(true), { nil: undefined }), fc.integer({ min: 1, max: 4 }))
  .map(([withLeader, rounds, leaderRound, R]) => {
    const all = withLeader && leaderRound !== undefined ? [...rounds, leaderRound] : rounds;
    return {
      name: 'Random',
      ...DEFAULT_FAULT_FIELDS,
      values: 2,
      resilience: RESILIENCE[resilience],
      vars: [
        { name: 'v', type: { kind: 'value' }, init: 'input' },
        { name: 'b', type: { kind: 'bool' }, init: { kind: 'bool', value: false } },
      ],
      messages: [
        { name: 'VAL', payload: { kind: 'value' }, leader: false },
        { name: 'K', payload: { kind: 'value' }, leader: true },
      ],
      rounds: all,
      properties: { agreement: true, validity: true, termination: int(R) },
      horizon: int(R),
    };
  });
}
