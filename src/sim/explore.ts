// Exhaustive adversary enumeration for tiny instances: the ground truth the
// SMT engines are compared with in property-based tests.
//
// Breadth-first over global configurations, one layer per round. A
// configuration is the tuple of the correct processes' local states (interned
// to ids) plus the unanimous input (or none). It is deduplicated up to
// symmetry: correct processes that lead no phase from the next round on are
// interchangeable, so their states are kept as a sorted multiset; future
// leaders keep their identity. Per round, a correct receiver's Byzantine
// inflow only matters as counts (see byzantine-choices.ts), so for each
// distinct local state we compute the set of distinct successor states once,
// and interchangeable receivers in the same state take a multiset of those
// successors rather than a tuple.
//
// Complexity per Byzantine set and layer: configurations <= (values + 1) *
// |Q|^d * C(|Q| + m - 1, m) for |Q| local states, d distinguished (future
// leader) and m interchangeable correct processes; per configuration
// O(|distinct states| * |choices| * rule cost) to get successors (cached per
// round by state and correct inflow), where |choices| = product over the
// round's message types of C(f + |D|, |D|), plus one successor per
// combination of the groups' multisets. The budget (maxConfigs distinct
// configurations, maxTransitions generated successors) turns an explosion
// into 'unknown' instead of a hang.
//
// Byzantine processes: f = t by default (docs/semantics.md section 4.3: with f < t the adversary can
// do nothing it cannot do with f = t, as an extra Byzantine process can act
// correctly; this needs a correct process to spare besides the violation's
// witnesses, so with n - t < 2 every f in 0..t is explored). Without leader
// messages the set is the last f processes; with them, every set of leaders
// of the horizon's phases (size <= f), filled up with the last non-leaders.

import { evalParamInt } from '../ir/eval';
import { DECIDED, type Protocol } from '../ir/types';
import type { ByzantineMessage, LocalState, Property, Trace } from '../trace/model';
import { fail, ok, type Result } from '../util/result';
import { scripted } from './adversary';
import { materializeChoice, receiverChoices, type ReceiverChoice } from './byzantine-choices';
import { ARGS_LOC, makeInstance, instanceOrThrow, type Instance } from './instance';
import { claimsOf, type Claims } from './properties';
import { byzantineSets, forEachAssignment, groupsOf } from './symmetry';
import { simulate } from './simulate';
import {
  addToInbox,
  applyRules,
  cloneInbox,
  inboxOfBroadcasts,
  initialState,
  roundPosition,
  sendsOf,
  usesLeaderMessages,
  type MutableInbox,
  type RoundPosition,
} from './step';

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
  /** numbers of Byzantine processes to explore; default [t] (all of 0..t when n - t < 2). */
  faults?: number[];
  /** distinct configurations stored, over all Byzantine sets (default 200 000). */
  maxConfigs?: number;
  /** generated successor configurations, duplicates included (default 50 * maxConfigs). */
  maxTransitions?: number;
}

export interface ExploreStats {
  configs: number;
  transitions: number;
  rounds: number;
  /** the Byzantine sets explored (up to the first exhausted budget). */
  byzantineSets: number[][];
  budgetExceeded: boolean;
}

export type ExploreResult = Record<Property, PropertyVerdict> & { stats: ExploreStats };

const PROPERTIES: Property[] = ['agreement', 'validity', 'termination'];

export { byzantineSets } from './symmetry';

export function explore(protocol: Protocol, options: ExploreOptions): Result<ExploreResult> {
  const { n, t } = options;
  const probe = makeInstance(protocol, { n, t, byzantine: [], inputs: new Array<number>(n).fill(0) });
  if (!probe.ok) return probe;
  const rounds = options.rounds ?? evalParamInt(protocol.horizon, n, t);
  if (!Number.isInteger(rounds) || rounds < 0) return fail([{ loc: { ...ARGS_LOC }, message: `rounds must be a non-negative integer, got ${rounds}` }]);
  const faults = options.faults ?? (n - t >= 2 ? [t] : Array.from({ length: t + 1 }, (_, f) => t - f));
  for (const f of faults) {
    if (!Number.isInteger(f) || f < 0 || f > t || f > n) return fail([{ loc: { ...ARGS_LOC }, message: `fault count ${f} is outside 0..${Math.min(t, n)}` }]);
  }
  const claims = claimsOf(protocol, n, t);
  const maxConfigs = options.maxConfigs ?? 200_000;
  const search = new Search(protocol, claims, rounds, options.hash, maxConfigs, options.maxTransitions ?? 50 * maxConfigs);
  outer: for (const f of faults) {
    for (const byzantine of byzantineSets(protocol, n, f, rounds)) {
      if (search.done()) break outer;
      search.run(instanceOrThrow(protocol, { n, t, byzantine, inputs: new Array<number>(n).fill(0) }));
    }
  }
  return ok(search.result());
}

