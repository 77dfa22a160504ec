// The `--json` summary of a campaign (issue 6), a contract for scripts:
// {"sketch", "strategy", "seed", "candidates", "verifier_calls",
//  "first_verified_at" (verifier calls, or null), "verified": [{"file", "hash", "score"}]}
// plus gate statistics under "gate" (additive: scripts may ignore it).
// "verifier calls" counts every distinct candidate the gate ran beyond its
// static checks (simulator, learned adversary, explore, last stage: all of
// them verifiers, cheap or not); the calls to the last stage alone are
// "final_stage_calls" and "first_verified_at_final_stage".

import type { CampaignResult } from './campaign';
import type { GateStats } from './gate';

export interface CampaignSummary {
  sketch: string;
  strategy: string;
  seed: number;
  candidates: number;
  verifier_calls: number;
  first_verified_at: number | null;
  final_stage_calls: number;
  first_verified_at_final_stage: number | null;
  verified: { file: string; hash: string; score: number }[];
  gate: GateStats & { seconds: number; candidates_per_second: number };
}

export function campaignSummary(r: CampaignResult): CampaignSummary {
  const s = r.state;
  return {
    sketch: s.sketch,
    strategy: s.strategy,
    seed: s.seed,
    candidates: s.candidates,
    verifier_calls: s.gate.stats.gateCalls,
    first_verified_at: s.firstVerifiedAt,
    final_stage_calls: s.gate.stats.verifierCalls,
    first_verified_at_final_stage: s.firstVerifiedAtFinal,
    verified: s.verified.map((v) => ({ file: v.file, hash: v.hash, score: v.score })),
    gate: { ...s.gate.stats, seconds: Math.round(s.elapsedMs) / 1000, candidates_per_second: Math.round(r.rate * 10) / 10 },
  };
}
