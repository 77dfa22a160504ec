// State formulas of user properties (docs/language.md, "Properties"):
// `implies` (loosest, right associative) < `||` < `&&` < `!` < comparisons of
// count terms. A formula and a count term both start with `(`, so one
// precedence-climbing pass parses either and each operator checks what it got.
import { CmpOp, CountTerm, Expr, StateFormula } from '../ir/types';
import { Loc } from '../util/result';
import { parseExpr } from './expr-parser';
import { TokenStream } from './tokens';

const COMPARISONS: readonly string[] = ['<', '<=', '>', '>=', '==', '!='];
/** Words that open an atom when `(` follows: quantifiers and counts over the processes in scope. */
export const QUANTIFIERS: readonly string[] = ['all', 'some', 'no'];

type Node = { is: 'formula'; f: StateFormula; loc: Loc } | { is: 'term'; c: CountTerm; loc: Loc };

/** Deepest formula tree; keeps later recursive passes (printer, engines) off the stack limit. */
const MAX_DEPTH = 200;

export function parseStateFormula(ts: TokenStream): StateFormula {
  return asFormula(ts, parseNode(ts, new WeakMap()));
}

class Builder {
  constructor(readonly ts: TokenStream, readonly depths: WeakMap<object, number>) {}

  formula(f: StateFormula, loc: Loc, ...children: object[]): Node {
    this.bound(f, loc, children);
    return { is: 'formula', f: this.ts.mark(f, loc), loc };
  }

  term(c: CountTerm, loc: Loc, ...children: object[]): Node {
    this.bound(c, loc, children);
    return { is: 'term', c: this.ts.mark(c, loc), loc };
  }

  private bound(node: object, loc: Loc, children: object[]): void {
    const depth = 1 + Math.max(0, ...children.map((c) => this.depths.get(c) ?? 0));
    if (depth > MAX_DEPTH) this.ts.error(loc, `formula too deep (more than ${MAX_DEPTH} nested operations): split it into several properties`);
    this.depths.set(node, depth);
  }
}

/** A binary node is marked at its operator (as expressions are) but, as an operand, points at its first token. */
function startingAt(first: Node, node: Node): Node {
  return { ...node, loc: first.loc };
}

function asFormula(ts: TokenStream, node: Node): StateFormula {
  if (node.is === 'formula') return node.f;
  return ts.error(node.loc, 'expected a formula (e.g. `all(P)`, `some(P)`, `no(P)` or a comparison `number(P) >= 1`), found a count: compare it with something');
}

function asTerm(ts: TokenStream, node: Node): CountTerm {
  if (node.is === 'term') return node.c;
  return ts.error(node.loc, 'expected a count (`number(P)`, `distinct(x)`, `n`, `t` or a constant), found a formula');
}

function parseNode(ts: TokenStream, depths: WeakMap<object, number>): Node {
  const b = new Builder(ts, depths);
  return ts.nested(() => parseImplies(b));
}

function parseImplies(b: Builder): Node {
  const left = parseOr(b);
  if (!b.ts.peekKeyword('implies')) return left;
  const loc = b.ts.next().loc;
  const l = asFormula(b.ts, left);
  const r = asFormula(b.ts, b.ts.nested(() => parseImplies(b)));
  return startingAt(left, b.formula({ kind: 'implies', left: l, right: r }, loc, l, r));
}

function parseOr(b: Builder): Node {
  let left = parseAnd(b);
  while (b.ts.peekPunct('||')) {
    const loc = b.ts.next().loc;
    const l = asFormula(b.ts, left);
    const r = asFormula(b.ts, parseAnd(b));
    left = startingAt(left, b.formula({ kind: 'or', left: l, right: r }, loc, l, r));
  }
  return left;
}

function parseAnd(b: Builder): Node {
  let left = parseNot(b);
  while (b.ts.peekPunct('&&')) {
    const loc = b.ts.next().loc;
    const l = asFormula(b.ts, left);
    const r = asFormula(b.ts, parseNot(b));
    left = startingAt(left, b.formula({ kind: 'and', left: l, right: r }, loc, l, r));
  }
  return left;
}

function parseNot(b: Builder): Node {
  if (b.ts.peekPunct('!')) {
    const loc = b.ts.next().loc;
    const arg = asFormula(b.ts, b.ts.nested(() => parseNot(b)));
    return b.formula({ kind: 'not', arg }, loc, arg);
  }
  return parseComparison(b);
}

