// Phase lemmas for every n and t (src/smt/counter/lemma.ts, src/check/lemmas.ts):
// Phase King's termination and validity lemmas hold; a lemma that does not
// hold is 'unknown', never a violation (phase-king-no-fallback terminates,
// its lemma does not hold); protocols whose last phase really can leave a
// process undecided fail the lemma and the concrete engine finds the
// violation; and wherever a lemma holds, the concrete counter engine agrees
// at t = 1..3 (parameterized unsat implies concrete unsat). Loads Z3.
import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import { checkOne, claimedProperties, roundsFor } from '../src/check/check';
import { checkLemma, lemmaPlan, type LemmaResult } from '../src/check/lemmas';
import { evalParamExpr } from '../src/ir/eval';
import type { Protocol } from '../src/ir/types';
import { parseProtocol } from '../src/lang';
import { encodeCounterCore } from '../src/smt/counter/encode';
import { encodeAgreementStep, encodeChainStep, encodeTerminationLemma, encodeValidityLemma, type LemmaKind } from '../src/smt/counter/lemma';
import { regionSetup } from '../src/smt/counter/param';
import * as T from '../src/smt/term';
import { shutdownZ3, solve } from '../src/smt/z3';
import { formatError } from '../src/util/result';

const ROOT = join(__dirname, '..');
function parse(source: string, name = 'test.bft'): Protocol {
  const r = parseProtocol(source, name);
  if (!r.ok) throw new Error(r.errors.map((e) => formatError(e, source)).join('\n'));
  return r.value;
}
const read = (rel: string): string => readFileSync(join(ROOT, rel), 'utf8');
const load = (rel: string): Protocol => parse(read(rel), rel);

afterAll(async () => {
  await shutdownZ3();
});

const TIMEOUT = 60000;

async function lemma(p: Protocol, k: LemmaKind): Promise<LemmaResult> {
  const r = await checkLemma(p, k, TIMEOUT);
  if ('skipped' in r) throw new Error(`${p.name} ${k} lemma skipped: ${r.skipped}`);
  return r;
}

function smallestN(p: Protocol, t: number): number {
  for (let n = t + 1; n < 100; n++) if (evalParamExpr(p.resilience, n, t) === true) return n;
  throw new Error('no admissible n');
}

