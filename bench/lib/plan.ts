// Which queries the check benchmark runs: every claimed property of every
// library protocol at t = 1..4 (smallest admissible n), plus Phase King's growth
// with n. Queries shared by both sets run once.
import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import { claimedProperties, roundsFor, type Verdict } from '../../src/check/check';
import { instanceProblem, type NT } from '../../src/check/instances';
import type { Protocol } from '../../src/ir/types';
import { parseProtocol } from '../../src/lang';
import { formatError } from '../../src/util/result';
import type { Query, QuerySet } from './types';

export const LIBRARY_TS = [1, 2, 3, 4];
export const GROWTH_FILE = 'specs/phase-king.bft';
export const GROWTH_NS = [5, 9, 17, 33, 100];
/** n at a fixed t: the counter encoding's size must not depend on n. */
export const SIZE_NS = [17, 33, 100, 1000];
export const SIZE_T = 4;
/** search bound for the smallest admissible n */
const N_LIMIT = 256;

export function loadSpec(root: string, file: string): Protocol {
  const source = readFileSync(join(root, file), 'utf8');
  const parsed = parseProtocol(source, file);
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => formatError(e, source)).join('\n'));
  return parsed.value;
}

export function libraryFiles(root: string): string[] {
  return readdirSync(join(root, 'specs'))
    .filter((f) => f.endsWith('.bft'))
    .sort()
    .map((f) => `specs/${f}`);
}

/** The smallest n > t satisfying the resilience condition (instances.ts's search, for any t). */
export function smallestN(p: Protocol, t: number): number | null {
  for (let n = t + 1; n <= N_LIMIT; n++) if (instanceProblem(p, { n, t }) === null) return n;
  return null;
}

export interface PlanOptions {
  /** substrings of spec paths to keep; empty keeps all */
  filter: string[];
  growth: boolean;
  /** largest n of the growth series */
  growthMaxN: number;
}

export interface Plan {
  queries: Query[];
  /** instances that could not be planned (no admissible n) */
  skipped: string[];
}

export function makePlan(root: string, opts: PlanOptions): Plan {
  const byKey = new Map<string, Query>();
  const skipped: string[] = [];
  const add = (file: string, p: Protocol, inst: NT, set: QuerySet): void => {
    for (const property of claimedProperties(p)) {
      const rounds = roundsFor(p, property, inst.n, inst.t);
      const key = `${file}|${property}|${inst.n}|${inst.t}|${rounds}`;
      const q = byKey.get(key);
      if (q !== undefined) {
        if (!q.sets.includes(set)) q.sets.push(set);
        continue;
      }
      byKey.set(key, { engine: 'counter', key, file, protocol: p.name, property, n: inst.n, t: inst.t, rounds, sets: [set] });
    }
  };
  const keep = (file: string): boolean => opts.filter.length === 0 || opts.filter.some((s) => file.includes(s));
  for (const file of libraryFiles(root).filter(keep)) {
    const p = loadSpec(root, file);
    for (const t of LIBRARY_TS) {
      const n = smallestN(p, t);
      if (n === null) skipped.push(`${file} t=${t}: no admissible n <= ${N_LIMIT}`);
      else add(file, p, { n, t }, 'library');
    }
  }
  if (opts.growth && keep(GROWTH_FILE)) {
    const p = loadSpec(root, GROWTH_FILE);
    for (const n of GROWTH_NS.filter((x) => x <= opts.growthMaxN)) {
      const inst = { n, t: Math.floor((n - 1) / 4) };
      const problem = instanceProblem(p, inst);
      if (problem !== null) skipped.push(problem);
      else add(GROWTH_FILE, p, inst, 'growth');
    }
    for (const n of SIZE_NS.filter((x) => x <= opts.growthMaxN)) {
      const inst = { n, t: SIZE_T };
      const problem = instanceProblem(p, inst);
      if (problem !== null) skipped.push(problem);
      else add(GROWTH_FILE, p, inst, 'size');
    }
  }
  return { queries: [...byKey.values()], skipped };
}

/** specs/expected.json: file -> property -> verdict. */
export function loadExpected(root: string): Map<string, Map<string, Verdict>> {
  const raw: unknown = JSON.parse(readFileSync(join(root, 'specs', 'expected.json'), 'utf8'));
  const out = new Map<string, Map<string, Verdict>>();
  if (raw === null || typeof raw !== 'object') return out;
  for (const [file, entry] of Object.entries(raw as Record<string, unknown>)) {
    if (entry === null || typeof entry !== 'object') continue;
    const m = new Map<string, Verdict>();
    for (const [k, v] of Object.entries(entry as Record<string, unknown>)) {
      if (v === 'verified' || v === 'violated' || v === 'unknown') m.set(k, v);
    }
    out.set(file, m);
  }
  return out;
}
