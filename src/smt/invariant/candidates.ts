// Candidate conjuncts of the invariant, from templates over the system's
// state (./system.ts): domain facts, atoms over the class counts (a class is
// empty, every correct process has x = w, nobody decided u, every correct
// process decided, ...) and implications premise => atom, where a premise is
// a phase fact (the P phases are over, some earlier leader was correct, ...)
// or an atom's positive counterpart (somebody decided u, a class is occupied,
// ...). Nothing here needs to be true: Houdini (./houdini.ts) keeps only the
// candidates that are proved inductive together.

import { DECIDED } from '../../ir/types';
import type { Val } from '../../trace/model';
import * as T from '../term';
import { printExpr } from '../../lang/printer';
import { countView, decidedCount, describeClass, type InvSystem, members, phasesAt, type View } from './system';
import { quantAtoms, stateAt } from './user';
import { faultAtoms, faultDomain, faultPremises } from './candidates-faults';
import { leaderSpanCandidates } from './candidates-leaders';
import { GHOST_IMPLICATION, ghostAtoms, ghostDomain, ghostImplications, ghostPremises } from './candidates-eventually';

export interface Candidate {
  id: string;
  words: string;
  at: (v: View) => T.BTerm;
  /** for an implication: the premise's and the conclusion's ids */
  premise?: string;
  conclusion?: string;
}

interface Atom {
  id: string;
  words: string;
  at: (v: View) => T.BTerm;
}

const sum = (xs: T.ITerm[]): T.ITerm => T.add(...xs);

/** The hybrid part of a state of a hybrid system. */
function hyOf(v: View): NonNullable<NonNullable<View['fl']>['hy']> {
  const hy = v.fl?.hy ?? null;
  if (hy === null) throw new Error('invariant: a hybrid candidate on a state without o and fo');
  return hy;
}

/** The domain facts every state satisfies by construction (kept as conjuncts, so that the VCs check them too). */
export function domainCandidates(sys: InvSystem): Candidate[] {
  // (in an unbounded system p <= P + 1 is not invariant: Houdini drops it)
  const total = (v: View): T.ITerm => sum(sys.classes.map((c) => v.cnt(c)));
  return [
    { id: 'dom:p', words: 'p >= 1', at: (v) => T.ge(v.p, T.num(1)) },
    { id: 'dom:p<=P+1', words: 'p <= P + 1 (the system stops after P phases)', at: (v) => T.le(v.p, T.add(phasesAt(sys, v), T.num(1))) },
    sys.faults?.kind === 'hybrid'
      ? { id: 'dom:b', words: '0 <= b <= fb + fo and b <= p - 1 (b: the faulty leaders so far)', at: (v) => T.and(T.ge(v.b, T.num(0)), T.le(v.b, T.add(v.f, hyOf(v).fo)), T.le(v.b, T.sub(v.p, T.num(1)))) }
      : { id: 'dom:b', words: '0 <= b <= f and b <= p - 1', at: (v) => T.and(T.ge(v.b, T.num(0)), T.le(v.b, v.f), T.le(v.b, T.sub(v.p, T.num(1)))) },
    sys.faults?.kind === 'hybrid'
      ? { id: 'dom:cnt', words: 'every class count is >= 0 and they sum to n - fb - fo (fb Byzantine, fo omission-faulty)', at: (v) => T.and(...sys.classes.map((c) => T.ge(v.cnt(c), T.num(0))), T.eq(total(v), T.sub(T.sub(v.n, v.f), hyOf(v).fo))) }
      : { id: 'dom:cnt', words: 'every class count is >= 0 and they sum to n - f', at: (v) => T.and(...sys.classes.map((c) => T.ge(v.cnt(c), T.num(0))), T.eq(total(v), T.sub(v.n, v.f))) },
    ...faultDomain(sys),
    ...ghostDomain(sys),
  ];
}

/** Variables whose value a class determines for at least one class, with their domains (decided excluded). */
function classVars(sys: InvSystem): { name: string; domain: Val[] }[] {
  return sys.space.vars.filter((x) => x.name !== DECIDED && sys.classes.some((c) => new Set(members(sys, c).map((s) => JSON.stringify(s[x.name] ?? null))).size === 1));
}

/** Count of correct processes NOT certainly having x = w (their class has a member with another value). */
function notAll(sys: InvSystem, v: View, x: string, w: Val): T.ITerm {
  return sum(sys.classes.filter((c) => members(sys, c).some((s) => (s[x] ?? null) !== w)).map((c) => v.cnt(c)));
}

