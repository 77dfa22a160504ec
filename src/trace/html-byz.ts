// The Byzantine part of a round in the chart. What a Byzantine sender sent:
// a red arrow to each receiver (marked as equivocating when it tells
// receivers different things). What it withheld, i.e. a message type it
// could send this round that a correct receiver did not get from it: a
// dashed grey arrow ending in a cross on the receiver's lane, or, beside a
// red arrow, a grey "no M" line under its label. A sender that sends nothing
// at all in a round gets one "silent" badge instead of an arrow per
// receiver, and a sender that withholds from more receivers than
// MAX_WITHHELD_ARROWS gets a one-line summary, so large traces stay legible.

import type { Lane } from './html-lanes';
import { laneName, message, tally } from './html-lanes';
import type { Withheld } from './html-rules';
import { CHAR, clip, esc, text, valueClass, type Ctx } from './html-svg';
import type { ByzantineMessage, RoundRecord } from './model';

export const MAX_WITHHELD_ARROWS = 4;

/** "no VOTE" for one sender and one receiver; "3× no VOTE" when a group lane is involved. */
function withheldLabel(sender: Lane, receiver: Lane, gone: readonly Withheld[]): string {
  const labels = gone.map((w) => `no ${w.message}`);
  return sender.group || receiver.group ? tally(labels).join(', ') : [...new Set(labels)].join(', ').replace(/, no /g, ', ');
}

function withheldTitle(sender: Lane, receiver: Lane, gone: readonly Withheld[]): string {
  const pairs = [...new Set(gone.map((w) => `p${w.from} -> p${w.to}: ${w.message}`))];
  const shown = pairs.length > 8 ? [...pairs.slice(0, 8), `… ${pairs.length - 8} more`] : pairs;
  return `withheld (${laneName(sender)} -> ${laneName(receiver)}): ${shown.join('; ')}`;
}

const group = (cls: string, sender: Lane, receiver: Lane | null, r: RoundRecord, extra = ''): string =>
  `<g class="${cls}" data-round="${r.round}" data-from="${sender.ids.join(',')}"${receiver === null ? '' : ` data-to="${receiver.ids.join(',')}"`}${extra}>`;

/** One badge per Byzantine lane that sends nothing at all this round. */
function silentRow(ctx: Ctx, r: RoundRecord, silent: readonly { s: number; held: Withheld[] }[]): void {
  if (silent.length === 0) return;
  const y = ctx.y + 10;
  for (const { s, held } of silent) {
    const lane = ctx.lanes[s]!;
    const label = lane.group ? `✕ ${lane.ids.length} silent` : '✕ silent';
    const types = [...new Set(held.map((w) => w.message))].join(', ');
    const title = `${laneName(lane)} sends nothing this round: ${types} withheld from every correct process`;
    const w = label.length * CHAR + 14;
    const x = ctx.x[s]!;
    ctx.out.push(
      group('silent', lane, null, r, ` data-messages="${esc(types)}"`),
      `<rect x="${(x - w / 2).toFixed(1)}" y="${y - 8}" width="${w.toFixed(1)}" height="16" rx="8" class="silent-badge"/>`,
      text(x, y + 4, label, 'silent-text', 'middle', title),
      '</g>',
    );
  }
  ctx.y += 24;
}

function equivocates(mine: readonly ByzantineMessage[]): boolean {
  // one sender, one message type, different payloads to different receivers
  const payloads = new Map<string, Set<string>>();
  for (const m of mine) payloads.set(`${m.from}/${m.message}`, (payloads.get(`${m.from}/${m.message}`) ?? new Set()).add(JSON.stringify(m.payload)));
  return [...payloads.values()].some((set) => set.size > 1);
}

