/**
 * Percentiles by the nearest-rank method, used by every Concord report.
 * - Sort the n values ascending: x1 ≤ x2 ≤ … ≤ xn.
 * - The p-th percentile (0 < p ≤ 100) is x_k with k = ⌈p/100 × n⌉; the 0-th is x1.
 * - So the median of an even count is the lower middle value, and every percentile is an observed value.
 * - No values: no percentile (null).
 */

/** Zero-based index of the p-th nearest-rank percentile among n sorted values (n ≥ 1). */
export function nearestRankIndex(n: number, p: number): number {
  if (p <= 0) return 0;
  // The epsilon guards against p/100 × n landing a hair above an integer through float error.
  const k = Math.ceil((p / 100) * n - 1e-9);
  return Math.min(n, Math.max(1, k)) - 1;
}

/** The p-th nearest-rank percentile of values already sorted ascending; null when there are none. */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[nearestRankIndex(sorted.length, p)] ?? null;
}

/** The p-th nearest-rank percentile of any values (copied and sorted); null when there are none. */
export function percentile(values: readonly number[], p: number): number | null {
  return percentileSorted(Float64Array.from(values).sort(), p);
}
