// Round trips of the declarations of issue 14 (faults, assumptions, user
// properties) over generated protocols: print/parse, fmt with comments, the
// hash, and fuzzed files (the classic-model versions are in lang.test.ts).
import fc from 'fast-check';
import { protocolHash } from '../src/ir/hash';
import { parseProtocol, parseWithComments, printProtocol } from '../src/lang';
import { formatError } from '../src/util/result';
import { arbitraryProtocol } from './helpers/arbitrary-protocol';

function parseOk(text: string) {
  const r = parseProtocol(text, 'test.bft');
  if (!r.ok) throw new Error(r.errors.map((e) => formatError(e, text)).join('\n'));
  return r.value;
}

function fmt(text: string): string {
  const r = parseWithComments(text, 'c.bft');
  if (!r.ok) throw new Error(r.errors.map((e) => formatError(e, text)).join('\n'));
  return printProtocol(r.value.protocol, r.value.comments);
}

function errors(text: string): string[] {
  const r = parseProtocol(text, 'e.bft');
  if (r.ok) throw new Error('expected errors, the file checked');
  return r.errors.map((e) => e.message);
}

const BASE = `protocol P
resilience n > 2*t
var v : value = input
var ok : bool = false
message VAL(value)
round r {
  send VAL(v)
  when count(VAL, 1) > t: v := 1; ok := true
}
`;

describe('round trips with faults, assumptions and properties (fast-check)', () => {
  const faulty = arbitraryProtocol({ faults: true });

  test('parse(print(ir)) equals ir, and print is a fixed point', () => {
    fc.assert(
      fc.property(faulty, (p) => {
        const text = printProtocol(p);
        expect(parseOk(text)).toEqual(p);
        expect(printProtocol(parseOk(text))).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  test('the generator reaches every new construct', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(faulty, (p) => {
        seen.add(p.faults.kind);
        if (p.assumptions.length > 0) seen.add('assume');
        for (const u of p.userProperties) seen.add(`${u.scope}/${u.formula.kind}`);
        if (p.vars.some((v) => v.name === 'input')) seen.add('input');
        if (p.userProperties.length > 0 && !p.properties.agreement && !p.properties.validity && p.properties.termination === null) seen.add('no claims');
      }),
      { numRuns: 300, seed: 14 },
    );
    expect([...seen].sort()).toEqual(['assume', 'byzantine', 'correct/always', 'correct/eventually', 'crash', 'followers/always', 'followers/eventually', 'input', 'no claims', 'omission']);
  });

  test('the hash ignores layout and comments', () => {
    const relayout = (text: string, seeds: number[]): string => {
      let i = 0;
      return text.replace(/ /g, () => [' ', '  ', '\n', ' /* c */ ', '\t', ' // x\n'][seeds[i++ % seeds.length]! % 6]!);
    };
    fc.assert(
      fc.property(faulty, fc.array(fc.nat(), { minLength: 1, maxLength: 20 }), (p, seeds) => {
        expect(protocolHash(parseOk(relayout(printProtocol(p), seeds)))).toBe(protocolHash(p));
      }),
      { numRuns: 100 },
    );
  });

  test('comments survive fmt, which is idempotent', () => {
    fc.assert(
      fc.property(faulty, fc.array(fc.tuple(fc.nat(), fc.boolean()), { minLength: 1, maxLength: 6 }), (p, places) => {
        const lines = printProtocol(p).split('\n');
        const texts: string[] = [];
        places.forEach(([at, block], k) => {
          const i = at % lines.length;
          const text = block ? `/* note ${k} */` : `// note ${k}`;
          texts.push(text);
          lines[i] = block ? `${text}\n${lines[i]}` : `${lines[i]} ${text}`;
        });
        const once = fmt(lines.join('\n'));
        for (const text of texts) expect(once).toContain(text);
        expect(fmt(once)).toBe(once);
        expect(parseOk(once)).toEqual(p);
      }),
      { numRuns: 200 },
    );
  });

  test('mutated files give valid IR or located errors, never an exception', () => {
    const mutation = fc.tuple(fc.nat(), fc.nat({ max: 8 }), fc.string({ maxLength: 6 }));
    fc.assert(
      fc.property(faulty, fc.array(mutation, { minLength: 1, maxLength: 4 }), (p, mutations) => {
        let text = printProtocol(p);
        for (const [at, cut, insert] of mutations) {
          const pos = at % (text.length + 1);
          text = text.slice(0, pos) + insert + text.slice(pos + cut);
        }
        const r = parseProtocol(text, 'fuzz.bft');
        if (r.ok) expect(parseOk(printProtocol(r.value))).toEqual(r.value);
        else for (const e of r.errors) expect(e.loc.line).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });

  test('deep formulas fail cleanly', () => {
    const deep = `${BASE}horizon 2\nproperty d: always ${'!'.repeat(5000)}true\n`;
    expect(errors(deep)[0]).toMatch(/nested too deeply|too deep/);
    const long = `${BASE}horizon 2\nproperty d: always ${'all(ok) && '.repeat(3000)}true\n`;
    expect(errors(long)[0]).toMatch(/formula too deep/);
  });
});
