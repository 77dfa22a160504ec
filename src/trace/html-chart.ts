// The SVG message-sequence chart of a trace: processes as vertical lanes,
// rounds as horizontal bands top to bottom. In each band: the correct
// broadcasts (a badge on the sender's lane, on a dashed "to all" line), the
// Byzantine messages and the ones withheld (html-byz.ts), and the states
// after the round, each under the rule that fired (its text when the
// protocol is known, else its number) and with a marker where a process
// decides. Static SVG: readable without scripts, styled by html-style.ts.
// It scales to the page's width (viewBox, width 100%) between a minimum and
// a maximum scale; below the minimum the page scrolls sideways.

import { DECIDED } from '../ir/types';
import { byzantineRows } from './html-byz';
import { benignKind, crashMarks, faultyLaneSub, leaderFaultNote, withheldRows } from './html-faults';
import { chooseLanes, laneName, message, stateLines, tally, witnessesOf, type Lane } from './html-lanes';
import { firedRule, ruleLine, withheldMessages, type RuleBook, type RuleText } from './html-rules';
import { CHAR, LINE, MARGIN, RULE_CHAR, clip, esc, text, valueClass, type Ctx } from './html-svg';
import type { LocalState, RoundRecord, Trace, Val } from './model';

export { esc } from './html-svg';

const HEAD = 62;
const MAX_CHARS = 26;
/** Characters of a rule line a lane makes room for: fewer when there are many lanes. */
const RULE_CHARS = (lanes: number): number => (lanes <= 4 ? 40 : lanes <= 6 ? 30 : 22);
const HEAD_LINE = 12;
/** The natural width a chart is laid out to at least, and the widest a lane gets to reach it. */
const MIN_CHART_WIDTH = 900;
const MAX_SPREAD_GAP = 240;
/** The chart is shown between these scales of its natural size. */
const MIN_SCALE = 0.85;
const MAX_SCALE = 1.5;

