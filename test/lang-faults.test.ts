// The declarations of issue 14 in the language: `faults`, `assume clean
// round within R` and `property` (docs/language.md, docs/semantics.md 1.7,
// 1.8, 2.5): parsing, static checks, printing, round trips.
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { BYZANTINE_UP_TO_T, DEFAULT_FAULT_FIELDS, singleBound } from '../src/ir/faults';
import { protocolHash } from '../src/ir/hash';
import { parseProtocol, parseWithComments, printProtocol } from '../src/lang';
import { RESERVED } from '../src/lang/check-property';
import { formatError } from '../src/util/result';
import { expectGolden } from './helpers/golden';

const GOLDEN = join(__dirname, 'golden');
const FIXTURES = join(__dirname, 'fixtures', 'lang-faults');
const SPECS = join(__dirname, '..', 'specs');

function parseOk(text: string, file = 'test.bft') {
  const r = parseProtocol(text, file);
  if (!r.ok) throw new Error(r.errors.map((e) => formatError(e, text)).join('\n'));
  return r.value;
}

function fmt(text: string, file = 'c.bft'): string {
  const r = parseWithComments(text, file);
  if (!r.ok) throw new Error(r.errors.map((e) => formatError(e, text)).join('\n'));
  return printProtocol(r.value.protocol, r.value.comments);
}

function errors(text: string): string[] {
  const r = parseProtocol(text, 'e.bft');
  if (r.ok) throw new Error('expected errors, the file checked');
  return r.errors.map((e) => `${e.loc.line}:${e.loc.col}: ${e.message}`);
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

describe('error messages (golden)', () => {
  const dir = join(GOLDEN, 'lang-faults-errors');
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.bft'))) {
    test(name, () => {
      const source = readFileSync(join(dir, name), 'utf8');
      const r = parseProtocol(source, name);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      for (const e of r.errors) expect(e.loc.file).toBe(name);
      expectGolden(join(dir, name.replace(/\.bft$/, '.err')), r.errors.map((e) => formatError(e, source)).join('\n') + '\n');
    });
  }
});

describe('printer (golden)', () => {
  const dir = join(GOLDEN, 'lang-faults-fmt');
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.bft'))) {
    test(name, () => {
      const source = readFileSync(join(dir, name), 'utf8');
      const printed = fmt(source, name);
      expectGolden(join(dir, name.replace(/\.bft$/, '.expected')), printed);
      expect(fmt(printed, name)).toBe(printed);
      expect(parseOk(printed)).toEqual(parseOk(source));
    });
  }
});

