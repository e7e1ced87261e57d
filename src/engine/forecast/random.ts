/**
 * A small seeded pseudo-random generator, so that every Monte Carlo run can be reproduced from its seed.
 * - The seed is spread over four 32-bit words by a SplitMix32-style mixer (add the golden-ratio
 *   constant, then xor-shift-multiply), so that neighbouring seeds give unrelated streams.
 * - The stream itself is the "small fast counting" generator (SFC32): three mixing words and a counter,
 *   which guarantees a period of at least 2^32 and passes common statistical batteries.
 */

/** A generator of uniform numbers in [0, 1). */
export type Rng = () => number;

/** Creates a generator from a 32-bit integer seed; the same seed always yields the same sequence. */
export function createRng(seed: number): Rng {
  let s = seed >>> 0;
  const mix = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = mix();
  let b = mix();
  let c = mix();
  let d = mix();
  const rng: Rng = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  // Discard the first outputs, which still show the structure of the seeding.
  for (let i = 0; i < 12; i++) rng();
  return rng;
}

/** A uniform integer in [0, n) drawn from `rng`. */
export function randomIndex(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}