/** The row of one Byzantine lane that sends something this round. */
function senderRow(ctx: Ctx, r: RoundRecord, s: number, mine: readonly ByzantineMessage[], held: readonly Withheld[]): void {
  const sender = ctx.lanes[s]!;
  const equivocation = equivocates(mine);
  const xs = ctx.x[s]!;
  const y0 = ctx.y + 4;
  const y1 = ctx.y + 30;
  let extraLine = false;
  const heldOnly: { k: number; gone: Withheld[] }[] = [];
  ctx.lanes.forEach((receiver, k) => {
    if (k === s) return;
    const msgs = mine.filter((m) => receiver.ids.includes(m.to));
    const gone = held.filter((w) => receiver.ids.includes(w.to));
    if (msgs.length === 0) {
      if (gone.length > 0) heldOnly.push({ k, gone });
      return;
    }
    const labels = msgs.map((m) => message(m.message, m.payload));
    const label = sender.group || receiver.group ? tally(labels).join(', ') : labels.join(', ');
    const xr = ctx.x[k]!;
    const dir = xs > xr ? 1 : -1; // the arrowhead stops just short of the lane, on the sender's side
    const payload = new Set(msgs.map((m) => JSON.stringify(m.payload))).size === 1 ? msgs[0]!.payload : null;
    ctx.out.push(
      `<g class="byz-msg${equivocation ? ' equivocation' : ''}" data-round="${r.round}" data-from="${sender.ids.join(',')}" data-to="${receiver.ids.join(',')}">`,
      `<line x1="${xs}" y1="${y0}" x2="${(xr + dir * 3).toFixed(1)}" y2="${y1}" class="byz-arrow" marker-end="url(#byz-head)"/>`,
      // below the arrowhead: every arrow ends at y1 and climbs toward its sender, so nothing crosses there
      text(xr, y1 + 13, clip(label, ctx.chars), `byz-label ${valueClass(payload)}`, 'middle', `${laneName(sender)} -> ${laneName(receiver)}: ${label}`),
      '</g>',
    );
    if (gone.length > 0) {
      // the receiver got some types and not others: the missing ones on a grey line under the label
      extraLine = true;
      ctx.out.push(
        group('withheld-partial', sender, receiver, r, ` data-messages="${esc([...new Set(gone.map((w) => w.message))].join(','))}"`),
        text(xr, y1 + 26, clip(withheldLabel(sender, receiver, gone), ctx.chars), 'withheld-label', 'middle', withheldTitle(sender, receiver, gone)),
        '</g>',
      );
    }
  });
  const notes: { label: string; cls: string; title: string }[] = [];
  if (equivocation) notes.push({ label: 'equivocates', cls: 'equivocation-note', title: `${laneName(sender)} sends different payloads to different receivers` });
  if (heldOnly.length <= MAX_WITHHELD_ARROWS) {
    for (const { k, gone } of heldOnly) {
      const receiver = ctx.lanes[k]!;
      const xr = ctx.x[k]!;
      ctx.out.push(
        group('withheld', sender, receiver, r, ` data-messages="${esc([...new Set(gone.map((w) => w.message))].join(','))}"`),
        `<line x1="${xs}" y1="${y0}" x2="${xr.toFixed(1)}" y2="${y1}" class="withheld-arrow" marker-end="url(#withheld-x)"/>`,
        text(xr, y1 + 13, clip(withheldLabel(sender, receiver, gone), ctx.chars), 'withheld-label', 'middle', withheldTitle(sender, receiver, gone)),
        '</g>',
      );
    }
  } else {
    const receivers = heldOnly.flatMap(({ k }) => ctx.lanes[k]!.ids);
    const types = [...new Set(heldOnly.flatMap(({ gone }) => gone.map((w) => w.message)))].join(', ');
    notes.push({ label: `no ${types} to ${receivers.length}`, cls: 'withheld-note', title: `${laneName(sender)} sends no ${types} to ${receivers.map((i) => `p${i}`).join(', ')}` });
  }
  notes.forEach((note, j) => {
    const line = text(xs, y1 + 13 + j * 13, clip(note.label, ctx.chars), note.cls, 'middle', note.title);
    ctx.out.push(...(note.cls === 'withheld-note' ? [group('withheld-summary', sender, null, r), line, '</g>'] : [line]));
  });
  ctx.y += 56 + (extraLine || notes.length > 1 ? 13 : 0);
}

/** The Byzantine messages of round `r` and the ones withheld, one row per Byzantine lane that sends. */
export function byzantineRows(ctx: Ctx, r: RoundRecord, withheld: readonly Withheld[]): void {
  const rows: { s: number; mine: ByzantineMessage[]; held: Withheld[] }[] = [];
  const silent: { s: number; held: Withheld[] }[] = [];
  ctx.lanes.forEach((sender, s) => {
    if (!sender.byzantine) return;
    const mine = r.byzantine.filter((m) => sender.ids.includes(m.from));
    const held = withheld.filter((w) => sender.ids.includes(w.from));
    if (mine.length > 0) rows.push({ s, mine, held });
    else if (held.length > 0) silent.push({ s, held });
  });
  silentRow(ctx, r, silent);
  for (const { s, mine, held } of rows) senderRow(ctx, r, s, mine, held);
}
