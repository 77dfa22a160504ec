// Type inference for expressions, with the scoping rules of the language:
// which names and constructs may appear where.
import { Expr, MessageDecl, Type, unreachable } from '../ir/types';
import { LocatedError, Loc } from '../util/result';
import { SourceMap, locOf } from './sourcemap';

/** `num` is an integer literal: usable as an int, or as a value when in the domain. */
export type Ty = 'int' | 'num' | 'value' | 'optvalue' | 'bool' | 'none';

/**
 * param: resilience and round bounds; state: sends and initial values;
 * receive: guards and actions; local: the predicates of user properties (one
 * process's state, `input` included, without `phase`).
 */
export type Where = 'param' | 'state' | 'receive' | 'local';

export interface Scope {
  where: Where;
  values: number;
  vars: ReadonlyMap<string, Type>;
  messages: ReadonlyMap<string, MessageDecl>;
  /** message types sent in the current round (counts of others are an error). */
  roundMessages: ReadonlySet<string>;
  roundName: string;
}

export class ExprChecker {
  /** whether the file declares hybrid faults, the only files where the parameter o exists */
  hybrid = false;

  constructor(readonly sourceMap: SourceMap, readonly fallback: Loc, readonly errors: LocatedError[]) {}

  /** `o` outside a hybrid file is a mistake; null when the parameter is fine. */
  paramProblem(name: string): string | null {
    return name === 'o' && !this.hybrid ? '`o` is the omission bound of a hybrid fault model: declare `faults byzantine and omission` to use it' : null;
  }

  loc(node: object): Loc {
    return locOf(this.sourceMap, node, this.fallback);
  }

  report(node: object, message: string): null {
    this.errors.push({ loc: this.loc(node), message });
    return null;
  }

  /** Infers the type of e, reporting what is wrong; null when an error was reported. */
  infer(e: Expr, scope: Scope): Ty | null {
    switch (e.kind) {
      case 'int':
        return 'num';
      case 'bool':
        return 'bool';
      case 'none':
        return 'none';
      case 'param': {
        const problem = this.paramProblem(e.name);
        return problem === null ? 'int' : this.report(e, problem);
      }
      case 'phase':
        if (scope.where === 'local') return this.report(e, '`phase` cannot appear in a property predicate: it reads one process\'s state (its variables, `decided`, `input`), `n`, `t` and constants');
        return scope.where === 'param' ? this.report(e, '`phase` cannot appear here: only `n`, `t` and constants') : 'int';
      case 'var': {
        if (scope.where === 'param') return this.report(e, `\`${e.name}\` is not a parameter: only \`n\`, \`t\` and constants may appear here`);
        const type = scope.vars.get(e.name);
        if (type === undefined && e.name === 'input') {
          return this.report(e, '`input` may appear only in a property predicate (e.g. `all(input == 1)`); to read the input in rounds, declare `var x : value = input`');
        }
        if (type === undefined) return this.report(e, `undeclared name \`${e.name}\``);
        return type.kind;
      }
      case 'count':
      case 'maj':
        return this.inferReceived(e, scope);
      case 'add':
      case 'sub': {
        const ok = this.expectInt(e.left, scope) && this.expectInt(e.right, scope);
        return ok ? 'int' : null;
      }
      case 'mul':
        return this.expectInt(e.arg, scope) ? 'int' : null;
      case 'cmp':
        return this.inferComparison(e, scope);
      case 'and':
      case 'or': {
        const ok = this.expectBool(e.left, scope) && this.expectBool(e.right, scope);
        return ok ? 'bool' : null;
      }
      case 'not':
        return this.expectBool(e.arg, scope) ? 'bool' : null;
      default:
        return unreachable(e);
    }
  }

  expectBool(e: Expr, scope: Scope): boolean {
    const ty = this.infer(e, scope);
    if (ty === null) return false;
    if (ty !== 'bool') return this.report(e, `expected a condition (bool), found ${describeTy(ty)}`) !== null;
    return true;
  }

  expectInt(e: Expr, scope: Scope): boolean {
    const ty = this.infer(e, scope);
    if (ty === null) return false;
    if (ty !== 'int' && ty !== 'num') return this.report(e, `expected an integer expression, found ${describeTy(ty)}`) !== null;
    return true;
  }

