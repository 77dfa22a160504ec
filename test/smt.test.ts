// The Z3 session, both encodings and the checker on hand-written protocols.
// (One of the at most two test files that load Z3's WebAssembly module.)

import { readFileSync } from 'fs';
import { join } from 'path';
import { checkOne, checkProtocol, confirmReplay } from '../src/check/check';
import { parseProtocol } from '../src/lang';
import { decodeCounter } from '../src/smt/counter/decode';
import { encodeCounter } from '../src/smt/counter/encode';
import { buildTrace } from '../src/smt/trace-build';
import { replayTrace } from '../src/sim/replay';
import * as T from '../src/smt/term';
import { parseModel, shutdownZ3, solve } from '../src/smt/z3';
import { parse, PHASE_KING, PHASE_KING_SHORT, QUORUM, QUORUM_BROKEN } from './helpers/smt-protocols';

afterAll(async () => {
  await shutdownZ3();
});

describe('term builder', () => {
  test('folds constants and prints SMT-LIB', () => {
    const x = T.ivar('x');
    expect(T.le(T.num(2), T.num(3))).toEqual(T.TRUE);
    expect(T.printI(T.add(T.num(1), x, T.num(-3)))).toBe('(+ x (- 2))');
    expect(T.and(T.TRUE, T.ge(x, T.num(1)))).toEqual({ k: 'le', a: T.num(1), b: x });
    expect(T.printB(T.not(T.lt(x, T.num(4))))).toBe('(not (<= (+ x 1) 4))');
  });
  test('parses Z3 model text', () => {
    const m = parseModel('(define-fun a () Int\n  (- 3))\n(define-fun b () Bool\n  true)\n(define-fun c () Int 7)');
    expect([...m]).toEqual([['a', -3], ['b', true], ['c', 7]]);
  });
});

describe('term analysis (witness elimination)', () => {
  const c = T.ivar('c');
  const w = T.ivar('w');
  test('polarity of a variable in a Boolean combination', () => {
    expect(T.polarity(T.ge(T.add(c, w), T.num(5)), 'w')).toEqual({ up: true, down: false });
    expect(T.polarity(T.not(T.ge(T.add(c, w), T.num(5))), 'w')).toEqual({ up: false, down: true });
    expect(T.polarity(T.and(T.ge(w, T.num(1)), T.le(w, T.num(3))), 'w')).toEqual({ up: false, down: false });
    expect(T.polarity(T.eq(c, T.num(2)), 'w')).toEqual({ up: true, down: true });
    expect(T.polarity(T.eq(T.add(c, w), T.num(2)), 'w')).toEqual({ up: false, down: false });
  });
  // exists w in [0, B]: cond(c, w)  iff  the eliminated condition, for every small c and B
  const conds: [string, T.BTerm][] = [
    ['interval', T.and(T.ge(T.add(c, w), T.num(5)), T.not(T.ge(T.add(c, w), T.num(9))))],
    ['coefficient 2 on w', T.and(T.le(T.add(T.ivar('d'), T.scale(2, w)), T.add(c, T.num(4))), T.ge(T.add(T.ivar('d'), w), T.num(6)))],
    ['gcd-normalized', T.not(T.ge(T.scale(2, T.add(c, w)), T.num(13)))],
    ['disjunction', T.or(T.ge(T.add(c, w), T.num(7)), T.and(T.le(w, T.sub(c, T.num(2))), T.ge(T.add(T.ivar('d'), w), T.num(4))))],
  ];
  test.each(conds)('eliminateVar is exact: %s', (_name, cond) => {
    for (let B = 0; B <= 4; B++) {
      const r = T.eliminateVar(cond, 'w', [T.num(0)], [T.num(B)]);
      if (r === null) throw new Error('shape not handled');
      for (let cv = 0; cv <= 10; cv++) {
        for (let dv = 0; dv <= 6; dv++) {
          const val = (x: number) => (name: string) => (name === 'c' ? cv : name === 'd' ? dv : name === 'w' ? x : undefined);
          let exists = false;
          for (let x = 0; x <= B; x++) exists ||= T.evalB(cond, val(x));
          expect([B, cv, dv, T.evalB(r.cond, val(0))]).toEqual([B, cv, dv, exists]);
          if (exists) {
            const x = T.evalI(r.value, val(0));
            expect(x >= 0 && x <= B && T.evalB(cond, val(x))).toBe(true);
          }
        }
      }
    }
  });
  test('asserted atoms are normalized exactly (gcd, one constant)', () => {
    const q = new T.Query();
    q.assert(T.ge(T.scale(2, T.add(c, T.num(4))), T.num(25)));
    q.assert(T.le(T.add(c, T.num(1)), T.add(T.ivar('d'), c, T.num(-2))));
    expect(q.smtlib()).toContain('(assert (<= 9 c))');
    expect(q.smtlib()).toContain('(assert (<= 3 d))');
  });
});

