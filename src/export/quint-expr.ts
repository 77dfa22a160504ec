// Translation of IR expressions to Quint expressions (docs/semantics.md
// section 1.4). Quint is typed and has no implicit option type, so every
// expression's bftsynth type is inferred here: a `value` compared with, sent
// as or stored in a `value?` becomes `Some(e)`, and `none` becomes `None`.
import { boundIsT, isClassicModel } from '../ir/faults';
import { DECIDED, type Expr, type MessageDecl, type Protocol, type Type, unreachable } from '../ir/types';
import { printExpr } from '../lang/printer';

/** The bftsynth type of an expression: `num` is a literal that is an int or a value by context. */
export type Ty = 'int' | 'num' | 'value' | 'optvalue' | 'bool' | 'none';

/** Where an expression is translated: which Quint names stand for the local state, the phase and the counts. */
export interface ExprScope {
  protocol: Protocol;
  /** The Quint record holding the local state, e.g. `s`. */
  state: string;
  /** The Quint name of the phase number. */
  phase: string;
  /** The Quint name of the received counts of a message type (in guards and actions only). */
  counts?: (message: string) => string;
  /** The Quint field name of a local variable. */
  field: (name: string) => string;
}

/**
 * Quint's keywords and the names its parser treats specially: a protocol
 * variable with one of these names gets a trailing underscore as a record
 * field, a module name too.
 */
const QUINT_RESERVED = new Set([
  'module', 'import', 'from', 'export', 'as', 'const', 'var', 'def', 'val', 'pure', 'nondet', 'action', 'temporal', 'run',
  'assume', 'type', 'Bool', 'Int', 'Nat', 'Set', 'List', 'Map', 'Rec', 'Tup', 'and', 'or', 'iff', 'implies', 'not', 'all', 'any',
  'if', 'else', 'match', 'true', 'false', 'Some', 'None', '_',
]);

/** A bftsynth identifier as a Quint identifier (the syntaxes agree except for Quint's reserved words). */
export function quintName(name: string): string {
  return QUINT_RESERVED.has(name) ? `${name}_` : name;
}

/** The Quint type of a bftsynth type. `OptVal` is declared by the exported module. */
export function quintType(type: Type): string {
  switch (type.kind) {
    case 'value':
      return 'int';
    case 'optvalue':
      return 'OptVal';
    case 'bool':
      return 'bool';
    default:
      return unreachable(type);
  }
}

/** The Quint set of every payload a message of this type can carry. */
export function quintDomain(type: Type): string {
  switch (type.kind) {
    case 'value':
      return 'VALUES';
    case 'optvalue':
      return 'OPTVALUES';
    case 'bool':
      return 'Set(false, true)';
    default:
      return unreachable(type);
  }
}

function varType(protocol: Protocol, name: string): Type {
  if (name === DECIDED) return { kind: 'optvalue' };
  const decl = protocol.vars.find((v) => v.name === name);
  if (decl === undefined) throw new Error(`export: unknown variable '${name}'`);
  return decl.type;
}

export function messageOf(protocol: Protocol, name: string): MessageDecl {
  const decl = protocol.messages.find((m) => m.name === name);
  if (decl === undefined) throw new Error(`export: unknown message type '${name}'`);
  return decl;
}

/** The type of e; the static checker has made e well-typed, so this only reads the declarations. */
export function tyOf(e: Expr, protocol: Protocol): Ty {
  switch (e.kind) {
    case 'int':
      return 'num';
    case 'bool':
    case 'cmp':
    case 'and':
    case 'or':
    case 'not':
      return 'bool';
    case 'none':
      return 'none';
    case 'param':
    case 'phase':
    case 'count':
    case 'add':
    case 'sub':
    case 'mul':
      return 'int';
    case 'var':
      return varType(protocol, e.name).kind;
    case 'maj':
      return 'value';
    default:
      return unreachable(e);
  }
}

/** e translated so that it has Quint type `OptVal`. */
function asOpt(e: Expr, scope: ExprScope): string {
  const ty = tyOf(e, scope.protocol);
  if (ty === 'none') return 'None';
  if (ty === 'optvalue') return quintExpr(e, scope);
  return `Some(${quintExpr(e, scope)})`;
}

