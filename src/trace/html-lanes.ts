// Which processes get a lane of their own in the HTML chart. Up to
// MAX_LANES processes each get one; beyond that the chart would be too wide
// to read, so the interesting ones (Byzantine, violation witnesses, the
// lowest ids) keep a lane and the rest are summarized in one group lane per
// kind (correct, Byzantine). Crash- and omission-faulty processes are
// treated as the Byzantine ones are (a lane each, up to a few, then a group),
// but they have states and messages like correct processes.

import { DECIDED, unreachable } from '../ir/types';
import type { LocalState, Trace, Val, Violation } from './model';

export const MAX_LANES = 10;
const MAX_BYZANTINE_LANES = 3;

export interface Lane {
  /** the processes this lane stands for: one, or a summarized group. */
  ids: number[];
  byzantine: boolean;
  /** crash- or omission-faulty (docs/semantics.md section 1.7): it has states, unlike a Byzantine lane. */
  faulty: boolean;
  group: boolean;
  /** a witness of a violation (single lanes only). */
  witness: boolean;
}

export function witnessesOf(v: Violation): number[] {
  switch (v.property) {
    case 'agreement':
      return [...v.processes];
    case 'validity':
      return [v.process];
    case 'termination':
    case 'user':
      return [...v.processes];
    default:
      return unreachable(v);
  }
}

export function chooseLanes(trace: Trace): Lane[] {
  const isByz = new Set(trace.byzantine);
  const isFaulty = new Set((trace.faults ?? 'byzantine') === 'byzantine' ? [] : (trace.faulty ?? []));
  const witnesses = new Set(trace.violations.flatMap(witnessesOf));
  const single = (i: number): Lane => ({ ids: [i], byzantine: isByz.has(i), faulty: isFaulty.has(i), group: false, witness: witnesses.has(i) });
  const all = Array.from({ length: trace.n }, (_, i) => i);
  if (trace.n <= MAX_LANES) return all.map(single);

  // the faulty processes of either kind: Byzantine, or crash- and omission-faulty ones
  const faultyIds = all.filter((i) => isByz.has(i) || isFaulty.has(i));
  const shownFaulty = faultyIds.slice(0, MAX_BYZANTINE_LANES);
  const correct = all.filter((i) => !isByz.has(i) && !isFaulty.has(i));
  const hybrid = trace.faults === 'hybrid';
  // room for the group lanes: correct and faulty (hybrid: Byzantine and omission-faulty apart)
  const budget = MAX_LANES - shownFaulty.length - (hybrid ? 3 : 2);
  const picked = new Set<number>([...correct.filter((i) => witnesses.has(i)).slice(0, Math.max(2, budget - 2))]);
  for (const i of correct) if (picked.size < budget) picked.add(i);
  const lanes = all.filter((i) => picked.has(i) || shownFaulty.includes(i)).map(single);
  const hiddenCorrect = correct.filter((i) => !picked.has(i));
  const hiddenFaulty = faultyIds.filter((i) => !shownFaulty.includes(i));
  if (hiddenCorrect.length > 0) lanes.push({ ids: hiddenCorrect, byzantine: false, faulty: false, group: true, witness: false });
  if (hybrid) {
    const hiddenByz = hiddenFaulty.filter((i) => isByz.has(i));
    const hiddenOmission = hiddenFaulty.filter((i) => isFaulty.has(i));
    if (hiddenByz.length > 0) lanes.push({ ids: hiddenByz, byzantine: true, faulty: false, group: true, witness: false });
    if (hiddenOmission.length > 0) lanes.push({ ids: hiddenOmission, byzantine: false, faulty: true, group: true, witness: false });
  } else if (hiddenFaulty.length > 0) lanes.push({ ids: hiddenFaulty, byzantine: isByz.size > 0, faulty: isFaulty.size > 0, group: true, witness: false });
  return lanes;
}

/** p3, or p5..p9 / p5, p7, p9 for groups. */
export function laneName(lane: Lane): string {
  const ids = lane.ids;
  if (ids.length === 1) return `p${ids[0]}`;
  const contiguous = ids.every((x, k) => k === 0 || x === ids[k - 1]! + 1);
  return contiguous ? `p${ids[0]}..p${ids[ids.length - 1]}` : ids.length <= 3 ? ids.map((i) => `p${i}`).join(', ') : `${ids.length} others`;
}

export const show = (v: Val): string => (v === null ? 'none' : String(v));

export function message(name: string, payload: Val): string {
  return payload === null ? name : `${name}(${show(payload)})`;
}

/** A state as lines of `var=value`, the decision last. */
export function stateLines(state: LocalState): string[] {
  const lines = Object.entries(state)
    .filter(([k]) => k !== DECIDED)
    .map(([k, v]) => `${k}=${show(v)}`);
  const decided = state[DECIDED] ?? null;
  if (decided !== null) lines.push(`decided=${show(decided)}`);
  return lines;
}

/** Counts of equal items, in first-seen order: ["3× v=0", "1× v=1"]. */
export function tally(items: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const x of items) counts.set(x, (counts.get(x) ?? 0) + 1);
  return [...counts].map(([x, k]) => `${k}× ${x}`);
}
