import fc from 'fast-check';
import type { CountTerm, Expr, FaultKind, LocalState, PropertyScope, StateFormula, TemporalFormula, UserProperty } from '../src/ir/types';
import { inScope, scopeAt, stateHolds, userViolation, type ScopedRun } from '../src/sim/user-properties';
import * as b from './helpers/sim-ir';
import { safeQuorum } from './helpers/sim-protocols';

const P = safeQuorum();

const st = (v: number, decided: number | null, accepted = false): LocalState => ({ v, decided, accepted });

function runOf(states: (LocalState | null)[][], over: Partial<ScopedRun> = {}): ScopedRun {
  return { n: states[0]!.length, t: 1, faults: 'crash', faulty: [], roundsPerPhase: 1, states, ...over };
}

const prop = (name: string, formula: TemporalFormula, scope: PropertyScope = 'correct'): UserProperty => ({ name, scope, formula });
const always = (state: StateFormula, at: 'rounds' | 'phases' = 'rounds'): TemporalFormula => ({ kind: 'always', at, state });
const all = (pred: Expr): StateFormula => ({ kind: 'quant', quantifier: 'all', pred });
const some = (pred: Expr): StateFormula => ({ kind: 'quant', quantifier: 'some', pred });
const no = (pred: Expr): StateFormula => ({ kind: 'quant', quantifier: 'no', pred });
const number = (pred: Expr): CountTerm => ({ kind: 'number', pred });
const cmpT = (left: CountTerm, op: '<=' | '==' | '>=', right: CountTerm): StateFormula => ({ kind: 'cmp', op, left, right });
const lit = (value: number): CountTerm => ({ kind: 'int', value });
const implies = (left: StateFormula, right: StateFormula): StateFormula => ({ kind: 'implies', left, right });
const not = (arg: StateFormula): StateFormula => ({ kind: 'not', arg });
const distinct = (name: string): CountTerm => ({ kind: 'distinct', name });

describe('scope', () => {
  const states = [
    [st(0, null), st(0, null), st(1, null)],
    [st(0, null), null, st(1, null)],
  ];
  test('correct: not in F; followers: not crashed yet', () => {
    const run = runOf(states, { faulty: [1] });
    expect(scopeAt('correct', run, 0)).toEqual([0, 2]);
    expect(scopeAt('followers', run, 0)).toEqual([0, 1, 2]);
    expect(scopeAt('followers', run, 1)).toEqual([0, 2]);
  });
  test('Byzantine processes are never followers; omission-faulty ones always are', () => {
    expect(inScope('followers', runOf(states, { faulty: [2], faults: 'byzantine' }), 2, 0)).toBe(false);
    expect(inScope('followers', runOf(states, { faulty: [2], faults: 'omission' }), 2, 1)).toBe(true);
  });
});

describe('userViolation', () => {
  test('two-set agreement: distinct(decided) <= 2 fails at the first boundary with three decisions, no witnesses', () => {
    const run = runOf([
      [st(0, null), st(1, null), st(2, null), st(0, null)],
      [st(0, 0), st(1, 1), st(2, null), st(0, null)],
      [st(0, 0), st(1, 1), st(2, 2), st(0, null)],
    ]);
    const two = prop('two_set', always(cmpT(distinct('decided'), '<=', lit(2))));
    expect(userViolation(P, two, run)).toEqual({ property: 'user', name: 'two_set', round: 2, processes: [] });
    // a faulty process's decision does not count for `correct`
    expect(userViolation(P, two, { ...run, faulty: [2] })).toBeNull();
    // but does for followers while it has not crashed
    expect(userViolation(P, prop('two_set', two.formula, 'followers'), { ...run, faulty: [2] })).not.toBeNull();
  });

  test("unforgeability reads the input; witnesses only from a formula's single atom", () => {
    const input1 = b.cmp(b.v('input'), '==', b.int(1));
    const unforgeable = prop('unforgeable', always(implies(no(input1), no(b.v('accepted')))));
    const states = [
      [st(0, null), st(0, null), st(0, null)],
      [st(0, null), st(0, null, true), st(0, null, true)],
    ];
    expect(userViolation(P, unforgeable, runOf(states, { inputs: [0, 0, 0] }))).toEqual({ property: 'user', name: 'unforgeable', round: 1, processes: [] });
    expect(userViolation(P, unforgeable, runOf(states, { inputs: [0, 1, 0] }))).toBeNull();
    // the Byzantine input (null) is out of scope anyway
    expect(userViolation(P, unforgeable, runOf(states, { inputs: [0, 0, null], faulty: [2], faults: 'byzantine' }))).not.toBeNull();
    const accepted = prop('accepted', always(no(b.v('accepted'))));
    expect(userViolation(P, accepted, runOf(states))).toEqual({ property: 'user', name: 'accepted', round: 1, processes: [1, 2] });
    const allV = prop('zero', always(all(b.cmp(b.v('v'), '==', b.int(0)))));
    expect(userViolation(P, allV, runOf([[st(0, null), st(1, null), st(1, null)]]))).toEqual({ property: 'user', name: 'zero', round: 0, processes: [1, 2] });
  });

  test('always at phase ends reads boundary 0 and phase ends only', () => {
    const states = [[st(0, null)], [st(1, null)], [st(0, null)], [st(1, null)]];
    const zero = always(all(b.cmp(b.v('v'), '==', b.int(0))), 'phases');
    expect(userViolation(P, prop('z', zero), runOf(states, { roundsPerPhase: 2 }))).toBeNull();
    expect(userViolation(P, prop('z', zero), runOf(states, { roundsPerPhase: 3 }))).toMatchObject({ round: 3 });
  });

  test('eventually: vacuous when the premise fails, violated at R, not judged before R', () => {
    const delivery = (within: number): UserProperty =>
      prop('delivery', { kind: 'eventually', given: all(b.cmp(b.v('input'), '==', b.int(1))), goal: all(b.v('accepted')), within: b.int(within) });
    const states = [
      [st(1, null), st(1, null)],
      [st(1, null, true), st(1, null)],
      [st(1, null, true), st(1, null)],
    ];
    expect(userViolation(P, delivery(2), runOf(states, { inputs: [1, 1] }))).toEqual({ property: 'user', name: 'delivery', round: 2, processes: [1] });
    expect(userViolation(P, delivery(2), runOf(states, { inputs: [1, 0] }))).toBeNull();
    expect(userViolation(P, delivery(3), runOf(states, { inputs: [1, 1] }))).toBeNull();
    expect(userViolation(P, delivery(2), runOf(states, { inputs: [1, 1], faulty: [1] }))).toBeNull();
  });
});

