import fc from 'fast-check';
import { readFileSync } from 'fs';
import { join } from 'path';
import { parseProtocol } from '../src/lang';
import type { Protocol } from '../src/ir/types';
import { byzantineSets, explore, type ExploreOptions, type ExploreResult, type PropertyVerdict } from '../src/sim/explore';
import { receiverChoices } from '../src/sim/byzantine-choices';
import { replayTrace } from '../src/sim/replay';
import type { Property } from '../src/trace/model';
import * as b from './helpers/sim-ir';
import { bruteForce } from './helpers/sim-brute';
import { brokenQuorum, hastyKing, phaseKing, quorum, safeQuorum } from './helpers/sim-protocols';
import { randomProtocol } from './helpers/sim-random';

const PROPERTIES: Property[] = ['agreement', 'validity', 'termination'];

function exploreOk(protocol: Protocol, options: Omit<ExploreOptions, 'hash'>): ExploreResult {
  const r = explore(protocol, { hash: 'h', ...options });
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
  return r.value;
}

/** Every witness must replay exactly and exhibit its property. */
function expectWitnessesReplay(protocol: Protocol, result: ExploreResult): void {
  for (const p of PROPERTIES) {
    const v = result[p];
    if (v.status !== 'violated') continue;
    expect(v.witness.violations.map((x) => x.property)).toContain(p);
    const report = replayTrace(protocol, JSON.parse(JSON.stringify(v.witness)));
    expect(report).toMatchObject({ ok: true });
  }
}

const status = (v: PropertyVerdict): string => v.status;

describe('receiverChoices', () => {
  test('per receiver only the multiset of Byzantine payloads counts', () => {
    const p = phaseKing();
    // VAL with f = 2 over {0, 1}: count vectors with sum <= 2: 6.
    expect(receiverChoices(p, 0, 2, false)).toHaveLength(6);
    // KING: nothing unless the leader is Byzantine, then nothing, 0 or 1.
    expect(receiverChoices(p, 1, 2, false)).toHaveLength(1);
    expect(receiverChoices(p, 1, 2, true)).toHaveLength(3);
  });

  test('Byzantine sets: the last f processes, or every choice of leaders', () => {
    expect(byzantineSets(safeQuorum(), 4, 1, 2)).toEqual([[3]]);
    expect(byzantineSets(phaseKing(), 5, 1, 4)).toEqual([[4], [0], [1]]);
    expect(byzantineSets(phaseKing(), 5, 2, 4)).toEqual([[3, 4], [0, 4], [1, 4], [0, 1]]);
  });
});

