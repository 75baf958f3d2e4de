// A small deterministic generator for randomized tests, so that every failure reproduces from its seed.

/** Uniform numbers in [0, 1) from a 32-bit linear congruential generator. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** A uniform integer in [lo, hi]. */
export const int = (rnd: () => number, lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
