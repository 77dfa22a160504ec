// The protocol IR: plain data, no classes, no source locations.
// Every engine (simulator, counter encoding, process encoding) reads this and
// nothing else; its semantics are fixed in docs/semantics.md sections 1-2.

/** Finite types of local variables and message payloads. */
export type Type =
  | { kind: 'value' } // the value domain 0 .. values-1
  | { kind: 'optvalue' } // value-or-none
  | { kind: 'bool' };

export type CmpOp = '<' | '<=' | '>' | '>=' | '==' | '!=';

/** How maj(M) breaks a tie between values with the same (highest) count. */
export type TieRule = 'min' | 'max';

/**
 * Expressions. Integer-valued: int, param, phase, count, add, sub, mul.
 * Value-valued: int (a value literal), none, var, maj. Boolean: bool, var,
 * cmp, and, or, not. The static checker guarantees well-typedness, so engines
 * may assume it.
 */
export type Expr =
  | { kind: 'int'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'none' }
  | { kind: 'param'; name: 'n' | 't' }
  | { kind: 'phase' } // current phase number, 1-based
  | { kind: 'var'; name: string } // a local variable, or the built-in `decided`
  /** messages of type `message` received this round; with payload: only those carrying it. */
  | { kind: 'count'; message: string; payload: Expr | null }
  /** the payload with the highest count among received `message`s. */
  | { kind: 'maj'; message: string; tie: TieRule }
  | { kind: 'add'; left: Expr; right: Expr }
  | { kind: 'sub'; left: Expr; right: Expr }
  | { kind: 'mul'; coef: number; arg: Expr } // linear: constant coefficient only
  | { kind: 'cmp'; op: CmpOp; left: Expr; right: Expr }
  | { kind: 'and'; left: Expr; right: Expr }
  | { kind: 'or'; left: Expr; right: Expr }
  | { kind: 'not'; arg: Expr };

export interface VarDecl {
  name: string;
  type: Type;
  /** 'input' (value vars only): the process's input, chosen by the adversary. */
  init: 'input' | Expr;
}

export interface MessageDecl {
  name: string;
  /** null: the message carries no payload (count(M) only). */
  payload: Type | null;
  /** leader messages are sent only by the phase's leader. */
  leader: boolean;
}

export interface Send {
  message: string;
  payload: Expr | null;
  /** state-only condition; null = always sent. */
  when: Expr | null;
}

export type Action =
  | { kind: 'assign'; name: string; value: Expr }
  | { kind: 'decide'; value: Expr };

export interface Rule {
  guard: Expr; // `otherwise` is the literal true
  actions: Action[]; // empty = skip
}

export interface Round {
  name: string;
  sends: Send[];
  rules: Rule[];
}

export interface Properties {
  agreement: boolean;
  validity: boolean;
  /** round bound R (an expression in n and t) by which every correct process decides; null if not claimed. */
  termination: Expr | null;
}

export interface Protocol {
  name: string;
  /** size of the value domain; values are 0 .. values-1. */
  values: number;
  /** resilience condition over n and t, e.g. n > 3*t. */
  resilience: Expr;
  vars: VarDecl[];
  messages: MessageDecl[];
  /** the rounds of one phase; phases repeat. */
  rounds: Round[];
  properties: Properties;
  /** the horizon in rounds (an expression in n and t): explicit, or the termination bound. */
  horizon: Expr;
}

/** Name of the built-in decision variable (type optvalue, initially none). */
export const DECIDED = 'decided';

export function unreachable(x: never): never {
  throw new Error(`unreachable: ${JSON.stringify(x)}`);
}

/** A runtime value: a domain value, a bool, or null for `none`. */
export type Val = number | boolean | null;

/** A local state: every declared variable plus `decided`. */
export type LocalState = Record<string, Val>;

/** The properties a protocol can claim (docs/semantics.md section 2). */
export type Property = 'agreement' | 'validity' | 'termination';
