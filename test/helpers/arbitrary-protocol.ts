// fast-check generators of well-typed protocols (IR), for round-trip,
// fuzzing and engine-agreement properties.
import { DEFAULT_FAULT_FIELDS } from '../../src/ir/faults';
import fc from 'fast-check';
import { Action, CmpOp, CountTerm, Expr, FaultKind, MessageDecl, Protocol, Round, Rule, Send, StateFormula, TemporalFormula, Type, UserProperty, VarDecl } from '../../src/ir/types';
import { EarlierGuards } from '../../src/lang/check';

interface GenScope {
  values: number;
  vars: VarDecl[];
  /** messages sent this round (receive scope) or none (state scope). */
  received: MessageDecl[];
  phase: boolean;
}

const ORDER_OPS: CmpOp[] = ['<', '<=', '>', '>=', '==', '!='];

function varsOf(scope: GenScope, kind: Type['kind']): string[] {
  const names = scope.vars.filter((v) => v.type.kind === kind).map((v) => v.name);
  return kind === 'optvalue' ? [...names, 'decided'] : names;
}

function valueLiteral(values: number): fc.Arbitrary<Expr> {
  return fc.integer({ min: 0, max: values - 1 }).map((value): Expr => ({ kind: 'int', value }));
}

function valueExpr(scope: GenScope): fc.Arbitrary<Expr> {
  const options: fc.Arbitrary<Expr>[] = [valueLiteral(scope.values)];
  const vars = varsOf(scope, 'value');
  if (vars.length > 0) options.push(fc.constantFrom(...vars).map((name): Expr => ({ kind: 'var', name })));
  const majorities = scope.received.filter((m) => m.payload?.kind === 'value');
  if (majorities.length > 0) {
    options.push(fc.record({ message: fc.constantFrom(...majorities.map((m) => m.name)), tie: fc.constantFrom('min' as const, 'max' as const) }).map((r): Expr => ({ kind: 'maj', ...r })));
  }
  return fc.oneof(...options);
}

function payloadExpr(type: Type, scope: GenScope): fc.Arbitrary<Expr> {
  const stateScope = { ...scope, received: [] };
  if (type.kind === 'bool') return boolExpr(stateScope, 1);
  return valueExpr(stateScope);
}

function intExpr(scope: GenScope, depth: number): fc.Arbitrary<Expr> {
  const atoms: fc.Arbitrary<Expr>[] = [
    fc.integer({ min: -3, max: 9 }).map((value): Expr => ({ kind: 'int', value })),
    fc.constantFrom('n' as const, 't' as const).map((name): Expr => ({ kind: 'param', name })),
  ];
  if (scope.phase) atoms.push(fc.constant<Expr>({ kind: 'phase' }));
  if (scope.received.length > 0) {
    atoms.push(
      fc.constantFrom(...scope.received).chain((m) =>
        m.payload === null ? fc.constant<Expr>({ kind: 'count', message: m.name, payload: null }) : fc.option(payloadExpr(m.payload, scope), { nil: null }).map((payload): Expr => ({ kind: 'count', message: m.name, payload })),
      ),
    );
  }
  if (depth <= 0) return fc.oneof(...atoms);
  const sub = intExpr(scope, depth - 1);
  return fc.oneof(
    { arbitrary: fc.oneof(...atoms), weight: 3 },
    fc.tuple(sub, sub).map(([left, right]): Expr => ({ kind: 'add', left, right })),
    fc.tuple(sub, sub).map(([left, right]): Expr => ({ kind: 'sub', left, right })),
    fc.tuple(fc.integer({ min: -3, max: 4 }).filter((c) => c !== 0), sub).map(([coef, arg]): Expr => ({ kind: 'mul', coef, arg })),
  );
}

