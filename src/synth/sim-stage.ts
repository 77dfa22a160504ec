// The gate's simulation stage: a fixed battery of runs per small instance,
// cheap enough to throw out most broken candidates before enumeration.
// Fixed seeds: the stage's verdict is a function of the protocol alone.

import type { Protocol } from '../ir/types';
import { random, silent, split, type Adversary } from '../sim/adversary';
import { instanceOrThrow } from '../sim/instance';
import { simulate } from '../sim/simulate';
import { usesLeaderMessages } from '../sim/step';
import { isBuiltinViolation, type Property } from '../trace/model';
import type { NT } from './score';

export interface SimStageResult {
  violated: Property[];
  detail: string;
  runs: number;
  /**
   * Share of the battery's runs in which no claimed property was violated.
   * A graded signal for the proposer's reward: the verdict alone is nearly
   * flat over a sketch's choices (almost every candidate fails), while
   * "how often it fails" points towards the correct completions.
   */
  survival: number;
}

const ALL: Property[] = ['agreement', 'validity', 'termination'];

/** Byzantine sets worth trying: the last t; with leaders also the first kings and the last king of t + 1 phases. */
function byzantineSets(protocol: Protocol, n: number, t: number): number[][] {
  const last = Array.from({ length: t }, (_, k) => n - t + k);
  if (!usesLeaderMessages(protocol)) return [last];
  const first = Array.from({ length: t }, (_, k) => k);
  const lateKings = Array.from({ length: t }, (_, k) => k + 1);
  return [last, first, lateKings];
}

function inputPatterns(n: number, values: number): number[][] {
  const half = Math.ceil(n / 2);
  const pats = [
    Array.from({ length: n }, () => 0),
    Array.from({ length: n }, () => values - 1),
    Array.from({ length: n }, (_, i) => i % values),
    Array.from({ length: n }, (_, i) => (i < half ? 0 : values - 1)),
    Array.from({ length: n }, (_, i) => (i < half ? values - 1 : 0)),
  ];
  return pats;
}

function adversaries(): Adversary[] {
  return [split(), split({ swap: true }), silent(), random(1), random(2), random(3)];
}

export function simulateStage(protocol: Protocol, hash: string, instances: readonly NT[]): SimStageResult {
  const violated = new Set<Property>();
  let runs = 0;
  let failed = 0;
  let detail = '';
  for (const { n, t } of instances) {
    for (const byzantine of byzantineSets(protocol, n, t)) {
      for (const inputs of inputPatterns(n, protocol.values)) {
        for (const adversary of adversaries()) {
          const instance = instanceOrThrow(protocol, { n, t, byzantine, inputs: inputs.map((v, i) => (byzantine.includes(i) ? null : v)) });
          const trace = simulate(protocol, instance, adversary, { hash });
          runs++;
          if (trace.violations.length > 0) failed++;
          for (const v of trace.violations.filter(isBuiltinViolation)) {
            if (!violated.has(v.property)) {
              violated.add(v.property);
              detail ||= `${v.property} violated at n=${n} t=${t}, Byzantine ${byzantine.join(',')}, inputs ${inputs.join('')}, adversary ${adversary.name}`;
            }
          }
        }
      }
    }
  }
  return { violated: ALL.filter((p) => violated.has(p)), detail, runs, survival: runs === 0 ? 1 : 1 - failed / runs };
}
