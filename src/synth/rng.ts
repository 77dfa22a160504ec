// A seeded PRNG whose whole state is one 32-bit integer, so a campaign can
// checkpoint it and resume exactly where it stopped. Same generator as
// src/sim/prng.ts (mulberry32), plus the state accessors that one lacks.

export class Rng {
  constructor(private state: number) {
    this.state = state >>> 0;
  }

  /** uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let x = this.state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  }

  /** uniform integer in 0 .. bound-1. */
  below(bound: number): number {
    return Math.floor(this.next() * bound);
  }

  /** index drawn from unnormalized non-negative weights. */
  pick(weights: readonly number[]): number {
    const total = weights.reduce((s, w) => s + w, 0);
    let u = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      u -= weights[i]!;
      if (u < 0) return i;
    }
    // rounding left u >= 0: the last index with positive weight
    for (let i = weights.length - 1; i >= 0; i--) if (weights[i]! > 0) return i;
    return 0;
  }

  getState(): number {
    return this.state;
  }
}

/** Derives independent sub-seeds from one campaign seed (splitmix-style mixing). */
export function subSeed(seed: number, stream: number): number {
  let z = (seed * 0x9e3779b1 + stream * 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x7feb352d) >>> 0;
  z = Math.imul(z ^ (z >>> 15), 0x846ca68b) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}
