// Which (n, t) instances a check runs on, and whether an instance is admissible.
import { evalParamExpr } from '../ir/eval';
import { boundsProblem } from '../ir/bounds';
import type { Protocol } from '../ir/types';

export interface NT {
  n: number;
  t: number;
}

/** Larger instances than this are pointless for a first check and slow for the process encoding. */
const SEARCH_LIMIT = 64;

/** The smallest n satisfying the resilience condition, for t = 1 and t = 2. */
export function defaultInstances(p: Protocol): NT[] {
  const out: NT[] = [];
  for (const t of [1, 2]) {
    for (let n = t + 1; n <= SEARCH_LIMIT; n++) {
      if (evalParamExpr(p.resilience, n, t) === true) {
        out.push({ n, t });
        break;
      }
    }
  }
  return out;
}

/** Why (n, t) cannot be checked, or null when it can. */
export function instanceProblem(p: Protocol, { n, t }: NT): string | null {
  if (!Number.isInteger(n) || !Number.isInteger(t) || t < 0 || n < 1) return `n:t = ${n}:${t}: n must be positive and t non-negative`;
  if (t >= n) return `n:t = ${n}:${t}: t must be smaller than n`;
  if (evalParamExpr(p.resilience, n, t) !== true) return `n:t = ${n}:${t} violates the resilience condition of ${p.name}`;
  return boundsProblem(p, n, t);
}
