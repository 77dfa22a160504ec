// Plain `always S` over phases of several rounds in the invariant engine
// (src/smt/invariant/system.ts readsRounds, vc:rounds): besides the
// inductive invariant at phase boundaries (which implies S there), every
// boundary inside a phase that starts in the invariant satisfies S. A toy
// protocol whose x is set in the first round of a phase and cleared in the
// second: `always no(x)` holds at every phase end and fails inside, so it is
// proved `at phase ends` and never as plain `always` (vc:rounds sat), in
// each engine path (Byzantine, crash, omission, hybrid); with the guard
// `count(A, 1) > t` no process in scope ever sets x when nobody in scope has
// v = 1 (v never changes), proved as plain `always` in each path; proofs sample t = 1 only (CI budget). The counter engine
// refutes plain `always no(x)` at an instance. Loads Z3.
import { checkOne } from '../src/check/check';
import { proveByInvariant } from '../src/check/invariant';
import { shutdownZ3 } from '../src/smt/z3';
import { parseSpec } from './helpers/spec';

const toy = (faults: string, guard: string, scope: string): string => `protocol Toy
values 0..1
resilience ${faults.includes('and') ? 'n > 3*t + 2*o' : 'n > 3*t'}
${faults}

var v : value = input
var x : bool = false

message A(value)

round one {
  send A(v)
  when count(A, 1) ${guard}: x := true
  otherwise: x := false
}

round two {
  send A(v)
  otherwise: x := false
}

horizon 4

property never_x: always no(x)
property never_x_ends: always at phase ends no(x)
property no_input${scope}: always (no(v == 1) implies no(x))
`;

afterAll(async () => {
  await shutdownZ3();
});

const LONG = 300_000;
const vcNames = (r: { queries: { name: string; status: string }[] }): string[] => r.queries.filter((q) => q.name.startsWith('vc:')).map((q) => `${q.name}=${q.status}`);

// the Byzantine model speaks for the correct processes only; the others for the followers
const PATHS: [string, string, string][] = [
  ['Byzantine', '', ''],
  ['crash', 'faults crash', ' for followers'],
  ['omission', 'faults omission', ' for followers'],
  ['hybrid', 'faults byzantine and omission', ' for followers'],
];

describe('plain `always` over phases of several rounds', () => {
  test.each(PATHS)('%s: a violation inside the phase is never proved, the same formula at phase ends is', async (_name, faults, scope) => {
    const p = parseSpec(toy(faults, '>= 1', scope));
    const inside = await proveByInvariant(p, 'never_x', { unbounded: true, sampleTs: [1] });
    expect([inside.verdict, inside.reason]).toEqual(['unknown', 'the strongest inductive invariant found does not imply the property at the boundaries inside a phase']);
    expect(vcNames(inside)).toEqual(['vc:init=unsat', 'vc:step=unsat', 'vc:property=unsat', 'vc:rounds=sat']);
    const ends = await proveByInvariant(p, 'never_x_ends', { unbounded: true, sampleTs: [1] });
    expect(ends.verdict).toBe('proved');
    expect(vcNames(ends)).toEqual(['vc:init=unsat', 'vc:step=unsat', 'vc:property=unsat']);
  }, LONG);

  test.each(PATHS)('%s: a formula that holds at every round boundary is proved, vc:rounds included', async (_name, faults, scope) => {
    const p = parseSpec(toy(faults, '> t', scope));
    const r = await proveByInvariant(p, 'no_input', { unbounded: true, sampleTs: [1] });
    expect([r.verdict, r.reason]).toEqual(['proved', undefined]);
    expect(vcNames(r)).toEqual(['vc:init=unsat', 'vc:step=unsat', 'vc:property=unsat', 'vc:rounds=unsat']);
  }, LONG);

  test('the counter engine refutes plain `always no(x)` at 4:1 inside the first phase', async () => {
    const c = await checkOne(parseSpec(toy('', '>= 1', '')), 'counter', { n: 4, t: 1, rounds: 2 }, 'never_x', 60_000);
    expect(c.verdict).toBe('violated');
  }, LONG);
});
