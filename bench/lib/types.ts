// Shared shapes of the check benchmark: the queries it plans, the messages
// between the orchestrator and its per-protocol worker processes, and the rows
// it writes to bench/check.json.
import type { Verdict } from '../../src/check/check';
import type { Property } from '../../src/trace/model';
import type { LemmaOutcome } from './lemma-rows';

/** Which part of the benchmark a query belongs to. */
export type QuerySet = 'library' | 'growth' | 'size';

/** Which engine answers a query: the concrete counter encoding, the parameterized one (src/check/param.ts) or the phase lemmas (src/check/lemmas.ts). */
export type EngineName = 'counter' | 'param' | 'lemma';

/** The properties the phase lemmas cover. */
export type LemmaProperty = 'agreement' | 'validity' | 'termination';

/** One SMT query: a property of a protocol at one instance. */
export interface Query {
  engine: 'counter';
  /** stable key: engine, file, property, n, t, rounds */
  key: string;
  /** spec path relative to the repository root, e.g. specs/phase-king.bft */
  file: string;
  protocol: string;
  property: Property;
  n: number;
  t: number;
  rounds: number;
  sets: QuerySet[];
}

/** One parameterized query: a property of a protocol for every admissible n at one t (or every n and t). */
export interface ParamQuery {
  engine: 'param';
  key: string;
  file: string;
  protocol: string;
  property: Property;
  /** the region's t; null: every t (the round bound does not mention t) */
  t: number | null;
  rounds: number;
}

export type AnyQuery = Query | ParamQuery;

/** How native z3 answered. */
export type NativeStatus = 'sat' | 'unsat' | 'unknown' | 'timeout' | 'error';

export interface NativeResult {
  status: NativeStatus;
  /** wall-clock time of the z3 process (start-up, parsing and solving) */
  ms: number;
  /** z3's own `:time` statistic (the check itself), when printed */
  solveMs: number | null;
  /** z3's `:max-memory` statistic in MB, when printed */
  maxMemoryMb: number | null;
  detail?: string;
}

/** sat/unsat mapped to the checker's verdicts; everything else is unknown. */
export function nativeVerdict(s: NativeStatus): Verdict {
  return s === 'unsat' ? 'verified' : s === 'sat' ? 'violated' : 'unknown';
}

/** What the wasm side (checkOne in a worker) answered. */
export interface OursResult {
  verdict: Verdict;
  ms: number;
  reason?: string;
  /** size of the SMT-LIB query in bytes */
  smtBytes: number;
  /** error inside the worker (crash, exception): the verdict is then unknown */
  error?: string;
  /** the error was a trap inside the wasm module, which leaves it unusable: the worker must be replaced */
  fatal?: boolean;
  /** parameterized queries only: what checkParamOne said besides the verdict */
  param?: ParamExtra;
}

/** The parts of a ParamResult the report keeps. */
export interface ParamExtra {
  /** what the verdict covers, in words */
  region: string;
  /** the query assumes n >= this (0 or 1: no assumption) */
  leader_bound: number;
  /** concrete counter queries for the admissible n below the leader bound (included in ours_ms) */
  remainder: number;
  /** the violating instance (concretized and replayed; its shrinking and replay are included in ours_ms) */
  counterexample: { n: number; t: number; f: number } | null;
}

/** parent -> worker */
export type ToWorker =
  | { kind: 'query'; query: AnyQuery; timeoutMs: number; smtOut: string | null }
  /** only write the query's SMT-LIB (when the wasm side crashed on it) */
  | { kind: 'export'; query: AnyQuery; smtOut: string }
  /** run a query unmeasured, so wasm tier-up and JIT warm-up do not land on the first measured query */
  | { kind: 'warmup'; query: AnyQuery; timeoutMs: number }
  /** the phase lemmas of one property (src/check/lemmas.ts's checkLemma), for every n and t */
  | { kind: 'lemma'; key: string; file: string; property: LemmaProperty; timeoutMs: number }
  | { kind: 'exit' };

/** worker -> parent */
export type FromWorker =
  | { kind: 'ready'; z3Version: string; initMs: number }
  | { kind: 'result'; key: string; ours: OursResult; smtFile: string | null }
  | { kind: 'exported'; key: string; smtFile: string; smtBytes: number }
  | { kind: 'warm'; ms: number }
  | { kind: 'lemma-result'; key: string; outcome: LemmaOutcome }
  | { kind: 'bye'; maxRssKb: number };

/** 'yes' both definite and equal; 'NO' both definite and different (a bug); 'partial' one side unknown. */
export type Agreement = 'yes' | 'NO' | 'partial' | 'n/a';

/** The columns both engines' rows share: ours, native z3 and their agreement. */
export interface Answer {
  verdict: Verdict;
  /** specs/expected.json's verdict for this protocol and property, if any */
  expected: Verdict | null;
  ours_ms: number;
  ours_reason?: string;
  /** the wasm side failed: an exception (an internal error is a bug) or a worker crash / kill */
  ours_error?: string;
  smt_bytes: number;
  native_status: NativeStatus | null;
  native_verdict: Verdict | null;
  native_ms: number | null;
  native_solve_ms: number | null;
  native_max_memory_mb: number | null;
  native_detail?: string;
  /** ours_ms / native_ms when both answered definitely */
  ratio: number | null;
  agreement: Agreement;
}

export interface Row extends Omit<Query, 'key'>, Answer {}

/**
 * How a parameterized verdict relates to the concrete counter verdict at the
 * smallest n of the same t: 'yes' equal; 'larger n' param violated where the
 * smallest instance holds (the violation needs a larger n; consistent);
 * 'NO' param verified, concrete violated: a soundness bug; 'partial' one side
 * unknown; 'n/a' no concrete row.
 */
export type ConcreteAgreement = 'yes' | 'larger n' | 'NO' | 'partial' | 'n/a';

/** A concrete counter query's outcome, quoted beside a parameterized one. */
export interface ConcreteRef {
  n: number;
  t: number;
  verdict: Verdict;
  ms: number;
}

export interface ParamRow extends Omit<ParamQuery, 'key'>, Answer, ParamExtra {
  /** the concrete counter rows at the smallest admissible n of the region's t (every t = 1..4 for an every-t region) */
  concrete_smallest: ConcreteRef[];
  /** the concrete counter row with the largest n at the region's t, when larger than the smallest (Phase King's growth rows) */
  concrete_largest: ConcreteRef | null;
  concrete_agreement: ConcreteAgreement;
  /** ours_ms / the first concrete_smallest's ms */
  param_over_concrete: number | null;
}
export interface ProtocolMemory {
  protocol: string;
  file: string;
  /** peak RSS of the worker process(es) that ran this protocol's queries, in MB */
  peak_rss_mb: number;
  queries: number;
  seconds: number;
  /** the unmeasured warm-up query (the group's first, with a short timeout) */
  warmup_ms: number | null;
  /** worker crashes and kills (each one restarts the worker) */
  restarts: number;
}
