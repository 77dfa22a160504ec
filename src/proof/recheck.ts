// `bftsynth proof check`: regenerates every proof query from the protocol
// (./regenerate.ts), refuses a directory that does not hold exactly those or
// does not prove every claim, then re-runs each query and says whether it is
// still unsat, with the WebAssembly Z3 the tool uses and, where installed,
// Debian's native z3 and cvc5 (an independent build and an independent solver).
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { protocolHash } from '../ir/hash';
import type { Protocol } from '../ir/types';
import { NativeRun, NativeSolver, nativeSolverVersion, runNativeSolver } from '../smt/native';
import { solve } from '../smt/z3';
import { readJson } from '../util/json-read';
import { Result, fail, ok } from '../util/result';
import { MANIFEST, ProofManifest, ProofQuery, manifestSchema } from './manifest';
import { coverageProblems, regenerateQuery } from './regenerate';
import { scriptOf, sha256 } from './write';

export type RunStatus = NativeRun['status'] | 'absent';

export interface SolverVerdict {
  solver: string;
  status: RunStatus;
  ms: number;
  detail?: string;
}

export interface QueryRecheck {
  query: ProofQuery;
  runs: SolverVerdict[];
  /** unsat for the tool's own solver; a solver that answers sat is a contradiction. */
  outcome: 'proved' | 'refuted' | 'unknown';
}

export interface ProofRecheck {
  manifest: ProofManifest;
  queries: QueryRecheck[];
  verdict: 'proved' | 'refuted' | 'unknown';
}

export function loadManifest(dir: string): Result<ProofManifest> {
  const file = join(dir, MANIFEST);
  if (!existsSync(file)) return fail([{ loc: { file, line: 1, col: 1 }, message: `no ${MANIFEST}: ${dir} is not a proof directory` }]);
  return readJson(readFileSync(file, 'utf8'), file, manifestSchema);
}

/** Why the manifest does not belong to this protocol, or null. */
export function protocolMismatch(manifest: ProofManifest, protocol: Protocol): string | null {
  const hash = protocolHash(protocol);
  if (hash === manifest.protocol.hash) return null;
  return `the protocol changed since these proofs were made: ${manifest.protocol.file} now hashes to ${hash.slice(0, 12)}, the proofs are of ${manifest.protocol.hash.slice(0, 12)}`;
}

/** Why the stored query is not the one the protocol gives, or null (checked before any solver runs). */
function storedProblem(dir: string, query: ProofQuery, protocol: Protocol): string | null {
  const path = join(dir, query.file);
  const text = existsSync(path) ? readFileSync(path, 'utf8') : null;
  if (text === null) return 'missing';
  if (sha256(text) !== query.sha256) return 'changed since the manifest was written (sha256 mismatch)';
  const expected = regenerateQuery(protocol, query);
  if ('problem' in expected) return `the manifest entry does not describe a query of this protocol: ${expected.problem}`;
  if (scriptOf(text).trim() !== expected.script.trim()) return `differs from the query regenerated from the protocol (${query.engine}, ${query.property}, ${query.rounds} rounds): not a proof of what the manifest claims`;
  return null;
}

async function recheckQuery(dir: string, query: ProofQuery, timeoutMs: number, natives: NativeSolver[]): Promise<QueryRecheck> {
  const path = join(dir, query.file);
  const text = readFileSync(path, 'utf8');
  const t0 = Date.now();
  const own = await solve(scriptOf(text), { timeoutMs, params: query.solver.params });
  const runs: SolverVerdict[] = [{ solver: 'z3 (wasm)', status: own.status, ms: Date.now() - t0, ...(own.status === 'unknown' ? { detail: own.reason } : {}) }];
  for (const solver of natives) {
    const version = nativeSolverVersion(solver);
    if (version === null) runs.push({ solver, status: 'absent', ms: 0 });
    else {
      const r = await runNativeSolver(solver, path, timeoutMs, { params: query.solver.params });
      runs.push({ solver: `${solver} ${version}`, status: r.status, ms: Math.round(r.ms), ...(r.detail === undefined ? {} : { detail: r.detail }) });
    }
  }
  // Any solver's sat contradicts the proof; the verdict itself rests on the tool's solver.
  const outcome = runs.some((r) => r.status === 'sat') ? 'refuted' : own.status === 'unsat' ? 'proved' : 'unknown';
  return { query, runs, outcome };
}

/**
 * Re-checks a proof directory of `protocol`: every stored query must be the
 * one regenerated from the protocol, and together they must prove every
 * claimed property for every n and t (./regenerate.ts); only then do the
 * solvers run. Anything else is refused, saying which file or property.
 */
export async function recheckProofs(dir: string, manifest: ProofManifest, protocol: Protocol, opts: { timeoutMs: number; natives: NativeSolver[]; onQuery?: (q: QueryRecheck) => void }): Promise<Result<ProofRecheck>> {
  const file = join(dir, MANIFEST);
  const stored = manifest.queries.flatMap((q) => {
    const problem = storedProblem(dir, q, protocol);
    return problem === null ? [] : [{ loc: { file: join(dir, q.file), line: 1, col: 1 }, message: problem }];
  });
  const coverage = coverageProblems(protocol, manifest).map((message) => ({ loc: { file, line: 1, col: 1 }, message }));
  if (stored.length + coverage.length > 0) return fail([...stored, ...coverage]);
  const queries: QueryRecheck[] = [];
  for (const query of manifest.queries) {
    const q = await recheckQuery(dir, query, opts.timeoutMs, opts.natives);
    queries.push(q);
    opts.onQuery?.(q);
  }
  const verdict = queries.some((q) => q.outcome === 'refuted') ? 'refuted' : queries.every((q) => q.outcome === 'proved') ? 'proved' : 'unknown';
  return ok({ manifest, queries, verdict });
}
