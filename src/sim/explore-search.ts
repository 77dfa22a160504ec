// The breadth-first search behind explore() (see explore.ts for the
// argument): configurations, symmetry keys, one layer per round, and the
// rebuilding of a violating path as a simulator trace.

import { DECIDED, unreachable, type LocalState, type Protocol } from '../ir/types';
import { violationName, type ByzantineMessage, type Trace, type Withheld } from '../trace/model';
import { scripted } from './adversary';
import { byzantineInflow, hybridInflow, partialInflow, type RoundInflow } from './explore-rounds';
import { type Goals } from './explore-goals';
import { faultKindOf, followersOf, instanceOrThrow, isFaulty, type Instance, type InstanceArgs } from './instance';
import { groupsOf, forEachAssignment } from './symmetry';
import { simulate } from './simulate';
import { addToInbox, applyRules, cloneInbox, inboxOfBroadcasts, initialState, roundPosition, sendsOf, usesLeaderMessages, type FaultDecision } from './step';

/** The config entry of a crashed process. */
export const CRASHED = -1;

export interface Node {
  parent: Node | null;
  /** per position (a process with a state: followersOf(instance)), its interned state id, or CRASHED. */
  config: number[];
  /** the positions that crashed in the round that led here, and per position its reception option (-1: none). */
  step: { crashed: number[]; picks: number[] } | null;
  /** inputs per position (roots only). */
  inputs: number[] | null;
  /** the correct processes' common input, or null. */
  unanimous: number | null;
  /** some round so far had no new fault (docs/semantics.md section 1.8). */
  clean: boolean;
  /** bit j: `eventually` property j had its premise at boundary 0 and has not reached its goal yet. */
  pending: number;
  round: number;
}

interface Successor {
  next: number;
  choice: number;
  full: boolean;
}

export interface Budget {
  configs: number;
  transitions: number;
  readonly maxConfigs: number;
  readonly maxTransitions: number;
  exceeded: boolean;
}

export class Search {
  private readonly stateIds = new Map<string, number>();
  private readonly states: LocalState[] = [];
  private positions: number[] = [];
  private faultyPos: boolean[] = [];
  private instance!: Instance;

  constructor(
    private readonly protocol: Protocol,
    private readonly rounds: number,
    private readonly hash: string,
    private readonly budget: Budget,
    private readonly goals: Goals,
    /** give every state the process's input (user properties read `input`). */
    private readonly trackInput: boolean,
    private readonly cleanWithin: number | null,
  ) {}

  private intern(state: LocalState, input: number): number {
    const full = this.trackInput ? { ...state, input } : state;
    const key = JSON.stringify(full);
    let id = this.stateIds.get(key);
    if (id === undefined) {
      id = this.states.length;
      this.stateIds.set(key, id);
      this.states.push(full);
    }
    return id;
  }

  /** The state vector of a node over all n processes (null: Byzantine or crashed). */
  vector(node: Node): (LocalState | null)[] {
    const out = new Array<LocalState | null>(this.instance.n).fill(null);
    node.config.forEach((id, k) => (out[this.positions[k]!] = id === CRASHED ? null : this.states[id]!));
    return out;
  }

  decision(id: number): number | null {
    const d = id === CRASHED ? null : this.states[id]![DECIDED];
    return typeof d === 'number' ? d : null;
  }

  /** Positions that lead a phase after round `round` (their identity matters from then on). */
  private distinguished(round: number): boolean[] {
    const marks = this.positions.map(() => false);
    if (usesLeaderMessages(this.protocol) && round < this.rounds) {
      const n = this.instance.n;
      const from = roundPosition(this.protocol, n, round + 1).phase;
      const to = roundPosition(this.protocol, n, this.rounds).phase;
      for (let p = from; p <= Math.min(to, from + n - 1); p++) {
        const k = this.positions.indexOf((p - 1) % n);
        if (k >= 0) marks[k] = true;
      }
    }
    return marks;
  }

  /** Group values: interchangeable positions must share state and class (correct or faulty). */
  private classed(config: readonly number[]): number[] {
    return config.map((id, k) => id * 2 + (this.faultyPos[k] ? 1 : 0));
  }

  private key(node: Pick<Node, 'config' | 'unanimous' | 'clean' | 'pending'>, marks: readonly boolean[]): string {
    const fixed: number[] = [];
    const free: number[] = [];
    this.classed(node.config).forEach((v, k) => (marks[k] ? fixed : free).push(v));
    free.sort((a, b) => a - b);
    return `${node.unanimous}|${this.cleanWithin === null ? '' : Number(node.clean)}|${node.pending}|${fixed.join(',')}|${free.join(',')}`;
  }

