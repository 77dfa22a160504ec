// The checker: one SMT query per (property, instance), verdicts under the
// soundness rules of docs/semantics.md section 4:
// - 'verified' only on unsat; timeout / unknown / any error is 'unknown';
// - every sat model is decoded into a trace and replayed in the simulator; a
//   trace that does not replay is an internal error and throws.
// Hybrid protocols (Byzantine and omission faults, docs/semantics.md section
// 1.9) have instances n:t:o; only the process engine models them (the counter
// engine answers unknown with its reason).

import { evalParamInt } from '../ir/eval';
import { isBuiltinProperty, type Property, type PropertyName, type Protocol } from '../ir/types';
import { replayTrace } from '../sim/replay';
import { encodeCounter } from '../smt/counter/encode';
import { decodeCounter } from '../smt/counter/decode';
import { encodeProcess } from '../smt/process/encode';
import { decodeProcess } from '../smt/process/decode';
import { decodeProcessTrace } from '../smt/process/trace';
import { buildTrace, type DecodedRun } from '../smt/trace-build';
import { solve, type SmtModel } from '../smt/z3';
import { type Trace, violationName } from '../trace/model';
import { counterUnsupported } from '../smt/counter/support';
import { processUnsupported } from '../smt/process/support';

export type Engine = 'counter' | 'process';
export type Verdict = 'verified' | 'violated' | 'unknown';

export interface CheckOptions {
  /** o: hybrid protocols only (required there) */
  instances: { n: number; t: number; o?: number }[];
  /** default: the claimed properties and the file's user properties */
  properties?: PropertyName[];
  engine: Engine;
  /** rounds to check; default: the termination bound for termination, the horizon otherwise */
  rounds?: number;
  timeoutMs: number;
  /** called as each query finishes, for progress reporting */
  onResult?: (result: CheckResult) => void;
}

export interface CheckResult {
  property: PropertyName;
  n: number;
  t: number;
  /** hybrid protocols only: the omission parameter o of the instance (n:t:o) */
  o?: number;
  /** the counterexample's number of faulty processes (hybrid: Byzantine ones), or null: every f in 0..t (or the fixed f the caller asked for) */
  f: number | null;
  /** hybrid protocols, violated only: the counterexample's number of omission-faulty processes */
  fo?: number;
  rounds: number;
  engine: Engine;
  verdict: Verdict;
  ms: number;
  /** why the verdict is unknown */
  reason?: string;
  /** the query (SMT-LIB2) as asserted: the proof artefact when verified */
  smtlib: string;
  counterexample?: Trace;
}

export interface CheckReport {
  verdict: Verdict;
  results: CheckResult[];
}

/** The built-in properties the file claims. */
export function claimedProperties(p: Protocol): Property[] {
  const out: Property[] = [];
  if (p.properties.agreement) out.push('agreement');
  if (p.properties.validity) out.push('validity');
  if (p.properties.termination !== null) out.push('termination');
  return out;
}

/** Every property a check of the file answers: the claimed built-in ones, then its own, in file order. */
export function allProperties(p: Protocol): PropertyName[] {
  return [...claimedProperties(p), ...p.userProperties.map((u) => u.name)];
}

/** The rounds a query unrolls; o: hybrid instances only. */
export function roundsFor(p: Protocol, property: PropertyName, n: number, t: number, override?: number, o?: number): number {
  if (override !== undefined) return override;
  if (property === 'termination' && p.properties.termination !== null) return evalParamInt(p.properties.termination, n, t, o);
  return evalParamInt(p.horizon, n, t, o);
}

/** One query's instance: o (hybrid only) and a fixed fault count f (hybrid: Byzantine), fo (hybrid: omission-faulty) when the caller fixes them. */
export interface QueryInstance {
  n: number;
  t: number;
  o?: number;
  f?: number;
  fo?: number;
  rounds: number;
}

interface Encoded {
  smtlib: string;
  trace: (m: SmtModel) => Trace;
}

/** null: the engine answers this question; otherwise why it cannot (the result is unknown). */
export function engineUnsupported(p: Protocol, engine: Engine, property: PropertyName): string | null {
  return engine === 'counter' ? counterUnsupported(p, property) : processUnsupported(p, property);
}

function encode(p: Protocol, engine: Engine, inst: QueryInstance, property: PropertyName): Encoded {
  const viaBuilder = (decode: (m: SmtModel) => DecodedRun) => (m: SmtModel) => buildTrace(p, decode(m), property);
  if (engine === 'counter') {
    const e = encodeCounter(p, inst, property);
    return { smtlib: e.q.smtlib(), trace: viaBuilder((m) => decodeCounter(e, m)) };
  }
  const e = encodeProcess(p, inst, property);
  // hybrid runs are assembled by the process decoder's own trace builder (the shared one knows no hybrid runs)
  return { smtlib: e.q.smtlib(), trace: p.faults.kind === 'hybrid' ? (m) => decodeProcessTrace(e, m) : viaBuilder((m) => decodeProcess(e, m)) };
}