describe('z3 session', () => {
  test('sat with model, unsat, query text taken before check', async () => {
    const q = new T.Query();
    const x = q.intIn('x', 0, 5);
    q.assert(T.gt(x, T.num(3)));
    const r = await solve(q.smtlib(), { timeoutMs: 5000 });
    expect(r.status).toBe('sat');
    if (r.status === 'sat') expect([4, 5]).toContain(r.model.get('x'));
    expect(r.smtlib).toContain('declare-fun x');
    const rendered = await solve(q.smtlib(), { timeoutMs: 5000, renderSolver: true });
    expect(rendered.smtlib).toContain('declare-fun x');
    q.assert(T.lt(x, T.num(2)));
    expect((await solve(q.smtlib(), { timeoutMs: 5000 })).status).toBe('unsat');
  });
  test('concurrent solves are serialized and all answered', async () => {
    const rs = await Promise.all([1, 2, 3, 4].map((k) => solve(`(declare-fun y () Int)(assert (= y ${k}))`, { timeoutMs: 5000 })));
    expect(rs.map((r) => (r.status === 'sat' ? r.model.get('y') : null))).toEqual([1, 2, 3, 4]);
  });
  test('a timeout is unknown, never unsat', async () => {
    const p = parse(PHASE_KING);
    const r = await checkOne(p, 'counter', { n: 17, t: 4, rounds: 10 }, 'agreement', 1);
    expect(r.verdict).toBe('unknown');
    const rep = await checkProtocol(p, { instances: [{ n: 17, t: 4 }], properties: ['agreement'], engine: 'counter', timeoutMs: 1 });
    expect(rep.verdict).toBe('unknown');
  });
});

describe('counter encoding', () => {
  test('quorum protocol verified at t = 1..3', async () => {
    const rep = await checkProtocol(parse(QUORUM), { instances: [1, 2, 3].map((t) => ({ n: 3 * t + 1, t })), engine: 'counter', timeoutMs: 20000 });
    expect(rep.results.map((r) => r.verdict)).toEqual(Array(6).fill('verified'));
    expect(rep.verdict).toBe('verified');
    expect(rep.results[0]?.smtlib).toContain('(assert');
  });
  test('broken quorum violated, counterexamples replay', async () => {
    const p = parse(QUORUM_BROKEN);
    const rep = await checkProtocol(p, { instances: [{ n: 4, t: 1 }, { n: 7, t: 2 }], engine: 'counter', timeoutMs: 20000 });
    expect(rep.verdict).toBe('violated');
    for (const r of rep.results) {
      expect(r.verdict).toBe('violated');
      const cex = r.counterexample;
      if (cex === undefined) throw new Error('no counterexample');
      expect(cex.violations[0]?.property).toBe(r.property);
      expect(replayTrace(p, cex, { violations: 'claimed' }).ok).toBe(true);
    }
  });
  test('Phase King verified at n = 5, t = 1 and n = 9, t = 2', async () => {
    const rep = await checkProtocol(parse(PHASE_KING), { instances: [{ n: 5, t: 1 }, { n: 9, t: 2 }], engine: 'counter', timeoutMs: 30000 });
    expect(rep.results.map((r) => `${r.n}/${r.property}/${r.verdict}`)).toEqual(
      ['5/agreement/verified', '5/validity/verified', '5/termination/verified', '9/agreement/verified', '9/validity/verified', '9/termination/verified'],
    );
  });
  test('Phase King deciding a phase early: agreement violated by a Byzantine king', async () => {
    const p = parse(PHASE_KING_SHORT);
    const r = await checkOne(p, 'counter', { n: 9, t: 2, rounds: 4 }, 'agreement', 30000);
    expect(r.verdict).toBe('violated');
    const cex = r.counterexample;
    if (cex === undefined) throw new Error('no counterexample');
    // the only way to break it is a Byzantine king in every phase so far
    expect(cex.byzantine).toEqual([0, 1]);
  });
  test('a tampered counterexample is an internal error', async () => {
    const p = parse(QUORUM_BROKEN);
    const r = await checkOne(p, 'counter', { n: 4, t: 1, rounds: 1 }, 'validity', 20000);
    const cex = r.counterexample;
    if (cex === undefined) throw new Error('no counterexample');
    const tampered = { ...cex, rounds: cex.rounds.map((rr) => ({ ...rr, byzantine: [] })) };
    expect(() => confirmReplay(p, tampered, 'validity')).toThrow(/internal error/);
  });
});

