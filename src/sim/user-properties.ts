// The one evaluator of the user's own properties on a concrete run
// (docs/semantics.md section 2.5). Pure: it reads the states of a run at its
// round boundaries and knows nothing of the simulator, so the simulator,
// exploration, replay and the SMT decoders all judge a run the same way.

import { evalBool, evalParamInt, paramValue, type EvalEnv } from '../ir/eval';
import { unreachable, type CountTerm, type Expr, type FaultKind, type LocalState, type PropertyScope, type Protocol, type StateFormula, type UserProperty, type Val } from '../ir/types';
import type { Violation } from '../trace/model';
import { atomsOf } from './formula-atoms';

/** The name under which a property may read the process's input (docs/semantics.md section 2.5). */
export const INPUT_NAME = 'input';

export interface ScopedRun {
  n: number;
  t: number;
  /** hybrid runs only: the omission bound o (a property may read it). */
  o?: number;
  /** the fault model; 'hybrid': Byzantine and omission-faulty processes together (docs/semantics.md section 1.9). */
  faults: FaultKind | 'hybrid';
  /** the faulty processes F (Byzantine, crash- or omission-faulty; hybrid: both kinds), any order. */
  faulty: readonly number[];
  /** hybrid runs: the Byzantine processes among `faulty` (never followers; the others are omission-faulty). */
  byzantine?: readonly number[];
  roundsPerPhase: number;
  /** boundaries 0..H: per process its state, null when Byzantine or crashed */
  states: readonly (readonly (LocalState | null)[])[];
  /**
   * per process its input (null for Byzantine processes). Read by `input` in a
   * predicate when the state has no variable of that name; a protocol whose
   * properties read `input` may instead carry it as a hidden variable.
   */
  inputs?: readonly (number | null)[];
}

/**
 * Whether process i is in the property's scope at a boundary: `correct` are
 * the processes not in F; `followers` adds the faulty processes that follow
 * the protocol and have not crashed by that boundary (omission-faulty ones,
 * crash-faulty ones whose state is not null; in a hybrid run the
 * omission-faulty ones). Byzantine processes are never followers.
 */
export function inScope(scope: PropertyScope, run: ScopedRun, i: number, boundary: number): boolean {
  return inScopeOf(scope, run, run.states[boundary] ?? [], i);
}

function inScopeOf(scope: PropertyScope, run: RunContext, vector: readonly (LocalState | null)[], i: number): boolean {
  const faulty = run.faulty.includes(i);
  switch (scope) {
    case 'correct':
      return !faulty;
    case 'followers':
      if (!faulty) return true;
      if (run.faults === 'byzantine' || run.byzantine?.includes(i) === true) return false;
      return (vector[i] ?? null) !== null;
    default:
      return unreachable(scope);
  }
}

/** The processes in scope at a boundary, ascending. */
export function scopeAt(scope: PropertyScope, run: ScopedRun, boundary: number): number[] {
  return membersOf(scope, run, run.states[boundary] ?? []);
}

function membersOf(scope: PropertyScope, run: RunContext, vector: readonly (LocalState | null)[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < run.n; i++) if (inScopeOf(scope, run, vector, i)) out.push(i);
  return out;
}

/** A run without its states: what a property needs besides one boundary's state vector. */
export type RunContext = Omit<ScopedRun, 'states'>;

/** One boundary of a run as a property sees it. */
interface View {
  p: Protocol;
  run: RunContext;
  boundary: number;
  vector: readonly (LocalState | null)[];
  members: number[];
}

function stateFor(view: View, i: number): LocalState {
  const s = view.vector[i] ?? null;
  if (s === null) throw new Error(`user property: process ${i} is in scope at boundary ${view.boundary} but has no state`);
  const input = view.run.inputs?.[i];
  if (Object.prototype.hasOwnProperty.call(s, INPUT_NAME) || input === undefined) return s;
  return { ...s, [INPUT_NAME]: input };
}

function holdsFor(view: View, pred: Expr, i: number): boolean {
  const { p, run, boundary } = view;
  const env: EvalEnv = { n: run.n, t: run.t, ...(run.o === undefined ? {} : { o: run.o }), phase: Math.floor(boundary / Math.max(1, run.roundsPerPhase)) + 1, values: p.values, state: stateFor(view, i) };
  return evalBool(pred, env);
}

function term(view: View, c: CountTerm): number {
  switch (c.kind) {
    case 'int':
      return c.value;
    case 'param':
      return paramValue(c.name, view.run);
    case 'number':
      return view.members.filter((i) => holdsFor(view, c.pred, i)).length;
    case 'distinct': {
      const seen = new Set<Val>();
      for (const i of view.members) {
        const x = stateFor(view, i)[c.name];
        if (x === undefined) throw new Error(`user property: unknown variable '${c.name}'`);
        if (x !== null) seen.add(x);
      }
      return seen.size;
    }
    case 'add':
      return term(view, c.left) + term(view, c.right);
    case 'sub':
      return term(view, c.left) - term(view, c.right);
    case 'mul':
      return c.coef * term(view, c.arg) + 0;
    default:
      return unreachable(c);
  }
}

function compare(op: '<' | '<=' | '>' | '>=' | '==' | '!=', a: number, b: number): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    default:
      return unreachable(op);
  }
}

