// Candidate templates of the fault systems (./faults.ts), added to
// ./candidates.ts's: the domain of the faulty counts and ghosts, the
// pigeonhole fact (a round without a crash must come once more rounds have
// passed than processes can crash), its generalization under crash faults
// (every round so far had >= m crashes, or the alive processes' x and the
// correct decisions lie in m values: after a round with < m crashes at most
// m minima survive; FloodMin for k = m), the clean-round assumption, and atoms
// over ALL alive processes (correct and alive faulty: they follow the
// protocol, so what the correct processes see comes from them too), with
// the premises `clean` and `!clean`. Templates only: nothing here is about
// one protocol, and Houdini keeps only what is inductive.

import { DECIDED } from '../../ir/types';
import type { Val } from '../../trace/model';
import * as T from '../term';
import { cleanBound } from './faults';
import { describeClass, type InvSystem, members, type View } from './system';

interface Atom {
  id: string;
  words: string;
  at: (v: View) => T.BTerm;
}

const zero = T.num(0);
const one = T.num(1);

function fv(v: View): NonNullable<View['fl']> {
  if (v.fl === null) throw new Error('invariant: a fault candidate on a state without faults');
  return v.fl;
}

/** Alive processes (correct and alive faulty) in class c. */
const alive = (v: View, c: number): T.ITerm => T.add(v.cnt(c), fv(v).fcnt(c));
const aliveFaulty = (sys: InvSystem, v: View): T.ITerm => T.add(...sys.classes.map((c) => fv(v).fcnt(c)));
const rounds = (sys: InvSystem, v: View): T.ITerm => T.scale(sys.k, T.sub(v.p, one));

export function faultDomain(sys: InvSystem): Atom[] {
  const fs = sys.faults;
  if (fs === null) return [];
  const out: Atom[] = [
    {
      id: 'dom:faulty',
      words: fs.kind === 'crash' ? '0 <= c <= f crashes so far, clean in {0, 1}, the alive faulty counts are >= 0 and sum to f - c' : fs.kind === 'hybrid' ? 'the omission-faulty counts are >= 0 and sum to fo' : 'clean in {0, 1}, the faulty counts are >= 0 and sum to f',
      at: (v) => {
        const hy = fv(v).hy;
        if (hy !== null) return T.and(...sys.classes.map((c) => T.ge(fv(v).fcnt(c), zero)), T.eq(aliveFaulty(sys, v), hy.fo));
        return T.and(T.ge(fv(v).c, zero), T.le(fv(v).c, v.f), T.ge(fv(v).clean, zero), T.le(fv(v).clean, one), ...sys.classes.map((c) => T.ge(fv(v).fcnt(c), zero)), T.eq(aliveFaulty(sys, v), T.sub(v.f, fv(v).c)));
      },
    },
  ];
  if (fs.kind === 'crash') out.push({ id: 'pigeonhole', words: 'clean, or every round so far had a crash: c >= (p - 1) * k', at: (v) => T.or(T.eq(fv(v).clean, one), T.ge(fv(v).c, rounds(sys, v))) });
  if (fs.kind === 'crash') {
    // generalized pigeonhole: every round so far had at least m crashes, or the alive processes' x and the correct decisions lie in m values
    for (const x of determined(sys)) {
      for (const m of spanSizes(x.domain)) {
        out.push({ id: `pigeonhole-span:${x.name}:${m}`, words: `c >= ${m} * (p - 1) * k, or ${spanWords(x.name, m)}`, at: (v) => T.or(T.ge(fv(v).c, T.scale(m, rounds(sys, v))), spanAt(sys, v, x.name, x.domain, m)) });
      }
    }
  }
  if (fs.cleanWithin !== null) {
    out.push({ id: 'assumed-clean', words: 'clean once the rounds of the clean-round assumption are over', at: (v) => T.implies(T.and(T.ge(cleanBound(fs, v.t) as T.ITerm, one), T.ge(rounds(sys, v), cleanBound(fs, v.t) as T.ITerm)), T.eq(fv(v).clean, one)) });
  }
  return out;
}

/** Variables that a class determines for at least one class (decided excluded: ./candidates.ts classVars). */
function determined(sys: InvSystem): { name: string; domain: Val[] }[] {
  return sys.space.vars.filter((x) => x.name !== DECIDED && sys.classes.some((c) => new Set(members(sys, c).map((s) => JSON.stringify(s[x.name] ?? null))).size === 1));
}

/** Alive processes not certainly having x = w. */
function aliveNotAll(sys: InvSystem, v: View, x: string, w: Val): T.ITerm {
  return T.add(...sys.classes.filter((c) => members(sys, c).some((s) => (s[x] ?? null) !== w)).map((c) => alive(v, c)));
}

/** Span sizes m with 2 <= m < |domain| (m = 1 is alive-common), for small domains only. */
function spanSizes(domain: readonly Val[]): number[] {
  if (domain.length > 5) return [];
  return Array.from({ length: Math.max(0, domain.length - 2) }, (_, i) => i + 2);
}

