// Candidate templates of `eventually` systems (./eventually.ts), added to
// ./candidates.ts's: the ghosts' domain, the premises "G held at boundary 0"
// (g), "S held at a phase boundary so far" (seen) and its negation, the atom
// seen, the formula's own atoms (S, and each quantified atom of G and S),
// and g => (seen or X) for every atom and premise X: "if G held, then S was
// seen or X", which is how the bound is reached (X = "phases remain").
// Templates only: Houdini keeps what is inductive.

import { printExpr } from '../../lang/printer';
import * as T from '../term';
import { eventuallyOf, type EvView } from './eventually';
import { countView, type InvSystem, type View } from './system';
import { quantAtoms, stateAt } from './user';

interface Atom {
  id: string;
  words: string;
  at: (v: View) => T.BTerm;
}

const zero = T.num(0);
const one = T.num(1);

function ghosts(v: View): EvView {
  if (v.ev === null) throw new Error('invariant: an `eventually` candidate on a state without its ghosts');
  return v.ev;
}

export function ghostDomain(sys: InvSystem): Atom[] {
  if (eventuallyOf(sys.user) === null) return [];
  const bit = (x: T.ITerm): T.BTerm => T.and(T.ge(x, zero), T.le(x, one));
  return [{ id: 'dom:ghosts', words: 'g and seen are in {0, 1}', at: (v) => T.and(bit(ghosts(v).g), bit(ghosts(v).seen)) }];
}

export function ghostPremises(sys: InvSystem): Atom[] {
  if (eventuallyOf(sys.user) === null) return [];
  return [
    { id: 'g', words: 'G held at boundary 0', at: (v) => T.eq(ghosts(v).g, one) },
    { id: 'seen', words: 'S held at some phase boundary so far', at: (v) => T.eq(ghosts(v).seen, one) },
    { id: '!seen', words: 'S held at no phase boundary so far', at: (v) => T.eq(ghosts(v).seen, zero) },
  ];
}

export function ghostAtoms(sys: InvSystem): Atom[] {
  const ev = eventuallyOf(sys.user);
  const u = sys.user;
  if (ev === null || u === null) return [];
  const out: Atom[] = [
    { id: 'seen', words: 'S held at some phase boundary so far', at: (v) => T.eq(ghosts(v).seen, one) },
    { id: `user:${u.name}:goal`, words: 'S holds', at: (v) => stateAt(sys.protocol, ev.goal, countView(sys, v)) },
  ];
  for (const [part, s] of [['given', ev.given], ['goal', ev.goal]] as const) {
    for (const [i, q] of quantAtoms(s).entries()) {
      out.push({ id: `user:${u.name}:${part}:${i}`, words: `${q.quantifier}(${printExpr(q.pred)})`, at: (v) => stateAt(sys.protocol, { kind: 'quant', quantifier: q.quantifier, pred: q.pred }, countView(sys, v)) });
    }
  }
  return out;
}

/** The id prefix of g => (seen or X). */
export const GHOST_IMPLICATION = 'g => seen | ';

/** g => (seen or X) for every X among the atoms and premises. */
export function ghostImplications(sys: InvSystem, xs: readonly Atom[]): { id: string; words: string; at: (v: View) => T.BTerm }[] {
  if (eventuallyOf(sys.user) === null) return [];
  return xs
    .filter((x, i) => x.id !== 'seen' && x.id !== 'g' && x.id !== '!seen' && xs.findIndex((y) => y.id === x.id) === i)
    .map((x) => ({ id: `${GHOST_IMPLICATION}${x.id}`, words: `if G held at boundary 0 then S was seen or ${x.words}`, at: (v: View) => T.implies(T.eq(ghosts(v).g, one), T.or(T.eq(ghosts(v).seen, one), x.at(v))) }));
}
