// Reachable states of the invariant system (./system.ts), sampled with the
// simulator: runs at several n and t, for every f in 0..t, with Byzantine
// sets that do and do not contain the first leaders, against the random,
// split and silent adversaries, read at every phase boundary of the P(t)
// phases. A candidate false on one of them is not an invariant (these are
// real runs), so it is dropped before Houdini; and a returned invariant must
// hold on all of them (the soundness guard of the tests).
//
// Hybrid systems (./hybrid.ts): runs at several (t, o), for every fb in
// 0..t and fo in 0..o, with disjoint Byzantine and omission-faulty sets
// placed among and away from the first leaders; the state records fb (f),
// o, fo, the correct and omission-faulty counts per class, and b = the
// faulty (Byzantine or omission-faulty) leaders of phases 1 .. min(p - 1, n).
// An omission protocol with leaders (read as hybrid with fb = 0, o = t) is
// sampled as an omission protocol, recorded the same way.

import { evalParamExpr } from '../../ir/eval';
import { mulberry32 } from '../../sim/prng';
import { makeInstance, random, silent, simulate, split, type Adversary } from '../../sim';
import type { LocalState } from '../../trace/model';
import * as T from '../term';
import type { Candidate } from './candidates';
import { eventuallyOf, runGhosts } from './eventually';
import { hasLeaders } from './hybrid';
import { type InvSystem, type View } from './system';

export interface Sample {
  n: number;
  t: number;
  f: number;
  p: number;
  b: number;
  vin: number | null;
  /** count per class representative */
  counts: Map<number, number>;
  /** fault systems: crashes so far, the clean ghost, alive faulty processes per class */
  fault: { c: number; clean: number; counts: Map<number, number> } | null;
  /** hybrid systems: the omission bound o (t for an omission protocol with leaders) and the omission-faulty count fo (f is then the Byzantine count) */
  hy?: { o: number; fo: number } | null;
  /** `eventually` systems: the ghosts on this run (G at boundary 0, S at some phase boundary so far: ./eventually.ts) */
  ev: { g: number; seen: number } | null;
}

export interface SampleOptions {
  /** the t values (default 1, 2, 3) */
  ts?: number[];
  /** random-adversary seeds per configuration (default 3) */
  seeds?: number;
  /** the seed of the sampler's own choices (default 7) */
  seed?: number;
}

export function sampleView(s: Sample): View {
  return {
    n: T.num(s.n), t: T.num(s.t), f: T.num(s.f), p: T.num(s.p), b: T.num(s.b),
    vin: s.vin === null ? null : T.num(s.vin),
    cnt: (c) => T.num(s.counts.get(c) ?? 0),
    fl: s.fault === null ? null : faultView(s.fault, s.hy ?? null),
    ev: s.ev === null ? null : { g: T.num(s.ev.g), seen: T.num(s.ev.seen) },
  };
}

function faultView(f: NonNullable<Sample['fault']>, hy: { o: number; fo: number } | null): NonNullable<View['fl']> {
  return { c: T.num(f.c), clean: T.num(f.clean), fcnt: (c) => T.num(f.counts.get(c) ?? 0), hy: hy === null ? null : { o: T.num(hy.o), fo: T.num(hy.fo) } };
}

/** Whether a candidate holds on a sample. */
export function holdsOn(c: Candidate, s: Sample): boolean {
  return T.evalB(c.at(sampleView(s)), () => undefined);
}

/** The admissible n for t: the smallest few with t < n and the resilience condition. */
function sizes(sys: InvSystem, t: number): number[] {
  const out: number[] = [];
  for (let n = t + 1; n <= 12 * t + 12 && out.length < 3; n++) {
    if (evalParamExpr(sys.protocol.resilience, n, t) !== true) continue;
    if (out.length === 0 || n === out[0]! + 1 || n === out[0]! + 3) out.push(n);
  }
  return out;
}

