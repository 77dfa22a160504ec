// `bftsynth proof check`: regenerates every proof query from the protocol
// (./regenerate.ts), refuses a directory that does not hold exactly those or
// does not prove every claim, then re-runs each query and says whether it is
// still unsat, with the WebAssembly Z3 the tool uses and, where installed,
// Debian's native z3 and cvc5 (an independent build and an independent solver).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { protocolHash } from '../ir/hash';
import type { Protocol } from '../ir/types';
import { NativeRun, NativeSolver, nativeSolverVersion, runNativeSolver } from '../smt/native';
import { DEFAULT_PARAMS, solve } from '../smt/z3';
import { readJson } from '../util/json-read';
import { Result, fail, ok } from '../util/result';
import { MANIFEST, ProofManifest, ProofQuery, manifestSchema } from './manifest';
import { coverageProblems, type InvariantVcMemo, regenerateQuery } from './regenerate';
import { scriptOf, sha256, smtFile } from './write';

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

/** The query regenerated from the protocol, or why the stored one is not it (checked before any solver runs). */
function regenerated(dir: string, query: ProofQuery, protocol: Protocol, memo: InvariantVcMemo): { script: string } | { problem: string } {
  const path = join(dir, query.file);
  const text = existsSync(path) ? readFileSync(path, 'utf8') : null;
  if (text === null) return { problem: 'missing' };
  if (sha256(text) !== query.sha256) return { problem: 'changed since the manifest was written (sha256 mismatch)' };
  const expected = regenerateQuery(protocol, query, memo);
  if ('problem' in expected) return { problem: `the manifest entry does not describe a query of this protocol: ${expected.problem}` };
  if (scriptOf(text).trim() !== expected.script.trim()) return { problem: `differs from the query regenerated from the protocol (${query.engine}, ${query.property}, ${query.rounds} rounds): not a proof of what the manifest claims` };
  return expected;
}

/**
 * Solves the regenerated query (never the stored file, which only had to
 * match it): the wasm Z3 and the native solvers, all with the tool's own
 * parameters (a manifest's recorded parameters are not trusted either).
 */
async function recheckQuery(query: ProofQuery, script: string, timeoutMs: number, natives: NativeSolver[]): Promise<QueryRecheck> {
  const t0 = Date.now();
  const own = await solve(script, { timeoutMs, params: DEFAULT_PARAMS });
  const runs: SolverVerdict[] = [{ solver: 'z3 (wasm)', status: own.status, ms: Date.now() - t0, ...(own.status === 'unknown' ? { detail: own.reason } : {}) }];
  const scratch = mkdtempSync(join(tmpdir(), 'bftsynth-recheck-'));
  try {
    const path = join(scratch, query.file);
    writeFileSync(path, smtFile(script, [`bftsynth proof check: ${query.file}`]));
    for (const solver of natives) {
      const version = nativeSolverVersion(solver);
      if (version === null) runs.push({ solver, status: 'absent', ms: 0 });
      else {
        const r = await runNativeSolver(solver, path, timeoutMs, { params: DEFAULT_PARAMS });
        runs.push({ solver: `${solver} ${version}`, status: r.status, ms: Math.round(r.ms), ...(r.detail === undefined ? {} : { detail: r.detail }) });
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
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
  const memo: InvariantVcMemo = new Map();
  const scripts = manifest.queries.map((q) => regenerated(dir, q, protocol, memo));
  const stored = manifest.queries.flatMap((q, i) => {
    const r = scripts[i] as { script: string } | { problem: string };
    return 'problem' in r ? [{ loc: { file: join(dir, q.file), line: 1, col: 1 }, message: r.problem }] : [];
  });
  const names = manifest.queries.map((q) => q.file);
  const repeated = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))].map((n) => ({ loc: { file, line: 1, col: 1 }, message: `${n} is listed more than once` }));
  const coverage = coverageProblems(protocol, manifest).map((message) => ({ loc: { file, line: 1, col: 1 }, message }));
  if (stored.length + repeated.length + coverage.length > 0) return fail([...stored, ...repeated, ...coverage]);
  const queries: QueryRecheck[] = [];
  for (const [i, query] of manifest.queries.entries()) {
    const q = await recheckQuery(query, (scripts[i] as { script: string }).script, opts.timeoutMs, opts.natives);
    queries.push(q);
    opts.onQuery?.(q);
  }
  const verdict = queries.some((q) => q.outcome === 'refuted') ? 'refuted' : queries.every((q) => q.outcome === 'proved') ? 'proved' : 'unknown';
  return ok({ manifest, queries, verdict });
}