describe('fixtures', () => {
  const load = (name: string) => parseOk(readFileSync(join(FIXTURES, name), 'utf8'), name);

  test('every fixture is in canonical form', () => {
    for (const name of readdirSync(FIXTURES).filter((f) => f.endsWith('.bft'))) {
      const text = readFileSync(join(FIXTURES, name), 'utf8');
      expect(`${name}\n${fmt(text, name)}`).toBe(`${name}\n${text}`);
    }
  });

  test('crash faults, a clean-round assumption and a 2-set property', () => {
    const p = load('crash-kset.bft');
    expect(p.faults).toEqual({ kind: 'crash', bound: { kind: 'param', name: 't' } });
    expect(p.assumptions).toEqual([{ kind: 'clean-round', within: { kind: 'add', left: { kind: 'param', name: 't' }, right: { kind: 'int', value: 1 } } }]);
    expect(p.userProperties.map((u) => u.name)).toEqual(['two_set', 'everyone_decides']);
    expect(p.userProperties[0]).toEqual({
      name: 'two_set',
      scope: 'correct',
      formula: { kind: 'always', at: 'rounds', state: { kind: 'cmp', op: '<=', left: { kind: 'distinct', name: 'decided' }, right: { kind: 'int', value: 2 } } },
    });
    expect(p.properties).toEqual({ agreement: false, validity: true, termination: p.horizon });
    // No property reads `input`: no hidden variable.
    expect(p.vars.map((v) => v.name)).toEqual(['v']);
  });

  test('omission faults beyond t, `for followers`, phase ends and conditional liveness', () => {
    const p = load('omission-followers.bft');
    expect(p.faults.kind).toBe('omission');
    expect(singleBound(p.faults)).toEqual({ kind: 'add', left: { kind: 'param', name: 't' }, right: { kind: 'int', value: 1 } });
    const [stays, wins] = p.userProperties;
    expect(stays?.scope).toBe('followers');
    expect(stays?.formula).toMatchObject({ kind: 'always', at: 'phases', state: { kind: 'implies' } });
    expect(wins?.formula).toMatchObject({ kind: 'eventually', given: { kind: 'quant', quantifier: 'all' }, goal: { kind: 'quant', quantifier: 'all' } });
    expect(p.vars[p.vars.length - 1]).toEqual({ name: 'input', type: { kind: 'value' }, init: 'input' });
  });

  test('only properties of its own and a horizon; `input` becomes a hidden last variable the printer leaves out', () => {
    const p = load('echo-accept.bft');
    expect(p.properties).toEqual({ agreement: false, validity: false, termination: null });
    expect(p.horizon).toEqual({ kind: 'int', value: 3 });
    expect(p.faults).toEqual(BYZANTINE_UP_TO_T);
    expect(p.vars.map((v) => v.name)).toEqual(['v', 'echoed', 'accepted', 'input']);
    const printed = printProtocol(p);
    expect(printed).not.toMatch(/var input/);
    expect(printed).not.toMatch(/^claims/m);
    expect(parseOk(printed)).toEqual(p);
    const delivery = p.userProperties.find((u) => u.name === 'delivery');
    expect(delivery?.formula).toMatchObject({ kind: 'eventually', within: { kind: 'int', value: 2 } });
  });
});

describe('files without the new declarations are unchanged', () => {
  test('every library spec and sketch gets exactly the default fault fields, and its hash is that of the classic IR', () => {
    const dirs = [SPECS, join(SPECS, 'sketches')];
    for (const dir of dirs) {
      for (const name of readdirSync(dir).filter((f) => f.endsWith('.bft'))) {
        const text = readFileSync(join(dir, name), 'utf8');
        const r = parseProtocol(text, name);
        if (!r.ok) continue; // a sketch may have holes; lang.test.ts covers which parse
        const { faults, assumptions, userProperties } = r.value;
        expect({ faults, assumptions, userProperties }).toEqual(DEFAULT_FAULT_FIELDS);
        expect(r.value.vars.some((v) => v.name === 'input')).toBe(false);
        expect(fmt(text, name)).toBe(text);
        const { faults: _f, assumptions: _a, userProperties: _u, ...classic } = r.value;
        expect(protocolHash({ ...classic, ...DEFAULT_FAULT_FIELDS })).toBe(protocolHash(r.value));
      }
    }
  });

  test('`faults byzantine` and `faults byzantine up to t` mean the default and print as nothing', () => {
    const plain = parseOk(`${BASE}claims agreement, termination within t + 1\n`);
    for (const decl of ['faults byzantine', 'faults byzantine up to t']) {
      const text = BASE.replace('resilience n > 2*t\n', `resilience n > 2*t\n${decl}\n`) + 'claims agreement, termination within t + 1\n';
      const p = parseOk(text);
      expect(p).toEqual(plain);
      expect(protocolHash(p)).toBe(protocolHash(plain));
      expect(printProtocol(p)).not.toMatch(/faults/);
    }
  });

  test('the missing-claims error is unchanged for files without properties', () => {
    expect(errors(BASE)).toEqual(['10:1: missing `claims`: add e.g. `claims agreement, validity, termination within t + 1`']);
  });
});

