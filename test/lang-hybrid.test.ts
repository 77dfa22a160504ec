// Hybrid faults in the language (docs/language.md "Hybrid faults",
// docs/semantics.md 1.9): `faults byzantine [up to B] and omission [up to O]`
// and the parameter o, which only a hybrid file may read. Error messages and
// the printer have goldens in test/golden/lang-faults-{errors,fmt}.
import fc from 'fast-check';
import { HYBRID_UP_TO_T_AND_O } from '../src/ir/faults';
import { protocolHash } from '../src/ir/hash';
import type { Expr, Protocol } from '../src/ir/types';
import { parseProtocol, printProtocol } from '../src/lang';
import { formatError } from '../src/util/result';
import { arbitraryProtocol } from './helpers/arbitrary-protocol';

function parseOk(text: string): Protocol {
  const r = parseProtocol(text, 'test.bft');
  if (!r.ok) throw new Error(r.errors.map((e) => formatError(e, text)).join('\n'));
  return r.value;
}

function errors(text: string): string[] {
  const r = parseProtocol(text, 'e.bft');
  if (r.ok) throw new Error('expected errors, the file checked');
  return r.errors.map((e) => `${e.loc.line}:${e.loc.col}: ${e.message}`);
}

const RB = `protocol RBH
resilience n > 3*t + 2*o
faults byzantine and omission
var v : value = input
var accepted : bool = false
message ECHO
round echo {
  send ECHO if v == 1
  when count(ECHO) >= n - t - o: v := 1; accepted := true
  when count(ECHO) >= n - 2*t - 2*o: v := 1
}
horizon 3
property unforgeable for followers: always (no(input == 1) implies no(accepted))
`;

const o: Expr = { kind: 'param', name: 'o' };
const t: Expr = { kind: 'param', name: 't' };

describe('hybrid faults in the language', () => {
  test('`faults byzantine and omission` is t Byzantine and o omission faults, and o is a parameter', () => {
    const p = parseOk(RB);
    expect(p.faults).toEqual(HYBRID_UP_TO_T_AND_O);
    expect(p.resilience).toEqual({ kind: 'cmp', op: '>', left: { kind: 'param', name: 'n' }, right: { kind: 'add', left: { kind: 'mul', coef: 3, arg: t }, right: { kind: 'mul', coef: 2, arg: o } } });
    // the default bounds print as the bare declaration
    expect(printProtocol(p)).toContain('\nfaults byzantine and omission\n');
  });

  test('explicit bounds are kept and printed, and change the hash', () => {
    const wider = parseOk(RB.replace('faults byzantine and omission', 'faults byzantine up to t + 1 and omission up to 2*o'));
    expect(wider.faults).toEqual({ kind: 'hybrid', byzantine: { kind: 'add', left: t, right: { kind: 'int', value: 1 } }, omission: { kind: 'mul', coef: 2, arg: o } });
    expect(printProtocol(wider)).toContain('\nfaults byzantine up to t + 1 and omission up to 2*o\n');
    expect(protocolHash(wider)).not.toBe(protocolHash(parseOk(RB)));
  });

  test('o outside a hybrid file, another pair of kinds, and a clean-round assumption are located errors', () => {
    const single = RB.replace('faults byzantine and omission', 'faults omission').replace('resilience n > 3*t + 2*o', 'resilience n > 2*t');
    expect(errors(single)).toEqual([
      '9:31: `o` is the omission bound of a hybrid fault model: declare `faults byzantine and omission` to use it',
      '10:35: `o` is the omission bound of a hybrid fault model: declare `faults byzantine and omission` to use it',
    ]);
    expect(errors(RB.replace('faults byzantine and omission', 'faults omission and byzantine'))).toEqual([
      '3:21: the one hybrid model is Byzantine and omission faults: write `faults byzantine [up to EXPR] and omission [up to EXPR]`',
    ]);
    expect(errors(RB.replace('horizon 3', 'assume clean round within 2\nhorizon 3'))[0]).toMatch(/^12:1: `assume clean round` is not available with hybrid faults/);
  });

  test('parse(print(p)) is p for generated protocols made hybrid (fast-check)', () => {
    const bound = fc.constantFrom<Expr>(t, o, { kind: 'add', left: t, right: o }, { kind: 'sub', left: { kind: 'param', name: 'n' }, right: { kind: 'mul', coef: 2, arg: o } }, { kind: 'int', value: 1 });
    const hybrid = fc.tuple(arbitraryProtocol({ faults: true }), bound, bound).map(([p, byzantine, omission]): Protocol => ({
      ...p,
      faults: { kind: 'hybrid', byzantine, omission },
      assumptions: [],
      // o in the resilience condition too, where most hybrid files have it
      resilience: { kind: 'and', left: p.resilience, right: { kind: 'cmp', op: '>=', left: o, right: { kind: 'int', value: 0 } } },
    }));
    fc.assert(
      fc.property(hybrid, (p) => {
        const text = printProtocol(p);
        expect(parseOk(text)).toEqual(p);
        expect(printProtocol(parseOk(text))).toBe(text);
      }),
      { numRuns: 200 },
    );
  });
});
