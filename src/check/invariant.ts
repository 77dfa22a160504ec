// The every-n-and-t engine by inductive invariant (docs/semantics.md section
// 3.6): for one property, build the phase-level transition
// system (../smt/invariant/system.ts), generate candidate conjuncts from
// templates (../smt/invariant/candidates.ts), drop those false on sampled
// reachable states (../smt/invariant/sample.ts), weaken the rest by Houdini
// to an inductive invariant (../smt/invariant/houdini.ts), and check that it
// implies the property. 'proved' only when the three verification
// conditions (Init => Inv, Inv and T => Inv', Inv => Property) were each
// answered unsat (and two sanity queries, Init and Inv, Inv and T, sat: the
// encoding is not contradictory), with n, t, f symbolic (the resilience condition,
// 0 <= f <= t, t < n); everything else is 'unknown', never a violation.
//
// What 'proved' covers: every admissible n, t, every f in 0..t, every
// adversary, every phase boundary of the property's P(t) phases (the
// horizon, or the termination bound), hence the property at the horizon
// (a decision is kept once taken; for safety every phase overlapping the
// horizon is included, for termination the whole phases within the bound).

import { boundIsT, byzantineOverApproximation } from '../ir/faults';
import { type FaultKind, isBuiltinProperty, type PropertyName, type Protocol } from '../ir/types';
import { userInvariantProblem } from '../smt/invariant/user';
import { allCandidates, type Candidate, candidateStages, simplify } from '../smt/invariant/candidates';
import { nativeSolverVersion } from '../smt/native';
import { minimize } from '../smt/invariant/minimize';
import { runSpacer } from '../smt/invariant/spacer';
import { houdini, type QueryRecord, vcScripts, verificationConditions } from '../smt/invariant/houdini';
import { filterCandidates, sampleStates, type Sample } from '../smt/invariant/sample';
import { buildSystem, describeClass, type InvSystem, phaseBound } from '../smt/invariant/system';
import { faultProblem, namedFaults } from '../smt/invariant/faults';
import { HYBRID_REGION, OMISSION_LEADER_REGION } from '../smt/invariant/hybrid';
import { printExpr } from '../lang/printer';
import { eventuallyOf, namedGhosts } from '../smt/invariant/eventually';
import * as T from '../smt/term';

export interface InvariantOptions {
  /** per query (default 60 s) */
  timeoutMs?: number;
  /** t values of the sampled runs (default 1, 2, 3) */
  sampleTs?: number[];
  /** spend up to this long (ms) shrinking a found invariant for readers (default 0: not at all; ../smt/invariant/minimize.ts) */
  minimizeMs?: number;
  /**
   * First run Spacer (native z3, ../smt/invariant/spacer.ts) on the same
   * system for up to this long (ms; default 0: not at all). If it finds a
   * path to a violation in the system, stop with 'unknown' (the system
   * over-approximates the runs, so this is a hint for the bounded engines,
   * not a violation); otherwise go on (a Spacer 'sat' is not an artefact).
   */
  spacerMs?: number;
  /**
   * Safety for runs of any length (agreement, validity): the system does not
   * stop after the horizon's P phases (default false: the claimed horizon).
   */
  unbounded?: boolean;
}

export interface InvariantConjunct {
  id: string;
  words: string;
  /** over the pre-state constants: n, t, f, inv_p, inv_b, vin, s_<class> */
  smtlib: string;
}

export interface InvariantResult {
  property: PropertyName;
  /**
   * The fault model of the proof: the kind of the protocol it was asked on
   * (crash or omission: the protocol's own model, ../smt/invariant/faults.ts;
   * byzantine: for a crash or omission protocol, the model that includes it)
   */
  model?: FaultKind | 'hybrid';
  verdict: 'proved' | 'unknown';
  /** the conjuncts of the invariant (when proved: the proof's invariant) */
  invariant: InvariantConjunct[];
  /** the state classes: representative -> description */
  classes: { id: number; state: string }[];
  /** the number of phases P(t) the result is about, as text */
  phases: string;
  /** the region the queries cover besides the resilience condition, in words */
  region: string[];
  /** Spacer's answer on the system, when it ran (opts.spacerMs) */
  spacer?: { status: string; ms: number };
  /** every query asked; the vc:* ones are the proof's verification conditions */
  queries: QueryRecord[];
  ms: number;
  reason?: string;
  /** stage and stages: a large system's candidate sets, tried in turn (../smt/invariant/candidates.ts candidateStages) */
  stats: { candidates: number; afterSampling: number; samples: number; stage?: number; stages?: number };
}

