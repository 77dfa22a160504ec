// A proof directory is not trusted text: `proof check` regenerates every
// query from the protocol with the encoders that made it, compares it with
// the stored file, and checks that the manifest's queries together prove
// every claimed property for every n and t (docs/semantics.md, sections 5
// and 6). A directory whose queries were edited (say, to `(assert false)`,
// with the hashes updated), or whose manifest lost an entry, is refused with
// what is wrong, before any solver runs.

import { isBuiltinProperty, type Protocol } from '../ir/types';
import { allProperties } from '../check/check';
import { boundIsT, byzantineOverApproximation } from '../ir/faults';
import { lemmaPlan } from '../check/lemmas';
import { paramPlan, paramUnsupported, remainderInstances } from '../check/param';
import { encodeCounter } from '../smt/counter/encode';
import { type AgreementStep, type ChainStep, encodeAgreementStep, encodeChainStep, encodeTerminationLemma, encodeValidityLemma } from '../smt/counter/lemma';
import { encodeCounterParam, lastLeaderPhase } from '../smt/counter/param';
import { encodeProcess } from '../smt/process/encode';
import type { Property } from '../trace/model';
import { invariantModel, invariantVcs } from '../check/invariant';
import { invariantVcFile } from './from-check';
import type { ProofManifest, ProofQuery } from './manifest';

/** An invariant proves its property when Init => Inv, Inv and T => Inv' and Inv => property are all unsat. */
const INVARIANT_VCS = ['vc:init', 'vc:step', 'vc:property'] as const;

/** The manifest holds the three verification conditions of one and the same invariant for `property`. */
function invariantProof(manifest: ProofManifest, property: Property): boolean {
  const vcs = INVARIANT_VCS.map((vc) => manifest.queries.find((q) => q.engine === 'invariant' && q.property === property && q.file === invariantVcFile(property, vc)));
  const keys = vcs.map((q) => (q?.invariant === undefined ? null : JSON.stringify([q.invariant.unbounded, q.invariant.conjuncts.map((c) => c.id)])));
  return keys.every((k) => k !== null && k === keys[0]);
}

/** Lemma queries by the name their file carries (src/proof/from-check.ts lemmaQueries). */
const LEMMAS: Record<string, { property: Property; encode: (p: Protocol) => string }> = {
  'agreement-lemma-no-early-decision.smt2': { property: 'agreement', encode: (p) => agreementStep(p, 'no-early') },
  'agreement-lemma-unify.smt2': { property: 'agreement', encode: (p) => agreementStep(p, 'unify') },
  'agreement-lemma-persist.smt2': { property: 'agreement', encode: (p) => agreementStep(p, 'persist') },
  'agreement-lemma-decide-same.smt2': { property: 'agreement', encode: (p) => agreementStep(p, 'decide-same') },
  'agreement-lemma-last-same.smt2': { property: 'agreement', encode: (p) => agreementStep(p, 'last-same') },
  'validity-lemma-validity-invariant.smt2': { property: 'validity', encode: (p) => validityLemma(p) },
  'termination-lemma-last-phase-decides.smt2': { property: 'termination', encode: (p) => encodeTerminationLemma(p).smtlib },
  'termination-lemma-unify.smt2': { property: 'termination', encode: (p) => chainStep(p, 'unify') },
  'termination-lemma-persist.smt2': { property: 'termination', encode: (p) => chainStep(p, 'persist') },
  'termination-lemma-decide.smt2': { property: 'termination', encode: (p) => chainStep(p, 'decide') },
  'termination-lemma-last.smt2': { property: 'termination', encode: (p) => chainStep(p, 'last') },
};

/** The lemma sets that prove a property for every n and t (each set's argument: src/check/lemmas.ts). */
const LEMMA_PROOFS: Record<Property, string[][]> = {
  agreement: [['agreement-lemma-no-early-decision.smt2', 'agreement-lemma-unify.smt2', 'agreement-lemma-persist.smt2', 'agreement-lemma-decide-same.smt2', 'agreement-lemma-last-same.smt2']],
  validity: [['validity-lemma-validity-invariant.smt2']],
  termination: [['termination-lemma-last-phase-decides.smt2'], ['termination-lemma-unify.smt2', 'termination-lemma-persist.smt2', 'termination-lemma-decide.smt2', 'termination-lemma-last.smt2']],
};

function agreementStep(p: Protocol, step: AgreementStep): string {
  return encodeAgreementStep(p, step).smtlib;
}
function chainStep(p: Protocol, step: ChainStep): string {
  return encodeChainStep(p, step).smtlib;
}
function validityLemma(p: Protocol): string {
  const plan = lemmaPlan(p, 'validity');
  if (!plan.ok) throw new Error(plan.reason);
  return encodeValidityLemma(p, plan.lastPhaseIsT1).smtlib;
}

/** The file name an entry of this engine, property and instance must have (lemmas and invariants: checked below by name). */
function canonicalFile(q: ProofQuery): string | null {
  const params = q.parameters;
  switch (q.engine) {
    case 'counter':
    case 'process':
      return 'n' in params ? `${q.property}-n${params.n}-t${params.t}-${q.engine}.smt2` : null;
    case 'param':
      return 'n' in params ? null : `${q.property}-param-${params.t === undefined ? 'all-t' : `t${params.t}`}.smt2`;
    default:
      return q.file;
  }
}

/** An invariant's verification conditions, by property, flag and conjunct ids: its three entries share one encoding. */
export type InvariantVcMemo = Map<string, { name: string; smtlib: string }[]>;

