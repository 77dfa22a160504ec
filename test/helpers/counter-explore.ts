// An exhaustive explorer of crash and omission runs for test/counter-faults.test.ts.
import { evalBool, evalExpr, evalParamInt } from '../../src/ir/eval';
import { DECIDED, type LocalState, type PropertyName, type Protocol, type Round, type UserProperty, type Val } from '../../src/ir/types';
import { checkedBoundary, type ScopedRun, stateHolds } from '../../src/sim/user-properties';
import { singleBound } from '../../src/ir/faults';

// An explorer of its own, independent of the simulator's exploration over
// crash and omission faults (src/sim/explore.ts): every f, every faulty set
// up to the symmetry of non-leaders (any subset of the leaders, filled up
// with the highest other ids), every input
// vector, per round every crash set and, per receiver, every number of the
// droppable messages of each (type, payload) it gets (receivers see only
// counts), deduplicated per configuration. Expressions by src/ir/eval, user
// properties by the simulator's one evaluator.

type Inbox = Map<string, Map<Val, number>>;

function initialOf(p: Protocol, n: number, t: number, input: number): LocalState {
  const st: LocalState = {};
  for (const d of p.vars) st[d.name] = d.init === 'input' ? input : evalExpr(d.init, { n, t, phase: 1, values: p.values, state: {} });
  st[DECIDED] = null;
  return st;
}

function step(p: Protocol, n: number, t: number, g: number, s: LocalState, inbox: Inbox): LocalState {
  const k = p.rounds.length;
  const env = { n, t, phase: Math.floor((g - 1) / k) + 1, values: p.values, state: s, inbox };
  const rule = (p.rounds[(g - 1) % k] as Round).rules.find((r) => evalBool(r.guard, env));
  if (rule === undefined) return s;
  const next = { ...s };
  for (const a of rule.actions) {
    const x = evalExpr(a.value, env);
    if (a.kind === 'assign') next[a.name] = x;
    else if (s[DECIDED] === null) next[DECIDED] = x;
  }
  return next;
}

const subsetsOf = <X>(xs: X[]): X[][] => xs.reduce<X[][]>((acc, x) => acc.flatMap((s) => [s, [...s, x]]), [[]]);
const productOf = <X>(lists: X[][]): X[][] => lists.reduce<X[][]>((acc, l) => acc.flatMap((pre) => l.map((x) => [...pre, x])), [[]]);