/** The symbolic pre-state view, for printing conjuncts. */
function printable(sys: InvSystem, c: Candidate): string {
  const view = {
    n: T.ivar('n'), t: T.ivar('t'), f: T.ivar('f'), p: T.ivar('inv_p'), b: T.ivar('inv_b'),
    vin: sys.property === 'validity' ? T.ivar('vin') : null,
    cnt: (k: number) => T.ivar(`s_${k}`),
    fl: sys.faults === null ? null : namedFaults(sys.faults),
    ev: eventuallyOf(sys.user) === null ? null : namedGhosts(),
  };
  return T.printB(T.normB(c.at(view)));
}

export async function proveByInvariant(protocol: Protocol, property: PropertyName, opts: InvariantOptions = {}): Promise<InvariantResult> {
  const t0 = Date.now();
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const base = { property, model: protocol.faults.kind, invariant: [], classes: [], phases: '', region: [], queries: [], stats: { candidates: 0, afterSampling: 0, samples: 0 } };
  const problem = claimProblem(protocol, property);
  if (problem !== null) return { ...base, verdict: 'unknown', ms: Date.now() - t0, reason: problem };
  const ph = phaseBound(protocol, property);
  if (typeof ph === 'string') return { ...base, verdict: 'unknown', ms: Date.now() - t0, reason: ph };
  const sys = buildSystem(protocol, property, ph, opts.unbounded === true && property !== 'termination');
  const classes = sys.classes.map((c) => ({ id: c, state: describeClass(sys, c) }));
  const phases = `${ph.base}${ph.slope === 0 ? '' : ` + ${ph.slope}*t`}${(ph.slopeO ?? 0) === 0 ? '' : ` + ${ph.slopeO}*o`}`;
  let spacer: { status: string; ms: number } | undefined;
  if ((opts.spacerMs ?? 0) > 0 && sys.faults === null && eventuallyOf(sys.user) === null && nativeSolverVersion('z3') !== null) {
    const run = await runSpacer(sys, opts.spacerMs ?? 0);
    spacer = { status: run.status, ms: run.ms };
    if (run.status === 'unsat') return { ...base, classes, phases, spacer, verdict: 'unknown', ms: Date.now() - t0, reason: 'Spacer: the phase system reaches a violation (an over-approximation: not a verified counterexample)' };
  }
  const cands = allCandidates(sys);
  const samples: Sample[] = sampleStates(sys, opts.sampleTs === undefined ? {} : { ts: opts.sampleTs });
  const hybrid = sys.faults?.kind === 'hybrid' && sys.faults.omissionLeaders !== true;
  const omitLeaders = sys.faults?.omissionLeaders === true;
  const faults = sys.faults === null ? [] : omitLeaders ? ['omission faults (the protocol\'s own model, with leader messages: the hybrid encoding with no Byzantine process and omission bound t)'] : hybrid ? [`hybrid faults (the protocol's own model): every n, t, o with ${printExpr(protocol.resilience)}, fb in 0..t Byzantine and fo in 0..o omission-faulty`] : [`${sys.faults.kind} faults (the protocol's own model)`, ...protocol.assumptions.map(() => 'runs with the assumed clean round')];
  const params = omitLeaders ? OMISSION_LEADER_REGION : hybrid ? HYBRID_REGION : ['0 <= f <= t', 't < n', 't >= 0'];
  const region = [...params, ...(ph.horizon === null ? [] : ['the horizon is at least 1 round']), sys.unbounded ? 'every phase p >= 1 (runs of any length)' : `phases 1 .. P = ${phases}`, ...faults];
  const P = (t: number, o: number): number => ph.base + ph.slope * t + (ph.slopeO ?? 0) * o;
  const witness = samples.filter((s) => s.p <= P(s.t, s.hy?.o ?? 0)).sort((a, b) => b.counts.size - a.counts.size || a.n - b.n)[0] ?? null;
  // a large system is tried on growing candidate sets (candidateStages); the last stage's answer stands
  const stages = candidateStages(cands);
  for (const [i, stage] of stages.entries()) {
    const last = i === stages.length - 1;
    const kept = filterCandidates(stage, samples);
    const stats = { candidates: cands.length, afterSampling: kept.length, samples: samples.length, ...(stages.length > 1 ? { stage: i + 1, stages: stages.length } : {}) };
    const h = await houdini(sys, kept, { timeoutMs });
    let inv = h.ok ? simplify(h.invariant) : h.invariant;
    if (h.ok && (opts.minimizeMs ?? 0) > 0) inv = await minimize(sys, inv, { timeoutMs, budgetMs: opts.minimizeMs ?? 0 });
    const invariant = inv.map((c) => ({ id: c.id, words: c.words, smtlib: printable(sys, c) }));
    const common = { property, model: protocol.faults.kind, invariant, classes, phases, region, stats, ...(spacer === undefined ? {} : { spacer }) };
    // a timeout or an unknown answer: a larger set would only take longer
    if (!h.ok) return { ...common, verdict: 'unknown', queries: h.queries, ms: Date.now() - t0, reason: h.reason ?? 'houdini failed' };
    const vcs = await verificationConditions(sys, inv, timeoutMs, h.queries, witness);
    const queries = [...h.queries, ...vcs];
    const bad = vcs.find((q) => q.status !== (q.name.startsWith('sanity:') ? 'sat' : 'unsat'));
    if (bad === undefined) return { ...common, verdict: 'proved', queries, ms: Date.now() - t0 };
    // too weak to imply the property: a larger set may hold a stronger invariant
    const tooWeak = (bad.name === 'vc:property' || bad.name === 'vc:rounds') && bad.status === 'sat';
    if (tooWeak && !last) continue;
    const reason = !tooWeak ? `${bad.name}: ${bad.status}` : bad.name === 'vc:property' ? 'the strongest inductive invariant found does not imply the property' : 'the strongest inductive invariant found does not imply the property at the boundaries inside a phase';
    return { ...common, verdict: 'unknown', queries, ms: Date.now() - t0, reason };
  }
  throw new Error('invariant: no candidate stage');
}