export function sampleStates(sys: InvSystem, opts: SampleOptions = {}): Sample[] {
  const prng = mulberry32(opts.seed ?? 7);
  const ev = eventuallyOf(sys.user);
  const out = new Map<string, Sample>();
  const record = (s: Sample): void => {
    const sorted = (m: Map<number, number>): [number, number][] => [...m].sort((a, b) => a[0] - b[0]);
    const key = JSON.stringify([s.n, s.t, s.f, s.p, s.b, s.vin, sorted(s.counts), s.fault === null ? null : [s.fault.c, s.fault.clean, sorted(s.fault.counts)], s.ev, s.hy ?? null]);
    if (!out.has(key)) out.set(key, s);
  };
  if (sys.faults?.kind === 'hybrid' && sys.faults.omissionLeaders !== true) {
    sampleHybrid(sys, opts, prng, record);
    return [...out.values()];
  }
  // an omission protocol with leaders: its system is hybrid (fb = 0, o = t), with b the faulty leaders so far
  const omitLeaders = sys.faults?.omissionLeaders === true;
  for (const t of opts.ts ?? [1, 2, 3]) {
    // an unbounded system also runs past the horizon: sample three more phases
    const P = sys.phases.base + sys.phases.slope * t + (sys.unbounded ? 3 : 0);
    if (P < 0) continue;
    for (const n of sizes(sys, t)) {
      for (let f = 0; f <= t; f++) {
        const ids = Array.from({ length: n }, (_, i) => i);
        const sets = [ids.slice(0, f), ids.slice(n - f), ids.filter((i) => i % 2 === 1).slice(0, f)].filter((x) => x.length === f);
        for (const byz of sets.filter((x, i) => sets.findIndex((y) => JSON.stringify(y) === JSON.stringify(x)) === i)) {
          const advs: Adversary[] = [split(), split({ swap: true }), silent()];
          for (let k = 0; k < (opts.seeds ?? 3); k++) advs.push(random(Math.floor(prng.below(1_000_000))));
          for (const [ai, adv] of advs.entries()) {
            const vin = sys.property === 'validity' ? ai % sys.values.length : null;
            const inputs = ids.map((i) => (vin !== null ? vin : ai === 0 ? i % sys.values.length : prng.below(sys.values.length)));
            // fault systems: the protocol's own faults (the faulty set `byz` with inputs, crash or omission adversaries)
            const inst = makeInstance(sys.protocol, sys.faults === null ? { n, t, byzantine: byz, inputs } : { n, t, faulty: byz, inputs });
            if (!inst.ok) continue;
            const trace = simulate(sys.protocol, inst.value, adv, { hash: 'sample', rounds: P * sys.k });
            const ctx = { n, t, faults: sys.faults === null ? ('byzantine' as const) : sys.faults.kind, faulty: byz, roundsPerPhase: sys.k, inputs };
            const ghosts = ev === null || sys.user === null ? null : runGhosts(sys.protocol, sys.user, ev, trace, ctx, P);
            const evAt = (p: number): Sample['ev'] => ghosts?.[p - 1] ?? null;
            const at = (states: readonly (LocalState | null)[], p: number): void => {
              const counts = new Map<number, number>();
              const fcounts = new Map<number, number>();
              for (const [i, st] of states.entries()) {
                if (st === null) continue;
                const c = sys.classOf[sys.space.indexOf(st)] as number;
                const m = sys.faults !== null && byz.includes(i) ? fcounts : counts;
                m.set(c, (m.get(c) ?? 0) + 1);
              }
              let b = 0;
              for (let q = 1; q <= Math.min(p - 1, n); q++) if (byz.includes(q - 1)) b++;
              if (omitLeaders) {
                record({ n, t, f: 0, p, b, vin, counts, fault: { c: 0, clean: 0, counts: fcounts }, ev: evAt(p), hy: { o: t, fo: f } });
                return;
              }
              if (sys.faults !== null) {
                const done = trace.rounds.slice(0, (p - 1) * sys.k);
                const crashed = done.reduce((a, r) => a + (r.crashed?.length ?? 0), 0);
                const clean = done.some((r) => (r.crashed?.length ?? 0) === 0 && (r.withheld?.length ?? 0) === 0) ? 1 : 0;
                record({ n, t, f, p, b: 0, vin, counts, fault: { c: crashed, clean, counts: fcounts }, ev: evAt(p) });
                return;
              }
              record({ n, t, f, p, b, vin, counts, fault: null, ev: evAt(p) });
            };
            at(trace.initial, 1);
            for (let p = 2; p <= P + 1; p++) at((trace.rounds[(p - 1) * sys.k - 1] as { states: (LocalState | null)[] }).states, p);
          }
        }
      }
    }
  }
  return [...out.values()];
}

const SYM: View = {
  n: T.ivar('n'), t: T.ivar('t'), f: T.ivar('f'), p: T.ivar('p'), b: T.ivar('b'), vin: T.ivar('vin'),
  cnt: (c) => T.ivar(`c${c}`), fl: null, ev: { g: T.ivar('g_g'), seen: T.ivar('g_seen') },
};
const SYM_FAULTS: View = { ...SYM, fl: { c: T.ivar('g_c'), clean: T.ivar('g_clean'), fcnt: (c) => T.ivar(`m${c}`), hy: null } };
const SYM_HYBRID: View = { ...SYM, fl: { c: T.num(0), clean: T.num(0), fcnt: (c) => T.ivar(`m${c}`), hy: { o: T.ivar('g_o'), fo: T.ivar('g_fo') } } };

/** A sample as a valuation of SYM's names. */
function valuation(s: Sample): (x: string) => number | undefined {
  const fixed: Record<string, number | null> = { n: s.n, t: s.t, f: s.f, p: s.p, b: s.b, vin: s.vin, g_c: s.fault?.c ?? null, g_clean: s.fault?.clean ?? null, g_g: s.ev?.g ?? null, g_seen: s.ev?.seen ?? null, g_o: s.hy?.o ?? null, g_fo: s.hy?.fo ?? null };
  return (x) => {
    if (x in fixed) return fixed[x] ?? undefined;
    if (x.startsWith('c')) return s.counts.get(Number(x.slice(1))) ?? 0;
    if (x.startsWith('m') && s.fault !== null) return s.fault.counts.get(Number(x.slice(1))) ?? 0;
    return undefined;
  };
}

