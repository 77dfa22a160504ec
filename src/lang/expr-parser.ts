// Expressions, by precedence climbing. Loosest first: ||, &&, !, comparisons, + -, *, unary -.
import { CmpOp, Expr, TieRule } from '../ir/types';
import { TokenStream } from './tokens';

const COMPARISONS: readonly string[] = ['<', '<=', '>', '>=', '==', '!='];

export function parseExpr(ts: TokenStream): Expr {
  return ts.nested(() => parseOr(ts));
}

function parseOr(ts: TokenStream): Expr {
  let left = parseAnd(ts);
  while (ts.peekPunct('||')) {
    const loc = ts.next().loc;
    left = ts.markExpr({ kind: 'or', left, right: parseAnd(ts) }, loc);
  }
  return left;
}

function parseAnd(ts: TokenStream): Expr {
  let left = parseNot(ts);
  while (ts.peekPunct('&&')) {
    const loc = ts.next().loc;
    left = ts.markExpr({ kind: 'and', left, right: parseNot(ts) }, loc);
  }
  return left;
}

function parseNot(ts: TokenStream): Expr {
  if (ts.peekPunct('!')) {
    const loc = ts.next().loc;
    return ts.markExpr({ kind: 'not', arg: ts.nested(() => parseNot(ts)) }, loc);
  }
  return parseComparison(ts);
}

function parseComparison(ts: TokenStream): Expr {
  const left = parseSum(ts);
  const tok = ts.peek();
  if (tok.kind === 'punct' && COMPARISONS.includes(tok.text)) {
    ts.next();
    const right = parseSum(ts);
    const after = ts.peek();
    if (after.kind === 'punct' && COMPARISONS.includes(after.text)) {
      ts.error(after.loc, `comparisons do not chain: write \`a ${tok.text} b && b ${after.text} c\``);
    }
    return ts.markExpr({ kind: 'cmp', op: tok.text as CmpOp, left, right }, tok.loc);
  }
  return left;
}

function parseSum(ts: TokenStream): Expr {
  let left = parseProduct(ts);
  for (;;) {
    const tok = ts.peek();
    if (tok.kind !== 'punct' || (tok.text !== '+' && tok.text !== '-')) return left;
    ts.next();
    const right = parseProduct(ts);
    left = ts.markExpr(tok.text === '+' ? { kind: 'add', left, right } : { kind: 'sub', left, right }, tok.loc);
  }
}

function parseProduct(ts: TokenStream): Expr {
  let left = parseUnary(ts);
  while (ts.peekPunct('*')) {
    const star = ts.next();
    const right = parseUnary(ts);
    if (left.kind === 'int') left = ts.markExpr({ kind: 'mul', coef: left.value, arg: right }, star.loc);
    else if (right.kind === 'int') left = ts.markExpr({ kind: 'mul', coef: right.value, arg: left }, star.loc);
    else ts.error(star.loc, 'non-linear product: one side of `*` must be an integer constant');
  }
  return left;
}

function parseUnary(ts: TokenStream): Expr {
  if (ts.peekPunct('-')) {
    const minus = ts.next();
    const arg = ts.nested(() => parseUnary(ts));
    if (arg.kind === 'int') return ts.markExpr({ kind: 'int', value: 0 - arg.value }, minus.loc); // 0 - x: never -0
    return ts.markExpr({ kind: 'mul', coef: -1, arg }, minus.loc);
  }
  return parseAtom(ts);
}

function parseAtom(ts: TokenStream): Expr {
  const tok = ts.next();
  if (tok.kind === 'int') return ts.markExpr({ kind: 'int', value: Number(tok.text) }, tok.loc);
  if (tok.kind === 'punct' && tok.text === '(') {
    const inner = parseExpr(ts);
    ts.expectPunct(')', 'to close `(`');
    return inner;
  }
  if (tok.kind !== 'ident') return ts.error(tok.loc, `expected an expression, found ${ts.describe(tok)}`);
  switch (tok.text) {
    case 'true':
    case 'false':
      return ts.markExpr({ kind: 'bool', value: tok.text === 'true' }, tok.loc);
    case 'none':
      return ts.markExpr({ kind: 'none' }, tok.loc);
    case 'n':
    case 't':
    case 'o':
      return ts.markExpr({ kind: 'param', name: tok.text }, tok.loc);
    case 'phase':
      return ts.markExpr({ kind: 'phase' }, tok.loc);
    case 'count': {
      ts.expectPunct('(', 'after `count`');
      const message = ts.expectIdent('a message type').text;
      const payload = ts.acceptPunct(',') ? parseExpr(ts) : null;
      ts.expectPunct(')', 'to close `count(`');
      return ts.markExpr({ kind: 'count', message, payload }, tok.loc);
    }
    case 'maj': {
      ts.expectPunct('(', 'after `maj`');
      const message = ts.expectIdent('a message type').text;
      let tie: TieRule = 'min';
      if (ts.acceptPunct(',')) {
        ts.expectKeyword('tie');
        const rule = ts.expectIdent('`min` or `max`');
        if (rule.text !== 'min' && rule.text !== 'max') ts.error(rule.loc, `unknown tie rule \`${rule.text}\`: use \`min\` or \`max\``);
        tie = rule.text as TieRule;
      }
      ts.expectPunct(')', 'to close `maj(`');
      return ts.markExpr({ kind: 'maj', message, tie }, tok.loc);
    }
    default:
      return ts.markExpr({ kind: 'var', name: tok.text }, tok.loc);
  }
}
