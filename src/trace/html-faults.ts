// The chart's drawing of crash and omission faults (docs/semantics.md
// section 1.7). A faulty lane is labelled with its kind. A message the
// adversary kept from a receiver (RoundRecord.withheld: the sender sent it,
// its broadcast badge shows it) is a dashed grey arrow from the sender that
// ends in a cross on the receiver's lane, one row per sending lane; a sender
// that loses messages to more lanes than MAX_WITHHELD_ARROWS gets a one-line
// summary instead. A process that crashes gets a crash marker where its next
// state would be, and its lane ends there. Byzantine traces draw none of this.
// A hybrid trace (docs/semantics.md section 1.9) draws its Byzantine lanes as
// a Byzantine trace does and its omission-faulty lanes as an omission trace
// does, and its legend explains both.

import { MAX_WITHHELD_ARROWS } from './html-byz';
import { laneName, message, type Lane } from './html-lanes';
import { CHAR, clip, esc, text, type Ctx } from './html-svg';
import type { FaultKind, RoundRecord, Trace, Withheld } from './model';
import { followingKind } from './text-faults';

const proc = (i: number): string => `p${i}`;

/** The kind of a trace's faulty processes that follow the protocol: crash or omission (omission in a hybrid trace), or null for a Byzantine trace. */
export function benignKind(trace: Trace): Exclude<FaultKind, 'byzantine'> | null {
  return followingKind(trace);
}

/** The line under a faulty lane's name: its kind (and input); null for other lanes. */
export function faultyLaneSub(trace: Trace, lane: Lane): string | null {
  const kind = benignKind(trace);
  if (kind === null || !lane.faulty) return null;
  return lane.group ? `${lane.ids.length} ${kind}-faulty` : `${kind} · input ${trace.inputs[lane.ids[0]!] ?? '?'}`;
}

/** The round `i` crashed in, if it crashed in round `upTo` or before. */
function crashedBy(trace: Trace, i: number, upTo: number): number | null {
  for (const r of trace.rounds) if (r.round <= upTo && (r.crashed ?? []).includes(i)) return r.round;
  return null;
}

/** The note after a round's leader in its band: "(crash-faulty)", "(crashed)"; empty for correct and for Byzantine traces. */
export function leaderFaultNote(trace: Trace, r: RoundRecord): string {
  const kind = benignKind(trace);
  if (kind === null || !(trace.faulty ?? []).includes(r.leader)) return '';
  return crashedBy(trace, r.leader, r.round - 1) === null ? ` (${kind}-faulty)` : ' (crashed)';
}

/** The messages of round `r` kept from receivers: one row per sending lane, arrows or a summary. */
export function withheldRows(ctx: Ctx, r: RoundRecord): void {
  const withheld = r.withheld ?? [];
  if (withheld.length === 0) return;
  // the label of each sent message, by sender and type: one string per message, however many receivers lost it
  const labels = new Map<number, Map<string, string>>();
  for (const b of r.sent) labels.set(b.from, (labels.get(b.from) ?? new Map<string, string>()).set(b.message, message(b.message, b.payload)));
  const payloadOf = (w: Withheld): string => labels.get(w.from)?.get(w.message) ?? w.message;
  // by sender lane, then receiver lane (indexed: group lanes stand for many processes, and a large run withholds many messages)
  const laneOf = new Map<number, number>();
  ctx.lanes.forEach((lane, k) => lane.ids.forEach((i) => laneOf.set(i, k)));
  const bySender = new Map<number, Withheld[]>();
  for (const w of withheld) {
    const k = laneOf.get(w.from);
    if (k === undefined) continue;
    const list = bySender.get(k) ?? [];
    list.push(w);
    bySender.set(k, list);
  }
  ctx.lanes.forEach((sender, s) => {
    const mine = bySender.get(s) ?? [];
    if (mine.length === 0) return;
    const byReceiver = new Map<number, Withheld[]>();
    for (const w of mine) {
      const k = laneOf.get(w.to);
      if (k === undefined || k === s) continue;
      const list = byReceiver.get(k) ?? [];
      list.push(w);
      byReceiver.set(k, list);
    }
    const xs = ctx.x[s]!;
    const y0 = ctx.y + 4;
    const y1 = ctx.y + 30;
    const perLane = [...byReceiver].sort((a, b) => a[0] - b[0]).map(([k, gone]) => ({ k, receiver: ctx.lanes[k]!, gone }));
    const title = (gone: readonly Withheld[]): string => {
      // the schema makes each (from, to, message) appear once: the first few, then how many more
      const pairs = gone.slice(0, 8).map((w) => `${proc(w.from)} -/-> ${proc(w.to)}: ${payloadOf(w)}`);
      if (gone.length > 8) pairs.push(`… ${gone.length - 8} more`);
      return `sent, but withheld from the receiver (${benignKind(ctx.trace) ?? ''}): ${pairs.join('; ')}`;
    };
    const types = (gone: readonly Withheld[]): string => [...new Set(gone.map((w) => w.message))].join(',');
    if (perLane.length <= MAX_WITHHELD_ARROWS) {
      for (const { k, receiver, gone } of perLane) {
        const xr = ctx.x[k]!;
        const label = receiver.group || sender.group ? `${gone.length}× withheld` : `${[...new Set(gone.map(payloadOf))].join(', ')} withheld`;
        ctx.out.push(
          [
            `<g class="fault-withheld" data-round="${r.round}" data-from="${sender.ids.join(',')}" data-to="${receiver.ids.join(',')}" data-messages="${esc(types(gone))}">`,
            `<line x1="${xs}" y1="${y0}" x2="${xr.toFixed(1)}" y2="${y1}" class="withheld-arrow fault-arrow" marker-end="url(#withheld-x)"/>`,
            text(xr, y1 + 13, clip(label, ctx.chars), 'withheld-label', 'middle', title(gone)),
            '</g>',
          ].join(''),
        );
      }
    } else {
      const receivers = new Set(mine.map((w) => w.to));
      const label = `${[...new Set(mine.map(payloadOf))].join(', ')} withheld ×${receivers.size}`;
      ctx.out.push(
        `<g class="fault-withheld-summary" data-round="${r.round}" data-from="${sender.ids.join(',')}" data-messages="${esc(types(mine))}">${text(xs, y1 + 13, clip(label, ctx.chars), 'withheld-note', 'middle', title(mine))}</g>`,
      );
    }
    ctx.y += 56;
  });
}

