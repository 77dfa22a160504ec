// Sketches (the language with holes), normalization and the gate's verdicts
// on the known-correct completions of the library's sketches.
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { parseProtocol, printProtocol } from '../src/lang';
import { explore } from '../src/sim/explore';
import { Gate, rewardOf } from '../src/synth/gate';
import { normalizeProtocol } from '../src/synth/normalize';
import { complete, completionCount, knownCompletions, parseSketch, type Sketch } from '../src/synth/sketch';
import { exploreVerifier } from '../src/synth/verifier';
import { smallestN } from '../src/synth/score';
import { formatError } from '../src/util/result';

const ROOT = join(__dirname, '..');
const SKETCH_DIR = join(ROOT, 'specs', 'sketches');
const sketchFiles = readdirSync(SKETCH_DIR).filter((f) => f.endsWith('.bft')).sort();

function sketchOf(text: string, file = 's.bft'): Sketch {
  const r = parseSketch(text, file);
  if (!r.ok) throw new Error(r.errors.map((e) => formatError(e, text)).join('\n'));
  return r.value;
}

function errorsOf(text: string): string[] {
  const r = parseSketch(text, 's.bft');
  if (r.ok) throw new Error('expected errors');
  return r.errors.map((e) => formatError(e));
}

describe('sketch syntax', () => {
  test('definitions, references, empty choices, multi-line choices, `||` and comments', () => {
    const s = sketchOf(
      [
        '// a comment with ?notahole and { braces',
        'a ?x in {1 | 2 |  | x || y} b ?x c',
        '?r in {',
        'round a { when ?x: skip }',
        '|',
        '}',
      ].join('\n'),
    );
    expect(s.holes.map((h) => [h.name, h.choices])).toEqual([
      ['x', ['1', '2', '', 'x || y']],
      ['r', ['round a { when ?x: skip }', '']],
    ]);
    expect(completionCount(s)).toBe(8);
    expect(complete(s, [3, 0])).toBe('// a comment with ?notahole and { braces\na x || y b x || y c\nround a { when x || y: skip }');
    expect(complete(s, [2, 1])).toBe('// a comment with ?notahole and { braces\na  b  c\n');
  });

  test('mistakes are located file:line:col, all at once', () => {
    expect(errorsOf('x ?a in {1 | 2}\ny ?a in {3}\n')).toEqual(['s.bft:2:3: hole `?a` is defined twice (first at 1:3)']);
    expect(errorsOf('x ?b\n  ?c in {1}')).toEqual(['s.bft:1:3: unknown hole `?b` (define it with `?b in {...}`)']);
    expect(errorsOf('p\n  ?a in {1 | {2}\n')).toEqual(['s.bft:2:9: unbalanced `{`: this choice list is never closed']);
    expect(errorsOf('?a in {x ?b in {1}}')).toEqual(expect.arrayContaining(['s.bft:1:10: hole `?b` is defined inside a choice; define holes at the top level']));
    expect(errorsOf('a ? b')).toEqual(['s.bft:1:3: expected a hole name after `?`']);
    expect(errorsOf('?a in (1)')).toEqual(['s.bft:1:7: expected `{` after `?a in`']);
    expect(errorsOf('?a in {1 | ?zz}')).toEqual(['s.bft:1:12: unknown hole `?zz` (define it with `?zz in {...}`)']);
  });
});

describe('normalization', () => {
  test('collects linear terms exactly; spelling variants share one hash', () => {
    const text = (thr: string): string =>
      `protocol P\nresilience n > 3*t\nvar v : value = input\nmessage M(value)\nround r {\n  send M(v)\n  when ${thr}: decide v\n}\nclaims agreement, validity, termination within 1*(t + 1) + 0\n`;
    const a = parseProtocol(text('2*count(M, 1) > 1*n + 2*t + 0'), 'a');
    const b = parseProtocol(text('2*count(M, 1) > n + 2*t'), 'b');
    if (!a.ok || !b.ok) throw new Error('parse');
    const na = normalizeProtocol(a.value);
    expect(na).toEqual(normalizeProtocol(b.value));
    expect(printProtocol(na)).toContain('when 2*count(M, 1) > n + 2*t: decide v');
    expect(printProtocol(na)).toContain('termination within t + 1');
    const c = parseProtocol(text('count(M, 1) > 0*n + 3*t + -1'), 'c');
    if (!c.ok) throw new Error('parse');
    expect(printProtocol(normalizeProtocol(c.value))).toContain('when count(M, 1) > 3*t - 1: decide v');
  });
});

describe.each(sketchFiles)('sketch %s', (name) => {
  const file = join('specs', 'sketches', name);
  const source = readFileSync(join(ROOT, file), 'utf8');
  const sketch = sketchOf(source, file);

  test('has at least 10^4 completions and a known-correct one', () => {
    expect(completionCount(sketch)).toBeGreaterThanOrEqual(10_000);
    const known = knownCompletions(sketch);
    if (!known.ok) throw new Error(known.errors.map((e) => e.message).join('; '));
    expect(known.value.length).toBeGreaterThanOrEqual(1);
    for (const c of known.value) expect(parseProtocol(complete(sketch, c), file).ok).toBe(true);
  });

  test('the gate keeps the known-correct completion; exhaustive simulation agrees', async () => {
    const gate = new Gate(sketch, exploreVerifier());
    for (const choices of (knownCompletions(sketch) as { ok: true; value: number[][] }).value) {
      const ev = await gate.evaluate(choices);
      expect(ev.verdict.outcome).toBe('kept');
      expect(ev.verdict.score).toBeGreaterThan(1);
      expect(rewardOf(ev.verdict, false)).toBeGreaterThan(1);
      const again = await gate.evaluate(choices);
      expect(again.cached).toBe(true);
      expect(gate.stats.verifierCalls).toBe(1);
      // an instance the gate never looked at: one process more than the smallest at t = 1
      const p = ev.protocol!;
      const n = smallestN(p, 1)! + 1;
      const ex = explore(p, { n, t: 1, hash: ev.verdict.hash! });
      if (!ex.ok) throw new Error('explore');
      expect([ex.value.agreement.status, ex.value.validity.status, ex.value.termination.status]).toEqual(['holds', 'holds', 'holds']);
    }
  });
});
