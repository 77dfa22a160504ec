// The fault model and the user's properties: defaults and small queries that
// every engine asks (docs/semantics.md section 1.3).
import type { CountTerm, Expr, FaultModel, Protocol, StateFormula, TemporalFormula } from './types';

/** What a file without a `faults` declaration means: up to t Byzantine processes. */
export const BYZANTINE_UP_TO_T: FaultModel = { kind: 'byzantine', bound: { kind: 'param', name: 't' } };

/** The parts of a protocol that a file without `faults`, `assume` and `property` declarations has. */
export const DEFAULT_FAULT_FIELDS: Pick<Protocol, 'faults' | 'assumptions' | 'userProperties'> = {
  faults: BYZANTINE_UP_TO_T,
  assumptions: [],
  userProperties: [],
};

/** True when the fault bound is exactly `t` (the design bound). */
export function boundIsT(faults: FaultModel): boolean {
  return faults.bound.kind === 'param' && faults.bound.name === 't';
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
  const out: Expr[] = [];
  const term = (c: CountTerm): void => {
    switch (c.kind) {
      case 'number':
        out.push(c.pred);
        return;
      case 'add':
      case 'sub':
        term(c.left);
        term(c.right);
        return;
      case 'mul':
        term(c.arg);
        return;
      case 'int':
      case 'param':
      case 'distinct':
        return;
    }
  };
  const state = (s: StateFormula): void => {
    switch (s.kind) {
      case 'quant':
        out.push(s.pred);
        return;
      case 'cmp':
        term(s.left);
        term(s.right);
        return;
      case 'not':
        state(s.arg);
        return;
      case 'and':
      case 'or':
      case 'implies':
        state(s.left);
        state(s.right);
        return;
      case 'bool':
        return;
    }
  };
  if (f.kind === 'always') state(f.state);
  else {
    state(f.given);
    state(f.goal);
  }
  return out;
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
