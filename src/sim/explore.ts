// Exhaustive adversary enumeration for tiny instances: the ground truth the
// SMT engines are compared with in property-based tests (docs/semantics.md
// section 3.5).
//
// Breadth-first over global configurations, one layer per round
// (explore-search.ts). A configuration is the tuple of the states of the
// processes that run the protocol (the correct ones and, under crash and
// omission faults, the faulty ones; a crashed process is a marker), plus the
// correct processes' unanimous input (or none), whether a clean round was
// seen (when the protocol assumes one) and which `eventually` properties are
// still waiting for their goal. It is deduplicated up to symmetry: processes
// that lead no phase from the next round on and are of the same class
// (correct, or faulty) are interchangeable, so their states are kept as a
// sorted multiset; future leaders keep their identity. Renaming processes
// within a class maps runs to runs and keeps every property's verdict: the
// built-in properties and user properties only count processes of a scope,
// which a renaming within a class preserves.
//
// Per round, a receiver only observes counts (explore-rounds.ts): Byzantine
// inflow as a count per payload (byzantine-choices.ts); crash and omission as
// how many copies of each (type, payload) of the faulty senders concerned
// reach it. For each distinct local state the set of distinct successor
// states is computed once per round and inflow, and interchangeable receivers
// in the same state take a multiset of those successors. Under crash faults
// the crash sets of a round are enumerated up to interchangeable alive faulty
// processes (the current leader counted apart). When two choices reach the
// same successor state, the one that withholds nothing is kept: it leads to
// the same states and can only help the clean-round assumption.
//
// The budget (maxConfigs distinct configurations, maxTransitions generated
// successors) turns an explosion into 'unknown' instead of a hang.
//
// Faulty sets: without leader messages the last f processes; with them,
// every set of leaders of the horizon's phases (size <= f), filled up with the
// last non-leaders (section 4.4; sound for every fault kind by the renaming
// above). Fault counts: for the classic model (Byzantine, up to t, no user
// property) f = t by default (section 4.3: with f < t the adversary can do
// nothing it cannot do with f = t, as an extra Byzantine process can act
// correctly; this needs a correct process to spare besides the violation's
// witnesses, so with n - t < 2 every f in 0..t is explored). Otherwise every
// f in 0..min(bound, n): a user property may count the correct processes, so
// relabelling one as faulty changes its verdict.

import { evalParamInt } from '../ir/eval';
import { formulaPredicates, isClassicModel } from '../ir/faults';
import type { Expr, Protocol } from '../ir/types';
import { type Property, type Trace } from '../trace/model';
import { fail, ok, type Result } from '../util/result';
import { Goals } from './explore-goals';
import { Search, type Budget } from './explore-search';
import { ARGS_LOC, faultBound, makeInstance, instanceOrThrow } from './instance';
import { claimsOf } from './properties';
import { cleanRoundWithin } from './simulate';
import { byzantineSets } from './symmetry';
import { INPUT_NAME } from './user-properties';

export type PropertyVerdict =
  | { status: 'violated'; witness: Trace }
  | { status: 'holds' } // for every adversary, within the explored rounds
  | { status: 'unknown'; reason: string }
  | { status: 'not-claimed' };

export interface ExploreOptions {
  n: number;
  t: number;
  /** protocol hash recorded in witness traces. */
  hash: string;
  /** rounds to explore; default the protocol's horizon. */
  rounds?: number;
  /** numbers of faulty processes to explore; default: see above. */
  faults?: number[];
  /** distinct configurations stored, over all faulty sets (default 200 000). */
  maxConfigs?: number;
  /** generated successor configurations, duplicates included (default 50 * maxConfigs). */
  maxTransitions?: number;
}

export interface ExploreStats {
  configs: number;
  transitions: number;
  rounds: number;
  /** the faulty sets explored (up to the first exhausted budget); Byzantine sets for Byzantine protocols. */
  byzantineSets: number[][];
  budgetExceeded: boolean;
}

/** The built-in properties by name (not-claimed when the file does not claim them), every property by name in `byName`. */
export type ExploreResult = Record<Property, PropertyVerdict> & { byName: Record<string, PropertyVerdict>; stats: ExploreStats };

export { byzantineSets } from './symmetry';