function parseComparison(b: Builder): Node {
  const left = parseSum(b);
  const tok = b.ts.peek();
  if (tok.kind !== 'punct' || !COMPARISONS.includes(tok.text)) return left;
  b.ts.next();
  const l = asTerm(b.ts, left);
  const r = asTerm(b.ts, parseSum(b));
  const after = b.ts.peek();
  if (after.kind === 'punct' && COMPARISONS.includes(after.text)) {
    b.ts.error(after.loc, `comparisons do not chain: write \`a ${tok.text} b && b ${after.text} c\``);
  }
  return startingAt(left, b.formula({ kind: 'cmp', op: tok.text as CmpOp, left: l, right: r }, tok.loc, l, r));
}

function parseSum(b: Builder): Node {
  let left = parseProduct(b);
  for (;;) {
    const tok = b.ts.peek();
    if (tok.kind !== 'punct' || (tok.text !== '+' && tok.text !== '-')) return left;
    b.ts.next();
    const l = asTerm(b.ts, left);
    const r = asTerm(b.ts, parseProduct(b));
    left = startingAt(left, b.term({ kind: tok.text === '+' ? 'add' : 'sub', left: l, right: r }, tok.loc, l, r));
  }
}

function parseProduct(b: Builder): Node {
  let left = parseUnary(b);
  while (b.ts.peekPunct('*')) {
    const star = b.ts.next();
    const l = asTerm(b.ts, left);
    const r = asTerm(b.ts, parseUnary(b));
    if (l.kind === 'int') left = startingAt(left, b.term({ kind: 'mul', coef: l.value, arg: r }, star.loc, r));
    else if (r.kind === 'int') left = startingAt(left, b.term({ kind: 'mul', coef: r.value, arg: l }, star.loc, l));
    else b.ts.error(star.loc, 'non-linear product: one side of `*` must be an integer constant');
  }
  return left;
}

function parseUnary(b: Builder): Node {
  if (!b.ts.peekPunct('-')) return parseAtom(b);
  const minus = b.ts.next();
  const arg = asTerm(b.ts, b.ts.nested(() => parseUnary(b)));
  if (arg.kind === 'int') return b.term({ kind: 'int', value: 0 - arg.value }, minus.loc); // 0 - x: never -0
  return b.term({ kind: 'mul', coef: -1, arg }, minus.loc, arg);
}

/** `(P)` after a quantifier or `number`: an expression over one process's state. */
function parsePredicate(ts: TokenStream, word: string): Expr {
  ts.expectPunct('(', `after \`${word}\``);
  const pred = parseExpr(ts);
  ts.expectPunct(')', `to close \`${word}(\``);
  return pred;
}

function parseAtom(b: Builder): Node {
  const ts = b.ts;
  const tok = ts.next();
  if (tok.kind === 'int') return b.term({ kind: 'int', value: Number(tok.text) }, tok.loc);
  if (tok.kind === 'punct' && tok.text === '(') {
    const inner = parseNode(ts, b.depths);
    ts.expectPunct(')', 'to close `(`');
    return inner;
  }
  if (tok.kind === 'ident') {
    const call = ts.peekPunct('(');
    if (tok.text === 'true' || tok.text === 'false') return b.formula({ kind: 'bool', value: tok.text === 'true' }, tok.loc);
    if (tok.text === 'n' || tok.text === 't' || tok.text === 'o') return b.term({ kind: 'param', name: tok.text }, tok.loc);
    if (call && QUANTIFIERS.includes(tok.text)) {
      const quantifier = tok.text as 'all' | 'some' | 'no';
      return b.formula({ kind: 'quant', quantifier, pred: parsePredicate(ts, tok.text) }, tok.loc);
    }
    if (call && tok.text === 'number') return b.term({ kind: 'number', pred: parsePredicate(ts, 'number') }, tok.loc);
    if (call && tok.text === 'distinct') {
      ts.next();
      const name = ts.expectIdent('a variable name in `distinct(x)`').text;
      ts.expectPunct(')', 'to close `distinct(`');
      return b.term({ kind: 'distinct', name }, tok.loc);
    }
  }
  return ts.error(
    tok.loc,
    `expected a formula or a count (\`all(P)\`, \`some(P)\`, \`no(P)\`, \`number(P)\`, \`distinct(x)\`, \`true\`, \`false\`, \`n\`, \`t\` or a constant), found ${ts.describe(tok)}` +
      (tok.kind === 'ident' && !ts.peekPunct('(') && ![...QUANTIFIERS, 'number', 'distinct'].includes(tok.text) ? `; a predicate over one process goes inside, e.g. \`all(${tok.text})\`` : ''),
  );
}
