// Static checker: a draft becomes IR, or every problem found, each located.
import { DECIDED, Expr, MessageDecl, Protocol, Round, Rule, Type } from '../ir/types';
import { LocatedError, Result, fail, ok } from '../util/result';
import { ExprChecker, Scope } from './check-expr';
import { INPUT_VAR, RESERVED, checkFaultFields } from './check-property';
import { Draft } from './parser';
import { printExpr } from './printer';

/** Local states multiply with the domain; beyond this the engines get slow for no modelling gain. */
export const MAX_VALUES = 8;

export function checkDraft(draft: Draft): Result<Protocol> {
  const errors: LocatedError[] = [];
  const checker = new ExprChecker(draft.sourceMap, draft.loc, errors);
  checker.hybrid = draft.faults?.omission != null;
  const values = draft.values === null ? 2 : draft.values.max + 1;
  if (draft.values !== null && (values < 2 || values > MAX_VALUES)) {
    errors.push({ loc: draft.values.loc, message: `the value domain needs 2 to ${MAX_VALUES} values: write \`values 0..K\` with 1 <= K <= ${MAX_VALUES - 1}` });
  }
  const vars = declareVars(draft, checker, values);
  const messages = declareMessages(draft, checker, vars);
  const base: Scope = { where: 'param', values, vars, messages, roundMessages: new Set(), roundName: '' };

  if (draft.resilience === null) errors.push({ loc: draft.endLoc, message: 'missing resilience condition: add e.g. `resilience n > 3*t`' });
  else checker.expectBool(draft.resilience, base);

  if (draft.rounds.length === 0) errors.push({ loc: draft.endLoc, message: 'a protocol needs at least one `round NAME { ... }`' });
  const roundNames = new Set<string>();
  for (const round of draft.rounds) {
    if (roundNames.has(round.name)) checker.report(round, `round \`${round.name}\` is declared twice`);
    roundNames.add(round.name);
    checkRound(round, base, checker);
  }

  const fields = checkFaultFields(draft, checker, base);
  const firstProperty = draft.userProperties[0]?.property;
  // A file with properties of its own may claim none of the built-in ones.
  const claims = draft.claims?.claims ?? (firstProperty === undefined ? null : { agreement: false, validity: false, termination: null });
  if (claims === null) errors.push({ loc: draft.endLoc, message: 'missing `claims`: add e.g. `claims agreement, validity, termination within t + 1`' });
  if (claims?.termination) checker.expectInt(claims.termination, base);
  if (draft.horizon !== null) {
    if (claims?.termination) checker.report(draft.horizon, '`horizon` is implied by `termination within R`: remove one of them');
    else checker.expectInt(draft.horizon, base);
  } else if (draft.claims !== null && claims !== null && claims.termination === null) {
    errors.push({ loc: draft.claims.loc, message: 'the round bound is missing: claim `termination within R` or add `horizon R`' });
  } else if (draft.claims === null && firstProperty !== undefined) {
    checker.report(firstProperty, 'the run length is missing: add `horizon R` (rounds, over `n` and `t`) after the rounds, or claim `termination within R`');
  }
  const horizon: Expr | null = claims?.termination ?? draft.horizon;
  if (errors.length > 0 || claims === null || horizon === null || draft.resilience === null) {
    return fail(sortErrors(errors));
  }
  return ok({
    name: draft.name,
    values,
    resilience: draft.resilience,
    vars: fields.readsInput ? [...draft.vars, { ...INPUT_VAR, type: { kind: 'value' } }] : draft.vars,
    messages: draft.messages,
    rounds: draft.rounds,
    properties: { agreement: claims.agreement, validity: claims.validity, termination: claims.termination },
    horizon,
    faults: fields.faults,
    assumptions: fields.assumptions,
    userProperties: fields.userProperties,
  });
}

function sortErrors(errors: LocatedError[]): LocatedError[] {
  return [...errors].sort((a, b) => a.loc.line - b.loc.line || a.loc.col - b.loc.col);
}

function declareVars(draft: Draft, checker: ExprChecker, values: number): Map<string, Type> {
  const vars = new Map<string, Type>([[DECIDED, { kind: 'optvalue' }]]);
  const initScope: Scope = { where: 'state', values, vars: new Map(), messages: new Map(), roundMessages: new Set(), roundName: '' };
  for (const decl of draft.vars) {
    if (RESERVED.has(decl.name)) checker.report(decl, `\`${decl.name}\` is a reserved name`);
    else if (vars.has(decl.name)) checker.report(decl, `variable \`${decl.name}\` is declared twice`);
    else vars.set(decl.name, decl.type); // the first declaration stands, so later errors do not cascade
    if (decl.init === 'input') {
      if (decl.type.kind !== 'value') checker.report(decl, `only a \`value\` variable can start as \`input\`; \`${decl.name}\` is ${decl.type.kind === 'bool' ? 'a bool' : 'a value?'}`);
    } else if (decl.init.kind !== 'int' && decl.init.kind !== 'bool' && decl.init.kind !== 'none') {
      checker.report(decl.init, 'an initial value is a constant (`input`, a value, `true`, `false` or `none`)');
    } else {
      checker.expectAssignable(decl.init, decl.type, initScope, `variable \`${decl.name}\``);
    }
  }
  return vars;
}

