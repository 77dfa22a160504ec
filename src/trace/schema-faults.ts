// The semantic rules of a trace's faults (docs/semantics.md sections 1.6 and
// 1.7) that a schema cannot state: who is faulty and of which kind, which
// processes have inputs and states (every process but the Byzantine ones and,
// after their crash, the crashed ones), that only faulty processes crash
// (once) or have messages withheld, and that a withheld message was sent.
// A hybrid trace (section 1.9) has both a Byzantine set (`byzantine`) and a
// disjoint omission-faulty one (`faulty`), and the omission bound `o`; only
// its omission-faulty processes have messages withheld, only its Byzantine
// ones send Byzantine messages.
// Each problem is reported at the offending node; schema.ts calls this.

import type { Path } from '../util/json-locate';
import type { FaultKind, Trace } from './model';

type TraceFaults = FaultKind | 'hybrid';

type Add = (path: Path, message: string) => void;

const proc = (i: number): string => `p${i}`;

/** The fault kind of a trace: a trace without `faults` is a Byzantine one. */
export const faultKind = (trace: Trace): TraceFaults => trace.faults ?? 'byzantine';

function ascending(ids: readonly number[], n: number, path: Path, what: string, add: Add): void {
  ids.forEach((id, k) => {
    if (id >= n) add([...path, k], `process ${id} is out of range 0..${n - 1} (n = ${n})`);
    else if (k > 0 && id <= ids[k - 1]!) add([...path, k], `the ${what} ids must be strictly ascending`);
  });
}

/** Who is faulty, and the inputs and initial states that follows from it. */
function faultySets(trace: Trace, add: Add): void {
  const kind = faultKind(trace);
  const faulty = trace.faulty ?? [];
  ascending(faulty, trace.n, ['faulty'], 'faulty', add);
  if (kind === 'byzantine' && faulty.length > 0) add(['faulty'], 'a Byzantine trace lists its faulty processes in `byzantine`: `faulty` is for crash and omission faults');
  if (kind !== 'byzantine' && kind !== 'hybrid' && trace.byzantine.length > 0) add(['byzantine'], `a ${kind} trace has no Byzantine processes: its faulty processes are in \`faulty\``);
  if (kind === 'hybrid') {
    if (trace.o === undefined) add(['faults'], 'a hybrid trace needs its omission bound `o`');
    const byzSet = new Set(trace.byzantine);
    faulty.forEach((i, k) => {
      if (byzSet.has(i)) add(['faulty', k], `${proc(i)} is Byzantine: it cannot be omission-faulty too (\`faulty\` lists the omission-faulty processes of a hybrid trace)`);
    });
  } else if (trace.o !== undefined) add(['o'], `only a hybrid trace has the omission bound o, and this is a ${kind} trace`);
  const byz = new Set(trace.byzantine);
  trace.inputs.forEach((x, i) => {
    if (byz.has(i) && x !== null) add(['inputs', i], `${proc(i)} is Byzantine: its input must be null`);
    if (!byz.has(i) && x === null) add(['inputs', i], `${proc(i)} is not Byzantine: it needs an input`);
  });
  trace.initial.forEach((s, i) => {
    if (byz.has(i) && s !== null) add(['initial', i], `${proc(i)} is Byzantine: its initial state must be null`);
    if (!byz.has(i) && s === null) add(['initial', i], `${proc(i)} is not Byzantine: it needs an initial state`);
  });
}

