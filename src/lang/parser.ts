// Declarations: tokens -> a draft protocol (IR pieces plus what the checker
// still has to validate), with source locations in a side map.
import { Action, Assumption, Expr, MessageDecl, Round, Rule, Send, Type, UserProperty, VarDecl } from '../ir/types';
import { Loc, Result, fail, ok } from '../util/result';
import { parseExpr } from './expr-parser';
import { Anchor, CommentKey, CommentMap, attachComments } from './comments';
import { lex } from './lexer';
import { DECLARATION_KEYWORDS, FaultsDecl, parseAssume, parseFaults, parseProperty } from './parse-property';
import { SourceMap } from './sourcemap';
import { SyntaxFailure, TokenStream } from './tokens';

export interface Claims {
  agreement: boolean;
  validity: boolean;
  termination: Expr | null;
}

/** A syntactically valid protocol; the checker turns it into IR or located errors. */
export interface Draft {
  name: string;
  loc: Loc; // of `protocol`
  values: { max: number; loc: Loc } | null;
  resilience: Expr | null;
  faults: FaultsDecl | null;
  /** marked in the source map at their `assume`. */
  assumptions: Assumption[];
  /** each marked in the source map at its `property`; nameLoc for errors about the name. */
  userProperties: { property: UserProperty; nameLoc: Loc }[];
  vars: VarDecl[];
  messages: MessageDecl[];
  rounds: Round[];
  claims: { claims: Claims; loc: Loc } | null;
  horizon: Expr | null;
  sourceMap: SourceMap;
  comments: CommentMap;
  /** end of file, where errors about missing declarations point. */
  endLoc: Loc;
}


export function parseDraft(source: string, file: string): Result<Draft> {
  const tokens = lex(source, file);
  if (!tokens.ok) return tokens;
  const ts = new TokenStream(tokens.value.tokens, new WeakMap());
  const anchors: Anchor[] = [];
  try {
    const draft = parseFile(ts, anchors);
    draft.comments = attachComments(tokens.value.comments, anchors);
    return ok(draft);
  } catch (e) {
    if (e instanceof SyntaxFailure) return fail([{ loc: e.loc, message: e.message }]);
    throw e;
  }
}

/** Runs `parse` and records the element it parsed as a place comments attach to. */
function anchored<T>(ts: TokenStream, anchors: Anchor[], key: (value: T) => CommentKey, parse: () => T): T {
  const start = ts.peek().loc;
  const value = parse();
  anchors.push({ key: key(value), line: start.line, col: start.col, endLine: ts.lastLine() });
  return value;
}

function parseFile(ts: TokenStream, anchors: Anchor[]): Draft {
  const head = ts.peek();
  if (!ts.peekKeyword('protocol')) ts.error(head.loc, `a protocol file starts with \`protocol NAME\`, found ${ts.describe(head)}`);
  ts.next();
  const name = ts.expectIdent('the protocol name').text;
  anchors.push({ key: 'protocol', line: head.loc.line, col: head.loc.col, endLine: ts.lastLine() });
  const draft: Draft = {
    name,
    loc: head.loc,
    values: null,
    resilience: null,
    faults: null,
    assumptions: [],
    userProperties: [],
    vars: [],
    messages: [],
    rounds: [],
    claims: null,
    horizon: null,
    sourceMap: ts.sourceMap,
    comments: new Map(),
    endLoc: head.loc,
  };
  while (ts.peek().kind !== 'eof') anchored(ts, anchors, (key: CommentKey) => key, () => parseDeclaration(ts, draft, anchors));
  draft.endLoc = ts.peek().loc;
  return draft;
}

function once(ts: TokenStream, present: boolean, loc: Loc, what: string): void {
  if (present) ts.error(loc, `\`${what}\` is declared twice`);
}

/** Parses one declaration; returns what comments before it attach to. */
function parseDeclaration(ts: TokenStream, draft: Draft, anchors: Anchor[]): CommentKey {
  const tok = ts.next();
  if (tok.kind !== 'ident' || !DECLARATION_KEYWORDS.includes(tok.text)) {
    ts.error(tok.loc, `expected a declaration (${DECLARATION_KEYWORDS.filter((k) => k !== 'leader').join(', ')}), found ${ts.describe(tok)}`);
  }
  switch (tok.text) {
    case 'values': {
      once(ts, draft.values !== null, tok.loc, 'values');
      const low = ts.expectInt('`0` in `values 0..K`');
      if (low.text !== '0') ts.error(low.loc, 'the value domain starts at 0: write `values 0..K`');
      ts.expectPunct('..', 'in `values 0..K`');
      const high = ts.expectInt('the largest value K in `values 0..K`');
      draft.values = { max: Number(high.text), loc: high.loc };
      return 'values';
    }
    case 'resilience':
      once(ts, draft.resilience !== null, tok.loc, 'resilience');
      draft.resilience = parseExpr(ts);
      return 'resilience';
    case 'faults':
      once(ts, draft.faults !== null, tok.loc, 'faults');
      draft.faults = parseFaults(ts, tok.loc);
      return 'faults';
    case 'assume':
      return push(draft.assumptions, ts.mark(parseAssume(ts), tok.loc));
    case 'property': {
      const parsed = parseProperty(ts);
      draft.userProperties.push({ property: ts.mark(parsed.property, tok.loc), nameLoc: parsed.nameLoc });
      return parsed.property;
    }
    case 'var':
      return push(draft.vars, ts.mark(parseVar(ts), tok.loc));
    case 'leader':
      ts.expectKeyword('message');
      return push(draft.messages, ts.mark(parseMessage(ts, true), tok.loc));
    case 'message':
      return push(draft.messages, ts.mark(parseMessage(ts, false), tok.loc));
    case 'round':
      return push(draft.rounds, ts.mark(parseRound(ts, anchors), tok.loc));
    case 'claims':
      once(ts, draft.claims !== null, tok.loc, 'claims');
      draft.claims = { claims: parseClaims(ts), loc: tok.loc };
      return 'claims';
    case 'horizon':
      once(ts, draft.horizon !== null, tok.loc, 'horizon');
      draft.horizon = parseExpr(ts);
      return 'horizon';
  }
  return ts.error(tok.loc, `unexpected ${ts.describe(tok)}`);
}

