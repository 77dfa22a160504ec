// The Z3 session, both encodings and the checker on hand-written protocols.
// (One of the at most two test files that load Z3's WebAssembly module.)

import { checkOne, checkProtocol, confirmReplay } from '../src/check/check';
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
