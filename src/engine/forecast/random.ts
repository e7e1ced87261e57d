/**
 * A small seeded pseudo-random generator, so that every Monte Carlo run can be reproduced from its seed.
 * - The seed is spread over four 32-bit words by a SplitMix32-style mixer (add the golden-ratio
 *   constant, then xor-shift-multiply), so that neighbouring seeds give unrelated streams.
 * - The stream itself is the "small fast counting" generator (SFC32): three mixing words and a counter,
 *   which guarantees a period of at least 2^32 and passes common statistical batteries.
 */

/** A generator of uniform numbers in [0, 1). */
export type Rng = () => number;

/** A seeded generator that can also write its next numbers into an array (the same numbers, in the same order). */
export interface SeededRng extends Rng {
  /** Writes the next `count` numbers of the sequence into `out[0 … count − 1]`, as `count` calls would return them. */
  fill(out: Float64Array, count: number): void;
}

/** Creates a generator from a 32-bit integer seed; the same seed always yields the same sequence. */
export function createRng(seed: number): SeededRng {
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
  // The steps on local copies of the state, many numbers at a time: a Monte Carlo run draws 10,000s at once.
  const fill = (out: Float64Array, count: number): void => {
    let sa = a | 0;
    let sb = b | 0;
    let sc = c | 0;
    let sd = d | 0;
    for (let i = 0; i < count; i++) {
      const t = (((sa + sb) | 0) + sd) | 0;
      sd = (sd + 1) | 0;
      sa = sb ^ (sb >>> 9);
      sb = (sc + (sc << 3)) | 0;
      sc = (sc << 21) | (sc >>> 11);
      sc = (sc + t) | 0;
      out[i] = (t >>> 0) / 4294967296;
    }
    a = sa;
    b = sb;
    c = sc;
    d = sd;
  };
  const one = new Float64Array(1);
  const rng = ((): number => {
    fill(one, 1);
    return one[0]!;
  }) as SeededRng;
  rng.fill = fill;
  // Discard the first outputs, which still show the structure of the seeding.
  for (let i = 0; i < 12; i++) rng();
  return rng;
}

/** A uniform integer in [0, n) drawn from `rng`. */
export function randomIndex(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}
