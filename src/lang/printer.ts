// Pretty-printer: IR -> canonical text. parse(print(ir)) equals ir, and
// print(parse(x)) is the canonical form of x (what `bftsynth fmt` writes).
import { Action, Protocol, Round, Send, Type, VarDecl, unreachable } from '../ir/types';
import type { CommentKey, CommentMap } from './comments';
import { printExpr } from './print-expr';
import { printAssumption, printFaults, printUserProperty } from './print-formula';

export { printExpr };

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
