// The SMT checker (src/check) as the gate's last stage: the concrete counter
// engine at the default instances, then the parameterized engine (every
// admissible n at those t). Loaded lazily so campaigns that verify by
// enumeration never start Z3. Cheapest first, stopping at the first
// violation: a verdict needs every query unsat, a refutation needs one sat.

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
      const proved: import('../check/check').CheckResult[] = [];
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
                proved.push(r);
                break;
            }
          }
        }
      }
      if (unknown !== '') return { verdict: 'unknown', violated: [], detail: unknown, proofs: [] };
      // Verified means one unsat query per claimed property and instance, and all three properties claimed.
      const complete = proved.length === instances.length * properties.length && properties.length === 3;
      if (!complete) return { verdict: 'unknown', violated: [], detail: `smt: only ${proved.length} of ${instances.length * 3} queries proved`, proofs: [] };
      // Then the parameterized engine: every admissible n at the instances' t values (every t where the bound is constant).
      const param = await import('../check/param');
      const ts = [...new Set(instances.map((i) => i.t))];
      const regions = await param.checkParamProtocol(protocol, { ts, properties, timeoutMs: options.timeoutMs });
      for (const r of regions.results) {
        const where = r.t === null ? 'every t' : `t = ${r.t}`;
        if (r.verdict === 'violated') {
          return { verdict: 'violated', violated: [r.property], detail: `smt param: ${r.property} violated at n=${r.n} t=${r.t}`, proofs: [], ...(r.counterexample === undefined ? {} : { witness: r.counterexample }) };
        }
        if (r.verdict === 'unknown') return { verdict: 'unknown', violated: [], detail: `smt param: ${r.property} at ${where} unknown${r.reason === undefined ? '' : ` (${r.reason})`}`, proofs: [] };
      }
      const covered = regions.results.length > 0 ? `; param every n at ${[...new Set(regions.results.map((r) => (r.t === null ? 'every t' : `t=${r.t}`)))].join(',')}` : '';
      const { proofQueries } = await import('../proof/from-check');
      const proofs = await proofQueries(protocol, proved, regions.results);
      return { verdict: 'verified', violated: [], detail: `smt counter ${instances.map((i) => `${i.n}:${i.t}`).join(',')}${covered}`, proofs };
    },
    async close() {
      const z3 = await import('../smt/z3');
      await z3.shutdownZ3();
    },
  };
}
