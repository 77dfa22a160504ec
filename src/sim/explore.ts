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
//
// Hybrid faults (docs/semantics.md section 1.9): a run fixes a Byzantine set
// B and a disjoint omission-faulty set O. Every pair (fb, fo) with fb in
// 0..min(B-bound, n), fo in 0..min(O-bound, n) and fb + fo <= n is explored
// (`faults`, if given, keeps the pairs whose total fb + fo it lists): the
// argument for f = t alone does not carry over, since an omission-faulty
// process cannot act like a Byzantine one and the user's properties count
// the followers. The symmetry argument needs both kinds: a renaming of
// processes maps a run to a run and keeps every verdict as long as it maps B
// onto B' and O onto O' (the processes of each kind act alike, and the
// properties only count processes of a scope: correct, or correct plus
// omission-faulty). Without leader messages no guard or payload reads an
// id, so any (B, O) of sizes (fb, fo) is as good as fixed id ranges: B the
// last fb processes, O the fo before them. With leader messages the
// renaming must fix the leaders of the horizon's phases, and a Byzantine
// leader, an omission-faulty leader and a correct one behave differently
// (equivocation, withheld leader messages, neither), so taking B and O as
// fixed ranges would be unsound: every assignment of the leaders to
// correct, B or O is enumerated (3^L of them), filled up with the last
// non-leaders (symmetry.ts hybridSets), which are interchangeable. Within a
// set, the omission-faulty positions form a class of their own
// (explore-search.ts, like the faulty ones under omission faults), and a
// receiver's inflow is the product of its Byzantine and omission options
// (explore-rounds.ts hybridInflow). Hybrid protocols assume no clean round.

import { evalParamInt } from '../ir/eval';
import { formulaPredicates, isClassicModel } from '../ir/faults';
import type { Expr, Protocol } from '../ir/types';
import { type Property, type Trace } from '../trace/model';
import { fail, ok, type Result } from '../util/result';
import { Goals } from './explore-goals';
import { Search, type Budget } from './explore-search';
import { ARGS_LOC, faultBound, hybridBounds, makeInstance, instanceOrThrow } from './instance';
import { claimsOf } from './properties';
import { cleanRoundWithin } from './simulate';
import { byzantineSets, hybridSets, type HybridSet } from './symmetry';
import { INPUT_NAME } from './user-properties';

export type PropertyVerdict =
  | { status: 'violated'; witness: Trace }
  | { status: 'holds' } // for every adversary, within the explored rounds
  | { status: 'unknown'; reason: string }
  | { status: 'not-claimed' };

export interface ExploreOptions {
  n: number;
  t: number;
  /** the omission bound o of a hybrid protocol (required there, refused elsewhere). */
  o?: number;
  /** protocol hash recorded in witness traces. */
  hash: string;
  /** rounds to explore; default the protocol's horizon. */
  rounds?: number;
  /** numbers of faulty processes to explore; default: see above (hybrid: the totals fb + fo kept). */
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
  /** hybrid protocols: the (B, O) pairs explored, in the order of byzantineSets (which then lists B ∪ O). */
  hybridSets?: HybridSet[];
  budgetExceeded: boolean;
}

/** The built-in properties by name (not-claimed when the file does not claim them), every property by name in `byName`. */
export type ExploreResult = Record<Property, PropertyVerdict> & { byName: Record<string, PropertyVerdict>; stats: ExploreStats };

export { byzantineSets } from './symmetry';

