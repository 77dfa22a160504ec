// Shared shapes of the check benchmark: the queries it plans, the messages
// between the orchestrator and its per-protocol worker processes, and the rows
// it writes to bench/check.json.
import type { Verdict } from '../../src/check/check';
import type { Property } from '../../src/trace/model';

/** Which part of the benchmark a query belongs to. */
export type QuerySet = 'library' | 'growth' | 'size';

/** One SMT query: a property of a protocol at one instance. */
export interface Query {
  /** stable key: file, property, n, t, rounds */
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
}

/** parent -> worker */
export type ToWorker =
  | { kind: 'query'; query: Query; timeoutMs: number; smtOut: string | null }
  /** only write the query's SMT-LIB (when the wasm side crashed on it) */
  | { kind: 'export'; query: Query; smtOut: string }
  /** run a query unmeasured, so wasm tier-up and JIT warm-up do not land on the first measured query */
  | { kind: 'warmup'; query: Query; timeoutMs: number }
  | { kind: 'exit' };

/** worker -> parent */
export type FromWorker =
  | { kind: 'ready'; z3Version: string; initMs: number }
  | { kind: 'result'; key: string; ours: OursResult; smtFile: string | null }
  | { kind: 'exported'; key: string; smtFile: string; smtBytes: number }
  | { kind: 'warm'; ms: number }
  | { kind: 'bye'; maxRssKb: number };

/** 'yes' both definite and equal; 'NO' both definite and different (a bug); 'partial' one side unknown. */
export type Agreement = 'yes' | 'NO' | 'partial' | 'n/a';

export interface Row extends Omit<Query, 'key'> {
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