/**
 * The verification conditions of a stored invariant (its conjuncts' ids),
 * regenerated from the protocol: for a proof checker, which must compare
 * these texts with the stored ones (or just ask them) and never trust
 * stored text. Unknown ids are an error (the templates changed, or the file
 * was edited).
 */
/** Why the engine cannot try this property (null: it can). */
function claimProblem(protocol: Protocol, property: PropertyName): string | null {
  const faults = faultProblem(protocol);
  if (faults !== null) return faults;
  if (isBuiltinProperty(property)) {
    const claimed = property === 'termination' ? protocol.properties.termination !== null : protocol.properties[property];
    return claimed ? null : `${property} is not claimed`;
  }
  const user = protocol.userProperties.find((u) => u.name === property);
  return user === undefined ? `${protocol.name} has no property ${property}` : userInvariantProblem(protocol, user);
}

/** The fault domain fact every invariant of a crash or omission system has (../smt/invariant/candidates-faults.ts; never dropped). */
const FAULT_DOMAIN = 'dom:faulty';

/**
 * The model a stored invariant was proved in, from its conjuncts: the
 * protocol's own crash or omission model when it has the fault domain fact,
 * else the Byzantine model that includes it (null: none, the bound is not t).
 */
export function invariantModel(protocol: Protocol, ids: readonly string[]): Protocol | null {
  if (protocol.faults.kind !== 'byzantine' && ids.includes(FAULT_DOMAIN)) return protocol;
  return boundIsT(protocol.faults) ? byzantineOverApproximation(protocol) : null;
}

export function invariantVcs(protocol: Protocol, property: PropertyName, ids: readonly string[], opts: { unbounded?: boolean } = {}): { name: string; smtlib: string }[] {
  const ph = phaseBound(protocol, property);
  if (typeof ph === 'string') throw new Error(ph);
  const sys = buildSystem(protocol, property, ph, opts.unbounded === true && property !== 'termination');
  const byId = new Map(allCandidates(sys).map((c) => [c.id, c]));
  const inv = ids.map((id) => {
    const c = byId.get(id);
    if (c === undefined) throw new Error(`invariant: no candidate ${JSON.stringify(id)} for ${protocol.name} ${property}`);
    return c;
  });
  return vcScripts(sys, inv);
}
