// Round bounds must make sense at a concrete instance: the static checker
// cannot see that `t - 2` is 0 at t = 2, so instances are checked here.
import { evalParamInt } from './eval';
import type { Protocol } from './types';

/** Why the protocol's round bounds are unusable at (n, t), or null. */
export function boundsProblem(p: Protocol, n: number, t: number, o?: number): string | null {
  const horizon = evalParamInt(p.horizon, n, t, o);
  const what = p.properties.termination === null ? 'the horizon' : 'the termination bound';
  if (horizon < 1) return `${what} is ${horizon} rounds at n = ${n}, t = ${t}${o === undefined ? '' : `, o = ${o}`}; it must be at least 1`;
  if (horizon > MAX_ROUNDS) return `${what} is ${horizon} rounds at n = ${n}, t = ${t}${o === undefined ? '' : `, o = ${o}`}; at most ${MAX_ROUNDS} are supported`;
  return null;
}

export const MAX_ROUNDS = 10000;
