// The negated property of a process-encoding query: a run of the instance
// violates it. Built-in properties (docs/semantics.md sections 2.1-2.3) speak
// of the correct processes; user properties (section 2.5) of their scope at
// each boundary, with the same reading as the simulator's evaluator
// (src/sim/user-properties.ts): the phase a predicate sees at boundary g is
// floor(g / k) + 1, and `input` is the process's input unless the state has
// a variable of that name. `eventually ... within R` with R outside 0 .. the
// run's length is not encoded (check answers unknown before asking).

import { evalParamInt, paramValue } from '../../ir/eval';
import { type CountTerm, DECIDED, isBuiltinProperty, type Protocol, type PropertyName, type StateFormula, unreachable, type UserProperty } from '../../ir/types';
import * as T from '../term';
import { domainOf } from '../space';
import { bool, NONE_CODE, type PVal } from './expr';
import type { Faults } from './faults';

export interface ViolationContext {
  p: Protocol;
  inst: { n: number; t: number; o?: number; rounds: number };
  property: PropertyName;
  faults: Faults;
  /** states[g][i]: the state of i at boundary g (constrained only while i follows the protocol) */
  states: Map<string, PVal>[][];
  inputs: T.ITerm[];
  N: T.ITerm;
  Tt: T.ITerm;
  /** hybrid instances only: the term of o */
  O?: T.ITerm;
}

/** The name under which a property reads a process's input (src/sim/user-properties.ts INPUT_NAME). */
const INPUT_NAME = 'input';

export function assertViolation(q: T.Query, c: ViolationContext): void {
  const { p, inst, property, faults: fl, states, inputs } = c;
  const n = inst.n;
  const ids = Array.from({ length: n }, (_, i) => i);
  const correct = fl.correct;
  if (!isBuiltinProperty(property)) {
    const prop = p.userProperties.find((u) => u.name === property);
    if (prop === undefined) throw new Error(`process: no property ${property}`);
    q.assert(userViolated(c, prop));
    return;
  }
  // decisions are irrevocable: round R suffices
  const dec = (i: number): T.ITerm => {
    const d = states[inst.rounds]?.[i]?.get(DECIDED);
    if (d === undefined || d.kind !== 'int') throw new Error('process: no decision variable');
    return d.t;
  };
  switch (property) {
    case 'agreement':
      q.assert(T.or(...ids.flatMap((i) => ids.filter((j) => j > i).map((j) => T.and(correct(i), correct(j), T.ge(dec(i), T.num(0)), T.ge(dec(j), T.num(0)), T.ne(dec(i), dec(j)))))));
      return;
    case 'validity': {
      const vin = q.intIn('vin', 0, p.values - 1);
      for (const i of ids) q.assert(T.or(fl.faultyT[i] as T.BTerm, T.eq(inputs[i] as T.ITerm, vin)));
      q.assert(T.or(...ids.map((i) => T.and(correct(i), T.ge(dec(i), T.num(0)), T.ne(dec(i), vin)))));
      return;
    }
    case 'termination':
      q.assert(T.or(...ids.map((i) => T.and(correct(i), T.eq(dec(i), T.num(NONE_CODE))))));
      return;
    default:
      unreachable(property);
  }
}

/** The boundaries an `always` formula is read at (src/sim/user-properties.ts checkedBoundary). */
export function checkedBoundaries(at: 'rounds' | 'phases', rounds: number, perPhase: number): number[] {
  return Array.from({ length: rounds + 1 }, (_, g) => g).filter((g) => at === 'rounds' || g === 0 || g % perPhase === 0);
}

function userViolated(c: ViolationContext, prop: UserProperty): T.BTerm {
  const f = prop.formula;
  switch (f.kind) {
    case 'always':
      return T.or(...checkedBoundaries(f.at, c.inst.rounds, c.p.rounds.length).map((g) => T.not(stateAt(c, prop, f.state, g))));
    case 'eventually': {
      const within = evalParamInt(f.within, c.inst.n, c.inst.t, c.inst.o);
      // the simulator finds no violation of a bound outside the run, exploration calls it unknown: refuse (check does, before encoding)
      if (within < 0 || within > c.inst.rounds) throw new Error(`process: ${prop.name} asks about boundary ${within}, outside the ${c.inst.rounds} rounds encoded`);
      const never = Array.from({ length: within + 1 }, (_, g) => T.not(stateAt(c, prop, f.goal, g)));
      return T.and(stateAt(c, prop, f.given, 0), ...never);
    }
    default:
      return unreachable(f);
  }
}