/** The candidates that hold on every sample (each candidate's term built once, evaluated per sample). */
export function filterCandidates(cands: Candidate[], samples: Sample[]): Candidate[] {
  if (samples.length === 0) return cands;
  const sym = samples.some((s) => (s.hy ?? null) !== null) ? SYM_HYBRID : samples.some((s) => s.fault !== null) ? SYM_FAULTS : SYM;
  let left = cands.map((c) => ({ c, term: c.at(sym) }));
  for (const s of samples) {
    const val = valuation(s);
    left = left.filter((x) => T.evalB(x.term, val));
  }
  return left.map((x) => x.c);
}

/**
 * The (t, o) points of hybrid samples: each t with o = 1 (by default t = 1
 * and 2 only: every (fb, fo) pair of t = 3 costs more in filtering than it
 * prunes), and a few more shapes (no Byzantine or no omission fault
 * allowed, o > t).
 */
function hybridPoints(ts: readonly number[]): [number, number][] {
  const pts: [number, number][] = [...ts.map((t): [number, number] => [t, 1]), [0, 1], [1, 0], [1, 2]];
  return pts.filter(([t, o], i) => pts.findIndex(([u, w]) => u === t && w === o) === i);
}

/** Hybrid runs (see the header). */
function sampleHybrid(sys: InvSystem, opts: SampleOptions, prng: ReturnType<typeof mulberry32>, record: (s: Sample) => void): void {
  const ev = eventuallyOf(sys.user);
  const leaders = hasLeaders(sys.protocol);
  for (const [t, o] of hybridPoints(opts.ts ?? [1, 2])) {
    const P = sys.phases.base + sys.phases.slope * t + (sys.phases.slopeO ?? 0) * o + (sys.unbounded ? 3 : 0);
    if (P < 0) continue;
    const ns: number[] = [];
    for (let n = 1; n <= 12 * (t + o) + 12 && ns.length < 2; n++) {
      if (evalParamExpr(sys.protocol.resilience, n, t, o) !== true) continue;
      if (ns.length === 0 || n === (ns[0] as number) + 1) ns.push(n);
    }
    for (const n of ns) {
      const ids = Array.from({ length: n }, (_, i) => i);
      for (let fb = 0; fb <= Math.min(t, n); fb++) {
        for (let fo = 0; fo <= Math.min(o, n - fb); fo++) {
          // Byzantine first and omission next (both among the first leaders), the reverse, and both at the end
          const sets: [number[], number[]][] = [
            [ids.slice(0, fb), ids.slice(fb, fb + fo)],
            [ids.slice(fo, fo + fb), ids.slice(0, fo)],
            [ids.slice(n - fb), ids.slice(n - fb - fo, n - fb)],
          ];
          const seen = new Set<string>();
          for (const [byz, om] of sets) {
            const key = JSON.stringify([byz, om]);
            if (seen.has(key)) continue;
            seen.add(key);
            const advs: Adversary[] = [split(), split({ swap: true }), silent()];
            for (let k = 0; k < (opts.seeds ?? 3); k++) advs.push(random(Math.floor(prng.below(1_000_000))));
            for (const [ai, adv] of advs.entries()) {
              const vin = sys.property === 'validity' ? ai % sys.values.length : null;
              const inputs = ids.map((i) => (vin !== null ? vin : ai === 0 ? i % sys.values.length : prng.below(sys.values.length)));
              const inst = makeInstance(sys.protocol, { n, t, o, byzantine: byz, faulty: om, inputs });
              if (!inst.ok) continue;
              const trace = simulate(sys.protocol, inst.value, adv, { hash: 'sample', rounds: P * sys.k });
              const ctx = { n, t, o, faults: 'hybrid' as const, faulty: [...byz, ...om], byzantine: byz, roundsPerPhase: sys.k, inputs };
              const ghosts = ev === null || sys.user === null ? null : runGhosts(sys.protocol, sys.user, ev, trace, ctx, P);
              const at = (states: readonly (LocalState | null)[], p: number): void => {
                const counts = new Map<number, number>();
                const fcounts = new Map<number, number>();
                for (const [i, st] of states.entries()) {
                  if (st === null || byz.includes(i)) continue;
                  const c = sys.classOf[sys.space.indexOf(st)] as number;
                  const m = om.includes(i) ? fcounts : counts;
                  m.set(c, (m.get(c) ?? 0) + 1);
                }
                // b: the faulty leaders so far (a system without leader messages keeps b = 0: ./system.ts declarePre)
                let b = 0;
                if (leaders) for (let q = 1; q <= Math.min(p - 1, n); q++) if (byz.includes(q - 1) || om.includes(q - 1)) b++;
                record({ n, t, f: fb, p, b, vin, counts, fault: { c: 0, clean: 0, counts: fcounts }, ev: ghosts?.[p - 1] ?? null, hy: { o, fo } });
              };
              at(trace.initial, 1);
              for (let p = 2; p <= P + 1; p++) at((trace.rounds[(p - 1) * sys.k - 1] as { states: (LocalState | null)[] }).states, p);
            }
          }
        }
      }
    }
  }
}
