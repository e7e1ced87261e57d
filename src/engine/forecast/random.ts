/**
 * A small seeded pseudo-random generator, so that every Monte Carlo run can be reproduced from its seed.
 * - The seed is spread over four 32-bit words by a SplitMix32-style mixer (add the golden-ratio
 *   constant, then xor-shift-multiply), so that neighbouring seeds give unrelated streams.
 * - The stream itself is the "small fast counting" generator (SFC32): three mixing words and a counter,
 *   which guarantees a period of at least 2^32 and passes common statistical batteries.
 */
import { sfc32Fill, sfc32State } from './monte-carlo.mjs';

/** A generator of uniform numbers in [0, 1). */
export type Rng = () => number;

/** A seeded generator that can also write its next numbers into an array (the same numbers, in the same order). */
export interface SeededRng extends Rng {
  /** Writes the next `count` numbers of the sequence into `out[0 … count − 1]`, as `count` calls would return them. */
  fill(out: Float64Array, count: number): void;
}

/** Creates a generator from a 32-bit integer seed; the same seed always yields the same sequence. */
export function createRng(seed: number): SeededRng {
  // The steps themselves are in monte-carlo.mjs, which a worker thread runs too.
  const state = sfc32State(seed);
  const fill = (out: Float64Array, count: number): void => sfc32Fill(state, out, count);
  const one = new Float64Array(1);
  const rng = ((): number => {
    fill(one, 1);
    return one[0]!;
  }) as SeededRng;
  rng.fill = fill;
  return rng;
}

/** A uniform integer in [0, n) drawn from `rng`. */
export function randomIndex(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}
