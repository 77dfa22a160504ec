// Does a (well-formed) trace fit a protocol's declarations: every local state
// has exactly the declared variables with values of their types, and every
// message is declared and carries a payload of its type? The ITF export
// writes values by declared type, and replay compares states, so a trace that
// does not fit is reported as malformed before either runs.

import { DECIDED, unreachable, type Protocol, type Type } from '../ir/types';
import type { LocalState, Trace, Val } from './model';

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

/** Human-readable problems, at most `limit`; empty when the trace fits. */
export function conformanceProblems(trace: Trace, protocol: Protocol, limit = 10): string[] {
  const problems: string[] = [];
  const add = (p: string): void => {
    if (problems.length < limit) problems.push(p);
  };
  const types = new Map<string, Type>(protocol.vars.map((d) => [d.name, d.type]));
  types.set(DECIDED, { kind: 'optvalue' });
  const checkState = (state: LocalState | null, where: string): void => {
    if (state === null) return;
    for (const [name, type] of types) {
      if (!(name in state)) add(`${where}: variable \`${name}\` is missing`);
      else if (!fits(state[name]!, type, protocol.values)) add(`${where}: \`${name}\` is ${JSON.stringify(state[name])}, expected ${typeName(type, protocol.values)}`);
    }
    for (const name of Object.keys(state)) if (!types.has(name)) add(`${where}: \`${name}\` is not a variable of ${protocol.name}`);
  };
  const checkMessage = (message: string, payload: Val, where: string): void => {
    const decl = protocol.messages.find((m) => m.name === message);
    if (decl === undefined) add(`${where}: ${message} is not a message of ${protocol.name}`);
    else if (decl.payload === null ? payload !== null : !fits(payload, decl.payload, protocol.values)) {
      add(`${where}: ${message} carries ${JSON.stringify(payload)}, expected ${typeName(decl.payload, protocol.values)}`);
    }
  };
  trace.initial.forEach((s, i) => checkState(s, `initial state of p${i}`));
  for (const r of trace.rounds) {
    r.states.forEach((s, i) => checkState(s, `round ${r.round}, state of p${i}`));
    r.sent.forEach((b) => checkMessage(b.message, b.payload, `round ${r.round}, broadcast of p${b.from}`));
    r.byzantine.forEach((m) => checkMessage(m.message, m.payload, `round ${r.round}, Byzantine message p${m.from} -> p${m.to}`));
  }
  return problems;
}