/** Conclusion atoms. */
function atoms(sys: InvSystem): Atom[] {
  const out: Atom[] = [];
  const zero = T.num(0);
  for (const c of sys.classes) out.push({ id: `empty:${c}`, words: `no correct process is in ${describeClass(sys, c)}`, at: (v) => T.eq(v.cnt(c), zero) });
  for (const x of classVars(sys)) {
    for (const w of x.domain) out.push({ id: `all:${x.name}=${String(w)}`, words: `every correct process has ${x.name} = ${String(w)}`, at: (v) => T.eq(notAll(sys, v, x.name, w), zero) });
    out.push({ id: `common:${x.name}`, words: `all correct processes have the same ${x.name}`, at: (v) => T.or(...x.domain.map((w) => T.eq(notAll(sys, v, x.name, w), zero))) });
    if (sys.property === 'validity' && x.domain.every((w) => typeof w === 'number')) {
      out.push({ id: `vin:${x.name}`, words: `every correct process has ${x.name} = vin`, at: (v) => T.or(...sys.values.map((w) => T.and(T.eq(v.vin as T.ITerm, T.num(w)), T.eq(notAll(sys, v, x.name, w), zero)))) });
    }
  }
  for (const u of sys.values) out.push({ id: `undecided:${u}`, words: `no correct process decided ${u}`, at: (v) => T.eq(decidedCount(sys, v, u), zero) });
  out.push({ id: 'undecided', words: 'no correct process decided', at: (v) => T.and(...sys.values.map((u) => T.eq(decidedCount(sys, v, u), zero))) });
  out.push({ id: 'decided', words: 'every correct process decided', at: (v) => T.eq(decidedCount(sys, v, null), zero) });
  out.push({ id: 'agree', words: 'no two correct processes decided differently', at: (v) => T.and(...sys.values.flatMap((a) => sys.values.filter((b) => a < b).map((b) => T.or(T.eq(decidedCount(sys, v, a), zero), T.eq(decidedCount(sys, v, b), zero))))) });
  out.push(...userAtoms(sys), ...faultAtoms(sys), ...ghostAtoms(sys));
  if (sys.property === 'validity') {
    out.push({ id: 'decided-vin', words: 'every correct decision is vin', at: (v) => T.or(...sys.values.map((w) => T.and(T.eq(v.vin as T.ITerm, T.num(w)), ...sys.values.filter((u) => u !== w).map((u) => T.eq(decidedCount(sys, v, u), zero))))) });
  }
  return out;
}

/** The premises that are facts about the phase and the leaders only. */
const PHASE_PREMISES: readonly string[] = ['running', 'done', 'last', 'started', 'goodleader', 'running&goodleader'];

/** Premises of implications. */
function premises(sys: InvSystem): Atom[] {
  const P = (v: View): T.ITerm => phasesAt(sys, v);
  const one = T.num(1);
  const out: Atom[] = [
    { id: 'running', words: 'p <= P (phases remain)', at: (v) => T.le(v.p, P(v)) },
    { id: 'done', words: 'p = P + 1 (the P phases are over)', at: (v) => T.eq(v.p, T.add(P(v), one)) },
    { id: 'last', words: 'p = P (the last phase is next)', at: (v) => T.eq(v.p, P(v)) },
    { id: 'started', words: 'p >= 2', at: (v) => T.ge(v.p, T.num(2)) },
    { id: 'goodleader', words: 'b < p - 1 (some earlier phase had a correct leader)', at: (v) => T.lt(v.b, T.sub(v.p, one)) },
    { id: 'running&goodleader', words: 'p <= P and b < p - 1 (phases remain, and some earlier phase had a correct leader)', at: (v) => T.and(T.le(v.p, P(v)), T.lt(v.b, T.sub(v.p, one))) },
  ];
  for (const u of sys.values) out.push({ id: `some:${u}`, words: `some correct process decided ${u}`, at: (v) => T.ge(decidedCount(sys, v, u), one) });
  out.push({ id: 'some', words: 'some correct process decided', at: (v) => T.or(...sys.values.map((u) => T.ge(decidedCount(sys, v, u), one))) });
  for (const c of sys.classes) out.push({ id: `occ:${c}`, words: `some correct process is in ${describeClass(sys, c)}`, at: (v) => T.ge(v.cnt(c), one) });
  for (const x of classVars(sys)) for (const w of x.domain) out.push({ id: `all:${x.name}=${String(w)}`, words: `every correct process has ${x.name} = ${String(w)}`, at: (v) => T.eq(notAll(sys, v, x.name, w), T.num(0)) });
  out.push(...userAtoms(sys), ...faultPremises(sys), ...ghostPremises(sys));
  return out;
}

