// Mutants of a protocol, the way protocol designers slip: a threshold off by
// one, a coefficient off by one, a value swapped, a rule dropped. Only mutants
// that still pass the static checker are kept.
import { Expr, Protocol, Round } from '../../src/ir/types';
import { parseProtocol, printProtocol } from '../../src/lang';

export interface Mutant {
  description: string;
  protocol: Protocol;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every way to change one integer literal or coefficient by +-1 in the rounds. */
function numericMutations(node: Json, path: string, out: { path: string; apply: (delta: number) => Json }[]): void {
  if (Array.isArray(node)) {
    node.forEach((child, i) => numericMutations(child, `${path}[${i}]`, out));
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const expr = node as unknown as Expr;
  if (expr.kind === 'int') out.push({ path, apply: (d) => ({ ...node, value: expr.value + d }) });
  if (expr.kind === 'mul') out.push({ path, apply: (d) => ({ ...node, coef: expr.coef + d }) });
  for (const [k, child] of Object.entries(node)) numericMutations(child, `${path}.${k}`, out);
}

function replaceAt(root: Json, path: string, value: Json): Json {
  const keys = [...path.matchAll(/\.([A-Za-z]+)|\[(\d+)\]/g)].map((m) => (m[1] !== undefined ? m[1] : Number(m[2])));
  const go = (node: Json, i: number): Json => {
    if (i === keys.length) return value;
    const key = keys[i]!;
    if (Array.isArray(node) && typeof key === 'number') return node.map((c, j) => (j === key ? go(c, i + 1) : c));
    if (node !== null && typeof node === 'object' && !Array.isArray(node) && typeof key === 'string') return { ...node, [key]: go(node[key] ?? null, i + 1) };
    throw new Error(`bad path ${path}`);
  };
  return go(root, 0);
}

function wellFormed(p: Protocol): Protocol | null {
  const r = parseProtocol(printProtocol(p), 'mutant.bft');
  return r.ok ? r.value : null;
}

export function mutantsOf(p: Protocol): Mutant[] {
  const out: Mutant[] = [];
  const rounds = p.rounds as unknown as Json;
  const sites: { path: string; apply: (delta: number) => Json }[] = [];
  numericMutations(rounds, '', sites);
  for (const site of sites) {
    for (const delta of [1, -1]) {
      const mutated = wellFormed({ ...p, rounds: replaceAt(rounds, site.path, site.apply(delta)) as unknown as Round[] });
      if (mutated !== null) out.push({ description: `rounds${site.path} ${delta > 0 ? '+1' : '-1'}`, protocol: mutated });
    }
  }
  p.rounds.forEach((round, r) =>
    round.rules.forEach((_, i) => {
      const rules = round.rules.filter((__, j) => j !== i);
      const mutated = wellFormed({ ...p, rounds: p.rounds.map((x, k) => (k === r ? { ...x, rules } : x)) });
      if (mutated !== null) out.push({ description: `drop rule ${i + 1} of round ${round.name}`, protocol: mutated });
    }),
  );
  return out;
}
