// A compact, readable round-by-round timeline of a trace.
import { DECIDED } from '../ir/types';
import { LocalState, RoundRecord, Trace, Val, Violation } from './model';

const show = (v: Val): string => (v === null ? 'none' : String(v));
const proc = (i: number): string => `p${i}`;

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
      return `termination violated: after round ${v.round}, ${v.processes.map(proc).join(', ')} ${v.processes.length === 1 ? 'has' : 'have'} not decided`;
  }
}

function roundLines(r: RoundRecord, trace: Trace): string[] {
  const lines = [`round ${r.round}  (phase ${r.phase}, ${r.name}, leader ${proc(r.leader)}${trace.byzantine.includes(r.leader) ? ' BYZANTINE' : ''})`];
  if (r.sent.length > 0) lines.push(`  sent  ${r.sent.map((b) => `${proc(b.from)}:${message(b.message, b.payload)}`).join('  ')}`);
  const byReceiver = new Map<number, string[]>();
  for (const m of r.byzantine) {
    const list = byReceiver.get(m.to) ?? [];
    list.push(`${proc(m.from)}:${message(m.message, m.payload)}`);
    byReceiver.set(m.to, list);
  }
  for (const [to, list] of [...byReceiver.entries()].sort((a, b) => a[0] - b[0])) lines.push(`  byz -> ${proc(to)}  ${list.join('  ')}`);
  r.states.forEach((state, i) => {
    if (state === null) return;
    const fired = r.fired[i];
    lines.push(`  ${proc(i).padEnd(4)} ${fired === null || fired === undefined ? 'no rule ' : `rule ${fired + 1}  `.padEnd(8)} ${showState(state)}`);
  });
  return lines;
}

export function traceToText(trace: Trace): string {
  const inputs = trace.inputs.map((input, i) => `${proc(i)}=${input === null ? 'byz' : input}`).join(' ');
  const lines = [
    `${trace.protocol.name}  n=${trace.n} t=${trace.t}  Byzantine {${trace.byzantine.map(proc).join(', ')}}  hash ${trace.protocol.hash.slice(0, 12)}`,
    `inputs  ${inputs}`,
  ];
  for (const r of trace.rounds) lines.push(...roundLines(r, trace));
  lines.push(trace.violations.length === 0 ? 'no claimed property violated' : trace.violations.map(describeViolation).join('\n'));
  return lines.join('\n') + '\n';
}
