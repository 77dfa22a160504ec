// Candidate templates of fault systems with leader messages (omission
// protocols with leaders, hybrid faults: ./hybrid.ts), where the ghost b
// counts the faulty leaders so far. The leader analogue of the crash
// pigeonhole span (./candidates-faults.ts): once some phase had a correct
// leader, the processes' estimates lie in m values, which is k-set
// agreement's argument for coordinators (Raynal 2010: a round with a
// correct coordinator leaves at most k estimates). Written as
//
//   Q  =>  S  or  (nobody decided  and  (b >= p - 1  or  C))
//
// - S: the alive processes' non-none values of a set X of value variables
//   (where their class fixes them), and the alive processes' decisions, lie
//   in m values (a joint span);
// - b >= p - 1: every leader so far was faulty;
// - C (optional): every alive process holds the same non-none value of one
//   variable (the phase just had a correct leader, whose value was adopted
//   but not yet folded into the estimate);
// - Q (optional): every alive process has x = w for a variable of at most
//   two values (which phase of a multi-phase step the system is in).
// Plus "the alive processes' non-none values of x lie in m values" alone
// (one leader's value, adopted or not). Templates only: Houdini keeps what
// is inductive, nothing here is about one protocol.

import { DECIDED } from '../../ir/types';
import type { Val } from '../../trace/model';
import * as T from '../term';
import type { Candidate } from './candidates';
import { hasLeaders } from './hybrid';
import { type InvSystem, members, type View } from './system';

const zero = T.num(0);
const one = T.num(1);

const key = (w: Val | undefined): string => JSON.stringify(w ?? null);

function alive(v: View, c: number): T.ITerm {
  if (v.fl === null) throw new Error('invariant: a leader-span candidate on a state without faults');
  return T.add(v.cnt(c), v.fl.fcnt(c));
}

/** Alive processes of the classes some member of which fails `ok`. */
function aliveWhereSome(sys: InvSystem, v: View, notOk: (s: Record<string, Val | undefined>) => boolean): T.ITerm {
  return T.add(zero, ...sys.classes.filter((c) => members(sys, c).some(notOk)).map((c) => alive(v, c)));
}

/** Classes that determine x for at least one class. */
const determines = (sys: InvSystem, x: string): boolean => sys.classes.some((c) => new Set(members(sys, c).map((s) => key(s[x]))).size === 1);

/** Variables some rule assigns (a constant one, such as `input`, marks no step and spans nothing). */
const assigned = (sys: InvSystem): Set<string> => new Set(sys.protocol.rounds.flatMap((r) => r.rules.flatMap((u) => u.actions.flatMap((a) => (a.kind === 'assign' ? [a.name] : [])))));

/** The protocol's assigned value variables (value or value-or-none) that some class determines. */
function valueVars(sys: InvSystem): string[] {
  const typed = new Set(sys.protocol.vars.filter((x) => x.type.kind !== 'bool').map((x) => x.name));
  const changes = assigned(sys);
  return sys.space.vars.filter((x) => typed.has(x.name) && changes.has(x.name) && determines(sys, x.name)).map((x) => x.name);
}

/** Assigned variables of at most two values that some class determines (which phase of a step). */
function markerVars(sys: InvSystem): { name: string; domain: Val[] }[] {
  const changes = assigned(sys);
  return sys.space.vars.filter((x) => x.name !== DECIDED && changes.has(x.name) && x.domain.length <= 2 && determines(sys, x.name));
}

const valuesWord = (m: number): string => (m === 1 ? 'one value' : `${m} values`);

function nonEmptySubsets<X>(xs: readonly X[]): X[][] {
  const out: X[][] = [];
  for (let mask = 1; mask < 1 << xs.length; mask++) out.push(xs.filter((_, i) => (mask & (1 << i)) !== 0));
  return out;
}

/**
 * Some m values U hold every alive process's non-none x for x in xs (and
 * every alive decision: withDecisions). A class is out of U when every
 * member's x is neither none nor in U: a class that leaves x open holds
 * states that behave alike whatever x is (./system.ts), so its x is not read.
 */
function jointSpan(sys: InvSystem, v: View, xs: readonly string[], m: number, withDecisions: boolean): T.BTerm {
  const vars = withDecisions ? [...xs, DECIDED] : [...xs];
  return T.or(
    ...nonEmptySubsets(sys.values)
      .filter((U) => U.length === m)
      .map((U) => {
        const out = (w: Val | undefined): boolean => (w ?? null) !== null && !U.some((u) => key(u) === key(w));
        const outClasses = sys.classes.filter((c) => vars.some((x) => members(sys, c).every((s) => out(s[x]))));
        return T.eq(T.add(zero, ...outClasses.map((c) => alive(v, c))), zero);
      }),
  );
}

/** Every alive process has the same non-none x. */
const commonSome = (sys: InvSystem, v: View, x: string): T.BTerm => T.or(...sys.values.map((w) => T.eq(aliveWhereSome(sys, v, (s) => key(s[x]) !== key(w)), zero)));

export function leaderSpanCandidates(sys: InvSystem): Candidate[] {
  if (sys.faults?.kind !== 'hybrid' || !hasLeaders(sys.protocol)) return [];
  const xs = valueVars(sys);
  if (xs.length === 0 || xs.length > 3 || sys.values.length > 5) return [];
  const sizes = Array.from({ length: sys.values.length - 1 }, (_, i) => i + 1);
  const out: Candidate[] = [];
  for (const x of xs) for (const m of sizes) out.push({ id: `alive-span-some:${x}:${m}`, words: `the alive processes' values of ${x} other than none (where their class fixes it) lie in ${valuesWord(m)}`, at: (v) => jointSpan(sys, v, [x], m, false) });
  const spans = nonEmptySubsets(xs).flatMap((set) => sizes.map((m) => ({ id: `${set.join('+')}:${m}`, words: `the alive processes' values of ${set.join(', ')} other than none (where their class fixes them), and their decisions, lie in ${valuesWord(m)}`, at: (v: View) => jointSpan(sys, v, set, m, true) })));
  const commons = [null, ...xs.map((x) => ({ id: x, words: `every alive process has the same ${x} other than none`, at: (v: View) => commonSome(sys, v, x) }))];
  const premises = [
    null,
    ...markerVars(sys).flatMap((x) => x.domain.map((w) => ({ id: `${x.name}=${key(w)}`, words: `every alive process has ${x.name} = ${key(w)}`, at: (v: View) => T.eq(aliveWhereSome(sys, v, (s) => key(s[x.name]) !== key(w)), zero) }))),
  ];
  const noneDecided = (v: View): T.BTerm => T.eq(aliveWhereSome(sys, v, (s) => (s[DECIDED] ?? null) !== null), zero);
  for (const q of premises) {
    for (const s of spans) {
      for (const c of commons) {
        out.push({
          id: `leader-span:${q === null ? '' : `${q.id} => `}${s.id}${c === null ? '' : `|${c.id}`}`,
          words: `${q === null ? '' : `if ${q.words} then `}${s.words}, or no alive process decided and (every leader so far was faulty: b >= p - 1${c === null ? '' : `, or ${c.words}`})`,
          at: (v) => {
            const concl = T.or(s.at(v), T.and(noneDecided(v), T.or(T.ge(v.b, T.sub(v.p, one)), ...(c === null ? [] : [c.at(v)]))));
            return q === null ? concl : T.implies(q.at(v), concl);
          },
        });
      }
    }
  }
  return out;
}
