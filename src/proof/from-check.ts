// Proof artefacts from a check: one file per unsat query, concrete and
// parameterized.
import type { CheckResult } from '../check/check';
import type { InvariantResult } from '../check/invariant';
import type { LemmaResult } from '../check/lemmas';
import type { ParamResult } from '../check/param';
import { isBuiltinProperty, type PropertyName, type Protocol } from '../ir/types';
import { printExpr } from '../lang/printer';
import { DEFAULT_PARAMS, z3Version } from '../smt/z3';
import { ProofManifest } from './manifest';
import { ProvenQuery, writeProofs } from './write';

export const TOOL = 'bftsynth 0.1.0';

function claimText(p: Protocol, property: PropertyName, where: string, rounds: number): string {
  const within = `within ${rounds} rounds`;
  if (!isBuiltinProperty(property)) return `no run of ${p.name} at ${where} ${within} violates its property ${property}`;
  switch (property) {
    case 'agreement':
      return `no run of ${p.name} at ${where} ${within} has two correct processes decide differently`;
    case 'validity':
      return `no run of ${p.name} at ${where} ${within} with unanimous correct inputs v has a correct process decide other than v`;
    case 'termination':
      return `every run of ${p.name} at ${where} has every correct process decided after ${rounds} rounds`;
  }
}

/** f as the manifest states it: the fixed number, or the range an open query covers. */
export const faultsText = (f: number | null): number | '0 <= f <= t' => (f === null ? '0 <= f <= t' : f);

const claimOf = (r: CheckResult, p: Protocol): string => claimText(p, r.property, `n=${r.n}, t=${r.t}, ${r.f === null ? 'every f in 0..t' : `f=${r.f}`}`, r.rounds);

/**
 * Writes the artefacts of a fully verified check to `dir`. Only unsat
 * results are proofs: anything else is a bug in the caller. A parameterized
 * result brings its query and the concrete queries of its remainder (the
 * admissible n its side conditions leave out).
 */
export async function writeCheckProofs(dir: string, protocol: Protocol, hash: string, file: string, results: readonly CheckResult[], params: readonly ParamResult[] = [], lemmas: readonly LemmaResult[] = [], invariants: readonly InvariantResult[] = []): Promise<ProofManifest> {
  const queries = [...(await proofQueries(protocol, results, params)), ...(await lemmaQueries(protocol, lemmas)), ...(await invariantQueries(protocol, invariants))];
  if (queries.length === 0) throw new Error('writeCheckProofs: a verified check without a single proof query');
  return writeProofs(dir, { name: protocol.name, hash, file }, TOOL, queries);
}

/** The unsat queries of verified phase lemmas (a chain that replaced a sat first lemma leaves that one out). */
export async function lemmaQueries(protocol: Protocol, lemmas: readonly LemmaResult[]): Promise<ProvenQuery[]> {
  if (lemmas.some((l) => l.verdict !== 'verified')) throw new Error('lemmaQueries: only verified lemmas are proofs');
  const version = await z3Version();
  const solver = { name: 'z3 (z3-solver, WebAssembly)', version, params: { ...DEFAULT_PARAMS } };
  return lemmas.flatMap((l) =>
    l.queries
      .filter((q) => q.status === 'unsat')
      .map((q) => ({
        file: `${l.property}-lemma-${q.name.replace(/[^A-Za-z0-9]+/g, '-')}.smt2`,
        property: l.property,
        claim: `phase lemma "${q.name}" for ${l.region}: ${q.claim}`,
        engine: 'lemma',
        parameters: { resilience: printExpr(protocol.resilience), f: '0 <= f <= t', side: q.side },
        rounds: protocol.rounds.length,
        expect: 'unsat' as const,
        solver,
        ms: q.ms,
        script: q.smtlib,
      })),
  );
}

/** The file name of an invariant's verification condition (vc:init -> agreement-invariant-init.smt2). */
export const invariantVcFile = (property: PropertyName, vc: string): string => `${property}-invariant-${vc.replace(/^vc:/, '')}.smt2`;

/** The three verification conditions of each proved invariant, with the invariant itself in the manifest. */
export async function invariantQueries(protocol: Protocol, invariants: readonly InvariantResult[]): Promise<ProvenQuery[]> {
  if (invariants.some((r) => r.verdict !== 'proved')) throw new Error('invariantQueries: only proved invariants are proofs');
  const version = await z3Version();
  const solver = { name: 'z3 (z3-solver, WebAssembly)', version, params: { ...DEFAULT_PARAMS } };
  return invariants.flatMap((r) =>
    r.queries
      .filter((q) => q.name.startsWith('vc:'))
      .map((q) => {
        if (q.status !== 'unsat') throw new Error(`invariantQueries: ${q.name} of a proved invariant is ${q.status}`);
        return {
          file: invariantVcFile(r.property, q.name),
          property: r.property,
          claim: `${q.name} of an inductive invariant of ${r.invariant.length} conjuncts over the phase-level counter system (${r.region.join(', ')}): unsat`,
          engine: 'invariant',
          parameters: { resilience: printExpr(protocol.resilience), f: '0 <= f <= t', side: r.region },
          rounds: protocol.rounds.length,
          expect: 'unsat' as const,
          solver,
          ms: q.ms,
          script: q.smtlib,
          invariant: { unbounded: r.region.some((x) => x.includes('runs of any length')), conjuncts: r.invariant.map((c) => ({ id: c.id, words: c.words, smtlib: c.smtlib })) },
        };
      }),
  );
}

/** The proof queries of a fully verified check (concrete and parameterized results). */
export async function proofQueries(protocol: Protocol, results: readonly CheckResult[], params: readonly ParamResult[] = []): Promise<ProvenQuery[]> {
  const concrete = [...results, ...params.flatMap((r) => r.remainder)];
  const notProved = [...concrete, ...params].filter((r) => r.verdict !== 'verified');
  if (notProved.length > 0) throw new Error('proofQueries: only a fully verified check has proofs');
  const version = await z3Version();
  const solver = { name: 'z3 (z3-solver, WebAssembly)', version, params: { ...DEFAULT_PARAMS } };
  const seen = new Set<string>();
  const queries: ProvenQuery[] = [];
  for (const r of concrete) {
    const name = `${r.property}-n${r.n}-t${r.t}-${r.engine}.smt2`;
    if (seen.has(name)) continue; // a remainder instance also checked at --instances: one proof
    seen.add(name);
    queries.push({ file: name, property: r.property, claim: claimOf(r, protocol), engine: r.engine, parameters: { n: r.n, t: r.t, f: faultsText(r.f) }, rounds: r.rounds, expect: 'unsat', solver, ms: r.ms, script: r.smtlib });
  }
  for (const r of params) {
    const where = r.leaderBound > 1 ? `${r.region} and n >= ${r.leaderBound} (the admissible n < ${r.leaderBound}: the concrete queries of this manifest)` : r.region;
    queries.push({
      file: `${r.property}-param-${r.t === null ? 'all-t' : `t${r.t}`}.smt2`,
      property: r.property,
      claim: claimText(protocol, r.property, where, r.rounds),
      engine: 'param',
      parameters: { resilience: printExpr(protocol.resilience), f: '0 <= f <= t', ...(r.t === null ? {} : { t: r.t }), side: r.side },
      rounds: r.rounds,
      expect: 'unsat',
      solver,
      ms: r.ms,
      script: r.smtlib,
    });
  }
  return queries;
}