  private admit(): boolean {
    this.budget.configs++;
    if (this.budget.configs > this.budget.maxConfigs) this.budget.exceeded = true;
    return !this.budget.exceeded;
  }

  /** Explores one faulty set; `visit` judges every node of every layer and returns false to stop. */
  run(instance: Instance, visit: (node: Node) => boolean): void {
    this.instance = instance;
    this.positions = followersOf(instance);
    this.faultyPos = this.positions.map((i) => isFaulty(instance, i));
    let layer = this.roots();
    if (!layer.every(visit)) return;
    for (let r = 1; r <= this.rounds && layer.length > 0 && !this.budget.exceeded; r++) {
      layer = this.expand(layer, r);
      if (!layer.every(visit)) return;
    }
  }

  private roots(): Node[] {
    const { n, t, o } = this.instance;
    const marks = this.distinguished(0);
    const groups = groupsOf(this.classed(this.positions.map(() => 0)), marks);
    const out: Node[] = [];
    const seen = new Set<string>();
    const options = Array.from({ length: this.protocol.values }, (_, v) => v);
    forEachAssignment(groups, () => options, (pick) => {
      if (this.budget.exceeded) return false;
      const inputs = pick.map((p) => options[p]!);
      const correctInputs = inputs.filter((_, k) => !this.faultyPos[k]);
      const unanimous = correctInputs.length > 0 && correctInputs.every((v) => v === correctInputs[0]) ? correctInputs[0]! : null;
      const config = inputs.map((v) => this.intern(initialState(this.protocol, n, t, v, o), v));
      const draft = { config, unanimous, clean: false, pending: 0 };
      const node: Node = { parent: null, step: null, inputs, round: 0, ...draft, pending: this.goals.pendingAt(this.vector({ ...draft, parent: null, step: null, inputs, round: 0 }), 0, -1) };
      const key = this.key(node, marks);
      if (seen.has(key)) return true;
      seen.add(key);
      if (!this.admit()) return false;
      out.push(node);
      return true;
    });
    return out;
  }

  /** The round's possible crash sets, as position lists, up to interchangeable alive faulty positions. */
  private crashSets(node: Node, round: number): number[][] {
    if (faultKindOf(this.instance) !== 'crash') return [[]];
    const marks = this.distinguished(round - 1); // the current leader's identity matters for its sends
    const alive = node.config.map((id, k) => (this.faultyPos[k] && id !== CRASHED ? id : CRASHED - 1));
    const groups = groupsOf(alive, marks).filter((g) => alive[g[0]!] !== CRASHED - 1);
    let sets: number[][] = [[]];
    for (const g of groups) sets = sets.flatMap((s) => Array.from({ length: g.length + 1 }, (_, c) => [...s, ...g.slice(0, c)]));
    return sets.map((s) => s.sort((a, b) => a - b));
  }

  private inflow(node: Node, round: number, crashed: readonly number[]): RoundInflow {
    const { n, t, o } = this.instance;
    const pos = roundPosition(this.protocol, n, round);
    const sent = node.config.flatMap((id, k) => (id === CRASHED ? [] : sendsOf(this.protocol, n, t, pos, this.positions[k]!, this.states[id]!, o)));
    const kind = faultKindOf(this.instance);
    switch (kind) {
      case 'byzantine':
        return byzantineInflow(this.protocol, this.instance, pos, sent);
      case 'crash':
        return partialInflow(sent, new Set(crashed.map((k) => this.positions[k]!)));
      case 'omission':
        return partialInflow(sent, new Set(this.positions.filter((_, k) => this.faultyPos[k])));
      case 'hybrid':
        // the positions are the followers: the faulty ones among them are the omission-faulty processes
        return hybridInflow(this.protocol, this.instance, pos, sent, new Set(this.positions.filter((_, k) => this.faultyPos[k])));
      default:
        return unreachable(kind);
    }
  }

