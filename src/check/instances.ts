// Which (n, t) instances a check runs on, and whether an instance is admissible.
// Hybrid protocols (Byzantine and omission faults) have instances n:t:o.
import { evalParamExpr, evalParamInt } from '../ir/eval';
import { boundsProblem } from '../ir/bounds';
import type { Protocol } from '../ir/types';

export interface NT {
  n: number;
  t: number;
  /** the omission parameter: hybrid protocols only, required there */
  o?: number;
}

/** Larger instances than this are pointless for a first check and slow for the process encoding. */
const SEARCH_LIMIT = 64;

/** The (t, o) of a hybrid protocol's default instances: each kind alone, then both. */
const HYBRID_DEFAULT_TO: readonly [number, number][] = [
  [1, 0],
  [0, 1],
  [1, 1],
];

/** The smallest n satisfying the resilience condition, for t = 1 and t = 2 (hybrid: for (t, o) = (1, 0), (0, 1), (1, 1)). */
export function defaultInstances(p: Protocol): NT[] {
  const out: NT[] = [];
  if (p.faults.kind === 'hybrid') {
    for (const [t, o] of HYBRID_DEFAULT_TO) {
      for (let n = t + o + 1; n <= SEARCH_LIMIT; n++) {
        if (evalParamExpr(p.resilience, n, t, o) === true) {
          out.push({ n, t, o });
          break;
        }
      }
    }
    return out;
  }
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

/**
 * Rounds one SMT query may unroll. Measured (`node` on encodeCounter, Phase
 * King at 5:1): the counter encoding is about 18 kB of SMT-LIB per round
 * (1.6 MB at 100 rounds, 18 MB at 1000, 56 MB and 1.3 GB of memory at 3000),
 * and the WebAssembly Z3 takes at most 16 MB of text (its 20 MB stack holds
 * the script: beyond it, it traps). 500 rounds stay below that for the library's
 * protocols at small n; a larger query is still answered unknown, with the reason.
 */
export const MAX_QUERY_ROUNDS = 500;

/**
 * Largest n checked. The encodings fold n and t with literals (at most
 * 10^6, see MAX_LITERAL in the lexer) into numerals, which must stay exact
 * doubles (below 2^53): 10^9 leaves room for sums of several such products.
 */
export const MAX_CHECK_N = 1_000_000_000;

/** The instance as the user writes it: n:t, or n:t:o. */
function nameOf({ n, t, o }: NT): string {
  return o === undefined ? `n:t = ${n}:${t}` : `n:t:o = ${n}:${t}:${o}`;
}

/** Why (n, t) (hybrid: (n, t, o)) cannot be checked, or null when it can. */
export function instanceProblem(p: Protocol, inst: NT): string | null {
  const { n, t, o } = inst;
  if (p.faults.kind === 'hybrid') {
    if (o === undefined) return `n:t = ${n}:${t}: ${p.name} has hybrid faults (Byzantine and omission): give n:t:o, o the omission bound`;
    const at = nameOf(inst);
    if (!Number.isSafeInteger(n) || !Number.isSafeInteger(t) || !Number.isSafeInteger(o) || t < 0 || o < 0 || n < 1) return `${at}: n must be positive, t and o non-negative`;
    if (n > MAX_CHECK_N) return `${at}: n must be at most ${MAX_CHECK_N}`;
    if (t + o >= n) return `${at}: t + o must be smaller than n`;
    if (evalParamExpr(p.resilience, n, t, o) !== true) return `${at} violates the resilience condition of ${p.name}`;
    return boundsProblem(p, n, t, o) ?? queryRoundsProblem(p, n, t, o);
  }
  if (o !== undefined) return `${nameOf(inst)}: ${p.name} has no hybrid faults, so there is no parameter o (give n:t)`;
  if (!Number.isSafeInteger(n) || !Number.isSafeInteger(t) || t < 0 || n < 1) return `n:t = ${n}:${t}: n must be positive and t non-negative`;
  if (n > MAX_CHECK_N) return `n:t = ${n}:${t}: n must be at most ${MAX_CHECK_N}`;
  if (t >= n) return `n:t = ${n}:${t}: t must be smaller than n`;
  if (evalParamExpr(p.resilience, n, t) !== true) return `n:t = ${n}:${t} violates the resilience condition of ${p.name}`;
  return boundsProblem(p, n, t) ?? queryRoundsProblem(p, n, t);
}

/** The round bound (the horizon, which is the termination bound when one is claimed) must fit one query. */
function queryRoundsProblem(p: Protocol, n: number, t: number, o?: number): string | null {
  const rounds = evalParamInt(p.horizon, n, t, o);
  if (rounds <= MAX_QUERY_ROUNDS) return null;
  const what = p.properties.termination === null ? 'the horizon' : 'the termination bound';
  return `${what} is ${rounds} rounds at n = ${n}, t = ${t}${o === undefined ? '' : `, o = ${o}`}; one SMT query unrolls at most ${MAX_QUERY_ROUNDS} rounds (check a smaller instance or claim a smaller bound)`;
}

/**
 * The process encoding has a variable per process and round and a term per
 * pair of processes and round: its text grows with n^2 x rounds. Measured
 * (bytes per n^2 x round): 240 for quorum-vote, 580 for phase-king, 1600 for
 * phase-king-3round; phase-king at 100:3 (8 rounds) is 45 MB, past what the
 * WebAssembly Z3 takes (16 MB), and at n = 1000 the encoding alone would need
 * gigabytes. Beyond this bound the query is refused up front; below it, a
 * query that is still too large is answered unknown with its size.
 */
export const MAX_PROCESS_CELLS = 50_000;

/** Why the process engine cannot take (n, t), or null: call after instanceProblem, for --engine process only. */
export function processProblem(p: Protocol, inst: NT): string | null {
  const { n, t, o } = inst;
  const rounds = evalParamInt(p.horizon, n, t, o);
  const cells = n * n * rounds;
  if (cells <= MAX_PROCESS_CELLS) return null;
  const counter = p.faults.kind === 'hybrid' ? 'check a smaller instance (the counter engine does not model hybrid faults)' : 'use the counter engine, whose size does not grow with n';
  return `${nameOf(inst)}: the process engine's query grows with n^2 x rounds (${n}^2 x ${rounds} = ${cells}, at most ${MAX_PROCESS_CELLS}); ${counter}`;
}
