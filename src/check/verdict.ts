// The one place that decides what a protocol's check concludes and what that
// conclusion covers (docs/semantics.md, section 5). The CLI, the synthesis
// gate and the benchmarks call checkClaims; none of them combines verdicts
// on its own.
//
// The rule: a property is verified only when it is proved for every n and t
// the resilience condition admits and every f in 0..t (a phase lemma chain,
// an inductive invariant, or a parameterized query whose round bound does
// not depend on t). Proofs
// for some t, or at some instances, say what they cover and leave the
// property unknown, because threshold protocols exist that hold up to some t
// and break beyond it. Unless the question itself is narrowed (the caller
// asked for given instances, t values, a round count or a per-instance
// engine): then verified means "for the question asked", and the summary
// says which question that was.

import { printExpr } from '../lang/printer';
import { boundIsT, byzantineOverApproximation, faultsInWords, hybridBoundsAreTO } from '../ir/faults';
import { isBuiltinProperty, type PropertyName, type Protocol } from '../ir/types';
import type { Property, Trace } from '../trace/model';
import { type CheckResult, allProperties, checkProtocol, type Engine, type Verdict } from './check';
import type { NT } from './instances';
import { type InvariantResult, proveByInvariant } from './invariant';
import { checkLemma, type LemmaResult } from './lemmas';
import { checkParamProtocol, DEFAULT_PARAM_TS, paramUnsupported, type ParamReport, type ParamResult, type ParamSkip } from './param';

/** An instance as the user writes it: n:t, or n:t:o for a hybrid protocol. */
export const instanceText = (i: { n: number | null; t: number | null; o?: number }): string => `${i.n}:${i.t}${i.o === undefined ? '' : `:${i.o}`}`;

/** Which engines answer: param = lemmas + parameterized queries; all = those, then the concrete counter engine. */
export type EngineChoice = Engine | 'param' | 'all';

export interface ClaimsQuestion {
  engine: EngineChoice;
  /** the properties to check (default: the claimed ones and the file's own); duplicates are ignored */
  properties?: readonly PropertyName[];
  /** instances of the concrete engine */
  instances: readonly NT[];
  /** t values of the parameterized per-t regions (default 1..4) */
  ts?: readonly number[];
  /** a round count instead of each property's own bound (concrete engines only) */
  rounds?: number;
  /** why the question is narrower than "every n and t" (e.g. "--instances 5:1"); empty: it is not */
  narrowedBy: readonly string[];
  timeoutMs: number;
  /** progress: each result as it is known */
  onLemma?: (r: LemmaResult | { property: PropertyName; skipped: string }) => void;
  onInvariant?: (r: InvariantResult) => void;
  onParam?: (r: ParamResult) => void;
  onSkip?: (s: ParamSkip) => void;
  onConcrete?: (r: CheckResult) => void;
  /** false: stop at the first violation (the gate); default true */
  exhaustive?: boolean;
  /** true: the invariant engine also for properties the phase lemmas proved (two independent proofs; `check --all-proofs`) */
  everyProver?: boolean;
}

/** What one property's results amount to. */
export interface PropertyCoverage {
  property: PropertyName;
  verdict: Verdict;
  /** proved for every n and t (and every f) */
  everyNT: boolean;
  /** what was proved, in words (empty when nothing was) */
  covers: string;
  /** why the property is not verified, when it is not */
  reason?: string;
}

export interface ClaimsReport {
  verdict: Verdict;
  properties: PropertyCoverage[];
  lemmas: LemmaResult[];
  /** inductive-invariant proofs (only the proved ones) */
  invariants: InvariantResult[];
  param: ParamReport;
  concrete: CheckResult[];
  /** the first counterexample (replayed), if any */
  counterexample?: Trace;
  /** one line: the verdict and what it covers */
  summary: string;
}

const unique = <T>(xs: readonly T[]): T[] => [...new Set(xs)];