  private expand(layer: readonly Node[], round: number): Node[] {
    const { n, t } = this.instance;
    const omissionBound = this.instance.o;
    const pos = roundPosition(this.protocol, n, round);
    const marks = this.distinguished(round);
    const cache = new Map<string, Successor[]>();
    const seen = new Set<string>();
    const out: Node[] = [];
    for (const node of layer) {
      for (const crashed of this.crashSets(node, round)) {
        const inflow = this.inflow(node, round, crashed);
        const common = inboxOfBroadcasts(inflow.common);
        const commonKey = inflow.common.map((b) => JSON.stringify([b.message, b.payload])).sort().join(';');
        const successorsOf = (k: number): Successor[] => {
          const id = node.config[k]!;
          if (id === CRASHED || crashed.includes(k)) return [{ next: CRASHED, choice: -1, full: true }];
          const cacheKey = `${id}|${commonKey}|${inflow.key}`;
          let list = cache.get(cacheKey);
          if (list === undefined) {
            const found = new Map<number, Successor>();
            inflow.options.forEach((o, c) => {
              const inbox = cloneInbox(common);
              for (const [message, payload, count] of o.add) addToInbox(inbox, message, payload, count);
              const next = this.intern(applyRules(this.protocol, n, t, pos, this.states[id]!, inbox, omissionBound).state, this.inputOf(id));
              const had = found.get(next);
              // same state either way: withholding nothing dominates (a clean round only helps the assumption)
              if (had === undefined || (!had.full && o.full)) found.set(next, { next, choice: c, full: o.full });
            });
            list = [...found.values()];
            cache.set(cacheKey, list);
          }
          return list;
        };
        const grouping = this.classed(node.config.map((id, k) => (crashed.includes(k) ? CRASHED : id)));
        const completed = forEachAssignment(groupsOf(grouping, marks), successorsOf, (pick, options) => {
          if (++this.budget.transitions > this.budget.maxTransitions) {
            this.budget.exceeded = true;
            return false;
          }
          const chosen = pick.map((p, k) => options[k]![p]!);
          const config = chosen.map((s) => s.next);
          const clean = node.clean || (crashed.length === 0 && chosen.every((s) => s.full));
          if (this.cleanWithin !== null && round === this.cleanWithin && !clean) return true; // not a run (section 1.8)
          const draft = { parent: node, config, step: { crashed, picks: chosen.map((s) => s.choice) }, inputs: null, unanimous: node.unanimous, clean, pending: 0, round };
          const child: Node = { ...draft, pending: this.goals.pendingAt(this.vector(draft), round, node.pending) };
          const key = this.key(child, marks);
          if (seen.has(key)) return true;
          seen.add(key);
          if (!this.admit()) return false;
          out.push(child);
          return true;
        });
        if (!completed) return out;
      }
    }
    return out;
  }

  private inputOf(id: number): number {
    const v = this.states[id]!['input'];
    return typeof v === 'number' ? v : 0;
  }

  /** Rebuilds the path to `node` as a simulator trace; it must reach the node and show the violation `name`. */
  witness(node: Node, name: string): Trace {
    const path: Node[] = [];
    for (let x: Node | null = node; x !== null; x = x.parent) path.unshift(x);
    const { n, t, o } = this.instance;
    const inputs = new Array<number | null>(n).fill(null);
    this.positions.forEach((i, k) => (inputs[i] = path[0]!.inputs![k]!));
    const byzantine: ByzantineMessage[][] = [];
    const faults: FaultDecision[] = [];
    for (let s = 1; s < path.length; s++) {
      const step = path[s]!.step!;
      const inflow = this.inflow(path[s - 1]!, s, step.crashed);
      const msgs: ByzantineMessage[] = [];
      const withheld: Withheld[] = [];
      step.picks.forEach((c, k) => {
        if (c < 0) return;
        const m = inflow.materialize(c, this.positions[k]!);
        msgs.push(...m.byzantine);
        withheld.push(...m.withheld);
      });
      byzantine.push(msgs);
      faults.push({ crashed: step.crashed.map((k) => this.positions[k]!), withheld });
    }
    const faulty = this.positions.filter((_, k) => this.faultyPos[k]);
    const kind = faultKindOf(this.instance);
    const F: Omit<InstanceArgs, 'n' | 't' | 'inputs'> =
      kind === 'byzantine' ? { byzantine: this.instance.byzantine } : kind === 'hybrid' ? { o, byzantine: this.instance.byzantine, faulty } : { faulty };
    const concrete = instanceOrThrow(this.protocol, { n, t, ...F, inputs });
    const trace = simulate(this.protocol, concrete, scripted('explore', byzantine, faults), { hash: this.hash, rounds: node.round });
    const last = node.round === 0 ? trace.initial : trace.rounds[node.round - 1]!.states;
    const ids = this.positions.map((i) => (last[i] === null ? CRASHED : this.intern(last[i]!, inputs[i]!)));
    if (ids.some((id, k) => id !== node.config[k]) || !trace.violations.some((v) => violationName(v) === name)) {
      throw new Error(`explore: the rebuilt witness for ${name} does not reproduce the explored path`);
    }
    return trace;
  }
}
