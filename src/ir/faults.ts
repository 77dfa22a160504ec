// The fault model and the user's properties: defaults and small queries that
// every engine asks (docs/semantics.md section 1.3).
import { type CountTerm, type Expr, type FaultModel, type HybridFaultModel, type ParamName, type Protocol, type StateFormula, type TemporalFormula, unreachable } from './types';

/** What a file without a `faults` declaration means: up to t Byzantine processes. */
export const BYZANTINE_UP_TO_T: FaultModel = { kind: 'byzantine', bound: { kind: 'param', name: 't' } };

/** The parts of a protocol that a file without `faults`, `assume` and `property` declarations has. */
export const DEFAULT_FAULT_FIELDS: Pick<Protocol, 'faults' | 'assumptions' | 'userProperties'> = {
  faults: BYZANTINE_UP_TO_T,
  assumptions: [],
  userProperties: [],
};

/** What `faults byzantine and omission` means without bounds: up to t Byzantine and up to o omission-faulty processes. */
export const HYBRID_UP_TO_T_AND_O: HybridFaultModel = { kind: 'hybrid', byzantine: { kind: 'param', name: 't' }, omission: { kind: 'param', name: 'o' } };

const isParam = (e: Expr, name: ParamName): boolean => e.kind === 'param' && e.name === name;

/**
 * True when the fault bound is exactly `t` (the design bound) and there is one
 * fault kind. A hybrid model is never "bound t": it has more faulty processes
 * than t, so no Byzantine model with bound t includes its runs.
 */
export function boundIsT(faults: FaultModel): boolean {
  return faults.kind !== 'hybrid' && isParam(faults.bound, 't');
}

/** A hybrid model with its design bounds: t Byzantine and o omission-faulty processes. */
export function hybridBoundsAreTO(faults: FaultModel): boolean {
  return faults.kind === 'hybrid' && isParam(faults.byzantine, 't') && isParam(faults.omission, 'o');
}

/** The fault bound of a single-kind model; a hybrid model has two and must be handled by the caller. */
export function singleBound(faults: FaultModel): Expr {
  if (faults.kind === 'hybrid') throw new Error('internal error: a hybrid fault model has two bounds; this engine does not handle it');
  return faults.bound;
}

/** The fault model in words, e.g. `up to t + 1 crash faults`, `up to t Byzantine and up to o omission faults`. */
export function faultsInWords(faults: FaultModel, print: (e: Expr) => string): string {
  if (faults.kind === 'hybrid') return `up to ${print(faults.byzantine)} Byzantine and up to ${print(faults.omission)} omission faults`;
  return `up to ${print(faults.bound)} ${faults.kind} faults`;
}

/**
 * True for the model every engine has always handled: up to t Byzantine
 * processes, no schedule assumption and no user property. Engines that know
 * only this model must refuse (report unknown for) anything else.
 */
export function isClassicModel(p: Protocol): boolean {
  return p.faults.kind === 'byzantine' && boundIsT(p.faults) && p.assumptions.length === 0 && p.userProperties.length === 0;
}

/** A Byzantine proof covers this model's runs: Byzantine processes can act out crashes and omissions. */
export function byzantineProofCovers(p: Protocol): boolean {
  return boundIsT(p.faults) && p.assumptions.length === 0 && p.userProperties.length === 0;
}

/** The local-state expressions a formula quantifies over (to collect the variables it reads). */
export function formulaPredicates(f: TemporalFormula): Expr[] {
  return f.kind === 'always' ? statePredicates(f.state) : [...statePredicates(f.given), ...statePredicates(f.goal)];
}

/**
 * The same protocol against up to t Byzantine processes and every schedule:
 * the model whose runs include this protocol's runs (docs/semantics.md 1.7),
 * for engines that model Byzantine faults only and may only prove. Only for
 * a fault bound of t: a larger bound has runs the Byzantine model lacks.
 */
export function byzantineOverApproximation(p: Protocol): Protocol {
  if (!boundIsT(p.faults)) throw new Error(`internal error: ${p.name} has a fault bound other than t; no Byzantine model with bound t includes its runs`);
  return { ...p, faults: BYZANTINE_UP_TO_T, assumptions: [] };
}

/**
 * The leaves of a state formula that read processes, left to right: its
 * quantifiers, `number(P)` counts and `distinct(x)` counts. One walk for every
 * query below and for the simulator's witnesses (src/sim/formula-atoms.ts).
 */
export type FormulaLeaf =
  | { kind: 'quant'; quantifier: 'all' | 'some' | 'no'; pred: Expr }
  | { kind: 'number'; pred: Expr }
  | { kind: 'distinct'; name: string };

export function formulaLeaves(s: StateFormula): FormulaLeaf[] {
  switch (s.kind) {
    case 'bool':
      return [];
    case 'quant':
      return [{ kind: 'quant', quantifier: s.quantifier, pred: s.pred }];
    case 'cmp':
      return [...termLeaves(s.left), ...termLeaves(s.right)];
    case 'not':
      return formulaLeaves(s.arg);
    case 'and':
    case 'or':
    case 'implies':
      return [...formulaLeaves(s.left), ...formulaLeaves(s.right)];
    default:
      return unreachable(s);
  }
}

function termLeaves(c: CountTerm): FormulaLeaf[] {
  switch (c.kind) {
    case 'number':
      return [{ kind: 'number', pred: c.pred }];
    case 'distinct':
      return [{ kind: 'distinct', name: c.name }];
    case 'add':
    case 'sub':
      return [...termLeaves(c.left), ...termLeaves(c.right)];
    case 'mul':
      return termLeaves(c.arg);
    case 'int':
    case 'param':
      return [];
    default:
      return unreachable(c);
  }
}

/** The predicates of a state formula, in order. */
export function statePredicates(s: StateFormula): Expr[] {
  return formulaLeaves(s).flatMap((l) => (l.kind === 'distinct' ? [] : [l.pred]));
}

/** The variables a state formula counts with `distinct`, in order. */
export function distinctNames(s: StateFormula): string[] {
  return formulaLeaves(s).flatMap((l) => (l.kind === 'distinct' ? [l.name] : []));
}