/** The fault counts explored by default (see above), largest first. */
export function defaultFaultCounts(protocol: Protocol, n: number, t: number): number[] {
  if (isClassicModel(protocol)) return n - t >= 2 ? [t] : Array.from({ length: t + 1 }, (_, f) => t - f);
  const bound = faultBound(protocol, n, t);
  return Array.from({ length: bound + 1 }, (_, f) => bound - f);
}

/** Whether some user property reads the input where the state has no variable of that name. */
function readsInput(protocol: Protocol): boolean {
  if (protocol.vars.some((v) => v.name === INPUT_NAME)) return false;
  const mentions = (e: Expr): boolean => {
    switch (e.kind) {
      case 'var':
        return e.name === INPUT_NAME;
      case 'add':
      case 'sub':
      case 'cmp':
      case 'and':
      case 'or':
        return mentions(e.left) || mentions(e.right);
      case 'mul':
      case 'not':
        return mentions(e.arg);
      case 'count':
        return e.payload !== null && mentions(e.payload);
      default:
        return false;
    }
  };
  return protocol.userProperties.some((u) => formulaPredicates(u.formula).some(mentions));
}

export function explore(protocol: Protocol, options: ExploreOptions): Result<ExploreResult> {
  const { n, t } = options;
  const probe = makeInstance(protocol, { n, t, inputs: new Array<number>(n).fill(0) });
  if (!probe.ok) return probe;
  const rounds = options.rounds ?? evalParamInt(protocol.horizon, n, t);
  if (!Number.isInteger(rounds) || rounds < 0) return fail([{ loc: { ...ARGS_LOC }, message: `rounds must be a non-negative integer, got ${rounds}` }]);
  const bound = faultBound(protocol, n, t);
  const faults = options.faults ?? defaultFaultCounts(protocol, n, t);
  for (const f of faults) {
    if (!Number.isInteger(f) || f < 0 || f > bound) return fail([{ loc: { ...ARGS_LOC }, message: `fault count ${f} is outside 0..${bound}` }]);
  }
  const claims = claimsOf(protocol, n, t);
  const maxConfigs = options.maxConfigs ?? 200_000;
  const budget: Budget = { configs: 0, transitions: 0, maxConfigs, maxTransitions: options.maxTransitions ?? 50 * maxConfigs, exceeded: false };
  const goals = new Goals(protocol, claims, n, t);
  const names = goals.names();
  const verdicts = new Map<string, PropertyVerdict>();
  const within = protocol.faults.kind === 'byzantine' ? null : cleanRoundWithin(protocol, n, t);
  const search = new Search(protocol, rounds, options.hash, budget, goals, readsInput(protocol), within);
  const sets: number[][] = [];
  const done = (): boolean => budget.exceeded || names.every((p) => verdicts.has(p));
  outer: for (const f of faults) {
    for (const set of byzantineSets(protocol, n, f, rounds)) {
      if (done()) break outer;
      sets.push(set);
      const F = protocol.faults.kind === 'byzantine' ? { byzantine: set } : { faulty: set };
      const instance = instanceOrThrow(protocol, { n, t, ...F, inputs: new Array<number>(n).fill(0) });
      goals.setInstance(instance);
      search.run(instance, (node) => {
        const vector = search.vector(node);
        for (const name of goals.violated(vector, node.round, node.unanimous, node.pending)) {
          if (!verdicts.has(name)) verdicts.set(name, { status: 'violated', witness: search.witness(node, name) });
        }
        return !done();
      });
    }
  }
  const verdict = (name: string): PropertyVerdict => {
    const found = verdicts.get(name);
    if (found !== undefined) return found;
    if (budget.exceeded) return { status: 'unknown', reason: `budget exceeded (${budget.maxConfigs} configurations, ${budget.maxTransitions} transitions)` };
    const short = goals.tooShort(name, rounds);
    return short === null ? { status: 'holds' } : { status: 'unknown', reason: short };
  };
  const builtin = (p: Property): PropertyVerdict => (names.includes(p) ? verdict(p) : { status: 'not-claimed' });
  return ok({
    agreement: builtin('agreement'),
    validity: builtin('validity'),
    termination: builtin('termination'),
    byName: Object.fromEntries(names.map((name) => [name, verdict(name)])),
    stats: { configs: budget.configs, transitions: budget.transitions, rounds, byzantineSets: sets, budgetExceeded: budget.exceeded },
  });
}
