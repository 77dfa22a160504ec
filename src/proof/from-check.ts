// Proof artefacts from a check: one file per unsat query.
import type { CheckResult } from '../check/check';
import type { Protocol } from '../ir/types';
import { DEFAULT_PARAMS, z3Version } from '../smt/z3';
import { ProofManifest } from './manifest';
import { ProvenQuery, writeProofs } from './write';

const TOOL = 'bftsynth 0.1.0';

function claimOf(r: CheckResult, p: Protocol): string {
  const within = `within ${r.rounds} rounds`;
  const where = `n=${r.n}, t=${r.t}, f=${r.f}`;
  switch (r.property) {
    case 'agreement':
      return `no run of ${p.name} at ${where} ${within} has two correct processes decide differently`;
    case 'validity':
      return `no run of ${p.name} at ${where} ${within} with unanimous correct inputs v has a correct process decide other than v`;
    case 'termination':
      return `every run of ${p.name} at ${where} has every correct process decided after ${r.rounds} rounds`;
  }
}

/**
 * Writes the artefacts of a fully verified check to `dir`. Only unsat
 * results are proofs: anything else is a bug in the caller.
 */
export async function writeCheckProofs(dir: string, protocol: Protocol, hash: string, file: string, results: readonly CheckResult[]): Promise<ProofManifest> {
  const notProved = results.filter((r) => r.verdict !== 'verified');
  if (notProved.length > 0 || results.length === 0) throw new Error('writeCheckProofs: only a fully verified check has proofs');
  const version = await z3Version();
  const queries: ProvenQuery[] = results.map((r) => ({
    file: `${r.property}-n${r.n}-t${r.t}-${r.engine}.smt2`,
    property: r.property,
    claim: claimOf(r, protocol),
    engine: r.engine,
    parameters: { n: r.n, t: r.t, f: r.f },
    rounds: r.rounds,
    expect: 'unsat',
    solver: { name: 'z3 (z3-solver, WebAssembly)', version, params: { ...DEFAULT_PARAMS } },
    ms: r.ms,
    script: r.smtlib,
  }));
  return writeProofs(dir, { name: protocol.name, hash, file }, TOOL, queries);
}