function holds(view: View, s: StateFormula): boolean {
  switch (s.kind) {
    case 'bool':
      return s.value;
    case 'quant': {
      const count = view.members.filter((i) => holdsFor(view, s.pred, i)).length;
      switch (s.quantifier) {
        case 'all':
          return count === view.members.length;
        case 'some':
          return count > 0;
        case 'no':
          return count === 0;
        default:
          return unreachable(s.quantifier);
      }
    }
    case 'cmp':
      return compare(s.op, term(view, s.left), term(view, s.right));
    case 'not':
      return !holds(view, s.arg);
    case 'and':
      return holds(view, s.left) && holds(view, s.right);
    case 'or':
      return holds(view, s.left) || holds(view, s.right);
    case 'implies':
      return !holds(view, s.left) || holds(view, s.right);
    default:
      return unreachable(s);
  }
}

/**
 * Witnesses of a failed formula at a boundary (docs/semantics.md section
 * 2.5): when the formula has exactly one `all`/`some`/`no`/`number` atom,
 * the processes in scope satisfying its predicate (`some`, `no`, `number`)
 * or failing it (`all`); otherwise none (with several atoms no one of them
 * names the culprits: in `no(input == 1) implies no(accepted)` the first
 * atom's processes are the ones that would excuse the run).
 */
function witnesses(view: View, s: StateFormula): number[] {
  const atoms = atomsOf(s);
  const atom = atoms[0];
  if (atoms.length !== 1 || atom === undefined) return [];
  const wantTrue = !(atom.kind === 'quant' && atom.quantifier === 'all');
  return view.members.filter((i) => holdsFor(view, atom.pred, i) === wantTrue);
}

function viewAt(p: Protocol, prop: UserProperty, run: ScopedRun, boundary: number): View {
  return vectorView(p, prop.scope, run, run.states[boundary] ?? [], boundary);
}

function vectorView(p: Protocol, scope: PropertyScope, run: RunContext, vector: readonly (LocalState | null)[], boundary: number): View {
  return { p, run, boundary, vector, members: membersOf(scope, run, vector) };
}

/**
 * Whether a state formula holds over one state vector (null: Byzantine or
 * crashed) at a boundary: for engines that hold configurations, not runs.
 */
export function formulaHoldsOn(p: Protocol, scope: PropertyScope, s: StateFormula, run: RunContext, vector: readonly (LocalState | null)[], boundary: number): boolean {
  return holds(vectorView(p, scope, run, vector, boundary), s);
}

/** Whether a state formula holds at one boundary of a run, over the property's scope. */
export function stateHolds(p: Protocol, prop: UserProperty, s: StateFormula, run: ScopedRun, boundary: number): boolean {
  return holds(viewAt(p, prop, run, boundary), s);
}

/** Whether a boundary is one an `always` formula is read at. */
export function checkedBoundary(at: 'rounds' | 'phases', boundary: number, roundsPerPhase: number): boolean {
  return at === 'rounds' || boundary === 0 || boundary % roundsPerPhase === 0;
}

/**
 * The first violation of a user property in a run, or null. `always`: the
 * first checked boundary where the formula fails. `eventually ... within R`:
 * when the given formula holds at boundary 0 and the goal holds at no
 * boundary 0..R, a violation at boundary R; a run shorter than R rounds
 * cannot violate it (as for termination, section 2.3).
 */
export function userViolation(p: Protocol, prop: UserProperty, run: ScopedRun): Violation | null {
  const last = run.states.length - 1;
  const f = prop.formula;
  switch (f.kind) {
    case 'always':
      for (let b = 0; b <= last; b++) {
        if (!checkedBoundary(f.at, b, run.roundsPerPhase)) continue;
        const view = viewAt(p, prop, run, b);
        if (!holds(view, f.state)) return { property: 'user', name: prop.name, round: b, processes: witnesses(view, f.state) };
      }
      return null;
    case 'eventually': {
      const within = evalParamInt(f.within, run.n, run.t, run.o);
      if (within < 0 || within > last) return null;
      if (!holds(viewAt(p, prop, run, 0), f.given)) return null;
      for (let b = 0; b <= within; b++) if (holds(viewAt(p, prop, run, b), f.goal)) return null;
      const view = viewAt(p, prop, run, within);
      return { property: 'user', name: prop.name, round: within, processes: witnesses(view, f.goal) };
    }
    default:
      return unreachable(f);
  }
}

/** The first violation of each of the protocol's user properties, in the file's order. */
export function userViolations(p: Protocol, run: ScopedRun): Violation[] {
  const out: Violation[] = [];
  for (const prop of p.userProperties) {
    const v = userViolation(p, prop, run);
    if (v !== null) out.push(v);
  }
  return out;
}

/**
 * The violation of a user property at one given boundary, or null when the
 * property does not fail there: `always` fails at that (checked) boundary;
 * `eventually` fails at its bound R. Replay judges recorded violations with
 * this: a decoder need not report the first boundary.
 */
export function userViolationAt(p: Protocol, prop: UserProperty, run: ScopedRun, boundary: number): Violation | null {
  const last = run.states.length - 1;
  if (!Number.isInteger(boundary) || boundary < 0 || boundary > last) return null;
  const f = prop.formula;
  switch (f.kind) {
    case 'always': {
      if (!checkedBoundary(f.at, boundary, run.roundsPerPhase)) return null;
      const view = viewAt(p, prop, run, boundary);
      return holds(view, f.state) ? null : { property: 'user', name: prop.name, round: boundary, processes: witnesses(view, f.state) };
    }
    case 'eventually': {
      const v = userViolation(p, prop, run);
      return v !== null && v.round === boundary ? v : null;
    }
    default:
      return unreachable(f);
  }
}
