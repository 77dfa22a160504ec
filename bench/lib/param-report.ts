// The parameterized part of bench/check.md and of bench/check.json's summary:
// per protocol, property and t, the param query's time beside the concrete
// counter engine's at the smallest n (and at the largest n of Phase King's
// growth rows where there is one).
import { basename } from 'path';
import { fmtMs, fmtNum, median } from './stats';
import { GROWTH_FILE } from './plan';
import type { ConcreteRef, ParamRow, Row } from './types';

export interface ParamProtocolSummary {
  protocol: string;
  queries: number;
  verified: number;
  violated: number;
  unknown: number;
  total_ms: number;
  max_ms: number;
}

export interface ParamSummary {
  queries: number;
  verdicts: Record<string, number>;
  /** answered (verified/violated) by us within 1 s */
  within_1s: number;
  unknown: number;
  errors: number;
  total_ms: number;
  /** median of param ms / concrete ms at the smallest n of the same t */
  median_param_over_concrete: number | null;
  param_over_concrete_count: number;
  /** ours / native z3 on the same parameterized query */
  median_ratio: number | null;
  ratio_count: number;
  /** ours and native z3 differ on a definite answer */
  disagreements: number;
  /** param verified where the concrete engine found a violation at the smallest n */
  soundness_bugs: number;
  unexpected: number;
  per_protocol: ParamProtocolSummary[];
}

const stem = (file: string): string => basename(file, '.bft');
const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

export function summarizeParam(rows: readonly ParamRow[]): ParamSummary {
  const verdicts: Record<string, number> = {};
  for (const x of rows) verdicts[x.verdict] = (verdicts[x.verdict] ?? 0) + 1;
  const ratios = rows.map((x) => x.ratio).filter((x): x is number => x !== null);
  const pc = rows.map((x) => x.param_over_concrete).filter((x): x is number => x !== null);
  const files = [...new Set(rows.map((x) => x.file))];
  return {
    queries: rows.length,
    verdicts,
    within_1s: rows.filter((x) => x.verdict !== 'unknown' && x.ours_ms < 1000).length,
    unknown: rows.filter((x) => x.verdict === 'unknown').length,
    errors: rows.filter((x) => x.ours_error !== undefined).length,
    total_ms: sum(rows.map((x) => x.ours_ms)),
    median_param_over_concrete: median(pc),
    param_over_concrete_count: pc.length,
    median_ratio: median(ratios),
    ratio_count: ratios.length,
    disagreements: rows.filter((x) => x.agreement === 'NO').length,
    soundness_bugs: rows.filter((x) => x.concrete_agreement === 'NO').length,
    unexpected: rows.filter((x) => x.expected !== null && x.verdict !== 'unknown' && x.verdict !== x.expected).length,
    per_protocol: files.map((file) => {
      const mine = rows.filter((x) => x.file === file);
      const count = (v: string): number => mine.filter((x) => x.verdict === v).length;
      return { protocol: stem(file), queries: mine.length, verified: count('verified'), violated: count('violated'), unknown: count('unknown'), total_ms: sum(mine.map((x) => x.ours_ms)), max_ms: Math.max(0, ...mine.map((x) => x.ours_ms)) };
    }),
  };
}

function verdictCell(x: ParamRow): string {
  if (x.ours_error !== undefined) return '**error**';
  let v = x.verdict === 'unknown' ? '*unknown*' : x.verdict;
  if (x.expected !== null && x.verdict !== 'unknown' && x.verdict !== x.expected) v = `**${v}** (expected ${x.expected})`;
  const c = x.counterexample;
  if (c !== null) v += ` at n=${c.n}, t=${c.t}, f=${c.f}`;
  if (x.remainder > 0) v += ` (+${x.remainder} concrete, n < ${x.leader_bound})`;
  return v;
}

const join = (refs: readonly ConcreteRef[], f: (r: ConcreteRef) => string): string => (refs.length === 0 ? '-' : refs.map(f).join(' / '));

function concreteAgreeCell(x: ParamRow): string {
  return x.concrete_agreement === 'NO' ? '**NO: SOUNDNESS BUG**' : x.concrete_agreement;
}

function table(rows: readonly ParamRow[], native: boolean): string[] {
  const head = ['protocol', 'property', 't', 'R', 'param verdict (every n)', 'param ms'];
  if (native) head.push('native ms', 'ours/native', 'agree');
  head.push('smallest n', 'concrete', 'concrete ms', 'param/concrete', 'vs concrete', 'largest n', 'concrete ms (largest n)');
  const right = new Set(['t', 'R', 'param ms', 'native ms', 'ours/native', 'concrete ms', 'param/concrete', 'concrete ms (largest n)']);
  const out = [`| ${head.join(' | ')} |`, `|${head.map((h) => (right.has(h) ? '---:' : '---')).join('|')}|`];
  for (const x of rows) {
    const cells: string[] = [stem(x.file), x.property, x.t === null ? 'all' : String(x.t), String(x.rounds), verdictCell(x), fmtMs(x.ours_ms)];
    if (native) cells.push(fmtMs(x.native_ms), fmtNum(x.ratio), x.agreement === 'NO' ? '**NO: BUG**' : x.agreement);
    const cs = x.concrete_smallest;
    const l = x.concrete_largest;
    cells.push(
      join(cs, (r) => (x.t === null ? `${r.n} (t=${r.t})` : String(r.n))),
      [...new Set(cs.map((r) => r.verdict))].join(', ') || '-',
      join(cs, (r) => fmtMs(r.ms)),
      fmtNum(x.param_over_concrete),
      concreteAgreeCell(x),
      l === null ? '-' : String(l.n),
      l === null ? '-' : fmtMs(l.ms),
    );
    out.push(`| ${cells.join(' | ')} |`);
  }
  return out;
}