function push<T extends object>(list: T[], item: T): T {
  list.push(item);
  return item;
}

function parseType(ts: TokenStream): Type {
  const tok = ts.expectIdent('a type (`value`, `value?` or `bool`)');
  if (tok.text === 'bool') return { kind: 'bool' };
  if (tok.text !== 'value') ts.error(tok.loc, `unknown type \`${tok.text}\`: use \`value\`, \`value?\` or \`bool\``);
  return ts.acceptPunct('?') ? { kind: 'optvalue' } : { kind: 'value' };
}

function parseVar(ts: TokenStream): VarDecl {
  const name = ts.expectIdent('a variable name').text;
  ts.expectPunct(':', 'between the variable name and its type');
  const type = parseType(ts);
  ts.expectPunct('=', 'before the initial value');
  const init: VarDecl['init'] = ts.acceptKeyword('input') ? 'input' : parseExpr(ts);
  return { name, type, init };
}

function parseMessage(ts: TokenStream, leader: boolean): MessageDecl {
  const name = ts.expectIdent('a message type name').text;
  let payload: Type | null = null;
  if (ts.acceptPunct('(')) {
    payload = parseType(ts);
    ts.expectPunct(')', 'after the payload type');
  }
  return { name, payload, leader };
}

function parseRound(ts: TokenStream, anchors: Anchor[]): Round {
  const name = ts.expectIdent('a round name').text;
  ts.expectPunct('{', 'to open the round');
  const sends: Send[] = [];
  const rules: Rule[] = [];
  const element = (): object => {
    const tok = ts.next();
    if (tok.kind === 'ident' && tok.text === 'send') return push(sends, ts.mark(parseSend(ts), tok.loc));
    if (tok.kind === 'ident' && tok.text === 'when') return push(rules, ts.mark(parseRuleBody(ts, parseExpr(ts)), tok.loc));
    if (tok.kind === 'ident' && tok.text === 'otherwise') return push(rules, ts.mark(parseRuleBody(ts, ts.mark({ kind: 'bool', value: true }, tok.loc)), tok.loc));
    return ts.error(tok.loc, `expected \`send\`, \`when\`, \`otherwise\` or \`}\` in round \`${name}\`, found ${ts.describe(tok)}`);
  };
  while (!ts.acceptPunct('}')) anchored(ts, anchors, (node: object) => node, element);
  return { name, sends, rules };
}

function parseSend(ts: TokenStream): Send {
  const message = ts.expectIdent('a message type').text;
  let payload: Expr | null = null;
  if (ts.acceptPunct('(')) {
    payload = parseExpr(ts);
    ts.expectPunct(')', 'after the payload');
  }
  const when = ts.acceptKeyword('if') ? parseExpr(ts) : null;
  return { message, payload, when };
}

function parseRuleBody(ts: TokenStream, guard: Expr): Rule {
  ts.expectPunct(':', 'after the guard');
  if (ts.acceptKeyword('skip')) return { guard, actions: [] };
  const actions: Action[] = [];
  do {
    const tok = ts.peek();
    if (ts.acceptKeyword('decide')) {
      actions.push(ts.mark({ kind: 'decide', value: parseExpr(ts) }, tok.loc));
    } else {
      const name = ts.expectIdent('an action (`x := e`, `decide e` or `skip`)').text;
      ts.expectPunct(':=', `after \`${name}\``);
      actions.push(ts.mark({ kind: 'assign', name, value: parseExpr(ts) }, tok.loc));
    }
  } while (ts.acceptPunct(';'));
  return { guard, actions };
}

function parseClaims(ts: TokenStream): Claims {
  const claims: Claims = { agreement: false, validity: false, termination: null };
  do {
    const tok = ts.expectIdent('a property (`agreement`, `validity`, `termination within R`)');
    const seen = tok.text === 'agreement' ? claims.agreement : tok.text === 'validity' ? claims.validity : claims.termination !== null;
    if (seen) ts.error(tok.loc, `\`${tok.text}\` is claimed twice`);
    if (tok.text === 'agreement') claims.agreement = true;
    else if (tok.text === 'validity') claims.validity = true;
    else if (tok.text === 'termination') {
      ts.expectKeyword('within');
      claims.termination = parseExpr(ts);
    } else ts.error(tok.loc, `unknown property \`${tok.text}\`: use \`agreement\`, \`validity\` or \`termination within R\``);
  } while (ts.acceptPunct(','));
  return claims;
}
