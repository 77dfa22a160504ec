// The last stage of the gate, behind a small interface so the campaign does
// not care which engine proves: the SMT checker (src/check) in production,
// exhaustive adversary enumeration (src/sim/explore) where Z3 is too slow
// (tests, benchmarks) or absent.

import type { ProvenQuery } from '../proof/write';
import type { Protocol } from '../ir/types';
import { explore } from '../sim/explore';
import type { Property, Trace } from '../trace/model';
import { defaultInstances, type NT } from './score';

export type VerifierVerdict = 'verified' | 'violated' | 'unknown';

export interface VerifierResult {
  verdict: VerifierVerdict;
  /** properties shown violated (empty unless verdict is 'violated'). */
  violated: Property[];
  /** one line for people: which instances, why unknown. */
  detail: string;
  /** proof artefacts (SMT-LIB of each unsat query), when the engine makes them. */
  proofs: ProvenQuery[];
  /** a run that shows the violation (when verdict is 'violated' and the engine makes one). */
  witness?: Trace;
}

export interface Verifier {
  readonly name: string;
  verify(protocol: Protocol, hash: string): Promise<VerifierResult>;
  /** releases engine resources (Z3 contexts); optional. */
  close?(): Promise<void>;
}

const PROPS: Property[] = ['agreement', 'validity', 'termination'];

/**
 * Exhaustive enumeration of every adversary on the given instances (default:
 * the protocol's default instances). Sound for those instances within the
 * horizon, like the concrete SMT engine; a blown budget is 'unknown'.
 */
export function exploreVerifier(options: { instances?: (p: Protocol) => NT[]; maxConfigs?: number } = {}): Verifier {
  return {
    name: 'explore',
    async verify(protocol, hash) {
      const instances = (options.instances ?? defaultInstances)(protocol);
      if (instances.length === 0) return { verdict: 'unknown', violated: [], detail: 'no instance satisfies the resilience condition', proofs: [] };
      const violated = new Set<Property>();
      let witness: Trace | undefined;
      let unknown = '';
      for (const { n, t } of instances) {
        const r = explore(protocol, { n, t, hash, maxConfigs: options.maxConfigs ?? 100_000 });
        if (!r.ok) return { verdict: 'unknown', violated: [], detail: r.errors.map((e) => e.message).join('; '), proofs: [] };
        for (const p of PROPS) {
          const v = r.value[p];
          if (v.status === 'violated') {
            violated.add(p);
            witness ??= v.witness;
          }
          else if (v.status === 'unknown') unknown ||= `${p} at ${n}:${t}: ${v.reason}`;
        }
        if (violated.size > 0) break;
      }
      const where = instances.map((i) => `${i.n}:${i.t}`).join(',');
      if (violated.size > 0) return { verdict: 'violated', violated: PROPS.filter((p) => violated.has(p)), detail: `explore ${where}`, proofs: [], witness };
      if (unknown !== '') return { verdict: 'unknown', violated: [], detail: unknown, proofs: [] };
      return { verdict: 'verified', violated: [], detail: `explore ${where}: every adversary`, proofs: [] };
    },
  };
}
