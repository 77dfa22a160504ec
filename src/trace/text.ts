// A compact, readable round-by-round timeline of a trace.
import { DECIDED } from '../ir/types';
import { LocalState, RoundRecord, Trace, Val, Violation } from './model';
import { crashLines, faultyHeader, leaderNote, paramsNote, stateNote, withheldLines } from './text-faults';

const show = (v: Val): string => (v === null ? 'none' : String(v));
const proc = (i: number): string => `p${i}`;

/** Names shown in one list before the rest is counted: a list of every process of a large instance is unreadable. */
const LIST_LIMIT = 20;

function procList(ids: readonly number[]): string {
  const shown = ids.slice(0, LIST_LIMIT).map(proc).join(', ');
  return ids.length <= LIST_LIMIT ? shown : `${shown} and ${ids.length - LIST_LIMIT} more`;
}

function showState(state: LocalState): string {
  const vars = Object.entries(state).filter(([k]) => k !== DECIDED);
  const decided = state[DECIDED] ?? null;
  const text = vars.map(([k, v]) => `${k}=${show(v)}`).join(' ');
  return decided === null ? text : `${text}  DECIDED ${show(decided)}`;
}

function message(name: string, payload: Val): string {
  return payload === null ? name : `${name}(${show(payload)})`;
}

export function describeViolation(v: Violation): string {
  switch (v.property) {
    case 'agreement':
      return `agreement violated in round ${v.round}: ${proc(v.processes[0])} decided ${v.values[0]}, ${proc(v.processes[1])} decided ${v.values[1]}`;
    case 'validity':
      return `validity violated in round ${v.round}: every correct input is ${v.input}, but ${proc(v.process)} decided ${v.value}`;
    case 'termination':
      return `termination violated: after round ${v.round}, ${procList(v.processes)} ${v.processes.length === 1 ? 'has' : 'have'} not decided`;
    case 'user': {
      const when = v.round === 0 ? 'in the initial states' : `at the end of round ${v.round}`;
      const witnesses = v.processes.length === 0 ? 'no witnesses' : `${v.processes.length === 1 ? 'witness' : 'witnesses'} ${procList(v.processes)}`;
      return `property ${v.name} violated ${when}: ${witnesses}`;
    }
  }
}

function roundLines(r: RoundRecord, trace: Trace): string[] {
  const lines = [`round ${r.round}  (phase ${r.phase}, ${r.name}, leader ${proc(r.leader)}${leaderNote(trace, r)})`];
  if (r.sent.length > 0) lines.push(`  sent  ${r.sent.map((b) => `${proc(b.from)}:${message(b.message, b.payload)}`).join('  ')}`);
  for (const line of crashLines(r, procList)) lines.push(line);
  for (const line of withheldLines(r, procList)) lines.push(line);
  const byReceiver = new Map<number, string[]>();
  for (const m of r.byzantine) {
    const list = byReceiver.get(m.to) ?? [];
    list.push(`${proc(m.from)}:${message(m.message, m.payload)}`);
    byReceiver.set(m.to, list);
  }
  for (const [to, list] of [...byReceiver.entries()].sort((a, b) => a[0] - b[0])) lines.push(`  byz -> ${proc(to)}  ${list.join('  ')}`);
  r.states.forEach((state, i) => {
    if (state === null) {
      // a crashed process is shown (a Byzantine one has no state to show)
      if (!trace.byzantine.includes(i)) lines.push(`  ${proc(i).padEnd(4)} crashed`);
      return;
    }
    const fired = r.fired[i];
    lines.push(`  ${proc(i).padEnd(4)} ${fired === null || fired === undefined ? 'no rule ' : `rule ${fired + 1}  `.padEnd(8)} ${showState(state)}${stateNote(trace, i)}`);
  });
  return lines;
}

/**
 * Beyond this many local states (processes x rounds) a timeline is megabytes
 * that nobody reads (about 75 bytes a state: 15 MB here); the text then says
 * so and keeps the header and the violations, so a verdict printed after it
 * is never lost. JSON and ITF carry the whole trace.
 */
export const MAX_TEXT_STATES = 200_000;

/** Why the timeline of this trace is not printed, or null when it is. */
export function textTooLarge(trace: Trace): string | null {
  const states = trace.n * (trace.rounds.length + 1);
  if (states <= MAX_TEXT_STATES) return null;
  return `(timeline not shown: ${trace.n} processes x ${trace.rounds.length + 1} states = ${states} local states, more than the ${MAX_TEXT_STATES} a text timeline shows; write the trace as JSON or ITF instead)`;
}

export function traceToText(trace: Trace): string {
  const tooLarge = textTooLarge(trace);
  const faulty = faultyHeader(trace, procList);
  const lines = [`${trace.protocol.name}  n=${trace.n} t=${trace.t}${paramsNote(trace)}  ${faulty ?? `Byzantine {${procList(trace.byzantine)}}`}  hash ${trace.protocol.hash.slice(0, 12)}`];
  if (tooLarge !== null) lines.push(tooLarge);
  else {
    lines.push(`inputs  ${trace.inputs.map((input, i) => `${proc(i)}=${input === null ? 'byz' : input}`).join(' ')}`);
    // one line at a time: spreading a round's lines into push() puts every one on the stack
    for (const r of trace.rounds) for (const line of roundLines(r, trace)) lines.push(line);
  }
  lines.push(trace.violations.length === 0 ? 'no claimed property violated' : trace.violations.map(describeViolation).join('\n'));
  return lines.join('\n') + '\n';
}