function subsets<X>(xs: readonly X[], m: number): X[][] {
  if (m === 0) return [[]];
  if (xs.length < m) return [];
  const [h, ...rest] = xs as X[];
  return [...subsets(rest, m - 1).map((s) => [h as X, ...s]), ...subsets(rest, m)];
}

const spanWords = (x: string, m: number): string => `the alive processes' ${x} values and the correct processes' decisions lie in ${m} values`;

/**
 * Some m values U hold every alive process's x and every correct decision:
 * the alive processes of classes with a member whose x is not in U, and the
 * correct ones of classes with a member that decided outside U, number 0.
 */
function spanAt(sys: InvSystem, v: View, x: string, domain: readonly Val[], m: number): T.BTerm {
  return T.or(
    ...subsets(domain, m).map((U) => {
      const inU = (w: Val | undefined): boolean => U.some((u) => JSON.stringify(u) === JSON.stringify(w ?? null));
      const xOut = sys.classes.filter((c) => members(sys, c).some((s) => !inU(s[x])));
      const dOut = sys.classes.filter((c) => members(sys, c).some((s) => (s[DECIDED] ?? null) !== null && !inU(s[DECIDED])));
      return T.eq(T.add(zero, ...xOut.map((c) => alive(v, c)), ...dOut.map((c) => v.cnt(c))), zero);
    }),
  );
}

export function faultAtoms(sys: InvSystem): Atom[] {
  if (sys.faults === null) return [];
  const out: Atom[] = [];
  if (sys.faults.kind === 'crash') for (const x of determined(sys)) for (const m of spanSizes(x.domain)) out.push({ id: `alive-span:${x.name}:${m}`, words: spanWords(x.name, m), at: (v) => spanAt(sys, v, x.name, x.domain, m) });
  for (const c of sys.classes) out.push({ id: `alive-empty:${c}`, words: `no alive process is in ${describeClass(sys, c)}`, at: (v) => T.eq(alive(v, c), zero) });
  for (const x of determined(sys)) {
    for (const w of x.domain) out.push({ id: `alive-all:${x.name}=${String(w)}`, words: `every alive process has ${x.name} = ${String(w)}`, at: (v) => T.eq(aliveNotAll(sys, v, x.name, w), zero) });
    out.push({ id: `alive-common:${x.name}`, words: `all alive processes have the same ${x.name}`, at: (v) => T.or(...x.domain.map((w) => T.eq(aliveNotAll(sys, v, x.name, w), zero))) });
  }
  if (sys.groups.length > 1) {
    const outside = (v: View, g: number[], cnt: (v: View, c: number) => T.ITerm): T.ITerm => T.add(...sys.classes.filter((c) => !g.includes(c)).map((c) => cnt(v, c)));
    out.push({ id: 'alive-alike', words: 'all alive processes are in states that behave alike (one behaviour group)', at: (v) => T.or(...sys.groups.map((g) => T.eq(outside(v, g, alive), zero))) });
    out.push({ id: 'alike', words: 'all correct processes are in states that behave alike (one behaviour group)', at: (v) => T.or(...sys.groups.map((g) => T.eq(outside(v, g, (u, c) => u.cnt(c)), zero))) });
  }
  out.push({ id: 'no-alive-faulty', words: 'no faulty process is alive', at: (v) => T.eq(aliveFaulty(sys, v), zero) });
  if (sys.faults.kind === 'hybrid') out.push(...valueAbsent(sys));
  return out;
}

/**
 * Hybrid systems (omission-faulty processes follow the protocol, and a
 * leader is one of them or correct): no alive process holds value w in a
 * value variable or as its decision, for validity-like properties ("a value
 * nobody started with is never decided"). A class counts when every member
 * holds w somewhere (a class that leaves a variable open does not read it).
 */
function valueAbsent(sys: InvSystem): Atom[] {
  const typed = new Set(sys.protocol.vars.filter((x) => x.type.kind !== 'bool').map((x) => x.name));
  const vars = [...sys.space.vars.filter((x) => typed.has(x.name)).map((x) => x.name), DECIDED];
  return sys.values.map((w) => ({
    id: `alive-none:${w}`,
    words: `no alive process holds ${w} in a value variable (where its class fixes it) or as its decision`,
    at: (v) => T.eq(T.add(zero, ...sys.classes.filter((c) => vars.some((x) => members(sys, c).every((s) => s[x] === w))).map((c) => alive(v, c))), zero),
  }));
}

export function faultPremises(sys: InvSystem): Atom[] {
  // hybrid: no clean-round ghost (./faults.ts)
  if (sys.faults === null || sys.faults.kind === 'hybrid') return [];
  return [
    { id: 'clean', words: 'a clean round happened', at: (v) => T.eq(fv(v).clean, one) },
    { id: '!clean', words: 'no clean round happened yet', at: (v) => T.eq(fv(v).clean, zero) },
  ];
}
