// Proposers: where candidates come from. All three strategies go through the
// same gate and the same campaign loop; each one's state is plain JSON so a
// checkpoint can restore it exactly.

import { Rng } from './rng';

export const STRATEGIES = ['learned', 'random', 'enumerate'] as const;
export type Strategy = (typeof STRATEGIES)[number];

export interface Proposer {
  readonly strategy: Strategy;
  /** up to `count` candidates (one choice index per hole); fewer or none when the space is exhausted. */
  propose(count: number): number[][];
  /** the rewards of the last proposed batch, in order (learning strategies update here). */
  learn(rewards: readonly number[]): void;
  /** everything needed to continue exactly where it stands. */
  save(): unknown;
}

/** Uniform random completions. */
export class RandomProposer implements Proposer {
  readonly strategy = 'random' as const;
  private readonly rng: Rng;

  constructor(private readonly arities: readonly number[], seed: number, saved?: unknown) {
    const state = saved as { rng: number } | undefined;
    this.rng = new Rng(state?.rng ?? seed);
  }

  propose(count: number): number[][] {
    return Array.from({ length: count }, () => this.arities.map((a) => this.rng.below(a)));
  }

  learn(): void {}

  save(): { rng: number } {
    return { rng: this.rng.getState() };
  }
}

/** Every completion once, in mixed-radix order (the last hole varies fastest). */
export class EnumerateProposer implements Proposer {
  readonly strategy = 'enumerate' as const;
  private next: number;
  private readonly total: number;

  constructor(private readonly arities: readonly number[], saved?: unknown) {
    this.next = (saved as { next: number } | undefined)?.next ?? 0;
    this.total = arities.reduce((p, a) => p * a, 1);
  }

  propose(count: number): number[][] {
    const out: number[][] = [];
    for (; out.length < count && this.next < this.total; this.next++) out.push(this.digits(this.next));
    return out;
  }

  private digits(index: number): number[] {
    const d = new Array<number>(this.arities.length).fill(0);
    let rest = index;
    for (let h = this.arities.length - 1; h >= 0; h--) {
      d[h] = rest % this.arities[h]!;
      rest = Math.floor(rest / this.arities[h]!);
    }
    return d;
  }

  learn(): void {}

  save(): { next: number } {
    return { next: this.next };
  }
}