describe('explore', () => {
  test('the n - t quorum is safe for n = 4 and n = 5 (t = 1) over 3 rounds', () => {
    for (const n of [4, 5]) {
      const r = exploreOk(safeQuorum(), { n, t: 1, rounds: 3 });
      expect([status(r.agreement), status(r.validity), status(r.termination)]).toEqual(['holds', 'holds', 'not-claimed']);
    }
  });

  test('the t + 1 quorum loses agreement in round 1, with a replayable witness', () => {
    const r = exploreOk(brokenQuorum(), { n: 4, t: 1 });
    expect(r.agreement.status).toBe('violated');
    if (r.agreement.status === 'violated') expect(r.agreement.witness.violations[0]).toMatchObject({ property: 'agreement', round: 1 });
    expect(r.validity.status).toBe('holds');
    expectWitnessesReplay(brokenQuorum(), r);
  });

  test('claimed termination fails for the quorum protocol on split inputs', () => {
    const p = quorum(b.sub(b.N, b.T), 'TerminatingQuorum');
    const claimed: Protocol = { ...p, properties: { ...p.properties, termination: b.int(2) }, horizon: b.int(2) };
    const r = exploreOk(claimed, { n: 4, t: 1 });
    expect(status(r.termination)).toBe('violated');
    expect(status(r.agreement)).toBe('holds');
    expectWitnessesReplay(claimed, r);
  });

  test('Phase King (n = 5, t = 1) is verified for every adversary and Byzantine set', () => {
    const r = exploreOk(phaseKing(), { n: 5, t: 1 });
    expect([status(r.agreement), status(r.validity), status(r.termination)]).toEqual(['holds', 'holds', 'holds']);
    expect(r.stats.byzantineSets).toEqual([[4], [0], [1]]);
    expect(r.stats.budgetExceeded).toBe(false);
  });

  test('a single-phase king is broken by a Byzantine king, found only with leader sets', () => {
    const r = exploreOk(hastyKing(), { n: 5, t: 1 });
    expect(status(r.agreement)).toBe('violated');
    if (r.agreement.status === 'violated') expect(r.agreement.witness.byzantine).toEqual([0]);
    expectWitnessesReplay(hastyKing(), r);
  });

  test("the leader's identity survives symmetry reduction: a correct king with input 1 splits mixed inputs", () => {
    // KING(1) received: decide your own v; nothing or KING(0): decide 0. Only a
    // king with input 1 and mixed inputs elsewhere breaks agreement, so the
    // leader's input must not be sorted in with the others'.
    const follow = b.protocol({
      name: 'FollowKing',
      resilience: b.cmp(b.N, '>', b.mul(3, b.T)),
      vars: [b.valueVar('v')],
      messages: [b.message('KING', true)],
      rounds: [{ name: 'king', sends: [b.send('KING', b.v('v'))], rules: [b.rule(b.cmp(b.count('KING', b.int(1)), '>=', b.int(1)), b.decide(b.v('v'))), b.otherwise(b.decide(b.int(0)))] }],
      termination: b.int(1),
    });
    const r = exploreOk(follow, { n: 4, t: 1, faults: [0] });
    expect([status(r.agreement), status(r.validity), status(r.termination)]).toEqual(['violated', 'holds', 'holds']);
    if (r.agreement.status === 'violated') expect(r.agreement.witness.inputs[0]).toBe(1);
    expectWitnessesReplay(follow, r);
  });

  test('a tiny budget gives unknown, never holds', () => {
    const r = exploreOk(phaseKing(), { n: 5, t: 1, maxConfigs: 10 });
    expect([status(r.agreement), status(r.validity), status(r.termination)]).toEqual(['unknown', 'unknown', 'unknown']);
    expect(r.stats.budgetExceeded).toBe(true);
  });

  test('too few rounds for the termination bound gives unknown for termination', () => {
    const r = exploreOk(phaseKing(), { n: 5, t: 1, rounds: 2 });
    expect(status(r.termination)).toBe('unknown');
  });

  test('impossible parameters are reported, not thrown', () => {
    const r = explore(phaseKing(), { n: 4, t: 1, hash: 'h' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.message).toMatch(/resilience/);
  });

  // The central oracle property: explore's verdict per property equals brute
  // force over every Byzantine set and every sender-level choice.
  test('property: explore finds a violation iff some adversary exists (random protocols, n = 4, t = 1)', () => {
    fc.assert(
      fc.property(randomProtocol(), (p) => {
        const rounds = p.properties.termination!.kind === 'int' ? p.properties.termination!.value : 2;
        const r = exploreOk(p, { n: 4, t: 1 });
        const truth = bruteForce(p, 4, 1, 1, rounds, [[3], [0]]);
        for (const prop of PROPERTIES) expect([prop, r[prop].status]).toEqual([prop, truth[prop] ? 'violated' : 'holds']);
        expectWitnessesReplay(p, r);
      }),
      { numRuns: 30, seed: 7 },
    );
  });

  test('property: the same with a leader message (every Byzantine set)', () => {
    fc.assert(
      fc.property(randomProtocol({ leader: true }), (p) => {
        const rounds = p.properties.termination!.kind === 'int' ? p.properties.termination!.value : 2;
        const r = exploreOk(p, { n: 4, t: 1 });
        const truth = bruteForce(p, 4, 1, 1, rounds);
        for (const prop of PROPERTIES) expect([prop, r[prop].status]).toEqual([prop, truth[prop] ? 'violated' : 'holds']);
        expectWitnessesReplay(p, r);
      }),
      { numRuns: 20, seed: 11 },
    );
  });
});

// The library's verdicts are checked against specs/expected.json in library.test.ts.
describe('docs', () => {
  test('the docs example parses to the hand-built Phase King', () => {
    const md = readFileSync(join(__dirname, '..', 'docs', 'language.md'), 'utf8');
    const parsed = parseProtocol(md.split('```')[1]!, 'language.md');
    expect(parsed.ok && parsed.value).toEqual(phaseKing());
  });
});