/**
 * Crash markers for the processes that crash in round `r`, drawn in the
 * states row that starts at `y`; a single lane's line ends at its marker
 * (ctx.crashY). A group lane counts its crashes in its state box instead.
 */
export function crashMarks(ctx: Ctx, r: RoundRecord, y: number): void {
  const crashed = r.crashed ?? [];
  if (crashed.length === 0) return;
  ctx.lanes.forEach((lane, k) => {
    if (lane.group || !crashed.includes(lane.ids[0]!)) return;
    const i = lane.ids[0]!;
    const x = ctx.x[k]!;
    const label = '✕ crashed';
    const w = label.length * CHAR + 14;
    const mine = r.sent.filter((b) => b.from === i);
    const lost = (r.withheld ?? []).filter((w2) => w2.from === i);
    const to = [...new Set(lost.map((w2) => proc(w2.to)))];
    const toText = to.length > 8 ? `${to.slice(0, 8).join(', ')} and ${to.length - 8} more` : to.join(', ');
    const what = mine.length === 0 ? 'it sent nothing' : `it sent ${mine.map((b) => message(b.message, b.payload)).join(', ')}${lost.length === 0 ? '' : `, withheld from ${toText}`}`;
    const top = y + 13;
    ctx.crashY.set(k, top);
    ctx.out.push(
      [
        `<g class="crash-mark" data-process="${i}" data-round="${r.round}">`,
        `<rect x="${(x - w / 2).toFixed(1)}" y="${top}" width="${w.toFixed(1)}" height="18" rx="4" class="crash-badge"/>`,
        text(x, top + 13, label, 'crash-text', 'middle', `${laneName(lane)} crashes in round ${r.round}: ${what}; it takes no step in this round or after`),
        '</g>',
      ].join(''),
    );
  });
}

/** The legend's entries for a crash or omission trace (none for a Byzantine one). */
export function faultLegend(trace: Trace): string[] {
  const kind = benignKind(trace);
  if (kind === null) return [];
  const arrow =
    '<svg class="key-svg" width="30" height="12" viewBox="0 0 30 12" aria-hidden="true"><line x1="1" y1="6" x2="23" y2="6" class="withheld-arrow"/><path d="M19,2 L27,10 M27,2 L19,10" class="withheld-x"/></svg>';
  return [
    `<span><span class="key faulty-key"></span>${kind}-faulty process: follows the protocol, but its messages may be withheld${kind === 'crash' ? ' in the round it crashes' : ''}</span>`,
    `<span>${arrow}withheld: a message the faulty sender sent that the adversary kept from this receiver</span>`,
    ...(kind === 'crash' ? ['<span><span class="key crash-key">✕</span>crash: the process takes no step from this round on (its lane ends)</span>'] : []),
  ];
}