export async function checkClaims(protocol: Protocol, question: ClaimsQuestion): Promise<ClaimsReport> {
  const properties = unique(question.properties ?? allProperties(protocol));
  const usesParam = question.engine === 'param' || (question.engine === 'all' && question.rounds === undefined);
  // hybrid faults: the process encoding is the concrete engine that models them (the counter encoding refuses them)
  const concreteEngine: Engine | null = question.engine === 'param' ? null : question.engine === 'all' ? (protocol.faults.kind === 'hybrid' ? 'process' : 'counter') : question.engine;
  const exhaustive = question.exhaustive ?? true;

  const concrete: CheckResult[] = [];
  const runConcrete = async (props: readonly PropertyName[]): Promise<void> => {
    if (concreteEngine === null) return;
    for (const inst of question.instances) {
      const r = await checkProtocol(protocol, { instances: [inst], properties: [...props], engine: concreteEngine, rounds: question.rounds, timeoutMs: question.timeoutMs, onResult: question.onConcrete });
      concrete.push(...r.results);
      if (!exhaustive && r.results.some((x) => x.verdict === 'violated')) return;
    }
  };
  // The gate refutes cheaply first: concrete queries are fast and find most bugs.
  if (!exhaustive) await runConcrete(properties);
  const refuted = (): boolean => !exhaustive && concrete.some((r) => r.verdict === 'violated');

  // The phase lemmas and the invariant engine model up to t Byzantine faults. A proof there covers crash
  // and omission faults too (a Byzantine process can act either out) and any schedule assumption (fewer
  // runs), so they run for the built-in properties whenever the fault bound is t; they never refute.
  const byzantineProvable = boundIsT(protocol.faults) ? properties.filter(isBuiltinProperty) : [];
  // the file's own properties (always; eventually within whole phases): the invariant engine only. Their followers are
  // counted only in a crash or omission protocol's own model (./invariant.ts); the Byzantine model speaks for the correct.
  // a hybrid protocol (bounds t and o) has no Byzantine model with bound t that includes it: its own model only
  const hybrid = hybridBoundsAreTO(protocol.faults);
  const native = (protocol.faults.kind !== 'byzantine' && boundIsT(protocol.faults)) || hybrid;
  const ownProvable = boundIsT(protocol.faults) || hybrid ? protocol.userProperties.filter((u) => properties.includes(u.name) && (u.scope === 'correct' || protocol.faults.kind === 'byzantine' || native)).map((u) => u.name) : [];
  const byzantine = boundIsT(protocol.faults) ? byzantineOverApproximation(protocol) : protocol;
  const lemmas: LemmaResult[] = [];
  if (usesParam && !refuted()) {
    for (const property of byzantineProvable) {
      const r = await checkLemma(byzantine, property, question.timeoutMs);
      if ('skipped' in r) question.onLemma?.({ property, skipped: r.skipped });
      else {
        question.onLemma?.(r);
        if (r.verdict === 'verified') lemmas.push(r);
      }
    }
  }
  // Then the inductive-invariant engine, for what the lemmas did not prove (./invariant.ts). A crash or
  // omission protocol is tried in its own fault model first (it may hold only there, e.g. FloodSet),
  // then in the Byzantine model that includes it.
  const invariants: InvariantResult[] = [];
  const invariantWhy = new Map<PropertyName, string>();
  // the Byzantine model speaks for the correct processes only, not for a crash or omission protocol's followers
  const byzantineSpeaksFor = (property: PropertyName): boolean => !native || protocol.userProperties.find((u) => u.name === property)?.scope !== 'followers';
  if (usesParam && !refuted()) {
    const builtinNative = hybrid ? properties.filter(isBuiltinProperty) : [];
    for (const property of [...byzantineProvable.filter((p) => question.everyProver === true || !lemmas.some((l) => l.property === p)), ...builtinNative, ...ownProvable]) {
      // the file's own safety properties are proved for runs of any length when they can be
      // the file's own `always` properties: runs of any length first (an `eventually` one is about its W rounds only)
      const anyLength = protocol.userProperties.find((u) => u.name === property)?.formula.kind === 'always';
      const own = native ? await invariantOf(protocol, property, question.timeoutMs, anyLength) : null;
      const r = own !== null && (own.verdict === 'proved' || hybrid || !byzantineSpeaksFor(property)) ? own : await invariantOf(byzantine, property, question.timeoutMs, anyLength);
      question.onInvariant?.(r);
      if (r.verdict === 'proved') invariants.push(r);
      else invariantWhy.set(property, r.reason ?? 'no inductive invariant found');
    }
  }
  const everyNT = new Set<PropertyName>([...lemmas.map((l) => l.property), ...invariants.map((r) => r.property)]);
  // The parameterized engine for the rest: a proof where the round bound is constant, else per-t refutations.
  const paramSkipped: ParamSkip[] = [];
  const paramProps: Property[] = [];
  for (const p of properties.filter((x) => !everyNT.has(x))) {
    const why = paramUnsupported(protocol, p);
    if (why === null && isBuiltinProperty(p)) paramProps.push(p);
    // hybrid: the invariant engine is the only prover (section 5.3), so its reason is the one that matters
    else if (protocol.faults.kind === 'hybrid') paramSkipped.push({ property: p, t: null, reason: `the inductive-invariant engine, the only prover for hybrid faults, found no proof: ${invariantWhy.get(p) ?? 'not asked'}` });
    else paramSkipped.push({ property: p, t: null, reason: why ?? 'not a built-in property' });
  }
  const param: ParamReport =
    usesParam && paramProps.length > 0 && !refuted()
      ? await checkParamProtocol(protocol, { ts: [...(question.ts ?? DEFAULT_PARAM_TS)], properties: paramProps, timeoutMs: question.timeoutMs, onResult: question.onParam })
      : { results: [], skipped: [] };
  if (usesParam) param.skipped.push(...paramSkipped);
  for (const s of param.skipped) question.onSkip?.(s);
  if (exhaustive) await runConcrete(properties);

  const coverage = properties.map((p) => coverageOf(protocol, p, lemmas, invariants, param, concrete, question));
  const counterexample = [...param.results, ...concrete].find((r) => r.counterexample !== undefined)?.counterexample;
  const verdict = overallOf(coverage);
  return { verdict, properties: coverage, lemmas, invariants, param, concrete, ...(counterexample === undefined ? {} : { counterexample }), summary: summaryOf(protocol, verdict, coverage, question) };
}