interface Node {
  parent: Node | null;
  /** state id per correct process (aligned with instance.correct). */
  config: number[];
  /** per correct process, the index of its Byzantine choice in the round that led here (null at roots). */
  choices: number[] | null;
  /** inputs aligned with instance.correct (roots only). */
  inputs: number[] | null;
  unanimous: number | null;
  round: number;
}

interface Successor {
  next: number;
  choice: number;
}

class Search {
  private readonly verdicts = new Map<Property, PropertyVerdict>();
  private readonly stateIds = new Map<string, number>();
  private readonly states: LocalState[] = [];
  private readonly sets: number[][] = [];
  private configs = 0;
  private transitions = 0;
  private exceeded = false;

  constructor(
    private readonly protocol: Protocol,
    private readonly claims: Claims,
    private readonly rounds: number,
    private readonly hash: string,
    private readonly maxConfigs: number,
    private readonly maxTransitions: number,
  ) {}

  private claimed(p: Property): boolean {
    return p === 'termination' ? this.claims.termination !== null : this.claims[p];
  }

  /** Nothing left to learn: every claimed property violated, or the budget is gone. */
  done(): boolean {
    return this.exceeded || PROPERTIES.every((p) => !this.claimed(p) || this.verdicts.has(p));
  }

  result(): ExploreResult {
    const verdict = (p: Property): PropertyVerdict => {
      if (!this.claimed(p)) return { status: 'not-claimed' };
      const found = this.verdicts.get(p);
      if (found !== undefined) return found;
      if (this.exceeded) return { status: 'unknown', reason: `budget exceeded (${this.maxConfigs} configurations, ${this.maxTransitions} transitions)` };
      if (p === 'termination' && this.claims.termination! > this.rounds) {
        return { status: 'unknown', reason: `explored ${this.rounds} rounds, fewer than the termination bound ${this.claims.termination}` };
      }
      return { status: 'holds' };
    };
    return {
      agreement: verdict('agreement'),
      validity: verdict('validity'),
      termination: verdict('termination'),
      stats: { configs: this.configs, transitions: this.transitions, rounds: this.rounds, byzantineSets: this.sets, budgetExceeded: this.exceeded },
    };
  }

  private intern(state: LocalState): number {
    const key = JSON.stringify(state);
    let id = this.stateIds.get(key);
    if (id === undefined) {
      id = this.states.length;
      this.stateIds.set(key, id);
      this.states.push(state);
    }
    return id;
  }

  private decision(id: number): number | null {
    const d = this.states[id]![DECIDED];
    return typeof d === 'number' ? d : null;
  }

  /** Correct positions (indices into instance.correct) that lead a phase after round `round`. */
  private distinguished(instance: Instance, round: number): boolean[] {
    const marks = instance.correct.map(() => false);
    if (usesLeaderMessages(this.protocol) && round < this.rounds) {
      const from = roundPosition(this.protocol, instance.n, round + 1).phase;
      const to = roundPosition(this.protocol, instance.n, this.rounds).phase;
      for (let p = from; p <= Math.min(to, from + instance.n - 1); p++) {
        const k = instance.correct.indexOf((p - 1) % instance.n);
        if (k >= 0) marks[k] = true;
      }
    }
    return marks;
  }

  private key(config: readonly number[], marks: readonly boolean[], unanimous: number | null): string {
    const fixed: number[] = [];
    const free: number[] = [];
    config.forEach((id, k) => (marks[k] ? fixed : free).push(id));
    free.sort((a, b) => a - b);
    return `${unanimous}|${fixed.join(',')}|${free.join(',')}`;
  }

  /** Registers a new configuration; false when the budget is exhausted. */
  private admit(): boolean {
    this.configs++;
    if (this.configs > this.maxConfigs) this.exceeded = true;
    return !this.exceeded;
  }

  run(instance: Instance): void {
    this.sets.push(instance.byzantine);
    let layer = this.roots(instance);
    this.checkLayer(instance, layer, 0);
    for (let r = 1; r <= this.rounds && layer.length > 0 && !this.done(); r++) {
      layer = this.expand(instance, layer, r);
      this.checkLayer(instance, layer, r);
    }
  }

  private roots(instance: Instance): Node[] {
    const { n, t } = instance;
    const values = this.protocol.values;
    const marks = this.distinguished(instance, 0);
    const groups = groupsOf(instance.correct.map(() => 0), marks);
    const out: Node[] = [];
    const seen = new Set<string>();
    const options = Array.from({ length: values }, (_, v) => v);
    forEachAssignment(groups, () => options, (pick) => {
      if (this.done()) return false;
      const inputs = pick.map((p) => options[p]!);
      const unanimous = inputs.length > 0 && inputs.every((v) => v === inputs[0]) ? inputs[0]! : null;
      const config = inputs.map((v) => this.intern(initialState(this.protocol, n, t, v)));
      const key = this.key(config, marks, unanimous);
      if (seen.has(key)) return true;
      seen.add(key);
      if (!this.admit()) return false;
      out.push({ parent: null, config, choices: null, inputs, unanimous, round: 0 });
      return true;
    });
    return out;
  }