describe('phase lemmas', () => {
  test('Phase King: the termination and validity lemmas hold for every n and t', async () => {
    const p = load('specs/phase-king.bft');
    const term = await lemma(p, 'termination');
    expect(term.verdict).toBe('verified');
    expect(term.queries.map((x) => x.status)).toEqual(['unsat']);
    expect(term.queries[0]?.side.join(' ')).toContain('phase t + 1');
    expect(term.argument.join(' ')).toContain('irrevocable');
    const val = await lemma(p, 'validity');
    expect(val.verdict).toBe('verified');
    expect(val.queries[0]?.side.join(' ')).toContain('1 <= p <= t + 1');
  });

  test('the lemma queries are not vacuous: without their final (violation) assertion they are sat', async () => {
    const p = load('specs/phase-king.bft');
    for (const e of [encodeTerminationLemma(p), encodeValidityLemma(p, true), ...(['persist', 'decide', 'last'] as const).map((x) => encodeChainStep(p, x))]) {
      const lines = e.smtlib.trimEnd().split('\n');
      expect(lines[lines.length - 1]).toMatch(/^\(assert /);
      expect((await solve(lines.slice(0, -1).join('\n') + '\n', { timeoutMs: TIMEOUT })).status).toBe('sat');
      expect((await solve(e.smtlib, { timeoutMs: TIMEOUT })).status).toBe('unsat');
    }
  });

  test('the phase is symbolic: Phase King decides in phase t + 1, not in phase t (t >= 1)', async () => {
    const p = load('specs/phase-king.bft');
    const at = async (base: (t: T.ITerm) => T.ITerm): Promise<string> => {
      const { q, params } = regionSetup(p, { t: null });
      q.assert(T.ge(params.t, T.num(1)));
      encodeCounterCore(p, { q, params: { ...params, phaseBase: base(params.t) }, rounds: 2, leaderOf: () => 0 }, 'termination', { start: 'havoc', leaderPool: false });
      return (await solve(q.smtlib(), { timeoutMs: TIMEOUT })).status;
    };
    expect(await at((t) => t)).toBe('unsat');
    expect(await at((t) => T.sub(t, T.num(1)))).toBe('sat');
  });

  test('quorum-vote: the lemma does not hold, and the concrete engine finds the violation', async () => {
    const p = load('specs/quorum-vote.bft');
    const r = await lemma(p, 'termination');
    expect(r.verdict).toBe('unknown');
    const c = await checkOne(p, 'counter', { n: 5, t: 1, rounds: roundsFor(p, 'termination', 5, 1) }, 'termination', TIMEOUT);
    expect(c.verdict).toBe('violated');
  });

  test('a last phase that skips on a silent king: the lemma does not hold, and the concrete engine finds the violation', async () => {
    const src = read('specs/phase-king.bft')
      .replace('protocol PhaseKing', 'protocol PhaseKingSkipLast')
      .replace('  when phase == t + 1: decide v\n', '')
      .replace('when strong && phase == t + 1: decide v', 'when strong && phase == t + 1 && count(KING) >= 1: decide v');
    expect(src).toContain('count(KING) >= 1: decide v');
    const p = parse(src);
    expect((await lemma(p, 'termination')).verdict).toBe('unknown');
    const c = await checkOne(p, 'counter', { n: 5, t: 1, rounds: roundsFor(p, 'termination', 5, 1) }, 'termination', TIMEOUT);
    expect(c.verdict).toBe('violated');
  });

  test('phase-king-no-fallback: the last-phase lemma does not hold (not a violation), the agreement chain proves termination', async () => {
    const p = load('specs/phase-king-no-fallback.bft');
    const r = await lemma(p, 'termination');
    expect(r.queries.map((x) => `${x.name}: ${x.status}`)).toEqual(['last phase decides: sat', 'unify: unsat', 'persist: unsat', 'decide: unsat', 'last: unsat']);
    expect(r.verdict).toBe('verified');
    expect(r.argument.join(' ')).toContain('distinct processes 0 .. t');
    const c = await checkOne(p, 'counter', { n: 5, t: 1, rounds: roundsFor(p, 'termination', 5, 1) }, 'termination', TIMEOUT);
    expect(c.verdict).toBe('verified');
  });

  test('the chain steps are each needed: without the correct leader, unify does not hold for Phase King', async () => {
    const p = load('specs/phase-king.bft');
    const e = encodeChainStep(p, 'unify');
    const noLeader = e.smtlib.replace(/\(assert \(not byzL0\)\)\n/, '');
    expect(noLeader).not.toBe(e.smtlib);
    expect((await solve(e.smtlib, { timeoutMs: TIMEOUT })).status).toBe('unsat');
    expect((await solve(noLeader, { timeoutMs: TIMEOUT })).status).toBe('sat');
  });

  test('termination bounds below t + 1 phases are not covered', () => {
    expect(lemmaPlan(load('specs/phase-king-t-phases.bft'), 'termination').ok).toBe(false);
    expect(lemmaPlan(load('specs/phase-king.bft'), 'termination').ok).toBe(true);
  });

  test('every library protocol: a lemma that holds agrees with the concrete engine at t = 1..3', async () => {
    const files = readdirSync(join(ROOT, 'specs')).filter((f) => f.endsWith('.bft'));
    let proved = 0;
    for (const f of files) {
      const p = load(`specs/${f}`);
      for (const k of ['termination', 'validity'] as const) {
        if (!claimedProperties(p).includes(k)) continue;
        const r = await checkLemma(p, k, TIMEOUT);
        if ('skipped' in r || r.verdict !== 'verified') continue;
        proved++;
        for (const t of [1, 2, 3]) {
          const n = smallestN(p, t);
          for (const m of [n, n + 1]) {
            const c = await checkOne(p, 'counter', { n: m, t, rounds: roundsFor(p, k, m, t) }, k, TIMEOUT);
            expect(`${f} ${k} n=${m} t=${t}: ${c.verdict}`).toBe(`${f} ${k} n=${m} t=${t}: verified`);
          }
        }
      }
    }
    expect(proved).toBeGreaterThanOrEqual(10);
  }, 600000);

  test('agreement: the chain (no early decision, unify, persist, decide-same, last-same) holds for Phase King, Phase Queen and phase-king-3round', async () => {
    for (const f of ['specs/phase-king.bft', 'specs/phase-queen.bft', 'specs/phase-king-3round.bft']) {
      const r = await lemma(load(f), 'agreement');
      expect(`${f}: ${r.queries.map((x) => `${x.name}: ${x.status}`).join(', ')}`).toBe(`${f}: no early decision: unsat, unify: unsat, persist: unsat, decide-same: unsat, last-same: unsat`);
      expect(r.verdict).toBe('verified');
      expect(r.argument.join(' ')).toContain('distinct processes 0 .. t');
      expect(r.queries[0]?.side.join(' ')).toContain('1 <= p <= t');
    }
  });

  test('agreement: phase-king-t-phases (decides in phase t) and phase-king-n4t are not verified by the chain (unknown, not violated)', async () => {
    const tp = await lemma(load('specs/phase-king-t-phases.bft'), 'agreement');
    expect(tp.verdict).toBe('unknown');
    expect(tp.queries.map((x) => `${x.name}: ${x.status}`)).toEqual(['no early decision: sat']);
    expect(tp.reason).toContain('does not apply');
    const n4t = await lemma(load('specs/phase-king-n4t.bft'), 'agreement');
    expect(n4t.verdict).toBe('unknown');
    expect(n4t.queries.some((x) => x.status === 'sat')).toBe(true);
  });

  test('agreement: the chain does not apply past t + 1 phases or with several input variables', () => {
    const qv = lemmaPlan(load('specs/quorum-vote.bft'), 'agreement');
    expect(qv.ok).toBe(false);
    if (!qv.ok) expect(qv.reason).toContain('exceeds');
    const two = parse(read('specs/phase-king.bft').replace('var strong : bool = false', 'var strong : bool = false\nvar u : value = input'));
    const pl = lemmaPlan(two, 'agreement');
    expect(pl.ok).toBe(false);
    if (!pl.ok) expect(pl.reason).toContain('exactly one variable');
    expect(lemmaPlan(load('specs/phase-king.bft'), 'agreement').ok).toBe(true);
  });

  test('agreement: the new queries are not vacuous', async () => {
    const p = load('specs/phase-king.bft');
    for (const step of ['no-early', 'decide-same'] as const) {
      const e = encodeAgreementStep(p, step);
      const lines = e.smtlib.trimEnd().split('\n');
      expect(lines[lines.length - 1]).toMatch(/^\(assert /);
      expect((await solve(lines.slice(0, -1).join('\n') + '\n', { timeoutMs: TIMEOUT })).status).toBe('sat');
      expect((await solve(e.smtlib, { timeoutMs: TIMEOUT })).status).toBe('unsat');
    }
    // last-same needs its correct leader: a Byzantine last king splits the decisions
    const e = encodeAgreementStep(p, 'last-same');
    const noLeader = e.smtlib.replace(/\(assert \(not byzL0\)\)\n/, '');
    expect(noLeader).not.toBe(e.smtlib);
    expect((await solve(e.smtlib, { timeoutMs: TIMEOUT })).status).toBe('unsat');
    expect((await solve(noLeader, { timeoutMs: TIMEOUT })).status).toBe('sat');
  });

  test('agreement: wherever the chain holds, expected.json says verified and the concrete engine verifies at t = 1..3', async () => {
    const expected = JSON.parse(read('specs/expected.json')) as Record<string, { agreement?: string }>;
    const files = readdirSync(join(ROOT, 'specs')).filter((f) => f.endsWith('.bft'));
    const proved: string[] = [];
    for (const f of files) {
      const p = load(`specs/${f}`);
      if (!claimedProperties(p).includes('agreement')) continue;
      const r = await checkLemma(p, 'agreement', TIMEOUT);
      if ('skipped' in r || r.verdict !== 'verified') continue;
      proved.push(f);
      expect(`${f}: ${expected[`specs/${f}`]?.agreement}`).toBe(`${f}: verified`);
      for (const t of [1, 2, 3]) {
        const n = smallestN(p, t);
        const c = await checkOne(p, 'counter', { n, t, rounds: roundsFor(p, 'agreement', n, t) }, 'agreement', TIMEOUT);
        expect(`${f} agreement n=${n} t=${t}: ${c.verdict}`).toBe(`${f} agreement n=${n} t=${t}: verified`);
      }
    }
    expect(proved).toEqual(expect.arrayContaining(['phase-king.bft', 'phase-queen.bft', 'phase-king-3round.bft']));
  }, 600000);
});