function coverageOf(protocol: Protocol, property: PropertyName, lemmas: readonly LemmaResult[], invariants: readonly InvariantResult[], param: ParamReport, concrete: readonly CheckResult[], question: ClaimsQuestion): PropertyCoverage {
  const res = printExpr(protocol.resilience);
  const mine = <R extends { property: PropertyName }>(rs: readonly R[]): R[] => rs.filter((r) => r.property === property);
  const lemma = mine(lemmas).find((l) => l.verdict === 'verified');
  const regions = mine(param.results);
  const points = mine(concrete);
  const all = [...regions.map((r) => r.verdict), ...points.map((r) => r.verdict)];
  const everyT = regions.find((r) => r.t === null && r.verdict === 'verified');
  const invariant = mine(invariants).find((r) => r.verdict === 'proved');
  const everyNT = lemma !== undefined || invariant !== undefined || everyT !== undefined;
  if (all.includes('violated')) {
    const bad = [...regions, ...points].find((r) => r.verdict === 'violated') as ParamResult | CheckResult;
    // a replayed counterexample against a proof for every n and t: one of the engines is wrong, never a verdict
    if (everyNT) throw new Error(`internal error: ${property} of ${protocol.name} is proved for every n and t (${lemma !== undefined ? 'phase lemmas' : invariant !== undefined ? 'inductive invariant' : 'param'}) and violated at n=${bad.n} t=${bad.t} f=${bad.f}`);
    const faulty = 'o' in bad && bad.o !== undefined ? ` o=${bad.o} fb=${bad.f} fo=${bad.fo ?? '?'}` : ` f=${bad.f}`;
    return { property, verdict: 'violated', everyNT: false, covers: '', reason: `at n=${bad.n} t=${bad.t}${faulty}` };
  }
  const parts: string[] = [];
  // the every-n-t provers model Byzantine faults; for a crash or omission protocol their proof holds by inclusion
  const viaByzantine = lemma !== undefined || (invariant !== undefined && invariant.model !== protocol.faults.kind);
  const byInclusion = protocol.faults.kind !== 'byzantine' && viaByzantine ? `, against Byzantine faults, which include ${protocol.faults.kind} faults` : '';
  const anyLength = lemma === undefined && invariant !== undefined && invariant.region.some((r) => r.includes('runs of any length')) ? ', runs of any length' : '';
  if (everyNT) parts.push(`for every ${everyWhat(protocol)} with ${res} (${lemma !== undefined ? 'phase lemmas' : invariant !== undefined ? 'inductive invariant' : 'param'}${anyLength}${byInclusion})`);
  else {
    const ts = regions.filter((r) => r.verdict === 'verified' && r.t !== null).map((r) => r.t as number);
    if (ts.length > 0) parts.push(`for every n with ${res} at t = ${ts.join(', ')} only`);
  }
  const verifiedAt = points.filter((r) => r.verdict === 'verified');
  const at = verifiedAt.map((r) => instanceText(r));
  if (at.length > 0) parts.push(`at ${verifiedAt.some((r) => r.o !== undefined) ? 'n:t:o' : 'n:t'} = ${at.join(', ')}${question.rounds === undefined ? '' : ` within ${question.rounds} rounds`}`);
  const covers = parts.join(' and ');
  // an open query at some instance does not weaken a proof for every n and t (it covers that instance)
  const unknown = everyNT ? undefined : [...regions, ...points].find((r) => r.verdict === 'unknown');
  const unknownO = unknown !== undefined && 'o' in unknown && unknown.o !== undefined ? ` o=${unknown.o}` : '';
  if (unknown !== undefined) return { property, verdict: 'unknown', everyNT, covers, reason: `no answer at ${unknown.n === null ? 'every n' : `n=${unknown.n}`}${unknown.t === null ? '' : ` t=${unknown.t}`}${unknownO}: ${unknown.reason ?? 'unknown'}` };
  if (question.narrowedBy.length > 0) {
    if (all.length === 0 && !everyNT) return { property, verdict: 'unknown', everyNT, covers, reason: 'no engine covered it' };
    return { property, verdict: 'verified', everyNT, covers };
  }
  if (everyNT) return { property, verdict: 'verified', everyNT, covers };
  const skip = param.skipped.find((s) => s.property === property);
  const why = skip !== undefined ? `not proved for every ${everyWhat(protocol)}: ${skip.reason}` : `not proved for every ${everyWhat(protocol)}`;
  return { property, verdict: 'unknown', everyNT, covers, reason: why };
}

