// Proof artefacts: the SMT-LIB2 text of every unsat query behind a verdict,
// and a manifest that says what each query proves and for which protocol.
import { z } from 'zod';

export const PROOF_FORMAT = 'bftsynth-proof';
export const PROOF_VERSION = 1;
export const MANIFEST = 'manifest.json';

/** Fixed n, t, f (the concrete engine), or all n, t allowed by the resilience condition (parameterized). */
export const parametersSchema = z.union([
  // f: a fixed number, or '0 <= f <= t' when the query leaves it open.
  z.object({ n: z.number().int().positive(), t: z.number().int().nonnegative(), f: z.union([z.number().int().nonnegative(), z.literal('0 <= f <= t')]) }).strict(),
  // Parameterized: resilience condition and f's range; t when the query fixes it
  // (round bounds that grow with t are unrolled per t); side: every further
  // condition the query asserts (e.g. n >= 3 for distinct leaders).
  z.object({ resilience: z.string(), f: z.string(), t: z.number().int().nonnegative().optional(), side: z.array(z.string()).optional() }).strict(),
]);

export const querySchema = z
  .object({
    file: z.string().regex(/^[A-Za-z0-9._-]+\.smt2$/, 'a file name in the proof directory ending in .smt2'),
    /** a built-in property or the name of one of the protocol's own */
    property: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a property name'),
    /** what the query establishes, in words (e.g. a phase lemma) */
    claim: z.string(),
    engine: z.string(),
    parameters: parametersSchema,
    rounds: z.number().int().positive(),
    expect: z.literal('unsat'),
    solver: z.object({ name: z.string(), version: z.string(), params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])) }).strict(),
    ms: z.number().nonnegative(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    /**
     * engine 'invariant': the inductive invariant the query is a verification
     * condition of (its conjuncts by template id, in words and as SMT-LIB over
     * the pre-state), and whether it covers runs of any length; proof check
     * regenerates the query from the protocol and these ids.
     */
    invariant: z
      .object({
        unbounded: z.boolean(),
        conjuncts: z.array(z.object({ id: z.string(), words: z.string(), smtlib: z.string() }).strict()),
      })
      .strict()
      .optional(),
  })
  .strict();

export const manifestSchema = z
  .object({
    format: z.literal(PROOF_FORMAT),
    version: z.literal(PROOF_VERSION),
    protocol: z.object({ name: z.string(), hash: z.string().regex(/^[0-9a-f]{64}$/), file: z.string() }).strict(),
    tool: z.string(),
    queries: z.array(querySchema).min(1),
  })
  .strict();

export type ProofQuery = z.infer<typeof querySchema>;
export type ProofManifest = z.infer<typeof manifestSchema>;
