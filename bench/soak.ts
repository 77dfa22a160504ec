// Soak: hundreds of checks in one process (as a synthesis campaign makes),
// recording resident memory, to show that Z3 contexts and solvers are
// released. Writes bench/soak.md and bench/soak.json.
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { checkOne } from '../src/check/check';
import type { Protocol } from '../src/ir/types';
import { parseProtocol } from '../src/lang';
import { shutdownZ3 } from '../src/smt/z3';
import type { Property } from '../src/trace/model';

const SPECS = ['phase-king.bft', 'phase-king-t-phases.bft', 'quorum-vote.bft'];
const PROPERTIES: Property[] = ['agreement', 'validity', 'termination'];

interface Sample {
  checks: number;
  rss_mb: number;
  heap_mb: number;
  elapsed_ms: number;
}

function load(root: string, name: string): Protocol {
  const text = readFileSync(join(root, 'specs', name), 'utf8');
  const r = parseProtocol(text, name);
  if (!r.ok) throw new Error(`${name}: ${r.errors.map((e) => e.message).join('; ')}`);
  return r.value;
}

export async function runSoak(root: string, checks: number, log: (line: string) => void): Promise<Sample[]> {
  const protocols = SPECS.map((s) => load(root, s));
  const samples: Sample[] = [];
  const t0 = Date.now();
  const sample = (done: number): void => {
    const m = process.memoryUsage();
    samples.push({ checks: done, rss_mb: Math.round(m.rss / 1e6), heap_mb: Math.round(m.heapUsed / 1e6), elapsed_ms: Date.now() - t0 });
  };
  sample(0);
  for (let i = 0; i < checks; i++) {
    const p = protocols[i % protocols.length]!;
    await checkOne(p, 'counter', { n: 5, t: 1, rounds: 4 }, PROPERTIES[Math.floor(i / protocols.length) % 3]!, 20_000);
    if ((i + 1) % 50 === 0) {
      sample(i + 1);
      log(`soak: ${i + 1}/${checks} checks, rss ${samples[samples.length - 1]!.rss_mb} MB`);
    }
  }
  await shutdownZ3();
  const first = samples.find((s) => s.checks >= Math.min(100, checks)) ?? samples[0]!;
  const last = samples[samples.length - 1]!;
  const md = [
    '# Soak benchmark',
    '',
    `Written by \`make bench\` (bench/soak.ts) on ${new Date().toISOString()}; the samples are in bench/soak.json.`,
    '',
    `${checks} checks (counter engine, n = 5, t = 1, four rounds; ${SPECS.join(', ')} round-robin over the three properties, verified and violated ones, so counterexamples are decoded and replayed too) in one process. Resident memory after ${first.checks} checks: ${first.rss_mb} MB; after ${last.checks}: ${last.rss_mb} MB (${last.rss_mb - first.rss_mb >= 0 ? '+' : ''}${last.rss_mb - first.rss_mb} MB).`,
    '',
    '| checks | rss MB | JS heap MB | elapsed s |',
    '|---:|---:|---:|---:|',
    ...samples.map((s) => `| ${s.checks} | ${s.rss_mb} | ${s.heap_mb} | ${(s.elapsed_ms / 1000).toFixed(1)} |`),
    '',
  ].join('\n');
  writeFileSync(join(root, 'bench', 'soak.md'), md);
  writeFileSync(join(root, 'bench', 'soak.json'), JSON.stringify({ checks, specs: SPECS, samples }, null, 2) + '\n');
  return samples;
}
