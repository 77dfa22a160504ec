// Shared pieces of the HTML chart: escaping, SVG text, the chart's drawing
// context and its metrics (in viewBox units, which are CSS pixels when the
// chart is shown at its natural width).

import type { Lane } from './html-lanes';
import type { RuleBook } from './html-rules';
import type { Trace, Val } from './model';

/** Width of one character of the 11px monospace font. */
export const CHAR = 6.7;
/** Width of one character of the 10px monospace font of the rule lines. */
export const RULE_CHAR = 6.05;
export const LINE = 13;
export const MARGIN = 16;

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export const clip = (s: string, max: number): string => (s.length <= max ? s : `${s.slice(0, Math.max(1, max) - 1)}…`);

/** A CSS class per payload, so each value has its colour (v0, v1, ...; vnone, vtrue, vfalse). */
export function valueClass(v: Val): string {
  return v === null ? 'vnone' : typeof v === 'boolean' ? `v${v}` : `v${Math.min(v, 5)}`;
}

export function text(x: number, y: number, body: string, cls: string, anchor = 'middle', title?: string): string {
  const t = title === undefined ? '' : `<title>${esc(title)}</title>`;
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" class="${cls}" text-anchor="${anchor}">${t}${esc(body)}</text>`;
}

/** The chart being drawn: lanes and their x positions, the output so far and the current y. */
export interface Ctx {
  trace: Trace;
  /** the rules' text, when the trace's protocol is known. */
  rules: RuleBook | null;
  lanes: Lane[];
  x: number[];
  gap: number;
  width: number;
  /** characters of a state line or message label that fit a lane. */
  chars: number;
  out: string[];
  y: number;
  /** lane index -> the y where its line ends: the crash marker of a crashed process. */
  crashY: Map<number, number>;
}
