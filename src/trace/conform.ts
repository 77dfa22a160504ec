// Does a (well-formed) trace fit a protocol's declarations: every local state
// has exactly the declared variables with values of their types, and every
// message is declared and carries a payload of its type? The ITF export
// writes values by declared type, and replay compares states, so a trace that
// does not fit is reported as malformed before either runs. So is a round
// that is not the protocol's round at that position, or a fired rule index
// beyond that round's rules: no run of the protocol records either.
// Each problem carries its path in the Trace model, which the reader turns
// into file:line:col.

import { DECIDED, unreachable, type Protocol, type Type } from '../ir/types';
import type { LocalState, Trace, Val } from './model';
import type { Path, TraceIssue } from './schema';

function fits(v: Val, type: Type, values: number): boolean {
  const isValue = (x: Val): boolean => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x < values;
  switch (type.kind) {
    case 'value':
      return isValue(v);
    case 'optvalue':
      return v === null || isValue(v);
    case 'bool':
      return typeof v === 'boolean';
    default:
      return unreachable(type);
  }
}

function typeName(type: Type | null, values: number): string {
  if (type === null) return 'no payload (null)';
  switch (type.kind) {
    case 'value':
      return `a value 0..${values - 1}`;
    case 'optvalue':
      return `a value 0..${values - 1} or null`;
    case 'bool':
      return 'true or false';
    default:
      return unreachable(type);
  }
}

/** Problems with their paths in the trace, at most `limit`; empty when the trace fits. */
export function conformanceProblems(trace: Trace, protocol: Protocol, limit = 10): TraceIssue[] {
  const problems: TraceIssue[] = [];
  const add = (path: Path, message: string): void => {
    if (problems.length < limit) problems.push({ path, message });
  };
  const types = new Map<string, Type>(protocol.vars.map((d) => [d.name, d.type]));
  types.set(DECIDED, { kind: 'optvalue' });
  const checkState = (state: LocalState | null, path: Path, where: string): void => {
    if (state === null) return;
    for (const [name, type] of types) {
      if (!(name in state)) add(path, `${where}: variable \`${name}\` is missing`);
      else if (!fits(state[name]!, type, protocol.values)) add([...path, name], `${where}: \`${name}\` is ${JSON.stringify(state[name])}, expected ${typeName(type, protocol.values)}`);
    }
    for (const name of Object.keys(state)) if (!types.has(name)) add([...path, name], `${where}: \`${name}\` is not a variable of ${protocol.name}`);
  };
  const checkMessage = (message: string, payload: Val, path: Path, where: string): void => {
    const decl = protocol.messages.find((m) => m.name === message);
    if (decl === undefined) add([...path, 'message'], `${where}: ${message} is not a message of ${protocol.name}`);
    else if (decl.payload === null ? payload !== null : !fits(payload, decl.payload, protocol.values)) {
      add([...path, 'payload'], `${where}: ${message} carries ${JSON.stringify(payload)}, expected ${typeName(decl.payload, protocol.values)}`);
    }
  };
  trace.initial.forEach((s, i) => checkState(s, ['initial', i], `initial state of p${i}`));
  trace.rounds.forEach((r, k) => {
    const at = (...rest: Path): Path => ['rounds', k, ...rest];
    checkRoundShape(trace, protocol, k, add);
    r.states.forEach((s, i) => checkState(s, at('states', i), `round ${r.round}, state of p${i}`));
    r.sent.forEach((b, j) => checkMessage(b.message, b.payload, at('sent', j), `round ${r.round}, broadcast of p${b.from}`));
    r.byzantine.forEach((m, j) => checkMessage(m.message, m.payload, at('byzantine', j), `round ${r.round}, Byzantine message p${m.from} -> p${m.to}`));
  });
  return problems;
}

/** The k-th recorded round must be the protocol's round at that position, and its fired indices that round's rules. */
function checkRoundShape(trace: Trace, protocol: Protocol, k: number, add: (path: Path, message: string) => void): void {
  const r = trace.rounds[k]!;
  if (protocol.rounds.length === 0) return;
  // rounds repeat phase after phase: round R is the ((R - 1) mod |rounds|)-th of its phase
  const expected = protocol.rounds[(r.round - 1) % protocol.rounds.length]!;
  if (r.name !== expected.name) add(['rounds', k, 'name'], `round ${r.round} is \`${r.name}\`, but round ${r.round} of ${protocol.name} is \`${expected.name}\``);
  r.fired.forEach((rule, i) => {
    if (rule !== null && rule >= expected.rules.length) {
      const rules = `${expected.rules.length} rule${expected.rules.length === 1 ? '' : 's'}`;
      add(['rounds', k, 'fired', i], `round ${r.round}: p${i} fired rule ${rule + 1}, but round \`${expected.name}\` has ${rules}`);
    }
  });
}
