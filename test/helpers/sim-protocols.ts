// Hand-built protocols for the simulator's tests: correct ones and
// deliberately broken ones.

import type { Expr, Protocol } from '../../src/ir/types';
import * as b from './sim-ir';

/**
 * One exchange per round: decide v (and adopt it) once `threshold` processes
 * sent v, else keep v. Safe for n > 3t with threshold n - t (two quorums of
 * n - t share a correct process); with t + 1 it is broken. It never
 * terminates on split inputs, so it claims no termination. (Adopting maj(VAL)
 * otherwise would break agreement in round 2: after a decision on 1 a tie
 * goes to 0.)
 */
export function quorum(threshold: Expr, name = 'Quorum', horizon = 2): Protocol {
  return b.protocol({
    name,
    resilience: b.cmp(b.N, '>', b.mul(3, b.T)),
    vars: [b.valueVar('v')],
    messages: [b.message('VAL')],
    rounds: [
      {
        name: 'exchange',
        sends: [b.send('VAL', b.v('v'))],
        rules: [
          b.rule(b.cmp(b.count('VAL', b.int(1)), '>=', threshold), b.decide(b.int(1)), b.assign('v', b.int(1))),
          b.rule(b.cmp(b.count('VAL', b.int(0)), '>=', threshold), b.decide(b.int(0)), b.assign('v', b.int(0))),
        ],
      },
    ],
    horizon: b.int(horizon),
  });
}

export const safeQuorum = (): Protocol => quorum(b.sub(b.N, b.T), 'SafeQuorum');
export const brokenQuorum = (): Protocol => quorum(b.add(b.T, b.int(1)), 'BrokenQuorum');

/** Phase King exactly as in docs/language.md (n > 4t, t + 1 phases of 2 rounds). */
export function phaseKing(): Protocol {
  const { cmp, count, int, v, N, T, mul, add, and } = b;
  const lastPhase = cmp(b.phase, '==', add(T, int(1)));
  const strongFor = (x: number): Expr => cmp(mul(2, count('VAL', int(x))), '>', add(N, mul(2, T)));
  const king = (x: number): Expr => cmp(count('KING', int(x)), '>=', int(1));
  return b.protocol({
    name: 'PhaseKing',
    resilience: cmp(N, '>', mul(4, T)),
    vars: [b.valueVar('v'), b.boolVar('strong')],
    messages: [b.message('VAL'), b.message('KING', true)],
    rounds: [
      {
        name: 'exchange',
        sends: [b.send('VAL', v('v'))],
        rules: [
          b.rule(strongFor(1), b.assign('v', int(1)), b.assign('strong', b.bool(true))),
          b.rule(strongFor(0), b.assign('v', int(0)), b.assign('strong', b.bool(true))),
          b.otherwise(b.assign('v', b.maj('VAL')), b.assign('strong', b.bool(false))),
        ],
      },
      {
        name: 'king',
        sends: [b.send('KING', v('v'))],
        rules: [
          b.rule(and(v('strong'), lastPhase), b.decide(v('v'))),
          b.rule(v('strong')),
          b.rule(and(king(1), lastPhase), b.assign('v', int(1)), b.decide(int(1))),
          b.rule(and(king(0), lastPhase), b.assign('v', int(0)), b.decide(int(0))),
          b.rule(lastPhase, b.decide(v('v'))),
          b.rule(king(1), b.assign('v', int(1))),
          b.rule(king(0), b.assign('v', int(0))),
        ],
      },
    ],
    termination: mul(2, add(T, int(1))),
  });
}

/** Phase King with a single phase: a Byzantine king of phase 1 splits the processes. */
export function hastyKing(): Protocol {
  const p = phaseKing();
  return { ...p, name: 'HastyKing', properties: { ...p.properties, termination: b.int(2) }, horizon: b.int(2), rounds: p.rounds.map((r) => ({ ...r, rules: r.rules.map((ru) => ({ ...ru, guard: replacePhaseCheck(ru.guard) })) })) };
}

// phase == t + 1 becomes phase == 1: decide at the end of the first phase.
function replacePhaseCheck(e: Expr): Expr {
  switch (e.kind) {
    case 'cmp':
      if (e.left.kind === 'phase') return { ...e, right: b.int(1) };
      return e;
    case 'and':
      return { ...e, left: replacePhaseCheck(e.left), right: replacePhaseCheck(e.right) };
    default:
      return e;
  }
}
