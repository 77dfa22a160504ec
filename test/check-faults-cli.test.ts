// `check` for other adversaries (docs/semantics.md 1.7, 5.3): the summary
// names the fault model; `--faults` checks a file against another one
// without editing it, with the language's own errors when it does not fit;
// a Byzantine proof for every n and t covers crash faults by inclusion; a
// fault bound beyond t is never proved by an engine that assumes t;
// `simulate --faulty` names crash- and omission-faulty processes.
import { cli } from './helpers/cli';

test('a Byzantine proof for every n and t covers crash faults, and the summary says against what', () => {
  const run = cli(['check', 'specs/phase-king.bft', '--faults', 'crash']);
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^PhaseKing: VERIFIED \(against up to t crash faults\): agreement, validity, termination proved for every n and t with n > 4\*t \(phase lemmas, against Byzantine faults, which include crash faults\)/m);
});

test('more faults than the design bound: the every-n-t provers are not asked, and the concrete engine finds what breaks', () => {
  const run = cli(['check', 'specs/phase-king.bft', '--faults', 'byzantine up to t + 1', '--instances', '5:1', '--property', 'agreement']);
  expect(run.code).toBe(1);
  expect(run.stdout).toMatch(/^PhaseKing: VIOLATED \(against up to t \+ 1 byzantine faults\): agreement VIOLATED at n=5 t=1 f=2/m);
  expect(run.stdout).not.toContain('proved for every n and t');
});

test('--faults takes exactly what a file takes, with the same errors (exit 2, no stack trace)', () => {
  const bogus = cli(['check', 'specs/phase-king.bft', '--faults', 'bogus']);
  expect(bogus.code).toBe(2);
  expect(bogus.stderr).toContain('--faults "bogus": unknown fault kind `bogus`');
  const clash = cli(['check', 'test/fixtures/lang-faults/crash-kset.bft', '--faults', 'byzantine']);
  expect(clash.code).toBe(2);
  expect(clash.stderr).toMatch(/--faults "byzantine" does not fit FloodMin: .*clean round/);
  for (const r of [bogus, clash]) expect(r.stderr).not.toMatch(/\n\s+at /);
});

test('simulate --faulty runs a crash instance; --byz on a crash protocol and too many faulty processes are exit 2', () => {
  const run = cli(['simulate', 'specs/sta/floodset-broken.bft', '--n', '3', '--t', '1', '--faulty', '2', '--inputs', '1,1,0', '--adversary', 'split']);
  expect(run.code).toBe(1); // the run violates agreement
  expect(run.stdout).toContain('faulty (crash): p2');
  expect(run.stdout).toContain('p2 CRASHES: ZERO reached p0 only (withheld from p1)');
  expect(run.stdout).toContain('agreement violated in round 1: p0 decided 0, p1 decided 1');
  const byz = cli(['simulate', 'specs/sta/floodset-broken.bft', '--n', '3', '--t', '1', '--byz', '2']);
  expect(byz.code).toBe(2);
  expect(byz.stderr).toContain('has crash faults, not Byzantine ones: name the faulty processes with --faulty');
  const many = cli(['simulate', 'specs/sta/floodset-broken.bft', '--n', '3', '--t', '1', '--faulty', '1,2']);
  expect(many.code).toBe(2);
  expect(many.stderr).toContain('2 crash-faulty processes exceed the fault bound t = 1');
});
