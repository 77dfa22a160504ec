// The invariant engine under hybrid faults (docs/semantics.md 1.9 and 3.6;
// src/smt/invariant/hybrid.ts): up to t Byzantine and up to o omission-faulty
// processes in one run, proved for every n, t, o the resilience condition
// admits, every fb in 0..t and fo in 0..o, and runs of any length.
//
// - RBH (hybrid reliable broadcast, relay on n - 2t - 2o echoes, accept on
//   n - t - o, n > 3t + 2o): unforgeable and relay proved for followers.
// - n >= 3t + 2o: at n = 3t + 2o the t Byzantine echoes reach the relay
//   threshold, so unforgeability is never proved; the process engine
//   refutes it at 3:1:0 (the smallest such instance with a Byzantine
//   process; 5:1:1 has both kinds but costs far more).
// - relay threshold n - 2t - o: still unforgeable (with no follower holding
//   1, only the fb <= t Byzantine processes echo, and n - 2t - o > t); but
//   relay breaks: an acceptor's n - t - o echoes guarantee only
//   n - 2t - 2o from correct senders to the others (6:1:1: three correct
//   1s, one omission-faulty 1 withheld and one Byzantine echo sent to one
//   receiver only). Never proved; the process engine refutes it in one
//   round, where the correct protocol is verified.
// - for followers versus for correct: a process with v = 1 always hears its
//   own ECHO when it is correct, not when it is omission-faulty (its message
//   may be withheld from itself), so `no(v == 1 && lonely)` is proved for
//   correct and not for followers.
// - phase king (specs/sta/phase-king-bsw-hybrid.bft, KING a leader
//   message): agreement proved for every n > 3t + 2o with t + o + 1 phases
//   (some king is neither Byzantine nor omission-faulty: the ghost b of
//   faulty leaders is at most fb + fo); with t + o phases (all kings may be
//   faulty) and for built-in validity (fails at 6:1:1, see the spec) never.
// - `eventually` (rb-hybrid.bft's delivery within 1): proved; accepting on
//   n - t - o + 1 echoes (more than the correct processes guarantee) is not.
// - refused with the reason: other bounds, predicates reading o.
// - every conjunct of a proof holds on fresh simulated hybrid runs (other
//   seeds and t, o; the soundness guard), and sampling prunes candidates.
// Kept within a CI budget: one proof per path (no leader, leader,
// `eventually`, bounded), the negative cases, and the process-engine
// cross-checks at their smallest instances and round counts; the proofs
// sample t = 1 only (sampling prunes candidates, it proves nothing).
// Loads Z3; the process-engine cross-checks need its hybrid encoding.
import { readFileSync } from 'fs';
import { join } from 'path';
import { checkOne } from '../src/check/check';
import { proveByInvariant } from '../src/check/invariant';
import type { Protocol } from '../src/ir/types';
import { parseProtocol } from '../src/lang';
import { linearTO } from '../src/smt/invariant/hybrid';
import { allCandidates } from '../src/smt/invariant/candidates';
import { holdsOn, sampleStates } from '../src/smt/invariant/sample';
import { buildSystem, phaseBound } from '../src/smt/invariant/system';
import { shutdownZ3 } from '../src/smt/z3';
import { formatError } from '../src/util/result';
import { rbHybridSource, UNFORGEABLE } from './helpers/hybrid-protocols';

const RBH = rbHybridSource({ name: 'RBH', properties: [UNFORGEABLE, 'property relay for followers: always (some(accepted) implies all(v == 1))'] });

const LONELY = `protocol Lonely
values 0..1
resilience n > 3*t + 2*o
faults byzantine and omission

var v : value = input
var lonely : bool = false

message ECHO

round r {
  send ECHO if v == 1
  when count(ECHO) == 0: lonely := true
}

horizon 2

property alone_followers for followers: always no(v == 1 && lonely)
property alone_correct: always no(v == 1 && lonely)
`;