  private expand(instance: Instance, layer: readonly Node[], round: number): Node[] {
    const { n, t } = instance;
    const pos = roundPosition(this.protocol, n, round);
    const choices = receiverChoices(this.protocol, pos.index, instance.byzantine.length, instance.isByzantine[pos.leader] === true);
    const marks = this.distinguished(instance, round);
    const successorCache = new Map<string, Successor[]>();
    const seen = new Set<string>();
    const out: Node[] = [];
    for (const node of layer) {
      const sent = node.config.flatMap((id, k) => sendsOf(this.protocol, n, t, pos, instance.correct[k]!, this.states[id]!));
      const common = inboxOfBroadcasts(sent);
      const inflowKey = sent.map((b) => JSON.stringify([b.message, b.payload])).sort().join(';');
      const successorsOf = (id: number): Successor[] => {
        const cacheKey = `${id}|${inflowKey}`;
        let list = successorCache.get(cacheKey);
        if (list === undefined) {
          list = this.successors(instance, pos, this.states[id]!, common, choices);
          successorCache.set(cacheKey, list);
        }
        return list;
      };
      const groups = groupsOf(node.config, marks);
      const completed = forEachAssignment(groups, (k) => successorsOf(node.config[k]!), (pick, options) => {
        this.transitions++;
        if (this.transitions > this.maxTransitions) {
          this.exceeded = true;
          return false;
        }
        const config = pick.map((p, k) => options[k]![p]!.next);
        const key = this.key(config, marks, node.unanimous);
        if (seen.has(key)) return true;
        seen.add(key);
        if (!this.admit()) return false;
        out.push({ parent: node, config, choices: pick.map((p, k) => options[k]![p]!.choice), inputs: null, unanimous: node.unanimous, round });
        return true;
      });
      if (!completed) break;
    }
    return out;
  }

  /** The distinct successor states of one receiver state, each with the first choice reaching it. */
  private successors(instance: Instance, pos: RoundPosition, state: LocalState, common: MutableInbox, choices: readonly ReceiverChoice[]): Successor[] {
    const found = new Map<number, number>();
    choices.forEach((choice, c) => {
      const inbox = cloneInbox(common);
      for (const part of choice) for (const [payload, count] of part.counts) addToInbox(inbox, part.message, payload, count);
      const next = this.intern(applyRules(this.protocol, instance.n, instance.t, pos, state, inbox).state);
      if (!found.has(next)) found.set(next, c);
    });
    return [...found].map(([next, choice]) => ({ next, choice }));
  }

  private checkLayer(instance: Instance, layer: readonly Node[], round: number): void {
    for (const node of layer) {
      for (const p of PROPERTIES) {
        if (!this.claimed(p) || this.verdicts.has(p) || !this.violates(p, node, round)) continue;
        this.verdicts.set(p, { status: 'violated', witness: this.witness(instance, node, p) });
      }
    }
  }

  private violates(p: Property, node: Node, round: number): boolean {
    const decisions = node.config.map((id) => this.decision(id));
    switch (p) {
      case 'agreement': {
        const decided = decisions.filter((d): d is number => d !== null);
        return decided.some((d) => d !== decided[0]);
      }
      case 'validity':
        return node.unanimous !== null && decisions.some((d) => d !== null && d !== node.unanimous);
      case 'termination':
        return round === this.claims.termination && decisions.some((d) => d === null);
    }
  }

  /** Rebuilds the path to `node` as a simulator trace; it must exhibit the violation. */
  private witness(instance: Instance, node: Node, p: Property): Trace {
    const path: Node[] = [];
    for (let x: Node | null = node; x !== null; x = x.parent) path.unshift(x);
    const root = path[0]!;
    const inputs = new Array<number | null>(instance.n).fill(null);
    instance.correct.forEach((i, k) => (inputs[i] = root.inputs![k]!));
    const script: ByzantineMessage[][] = [];
    for (const step of path.slice(1)) {
      const pos = roundPosition(this.protocol, instance.n, step.round);
      const choices = receiverChoices(this.protocol, pos.index, instance.byzantine.length, instance.isByzantine[pos.leader] === true);
      script.push(instance.correct.flatMap((to, k) => materializeChoice(choices[step.choices![k]!]!, instance.byzantine, pos.leader, to)));
    }
    const concrete = instanceOrThrow(this.protocol, { n: instance.n, t: instance.t, byzantine: instance.byzantine, inputs });
    const trace = simulate(this.protocol, concrete, scripted('explore', script), { hash: this.hash, rounds: node.round });
    const last = node.round === 0 ? trace.initial : trace.rounds[node.round - 1]!.states;
    const ids = instance.correct.map((i) => this.intern(last[i]!));
    if (ids.some((id, k) => id !== node.config[k]) || !trace.violations.some((v) => v.property === p)) {
      throw new Error(`explore: the rebuilt witness for ${p} does not reproduce the explored path`);
    }
    return trace;
  }
}