/** Conditions; never a bare `true`/`false` literal at the top (those are `otherwise` and dead rules). */
function boolExpr(scope: GenScope, depth: number): fc.Arbitrary<Expr> {
  const int = intExpr(scope, 1);
  const atoms: fc.Arbitrary<Expr>[] = [fc.tuple(fc.constantFrom(...ORDER_OPS), int, int).map(([op, left, right]): Expr => ({ kind: 'cmp', op, left, right }))];
  const values = valueExpr(scope);
  atoms.push(fc.tuple(fc.constantFrom<CmpOp>('==', '!='), values, values).map(([op, left, right]): Expr => ({ kind: 'cmp', op, left, right })));
  const optvars = varsOf(scope, 'optvalue');
  atoms.push(fc.tuple(fc.constantFrom<CmpOp>('==', '!='), fc.constantFrom(...optvars)).map(([op, name]): Expr => ({ kind: 'cmp', op, left: { kind: 'var', name }, right: { kind: 'none' } })));
  const bools = varsOf(scope, 'bool');
  if (bools.length > 0) atoms.push(fc.constantFrom(...bools).map((name): Expr => ({ kind: 'var', name })));
  if (depth <= 0) return fc.oneof(...atoms);
  const sub = boolExpr(scope, depth - 1);
  return fc.oneof(
    { arbitrary: fc.oneof(...atoms), weight: 3 },
    fc.tuple(sub, sub).map(([left, right]): Expr => ({ kind: 'and', left, right })),
    fc.tuple(sub, sub).map(([left, right]): Expr => ({ kind: 'or', left, right })),
    sub.map((arg): Expr => ({ kind: 'not', arg })),
  );
}

function actionFor(decl: VarDecl, scope: GenScope): fc.Arbitrary<Action> {
  const value = decl.type.kind === 'bool' ? fc.oneof(fc.boolean().map((b): Expr => ({ kind: 'bool', value: b })), boolExpr(scope, 0)) : decl.type.kind === 'optvalue' ? fc.oneof(valueExpr(scope), fc.constant<Expr>({ kind: 'none' })) : valueExpr(scope);
  return value.map((v): Action => ({ kind: 'assign', name: decl.name, value: v }));
}

function rule(scope: GenScope, guard: fc.Arbitrary<Expr>): fc.Arbitrary<Rule> {
  const assigns = fc.subarray(scope.vars).chain((targets) => fc.tuple(...targets.map((d) => actionFor(d, scope))));
  const decide = fc.option(valueExpr(scope).map((value): Action => ({ kind: 'decide', value })), { nil: null });
  return fc.record({ guard, assigns, decide }).map(({ guard: g, assigns: a, decide: d }) => ({ guard: g, actions: d === null ? [...a] : [...a, d] }));
}

function round(name: string, values: number, vars: VarDecl[], messages: MessageDecl[]): fc.Arbitrary<Round> {
  return fc.subarray(messages, { minLength: 1 }).chain((sentDecls) => {
    const stateScope: GenScope = { values, vars, received: [], phase: true };
    const receiveScope: GenScope = { ...stateScope, received: sentDecls };
    const sends = fc.tuple(
      ...sentDecls.map((m) =>
        fc.record({
          payload: m.payload === null ? fc.constant(null) : payloadExpr(m.payload, stateScope),
          when: fc.option(boolExpr(stateScope, 0), { nil: null, freq: 4 }),
        }).map(({ payload, when }): Send => ({ message: m.name, payload, when })),
      ),
    );
    const rules = fc.array(rule(receiveScope, boolExpr(receiveScope, 1)), { maxLength: 3 }).map(reachable);
    const otherwise = fc.option(rule(receiveScope, fc.constant<Expr>({ kind: 'bool', value: true })), { nil: null });
    return fc.tuple(sends, rules, otherwise).map(([s, r, o]): Round => ({ name, sends: [...s], rules: o === null ? r : [...r, o] }));
  });
}

/** Drops the rules the static checker would report unreachable (an earlier rule's guard repeated or conjoined). */
function reachable(rules: Rule[]): Rule[] {
  const earlier = new EarlierGuards();
  return rules.filter((r) => {
    if (earlier.shadowing(r) !== null) return false;
    earlier.add(r);
    return true;
  });
}

const TYPES: Type[] = [{ kind: 'value' }, { kind: 'optvalue' }, { kind: 'bool' }];

function extraVar(index: number, values: number): fc.Arbitrary<VarDecl> {
  return fc.constantFrom(...TYPES).chain((type) => {
    const init: fc.Arbitrary<VarDecl['init']> = type.kind === 'bool' ? fc.boolean().map((b): Expr => ({ kind: 'bool', value: b })) : type.kind === 'optvalue' ? fc.oneof(fc.constant<Expr>({ kind: 'none' }), valueLiteral(values)) : fc.oneof(fc.constant('input' as const), valueLiteral(values));
    return init.map((i): VarDecl => ({ name: `x${index}`, type, init: i }));
  });
}