function parse(source: string): Protocol {
  const r = parseProtocol(source, 'test.bft');
  if (!r.ok) throw new Error(r.errors.map((e) => formatError(e, source)).join('\n'));
  return r.value;
}

afterAll(async () => {
  await shutdownZ3();
});

const LONG = 300_000;
/** The engine as check calls it, sampling t = 1 only (cheaper pruning; the proof is the same three unsat queries). */
const prove = (p: Protocol, property: string, opts: { unbounded?: boolean } = {}): ReturnType<typeof proveByInvariant> => proveByInvariant(p, property, { ...opts, sampleTs: [1] });
const vcs = (r: { queries: { name: string; status: string }[] }): string[] => r.queries.filter((q) => q.name.startsWith('vc:')).map((q) => q.status);

describe('hybrid faults in the invariant engine', () => {
  test('hybrid reliable broadcast: unforgeable and relay for followers, proved for every n, t, o and runs of any length', async () => {
    const p = parse(RBH);
    for (const property of ['unforgeable', 'relay']) {
      const r = await prove(p, property, { unbounded: true });
      expect([property, r.verdict, r.reason]).toEqual([property, 'proved', undefined]);
      expect(r.model).toBe('hybrid');
      expect(vcs(r)).toEqual(['unsat', 'unsat', 'unsat']);
      expect(r.region).toEqual(expect.arrayContaining(['t >= 0', 'o >= 0', 'every phase p >= 1 (runs of any length)', 'hybrid faults (the protocol\'s own model): every n, t, o with n > 3*t + 2*o, fb in 0..t Byzantine and fo in 0..o omission-faulty']));
      // the queries are over n, t, o, fb (f) and fo, with the resilience condition over all three
      const step = r.queries.find((q) => q.name === 'vc:step')?.smtlib ?? '';
      for (const x of ['(declare-fun o () Int)', '(declare-fun fo () Int)', '(declare-fun f () Int)']) expect(step).toContain(x);
      expect(r.invariant.some((c) => c.id === 'dom:faulty')).toBe(true);
      // sampling pruned candidates, and the invariant holds on fresh runs (other seeds, t = 2, o = 1 and 0..2 shapes)
      expect(r.stats.afterSampling).toBeLessThan(r.stats.candidates);
      if (property !== 'unforgeable') continue;
      const ph = phaseBound(p, property);
      if (typeof ph === 'string') throw new Error(ph);
      const sys = buildSystem(p, property, ph, true);
      const byId = new Map(allCandidates(sys).map((c) => [c.id, c]));
      const samples = sampleStates(sys, { ts: [2], seed: 99, seeds: 1 });
      expect(samples.some((s) => s.f > 0 && (s.hy?.fo ?? 0) > 0 && s.fault !== null && [...s.fault.counts.values()].some((x) => x > 0))).toBe(true);
      for (const c of r.invariant) {
        const cand = byId.get(c.id);
        if (cand === undefined) throw new Error(c.id);
        expect([c.id, samples.every((s) => holdsOn(cand, s))]).toEqual([c.id, true]);
      }
    }
  }, LONG);

  test('n >= 3t + 2o: t Byzantine echoes reach the relay threshold, never proved; the process engine refutes it', async () => {
    const p = parse(RBH.replace('n > 3*t + 2*o', 'n >= 3*t + 2*o'));
    const r = await prove(p, 'unforgeable', { unbounded: true });
    expect(r.verdict).toBe('unknown');
    const c = await checkOne(p, 'process', { n: 3, t: 1, o: 0, rounds: 2 }, 'unforgeable', 60_000);
    expect(c.verdict).toBe('violated');
  }, LONG);

  test('relay threshold n - 2t - o: relay never proved and refuted at 6:1:1', async () => {
    const p = parse(RBH.replace('n - 2*t - 2*o', 'n - 2*t - o'));
    const r = await prove(p, 'relay', { unbounded: true });
    expect(r.verdict).toBe('unknown');
    const c = await checkOne(p, 'process', { n: 6, t: 1, o: 1, rounds: 1 }, 'relay', 60_000);
    expect(c.verdict).toBe('violated');
    // the correct protocol is not refuted there
    expect((await checkOne(parse(RBH), 'process', { n: 6, t: 1, o: 1, rounds: 1 }, 'relay', 60_000)).verdict).toBe('verified');
  }, LONG);

  test('an omission-faulty process may miss its own message: proved for correct, not for followers', async () => {
    const p = parse(LONELY);
    expect((await prove(p, 'alone_correct', { unbounded: true })).verdict).toBe('proved');
    expect((await prove(p, 'alone_followers', { unbounded: true })).verdict).toBe('unknown');
    expect((await checkOne(p, 'process', { n: 3, t: 0, o: 1, rounds: 1 }, 'alone_followers', 60_000)).verdict).toBe('violated');
  }, LONG);

  test('eventually under hybrid faults: the STA file\'s delivery (within 1) is proved; accepting on n - t - o + 1 echoes is not', async () => {
    const src = readFileSync(join(__dirname, '..', 'specs', 'sta', 'rb-hybrid.bft'), 'utf8');
    const r = await prove(parse(src), 'delivery');
    expect([r.verdict, r.reason, r.phases]).toEqual(['proved', undefined, '1']);
    // all correct inputs 1 give only n - fb - fo >= n - t - o echoes for sure
    const high = parse(src.replace('>= n - t - o: v := 1; accepted', '>= n - t - o + 1: v := 1; accepted'));
    expect((await prove(high, 'delivery')).verdict).toBe('unknown');
  }, LONG);

  test('hybrid phase king: agreement proved with t + o + 1 phases, not with t + o, validity never', async () => {
    const src = readFileSync(join(__dirname, '..', 'specs', 'sta', 'phase-king-bsw-hybrid.bft'), 'utf8');
    const r = await prove(parse(src), 'agreement');
    expect([r.verdict, r.reason, r.phases]).toEqual(['proved', undefined, '1 + 1*t + 1*o']);
    expect(vcs(r)).toEqual(['unsat', 'unsat', 'unsat']);
    // decisions in phase t + o: every king so far may be Byzantine or omission-faulty
    const short = parse(src.split('t + o + 1').join('t + o').replace('termination within 3*(t + o)', 'termination within 3*(t + o) + 3'));
    expect((await prove(short, 'agreement')).verdict).toBe('unknown');
    const validity = parse(src.replace('claims agreement, termination', 'claims agreement, validity, termination'));
    expect((await prove(validity, 'validity')).verdict).toBe('unknown');
  }, LONG);

  test('phase bounds linear in t and o; what the engine does not model is refused with the reason', async () => {
    const p = parse(RBH.replace('horizon 3', 'horizon 2*t + 3*o + 1'));
    const ph = phaseBound(p, 'relay');
    expect(ph).toEqual({ base: 1, slope: 2, slopeO: 3, horizon: { base: 1, slope: 2, slopeO: 3 } });
    expect(linearTO(p.horizon, 'the horizon')).toEqual({ base: 1, slope: 2, slopeO: 3 });
    const bounded = await prove(p, 'relay');
    expect([bounded.verdict, bounded.phases]).toEqual(['proved', '1 + 2*t + 3*o']);
    expect(buildSystem(p, 'relay', ph as Exclude<typeof ph, string>).faults?.kind).toBe('hybrid');

    const other = parse(RBH.replace('faults byzantine and omission', 'faults byzantine up to t and omission up to o + 1'));
    const b = await prove(other, 'unforgeable');
    expect([b.verdict, b.reason]).toEqual(['unknown', expect.stringContaining('design bounds only')]);

    const readsO = parse(RBH.replace('property relay for followers: always (some(accepted) implies all(v == 1))', 'property big: always no(accepted && o > 3)'));
    expect((await prove(readsO, 'big', { unbounded: true })).reason).toMatch(/reads o/);
  }, LONG);
});