/** Whether process i is in the property's scope at boundary g. */
export function inScopeTerm(fl: Faults, prop: UserProperty, g: number, i: number): T.BTerm {
  switch (prop.scope) {
    case 'correct':
      return fl.correct(i);
    case 'followers':
      // Byzantine: the correct processes; crash: not crashed by g; omission: everyone; hybrid: all but the Byzantine ones
      return fl.follows(g, i);
    default:
      return unreachable(prop.scope);
  }
}

/** The state formula at boundary g, over the processes in the property's scope. */
export function stateAt(c: ViolationContext, prop: UserProperty, s: StateFormula, g: number): T.BTerm {
  const ids = Array.from({ length: c.inst.n }, (_, i) => i);
  const scope = (i: number): T.BTerm => inScopeTerm(c.faults, prop, g, i);
  const local = (i: number): Map<string, PVal> => {
    const st = c.states[g]?.[i];
    if (st === undefined) throw new Error(`process: no state of ${i} at boundary ${g}`);
    if (st.has(INPUT_NAME)) return st;
    return new Map([...st, [INPUT_NAME, { kind: 'int', t: c.inputs[i] as T.ITerm }]]);
  };
  const pred = (e: Parameters<typeof bool>[0], i: number): T.BTerm =>
    bool(e, { vars: local(i), phase: Math.floor(g / Math.max(1, c.p.rounds.length)) + 1, n: c.N, t: c.Tt, ...(c.O === undefined ? {} : { o: c.O }), values: c.p.values, domain: () => [] });
  const term = (x: CountTerm): T.ITerm => {
    switch (x.kind) {
      case 'int':
        return T.num(x.value);
      case 'param':
        return paramValue(x.name, { n: c.N, t: c.Tt, o: c.O });
      case 'number':
        return T.add(...ids.map((i) => T.b2i(T.and(scope(i), pred(x.pred, i)))));
      case 'distinct':
        return T.add(...distinctValues(c, x.name).map((v) => T.b2i(T.or(...ids.map((i) => T.and(scope(i), holdsValue(local(i), x.name, v)))))));
      case 'add':
        return T.add(term(x.left), term(x.right));
      case 'sub':
        return T.sub(term(x.left), term(x.right));
      case 'mul':
        return T.scale(x.coef, term(x.arg));
      default:
        return unreachable(x);
    }
  };
  const formula = (x: StateFormula): T.BTerm => {
    switch (x.kind) {
      case 'bool':
        return T.bool(x.value);
      case 'quant':
        switch (x.quantifier) {
          case 'all':
            return T.and(...ids.map((i) => T.implies(scope(i), pred(x.pred, i))));
          case 'some':
            return T.or(...ids.map((i) => T.and(scope(i), pred(x.pred, i))));
          case 'no':
            return T.and(...ids.map((i) => T.implies(scope(i), T.not(pred(x.pred, i)))));
          default:
            return unreachable(x.quantifier);
        }
      case 'cmp':
        return T.cmp(x.op, term(x.left), term(x.right));
      case 'not':
        return T.not(formula(x.arg));
      case 'and':
        return T.and(formula(x.left), formula(x.right));
      case 'or':
        return T.or(formula(x.left), formula(x.right));
      case 'implies':
        return T.implies(formula(x.left), formula(x.right));
      default:
        return unreachable(x);
    }
  };
  return formula(s);
}

/** The values other than none a variable can hold: booleans for a bool, 0..K otherwise. */
function distinctValues(c: ViolationContext, name: string): (number | boolean)[] {
  const decl = c.p.vars.find((v) => v.name === name);
  if (decl === undefined && name !== DECIDED && name !== INPUT_NAME) throw new Error(`process: unknown variable ${name}`);
  const type = decl?.type ?? { kind: 'value' as const };
  return domainOf(c.p.values, type).filter((v): v is number | boolean => v !== null);
}

function holdsValue(st: ReadonlyMap<string, PVal>, name: string, v: number | boolean): T.BTerm {
  const x = st.get(name);
  if (x === undefined) throw new Error(`process: unknown variable ${name}`);
  if (x.kind === 'bool') return typeof v === 'boolean' ? (v ? x.t : T.not(x.t)) : T.FALSE;
  return typeof v === 'number' ? T.eq(x.t, T.num(v)) : T.FALSE;
}