export interface ProtocolShape {
  maxValues?: number;
  maxRounds?: number;
  maxExtraVars?: number;
  leaders?: boolean;
  /** also generate fault models, clean-round assumptions and user properties (issue 14); default: the classic model only. */
  faults?: boolean;
}

export function arbitraryProtocol(shape: ProtocolShape = {}): fc.Arbitrary<Protocol> {
  const { maxValues = 3, maxRounds = 3, maxExtraVars = 2, leaders = true, faults = false } = shape;
  return fc
    .record({
      values: fc.integer({ min: 2, max: maxValues }),
      extraCount: fc.integer({ min: 0, max: maxExtraVars }),
      messageCount: fc.integer({ min: 1, max: 3 }),
      roundCount: fc.integer({ min: 1, max: maxRounds }),
    })
    .chain(({ values, extraCount, messageCount, roundCount }) => {
      const extras = fc.tuple(...Array.from({ length: extraCount }, (_, i) => extraVar(i, values)));
      const messages = fc.tuple(
        ...Array.from({ length: messageCount }, (_, i) =>
          fc.record({ payload: fc.constantFrom<(Type | null)[]>({ kind: 'value' }, { kind: 'value' }, { kind: 'bool' }, null), leader: leaders ? fc.boolean() : fc.constant(false) }).map(({ payload, leader }): MessageDecl => ({ name: `M${i}`, payload, leader })),
        ),
      );
      return fc.tuple(extras, messages).chain(([extra, msgs]) => {
        const vars: VarDecl[] = [{ name: 'v', type: { kind: 'value' }, init: 'input' }, ...extra];
        const rounds = fc.tuple(...Array.from({ length: roundCount }, (_, i) => round(`r${i}`, values, vars, msgs)));
        // Round bounds are positive for every t >= 1: a constant, t + k, or k*(t + 1).
        const t: Expr = { kind: 'param', name: 't' };
        const bound = fc.oneof(
          fc.integer({ min: 1, max: 6 }).map((value): Expr => ({ kind: 'int', value })),
          fc.integer({ min: 0, max: 3 }).map((k): Expr => ({ kind: 'add', left: t, right: { kind: 'int', value: k } })),
          fc.integer({ min: 1, max: 3 }).map((k): Expr => ({ kind: 'mul', coef: k, arg: { kind: 'add', left: t, right: { kind: 'int', value: 1 } } })),
        );
        return fc.record({
          rounds,
          resilience: fc.tuple(fc.integer({ min: 2, max: 5 }), fc.constantFrom<CmpOp>('>', '>=')).map(([k, op]): Expr => ({ kind: 'cmp', op, left: { kind: 'param', name: 'n' }, right: { kind: 'mul', coef: k, arg: { kind: 'param', name: 't' } } })),
          agreement: fc.boolean(),
          validity: fc.boolean(),
          termination: fc.option(bound, { nil: null }),
          horizon: bound,
          model: faults ? faultFields(values, vars, bound) : fc.constant({ ...DEFAULT_FAULT_FIELDS, readsInput: false }),
        }).map((r): Protocol => {
          // With properties of its own a file may claim nothing built in; otherwise it claims something.
          const agreement = r.agreement || (!r.validity && r.termination === null && r.model.userProperties.length === 0);
          const { readsInput, ...model } = r.model;
          return {
            name: 'Generated',
            ...model,
            values,
            resilience: r.resilience,
            vars: readsInput ? [...vars, { name: 'input', type: { kind: 'value' }, init: 'input' }] : vars,
            messages: msgs,
            rounds: [...r.rounds],
            properties: { agreement, validity: r.validity, termination: r.termination },
            horizon: r.termination ?? r.horizon,
          };
        });
      });
    });
}

type FaultFields = Pick<Protocol, 'faults' | 'assumptions' | 'userProperties'> & { readsInput: boolean };

