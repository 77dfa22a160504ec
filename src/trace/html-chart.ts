// The SVG message-sequence chart of a trace: processes as vertical lanes,
// rounds as horizontal bands top to bottom. In each band: the correct
// broadcasts (a badge on the sender's lane, on a dashed "to all" line), the
// Byzantine messages as red arrows to each receiver (a sender that tells
// receivers different things is marked as equivocating), and the states
// after the round with the rule that fired and a marker where a process
// decides. Static SVG: readable without scripts, styled by html.ts's CSS.

import { DECIDED } from '../ir/types';
import type { LocalState, RoundRecord, Trace, Val } from './model';
import { chooseLanes, laneName, message, stateLines, tally, witnessesOf, type Lane } from './html-lanes';

const CHAR = 6.7; // width of one character of the 11px monospace font
const LINE = 13;
const HEAD = 62;
const MARGIN = 16;
const MAX_CHARS = 26;

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const clip = (s: string, max: number): string => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/** A CSS class per payload, so each value has its colour (v0, v1, ...; vnone, vtrue, vfalse). */
function valueClass(v: Val): string {
  return v === null ? 'vnone' : typeof v === 'boolean' ? `v${v}` : `v${Math.min(v, 5)}`;
}

function text(x: number, y: number, body: string, cls: string, anchor = 'middle', title?: string): string {
  const t = title === undefined ? '' : `<title>${esc(title)}</title>`;
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" class="${cls}" text-anchor="${anchor}">${t}${esc(body)}</text>`;
}

interface Ctx {
  trace: Trace;
  lanes: Lane[];
  x: number[];
  gap: number;
  width: number;
  chars: number;
  out: string[];
  y: number;
}

function laneHeader(ctx: Ctx, lane: Lane, k: number, height: number): string {
  const cls = ['lane', lane.byzantine ? 'byzantine' : 'correct', lane.group ? 'group' : '', lane.witness ? 'witness' : ''].filter((c) => c !== '').join(' ');
  const data = lane.group ? `data-processes="${lane.ids.join(',')}"` : `data-process="${lane.ids[0]}"`;
  const id = lane.ids[0]!;
  const sub = lane.group
    ? `${lane.ids.length} ${lane.byzantine ? 'Byzantine' : 'correct'}`
    : lane.byzantine
      ? 'Byzantine'
      : `input ${ctx.trace.inputs[id] ?? '?'}`;
  const x = ctx.x[k]!;
  return [
    `<g class="${cls}" ${data}>`,
    `<line x1="${x}" y1="${HEAD - 6}" x2="${x}" y2="${height - 8}" class="lane-line"/>`,
    text(x, 18, laneName(lane), 'lane-name'),
    text(x, 33, sub, 'lane-sub'),
    lane.witness ? text(x, 46, 'witness', 'lane-witness') : '',
    '</g>',
  ].join('');
}

function bandHeader(ctx: Ctx, label: string, cls: string): void {
  ctx.out.push(`<g class="${cls}"><rect x="4" y="${ctx.y}" width="${ctx.width - 8}" height="20" rx="3" class="band"/>`, text(MARGIN, ctx.y + 14, label, 'band-label', 'start'), '</g>');
  ctx.y += 28;
}

function broadcasts(ctx: Ctx, r: RoundRecord): void {
  const perLane = ctx.lanes.map((lane) => {
    if (lane.byzantine) return [];
    const sent = r.sent.filter((b) => lane.ids.includes(b.from));
    const labels = sent.map((b) => ({ label: message(b.message, b.payload), payload: b.payload }));
    if (!lane.group) return labels;
    const first = new Map<string, Val>(labels.map((l) => [l.label, l.payload]));
    return tally(labels.map((l) => l.label)).map((label) => ({ label, payload: first.get(label.replace(/^\d+× /, '')) ?? null }));
  });
  const rows = Math.max(0, ...perLane.map((l) => l.length));
  for (let row = 0; row < rows; row++) {
    const y = ctx.y + row * 22 + 8;
    ctx.out.push(`<line x1="${MARGIN}" y1="${y}" x2="${ctx.width - MARGIN}" y2="${y}" class="to-all"/>`);
    perLane.forEach((labels, k) => {
      const b = labels[row];
      if (b === undefined) return;
      const w = clip(b.label, ctx.chars).length * CHAR + 12;
      const x = ctx.x[k]!;
      ctx.out.push(
        `<g class="broadcast ${valueClass(b.payload)}" data-from="${ctx.lanes[k]!.ids.join(',')}"><rect x="${(x - w / 2).toFixed(1)}" y="${y - 8}" width="${w.toFixed(1)}" height="16" rx="8" class="badge"/>`,
        text(x, y + 4, clip(b.label, ctx.chars), 'badge-text', 'middle', `${laneName(ctx.lanes[k]!)} broadcasts ${b.label} to all`),
        '</g>',
      );
    });
  }
  ctx.y += rows * 22 + (rows > 0 ? 4 : 0);
}