/** Which of `props` some run of `rounds` rounds violates (all under the same clean-round assumption). */
export function bruteViolated(p: Protocol, n: number, t: number, rounds: number, props: PropertyName[]): Set<PropertyName> {
  const kind = p.faults.kind;
  const k = p.rounds.length;
  // a clean round within R constrains runs of at least R rounds, R >= 1 (docs/semantics.md section 1.8)
  const within = Math.min(...p.assumptions.map((a) => evalParamInt(a.within, n, t)).filter((w) => w >= 1 && w <= rounds));
  const found = new Set<PropertyName>();
  const maxF = Math.min(evalParamInt(singleBound(p.faults), n, t), n);
  const leaders = new Set<number>();
  for (let g = 1; g <= rounds; g++) {
    const r = p.rounds[(g - 1) % k] as Round;
    if (r.sends.some((s) => p.messages.find((m) => m.name === s.message)?.leader === true)) leaders.add((Math.floor((g - 1) / k)) % n);
  }
  const others = Array.from({ length: n }, (_, i) => n - 1 - i).filter((i) => !leaders.has(i));
  const sets = subsetsOf([...leaders])
    .filter((ls) => ls.length <= maxF)
    .flatMap((ls) => Array.from({ length: Math.min(maxF - ls.length, others.length) + 1 }, (_, j) => [...ls, ...others.slice(0, j)]));
  for (const faulty of sets) {
    const isF = (i: number): boolean => faulty.includes(i);
    const correct = Array.from({ length: n }, (_, i) => i).filter((i) => !isF(i));
    for (const inputs of productOf(Array.from({ length: n }, () => Array.from({ length: p.values }, (_, v) => v)))) {
      const first = inputs[correct[0] ?? 0] as number;
      const unanimous = correct.length > 0 && correct.every((i) => inputs[i] === first) ? first : null;
      const run = (states: (LocalState | null)[][]): ScopedRun => ({ n, t, faults: kind, faulty, roundsPerPhase: k, states, inputs });
      /** per property: does it fail at this boundary (always kinds), or does the goal hold (eventually) */
      const at = (hist: (LocalState | null)[][], b: number): boolean[] =>
        props.map((name) => {
          const s = hist[b] as (LocalState | null)[];
          const dec = correct.map((i) => s[i]?.[DECIDED] ?? null).filter((d) => d !== null);
          if (name === 'agreement') return new Set(dec).size > 1;
          if (name === 'validity') return unanimous !== null && dec.some((d) => d !== unanimous);
          if (name === 'termination') return b === rounds && correct.some((i) => (s[i]?.[DECIDED] ?? null) === null);
          const u = p.userProperties.find((x) => x.name === name) as UserProperty;
          if (u.formula.kind === 'always') return checkedBoundary(u.formula.at, b, k) && !stateHolds(p, u, u.formula.state, run(hist), b);
          return b <= evalParamInt(u.formula.within, n, t) && stateHolds(p, u, u.formula.goal, run(hist), b);
        });
      const init = inputs.map((x) => initialOf(p, n, t, x));
      const given = props.map((name) => {
        const u = p.userProperties.find((x) => x.name === name);
        return u === undefined || u.formula.kind !== 'eventually' || stateHolds(p, u, u.formula.given, run([init]), 0);
      });
      const seen = new Set<string>();
      const go = (hist: (LocalState | null)[][], flags: boolean[], clean: boolean): void => {
        const g = hist.length;
        const cur = hist[g - 1] as (LocalState | null)[];
        const key = `${g}|${JSON.stringify(cur)}|${flags.join()}|${clean}`;
        if (seen.has(key)) return;
        seen.add(key);
        if (g - 1 === rounds) {
          if (within <= rounds && !clean) return;
          props.forEach((name, j) => {
            const u = p.userProperties.find((x) => x.name === name);
            const eventually = u !== undefined && u.formula.kind === 'eventually';
            if (eventually ? given[j] === true && !flags[j] : flags[j]) found.add(name);
          });
          return;
        }
        const alive = cur.map((s, i) => (s === null ? -1 : i)).filter((i) => i >= 0);
        const sent: { from: number; key: string; m: string; v: Val }[] = [];
        const round = p.rounds[(g - 1) % k] as Round;
        for (const i of alive) {
          const env = { n, t, phase: Math.floor((g - 1) / k) + 1, values: p.values, state: cur[i] as LocalState };
          for (const s of round.sends) {
            if (p.messages.find((m) => m.name === s.message)?.leader === true && i !== Math.floor((g - 1) / k) % n) continue;
            if (s.when !== null && !evalBool(s.when, env)) continue;
            const v = s.payload === null ? null : evalExpr(s.payload, env);
            sent.push({ from: i, key: JSON.stringify([s.message, v]), m: s.message, v });
          }
        }
        const crashSets = kind === 'crash' ? subsetsOf(alive.filter(isF)) : [[]];
        for (const crashing of crashSets) {
          const drop = (i: number): boolean => (kind === 'omission' ? isF(i) : crashing.includes(i));
          const sure: Inbox = new Map();
          const groups = new Map<string, { m: string; v: Val; k: number }>();
          for (const x of sent) {
            if (!drop(x.from)) {
              const per = sure.get(x.m) ?? new Map<Val, number>();
              per.set(x.v, (per.get(x.v) ?? 0) + 1);
              sure.set(x.m, per);
            } else groups.set(x.key, { ...(groups.get(x.key) ?? { m: x.m, v: x.v, k: 0 }), k: (groups.get(x.key)?.k ?? 0) + 1 });
          }
          const gs = [...groups.values()];
          const stepping = alive.filter((i) => !crashing.includes(i));
          const options = stepping.map((i) => {
            const out = new Map<string, [LocalState, boolean]>();
            for (const counts of productOf(gs.map((x) => Array.from({ length: x.k + 1 }, (_, c) => c)))) {
              const inbox: Inbox = new Map([...sure].map(([m, per]) => [m, new Map(per)]));
              gs.forEach((x, j) => {
                const per = inbox.get(x.m) ?? new Map<Val, number>();
                per.set(x.v, (per.get(x.v) ?? 0) + (counts[j] as number));
                inbox.set(x.m, per);
              });
              const full = gs.every((x, j) => counts[j] === x.k);
              const next = step(p, n, t, g, cur[i] as LocalState, inbox);
              out.set(`${JSON.stringify(next)}|${full}`, [next, full]);
            }
            return [...out.values()];
          });
          for (const pick of productOf(options)) {
            const nextStates: (LocalState | null)[] = new Array<LocalState | null>(n).fill(null);
            stepping.forEach((i, j) => (nextStates[i] = (pick[j] as [LocalState, boolean])[0]));
            const roundClean = kind === 'crash' ? crashing.length === 0 : pick.every(([, full]) => full);
            const h = [...hist, nextStates];
            const now = at(h, g);
            go(h, flags.map((x, j) => x || (now[j] as boolean)), clean || (roundClean && g <= within));
          }
        }
      };
      go([init], at([init], 0), false);
      if (found.size === props.length) return found;
    }
  }
  return found;
}

