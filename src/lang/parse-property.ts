// The declarations of issue 14: `faults`, `assume` and `property`
// (docs/language.md, "Faults, assumptions and properties of your own").
// Their words are keywords only where they stand, so older files that use
// them as names keep parsing.
import { Assumption, Expr, FaultKind, PropertyScope, StateFormula, TemporalFormula, UserProperty } from '../ir/types';
import { Loc } from '../util/result';
import { parseExpr } from './expr-parser';
import { parseStateFormula } from './parse-formula';
import { TokenStream } from './tokens';

/** The words that start a declaration at the top level of a file. */
export const DECLARATION_KEYWORDS: readonly string[] = ['values', 'resilience', 'faults', 'assume', 'var', 'message', 'leader', 'round', 'claims', 'horizon', 'property'];

export const FAULT_KINDS: readonly FaultKind[] = ['byzantine', 'crash', 'omission'];

/** What `faults KIND [up to EXPR] [and omission [up to EXPR]]` said; the checker fills in the default bounds. */
export interface FaultsDecl {
  kind: FaultKind;
  /** null: `up to` omitted (the bound is t). */
  bound: Expr | null;
  /** `and omission [up to EXPR]` after `faults byzantine ...`: a hybrid model (bound null: o). */
  omission: { bound: Expr | null; loc: Loc } | null;
  loc: Loc;
  kindLoc: Loc;
}

/** After `faults`. */
export function parseFaults(ts: TokenStream, loc: Loc): FaultsDecl {
  const tok = ts.expectIdent('a fault kind (`byzantine`, `crash` or `omission`)');
  if (!(FAULT_KINDS as readonly string[]).includes(tok.text)) {
    ts.error(tok.loc, `unknown fault kind \`${tok.text}\`: write \`faults byzantine\`, \`faults crash\` or \`faults omission\``);
  }
  const bound = parseUpTo(ts);
  let omission: FaultsDecl['omission'] = null;
  const and = ts.peek();
  if (ts.acceptKeyword('and')) {
    const second = ts.expectIdent('`omission` (a hybrid model: `faults byzantine and omission`)');
    if (second.text !== 'omission' || tok.text !== 'byzantine') {
      ts.error(second.loc, 'the one hybrid model is Byzantine and omission faults: write `faults byzantine [up to EXPR] and omission [up to EXPR]`');
    }
    omission = { bound: parseUpTo(ts), loc: and.loc };
  }
  return { kind: tok.text as FaultKind, bound, omission, loc, kindLoc: tok.loc };
}

/** `[up to EXPR]` after a fault kind. */
function parseUpTo(ts: TokenStream): Expr | null {
  if (ts.acceptKeyword('up')) {
    ts.expectKeyword('to');
    // a missing bound: say so, rather than read the next declaration's first word as the bound
    const next = ts.peek();
    if (next.kind === 'eof' || (next.kind === 'ident' && DECLARATION_KEYWORDS.includes(next.text))) ts.error(next.loc, `expected the fault bound after \`up to\` (e.g. \`faults crash up to t + 1\`), found ${ts.describe(next)}`);
    return parseExpr(ts);
  }
  if (ts.peekKeyword('to') || ts.peekKeyword('within')) ts.error(ts.peek().loc, 'a fault bound is written `up to EXPR`, e.g. `faults crash up to t + 1`');
  return null;
}

/** After `assume`: `clean round within EXPR`. */
export function parseAssume(ts: TokenStream): Assumption {
  const tok = ts.peek();
  if (!ts.acceptKeyword('clean')) ts.error(tok.loc, `expected an assumption (\`assume clean round within R\`), found ${ts.describe(tok)}`);
  ts.expectKeyword('round');
  ts.expectKeyword('within');
  return { kind: 'clean-round', within: parseExpr(ts) };
}

/** After `property`: `NAME [for correct | for followers]: FORMULA`. */
export function parseProperty(ts: TokenStream): { property: UserProperty; nameLoc: Loc } {
  const nameTok = ts.expectIdent('a property name');
  let scope: PropertyScope = 'correct';
  if (ts.acceptKeyword('for')) {
    const who = ts.expectIdent('`correct` or `followers` after `for`');
    if (who.text !== 'correct' && who.text !== 'followers') {
      ts.error(who.loc, `unknown scope \`${who.text}\`: write \`for correct\` (the default) or \`for followers\``);
    }
    scope = who.text;
  }
  ts.expectPunct(':', `after the property name${scope === 'correct' ? '' : ' and scope'}`);
  const formula = parseTemporal(ts);
  return { property: { name: nameTok.text, scope, formula }, nameLoc: nameTok.loc };
}

function parseTemporal(ts: TokenStream): TemporalFormula {
  const tok = ts.peek();
  if (ts.acceptKeyword('always')) {
    let at: 'rounds' | 'phases' = 'rounds';
    if (ts.acceptKeyword('at')) {
      ts.expectKeyword('phase');
      ts.expectKeyword('ends');
      at = 'phases';
    }
    return ts.mark({ kind: 'always', at, state: parseStateFormula(ts) }, tok.loc);
  }
  let given: StateFormula | null = null;
  if (ts.acceptKeyword('if')) {
    given = parseStateFormula(ts);
    ts.expectKeyword('then');
    if (!ts.peekKeyword('eventually')) ts.error(ts.peek().loc, `\`if G then\` is followed by \`eventually S within R\`, found ${ts.describe(ts.peek())}`);
  }
  const eventually = ts.peek();
  if (!ts.acceptKeyword('eventually')) {
    ts.error(tok.loc, `expected \`always S\`, \`eventually S within R\` or \`if G then eventually S within R\`, found ${ts.describe(tok)}`);
  }
  const goal = parseStateFormula(ts);
  if (!ts.acceptKeyword('within')) {
    const found = ts.peek();
    const where = found.kind === 'eof' ? eventually.loc : found.loc;
    ts.error(where, `\`eventually S\` needs a round bound: write \`eventually S within R\` (R: rounds, over \`n\` and \`t\`), found ${ts.describe(found)}`);
  }
  const within = parseExpr(ts);
  return ts.mark({ kind: 'eventually', given: given ?? ts.mark({ kind: 'bool', value: true }, tok.loc), goal, within }, tok.loc);
}