  /** Checks that e can be stored in (or sent as, or compared with) something of type target. */
  expectAssignable(e: Expr, target: Type, scope: Scope, what: string): boolean {
    const ty = this.infer(e, scope);
    if (ty === null) return false;
    if (ty === 'num' && target.kind !== 'bool') return this.expectInDomain(e, scope);
    const fits =
      ty === target.kind || (target.kind === 'optvalue' && (ty === 'value' || ty === 'none'));
    if (!fits) this.report(e, `${what} expects ${describeType(target)}, found ${describeTy(ty)}`);
    return fits;
  }

  private expectInDomain(e: Expr, scope: Scope): boolean {
    if (e.kind === 'int' && e.value >= 0 && e.value < scope.values) return true;
    const shown = e.kind === 'int' ? String(e.value) : 'this expression';
    this.report(e, `${shown} is not a value: the domain is 0..${scope.values - 1}`);
    return false;
  }

  private inferReceived(e: Extract<Expr, { kind: 'count' | 'maj' }>, scope: Scope): Ty | null {
    if (scope.where === 'local') return this.report(e, `\`${e.kind}(...)\` reads received messages: a property predicate reads only one process's state (its variables, \`decided\`, \`input\`)`);
    if (scope.where !== 'receive') return this.report(e, `\`${e.kind}(...)\` reads received messages: it may only appear in a rule's guard or actions`);
    const decl = scope.messages.get(e.message);
    if (decl === undefined) return this.report(e, `undeclared message type \`${e.message}\``);
    if (!scope.roundMessages.has(e.message)) return this.report(e, `\`${e.message}\` is not sent in round \`${scope.roundName}\`, so it cannot be received there`);
    if (e.kind === 'maj') {
      if (decl.payload?.kind !== 'value') return this.report(e, `\`maj(${e.message})\` needs a message with a \`value\` payload`);
      return 'value';
    }
    if (e.payload === null) return 'int';
    if (decl.payload === null) return this.report(e.payload, `\`${e.message}\` carries no payload: write \`count(${e.message})\``);
    // The payload a receiver counts depends on its own state only, never on what it received.
    const stateScope: Scope = { ...scope, where: 'state' };
    return this.expectAssignable(e.payload, decl.payload, stateScope, `\`count(${e.message}, ...)\``) ? 'int' : null;
  }

  private inferComparison(e: Extract<Expr, { kind: 'cmp' }>, scope: Scope): Ty | null {
    const left = this.infer(e.left, scope);
    const right = this.infer(e.right, scope);
    if (left === null || right === null) return null;
    const isInt = (ty: Ty): boolean => ty === 'int' || ty === 'num';
    if (isInt(left) && isInt(right) && (left === 'int' || right === 'int' || (left === 'num' && right === 'num'))) return 'bool';
    if (e.op !== '==' && e.op !== '!=') return this.report(e, `\`${e.op}\` compares integers; found ${describeTy(left)} and ${describeTy(right)}`);
    if (left === 'bool' || right === 'bool') {
      return left === right ? 'bool' : this.report(e, `cannot compare ${describeTy(left)} with ${describeTy(right)}`);
    }
    // value-like: value, optvalue, num (a literal value), none.
    const valueLike = (ty: Ty): boolean => ty === 'value' || ty === 'optvalue' || ty === 'num' || ty === 'none';
    if (!valueLike(left) || !valueLike(right) || left === 'int' || right === 'int') {
      return this.report(e, `cannot compare ${describeTy(left)} with ${describeTy(right)}`);
    }
    if ((left === 'none' && right !== 'optvalue') || (right === 'none' && left !== 'optvalue')) {
      return this.report(e, 'only a `value?` can be `none`');
    }
    for (const [side, ty] of [[e.left, left], [e.right, right]] as const) {
      if (ty === 'num' && !this.expectInDomain(side, scope)) return null;
    }
    return 'bool';
  }
}

export function describeType(type: Type): string {
  switch (type.kind) {
    case 'value':
      return 'a value';
    case 'optvalue':
      return 'a value or none (`value?`)';
    case 'bool':
      return 'a bool';
    default:
      return unreachable(type);
  }
}

export function describeTy(ty: Ty): string {
  switch (ty) {
    case 'int':
      return 'an integer';
    case 'num':
      return 'a number';
    case 'none':
      return '`none`';
    case 'value':
    case 'optvalue':
    case 'bool':
      return describeType({ kind: ty });
    default:
      return unreachable(ty);
  }
}
