// A small seeded PRNG (mulberry32): deterministic across platforms and runs,
// so a random adversary's run is reproducible from its seed.

export interface Prng {
  /** uniform in [0, 1). */
  next(): number;
  /** uniform integer in 0 .. bound-1. */
  below(bound: number): number;
}

export function mulberry32(seed: number): Prng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  return { next, below: (bound) => Math.floor(next() * bound) };
}
