// fast-check generator of small random protocols (n = 4, t = 1 scale) for
// comparing explore() with brute force and, later, with the SMT engines.

import fc from 'fast-check';
import type { Action, Expr, Protocol, Round, Rule } from '../../src/ir/types';
import * as b from './sim-ir';

const threshold: fc.Arbitrary<Expr> = fc.constantFrom(
  b.int(1),
  b.int(2),
  b.add(b.T, b.int(1)),
  b.sub(b.N, b.T),
  b.add(b.mul(2, b.T), b.int(1)),
  b.N,
);

function guardFor(message: string): fc.Arbitrary<Expr> {
  const base = fc.oneof(
    fc.tuple(fc.integer({ min: 0, max: 1 }), threshold).map(([x, k]) => b.cmp(b.count(message, b.int(x)), '>=', k)),
    fc.tuple(fc.integer({ min: 0, max: 1 }), threshold).map(([x, k]) => b.cmp(b.mul(2, b.count(message, b.int(x))), '>', b.add(b.N, k))),
    threshold.map((k) => b.cmp(b.count(message), '>=', k)),
    fc.integer({ min: 0, max: 1 }).map((x) => b.cmp(b.count(message, b.int(x)), '>', b.count(message, b.int(1 - x)))),
  );
  const extra = fc.constantFrom<Expr | null>(null, null, b.v('flag'), b.not(b.v('flag')), b.cmp(b.phase, '==', b.int(1)), b.cmp(b.v('v'), '==', b.int(0)));
  return fc.tuple(base, extra).map(([g, e]) => (e === null ? g : b.and(g, e)));
}

function actionsFor(message: string): fc.Arbitrary<Action[]> {
  const value = fc.constantFrom<Expr>(b.int(0), b.int(1), b.maj(message), b.maj(message, 'max'), b.v('v'));
  const one = fc.oneof(
    value.map((x) => b.assign('v', x)),
    fc.constantFrom<Expr>(b.v('v'), b.int(0), b.int(1)).map((x) => b.decide(x)),
    fc.boolean().map((x) => b.assign('flag', b.bool(x))),
  );
  return fc.array(one, { minLength: 0, maxLength: 2 }).map((as) => {
    // At most one assignment per variable, as the checker requires.
    const seen = new Set<string>();
    return as.filter((a) => {
      const key = a.kind === 'assign' ? a.name : '<decide>';
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  });
}

function roundFor(name: string, message: string): fc.Arbitrary<Round> {
  const rules: fc.Arbitrary<Rule[]> = fc.tuple(
    fc.array(fc.tuple(guardFor(message), actionsFor(message)), { minLength: 1, maxLength: 3 }),
    fc.option(actionsFor(message), { nil: undefined }),
  ).map(([guarded, last]) => [...guarded.map(([g, a]) => b.rule(g, ...a)), ...(last === undefined ? [] : [b.otherwise(...last)])]);
  const when = fc.constantFrom<Expr | null>(null, null, null, b.not(b.v('flag')));
  return fc.tuple(rules, when).map(([rs, w]) => ({ name, sends: [b.send(message, b.v('v'), w)], rules: rs }));
}

/** Protocols with one or two rounds per phase, each sending one message type; KING (if any) is a leader message. */
export function randomProtocol(options: { leader?: boolean } = {}): fc.Arbitrary<Protocol> {
  const secondMessage = options.leader === true ? 'KING' : 'ECHO';
  return fc
    .tuple(roundFor('one', 'VAL'), fc.option(roundFor('two', secondMessage), { nil: undefined }), fc.integer({ min: 1, max: 2 }))
    .map(([first, second, bound]) =>
      b.protocol({
        name: 'Random',
        resilience: b.cmp(b.N, '>', b.mul(3, b.T)),
        vars: [b.valueVar('v'), b.boolVar('flag')],
        messages: [b.message('VAL'), b.message(secondMessage, options.leader === true)],
        rounds: second === undefined ? [first] : [first, second],
        // As in the language: with termination claimed, the horizon is its bound.
        termination: b.int(bound),
      }),
    );
}