/** The fault counts explored by default (see above), largest first. */
export function defaultFaultCounts(protocol: Protocol, n: number, t: number, o?: number): number[] {
  if (isClassicModel(protocol)) return n - t >= 2 ? [t] : Array.from({ length: t + 1 }, (_, f) => t - f);
  const bound = faultBound(protocol, n, t, o);
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

/**
 * The (fb, fo) pairs of a hybrid exploration (see above), largest total
 * first, then most Byzantine first; `totals` keeps those with fb + fo in it.
 */
export function hybridFaultCounts(protocol: Protocol, n: number, t: number, o: number, totals?: readonly number[]): { byzantine: number; omission: number }[] {
  const b = hybridBounds(protocol, n, t, o);
  const out: { byzantine: number; omission: number }[] = [];
  for (let fb = 0; fb <= b.byzantine; fb++) for (let fo = 0; fo <= b.omission && fb + fo <= n; fo++) if (totals === undefined || totals.includes(fb + fo)) out.push({ byzantine: fb, omission: fo });
  return out.sort((x, y) => y.byzantine + y.omission - (x.byzantine + x.omission) || y.byzantine - x.byzantine);
}

/** The faulty sets to explore, each as the instance arguments that name it (and B ∪ O for the stats). */
function faultySets(protocol: Protocol, n: number, t: number, o: number | undefined, faults: readonly number[], fromOptions: boolean, rounds: number): { args: { byzantine?: number[]; faulty?: number[] }; all: number[]; hybrid?: HybridSet }[] {
  const kind = protocol.faults.kind;
  if (kind === 'hybrid') {
    const pairs = hybridFaultCounts(protocol, n, t, o ?? 0, fromOptions ? faults : undefined);
    return pairs.flatMap(({ byzantine: fb, omission: fo }) =>
      hybridSets(protocol, n, fb, fo, rounds).map((h) => ({ args: { byzantine: h.byzantine, faulty: h.omission }, all: [...h.byzantine, ...h.omission].sort((a, c) => a - c), hybrid: h })),
    );
  }
  return faults.flatMap((f) => byzantineSets(protocol, n, f, rounds).map((set) => ({ args: kind === 'byzantine' ? { byzantine: set } : { faulty: set }, all: set })));
}

export function explore(protocol: Protocol, options: ExploreOptions): Result<ExploreResult> {
  const { n, t, o } = options;
  const probe = makeInstance(protocol, { n, t, ...(o === undefined ? {} : { o }), inputs: new Array<number>(n).fill(0) });
  if (!probe.ok) return probe;
  const rounds = options.rounds ?? evalParamInt(protocol.horizon, n, t, o);
  if (!Number.isInteger(rounds) || rounds < 0) return fail([{ loc: { ...ARGS_LOC }, message: `rounds must be a non-negative integer, got ${rounds}` }]);
  const bound = faultBound(protocol, n, t, o);
  const faults = options.faults ?? defaultFaultCounts(protocol, n, t, o);
  for (const f of faults) {
    if (!Number.isInteger(f) || f < 0 || f > bound) return fail([{ loc: { ...ARGS_LOC }, message: `fault count ${f} is outside 0..${bound}` }]);
  }
  const claims = claimsOf(protocol, n, t, o);
  const maxConfigs = options.maxConfigs ?? 200_000;
  const budget: Budget = { configs: 0, transitions: 0, maxConfigs, maxTransitions: options.maxTransitions ?? 50 * maxConfigs, exceeded: false };
  const goals = new Goals(protocol, claims, n, t, o);
  const names = goals.names();
  const verdicts = new Map<string, PropertyVerdict>();
  const within = protocol.faults.kind === 'byzantine' ? null : cleanRoundWithin(protocol, n, t, o);
  const search = new Search(protocol, rounds, options.hash, budget, goals, readsInput(protocol), within);
  const sets: number[][] = [];
  const hybrid: HybridSet[] = [];
  const done = (): boolean => budget.exceeded || names.every((p) => verdicts.has(p));
  for (const set of faultySets(protocol, n, t, o, faults, options.faults !== undefined, rounds)) {
    if (done()) break;
    sets.push(set.all);
    if (set.hybrid !== undefined) hybrid.push(set.hybrid);
    const instance = instanceOrThrow(protocol, { n, t, ...(o === undefined ? {} : { o }), ...set.args, inputs: new Array<number>(n).fill(0) });
    goals.setInstance(instance);
    search.run(instance, (node) => {
      const vector = search.vector(node);
      for (const name of goals.violated(vector, node.round, node.unanimous, node.pending)) {
        if (!verdicts.has(name)) verdicts.set(name, { status: 'violated', witness: search.witness(node, name) });
      }
      return !done();
    });
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
    stats: { configs: budget.configs, transitions: budget.transitions, rounds, byzantineSets: sets, ...(protocol.faults.kind === 'hybrid' ? { hybridSets: hybrid } : {}), budgetExceeded: budget.exceeded },
  });
}