/** The script the manifest entry must hold, regenerated from the protocol, or why it cannot be. */
export function regenerateQuery(p: Protocol, q: ProofQuery, memo: InvariantVcMemo = new Map()): { script: string } | { problem: string } {
  const params = q.parameters;
  const name = canonicalFile(q);
  if (name !== q.file) return { problem: `a ${q.engine} query of ${q.property} must be called ${name ?? '(its parameters do not fit the engine)'}` };
  const property = q.property;
  if (!isBuiltinProperty(property)) return { problem: `${property} is not a built-in property, and proofs of user properties cannot be regenerated yet` };
  // the lemma and invariant engines prove on the Byzantine model that includes this protocol's runs (docs/semantics.md 5.3)
  const byzantine = boundIsT(p.faults) ? byzantineOverApproximation(p) : null;
  try {
    switch (q.engine) {
      case 'counter':
      case 'process': {
        if (!('n' in params)) return { problem: `a ${q.engine} query needs n, t and f` };
        const inst = { n: params.n, t: params.t, rounds: q.rounds, ...(typeof params.f === 'number' ? { f: params.f } : {}) };
        const script = q.engine === 'counter' ? encodeCounter(p, inst, property).q.smtlib() : encodeProcess(p, inst, property).q.smtlib();
        return { script };
      }
      case 'param': {
        if ('n' in params) return { problem: 'a param query has no fixed n' };
        const unsupported = paramUnsupported(p, property);
        if (unsupported !== null) return { problem: unsupported };
        return { script: encodeCounterParam(p, { t: params.t ?? null, rounds: q.rounds }, property).enc.q.smtlib() };
      }
      case 'invariant': {
        if (q.invariant === undefined) return { problem: 'an invariant query without its invariant' };
        if (byzantine === null) return { problem: 'the invariant engine proves only for a fault bound of t' };
        const vc = INVARIANT_VCS.find((v) => invariantVcFile(property, v) === q.file);
        if (vc === undefined) return { problem: `no verification condition of a ${property} invariant is called ${q.file}` };
        const ids = q.invariant.conjuncts.map((c) => c.id);
        const key = JSON.stringify([property, q.invariant.unbounded, ids]);
        // the model the prover used: the protocol's own crash or omission model, or the Byzantine one (src/check/invariant.ts)
        const scripts = memo.get(key) ?? invariantVcs(invariantModel(p, ids) ?? byzantine, property, ids, { unbounded: q.invariant.unbounded });
        memo.set(key, scripts);
        const script = scripts.find((x) => x.name === vc)?.smtlib;
        return script === undefined ? { problem: `the invariant engine makes no ${vc}` } : { script };
      }
      case 'lemma': {
        const lemma = LEMMAS[q.file];
        if (lemma === undefined || lemma.property !== property) return { problem: `no ${property} lemma is called ${q.file}` };
        if (byzantine === null) return { problem: 'the phase lemmas prove only for a fault bound of t' };
        const plan = lemmaPlan(byzantine, property);
        if (!plan.ok) return { problem: `the phase lemmas do not apply to ${property}: ${plan.reason}` };
        return { script: lemma.encode(byzantine) };
      }
      default:
        return { problem: `unknown engine ${q.engine}` };
    }
  } catch (e) {
    return { problem: `cannot be regenerated: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/**
 * Why the manifest's queries do not prove a claimed property for every n and
 * t (one line per property), given that each of them is unsat: a complete
 * lemma set, or a parameterized query for every t with the concrete queries
 * (every f) of the admissible n below its leader bound.
 */
export function coverageProblems(p: Protocol, manifest: ProofManifest): string[] {
  const problems: string[] = [];
  for (const property of allProperties(p)) {
    if (!isBuiltinProperty(property)) {
      problems.push(`${property}: proofs of the file's own properties are not kept as artefacts yet`);
      continue;
    }
    const byzantine = boundIsT(p.faults) ? byzantineOverApproximation(p) : null;
    // only entries that are lemma queries of this very property count towards a lemma set
    const lemmaFiles = new Set(manifest.queries.filter((q) => q.engine === 'lemma' && q.property === property).map((q) => q.file));
    if (byzantine !== null && LEMMA_PROOFS[property].some((set) => set.every((f) => lemmaFiles.has(f))) && lemmaPlan(byzantine, property).ok) continue;
    if (byzantine !== null && invariantProof(manifest, property)) continue;
    const plan = paramPlan(p, property);
    const everyT = manifest.queries.find((q) => q.property === property && q.engine === 'param' && !('n' in q.parameters) && q.parameters.t === undefined);
    if (everyT !== undefined && plan.kind === 'all-t' && everyT.rounds === plan.rounds && paramUnsupported(p, property) === null) {
      const missing = remainderInstances(p, null, lastLeaderPhase(p, plan.rounds)).filter(
        (inst) => !manifest.queries.some((q) => q.property === property && q.engine === 'counter' && 'n' in q.parameters && q.parameters.n === inst.n && q.parameters.t === inst.t && q.parameters.f === '0 <= f <= t' && q.rounds === plan.rounds),
      );
      if (missing.length === 0) continue;
      problems.push(`${property}: the parameterized query leaves out n:t = ${missing.map((i) => `${i.n}:${i.t}`).join(', ')}, and no query covers them`);
      continue;
    }
    problems.push(`${property}: no query set in the manifest proves it for every n and t (a complete phase-lemma set, the three verification conditions of one inductive invariant, or a parameterized query for every t)`);
  }
  return problems;
}
