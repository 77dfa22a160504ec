// Dead-state canonicalization for the counter encoding: at each round
// boundary g (after round g; 0 = the initial states), local states that no
// observer can tell apart from then on are merged into one class, named by
// its smallest member. The encoding then counts processes per class.
//
// The relation, computed backward from the last boundary R:
// - at R, two states are equivalent iff they have the same `decided`: the
//   properties observe nothing else of a local state (agreement and
//   termination: the decisions; validity: the decisions and the inputs, and
//   inputs are separate variables);
// - at g < R, two states are equivalent iff their signatures for round g+1
//   (./flows.ts `signature`) are the same text: they send the same messages
//   (so they contribute the same correct counts, and a leader in either sends
//   the same), and for every reception (correct counts and Byzantine
//   witnesses as shared placeholders) the same rule fires and the successor
//   lies in the same class at g+1 under the same condition. This is the
//   variable-liveness idea made exact per state: e.g. in phase-king-3round,
//   prop / has_prop are dead after the propose round and strong after the
//   king round, so their values do not split the classes there; a variable
//   read only under a condition (PROP(prop) if has_prop) is dead exactly in
//   the states where the condition is false.
//
// Why the counter encoding over classes is exact (both directions):
// - every run maps to a class run: map each process's state at boundary g to
//   its class; the flows, witnesses and correct counts are those of the run;
// - every class run lifts to a run with the same inputs, Byzantine messages
//   and fired rules: start each process in its real initial state (in the
//   class of the model's initial class by construction) and apply the same
//   Byzantine messages; by induction a process whose real state s is in class
//   C receives exactly what the class run's receiver of C's flow received
//   (correct counts: equal signatures send equally), so, signatures being
//   equal, it fires the same rule and lands in the same class at g+1. At R
//   the class fixes `decided`, so the lifted run has the same violation.
// The decoder (./decode.ts) performs this lifting by stepping the simulator
// with the model's Byzantine messages, and checks that every process's real
// state lies in the class the model says (a failure is an internal error);
// the checker then replays the completed trace as always.
//
// A user property (./encode-user.ts) reads more than `decided`, and at every
// boundary: with `observe`, what it reads of a state at boundary g is part
// of the state's key there (and alone the key at R), so the argument above
// carries over with "the same violation" read at every boundary.
//
// Soundness of the signature test is purely syntactic: equal texts of folded
// terms mean equal truth values for every assignment of the placeholders;
// two equivalent states with different texts merely stay apart.

import { DECIDED, type Expr, type Protocol, type Round, type Send } from '../../ir/types';
import type { LocalState, Val } from '../../trace/model';
import * as T from '../term';
import { type Position, position, roundTypes, type StateSpace, valTag } from '../space';
import { boolOf, cEval, type CEnv, toCases } from './expr';
import { payloadsOf, signature } from './flows';

type Params = { n: T.ITerm; t: T.ITerm; f: T.ITerm; phaseBase?: T.ITerm };

/** Whether a process in state `s` sends `send` with payload `p` in a round at `pos`. */
export function sendsPayload(protocol: Protocol, space: StateSpace, pos: Position, params: Params, send: Send, p: Val, s: number): T.BTerm {
  const e: CEnv = { state: space.state(s), phase: pos.phase, params, values: protocol.values, payloads: () => [] };
  const when = send.when === null ? T.TRUE : boolOf(send.when, e);
  if (send.payload === null) return when;
  const hit = toCases(cEval(send.payload, e)).find(([v]) => v === p);
  return T.and(when, hit === undefined ? T.FALSE : hit[1]);
}

/** Class representatives of equal keys: each index maps to the first index with its key. */
export function classes(keys: string[]): number[] {
  const first = new Map<string, number>();
  return keys.map((k, i) => {
    const r = first.get(k);
    if (r !== undefined) return r;
    first.set(k, i);
    return i;
  });
}

function mentionsPhase(e: Expr): boolean {
  switch (e.kind) {
    case 'phase':
      return true;
    case 'count':
      return e.payload !== null && mentionsPhase(e.payload);
    case 'add':
    case 'sub':
    case 'cmp':
    case 'and':
    case 'or':
      return mentionsPhase(e.left) || mentionsPhase(e.right);
    case 'mul':
    case 'not':
      return mentionsPhase(e.arg);
    default:
      return false;
  }
}

function roundMentionsPhase(r: Round): boolean {
  return (
    r.sends.some((x) => (x.payload !== null && mentionsPhase(x.payload)) || (x.when !== null && mentionsPhase(x.when))) ||
    r.rules.some((x) => mentionsPhase(x.guard) || x.actions.some((a) => mentionsPhase(a.value)))
  );
}

/**
 * canon[g][s]: the representative of s's class at boundary g, for g = 0 .. R.
 * Boundaries whose next round is the same round of the phase, with the same
 * classes after it (and the same phase, if the round reads it), get the same
 * classes: computed once.
 */
export function canonicalStates(
  protocol: Protocol,
  space: StateSpace,
  params: Params,
  R: number,
  finalKey?: (s: LocalState) => string,
  observe?: (g: number, s: LocalState) => string,
): number[][] {
  const canon: number[][] = new Array<number[]>(R + 1);
  const fin = finalKey ?? (observe === undefined ? (s: LocalState): string => JSON.stringify(s[DECIDED]) : (s: LocalState): string => observe(R, s));
  canon[R] = classes(space.states.map(fin));
  const scratch = new T.Query();
  const memo = new Map<string, number[]>();
  for (let g = R - 1; g >= 0; g--) {
    const pos = position(protocol, g + 1);
    const round = protocol.rounds[pos.index] as Round;
    // a user property observes every boundary (./encode-user.ts): states it tells apart stay apart
    const seen = observe === undefined ? null : space.states.map((s) => observe(g, s));
    const memoKey = `${pos.index}|${roundMentionsPhase(round) ? pos.phase : '*'}|${(canon[g + 1] as number[]).join(',')}${seen === null ? '' : `|${seen.join(';')}`}`;
    const known = memo.get(memoKey);
    if (known !== undefined) {
      canon[g] = known;
      continue;
    }
    const sends = protocol.rounds[pos.index]?.sends ?? [];
    const types = roundTypes(protocol, pos.index);
    const ctx = {
      protocol, space, q: scratch, pos, params,
      correct: (m: string, p: Val): T.ITerm => T.ivar(`c_${m}_${valTag(p)}`),
      byzBound: (): T.ITerm => params.f,
      canon: canon[g + 1] as number[],
    };
    const keys = space.states.map((_, s) => {
      const sent = sends.map((send, k) =>
        payloadsOf({ protocol, pos }, (types[k] as { name: string }).name)
          .map((p) => T.printB(sendsPayload(protocol, space, pos, params, send, p, s)))
          .join(','),
      );
      const sig = signature(ctx, s, sent.join('/'));
      return seen === null ? sig : `${sig}\n@${seen[s] as string}`;
    });
    canon[g] = classes(keys);
    memo.set(memoKey, canon[g] as number[]);
  }
  return canon;
}