function laneHeader(ctx: Ctx, lane: Lane, k: number, height: number): string {
  const kind = lane.faulty ? `faulty ${benignKind(ctx.trace) ?? ''}` : lane.byzantine ? 'byzantine' : 'correct';
  const cls = ['lane', kind, lane.group ? 'group' : '', lane.witness ? 'witness' : ''].filter((c) => c !== '').join(' ');
  const data = lane.group ? `data-processes="${lane.ids.join(',')}"` : `data-process="${lane.ids[0]}"`;
  const id = lane.ids[0]!;
  const plain = lane.group ? `${lane.ids.length} ${lane.byzantine ? 'Byzantine' : 'correct'}` : lane.byzantine ? 'Byzantine' : `input ${ctx.trace.inputs[id] ?? '?'}`;
  const sub = faultyLaneSub(ctx.trace, lane) ?? plain;
  const x = ctx.x[k]!;
  return [
    `<g class="${cls}" ${data}>`,
    `<line x1="${x}" y1="${HEAD - 6}" x2="${x}" y2="${ctx.crashY.get(k) ?? height - 8}" class="lane-line"/>`,
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

/** The lines above a state box: the rule that fired (its text, or its number), and the hover text. */
function ruleHead(ctx: Ctx, r: RoundRecord | null, i: number): { lines: string[]; title: string | undefined; fired: number | null } {
  if (r === null) return { lines: ['initial'], title: undefined, fired: null };
  const fired = r.fired[i] ?? null;
  if (fired === null) return { lines: ['no rule'], title: `p${i} fired no rule in round ${r.round}: its state is unchanged`, fired };
  const rule = firedRule(ctx.rules, r, fired);
  if (rule === undefined) return { lines: [`rule ${fired + 1}`], title: undefined, fired };
  return { lines: [`${rule.number}. ${rule.guard}`, `→ ${rule.actions}`], title: `p${i} fired rule ${rule.number} of round ${r.name}: ${ruleLine(rule)}`, fired };
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
      const head = ruleHead(ctx, r, e.i);
      return { head: head.lines, title: head.title, fired: head.fired, lines: stateLines(e.s), decided: decided.map((d) => d.s[DECIDED] ?? null), witness: witnessesHere.has(e.i), ids: [e.i] };
    }
    // one entry per distinct state: "3× v=1" then its other variables, indented
    const lines = tally(live.map((e) => stateLines(e.s).join('\n'))).flatMap((entry) => entry.split('\n').map((l, j) => (j === 0 ? l : `   ${l}`)));
    const crashedNow = new Set(r?.crashed ?? []);
    const crashing = crashedNow.size === 0 ? 0 : lane.ids.filter((i) => crashedNow.has(i)).length;
    if (crashing > 0) lines.push(`✕ ${crashing} crashed`);
    const rules = r === null ? [] : tally(live.map((e) => ruleHead(ctx, r, e.i).lines.join(' ')));
    const title = rules.length === 0 ? undefined : `rules fired: ${rules.join('; ')}`;
    return { head: [`${live.length} states`], title, fired: null, lines, decided: decided.map((d) => d.s[DECIDED] ?? null), witness: false, ids: lane.ids };
  });
  const rows = Math.max(1, ...boxes.map((b) => (b === null ? 0 : b.lines.length)));
  const headRows = Math.max(1, ...boxes.map((b) => (b === null ? 0 : b.head.length)));
  const boxW = ctx.gap - 14;
  const top = ctx.y + 13 + (headRows - 1) * HEAD_LINE;
  const ruleChars = Math.floor((boxW - 20) / RULE_CHAR);
  boxes.forEach((b, k) => {
    if (b === null) return;
    const x = ctx.x[k]!;
    const fired = b.fired === null ? '' : ` data-rule="${b.fired + 1}"`;
    const parts = [`<g class="state${b.witness ? ' witness-state' : ''}" data-processes="${b.ids.join(',')}" data-round="${r === null ? 0 : r.round}"${fired}>`];
    // with rule text the head lines read as code, left-aligned; a lone "rule 3" is centred
    const left = ctx.rules !== null;
    if (left) parts.push(`<rect x="${(x - boxW / 2).toFixed(1)}" y="${ctx.y}" width="${boxW}" height="${top - ctx.y - 1}" class="rule-bg"/>`); // hides the lane line behind the text
    b.head.forEach((line, j) =>
      parts.push(text(left ? x - boxW / 2 + 2 : x, ctx.y + 9 + j * HEAD_LINE, clip(line, left ? ruleChars : ctx.chars), j === 0 ? 'rule' : 'rule rule-actions', left ? 'start' : 'middle', b.title)),
    );
    parts.push(`<rect x="${(x - boxW / 2).toFixed(1)}" y="${top}" width="${boxW}" height="${b.lines.length * LINE + 6}" rx="4" class="state-box"/>`);
    b.lines.forEach((line, j) => parts.push(text(x - boxW / 2 + 6, top + (j + 1) * LINE, clip(line, ctx.chars), line.includes('decided=') ? 'state-line decided' : 'state-line', 'start', line)));
    if (b.decided.length > 0) {
      const value = b.decided.length === 1 ? String(b.decided[0]) : `${b.decided.length}`;
      const what = b.ids.length === 1 ? `p${b.ids[0]} decides ${b.decided[0]}` : `${b.decided.length} processes decide (${tally(b.decided.map(String)).join(', ')})`;
      parts.push(
        `<g class="decision" data-processes="${b.ids.join(',')}" data-value="${esc(b.decided.map(String).join(','))}"${r === null ? '' : ` data-round="${r.round}"`}>`,
        `<title>${esc(`${what}${r === null ? ' initially' : ` in round ${r.round}`}`)}</title>`,
        `<circle cx="${(x + boxW / 2 - 2).toFixed(1)}" cy="${top}" r="8" class="decision-mark"/>`,
        text(x + boxW / 2 - 2, top + 4, value, 'decision-text'),
        '</g>',
      );
    }
    parts.push('</g>');
    ctx.out.push(parts.join(''));
  });
  ctx.y = top - 13 + rows * LINE + 30;
}

