import { describe, expect, it } from 'vitest';
import { createRng, randomIndex } from './random.ts';

describe('createRng', () => {
  it('repeats its sequence for the same seed and differs for another', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const sa = Array.from({ length: 20 }, () => a());
    expect(Array.from({ length: 20 }, () => b())).toEqual(sa);
    expect(Array.from({ length: 20 }, () => c())).not.toEqual(sa);
  });

  it('draws in [0, 1) and spreads evenly over ten buckets', () => {
    const rng = createRng(7);
    const n = 100_000;
    const buckets = new Array<number>(10).fill(0);
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const x = rng();
      if (!(x >= 0 && x < 1)) outside++;
      else buckets[Math.floor(x * 10)]! += 1;
    }
    expect(outside).toBe(0);
    // chi-square with 9 degrees of freedom: 27.9 is its 99.9th percentile
    const chi2 = buckets.reduce((s, o) => s + (o - n / 10) ** 2 / (n / 10), 0);
    expect(chi2).toBeLessThan(27.9);
  });

  it('fills an array with the numbers its calls would return, in order, interleaved with calls', () => {
    const a = createRng(9);
    const b = createRng(9);
    const out = new Float64Array(1000);
    const got: number[] = [a()];
    a.fill(out, 700);
    got.push(...out.subarray(0, 700), a());
    a.fill(out, 3);
    got.push(...out.subarray(0, 3));
    expect(got).toEqual(Array.from({ length: 705 }, () => b()));
  });

  it('draws indices within range', () => {
    const rng = createRng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(randomIndex(rng, 5));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4]);
  });
});