describe('docs/language.md', () => {
  const md = readFileSync(join(__dirname, '..', 'docs', 'language.md'), 'utf8');

  test('every example protocol checks and is in canonical form', () => {
    const examples = md.split('```').filter((block, i) => i % 2 === 1 && block.trimStart().match(/^(\/\/.*\n)*protocol /));
    expect(examples.length).toBeGreaterThanOrEqual(2);
    for (const block of examples) {
      const text = block.replace(/^\n/, '');
      expect(fmt(text, 'language.md')).toBe(text);
    }
  });

  test('the reserved names it lists are the checker\'s', () => {
    const para = md.slice(md.indexOf('The reserved names'));
    const listed = para.slice(0, para.indexOf('.\n')).match(/`[a-z]+`/g)!.map((w) => w.slice(1, -1));
    expect(listed.sort()).toEqual([...RESERVED].sort());
  });
});

describe('docs/semantics.md', () => {
  test('the property examples of section 2.5 parse, check and print as written', () => {
    const md = readFileSync(join(__dirname, '..', 'docs', 'semantics.md'), 'utf8');
    const section = md.slice(md.indexOf('### 2.5'));
    const lines = section.split('```')[1]!.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(4);
    const text = `${BASE.replace('var ok : bool = false', 'var accepted : bool = false').replace('ok := true', 'accepted := true')}\nhorizon 2\n\n${lines.join('\n')}\n`;
    const p = parseOk(text);
    expect(p.userProperties.map((u) => u.name)).toEqual(lines.map((l) => /^property (\w+)/.exec(l)![1]));
    expect(printProtocol(p).trimEnd().split('\n').slice(-lines.length)).toEqual(lines);
  });
});

describe('contextual words', () => {
  test('the new words stay usable as names of variables, messages and rounds', () => {
    const words = ['faults', 'assume', 'property', 'always', 'eventually', 'implies', 'number', 'distinct', 'all', 'some', 'no', 'correct', 'followers', 'crash', 'omission', 'byzantine', 'clean', 'up', 'to', 'at', 'ends', 'then'];
    const vars = words.map((w) => `var ${w} : bool = false`).join('\n');
    const text = `protocol Words\nresilience n > 3*t\nfaults crash up to t + 1\n${vars}\nmessage M\nround faults {\n  send M if all || then\n  when count(M) > t: property := !eventually; implies := true\n}\nhorizon 2\n\nproperty all: always all(all && some) implies no(number || then)\nproperty some for followers: if some(implies) then eventually number(distinct) >= 1 within up\n`;
    const r = parseProtocol(text, 'w.bft');
    // `within up` is a variable where a round bound belongs: the one error, located.
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const line = text.split('\n').findIndex((l) => l.includes('within up')) + 1;
    const col = text.split('\n')[line - 1]!.indexOf('within up') + 'within '.length + 1;
    expect(r.errors.map((e) => `${e.loc.line}:${e.loc.col}: ${e.message}`)).toEqual([`${line}:${col}: \`up\` is not a parameter: only \`n\`, \`t\` and constants may appear here`]);
    const p = parseOk(text.replace('within up', 'within 2'));
    expect(p.userProperties.map((u) => u.name)).toEqual(['all', 'some']);
    expect(parseOk(printProtocol(p))).toEqual(p);
  });
});

describe('static rules', () => {
  test('`input` in a predicate, in `distinct` and nowhere else', () => {
    const p = parseOk(`${BASE}horizon 2\nproperty k: always distinct(input) <= 2\n`);
    expect(p.vars.map((v) => v.name)).toEqual(['v', 'ok', 'input']);
    expect(errors(`${BASE}horizon 2\nproperty k: always distinct(ok) <= 2\n`)).toEqual([
      '11:20: `distinct(ok)` counts values, and `ok` is a bool: count with `number(ok)` instead',
    ]);
  });

  test('every error of a file is reported at once, in order, each located', () => {
    const text = `${BASE}horizon 2\nproperty a: always all(phase > 1)\nproperty b: eventually some(count(VAL) > 0) within x\n`;
    expect(errors(text)).toEqual([
      "11:24: `phase` cannot appear in a property predicate: it reads one process's state (its variables, `decided`, `input`), `n`, `t` and constants",
      "12:29: `count(...)` reads received messages: a property predicate reads only one process's state (its variables, `decided`, `input`)",
      '12:52: `x` is not a parameter: only `n`, `t` and constants may appear here',
    ]);
  });
});
