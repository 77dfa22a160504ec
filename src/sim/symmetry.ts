// Symmetry used by explore(): which Byzantine sets are worth exploring, and
// enumeration of successor tuples up to permutations of interchangeable
// processes.

import type { Protocol } from '../ir/types';
import { roundPosition, usesLeaderMessages } from './step';

/** Byzantine sets of size f worth exploring (see explore.ts). */
export function byzantineSets(protocol: Protocol, n: number, f: number, rounds: number): number[][] {
  const lastOf = (pool: number[], k: number): number[] => pool.slice(pool.length - k);
  const usesLeaders = usesLeaderMessages(protocol);
  const everyone = Array.from({ length: n }, (_, i) => i);
  if (!usesLeaders || rounds === 0) return [lastOf(everyone, f)];
  const phases = roundPosition(protocol, n, rounds).phase;
  const leaders = everyone.slice(0, Math.min(phases, n));
  const others = everyone.slice(leaders.length);
  const sets: number[][] = [];
  for (let mask = 0; mask < 1 << leaders.length; mask++) {
    const chosen = leaders.filter((_, k) => (mask & (1 << k)) !== 0);
    const fill = f - chosen.length;
    if (fill < 0 || fill > others.length) continue;
    sets.push([...chosen, ...lastOf(others, fill)]);
  }
  return sets;
}

/** A hybrid faulty set (docs/semantics.md section 1.9): the Byzantine processes and the omission-faulty ones, disjoint, each ascending. */
export interface HybridSet {
  byzantine: number[];
  omission: number[];
}

/**
 * Hybrid sets with fb Byzantine and fo omission-faulty processes worth
 * exploring (see explore.ts). Without leader messages (or rounds) one: the
 * last fb processes Byzantine, the fo before them omission-faulty. With
 * them, every assignment of the horizon's leaders to correct, Byzantine or
 * omission-faulty (3^L of them) whose counts fit, filled up with the last
 * non-leaders: Byzantine from the end, omission-faulty before them.
 */
export function hybridSets(protocol: Protocol, n: number, fb: number, fo: number, rounds: number): HybridSet[] {
  if (fb < 0 || fo < 0 || fb + fo > n) return [];
  const everyone = Array.from({ length: n }, (_, i) => i);
  if (!usesLeaderMessages(protocol) || rounds === 0) return [{ byzantine: everyone.slice(n - fb), omission: everyone.slice(n - fb - fo, n - fb) }];
  const phases = roundPosition(protocol, n, rounds).phase;
  const leaders = everyone.slice(0, Math.min(phases, n));
  const others = everyone.slice(leaders.length);
  const sets: HybridSet[] = [];
  for (let code = 0; code < 3 ** leaders.length; code++) {
    const byzantine: number[] = [];
    const omission: number[] = [];
    let c = code;
    for (const l of leaders) {
      const digit = c % 3;
      c = Math.floor(c / 3);
      if (digit === 1) byzantine.push(l);
      else if (digit === 2) omission.push(l);
    }
    const fillB = fb - byzantine.length;
    const fillO = fo - omission.length;
    if (fillB < 0 || fillO < 0 || fillB + fillO > others.length) continue;
    const m = others.length;
    sets.push({ byzantine: [...byzantine, ...others.slice(m - fillB)], omission: [...omission, ...others.slice(m - fillB - fillO, m - fillB)] });
  }
  return sets;
}

/** Positions grouped for enumeration: each distinguished one alone, the others by equal value. */
export function groupsOf(config: readonly number[], marks: readonly boolean[]): number[][] {
  const groups: number[][] = [];
  const byValue = new Map<number, number[]>();
  config.forEach((id, k) => {
    if (marks[k]) {
      groups.push([k]);
      return;
    }
    const g = byValue.get(id);
    if (g === undefined) {
      const fresh = [k];
      byValue.set(id, fresh);
      groups.push(fresh);
    } else g.push(k);
  });
  return groups;
}

/**
 * Calls visit with a pick (an option index per position) for every
 * combination where each group takes a non-decreasing sequence of option
 * indices (a multiset: its members are interchangeable). All members of a
 * group must share one options list. visit returns false to stop; the result
 * says whether the enumeration completed.
 */
export function forEachAssignment<O>(
  groups: readonly number[][],
  optionsOf: (position: number) => readonly O[],
  visit: (pick: number[], options: (readonly O[])[]) => boolean,
): boolean {
  const size = groups.reduce((s, g) => s + g.length, 0);
  const pick = new Array<number>(size).fill(0);
  const options: (readonly O[])[] = new Array<readonly O[]>(size);
  for (const g of groups) for (const k of g) options[k] = optionsOf(g[0]!);
  const walk = (gi: number, mi: number, min: number): boolean => {
    if (gi === groups.length) return visit([...pick], options);
    const group = groups[gi]!;
    if (mi === group.length) return walk(gi + 1, 0, 0);
    const k = group[mi]!;
    for (let o = min; o < options[k]!.length; o++) {
      pick[k] = o;
      if (!walk(gi, mi + 1, o)) return false;
    }
    return true;
  };
  return walk(0, 0, 0);
}