/** One query: is there a run of `rounds` rounds violating `property`? */
export async function checkOne(p: Protocol, engine: Engine, inst: QueryInstance, property: PropertyName, timeoutMs: number): Promise<CheckResult> {
  const t0 = Date.now();
  const withO = inst.o === undefined ? {} : { o: inst.o };
  const hybrid = p.faults.kind === 'hybrid';
  const unsupported = engineUnsupported(p, engine, property);
  // an engine that refuses the file answers unknown whatever the instance; otherwise o must match the fault model
  if (unsupported === null && hybrid !== (inst.o !== undefined)) throw new Error(`internal error: ${hybrid ? 'a hybrid instance without o' : 'o outside a hybrid instance'}`);
  const beyond = unsupported ?? withinBeyondRun(p, property, inst);
  if (beyond !== null) return { property, n: inst.n, t: inst.t, ...withO, f: inst.f ?? null, rounds: inst.rounds, engine, verdict: 'unknown', ms: 0, reason: beyond, smtlib: '' };
  // Every f in 0..t by default (f = t alone loses runs at n = t + 1); the
  // parameterized engine passes its model's f to concretize it.
  const f = inst.f ?? null;
  const base = { property, n: inst.n, t: inst.t, ...withO, f, rounds: inst.rounds, engine };
  const enc = encode(
    p,
    engine,
    {
      n: inst.n,
      t: inst.t,
      ...withO,
      ...(inst.f === undefined ? {} : { f: inst.f }),
      ...(inst.fo === undefined ? {} : { fo: inst.fo }),
      rounds: inst.rounds,
    },
    property,
  );
  // --timeout bounds the whole query, encoding included (the process encoding of a large n takes seconds to build)
  const left = timeoutMs - (Date.now() - t0);
  if (left <= 0) return { ...base, verdict: 'unknown', ms: Date.now() - t0, reason: `the timeout (${timeoutMs} ms) ran out while encoding the query`, smtlib: enc.smtlib };
  const r = await solve(enc.smtlib, { timeoutMs: left });
  const ms = Date.now() - t0;
  switch (r.status) {
    case 'unsat':
      return { ...base, verdict: 'verified', ms, smtlib: r.smtlib };
    case 'unknown':
      return { ...base, verdict: 'unknown', ms, reason: r.reason, smtlib: r.smtlib };
    case 'sat': {
      const trace = enc.trace(r.model);
      confirmReplay(p, trace, property);
      // hybrid: f counts the Byzantine processes, fo the omission-faulty ones
      const counts = hybrid ? { f: trace.byzantine.length, fo: (trace.faulty ?? []).length } : { f: (trace.faulty ?? trace.byzantine).length };
      return { ...base, ...counts, verdict: 'violated', ms: Date.now() - t0, smtlib: r.smtlib, counterexample: trace };
    }
  }
}

/** `eventually ... within W` needs runs of at least W rounds (docs/semantics.md section 2.5): why not, or null. */
function withinBeyondRun(p: Protocol, property: PropertyName, inst: { n: number; t: number; o?: number; rounds: number }): string | null {
  const u = p.userProperties.find((x) => x.name === property);
  if (isBuiltinProperty(property) || u === undefined || u.formula.kind !== 'eventually') return null;
  const W = evalParamInt(u.formula.within, inst.n, inst.t, inst.o);
  const at = `n = ${inst.n}, t = ${inst.t}${inst.o === undefined ? '' : `, o = ${inst.o}`}`;
  if (W < 0) return `${property} asks about round ${W} at ${at}: a bound below 0 names no boundary of a run`;
  return W <= inst.rounds ? null : `${property} asks about round ${W}, beyond the ${inst.rounds} rounds checked (the horizon at ${at})`;
}

/** Replays a decoded counterexample; anything but a faithful reproduction is an internal error. */
export function confirmReplay(p: Protocol, trace: Trace, property: PropertyName): void {
  const v = trace.violations.find((x) => violationName(x) === property);
  if (v === undefined) throw new Error(`internal error: decoded ${property} model shows no ${property} violation`);
  // The simulator only knows termination at the claimed bound; other bounds are checked on the replayed states.
  const claimedBound = p.properties.termination === null ? null : evalParamInt(p.properties.termination, trace.n, trace.t, trace.o);
  const own = v.property === 'termination' && v.round !== claimedBound;
  const rep = replayTrace(p, own ? { ...trace, violations: [] } : trace, { violations: 'claimed' });
  if (!rep.ok) throw new Error(`internal error: counterexample does not replay: ${rep.mismatch.message} (${rep.mismatch.recorded} vs ${rep.mismatch.replayed})`);
  if (own && v.property === 'termination') {
    const states = rep.trace.rounds[v.round - 1]?.states ?? rep.trace.initial;
    if (!v.processes.every((i) => states[i]?.decided === null)) throw new Error('internal error: termination counterexample does not replay');
  }
}

export function overall(results: readonly CheckResult[]): Verdict {
  if (results.some((r) => r.verdict === 'violated')) return 'violated';
  if (results.some((r) => r.verdict === 'unknown')) return 'unknown';
  return results.length > 0 ? 'verified' : 'unknown';
}

export async function checkProtocol(p: Protocol, opts: CheckOptions): Promise<CheckReport> {
  const properties = opts.properties ?? allProperties(p);
  const results: CheckResult[] = [];
  for (const { n, t, o } of opts.instances) {
    for (const property of properties) {
      const rounds = roundsFor(p, property, n, t, opts.rounds, o);
      const result = await checkOne(p, opts.engine, { n, t, ...(o === undefined ? {} : { o }), rounds }, property, opts.timeoutMs);
      results.push(result);
      opts.onResult?.(result);
    }
  }
  return { verdict: overall(results), results };
}