function overallOf(coverage: readonly PropertyCoverage[]): Verdict {
  if (coverage.some((c) => c.verdict === 'violated')) return 'violated';
  if (coverage.length === 0 || coverage.some((c) => c.verdict === 'unknown')) return 'unknown';
  return 'verified';
}

/** The parameters a proof for every instance ranges over. */
const everyWhat = (protocol: Protocol): string => (protocol.faults.kind === 'hybrid' ? 'n, t and o' : 'n and t');

/** One line: the verdict, then per group of properties with the same outcome what it covers. */
function summaryOf(protocol: Protocol, verdict: Verdict, coverage: readonly PropertyCoverage[], question: ClaimsQuestion): string {
  const phrase = (c: PropertyCoverage): string => {
    const covers = c.covers === '' ? '' : `proved ${c.covers}`;
    if (c.verdict === 'violated') return `VIOLATED ${c.reason ?? ''}`.trim();
    if (c.verdict === 'verified') return covers;
    return `UNKNOWN (${c.reason ?? 'no answer'})${covers === '' ? '' : `, ${covers}`}`;
  };
  const groups = new Map<string, PropertyName[]>();
  for (const c of coverage) groups.set(phrase(c), [...(groups.get(phrase(c)) ?? []), c.property]);
  const each = [...groups].map(([text, props]) => `${props.join(', ')} ${text}`);
  const scope = question.narrowedBy.length > 0 ? ` [a narrower question than the claims (${question.narrowedBy.join('; ')}): not a proof for every ${everyWhat(protocol)}]` : '';
  return `${protocol.name}: ${verdict.toUpperCase()}${modelPhrase(protocol)}: ${each.join('; ')}${scope}`;
}

/** The adversary the verdict is about, when it is not the default (up to t Byzantine processes, any schedule). */
export function modelPhrase(protocol: Protocol): string {
  const parts: string[] = [];
  if (!isClassicFaults(protocol)) parts.push(`against ${faultsInWords(protocol.faults, printExpr)}`);
  for (const a of protocol.assumptions) parts.push(`assuming a clean round within ${printExpr(a.within)} rounds`);
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

function isClassicFaults(protocol: Protocol): boolean {
  return protocol.faults.kind === 'byzantine' && boundIsT(protocol.faults);
}

/** The invariant engine never throws at the caller: an engine error is no proof, and says why. */
async function invariantOf(protocol: Protocol, property: PropertyName, timeoutMs: number, unbounded: boolean): Promise<InvariantResult> {
  try {
    if (unbounded) {
      const anyLength = await proveByInvariant(protocol, property, { timeoutMs, unbounded: true });
      if (anyLength.verdict === 'proved') return anyLength;
    }
    return await proveByInvariant(protocol, property, { timeoutMs });
  } catch (e) {
    const reason = `internal error in the invariant engine (please report it): ${e instanceof Error ? e.message : String(e)}`;
    return { property, verdict: 'unknown', invariant: [], classes: [], phases: '', region: [], queries: [], ms: 0, reason, stats: { candidates: 0, afterSampling: 0, samples: 0 } };
  }
}