/** e translated to be stored in, sent as or compared with something of type `target`. */
export function quintAs(e: Expr, target: Type, scope: ExprScope): string {
  return target.kind === 'optvalue' ? asOpt(e, scope) : quintExpr(e, scope);
}

const INT_OPS = { '<': '<', '<=': '<=', '>': '>', '>=': '>=', '==': '==', '!=': '!=' } as const;

/** A Quint expression equal to e. Every compound is parenthesized, so precedence never differs between the two languages. */
export function quintExpr(e: Expr, scope: ExprScope): string {
  switch (e.kind) {
    case 'int':
      return e.value < 0 ? `(${e.value})` : String(e.value);
    case 'bool':
      return String(e.value);
    case 'none':
      return 'None';
    case 'param':
      return e.name === 'n' ? 'N' : 'T';
    case 'phase':
      return scope.phase;
    case 'var':
      return `${scope.state}.${scope.field(e.name)}`;
    case 'count': {
      const counts = countsOf(scope, e.message);
      const decl = messageOf(scope.protocol, e.message);
      if (decl.payload === null) return counts;
      if (e.payload === null) return `total(${counts})`;
      return `${counts}.get(${quintAs(e.payload, decl.payload, scope)})`;
    }
    case 'maj':
      return `${e.tie === 'min' ? 'majMin' : 'majMax'}(${countsOf(scope, e.message)})`;
    case 'add':
      return `(${quintExpr(e.left, scope)} + ${quintExpr(e.right, scope)})`;
    case 'sub':
      return `(${quintExpr(e.left, scope)} - ${quintExpr(e.right, scope)})`;
    case 'mul':
      return `(${e.coef < 0 ? `(${e.coef})` : e.coef} * ${quintExpr(e.arg, scope)})`;
    case 'cmp': {
      const left = tyOf(e.left, scope.protocol);
      const right = tyOf(e.right, scope.protocol);
      // A `value?` compared with a value or `none`: both sides as options (Quint has no implicit Some).
      if (left === 'optvalue' || right === 'optvalue' || left === 'none' || right === 'none') {
        return `(${asOpt(e.left, scope)} ${INT_OPS[e.op]} ${asOpt(e.right, scope)})`;
      }
      return `(${quintExpr(e.left, scope)} ${INT_OPS[e.op]} ${quintExpr(e.right, scope)})`;
    }
    case 'and':
      return `(${quintExpr(e.left, scope)} and ${quintExpr(e.right, scope)})`;
    case 'or':
      return `(${quintExpr(e.left, scope)} or ${quintExpr(e.right, scope)})`;
    case 'not':
      return `not(${quintExpr(e.arg, scope)})`;
    default:
      return unreachable(e);
  }
}

function countsOf(scope: ExprScope, message: string): string {
  if (scope.counts === undefined) throw new Error(`export: count/maj of '${message}' outside a guard`);
  return scope.counts(message);
}

/**
 * Why the export cannot describe this protocol's model, or null: it writes
 * the classic game only (up to t Byzantine processes, every schedule, the
 * built-in properties).
 */
export function quintUnsupported(protocol: Protocol): string | null {
  if (isClassicModel(protocol)) return null;
  const what: string[] = [];
  if (protocol.faults.kind === 'hybrid') what.push('hybrid faults');
  else {
    if (protocol.faults.kind !== 'byzantine') what.push(`${protocol.faults.kind} faults`);
    if (!boundIsT(protocol.faults)) what.push(`a fault bound of ${printExpr(protocol.faults.bound)}`);
  }
  if (protocol.assumptions.length > 0) what.push('a schedule assumption (`assume clean round`)');
  const names = protocol.userProperties.map((u) => `\`${u.name}\``);
  if (names.length > 0) what.push(`${names.length === 1 ? 'the property' : 'the properties'} ${names.join(', ')}`);
  const listed = what.length === 1 ? what[0]! : `${what.slice(0, -1).join(', ')} and ${what[what.length - 1]!}`;
  return `export to Quint supports Byzantine faults up to t without assumptions or user properties; ${protocol.name} declares ${listed}`;
}
