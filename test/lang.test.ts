import fc from 'fast-check';
import { readdirSync, readFileSync } from 'fs';
import { expectGolden } from './helpers/golden';
import { join } from 'path';
import { protocolHash } from '../src/ir/hash';
import { parseProtocol, parseWithComments, printProtocol } from '../src/lang';
import { formatError } from '../src/util/result';
import { arbitraryProtocol } from './helpers/arbitrary-protocol';

const GOLDEN = join(__dirname, 'golden');
const golden = expectGolden;

function parseOk(text: string) {
  const r = parseProtocol(text, 'test.bft');
  if (!r.ok) throw new Error(r.errors.map((e) => formatError(e, text)).join('\n'));
  return r.value;
}

describe('error messages (golden)', () => {
  const dir = join(GOLDEN, 'errors');
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.bft'))) {
    test(name, () => {
      const source = readFileSync(join(dir, name), 'utf8');
      const r = parseProtocol(source, name);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      golden(join(dir, name.replace(/\.bft$/, '.err')), r.errors.map((e) => formatError(e, source)).join('\n') + '\n');
    });
  }
});

describe('printer (golden)', () => {
  const dir = join(GOLDEN, 'fmt');
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.bft'))) {
    test(name, () => {
      const source = readFileSync(join(dir, name), 'utf8');
      const parsed = parseWithComments(source, name);
      if (!parsed.ok) throw new Error(parsed.errors.map((e) => formatError(e, source)).join('\n'));
      const printed = printProtocol(parsed.value.protocol, parsed.value.comments);
      golden(join(dir, name.replace(/\.bft$/, '.expected')), printed);
      const again = parseWithComments(printed, name);
      expect(again.ok && printProtocol(again.value.protocol, again.value.comments)).toBe(printed);
      expect(again.ok && again.value.protocol).toEqual(parsed.value.protocol);
    });
  }
});

describe('round trips (fast-check)', () => {
  test('parse(print(ir)) equals ir', () => {
    fc.assert(
      fc.property(arbitraryProtocol(), (p) => {
        expect(parseOk(printProtocol(p))).toEqual(p);
      }),
      { numRuns: 300 },
    );
  });

  test('print(parse(x)) is a fixed point', () => {
    fc.assert(
      fc.property(arbitraryProtocol(), (p) => {
        const once = printProtocol(parseOk(printProtocol(p)));
        expect(printProtocol(parseOk(once))).toBe(once);
      }),
      { numRuns: 100 },
    );
  });

  test('the hash ignores layout and comments, and sees every change of meaning', () => {
    const relayout = (text: string, seeds: number[]): string => {
      let i = 0;
      return text.replace(/ /g, () => [' ', '  ', '\n', ' /* c */ ', '\t', ' // x\n'][seeds[i++ % seeds.length]! % 6]!);
    };
    fc.assert(
      fc.property(arbitraryProtocol(), fc.array(fc.nat(), { minLength: 1, maxLength: 20 }), (p, seeds) => {
        const text = printProtocol(p);
        expect(protocolHash(parseOk(relayout(text, seeds)))).toBe(protocolHash(p));
      }),
      { numRuns: 100 },
    );
    fc.assert(
      fc.property(arbitraryProtocol(), arbitraryProtocol(), (p, q) => {
        fc.pre(printProtocol(p) !== printProtocol(q));
        expect(protocolHash(p)).not.toBe(protocolHash(q));
      }),
      { numRuns: 100 },
    );
  });
});

describe('front-end fuzzing: never a crash, always a located error or valid IR', () => {
  const lines = (text: string) => text.split('\n');
  const checkOutcome = (text: string) => {
    const r = parseProtocol(text, 'fuzz.bft');
    if (r.ok) {
      expect(parseOk(printProtocol(r.value))).toEqual(r.value);
      return;
    }
    expect(r.errors.length).toBeGreaterThan(0);
    for (const e of r.errors) {
      expect(e.loc.file).toBe('fuzz.bft');
      expect(e.loc.line).toBeGreaterThanOrEqual(1);
      expect(e.loc.line).toBeLessThanOrEqual(lines(text).length);
      expect(e.loc.col).toBeGreaterThanOrEqual(1);
      expect(e.message.length).toBeGreaterThan(0);
    }
  };

  test('random text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), checkOutcome), { numRuns: 500 });
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...'protcl rund{}():=;,<>!&|+-*0123456789 nvtwhe\n'.split('')), maxLength: 300 }), checkOutcome), { numRuns: 500 });
  });

  test('mutations of valid files', () => {
    const mutation = fc.tuple(fc.nat(), fc.nat({ max: 8 }), fc.string({ maxLength: 6 }));
    fc.assert(
      fc.property(arbitraryProtocol(), fc.array(mutation, { minLength: 1, maxLength: 4 }), (p, mutations) => {
        let text = printProtocol(p);
        for (const [at, cut, insert] of mutations) {
          const pos = at % (text.length + 1);
          text = text.slice(0, pos) + insert + text.slice(pos + cut);
        }
        checkOutcome(text);
      }),
      { numRuns: 300 },
    );
  });

  test('pathological inputs stay fast and located', () => {
    checkOutcome('('.repeat(100000));
    checkOutcome('!'.repeat(100000));
    checkOutcome('protocol P resilience ' + '-'.repeat(50000) + 'n');
    checkOutcome('protocol P resilience n > ' + '1 + '.repeat(20000) + '1');
  });
});

describe('fmt keeps every comment', () => {
  const fmt = (text: string): string => {
    const r = parseWithComments(text, 'c.bft');
    if (!r.ok) throw new Error(r.errors.map((e) => formatError(e, text)).join('\n'));
    return printProtocol(r.value.protocol, r.value.comments);
  };

  test('comments anywhere between lines or at line ends survive, and fmt is idempotent', () => {
    fc.assert(
      fc.property(arbitraryProtocol(), fc.array(fc.tuple(fc.nat(), fc.boolean()), { minLength: 1, maxLength: 6 }), (p, places) => {
        const lines = printProtocol(p).split('\n');
        const texts: string[] = [];
        places.forEach(([at, block], k) => {
          const i = at % lines.length;
          const text = block ? `/* note ${k} */` : `// note ${k}`;
          texts.push(text);
          // a line comment at the end of a line, a block comment on a line of its own
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

  test('every library spec is in canonical form (make fmt-check)', () => {
    const dir = join(__dirname, '..', 'specs');
    for (const name of readdirSync(dir).filter((f) => f.endsWith('.bft'))) {
      const text = readFileSync(join(dir, name), 'utf8');
      expect(`${name}\n${fmt(text)}`).toBe(`${name}\n${text}`);
    }
  });
});
