// The protocol IR: plain data, no classes, no source locations.
// Every engine (simulator, counter encoding, process encoding) reads this and
// nothing else; its semantics are fixed in docs/semantics.md sections 1-2.

/** Finite types of local variables and message payloads. */
export type Type =
  | { kind: 'value' } // the value domain 0 .. values-1
  | { kind: 'optvalue' } // value-or-none
  | { kind: 'bool' };

/**
 * The parameters: n processes, t the (Byzantine) fault bound, and o the
 * omission bound of a hybrid fault model (only a hybrid file may use o).
 */
export type ParamName = 'n' | 't' | 'o';

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
  | { kind: 'param'; name: ParamName }
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

/**
 * Who the faulty processes are (docs/semantics.md section 1.3).
 * - byzantine: send anything, or nothing, to each receiver; their state is not modelled.
 * - crash: follow the protocol until a round the adversary picks; in that round
 *   their messages reach only receivers the adversary picks; afterwards they do nothing.
 * - omission (send omission): follow the protocol in every round, receive everything,
 *   but any message they send may be withheld from any receiver (leaders too).
 */
export type FaultKind = 'byzantine' | 'crash' | 'omission';

export type FaultModel = SingleFaultModel | HybridFaultModel;

/** One kind of faulty process. */
export interface SingleFaultModel {
  kind: FaultKind;
  /**
   * The most faulty processes a run may have, over n and t. Runs have f faulty
   * processes for every f from 0 to this bound. `t` unless the file says
   * otherwise; more than t asks what breaks beyond the design bound.
   */
  bound: Expr;
}

/**
 * Byzantine and send-omission faults in the same run (docs/semantics.md
 * section 1.9): up to `byzantine` Byzantine processes and, besides them, up
 * to `omission` omission-faulty ones; runs have every fb in 0..byzantine and
 * fo in 0..omission. The bounds are over n, t and o (default t and o).
 */
export interface HybridFaultModel {
  kind: 'hybrid';
  byzantine: Expr;
  omission: Expr;
}

/** An assumption on the adversary's schedule: runs that break it are not considered. */
export type Assumption =
  /** some round among rounds 1..within has no new fault: no process crashes in it (crash), no message is withheld in it (omission). */
  { kind: 'clean-round'; within: Expr };

/** Which processes a user property speaks about. */
export type PropertyScope =
  | 'correct' // the processes that are not faulty (not in F: a faulty process that never crashes or omits is still faulty)
  | 'followers'; // every process that follows the protocol: the correct ones and, under omission faults, the faulty ones

/**
 * A formula over one configuration (the local states of the processes in
 * scope at a round boundary). `pred` of a quantifier or count is an
 * expression over one process's local state (its variables, `decided`,
 * `input`), `n` and `t`, as in a send condition.
 */
export type StateFormula =
  | { kind: 'bool'; value: boolean }
  | { kind: 'quant'; quantifier: 'all' | 'some' | 'no'; pred: Expr }
  | { kind: 'cmp'; op: CmpOp; left: CountTerm; right: CountTerm }
  | { kind: 'not'; arg: StateFormula }
  | { kind: 'and' | 'or' | 'implies'; left: StateFormula; right: StateFormula };

/** Integer terms of state formulas. */
export type CountTerm =
  | { kind: 'int'; value: number }
  | { kind: 'param'; name: ParamName }
  /** number of processes in scope whose state satisfies pred. */
  | { kind: 'number'; pred: Expr }
  /** number of distinct values (none excluded) that `name` holds among the processes in scope. */
  | { kind: 'distinct'; name: string }
  | { kind: 'add' | 'sub'; left: CountTerm; right: CountTerm }
  | { kind: 'mul'; coef: number; arg: CountTerm };

export type TemporalFormula =
  /** the state formula holds at every round boundary (`phases`: at every phase end, and initially). */
  | { kind: 'always'; at: 'rounds' | 'phases'; state: StateFormula }
  /** if `given` holds initially, `goal` holds at some round boundary by round `within` (conditional liveness). */
  | { kind: 'eventually'; given: StateFormula; goal: StateFormula; within: Expr };

/** A property written in the protocol file: `property NAME [for SCOPE]: FORMULA`. */
export interface UserProperty {
  name: string;
  scope: PropertyScope;
  formula: TemporalFormula;
}

export interface Protocol {
  name: string;
  faults: FaultModel;
  /** assumptions on the adversary's schedule (empty: every schedule). */
  assumptions: Assumption[];
  /** the properties the file writes itself, checked beside the built-in claims. */
  userProperties: UserProperty[];
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

/** A property's name: a built-in one (`Property`) or the name of one of the file's user properties. */
export type PropertyName = string;

export function isBuiltinProperty(name: PropertyName): name is Property {
  return name === 'agreement' || name === 'validity' || name === 'termination';
}