function declareMessages(draft: Draft, checker: ExprChecker, vars: ReadonlyMap<string, Type>): Map<string, MessageDecl> {
  const messages = new Map<string, MessageDecl>();
  for (const decl of draft.messages) {
    if (RESERVED.has(decl.name)) checker.report(decl, `\`${decl.name}\` is a reserved name`);
    else if (messages.has(decl.name)) checker.report(decl, `message type \`${decl.name}\` is declared twice`);
    else if (vars.has(decl.name)) checker.report(decl, `\`${decl.name}\` is already a variable`);
    else if (decl.payload?.kind === 'optvalue') checker.report(decl, 'a message payload is a `value` or a `bool`; send conditionally with `send M(x) if ...` instead of sending `none`');
    if (!messages.has(decl.name)) messages.set(decl.name, decl);
  }
  return messages;
}

function checkRound(round: Round, base: Scope, checker: ExprChecker): void {
  const sent = new Set<string>();
  const stateScope: Scope = { ...base, where: 'state', roundName: round.name };
  for (const send of round.sends) {
    const decl = base.messages.get(send.message);
    if (sent.has(send.message)) checker.report(send, `\`${send.message}\` is sent twice in round \`${round.name}\`; merge the sends`);
    sent.add(send.message);
    if (decl === undefined) {
      checker.report(send, `undeclared message type \`${send.message}\``);
      continue;
    }
    if (decl.payload === null && send.payload !== null) checker.report(send, `\`${send.message}\` carries no payload: write \`send ${send.message}\``);
    if (decl.payload !== null && send.payload === null) checker.report(send, `\`${send.message}\` carries a payload: write \`send ${send.message}(e)\``);
    if (decl.payload !== null && send.payload !== null) checker.expectAssignable(send.payload, decl.payload, stateScope, `the payload of \`${send.message}\``);
    if (send.when !== null) checker.expectBool(send.when, stateScope);
  }
  const receiveScope: Scope = { ...stateScope, where: 'receive', roundMessages: sent };
  const earlier = new EarlierGuards();
  round.rules.forEach((rule) => {
    const shadow = earlier.shadowing(rule);
    earlier.add(rule);
    if (shadow !== null) checker.report(rule, `unreachable rule: an earlier rule of round \`${round.name}\` ${shadow.why} (line ${checker.loc(shadow.rule).line})`);
    else if (rule.guard.kind === 'bool' && !rule.guard.value) checker.report(rule, 'unreachable rule: its guard is `false`');
    checkRule(rule, receiveScope, checker);
  });
}

function isCatchAll(rule: Rule): boolean {
  return rule.guard.kind === 'bool' && rule.guard.value;
}

/** The guard's conjuncts, `a && (b && c)` -> a, b, c (iteratively: guards may nest deeply). */
function conjuncts(e: Expr): Expr[] {
  const out: Expr[] = [];
  const todo: Expr[] = [e];
  for (let x = todo.pop(); x !== undefined; x = todo.pop()) {
    if (x.kind === 'and') todo.push(x.right, x.left);
    else out.push(x);
  }
  return out;
}

/**
 * The rules of a round seen so far, to find the one that fires whenever a
 * later rule's guard holds (rules are tried in order, so the later one never
 * fires): a catch-all (`otherwise`, `true`), the same guard, or a guard that
 * is one of the later guard's conjuncts. Found syntactically, by printed form
 * (which ignores parentheses and locations), in time linear in the round;
 * semantic implication is the engines' business.
 */
export class EarlierGuards {
  private catchAll: Rule | null = null;
  private readonly byGuard = new Map<string, Rule>();

  add(rule: Rule): void {
    if (this.catchAll === null && isCatchAll(rule)) this.catchAll = rule;
    const guard = printExpr(rule.guard);
    if (!this.byGuard.has(guard)) this.byGuard.set(guard, rule);
  }

  shadowing(rule: Rule): { rule: Rule; why: string } | null {
    if (this.catchAll !== null) return { rule: this.catchAll, why: 'always fires' };
    const mine = printExpr(rule.guard);
    const same = this.byGuard.get(mine);
    if (same !== undefined) return { rule: same, why: `has the same guard \`${mine}\`` };
    for (const part of conjuncts(rule.guard)) {
      const text = printExpr(part);
      const implied = this.byGuard.get(text);
      if (implied !== undefined) return { rule: implied, why: `fires whenever this one could (its guard \`${text}\` is part of this one's)` };
    }
    return null;
  }
}

function checkRule(rule: Rule, scope: Scope, checker: ExprChecker): void {
  checker.expectBool(rule.guard, scope);
  const assigned = new Set<string>();
  let decides = 0;
  for (const action of rule.actions) {
    if (action.kind === 'decide') {
      if (++decides > 1) checker.report(action, 'a rule decides at most once');
      checker.expectAssignable(action.value, { kind: 'value' }, scope, '`decide`');
      continue;
    }
    const type = scope.vars.get(action.name);
    if (action.name === DECIDED) checker.report(action, '`decided` is set only by `decide e`');
    else if (type === undefined) checker.report(action, `undeclared variable \`${action.name}\``);
    else {
      if (assigned.has(action.name)) checker.report(action, `\`${action.name}\` is assigned twice in one rule`);
      assigned.add(action.name);
      checker.expectAssignable(action.value, type, scope, `\`${action.name} :=\``);
    }
  }
}
