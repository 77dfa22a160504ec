// Printing of the declarations of issue 14: the fault model, assumptions and
// user properties. Parses back to the same IR (src/lang/parse-property.ts).
import { BYZANTINE_UP_TO_T, boundIsT } from '../ir/faults';
import { Assumption, CountTerm, Expr, FaultModel, StateFormula, TemporalFormula, UserProperty, unreachable } from '../ir/types';
import { printExpr } from './print-expr';

// Binding strength, loosest first; a child printed below its slot gets parentheses.
const IMPLIES = 1;
const OR = 2;
const AND = 3;
const NOT = 4;
const CMP = 5;
const SUM = 6;
const PRODUCT = 7;
const UNARY = 8;
const ATOM = 9;

type Node = { f: StateFormula } | { c: CountTerm };

function strength(node: Node): number {
  if ('c' in node) {
    const c = node.c;
    switch (c.kind) {
      case 'add':
      case 'sub':
        return SUM;
      case 'mul':
        return PRODUCT;
      case 'int':
        return c.value < 0 ? UNARY : ATOM;
      case 'param':
      case 'number':
      case 'distinct':
        return ATOM;
      default:
        return unreachable(c);
    }
  }
  const f = node.f;
  switch (f.kind) {
    case 'implies':
      return IMPLIES;
    case 'or':
      return OR;
    case 'and':
      return AND;
    case 'not':
      return NOT;
    case 'cmp':
      return CMP;
    case 'bool':
    case 'quant':
      return ATOM;
    default:
      return unreachable(f);
  }
}

function at(node: Node, min: number): string {
  const text = 'c' in node ? printCountTerm(node.c) : printStateFormula(node.f);
  return strength(node) < min ? `(${text})` : text;
}

export function printCountTerm(c: CountTerm): string {
  switch (c.kind) {
    case 'int':
      return String(c.value);
    case 'param':
      return c.name;
    case 'number':
      return `number(${printExpr(c.pred)})`;
    case 'distinct':
      return `distinct(${c.name})`;
    case 'add':
      return `${at({ c: c.left }, SUM)} + ${at({ c: c.right }, PRODUCT)}`;
    case 'sub':
      return `${at({ c: c.left }, SUM)} - ${at({ c: c.right }, PRODUCT)}`;
    case 'mul':
      return `${c.coef}*${at({ c: c.arg }, ATOM)}`;
    default:
      return unreachable(c);
  }
}

export function printStateFormula(f: StateFormula): string {
  switch (f.kind) {
    case 'bool':
      return String(f.value);
    case 'quant':
      return `${f.quantifier}(${printExpr(f.pred)})`;
    case 'cmp':
      return `${at({ c: f.left }, SUM)} ${f.op} ${at({ c: f.right }, SUM)}`;
    case 'not':
      return `!${at({ f: f.arg }, ATOM)}`;
    // `implies` is right associative: the left operand needs strictly tighter binding.
    case 'implies':
      return `${at({ f: f.left }, OR)} implies ${at({ f: f.right }, IMPLIES)}`;
    case 'or':
      return `${at({ f: f.left }, OR)} || ${at({ f: f.right }, AND)}`;
    case 'and':
      return `${at({ f: f.left }, AND)} && ${at({ f: f.right }, NOT)}`;
    default:
      return unreachable(f);
  }
}

export function printTemporal(f: TemporalFormula): string {
  switch (f.kind) {
    case 'always': {
      // `always (a implies b)`: without the parentheses a reader may take `always` to bind tighter.
      const state = f.state.kind === 'implies' ? `(${printStateFormula(f.state)})` : printStateFormula(f.state);
      return `always ${f.at === 'phases' ? 'at phase ends ' : ''}${state}`;
    }
    case 'eventually': {
      const given = f.given.kind === 'bool' && f.given.value ? '' : `if ${printStateFormula(f.given)} then `;
      return `${given}eventually ${printStateFormula(f.goal)} within ${printExpr(f.within)}`;
    }
    default:
      return unreachable(f);
  }
}

export function printUserProperty(p: UserProperty): string {
  return `property ${p.name}${p.scope === 'correct' ? '' : ` for ${p.scope}`}: ${printTemporal(p.formula)}`;
}

/** `faults KIND [up to B]`; null for the default (Byzantine up to t), which needs no line. */
export function printFaults(faults: FaultModel, always = false): string | null {
  if (faults.kind === 'hybrid') {
    const upTo = (e: Expr, dflt: 't' | 'o'): string => (e.kind === 'param' && e.name === dflt ? '' : ` up to ${printExpr(e)}`);
    return `faults byzantine${upTo(faults.byzantine, 't')} and omission${upTo(faults.omission, 'o')}`;
  }
  if (!always && faults.kind === BYZANTINE_UP_TO_T.kind && boundIsT(faults)) return null;
  return `faults ${faults.kind}${boundIsT(faults) ? '' : ` up to ${printExpr(faults.bound)}`}`;
}

export function printAssumption(a: Assumption): string {
  switch (a.kind) {
    case 'clean-round':
      return `assume clean round within ${printExpr(a.within)}`;
    default:
      return unreachable(a.kind);
  }
}
