// A self-contained HTML page for a trace: a header that states the violated
// property and its witnesses, the SVG message-sequence chart, a legend, the
// protocol's rules (when the protocol is given) and the text timeline.
// Inline CSS and SVG only: no scripts, fonts or other resources, so the file
// can be mailed or attached to an issue as it is.

import type { Protocol } from '../ir/types';
import { esc, traceChart } from './html-chart';
import { MAX_LANES, witnessesOf } from './html-lanes';
import { ruleBook, ruleLine, type RuleBook } from './html-rules';
import { benignKind, faultLegend } from './html-faults';
import { CSS, FAULT_CSS } from './html-style';
import { violationName, type Trace } from './model';
import { describeViolation, traceToText } from './text';

const proc = (i: number): string => `p${i}`;

function header(trace: Trace, file: string | undefined): string {
  const violated = trace.violations.length > 0;
  const title = violated ? `${[...new Set(trace.violations.map(violationName))].join(', ')} violated` : 'no claimed property violated';
  const lines = trace.violations.map((v) => {
    const name = v.property === 'user' ? ` data-name="${esc(v.name)}"` : '';
    const witnesses = witnessesOf(v);
    return `<p class="violation" data-property="${v.property}"${name}>${esc(describeViolation(v))}</p>\n<p class="witnesses">Witnesses: ${witnesses.length === 0 ? 'none' : witnesses.map(proc).join(', ')}</p>`;
  });
  const inputs = trace.inputs.map((x, i) => `${proc(i)}=${x === null ? 'byz' : x}`).join(' ');
  const facts: [string, string][] = [
    ['instance', `n=${trace.n} t=${trace.t}${trace.o === undefined ? '' : ` o=${trace.o}`}`],
    ...faultyFacts(trace),
    ...crashFacts(trace),
    ['inputs', inputs],
    ['rounds', String(trace.rounds.length)],
    ['protocol hash', trace.protocol.hash],
    ...(file === undefined ? [] : [['protocol file', file] as [string, string]]),
  ];
  return [
    `<header class="${violated ? 'violated' : 'clean'}">`,
    `<h1>${esc(trace.protocol.name)}: ${esc(title)}</h1>`,
    ...(violated ? lines : ['<p class="ok">No claimed property is violated in this run.</p>']),
    `<dl class="facts">${facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`,
    '</header>',
  ].join('\n');
}

/** Who is faulty: the Byzantine set, or the crash- or omission-faulty one; both in a hybrid trace. */
function faultyFacts(trace: Trace): [string, string][] {
  const kind = benignKind(trace);
  const byzantine: [string, string] = ['Byzantine', `{${trace.byzantine.map(proc).join(', ')}}`];
  if (kind === null) return [byzantine];
  const following: [string, string] = [`faulty (${kind})`, `{${(trace.faulty ?? []).map(proc).join(', ')}}`];
  return trace.faults === 'hybrid' ? [byzantine, following] : [following];
}

/** The crashes of a crash trace, by round: "round 1: p2, p3". */
function crashFacts(trace: Trace): [string, string][] {
  const rounds = trace.rounds.filter((r) => (r.crashed ?? []).length > 0);
  const list = (ids: readonly number[]): string => (ids.length > 12 ? `${ids.slice(0, 12).map(proc).join(', ')} and ${ids.length - 12} more` : ids.map(proc).join(', '));
  const shown = rounds.slice(0, 8).map((r) => `round ${r.round}: ${list(r.crashed ?? [])}`);
  if (rounds.length > 8) shown.push(`${rounds.length - 8} more rounds`);
  return shown.length === 0 ? [] : [['crashes', shown.join('; ')]];
}

const WITHHELD_KEY =
  '<svg class="key-svg" width="30" height="12" viewBox="0 0 30 12" aria-hidden="true"><line x1="1" y1="6" x2="23" y2="6" class="withheld-arrow"/><path d="M19,2 L27,10 M27,2 L19,10" class="withheld-x"/></svg>';

function legend(rules: boolean, trace: Trace): string {
  const faults = faultLegend(trace);
  const byzantine = [
    '<span><span class="key byz"></span>Byzantine message to one receiver</span>',
    `<span>${WITHHELD_KEY}withheld: a message the Byzantine sender could have sent this receiver and did not</span>`,
    '<span>✕ silent: a Byzantine sender that sends nothing at all this round</span>',
  ];
  return [
    '<div class="legend">',
    '<span><span class="key v0"></span>broadcast to all, payload 0</span>',
    '<span><span class="key v1"></span>payload 1</span>',
    ...(faults.length === 0 ? byzantine : trace.faults === 'hybrid' ? [...byzantine, ...faults] : faults),
    '<span><span class="key dec"></span>decision</span>',
    '<span>red box: a witness of the violation</span>',
    rules
      ? '<span>above each state: the rule that fired, guard then → actions (hover for the whole rule)</span>'
      : '<span>above each state: the number of the rule that fired (its text needs the protocol)</span>',
    '</div>',
  ].join('\n');
}

/** The protocol's rules per round, numbered as in the chart, with how often each fired in this run. */
function rulesSection(trace: Trace, book: RuleBook): string {
  const fired = new Map<string, number>();
  for (const r of trace.rounds) for (const k of r.fired) if (k !== null) fired.set(`${r.name}/${k}`, (fired.get(`${r.name}/${k}`) ?? 0) + 1);
  const lines = book.rounds.flatMap((round) => [
    `round ${round.name}`,
    ...round.rules.map((rule, k) => {
      const times = fired.get(`${round.name}/${k}`) ?? 0;
      return `  ${rule.number}. ${ruleLine(rule)}${times === 0 ? '' : `    (fired ${times}×)`}`;
    }),
  ]);
  return ['<h2>Rules</h2>', `<pre class="rules">${esc(lines.join('\n'))}</pre>`].join('\n');
}

/**
 * The page for a trace. With its protocol (`source`), the chart shows the
 * text of each rule that fired and the page lists the rules; without it,
 * rules are shown by number.
 */
export function traceToHtml(trace: Trace, source?: { protocol: Protocol; file?: string } | null): string {
  const { book, note } = ruleBook(trace, source?.protocol ?? null);
  const collapsed =
    trace.n > MAX_LANES ? `<p class="note">n = ${trace.n}: the ${benignKind(trace) === null ? 'Byzantine' : 'faulty'} processes, the witnesses and the lowest ids have lanes of their own; the other processes are summarized in group lanes (counts per state and message).</p>` : '';
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(`${trace.protocol.name} trace (n=${trace.n}, t=${trace.t})`)}</title>`,
    `<style>${CSS}${benignKind(trace) === null ? '' : FAULT_CSS}</style>`,
    '</head>',
    '<body>',
    header(trace, source?.file),
    '<h2>Message sequence chart</h2>',
    collapsed,
    note === null ? '' : `<p class="note mismatch">${esc(note)}</p>`,
    legend(book !== null, trace),
    `<div class="chart">\n${traceChart(trace, book)}\n</div>`,
    book === null ? '' : rulesSection(trace, book),
    '<h2>Timeline</h2>',
    `<pre class="timeline">${esc(traceToText(trace))}</pre>`,
    '</body>',
    '</html>',
    '',
  ]
    .filter((l) => l !== '')
    .join('\n')
    .concat('\n');
}