function byzantineArrows(ctx: Ctx, r: RoundRecord): void {
  ctx.lanes.forEach((sender, s) => {
    if (!sender.byzantine) return;
    const mine = r.byzantine.filter((m) => sender.ids.includes(m.from));
    if (mine.length === 0) return;
    // Equivocation: one sender, one message type, different payloads to different receivers.
    const payloads = new Map<string, Set<string>>();
    for (const m of mine) payloads.set(`${m.from}/${m.message}`, (payloads.get(`${m.from}/${m.message}`) ?? new Set()).add(JSON.stringify(m.payload)));
    const equivocates = [...payloads.values()].some((set) => set.size > 1);
    const xs = ctx.x[s]!;
    const y0 = ctx.y + 4;
    const y1 = ctx.y + 30;
    ctx.lanes.forEach((receiver, k) => {
      if (k === s) return;
      const msgs = mine.filter((m) => receiver.ids.includes(m.to));
      if (msgs.length === 0) return;
      const labels = msgs.map((m) => message(m.message, m.payload));
      const label = sender.group || receiver.group ? tally(labels).join(', ') : labels.join(', ');
      const xr = ctx.x[k]!;
      const dir = xs > xr ? 1 : -1; // the arrowhead stops just short of the lane, on the sender's side
      const payload = msgs.length === 1 || new Set(msgs.map((m) => JSON.stringify(m.payload))).size === 1 ? msgs[0]!.payload : null;
      ctx.out.push(
        `<g class="byz-msg${equivocates ? ' equivocation' : ''}" data-from="${sender.ids.join(',')}" data-to="${receiver.ids.join(',')}">`,
        `<line x1="${xs}" y1="${y0}" x2="${(xr + dir * 3).toFixed(1)}" y2="${y1}" class="byz-arrow" marker-end="url(#byz-head)"/>`,
        // below the arrowhead: every arrow ends at y1 and climbs toward its sender, so nothing crosses there
        text(xr, y1 + 13, clip(label, ctx.chars), `byz-label ${valueClass(payload)}`, 'middle', `${laneName(sender)} -> ${laneName(receiver)}: ${label}`),
        '</g>',
      );
    });
    if (equivocates) ctx.out.push(text(xs, y1 + 13, 'equivocates', 'equivocation-note', 'middle', `${laneName(sender)} sends different payloads to different receivers`));
    ctx.y += 56;
  });
}

