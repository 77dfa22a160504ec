// Candidate templates of the fault systems (./faults.ts), added to
// ./candidates.ts's: the domain of the faulty counts and ghosts, the
// pigeonhole fact (a round without a crash must come once more rounds have
// passed than processes can crash), the clean-round assumption, and atoms
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

export function faultAtoms(sys: InvSystem): Atom[] {
  if (sys.faults === null) return [];
  const out: Atom[] = [];
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
  return out;
}

export function faultPremises(sys: InvSystem): Atom[] {
  // hybrid: no clean-round ghost (./faults.ts)
  if (sys.faults === null || sys.faults.kind === 'hybrid') return [];
  return [
    { id: 'clean', words: 'a clean round happened', at: (v) => T.eq(fv(v).clean, one) },
    { id: '!clean', words: 'no clean round happened yet', at: (v) => T.eq(fv(v).clean, zero) },
  ];
}
