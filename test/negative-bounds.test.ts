// Bounds that evaluate below 0 at an instance (found by an independent
// review): a fault bound below 0 allows no faulty process in every engine
// (it once made the counter engine's fault range empty, so every query was
// vacuously unsat), and `eventually ... within W` with W below 0 is
// answered unknown with the reason, never an internal error or a proof.
import { readFileSync } from 'fs';
import { join } from 'path';
import { checkOne } from '../src/check/check';
import { proveByInvariant } from '../src/check/invariant';
import type { Protocol } from '../src/ir/types';
import { parseProtocol } from '../src/lang';
import { shutdownZ3 } from '../src/smt/z3';
import { formatError } from '../src/util/result';

function parse(source: string): Protocol {
  const r = parseProtocol(source, 'test.bft');
  if (!r.ok) throw new Error(r.errors.map((e) => formatError(e, source)).join('\n'));
  return r.value;
}

afterAll(async () => {
  await shutdownZ3();
});

const DECIDE_ZERO = readFileSync(join(__dirname, '..', 'specs', 'decide-zero.bft'), 'utf8');

test.each(['counter', 'process'] as const)('a fault bound below 0 means no faulty process, not no run (%s engine)', async (engine) => {
  // decide-zero breaks validity in the fault-free run with every input 1
  const p = parse(DECIDE_ZERO.replace(/^resilience (.*)$/m, 'resilience $1\nfaults omission up to t - 2'));
  const r = await checkOne(p, engine, { n: 4, t: 1, rounds: 2 }, 'validity', 60_000);
  expect(r.verdict).toBe('violated');
  expect(r.counterexample?.faulty ?? []).toEqual([]);
});

test('eventually within a bound below 0: unknown with the reason in the concrete engines, refused by the invariant engine', async () => {
  const p = parse(['protocol Never', 'resilience n > t', 'faults crash', 'var v : value = input', 'message A(value)', 'round r {', '  send A(v)', '  when phase == t + 1: decide v', '}', 'claims termination within t + 1', 'property never: eventually all(decided == 1) within t - 2', ''].join('\n'));
  for (const engine of ['counter', 'process'] as const) {
    const r = await checkOne(p, engine, { n: 3, t: 1, rounds: 2 }, 'never', 60_000);
    expect([engine, r.verdict, r.reason]).toEqual([engine, 'unknown', 'never asks about round -1 at n = 3, t = 1: a bound below 0 names no boundary of a run']);
  }
  expect((await proveByInvariant(p, 'never')).reason).toMatch(/below 0 for some t/);
}, 60_000);