/** The states after a round (or the initial ones when `r` is null), with decision markers. */
function states(ctx: Ctx, states: readonly (LocalState | null)[], before: readonly (LocalState | null)[] | null, r: RoundRecord | null, witnessesHere: Set<number>): void {
  const boxes = ctx.lanes.map((lane) => {
    if (lane.byzantine) return null;
    const live = lane.ids.map((i) => ({ i, s: states[i] ?? null })).filter((e): e is { i: number; s: LocalState } => e.s !== null);
    const decided = live.filter((e) => e.s[DECIDED] !== null && e.s[DECIDED] !== undefined && (before === null || (before[e.i]?.[DECIDED] ?? null) === null));
    if (!lane.group) {
      const e = live[0];
      if (e === undefined) return null;
      const fired = r === null ? null : r.fired[e.i];
      const head = r === null ? 'initial' : fired === null || fired === undefined ? 'no rule' : `rule ${fired + 1}`;
      return { head, lines: stateLines(e.s), decided: decided.map((d) => d.s[DECIDED] ?? null), witness: witnessesHere.has(e.i), ids: [e.i] };
    }
    // one entry per distinct state: "3× v=1" then its other variables, indented
    const lines = tally(live.map((e) => stateLines(e.s).join('\n'))).flatMap((entry) => entry.split('\n').map((l, j) => (j === 0 ? l : `   ${l}`)));
    return { head: `${live.length} states`, lines, decided: decided.map((d) => d.s[DECIDED] ?? null), witness: false, ids: lane.ids };
  });
  const rows = Math.max(1, ...boxes.map((b) => (b === null ? 0 : b.lines.length)));
  const boxW = ctx.gap - 14;
  boxes.forEach((b, k) => {
    if (b === null) return;
    const x = ctx.x[k]!;
    const y = ctx.y;
    const parts = [`<g class="state${b.witness ? ' witness-state' : ''}" data-processes="${b.ids.join(',')}">`];
    parts.push(text(x, y + 9, b.head, 'rule'));
    parts.push(`<rect x="${(x - boxW / 2).toFixed(1)}" y="${y + 13}" width="${boxW}" height="${b.lines.length * LINE + 6}" rx="4" class="state-box"/>`);
    b.lines.forEach((line, j) => parts.push(text(x - boxW / 2 + 6, y + 13 + (j + 1) * LINE, clip(line, ctx.chars), line.includes('decided=') ? 'state-line decided' : 'state-line', 'start', line)));
    if (b.decided.length > 0) {
      const value = b.decided.length === 1 ? String(b.decided[0]) : `${b.decided.length}`;
      const what = b.ids.length === 1 ? `p${b.ids[0]} decides ${b.decided[0]}` : `${b.decided.length} processes decide (${tally(b.decided.map(String)).join(', ')})`;
      parts.push(
        `<g class="decision" data-processes="${b.ids.join(',')}" data-value="${esc(b.decided.map(String).join(','))}"${r === null ? '' : ` data-round="${r.round}"`}>`,
        `<title>${esc(`${what}${r === null ? ' initially' : ` in round ${r.round}`}`)}</title>`,
        `<circle cx="${(x + boxW / 2 - 2).toFixed(1)}" cy="${y + 13}" r="8" class="decision-mark"/>`,
        text(x + boxW / 2 - 2, y + 17, value, 'decision-text'),
        '</g>',
      );
    }
    parts.push('</g>');
    ctx.out.push(parts.join(''));
  });
  ctx.y += rows * LINE + 30;
}

export function traceChart(trace: Trace): string {
  const lanes = chooseLanes(trace);
  const all = [...trace.initial, ...trace.rounds.flatMap((r) => r.states)].filter((s): s is LocalState => s !== null);
  // a loop, not Math.max(...xs): one argument per state of the run would overflow the stack at large n
  let longest = 8;
  for (const s of all) for (const l of stateLines(s)) longest = Math.max(longest, l.length);
  for (const r of trace.rounds) for (const b of r.sent) longest = Math.max(longest, message(b.message, b.payload).length);
  const chars = Math.min(MAX_CHARS, longest + (lanes.some((l) => l.group) ? 3 : 0));
  const gap = Math.max(96, Math.ceil(chars * CHAR + 28));
  const width = MARGIN * 2 + gap * lanes.length;
  const ctx: Ctx = { trace, lanes, x: lanes.map((_, k) => MARGIN + gap * k + gap / 2), gap, width, chars, out: [], y: HEAD };
  const witnessesAt = (round: number): Set<number> => new Set(trace.violations.filter((v) => v.round === round).flatMap(witnessesOf));

  bandHeader(ctx, 'initial states', 'band-initial');
  states(ctx, trace.initial, null, null, witnessesAt(0));
  let before: readonly (LocalState | null)[] = trace.initial;
  for (const r of trace.rounds) {
    const leader = `p${r.leader}${trace.byzantine.includes(r.leader) ? ' (Byzantine)' : ''}`;
    bandHeader(ctx, `round ${r.round} · phase ${r.phase} · ${r.name} · leader ${leader}`, 'band-round');
    broadcasts(ctx, r);
    byzantineArrows(ctx, r);
    states(ctx, r.states, before, r, witnessesAt(r.round));
    before = r.states;
  }
  const height = ctx.y + 8;
  const defs = '<defs><marker id="byz-head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="byz-head"/></marker></defs>';
  const label = `Message sequence chart of ${trace.protocol.name}: ${trace.n} processes, ${trace.rounds.length} rounds`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="msc" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(label)}">`,
    `<title>${esc(label)}</title>`,
    defs,
    ...lanes.map((lane, k) => laneHeader(ctx, lane, k, height)),
    ...ctx.out,
    '</svg>',
  ].join('\n');
}