/** The lane spacing: room for the longest state line or message, and for the rule lines. */
function laneGap(trace: Trace, lanes: readonly Lane[], rules: RuleBook | null): { gap: number; chars: number } {
  const all = [...trace.initial, ...trace.rounds.flatMap((r) => r.states)].filter((s): s is LocalState => s !== null);
  // a loop, not Math.max(...xs): one argument per state of the run would overflow the stack at large n
  let longest = 8;
  for (const s of all) for (const l of stateLines(s)) longest = Math.max(longest, l.length);
  for (const r of trace.rounds) for (const b of r.sent) longest = Math.max(longest, message(b.message, b.payload).length);
  const chars = Math.min(MAX_CHARS, longest + (lanes.some((l) => l.group) ? 3 : 0));
  let ruleLongest = 0;
  const seen = new Set<RuleText>();
  for (const r of trace.rounds) {
    for (const k of r.fired) {
      const rule = k === null ? undefined : firedRule(rules, r, k);
      if (rule === undefined || seen.has(rule)) continue;
      seen.add(rule);
      ruleLongest = Math.max(ruleLongest, `${rule.number}. ${rule.guard}`.length, `→ ${rule.actions}`.length);
    }
  }
  const ruleGap = Math.ceil(Math.min(RULE_CHARS(lanes.length), ruleLongest) * RULE_CHAR + 34);
  // few lanes are spread over a page-wide chart rather than scaled up: the text keeps its size
  const spread = Math.min(MAX_SPREAD_GAP, Math.floor((MIN_CHART_WIDTH - 2 * MARGIN) / lanes.length));
  const gap = Math.max(96, Math.ceil(chars * CHAR + 28), ruleGap, spread);
  // a lane made wider for the rules has room for longer state lines and labels too
  return { gap, chars: Math.max(chars, Math.floor((gap - 28) / CHAR)) };
}

export function traceChart(trace: Trace, rules: RuleBook | null): string {
  const lanes = chooseLanes(trace);
  const { gap, chars } = laneGap(trace, lanes, rules);
  const width = MARGIN * 2 + gap * lanes.length;
  const ctx: Ctx = { trace, rules, lanes, x: lanes.map((_, k) => MARGIN + gap * k + gap / 2), gap, width, chars, out: [], y: HEAD, crashY: new Map() };
  const witnessesAt = (round: number): Set<number> => new Set(trace.violations.filter((v) => v.round === round).flatMap(witnessesOf));

  bandHeader(ctx, 'initial states', 'band-initial');
  states(ctx, trace.initial, null, null, witnessesAt(0));
  let before: readonly (LocalState | null)[] = trace.initial;
  for (const r of trace.rounds) {
    const leader = `p${r.leader}${trace.byzantine.includes(r.leader) ? ' (Byzantine)' : leaderFaultNote(trace, r)}`;
    bandHeader(ctx, `round ${r.round} · phase ${r.phase} · ${r.name} · leader ${leader}`, 'band-round');
    broadcasts(ctx, r);
    byzantineRows(ctx, r, withheldMessages(trace, r, rules));
    withheldRows(ctx, r);
    const y = ctx.y;
    states(ctx, r.states, before, r, witnessesAt(r.round));
    crashMarks(ctx, r, y);
    before = r.states;
  }
  const height = ctx.y + 8;
  const defs = [
    '<defs>',
    '<marker id="byz-head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="byz-head"/></marker>',
    '<marker id="withheld-x" viewBox="0 0 10 10" refX="5" refY="5" markerWidth="11" markerHeight="11" markerUnits="userSpaceOnUse"><path d="M1,1 L9,9 M9,1 L1,9" class="withheld-x"/></marker>',
    '</defs>',
  ].join('');
  const label = `Message sequence chart of ${trace.protocol.name}: ${trace.n} processes, ${trace.rounds.length} rounds`;
  const size = `min-width: ${Math.ceil(width * MIN_SCALE)}px; max-width: ${Math.ceil(width * MAX_SCALE)}px`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="msc" width="100%" viewBox="0 0 ${width} ${height}" preserveAspectRatio="xMinYMin meet" style="${size}" role="img" aria-label="${esc(label)}">`,
    `<title>${esc(label)}</title>`,
    defs,
    ...lanes.map((lane, k) => laneHeader(ctx, lane, k, height)),
    ...ctx.out,
    '</svg>',
  ].join('\n');
}