describe('userViolation laws (fast-check)', () => {
  const arbState = fc.record({ v: fc.integer({ min: 0, max: 1 }), decided: fc.constantFrom<number | null>(null, 0, 1), accepted: fc.boolean() });
  const arbRun = fc
    .record({
      n: fc.integer({ min: 1, max: 5 }),
      faults: fc.constantFrom<FaultKind>('byzantine', 'crash', 'omission'),
      boundaries: fc.integer({ min: 1, max: 4 }),
      seedStates: fc.array(arbState, { minLength: 20, maxLength: 20 }),
      faultyMask: fc.integer({ min: 0, max: 31 }),
      crashAt: fc.integer({ min: 0, max: 4 }),
    })
    .map(({ n, faults, boundaries, seedStates, faultyMask, crashAt }): ScopedRun => {
      const faulty = Array.from({ length: n }, (_, i) => i).filter((i) => (faultyMask & (1 << i)) !== 0);
      const states = Array.from({ length: boundaries }, (_, bnd) =>
        Array.from({ length: n }, (_, i) => {
          if (faulty.includes(i) && (faults === 'byzantine' || (faults === 'crash' && bnd >= crashAt))) return null;
          return seedStates[(bnd * n + i) % seedStates.length]!;
        }),
      );
      return { n, t: 1, faults, faulty, roundsPerPhase: 1, states };
    });
  const preds: Expr[] = [b.v('accepted'), b.cmp(b.v('v'), '==', b.int(1)), b.cmp(b.v('decided'), '==', b.none), b.or(b.v('accepted'), b.cmp(b.v('decided'), '==', b.int(0)))];
  const arbPred = fc.constantFrom(...preds);
  const scopes = fc.constantFrom<PropertyScope>('correct', 'followers');

  test('all(P) == no(!P), some(P) == !no(P), number(P) + number(!P) == scope size', () => {
    fc.assert(
      fc.property(arbRun, arbPred, scopes, (run, pred, scope) => {
        const u = prop('x', always(all(pred)), scope);
        for (let bd = 0; bd < run.states.length; bd++) {
          const size = scopeAt(scope, run, bd).length;
          const at = (s: StateFormula): boolean => stateHolds(P, u, s, run, bd);
          expect(at(all(pred))).toBe(at(no(b.not(pred))));
          expect(at(some(pred))).toBe(!at(no(pred)));
          const sum: CountTerm = { kind: 'add', left: number(pred), right: number(b.not(pred)) };
          expect(at(cmpT(sum, '==', lit(size)))).toBe(true);
          expect(at(cmpT(number(pred), '>=', lit(1)))).toBe(at(some(pred)));
        }
      }),
    );
  });

  test('distinct is between 0 and the scope size and at most the domain; violations name the first failing boundary', () => {
    fc.assert(
      fc.property(arbRun, arbPred, scopes, (run, pred, scope) => {
        for (let bd = 0; bd < run.states.length; bd++) {
          const size = scopeAt(scope, run, bd).length;
          const u = prop('d', always(cmpT(distinct('decided'), '<=', lit(Math.min(2, size)))), scope);
          expect(stateHolds(P, u, u.formula.kind === 'always' ? u.formula.state : all(pred), run, bd)).toBe(true);
        }
        const v = userViolation(P, prop('a', always(all(pred)), scope), run);
        const firstFail = run.states.findIndex((_, bd) => !stateHolds(P, prop('a', always(all(pred)), scope), all(pred), run, bd));
        if (firstFail < 0) expect(v).toBeNull();
        else {
          expect(v).toMatchObject({ round: firstFail });
          expect(v?.property === 'user' && v.processes.length).toBeGreaterThan(0);
        }
        // a formula and its double negation agree
        const twice = userViolation(P, prop('a', always(not(not(all(pred)))), scope), run);
        expect(twice?.round).toBe(v?.round);
      }),
    );
  });
});
