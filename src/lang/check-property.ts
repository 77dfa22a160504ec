// Static rules of the declarations of issue 14: the fault model, schedule
// assumptions and the file's own properties (docs/language.md).
import { BYZANTINE_UP_TO_T, HYBRID_UP_TO_T_AND_O } from '../ir/faults';
import { Assumption, CountTerm, DECIDED, Expr, FaultModel, StateFormula, TemporalFormula, Type, UserProperty, VarDecl, unreachable } from '../ir/types';
import { ExprChecker, Scope } from './check-expr';
import { Draft } from './parser';

/** Names with a meaning of their own; user declarations may not take them. */
export const RESERVED = new Set(['n', 't', 'o', 'phase', DECIDED, 'count', 'maj', 'true', 'false', 'none', 'input', 'protocol', 'values', 'resilience', 'var', 'message', 'leader', 'round', 'send', 'when', 'otherwise', 'skip', 'decide', 'claims', 'horizon', 'within', 'value', 'bool', 'tie', 'if']);

const BUILTIN_PROPERTIES = new Set(['agreement', 'validity', 'termination']);

/** The hidden variable a property that reads `input` adds to the IR (never printed: `input` is reserved). */
export const INPUT_VAR: VarDecl = { name: 'input', type: { kind: 'value' }, init: 'input' };

export interface FaultFields {
  faults: FaultModel;
  assumptions: Assumption[];
  userProperties: UserProperty[];
  /** some property reads `input`: the IR gets INPUT_VAR. */
  readsInput: boolean;
}

export function checkFaultFields(draft: Draft, checker: ExprChecker, base: Scope): FaultFields {
  const faults = faultModelOf(draft);
  if (draft.faults?.bound) checker.expectInt(draft.faults.bound, base);
  if (draft.faults?.omission?.bound) checker.expectInt(draft.faults.omission.bound, base);
  let clean: Assumption | null = null;
  for (const a of draft.assumptions) {
    checker.expectInt(a.within, base);
    if (faults.kind === 'hybrid') checker.report(a, '`assume clean round` is not available with hybrid faults: a Byzantine fault is not an event a round could be clean of; drop the assumption');
    else if (faults.kind === 'byzantine') {
      const how = draft.faults === null ? 'declare `faults crash` or `faults omission` first (without a `faults` declaration, faults are Byzantine)' : 'use `faults crash` or `faults omission`, or drop the assumption';
      checker.report(a, `\`assume clean round\` needs crash or omission faults: a Byzantine fault is not an event a round could be clean of; ${how}`);
    }
    if (clean !== null) checker.report(a, `\`assume clean round\` is declared twice (first on line ${checker.loc(clean).line}): keep one`);
    else clean = a;
  }
  const local: Scope = { ...base, where: 'local', vars: new Map<string, Type>([...base.vars, ['input', { kind: 'value' }]]) };
  const names = new Map<string, number>();
  let readsInput = false;
  for (const { property, nameLoc } of draft.userProperties) {
    const at = (message: string): void => void checker.errors.push({ loc: nameLoc, message });
    if (BUILTIN_PROPERTIES.has(property.name)) at(`\`${property.name}\` is a built-in property: claim it with \`claims ${property.name}\`, or give your property another name`);
    else if (RESERVED.has(property.name)) at(`\`${property.name}\` is a reserved name: give the property another name`);
    else if (names.has(property.name)) at(`property \`${property.name}\` is declared twice (first on line ${names.get(property.name)}): rename one`);
    if (!names.has(property.name)) names.set(property.name, nameLoc.line);
    readsInput = new FormulaChecker(checker, local).temporal(property.formula) || readsInput;
  }
  return { faults, assumptions: draft.assumptions, userProperties: draft.userProperties.map((u) => u.property), readsInput };
}

function faultModelOf(draft: Draft): FaultModel {
  const d = draft.faults;
  if (d === null) return BYZANTINE_UP_TO_T;
  if (d.omission !== null) return { kind: 'hybrid', byzantine: d.bound ?? HYBRID_UP_TO_T_AND_O.byzantine, omission: d.omission.bound ?? HYBRID_UP_TO_T_AND_O.omission };
  return { kind: d.kind, bound: d.bound ?? { kind: 'param', name: 't' } };
}

/** Checks formulas; each method returns whether what it checked reads `input`. */
class FormulaChecker {
  constructor(readonly checker: ExprChecker, readonly local: Scope) {}

  temporal(f: TemporalFormula): boolean {
    switch (f.kind) {
      case 'always':
        return this.state(f.state);
      case 'eventually': {
        this.checker.expectInt(f.within, { ...this.local, where: 'param' });
        const given = this.state(f.given);
        return this.state(f.goal) || given;
      }
      default:
        return unreachable(f);
    }
  }

  state(s: StateFormula): boolean {
    switch (s.kind) {
      case 'bool':
        return false;
      case 'quant':
        return this.pred(s.pred);
      case 'cmp': {
        const left = this.term(s.left);
        return this.term(s.right) || left;
      }
      case 'not':
        return this.state(s.arg);
      case 'and':
      case 'or':
      case 'implies': {
        const left = this.state(s.left);
        return this.state(s.right) || left;
      }
      default:
        return unreachable(s);
    }
  }

  term(c: CountTerm): boolean {
    switch (c.kind) {
      case 'int':
        return false;
      case 'param': {
        const problem = this.checker.paramProblem(c.name);
        if (problem !== null) this.checker.report(c, problem);
        return false;
      }
      case 'number':
        return this.pred(c.pred);
      case 'distinct': {
        const type = this.local.vars.get(c.name);
        if (type === undefined) this.checker.report(c, `undeclared variable \`${c.name}\` in \`distinct(${c.name})\``);
        else if (type.kind === 'bool') this.checker.report(c, `\`distinct(${c.name})\` counts values, and \`${c.name}\` is a bool: count with \`number(${c.name})\` instead`);
        return c.name === 'input';
      }
      case 'add':
      case 'sub': {
        const left = this.term(c.left);
        return this.term(c.right) || left;
      }
      case 'mul':
        return this.term(c.arg);
      default:
        return unreachable(c);
    }
  }

  private pred(p: Expr): boolean {
    this.checker.expectBool(p, this.local);
    return readsVar(p, 'input');
  }
}

function readsVar(e: Expr, name: string): boolean {
  const todo = [e];
  for (let x = todo.pop(); x !== undefined; x = todo.pop()) {
    switch (x.kind) {
      case 'var':
        if (x.name === name) return true;
        break;
      case 'add':
      case 'sub':
      case 'cmp':
      case 'and':
      case 'or':
        todo.push(x.left, x.right);
        break;
      case 'mul':
      case 'not':
        todo.push(x.arg);
        break;
      case 'count':
        if (x.payload !== null) todo.push(x.payload);
        break;
      case 'int':
      case 'bool':
      case 'none':
      case 'param':
      case 'phase':
      case 'maj':
        break;
      default:
        return unreachable(x);
    }
  }
  return false;
}