/** A fault model, at most one clean-round assumption (not under Byzantine faults) and up to three user properties. */
function faultFields(values: number, vars: VarDecl[], bound: fc.Arbitrary<Expr>): fc.Arbitrary<FaultFields> {
  const t: Expr = { kind: 'param', name: 't' };
  // Predicates read one process's state: its variables, `decided` and `input`, never counts or `phase`.
  const local: GenScope = { values, vars: [...vars, { name: 'input', type: { kind: 'value' }, init: 'input' }], received: [], phase: false };
  const pred = boolExpr(local, 1);
  const distinctNames = [...varsOf(local, 'value'), ...varsOf(local, 'optvalue')];
  const term = (depth: number): fc.Arbitrary<CountTerm> => {
    const atoms: fc.Arbitrary<CountTerm>[] = [
      fc.integer({ min: -2, max: 6 }).map((value): CountTerm => ({ kind: 'int', value })),
      fc.constantFrom('n' as const, 't' as const).map((name): CountTerm => ({ kind: 'param', name })),
      pred.map((p): CountTerm => ({ kind: 'number', pred: p })),
      fc.constantFrom(...distinctNames).map((name): CountTerm => ({ kind: 'distinct', name })),
    ];
    if (depth <= 0) return fc.oneof(...atoms);
    const sub = term(depth - 1);
    return fc.oneof(
      { arbitrary: fc.oneof(...atoms), weight: 3 },
      fc.tuple(fc.constantFrom('add' as const, 'sub' as const), sub, sub).map(([kind, left, right]): CountTerm => ({ kind, left, right })),
      fc.tuple(fc.integer({ min: -3, max: 4 }).filter((c) => c !== 0), sub).map(([coef, arg]): CountTerm => ({ kind: 'mul', coef, arg })),
    );
  };
  const state = (depth: number): fc.Arbitrary<StateFormula> => {
    const atoms: fc.Arbitrary<StateFormula>[] = [
      fc.boolean().map((value): StateFormula => ({ kind: 'bool', value })),
      fc.tuple(fc.constantFrom('all' as const, 'some' as const, 'no' as const), pred).map(([quantifier, p]): StateFormula => ({ kind: 'quant', quantifier, pred: p })),
      fc.tuple(fc.constantFrom(...ORDER_OPS), term(1), term(1)).map(([op, left, right]): StateFormula => ({ kind: 'cmp', op, left, right })),
    ];
    if (depth <= 0) return fc.oneof(...atoms);
    const sub = state(depth - 1);
    return fc.oneof(
      { arbitrary: fc.oneof(...atoms), weight: 3 },
      sub.map((arg): StateFormula => ({ kind: 'not', arg })),
      fc.tuple(fc.constantFrom('and' as const, 'or' as const, 'implies' as const), sub, sub).map(([kind, left, right]): StateFormula => ({ kind, left, right })),
    );
  };
  const temporal: fc.Arbitrary<TemporalFormula> = fc.oneof(
    fc.tuple(fc.constantFrom('rounds' as const, 'phases' as const), state(2)).map(([at, s]): TemporalFormula => ({ kind: 'always', at, state: s })),
    fc.tuple(fc.oneof(fc.constant<StateFormula>({ kind: 'bool', value: true }), state(1)), state(2), bound).map(([given, goal, within]): TemporalFormula => ({ kind: 'eventually', given, goal, within })),
  );
  const property = fc.record({ scope: fc.constantFrom('correct' as const, 'followers' as const), formula: temporal });
  return fc
    .record({
      kind: fc.constantFrom<FaultKind>('byzantine', 'crash', 'omission'),
      bound: fc.oneof({ arbitrary: fc.constant(t), weight: 2 }, bound),
      clean: fc.option(bound, { nil: null }),
      properties: fc.array(property, { maxLength: 3 }),
    })
    .map(({ kind, bound: b, clean, properties }): FaultFields => {
      const userProperties = properties.map((p, i): UserProperty => ({ name: `p${i}`, ...p }));
      const readsInput = userProperties.some((u) => readsInputIn(u.formula));
      return { faults: { kind, bound: b }, assumptions: clean === null || kind === 'byzantine' ? [] : [{ kind: 'clean-round', within: clean }], userProperties, readsInput };
    });
}

/** Whether a formula reads the hidden `input` variable (then the IR carries it). */
function readsInputIn(f: TemporalFormula): boolean {
  return JSON.stringify(f).includes('"name":"input"');
}
