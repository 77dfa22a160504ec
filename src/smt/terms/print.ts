// SMT-LIB2 text of terms, and the Query that collects declarations and
// assertions: the text is the proof artefact verbatim.

import { type BTerm, type ITerm, bvar, ge, ivar, le, num } from './build';
import { normB } from './linear';

/**
 * A numeral as SMT-LIB. Beyond 2^53 a double is no longer the integer it
 * stands for, and String() would print `1e+23`, which is not SMT-LIB: the
 * CLI refuses such inputs, so reaching this is a bug.
 */
function numText(v: number): string {
  if (!Number.isSafeInteger(v)) throw new Error(`internal error: the numeral ${v} is not a safe integer; it cannot be printed exactly as SMT-LIB`);
  return v < 0 ? `(- ${-v})` : String(v);
}

export function printI(t: ITerm): string {
  switch (t.k) {
    case 'num':
      return numText(t.v);
    case 'ivar':
      return t.name;
    case 'sum': {
      const parts = t.args.map(printI);
      if (t.c !== 0) parts.push(numText(t.c));
      return `(+ ${parts.join(' ')})`;
    }
    case 'scale':
      return `(* ${numText(t.c)} ${printI(t.a)})`;
    case 'ite':
      return `(ite ${printB(t.c)} ${printI(t.a)} ${printI(t.b)})`;
  }
}

export function printB(t: BTerm): string {
  switch (t.k) {
    case 'bool':
      return t.v ? 'true' : 'false';
    case 'bvar':
      return t.name;
    case 'le':
      return `(<= ${printI(t.a)} ${printI(t.b)})`;
    case 'eq':
      return `(= ${printI(t.a)} ${printI(t.b)})`;
    case 'and':
      return `(and ${t.args.map(printB).join(' ')})`;
    case 'or':
      return `(or ${t.args.map(printB).join(' ')})`;
    case 'not':
      return `(not ${printB(t.a)})`;
  }
}

/**
 * A query under construction: declared constants and assertions. Names are
 * made by the encoders and must be SMT-LIB simple symbols.
 */
export class Query {
  private readonly ints = new Set<string>();
  private readonly bools = new Set<string>();
  private readonly lines: string[] = [];

  int(name: string): ITerm {
    if (this.bools.has(name)) throw new Error(`symbol ${name} declared twice`);
    this.ints.add(name);
    return ivar(name);
  }
  /** A fresh Int constant with lo <= x (<= hi when given). */
  intIn(name: string, lo: number, hi?: number): ITerm {
    const x = this.int(name);
    this.assert(ge(x, num(lo)));
    if (hi !== undefined) this.assert(le(x, num(hi)));
    return x;
  }
  bool(name: string): BTerm {
    if (this.ints.has(name)) throw new Error(`symbol ${name} declared twice`);
    this.bools.add(name);
    return bvar(name);
  }
  assert(b0: BTerm): void {
    const b = normB(b0);
    if (b.k === 'bool' && b.v) return;
    if (b.k === 'and') for (const x of b.args) this.lines.push(`(assert ${printB(x)})`);
    else this.lines.push(`(assert ${printB(b)})`);
  }
  get size(): number {
    return this.lines.length;
  }
  /** SMT-LIB2 script: logic, declarations, assertions (no check-sat). */
  smtlib(): string {
    const decls: string[] = [];
    for (const x of this.ints) decls.push(`(declare-fun ${x} () Int)`);
    for (const x of this.bools) decls.push(`(declare-fun ${x} () Bool)`);
    return decls.join('\n') + '\n' + this.lines.join('\n') + '\n';
  }
}
