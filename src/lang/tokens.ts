// A cursor over tokens with the small vocabulary the parsers share.
// Syntax errors unwind with SyntaxFailure, caught at the parser's boundary and
// turned into a located Result error; nothing escapes to the caller.
import { Expr } from '../ir/types';
import { Loc } from '../util/result';
import { Token } from './lexer';
import { SourceMap } from './sourcemap';

export class SyntaxFailure {
  constructor(readonly loc: Loc, readonly message: string) {}
}

/** Deepest nesting of parentheses and unary operators; keeps the recursive parser off the stack limit. */
const MAX_DEPTH = 200;

export class TokenStream {
  private pos = 0;
  private depth = 0;
  private last: Token | undefined;
  private readonly depths = new WeakMap<Expr, number>();

  constructor(private readonly tokens: Token[], readonly sourceMap: SourceMap) {}

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)]!;
  }

  next(): Token {
    const tok = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    this.last = tok;
    return tok;
  }

  /** Line of the last token consumed: where the element just parsed ends. */
  lastLine(): number {
    return this.last?.loc.line ?? 1;
  }

  mark<T extends object>(node: T, loc: Loc): T {
    this.sourceMap.set(node, loc);
    return node;
  }

  /** Marks an expression node and bounds the depth of the tree, so later recursive passes cannot overflow. */
  markExpr<T extends Expr>(node: T, loc: Loc): T {
    const children: Expr[] = [];
    switch (node.kind) {
      case 'add':
      case 'sub':
      case 'cmp':
      case 'and':
      case 'or':
        children.push(node.left, node.right);
        break;
      case 'not':
      case 'mul':
        children.push(node.arg);
        break;
      case 'count':
        if (node.payload !== null) children.push(node.payload);
        break;
      default:
        break;
    }
    const depth = 1 + Math.max(0, ...children.map((c) => this.depths.get(c) ?? 0));
    if (depth > MAX_DEPTH) this.error(loc, `expression too deep (more than ${MAX_DEPTH} nested operations): split it up`);
    this.depths.set(node, depth);
    return this.mark(node, loc);
  }

  error(loc: Loc, message: string): never {
    throw new SyntaxFailure(loc, message);
  }

  describe(tok: Token): string {
    switch (tok.kind) {
      case 'eof':
        return 'end of file';
      case 'int':
        return `number ${tok.text}`;
      case 'ident':
        return `\`${tok.text}\``;
      case 'punct':
        return `\`${tok.text}\``;
    }
  }

  peekPunct(text: string): boolean {
    const tok = this.peek();
    return tok.kind === 'punct' && tok.text === text;
  }

  peekKeyword(text: string): boolean {
    const tok = this.peek();
    return tok.kind === 'ident' && tok.text === text;
  }

  acceptPunct(text: string): boolean {
    if (!this.peekPunct(text)) return false;
    this.next();
    return true;
  }

  acceptKeyword(text: string): boolean {
    if (!this.peekKeyword(text)) return false;
    this.next();
    return true;
  }

  expectPunct(text: string, context: string): Token {
    const tok = this.peek();
    if (tok.kind !== 'punct' || tok.text !== text) this.error(tok.loc, `expected \`${text}\` ${context}, found ${this.describe(tok)}`);
    return this.next();
  }

  expectKeyword(text: string): Token {
    const tok = this.peek();
    if (tok.kind !== 'ident' || tok.text !== text) this.error(tok.loc, `expected \`${text}\`, found ${this.describe(tok)}`);
    return this.next();
  }

  expectIdent(what: string): Token {
    const tok = this.peek();
    if (tok.kind !== 'ident') this.error(tok.loc, `expected ${what}, found ${this.describe(tok)}`);
    return this.next();
  }

  expectInt(what: string): Token {
    const tok = this.peek();
    if (tok.kind !== 'int') this.error(tok.loc, `expected ${what}, found ${this.describe(tok)}`);
    return this.next();
  }

  /** Runs a nested parse, failing cleanly past MAX_DEPTH instead of overflowing the stack. */
  nested<T>(parse: () => T): T {
    if (++this.depth > MAX_DEPTH) this.error(this.peek().loc, `expression nested too deeply (more than ${MAX_DEPTH} levels)`);
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }
}
