// Pretty-printer: IR -> canonical text. parse(print(ir)) equals ir, and
// print(parse(x)) is the canonical form of x (what `bftsynth fmt` writes).
import { Action, Expr, Protocol, Round, Send, Type, VarDecl, unreachable } from '../ir/types';
import type { CommentKey, CommentMap } from './comments';
import { printAssumption, printFaults, printUserProperty } from './print-formula';

// Binding strength, loosest first; a child printed below its slot gets parentheses.
const OR = 1;
const AND = 2;
const NOT = 3;
const CMP = 4;
const SUM = 5;
const PRODUCT = 6;
const UNARY = 7;
const ATOM = 8;

function strength(e: Expr): number {
  switch (e.kind) {
    case 'or':
      return OR;
    case 'and':
      return AND;
    case 'not':
      return NOT;
    case 'cmp':
      return CMP;
    case 'add':
    case 'sub':
      return SUM;
    case 'mul':
      return PRODUCT;
    case 'int':
      return e.value < 0 ? UNARY : ATOM;
    case 'bool':
    case 'none':
    case 'param':
    case 'phase':
    case 'var':
    case 'count':
    case 'maj':
      return ATOM;
    default:
      return unreachable(e);
  }
}

/** Prints e so that it parses back in a slot that needs at least `min` binding strength. */
function at(e: Expr, min: number): string {
  const text = printExpr(e);
  return strength(e) < min ? `(${text})` : text;
}

export function printExpr(e: Expr): string {
  switch (e.kind) {
    case 'int':
      return String(e.value);
    case 'bool':
      return String(e.value);
    case 'none':
      return 'none';
    case 'param':
      return e.name;
    case 'phase':
      return 'phase';
    case 'var':
      return e.name;
    case 'count':
      return e.payload === null ? `count(${e.message})` : `count(${e.message}, ${printExpr(e.payload)})`;
    case 'maj':
      return e.tie === 'min' ? `maj(${e.message})` : `maj(${e.message}, tie ${e.tie})`;
    // Left-associative operators: the right operand needs strictly tighter binding.
    case 'or':
      return `${at(e.left, OR)} || ${at(e.right, AND)}`;
    case 'and':
      return `${at(e.left, AND)} && ${at(e.right, NOT)}`;
    case 'not':
      return `!${at(e.arg, ATOM)}`; // `!(a != b)`, never the C-looking `!a != b`
    case 'cmp':
      return `${at(e.left, SUM)} ${e.op} ${at(e.right, SUM)}`;
    case 'add':
      return `${at(e.left, SUM)} + ${at(e.right, PRODUCT)}`;
    case 'sub':
      return `${at(e.left, SUM)} - ${at(e.right, PRODUCT)}`;
    case 'mul':
      // The argument is an atom (or parenthesized) so that `2*(3*x)` and `2*(-x)` stay linear products.
      return `${e.coef}*${at(e.arg, ATOM)}`;
    default:
      return unreachable(e);
  }
}

function printType(type: Type): string {
  switch (type.kind) {
    case 'value':
      return 'value';
    case 'optvalue':
      return 'value?';
    case 'bool':
      return 'bool';
    default:
      return unreachable(type);
  }
}

function printVar(decl: VarDecl): string {
  const init = decl.init === 'input' ? 'input' : printExpr(decl.init);
  return `var ${decl.name} : ${printType(decl.type)} = ${init}`;
}

function printSend(send: Send): string {
  const payload = send.payload === null ? '' : `(${printExpr(send.payload)})`;
  const condition = send.when === null ? '' : ` if ${printExpr(send.when)}`;
  return `  send ${send.message}${payload}${condition}`;
}

/** An action as the language writes it (`x := e`, `decide e`). */
export function printAction(action: Action): string {
  switch (action.kind) {
    case 'assign':
      return `${action.name} := ${printExpr(action.value)}`;
    case 'decide':
      return `decide ${printExpr(action.value)}`;
    default:
      return unreachable(action);
  }
}

/** An element's lines with its comments: leading ones above it, trailing ones after its last line. */
function commented(comments: CommentMap | undefined, key: CommentKey, lines: string[], indent = ''): string[] {
  const c = comments?.get(key);
  if (c === undefined) return lines;
  const out = [...c.leading.map((text) => indent + text), ...lines];
  if (c.trailing.length > 0) out[out.length - 1] += `  ${c.trailing.join(' ')}`;
  return out;
}

function printRound(round: Round, comments: CommentMap | undefined): string[] {
  const rules = round.rules.map((rule) => {
    const head = rule.guard.kind === 'bool' && rule.guard.value ? 'otherwise' : `when ${printExpr(rule.guard)}`;
    const body = rule.actions.length === 0 ? 'skip' : rule.actions.map(printAction).join('; ');
    return commented(comments, rule, [`  ${head}: ${body}`], '  ');
  });
  const sends = round.sends.map((send) => commented(comments, send, [printSend(send)], '  '));
  return commented(comments, round, [`round ${round.name} {`, ...sends.flat(), ...rules.flat(), '}']);
}

/** The hidden variable a property reading `input` adds (src/lang/check-property.ts); `input` is reserved, so no file declares it. */
function isHiddenInput(v: VarDecl): boolean {
  return v.name === 'input';
}

/** The canonical text of p; with the comments of a parsed file, `fmt` output that keeps every comment. */
export function printProtocol(p: Protocol, comments?: CommentMap): string {
  const claims: string[] = [];
  if (p.properties.agreement) claims.push('agreement');
  if (p.properties.validity) claims.push('validity');
  if (p.properties.termination !== null) claims.push(`termination within ${printExpr(p.properties.termination)}`);
  const c = (key: CommentKey, line: string): string[] => commented(comments, key, [line]);
  const header = [...c('protocol', `protocol ${p.name}`), ...c('values', `values 0..${p.values - 1}`), ...c('resilience', `resilience ${printExpr(p.resilience)}`)];
  // The default fault model needs no line; one written out with a comment keeps it (and the comment).
  const faults = printFaults(p.faults, comments?.has('faults') ?? false);
  if (faults !== null) header.push(...c('faults', faults));
  header.push(...p.assumptions.flatMap((a) => c(a, printAssumption(a))));
  const vars = p.vars.filter((v) => !isHiddenInput(v)).flatMap((v) => c(v, printVar(v)));
  const messages = p.messages.flatMap((m) => c(m, `${m.leader ? 'leader ' : ''}message ${m.name}${m.payload === null ? '' : `(${printType(m.payload)})`}`));
  // A file with properties of its own may claim no built-in one: then it has no `claims` line.
  const footer = claims.length === 0 && p.userProperties.length > 0 ? [] : c('claims', `claims ${claims.join(', ')}`);
  if (p.properties.termination === null) footer.push(...c('horizon', `horizon ${printExpr(p.horizon)}`));
  const properties = p.userProperties.flatMap((u) => c(u, printUserProperty(u)));
  const end = comments?.get('end')?.leading ?? [];
  if (properties.length > 0) properties.push(...end);
  else footer.push(...end);
  const sections = [header, vars, messages, ...p.rounds.map((r) => printRound(r, comments)), footer, properties].filter((s) => s.length > 0);
  const lines = sections.flatMap((section, i) => (i === 0 ? section : ['', ...section]));
  return lines.join('\n') + '\n';
}
