// The text timeline's lines for crash and omission faults (docs/semantics.md
// section 1.7): who is faulty and of which kind, the processes that crash in
// a round and whom their last messages reached, the messages withheld from
// receivers, and the mark on a faulty process's state. A Byzantine trace
// gets none of these lines, so its text is unchanged. A hybrid trace
// (section 1.9) shows its Byzantine set and its omission-faulty one, whose
// processes are marked and whose withheld messages are listed as under
// omission faults.

import { unreachable } from '../ir/types';
import type { Broadcast, FaultKind, RoundRecord, Trace, Val } from './model';

type ProcList = (ids: readonly number[]) => string;

const proc = (i: number): string => `p${i}`;
const show = (name: string, payload: Val | undefined): string => (payload === null || payload === undefined ? name : `${name}(${String(payload)})`);

/** The kind of the faulty processes that follow the protocol (`trace.faulty`): crash or omission (omission in a hybrid trace); null for a Byzantine trace. */
export function followingKind(trace: Trace): Exclude<FaultKind, 'byzantine'> | null {
  const kind = trace.faults ?? 'byzantine';
  switch (kind) {
    case 'byzantine':
      return null;
    case 'crash':
    case 'omission':
      return kind;
    case 'hybrid':
      return 'omission';
    default:
      return unreachable(kind);
  }
}

/** "o=1" after t in a hybrid trace's header; empty otherwise. */
export function paramsNote(trace: Trace): string {
  return trace.o === undefined ? '' : ` o=${trace.o}`;
}

/** "faulty (crash): p2, p3" for a crash or omission trace, "Byzantine {p5}  faulty (omission): p4" for a hybrid one; null for a Byzantine one. */
export function faultyHeader(trace: Trace, list: ProcList): string | null {
  const kind = followingKind(trace);
  if (kind === null) return null;
  const faulty = trace.faulty ?? [];
  const following = `faulty (${kind}): ${faulty.length === 0 ? 'none' : list(faulty)}`;
  return trace.faults === 'hybrid' ? `Byzantine {${list(trace.byzantine)}}  ${following}` : following;
}

/** The round in which process i crashed, up to round `r` (inclusive), or null. */
export function crashRound(trace: Trace, i: number, upTo: number): number | null {
  for (const r of trace.rounds) {
    if (r.round > upTo) break;
    if ((r.crashed ?? []).includes(i)) return r.round;
  }
  return null;
}

/** What the round header says about its leader: Byzantine, crashed, faulty, or nothing. */
export function leaderNote(trace: Trace, r: RoundRecord): string {
  if (trace.byzantine.includes(r.leader)) return ' BYZANTINE';
  const kind = followingKind(trace);
  if (!(trace.faulty ?? []).includes(r.leader) || kind === null) return '';
  const crashed = crashRound(trace, r.leader, r.round - 1);
  return crashed === null ? ` ${kind}-faulty` : ` CRASHED in round ${crashed}`;
}

/** The mark after the state of a crash- or omission-faulty process. */
export function stateNote(trace: Trace, i: number): string {
  const kind = followingKind(trace);
  return kind !== null && (trace.faulty ?? []).includes(i) ? `  [${kind}-faulty]` : '';
}

/** Receivers each message was withheld from this round, by `from/message`. */
function keptFrom(r: RoundRecord): Map<string, Set<number>> {
  const kept = new Map<string, Set<number>>();
  for (const w of r.withheld ?? []) {
    const key = `${w.from}/${w.message}`;
    const set = kept.get(key) ?? new Set<number>();
    set.add(w.to);
    kept.set(key, set);
  }
  return kept;
}

/** The receivers a message of `from` reached this round (the processes that take a step, but the sender), and the ones it was withheld from. */
function reached(r: RoundRecord, from: number, kept: ReadonlySet<number>): { got: number[]; kept: number[] } {
  const got: number[] = [];
  const keptLive: number[] = [];
  r.states.forEach((s, i) => {
    if (s === null || i === from) return;
    (kept.has(i) ? keptLive : got).push(i);
  });
  return { got, kept: keptLive };
}

/** "p2 CRASHES: VAL(1) reached p0 only (withheld from p1)", one line per process crashing in round `r`. */
export function crashLines(r: RoundRecord, list: ProcList): string[] {
  const crashed = r.crashed ?? [];
  if (crashed.length === 0) return [];
  const kept = keptFrom(r);
  const sentBy = new Map<number, Broadcast[]>();
  for (const b of r.sent) {
    const list = sentBy.get(b.from) ?? [];
    list.push(b);
    sentBy.set(b.from, list);
  }
  return crashed.map((i) => {
    const mine = sentBy.get(i) ?? [];
    if (mine.length === 0) return `  ${proc(i)} CRASHES (it sends nothing this round)`;
    const parts = mine.map((b) => {
      const { got, kept: lost } = reached(r, i, kept.get(`${i}/${b.message}`) ?? new Set());
      const to = lost.length === 0 ? 'reached all' : got.length === 0 ? 'reached nobody' : `reached ${list(got)}${got.length === 1 ? ' only' : ''}`;
      return `${show(b.message, b.payload)} ${to}${lost.length === 0 || got.length === 0 ? '' : ` (withheld from ${list(lost)})`}`;
    });
    return `  ${proc(i)} CRASHES: ${parts.join('; ')}`;
  });
}

/** "withheld  p1 -/-> p2, p3 VAL(0)": the messages kept from receivers, per sender and message, but those of a crashing sender (its CRASHES line says). */
export function withheldLines(r: RoundRecord, list: ProcList): string[] {
  const crashing = new Set(r.crashed ?? []);
  const groups = new Map<string, { from: number; message: string; to: number[] }>();
  for (const w of r.withheld ?? []) {
    if (crashing.has(w.from)) continue;
    const key = `${w.from}/${w.message}`;
    const g = groups.get(key) ?? { from: w.from, message: w.message, to: [] };
    g.to.push(w.to);
    groups.set(key, g);
  }
  const payloads = new Map(r.sent.map((b) => [`${b.from}/${b.message}`, b.payload]));
  return [...groups.values()].map((g) => {
    const payload = payloads.get(`${g.from}/${g.message}`);
    return `  withheld  ${proc(g.from)} -/-> ${list(g.to)} ${show(g.message, payload)}`;
  });
}