/** The file's own property: its formula, and each of its quantified atoms, as atoms and premises. */
function userAtoms(sys: InvSystem): Atom[] {
  const u = sys.user;
  if (u === null || u.formula.kind !== 'always') return [];
  const state = u.formula.state;
  const out: Atom[] = [{ id: `user:${u.name}`, words: `${u.name} holds`, at: (v) => stateAt(sys.protocol, state, countView(sys, v)) }];
  for (const [i, q] of quantAtoms(state).entries()) {
    const text = `${q.quantifier}(${printExpr(q.pred)})`;
    out.push({ id: `user:${u.name}:${i}`, words: text, at: (v) => stateAt(sys.protocol, { kind: 'quant', quantifier: q.quantifier, pred: q.pred }, countView(sys, v)) });
  }
  return out;
}

/** Every candidate: the domain facts, the atoms, and premise => atom for every pair. */
export function allCandidates(sys: InvSystem): Candidate[] {
  const as = atoms(sys);
  const prs = premises(sys);
  const out: Candidate[] = [...domainCandidates(sys), ...as, ...leaderSpanCandidates(sys), ...ghostImplications(sys, [...as, ...prs])];
  for (const pr of prs) {
    for (const a of as) {
      if (pr.id === a.id) continue;
      out.push({ id: `${pr.id} => ${a.id}`, words: `if ${pr.words} then ${a.words}`, at: (v) => T.implies(pr.at(v), a.at(v)), premise: pr.id, conclusion: a.id });
    }
  }
  return out;
}

/** A system with more candidates than this is tried in stages (candidateStages). */
export const LARGE_SYSTEM = 4000;

/**
 * The candidate sets to try in turn, each a strict superset of the one
 * before. Houdini's queries grow with the candidates times the classes; on
 * a large system (more than LARGE_SYSTEM candidates, e.g. 12,000 over 60
 * classes for two coordinators per round) the full set can take far longer
 * than the proof needs. So a large system is tried first without the
 * premise x atom implications (the templates' own implications, such as
 * the leader span's, stay), then with those whose premise is part of the property's own
 * formula (a property "A implies B" is mostly proved from A), first with
 * conclusions other than a class's emptiness and then all, then also
 * those whose premise is a phase fact, and only then with all of them. Any
 * stage's invariant is checked by the same verification conditions, so
 * this changes how long a proof takes and which invariant is found, never
 * what "proved" means.
 */
export function candidateStages(all: Candidate[]): Candidate[][] {
  if (all.length <= LARGE_SYSTEM) return [all];
  const own = (c: Candidate): boolean => c.premise === undefined || c.premise.startsWith('user:');
  // a class's emptiness is the bulk of the atoms (two per class): first without them as conclusions
  const perClass = (c: Candidate): boolean => c.conclusion !== undefined && /^(alive-)?empty:/.test(c.conclusion);
  const stages = [all.filter((c) => c.premise === undefined), all.filter((c) => own(c) && !perClass(c)), all.filter(own), all.filter((c) => own(c) || PHASE_PREMISES.includes(c.premise as string)), all];
  return stages.filter((s, i) => i === 0 || s.length > (stages[i - 1] as Candidate[]).length);
}

/**
 * Drops conjuncts that the remaining ones imply, by syntax only (so the
 * result is equivalent to the input set): an implication whose conclusion
 * is itself a conjunct, or whose premise contradicts a conjunct (a class is
 * occupied / empty; somebody / nobody decided); "the same x" when "x = w"
 * is a conjunct; "nobody decided u" when "nobody decided" is. Only
 * implications and those two atoms are dropped, each justified by a
 * conjunct that is never dropped; likewise g => (seen or X) when X is one.
 */
export function simplify(inv: Candidate[]): Candidate[] {
  const has = new Set(inv.filter((c) => c.premise === undefined).map((c) => c.id));
  const vacuous = (premise: string): boolean => {
    if (premise.startsWith('occ:')) return has.has(`empty:${premise.slice(4)}`);
    if (premise.startsWith('some:')) return has.has(`undecided:${premise.slice(5)}`) || has.has('undecided');
    if (premise === 'some') return has.has('undecided');
    return false;
  };
  return inv.filter((c) => {
    if (c.premise !== undefined && c.conclusion !== undefined) return !has.has(c.conclusion) && !vacuous(c.premise);
    if (c.id.startsWith('common:')) return ![...has].some((x) => x.startsWith(`all:${c.id.slice(7)}=`));
    if (c.id.startsWith('undecided:')) return !has.has('undecided');
    if (c.id.startsWith(GHOST_IMPLICATION)) return !has.has(c.id.slice(GHOST_IMPLICATION.length));
    return true;
  });
}