describe('counter encoding: state classes and leader tracking', () => {
  const pk3 = (): ReturnType<typeof parse> => {
    const file = join(__dirname, '..', 'specs', 'phase-king-3round.bft');
    const r = parseProtocol(readFileSync(file, 'utf8'), file);
    if (!r.ok) throw new Error('parse');
    return r.value;
  };
  test('dead variables do not split classes (phase-king-3round)', () => {
    const e = encodeCounter(pk3(), { n: 7, t: 2, f: 2, rounds: 9 }, 'agreement');
    // after a (non-final) king round only v matters; after exchange v, has_prop and prop if has_prop; after propose v and strong
    expect(e.reach.map((r) => r.length)).toEqual([2, 6, 4, 2, 6, 4, 2, 6, 4, 2]);
  });
  // Both leader encodings (pool until the first send, or individual from round 0) are exact: same verdicts, and sat models decode and replay.
  const texts: Record<string, string> = { 'phase king': PHASE_KING, 'phase king deciding early': PHASE_KING_SHORT };
  const cases: [string, number, number, number, string, string][] = [
    ['phase king', 9, 2, 6, 'agreement', 'unsat'],
    ['phase king', 9, 2, 6, 'validity', 'unsat'],
    ['phase king deciding early', 9, 2, 4, 'agreement', 'sat'],
    ['phase king deciding early', 5, 1, 4, 'termination', 'unsat'],
  ];
  test.each(cases)('%s at n = %i, t = %i, R = %i: %s is %s with and without the leader pool', async (name, n, t, R, prop, want) => {
    const p = parse(texts[name] as string);
    for (const leaderPool of [true, false]) {
      const e = encodeCounter(p, { n, t, f: t, rounds: R }, prop as 'agreement', { leaderPool });
      const r = await solve(e.q.smtlib(), { timeoutMs: 30000 });
      expect(`${leaderPool}: ${r.status}`).toBe(`${leaderPool}: ${want}`);
      if (r.status === 'sat') {
        const trace = buildTrace(p, decodeCounter(e, r.model), prop as 'agreement');
        expect(() => confirmReplay(p, trace, prop as 'agreement')).not.toThrow();
      }
    }
  });
});

describe('counter and process encodings agree', () => {
  const cases: [string, number, number, string][] = [
    ['quorum', 4, 1, QUORUM],
    ['quorum-broken', 4, 1, QUORUM_BROKEN],
    ['quorum-broken', 5, 1, QUORUM_BROKEN],
    ['phase-king', 5, 1, PHASE_KING],
    ['phase-king-short', 5, 1, PHASE_KING_SHORT],
  ];
  test.each(cases)('%s at n = %i, t = %i', async (_name, n, t, text) => {
    const p = parse(text);
    const opts = { instances: [{ n, t }], timeoutMs: 30000 };
    const c = await checkProtocol(p, { ...opts, engine: 'counter' });
    const q = await checkProtocol(p, { ...opts, engine: 'process' });
    expect(q.results.map((r) => r.verdict)).toEqual(c.results.map((r) => r.verdict));
    expect(c.results.every((r) => r.verdict !== 'unknown')).toBe(true);
  });
});
