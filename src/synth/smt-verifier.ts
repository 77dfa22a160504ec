// The SMT checker (src/check, concrete counter engine) as the gate's last
// stage. Loaded lazily so campaigns that verify by enumeration never start
// Z3. One query per (instance, property), cheapest instance first, stopping
// at the first violation: a verdict needs every query unsat, a refutation
// needs one sat.

import type { Protocol } from '../ir/types';
import type { Property } from '../trace/model';
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
      const check = await import('../check/check');
      const instances = (options.instances ?? defaultInstances)(protocol);
      if (instances.length === 0) return { verdict: 'unknown', violated: [], detail: 'no instance satisfies the resilience condition', proofs: [] };
      const properties: Property[] = check.claimedProperties(protocol);
      const proofs: { name: string; text: string }[] = [];
      let unknown = '';
      for (const inst of instances) {
        for (const property of properties) {
          const report = await check.checkProtocol(protocol, { instances: [inst], properties: [property], engine: 'counter', timeoutMs: options.timeoutMs });
          for (const r of report.results) {
            switch (r.verdict) {
              case 'violated':
                return { verdict: 'violated', violated: [property], detail: `smt: ${property} violated at ${r.n}:${r.t}`, proofs: [], ...(r.counterexample === undefined ? {} : { witness: r.counterexample }) };
              case 'unknown':
                unknown ||= `smt: ${property} at ${r.n}:${r.t} unknown${r.reason === undefined ? '' : ` (${r.reason})`}`;
                break;
              case 'verified':
                proofs.push({ name: `${property}-n${r.n}-t${r.t}.smt2`, text: r.smtlib });
                break;
            }
          }
        }
      }
      if (unknown !== '') return { verdict: 'unknown', violated: [], detail: unknown, proofs: [] };
      // Verified means one unsat query per claimed property and instance, and all three properties claimed.
      const complete = proofs.length === instances.length * properties.length && properties.length === 3;
      if (!complete) return { verdict: 'unknown', violated: [], detail: `smt: only ${proofs.length} of ${instances.length * 3} queries proved`, proofs: [] };
      return { verdict: 'verified', violated: [], detail: `smt counter ${instances.map((i) => `${i.n}:${i.t}`).join(',')}`, proofs };
    },
    async close() {
      const z3 = await import('../smt/z3');
      await z3.shutdownZ3();
    },
  };
}
