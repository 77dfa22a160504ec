// The SMT checker (src/check) as the gate's last stage, through the same
// entry point as `bftsynth check` (src/check/verdict.ts checkClaims), so a
// kept protocol is exactly one that `check FILE` reports verified: every
// claimed property proved for every n and t the resilience condition admits
// and every f in 0..t. Cheapest first (the concrete counter engine at the
// default instances, then the phase lemmas, the inductive invariant and the
// parameterized engine),
// stopping at the first violation. Loaded lazily so campaigns that verify by
// enumeration never start Z3.

import { isBuiltinProperty, type Protocol } from '../ir/types';
import { defaultInstances, type NT } from './score';
import type { Verifier, VerifierResult } from './verifier';

export interface SmtVerifierOptions {
  timeoutMs: number;
  instances?: (p: Protocol) => NT[];
}

export function smtVerifier(options: SmtVerifierOptions): Verifier {
  return {
    name: 'smt',
    async verify(protocol: Protocol): Promise<VerifierResult> {
      const { claimedProperties } = await import('../check/check');
      const { checkClaims } = await import('../check/verdict');
      const instances = (options.instances ?? defaultInstances)(protocol);
      if (instances.length === 0) return { verdict: 'unknown', violated: [], detail: 'no instance satisfies the resilience condition', proofs: [] };
      // A kept protocol must claim all three properties: "always decide 0" satisfies agreement alone.
      if (claimedProperties(protocol).length < 3) return { verdict: 'unknown', violated: [], detail: 'smt: it does not claim agreement, validity and termination', proofs: [] };
      // per-t regions at the instances' t only: they refute cheaply but can never make the candidate verified
      const ts = [...new Set(instances.map((i) => i.t))];
      const report = await checkClaims(protocol, { engine: 'all', instances, ts, narrowedBy: [], timeoutMs: options.timeoutMs, exhaustive: false });
      switch (report.verdict) {
        case 'violated': {
          const violated = report.properties.filter((c) => c.verdict === 'violated').map((c) => c.property).filter(isBuiltinProperty);
          return { verdict: 'violated', violated, detail: `smt: ${report.summary}`, proofs: [], ...(report.counterexample === undefined ? {} : { witness: report.counterexample }) };
        }
        case 'unknown':
          return { verdict: 'unknown', violated: [], detail: `smt: ${report.summary}`, proofs: [] };
        case 'verified': {
          const { proofQueries, lemmaQueries, invariantQueries } = await import('../proof/from-check');
          const proofs = [...(await proofQueries(protocol, report.concrete, report.param.results)), ...(await lemmaQueries(protocol, report.lemmas)), ...(await invariantQueries(protocol, report.invariants))];
          return { verdict: 'verified', violated: [], detail: `smt: ${report.summary}`, proofs };
        }
      }
    },
    async close() {
      const z3 = await import('../smt/z3');
      await z3.shutdownZ3();
    },
  };
}