/** Crashes, withheld messages, and which states are null, round by round. */
function rounds(trace: Trace, add: Add): void {
  const kind = faultKind(trace);
  const faulty = new Set(trace.faulty ?? []);
  const byz = new Set(trace.byzantine);
  /** process -> the round it crashed in */
  const crashedIn = new Map<number, number>();
  trace.rounds.forEach((r, k) => {
    const at = (...rest: Path): Path => ['rounds', k, ...rest];
    const crashed = r.crashed ?? [];
    if (crashed.length > 0 && kind !== 'crash') add(at('crashed'), `only crash-faulty processes crash, and this is a ${kind} trace`);
    ascending(crashed, trace.n, at('crashed'), 'crashed', add);
    crashed.forEach((i, j) => {
      if (kind === 'crash' && !faulty.has(i)) add(at('crashed', j), `${proc(i)} crashes, but it is not faulty (faulty: ${[...faulty].map(proc).join(', ') || 'none'})`);
      const before = crashedIn.get(i);
      if (before !== undefined) add(at('crashed', j), `${proc(i)} crashes twice: it crashed in round ${before} already`);
    });
    for (const i of crashed) if (!crashedIn.has(i)) crashedIn.set(i, r.round);
    const crashesNow = new Set(crashed);
    const withheld = r.withheld ?? [];
    if (withheld.length > 0 && kind === 'byzantine') add(at('withheld'), 'a Byzantine process withholds a message by not sending it: `withheld` is for crash and omission faults');
    const seen = new Set<string>();
    const sentKeys = new Set(r.sent.map((b) => `${b.from}/${b.message}`));
    if (kind === 'hybrid') {
      r.byzantine.forEach((m, j) => {
        if (m.from < trace.n && !byz.has(m.from)) add(at('byzantine', j, 'from'), `${proc(m.from)} is not Byzantine: ${faulty.has(m.from) ? 'it is omission-faulty, so it follows the protocol and its messages can only be withheld' : 'it follows the protocol'}`);
      });
    }
    withheld.forEach((w, j) => {
      if (w.from >= trace.n) add(at('withheld', j, 'from'), `process ${w.from} is out of range 0..${trace.n - 1} (n = ${trace.n})`);
      if (w.to >= trace.n) add(at('withheld', j, 'to'), `process ${w.to} is out of range 0..${trace.n - 1} (n = ${trace.n})`);
      if (kind === 'byzantine') return;
      const key = `${w.from}/${w.to}/${w.message}`;
      if (seen.has(key)) add(at('withheld', j), `${w.message} of ${proc(w.from)} is withheld from ${proc(w.to)} twice`);
      seen.add(key);
      if (byz.has(w.from)) add(at('withheld', j, 'from'), `${proc(w.from)} is Byzantine: it withholds a message by not sending it, and \`withheld\` is for its omission-faulty processes`);
      else if (!faulty.has(w.from)) add(at('withheld', j, 'from'), `${proc(w.from)} is not faulty: its messages reach every receiver`);
      else if (kind === 'crash' && !crashesNow.has(w.from)) add(at('withheld', j, 'from'), `${proc(w.from)} is crash-faulty: its messages are withheld only in the round it crashes, not in round ${r.round}`);
      if (!sentKeys.has(`${w.from}/${w.message}`)) add(at('withheld', j, 'message'), `${proc(w.from)} did not send ${w.message} in round ${r.round}: only a message sent can be withheld`);
    });
    r.sent.forEach((b, j) => {
      const when = crashedIn.get(b.from);
      if (when !== undefined && when < r.round) add(at('sent', j, 'from'), `${proc(b.from)} crashed in round ${when}: it sends nothing afterwards`);
    });
    r.states.forEach((s, i) => {
      const when = crashedIn.get(i);
      if (byz.has(i) && s !== null) add(at('states', i), `${proc(i)} is Byzantine: its state must be null`);
      else if (when !== undefined && s !== null) add(at('states', i), `${proc(i)} crashed in round ${when}: its state must be null`);
      else if (!byz.has(i) && when === undefined && s === null) add(at('states', i), `${proc(i)} is neither Byzantine nor crashed: it needs a state`);
    });
    r.fired.forEach((f, i) => {
      if (f !== null && crashedIn.has(i)) add(at('fired', i), `${proc(i)} has crashed (round ${crashedIn.get(i)}): it fires no rule`);
    });
  });
}

/** The fault rules of a schema-valid trace. */
export function faultIssues(trace: Trace, add: Add): void {
  faultySets(trace, add);
  rounds(trace, add);
}
