// The ITF encoding of crash and omission faults (docs/semantics.md section
// 1.7), beside itf.ts. A trace with `faults` gets the param `faults` (the
// kind, a string) and reads the param `faulty` as the faulty set of that
// kind: the Byzantine processes for `byzantine`, `Trace.faulty` for crash and
// omission. Crash traces get the var `crashed` (the processes that crash in
// the round), crash and omission traces the var `withheld` (the messages kept
// from a receiver: {from, to, message}). A trace without `faults` is written
// exactly as before they existed, so its ITF does not change.
//
// What ITF cannot tell apart is read back in one form (read-itf.ts), the one
// the simulator writes (src/sim/simulate.ts): `crashed` in every round of a
// crash trace and `withheld` in every round of a crash or omission trace,
// empty or not, and `faulty` present. A trace that leaves out an empty one
// reads back with it.
//
// A hybrid trace (section 1.9) gets the params `o` (its omission bound),
// `faults` ("hybrid"), `faulty` (every faulty process: the Byzantine and the
// omission-faulty ones) and `omissionFaulty` (the omission-faulty ones, who
// have inputs and states), and the var `withheld` (their withheld messages);
// its Byzantine messages are in `byzantine` as in any trace. read-itf.ts
// reads the Byzantine set back as `faulty` minus `omissionFaulty`.

import type { ItfBigint, ItfRecord, ItfSet } from './itf';
import type { RoundRecord, Trace } from './model';

const bigint = (k: number) => ({ '#bigint': String(k) });

/** The params of a trace's faults, in the order they are written (before `inputs`). */
export function faultParams(trace: Trace): { names: string[]; values: Record<string, string | ItfSet | ItfBigint> } {
  const kind = trace.faults;
  if (kind === 'hybrid') {
    const omission = trace.faulty ?? [];
    const all = [...trace.byzantine, ...omission].sort((a, b) => a - b);
    return {
      names: ['o', 'faults', 'faulty', 'omissionFaulty'],
      values: { o: bigint(trace.o ?? 0), faults: kind, faulty: { '#set': all.map(bigint) }, omissionFaulty: { '#set': omission.map(bigint) } },
    };
  }
  const ids = kind === undefined || kind === 'byzantine' ? trace.byzantine : (trace.faulty ?? []);
  const faulty: ItfSet = { '#set': ids.map(bigint) };
  return kind === undefined ? { names: ['faulty'], values: { faulty } } : { names: ['faults', 'faulty'], values: { faults: kind, faulty } };
}

/** The vars of a trace's faults, after the others. */
export function faultVarNames(trace: Trace): string[] {
  switch (trace.faults) {
    case 'crash':
      return ['crashed', 'withheld'];
    case 'omission':
    case 'hybrid':
      return ['withheld'];
    default:
      return [];
  }
}

/** The values of those vars in the state after round `r` (none in the initial state). */
export function faultVars(trace: Trace, r: RoundRecord | null): ItfRecord {
  const out: ItfRecord = {};
  for (const name of faultVarNames(trace)) {
    if (name === 'crashed') out[name] = { '#set': (r?.crashed ?? []).map(bigint) };
    else out[name] = { '#set': (r?.withheld ?? []).map((w) => ({ from: bigint(w.from), to: bigint(w.to), message: w.message })) };
  }
  return out;
}

/** Their types in Apalache's syntax, for `#meta.varTypes`. */
export function faultVarTypes(trace: Trace): Record<string, string> {
  const out: Record<string, string> = trace.faults === undefined ? {} : trace.faults === 'hybrid' ? { o: 'Int', faults: 'Str', omissionFaulty: 'Set(Int)' } : { faults: 'Str' };
  for (const name of faultVarNames(trace)) out[name] = name === 'crashed' ? 'Set(Int)' : 'Set({ from: Int, to: Int, message: Str })';
  return out;
}