/** Phase King's headline: every property for every admissible n at t = 1..4, beside its largest concrete growth instance. */
function headline(rows: readonly ParamRow[], counter: readonly Row[]): string | null {
  const pk = rows.filter((x) => x.file === GROWTH_FILE);
  if (pk.length === 0) return null;
  const ts = [...new Set(pk.map((x) => x.t))].map((t) => (t === null ? 'every t' : String(t))).join(', ');
  const verified = pk.filter((x) => x.verdict === 'verified').length;
  const total = sum(pk.map((x) => x.ours_ms));
  const slow = [...pk].sort((a, b) => b.ours_ms - a.ours_ms)[0]!;
  let line = `- ${stem(GROWTH_FILE)}: ${pk.length} parameterized queries (${[...new Set(pk.map((x) => x.property))].join(', ')} for every admissible n at t = ${ts}), ${verified} verified, ${fmtNum(total / 1000)} s in all, slowest ${slow.property} t=${slow.t ?? 'all'} ${fmtMs(slow.ours_ms)} ms`;
  const growth = counter.filter((x) => x.file === GROWTH_FILE && x.sets.includes('growth'));
  const topN = Math.max(0, ...growth.map((x) => x.n));
  const top = growth.filter((x) => x.n === topN);
  if (top.length > 0) line += `; the concrete engine on its largest growth instance alone (n = ${topN}, t = ${top[0]!.t}): ${top.map((x) => `${x.property} ${fmtMs(x.ours_ms)} ms`).join(', ')}`;
  return line;
}

export function paramSection(rows: readonly ParamRow[], s: ParamSummary, native: boolean, counter: readonly Row[]): string[] {
  const L: string[] = ['## Parameterized proofs (every admissible n), t = 1..4', ''];
  L.push(
    'One query per protocol, property and t: n, f symbolic, constrained by the resilience condition, t < n and 0 <= f <= t (src/check/param.ts, `bftsynth check --engine param`). Where the round bound does not mention t (R = 1), one query covers every n and t (t = "all"), compared with the concrete rows at t = 1..4. **param ms** is checkParamOne in the same worker as the concrete queries: the query, plus the concrete remainder below the leader side condition n >= L, plus for a violation the shrinking of n, the concrete query at the model\'s n, t, f and the replay; native z3 runs only the parameterized query text. **vs concrete** compares with the concrete counter verdict at the smallest n of the same t: "larger n" means the violation needs more processes than the smallest instance; a param verified with a concrete violated would be a soundness bug (exit 1).',
    '',
  );
  const vs = Object.entries(s.verdicts).map(([k, v]) => `${v} ${k}`).join(', ');
  L.push(`- ${s.queries} parameterized queries: ${vs}; ${s.within_1s} of ${s.queries} answered within 1 s; ${fmtNum(s.total_ms / 1000)} s in all`);
  L.push(`- param / concrete at the smallest n (same protocol, property, t): median ${fmtNum(s.median_param_over_concrete)} over ${s.param_over_concrete_count}`);
  if (native) {
    L.push(`- ours / native z3 on the same parameterized query: median ${fmtNum(s.median_ratio)} over ${s.ratio_count}`);
    L.push(s.disagreements === 0 ? '- Verdicts: no disagreement between ours and native z3' : `- **VERDICT DISAGREEMENTS (param, ours vs native): ${s.disagreements}**: a bug; see the rows marked NO`);
  }
  L.push(s.soundness_bugs === 0 ? '- No soundness conflict: no param verified where the concrete engine finds a violation' : `- **SOUNDNESS BUGS: ${s.soundness_bugs}** parameterized queries verified where the concrete engine finds a violation at the smallest n; see the rows marked NO`);
  const h = headline(rows, counter);
  if (h !== null) L.push(h);
  if (s.errors > 0) L.push(`- **ERRORS: ${s.errors}** parameterized queries failed on our side (see Notes)`);
  if (s.unexpected > 0) L.push(`- **${s.unexpected} parameterized verdicts differ from specs/expected.json** (marked in bold)`);
  L.push('');
  L.push('| protocol | queries | verified | violated | unknown | total param s | slowest ms |', '|---|---:|---:|---:|---:|---:|---:|');
  for (const p of s.per_protocol) L.push(`| ${p.protocol} | ${p.queries} | ${p.verified} | ${p.violated} | ${p.unknown} | ${fmtNum(p.total_ms / 1000)} | ${fmtMs(p.max_ms)} |`);
  L.push('', ...table(rows, native), '');
  return L;
}
