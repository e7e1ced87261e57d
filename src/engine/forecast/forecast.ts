import { addDays, dayNumber, isIsoDate } from '../../domain/dates.ts';
import { invalidInput, type FieldIssue } from '../../domain/errors.ts';
import { nearestRankIndex } from '../delays/percentile.ts';
import { NONE, runMonteCarlo, type DrawTable, type MonteCarloJob, type MonteCarloResult } from './monte-carlo.mjs';

/**
 * Stock-out forecast per interchangeability group.
 *
 * Projection (one day at a time, day 0 = `start`):
 * - the stock at the start of day 0 is the latest report's on-hand (the caller passes the latest report);
 * - a tranche arriving on a day is available for that day's consumption; a tranche whose date is
 *   already past (overdue, not received) is assumed to arrive on day 0; one dated past the horizon is ignored;
 * - each day consumes `dailyConsumption`; what the stock cannot meet is unmet (the stock stays at 0);
 * - stock[d] is the stock at the end of day d; the first stock-out is the first day with unmet consumption;
 *   the shortfall is the total unmet consumption over the horizon, in units.
 *
 * Monte Carlo of arrival dates (seeded, reproducible):
 * - each run draws, for every tranche, a slippage by resampling (bootstrap) the donor's observed
 *   slippages; a donor with no history draws from the pooled history of all donors; with no history
 *   at all the slippage is 0;
 * - a tranche already k days overdue draws only among observed slippages ≥ k (it has evidently not
 *   arrived earlier); when none is that large it draws from the whole history, i.e. arrives on day 0;
 * - arrival = promised date (after any what-if shift) + slippage, then projected as above;
 * - every run draws for every tranche in input order, removed ones included, so that what-if runs
 *   share their random numbers with the base case (common random numbers);
 * - per day: the 10th, 50th and 90th nearest-rank percentiles of the stock over the runs, and the share
 *   of runs that have stocked out on or before that day.
 */

/** The latest stock report of one group. */
export interface ForecastGroup {
  group: string;
  /** Units on hand at the start of the forecast. */
  onHand: number;
  /** Units consumed per day. */
  dailyConsumption: number;
}

/** A tranche scheduled to arrive for a group and not yet received (give the outstanding quantity). */
export interface IncomingTranche {
  id: string;
  group: string;
  donor: string;
  /** ISO date the donor promised. */
  expectedOn: string;
  quantity: number;
}

/** A donor's slippage history as a histogram: distinct whole days in ascending order, and how many lines slipped by each (whole numbers ≥ 1). */
export interface SlippageCounts {
  days: ArrayLike<number>;
  lines: ArrayLike<number>;
}

/** A what-if change to the schedule of one donor (optionally for one group only). */
export type WhatIf =
  | { donor: string; group?: string; shiftDays: number }
  | { donor: string; group?: string; remove: true };

export interface ForecastInput {
  /** ISO date of day 0. */
  start: string;
  /** Number of days projected (1 … 3660). */
  horizonDays: number;
  groups: readonly ForecastGroup[];
  tranches: readonly IncomingTranche[];
  /**
   * Observed slippages in days per donor (received − promised); see `slippageHistories` in the delays engine.
   * Give this or `slippageHistogram` (neither: no donor has a history).
   */
  slippageHistory?: Readonly<Record<string, readonly number[]>>;
  /**
   * The same histories counted per slippage, as SQL groups them: the donor's history is `lines[k]` slippages
   * of `days[k]` each, for every k. The same forecast as the list of those slippages, without it being
   * written out and sorted.
   */
  slippageHistogram?: Readonly<Record<string, SlippageCounts>>;
  /** Monte Carlo runs (default 1000; 0 skips the Monte Carlo). */
  runs?: number;
  /** Seed of the generator (default 1). */
  seed?: number;
  whatIf?: readonly WhatIf[];
}

/** A projection of one group's stock over the horizon. */
export interface StockProjection {
  /** Stock at the end of each day. */
  stock: number[];
  /** ISO date of the first day with unmet consumption, or null. */
  firstStockOut: string | null;
  /** Units of consumption left unmet over the horizon. */
  shortfall: number;
}

export interface MonteCarloSummary {
  runs: number;
  /** Per day: nearest-rank percentiles of the end-of-day stock over the runs. */
  p10: number[];
  p50: number[];
  p90: number[];
  /** Per day: share of runs that have stocked out on or before that day. */
  stockOutProbability: number[];
  /** Share of runs that stock out within the horizon. */
  probabilityOfStockOut: number;
  /** Nearest-rank percentiles of the first stock-out date (null: that share of runs did not stock out in the horizon). */
  firstStockOut: { p10: string | null; p50: string | null; p90: string | null };
  /** Nearest-rank percentiles and mean of the shortfall volume. */
  shortfall: { p10: number; p50: number; p90: number; mean: number };
}

export interface GroupForecast {
  group: string;
  onHand: number;
  dailyConsumption: number;
  /** Tranches counted (after what-if), and their units arriving within the horizon on their promised dates. */
  tranches: number;
  incomingWithinHorizon: number;
  deterministic: StockProjection;
  monteCarlo: MonteCarloSummary | null;
}

export interface ForecastReport {
  start: string;
  horizonDays: number;
  /** ISO date of each projected day. */
  dates: string[];
  seed: number;
  runs: number;
  groups: GroupForecast[];
}

/** An arrival on a day index of the horizon. */
export interface Arrival {
  day: number;
  quantity: number;
}

const EPS = 1e-9;

/**
 * Projects one group's stock event by event: between two arrivals the stock falls linearly, so each
 * stretch is computed in closed form rather than day by day. Arrivals outside [0, horizon) must be
 * clipped by the caller.
 */
export function projectStock(onHand: number, dailyConsumption: number, arrivals: readonly Arrival[], horizonDays: number): { stock: Float64Array; firstStockOutDay: number; shortfall: number } {
  const stock = new Float64Array(horizonDays);
  const events = arrivals.filter((a) => a.day >= 0 && a.day < horizonDays).sort((a, b) => a.day - b.day);
  const c = dailyConsumption;
  let s = onHand;
  let firstStockOutDay = -1;
  let shortfall = 0;
  let e = 0;
  let day = 0;
  while (day < horizonDays) {
    while (e < events.length && events[e]!.day === day) s += events[e++]!.quantity;
    const end = e < events.length ? events[e]!.day : horizonDays;
    const n = end - day;
    if (c <= 0) {
      stock.fill(s, day, end);
    } else {
      // Days of this stretch the stock covers in full.
      const full = Math.min(n, Math.floor((s + EPS) / c));
      for (let j = 0; j < full; j++) stock[day + j] = Math.max(0, s - (j + 1) * c);
      if (full < n) {
        // Day `day + full` is the first the stock cannot meet; every later day of the stretch meets nothing.
        const left = Math.max(0, s - full * c);
        if (firstStockOutDay < 0) firstStockOutDay = day + full;
        shortfall += (n - full) * c - left;
        stock.fill(0, day + full, end);
        s = 0;
      } else {
        s = Math.max(0, s - n * c);
      }
    }
    day = end;
  }
  return { stock, firstStockOutDay, shortfall };
}

/** A slippage history as runs of equal values: `values` ascending and distinct, run r ends before index `ends[r]`; `length` values in all. */
interface History {
  values: Int32Array;
  ends: Int32Array;
  length: number;
}

const EMPTY_HISTORY: History = { values: new Int32Array(0), ends: new Int32Array(0), length: 0 };

/** The history of a list of slippages: sorted, equal ones counted as a run. */
function historyOfList(list: readonly number[]): History {
  const sorted = Int32Array.from(list).sort();
  const values: number[] = [];
  const ends: number[] = [];
  for (let j = 0; j < sorted.length; j++) {
    if (j === 0 || sorted[j] !== sorted[j - 1]) {
      values.push(sorted[j]!);
      ends.push(j + 1);
    } else ends[ends.length - 1] = j + 1;
  }
  return { values: Int32Array.from(values), ends: Int32Array.from(ends), length: sorted.length };
}

/** The history of a histogram (distinct days ascending, lines ≥ 1 each): its runs as they are. */
function historyOfCounts(days: ArrayLike<number>, lines: ArrayLike<number>): History {
  const ends = new Int32Array(days.length);
  let length = 0;
  for (let k = 0; k < days.length; k++) ends[k] = length += lines[k]!;
  return { values: Int32Array.from(days), ends, length };
}

/** All the histories' slippages in one history (runs of equal values merged). */
function mergeHistories(histories: readonly History[]): History {
  const lines = new Map<number, number>();
  for (const h of histories) for (let r = 0; r < h.values.length; r++) lines.set(h.values[r]!, (lines.get(h.values[r]!) ?? 0) + h.ends[r]! - (r === 0 ? 0 : h.ends[r - 1]!));
  if (lines.size === 0) return EMPTY_HISTORY;
  const days = Int32Array.from(lines.keys()).sort();
  return historyOfCounts(days, Array.from(days, (d) => lines.get(d)!));
}

/** In-place selection: afterwards a[k] is the k-th smallest of a[lo..hi], smaller ones before it, larger after. */
function select(a: Float64Array, k: number, lo: number, hi: number): void {
  while (hi > lo) {
    const x = a[lo]!;
    const y = a[(lo + hi) >>> 1]!;
    const z = a[hi]!;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

function validate(input: ForecastInput): void {
  const issues: FieldIssue[] = [];
  if (!isIsoDate(input.start)) issues.push({ path: '/start', message: 'must be a date written YYYY-MM-DD' });
  if (!Number.isInteger(input.horizonDays) || input.horizonDays < 1 || input.horizonDays > 3660) issues.push({ path: '/horizonDays', message: 'must be a whole number of days from 1 to 3660' });
  const runs = input.runs ?? 1000;
  if (!Number.isInteger(runs) || runs < 0 || runs > 100_000) issues.push({ path: '/runs', message: 'must be a whole number from 0 to 100000' });
  const seen = new Set<string>();
  input.groups.forEach((g, i) => {
    if (seen.has(g.group)) issues.push({ path: `/groups/${i}/group`, message: `group ${g.group} appears twice` });
    seen.add(g.group);
    if (!(g.onHand >= 0) || !Number.isFinite(g.onHand)) issues.push({ path: `/groups/${i}/onHand`, message: 'must be a finite number ≥ 0' });
    if (!(g.dailyConsumption >= 0) || !Number.isFinite(g.dailyConsumption)) issues.push({ path: `/groups/${i}/dailyConsumption`, message: 'must be a finite number ≥ 0' });
  });
  input.tranches.forEach((t, i) => {
    if (!isIsoDate(t.expectedOn)) issues.push({ path: `/tranches/${i}/expectedOn`, message: 'must be a date written YYYY-MM-DD' });
    if (!(t.quantity >= 0) || !Number.isFinite(t.quantity)) issues.push({ path: `/tranches/${i}/quantity`, message: 'must be a finite number ≥ 0' });
  });
  if (input.slippageHistory && input.slippageHistogram) issues.push({ path: '/slippageHistogram', message: 'give the slippage history or its histogram, not both' });
  for (const [donor, h] of Object.entries(input.slippageHistory ?? {})) {
    if (h.some((x) => !Number.isInteger(x))) issues.push({ path: `/slippageHistory/${donor}`, message: 'slippages must be whole days' });
  }
  for (const [donor, { days, lines }] of Object.entries(input.slippageHistogram ?? {})) {
    let ok = days.length === lines.length;
    for (let k = 0; ok && k < days.length; k++) ok = Number.isInteger(days[k]) && (k === 0 || days[k]! > days[k - 1]!) && Number.isInteger(lines[k]) && lines[k]! >= 1;
    if (!ok) issues.push({ path: `/slippageHistogram/${donor}`, message: 'must give distinct whole days in ascending order, each with a whole number of lines ≥ 1' });
  }
  (input.whatIf ?? []).forEach((w, i) => {
    if ('shiftDays' in w && !Number.isInteger(w.shiftDays)) issues.push({ path: `/whatIf/${i}/shiftDays`, message: 'must be a whole number of days' });
  });
  if (issues.length > 0) throw invalidInput('the forecast parameters are invalid', issues);
}

/**
 * Forecasts each group's stock: the deterministic projection on promised dates, and a seeded Monte
 * Carlo of arrival dates driven by each donor's slippage history. Pure and reproducible from the seed;
 * O(runs × (tranches + groups × horizon)).
 */
export function forecastStock(input: ForecastInput): ForecastReport {
  const prepared = prepareForecast(input);
  return finishForecast(prepared, prepared.job && runMonteCarlo(prepared.job));
}

/** Checks the input and prepares its forecast up to the Monte Carlo runs (see `PreparedForecast`). */
export function prepareForecast(input: ForecastInput): PreparedForecast {
  validate(input);
  const H = input.horizonDays;
  const R = input.runs ?? 1000;
  const seed = input.seed ?? 1;
  const startDay = dayNumber(input.start);
  const dates = Array.from({ length: H }, (_, d) => addDays(input.start, d));

  // What-if: shift or remove tranches; removed ones keep their place in the draw order.
  const T = input.tranches.length;
  const base = new Int32Array(T); // promised day index after any shift
  const removed = new Uint8Array(T);
  input.tranches.forEach((t, i) => {
    let shift = 0;
    for (const w of input.whatIf ?? []) {
      if (w.donor !== t.donor || (w.group !== undefined && w.group !== t.group)) continue;
      if ('remove' in w) removed[i] = 1;
      else shift += w.shiftDays;
    }
    base[i] = dayNumber(t.expectedOn) + shift - startDay;
  });

  // Each donor's history as runs of equal slippages in ascending order (a histogram as it is; a list sorted
  // and counted); the pooled one, all donors' runs merged, for donors without their own, made only if needed.
  const own = new Map<string, History>();
  if (input.slippageHistogram) {
    for (const [donor, c] of Object.entries(input.slippageHistogram)) if (c.days.length > 0) own.set(donor, historyOfCounts(c.days, c.lines));
  } else {
    for (const [donor, h] of Object.entries(input.slippageHistory ?? {})) if (h.length > 0) own.set(donor, historyOfList(h));
  }
  let pooled: History | undefined;
  const pooledHistory = (): History => (pooled ??= mergeHistories([...own.values()]));
  const historyOf = new Array<History>(T);
  for (let i = 0; i < T; i++) historyOf[i] = own.get(input.tranches[i]!.donor) ?? pooledHistory();
  // Each history (h: its runs) read through a table of B buckets of indices (B ≤ 1024): a bucket inside one
  // run holds that run's value, so a draw of index j usually reads one small table; a bucket across runs
  // holds NONE and the draw steps through the runs from the bucket's first one. The value is the history's
  // j-th smallest exactly, read from a few kilobytes that stay in cache instead of at a random place in up
  // to a million entries (a cache miss per draw). All histories share flat arrays, addressed by offsets.
  const historyId = new Map<History, number>();
  const tables: { value: number[]; first: number[]; ends: number[]; values: number[] } = { value: [], first: [], ends: [], values: [] };
  const bucketsOf: number[] = [];
  const bucketAt: number[] = [];
  const idOf = (h: History): number => {
    let id = historyId.get(h);
    if (id === undefined) {
      id = bucketsOf.length;
      historyId.set(h, id);
      const runs0 = tables.values.length;
      for (let r = 0; r < h.values.length; r++) {
        tables.values.push(h.values[r]!);
        tables.ends.push(h.ends[r]!);
      }
      const buckets = Math.min(h.length, 1024);
      bucketsOf.push(buckets);
      bucketAt.push(tables.value.length);
      for (let b = 0, r = runs0; b < buckets; b++) {
        const j0 = Math.floor((b * h.length) / buckets);
        const j1 = Math.ceil(((b + 1) * h.length) / buckets) - 1; // last index whose bucket is b
        while (tables.ends[r]! <= j0) r++;
        tables.first.push(r);
        tables.value.push(tables.ends[r]! > j1 ? tables.values[r]! : NONE);
      }
    }
    return id;
  };
  // Per-tranche columns filled by plain loops: TypedArray.from with a mapping function goes through the
  // iterator protocol and a call per element (a large share of the preparation at 40,000 tranches).
  const historyOfTranche = new Int32Array(T);
  const historyLength = new Int32Array(T);
  for (let i = 0; i < T; i++) {
    historyOfTranche[i] = idOf(historyOf[i]!);
    historyLength[i] = historyOf[i]!.length;
  }
  const bucketCount = Int32Array.from(bucketsOf);
  const bucketBase = Int32Array.from(bucketAt);
  const bucketValue = Int32Array.from(tables.value);
  const bucketFirst = Int32Array.from(tables.first);
  const runEnd = Int32Array.from(tables.ends);
  const runValue = Int32Array.from(tables.values);
  // First index of the history a draw may use: overdue tranches only draw slippages ≥ days overdue (the
  // start of the first run that large; when none is, the whole history); and the smallest slippage it may draw.
  const drawFrom = new Int32Array(T);
  const leastSlip = new Int32Array(T);
  for (let i = 0; i < T; i++) {
    const h = historyOf[i]!;
    if (h.length === 0) continue;
    const overdue = -base[i]!;
    let lo = 0;
    if (overdue > 0) {
      let hi = h.values.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (h.values[mid]! < overdue) lo = mid + 1;
        else hi = mid;
      }
      if (lo === h.values.length) lo = 0;
    }
    drawFrom[i] = lo === 0 ? 0 : h.ends[lo - 1]!;
    leastSlip[i] = h.values[lo]!;
  }

  const byGroup = new Map<string, number[]>();
  input.tranches.forEach((t, i) => {
    if (removed[i]) return;
    let list = byGroup.get(t.group);
    if (!list) byGroup.set(t.group, (list = []));
    list.push(i);
  });

  // Monte Carlo, one run at a time: draw every tranche's arrival (in input order, removed ones included, so
  // the random numbers are those of the base case), add it to its group's arrivals of the run, then
  // project each group's stock for the run. No runs × tranches matrix is kept.
  const G = input.groups.length;
  const groupOf = new Int32Array(T).fill(-1);
  const groupIndex = new Map(input.groups.map((g, k) => [g.group, k]));
  for (let i = 0; i < T; i++) if (!removed[i]) groupOf[i] = groupIndex.get(input.tranches[i]!.group) ?? -1;
  // A tranche counts in a run only if some allowed draw lands it within the horizon in a group forecast;
  // the others still draw (the random stream stays the same) but nothing is looked up for them.
  const counts = new Uint8Array(T);
  for (let i = 0; i < T; i++) counts[i] = groupOf[i]! >= 0 && base[i]! + leastSlip[i]! < H ? 1 : 0;
  let job: MonteCarloJob | null = null;
  if (R > 0) {
    // A run's random numbers, one per tranche with a history (in input order), drawn in one pass; then only
    // the tranches that count read theirs.
    const drawAt = new Int32Array(T);
    let draws = 0;
    for (let i = 0; i < T; i++) drawAt[i] = historyLength[i]! > 0 ? draws++ : -1;
    // What a draw of each counting tranche reads, laid out in the order the runs read them.
    let m = 0;
    for (let i = 0; i < T; i++) m += counts[i]!;
    const table: DrawTable = {
      horizon: H,
      draw: new Int32Array(m),
      length: new Int32Array(m),
      from: new Int32Array(m),
      span: new Int32Array(m),
      bucketAt: new Int32Array(m),
      buckets: new Int32Array(m),
      base: new Int32Array(m),
      cell: new Int32Array(m),
      quantity: new Float64Array(m),
      bucketValue,
      bucketFirst,
      runEnd,
      runValue,
    };
    for (let i = 0, k = 0; i < T; i++) {
      if (counts[i] !== 1) continue;
      const id = historyOfTranche[i]!;
      table.draw[k] = drawAt[i]!;
      table.length[k] = historyLength[i]!;
      table.from[k] = drawFrom[i]!;
      table.span[k] = historyLength[i]! - drawFrom[i]!;
      table.bucketAt[k] = bucketBase[id]!;
      table.buckets[k] = bucketCount[id]!;
      table.base[k] = base[i]!;
      table.cell[k] = groupOf[i]! * H;
      table.quantity[k] = input.tranches[i]!.quantity;
      k++;
    }
    job = { runs: R, seed, draws, table, onHand: Float64Array.from(input.groups, (g) => g.onHand), consumption: Float64Array.from(input.groups, (g) => g.dailyConsumption) };
  }
  return { input, dates, base, byGroup, job };
}

/**
 * A forecast up to its Monte Carlo runs (`prepareForecast`), which `finishForecast` completes from the
 * runs' result: the runs, the longest part, can go to another thread (`job` is plain data).
 */
export interface PreparedForecast {
  input: ForecastInput;
  dates: string[];
  /** Per tranche: promised day index after any what-if. */
  base: Int32Array;
  /** Per group: its tranches (indices), what-if removals left out. */
  byGroup: Map<string, number[]>;
  /** The Monte Carlo runs to make; null when no run is asked for. */
  job: MonteCarloJob | null;
}

/**
 * The report of a prepared forecast from the result of its job's runs (`runMonteCarlo(prepared.job)`, in
 * this thread or another; null when `job` is null).
 */
export function finishForecast(prepared: PreparedForecast, runs: MonteCarloResult | null): ForecastReport {
  const { input, dates, base, byGroup } = prepared;
  const H = input.horizonDays;
  const R = runs === null ? 0 : input.runs ?? 1000;
  const seed = input.seed ?? 1;
  const dateOf = (d: number): string | null => (d < 0 || d >= H ? null : (dates[d] ?? null));
  const groups: GroupForecast[] = input.groups.map((g, k) => {
    const idx = byGroup.get(g.group) ?? [];
    const promised: Arrival[] = idx.map((i) => ({ day: Math.max(0, base[i]!), quantity: input.tranches[i]!.quantity }));
    const det = projectStock(g.onHand, g.dailyConsumption, promised, H);
    const deterministic: StockProjection = {
      stock: Array.from(det.stock),
      firstStockOut: det.firstStockOutDay < 0 ? null : dateOf(det.firstStockOutDay),
      shortfall: det.shortfall,
    };
    const incomingWithinHorizon = promised.reduce((s, a) => (a.day < H ? s + a.quantity : s), 0);
    if (R === 0) return { group: g.group, onHand: g.onHand, dailyConsumption: g.dailyConsumption, tranches: idx.length, incomingWithinHorizon, deterministic, monteCarlo: null };

    const c = g.dailyConsumption;
    const dayMajor = runs!.stock[k]!;
    const firstOut = runs!.firstOut[k]!;
    const shortfalls = runs!.shortfalls[k]!;
    const outCount = runs!.outCount[k]!;
    const k10 = nearestRankIndex(R, 10);
    const k50 = nearestRankIndex(R, 50);
    const k90 = nearestRankIndex(R, 90);
    const p10 = new Array<number>(H);
    const p50 = new Array<number>(H);
    const p90 = new Array<number>(H);
    const stockOutProbability = new Array<number>(H);
    let cumulative = 0;
    for (let d = 0; d < H; d++) {
      const slice = dayMajor.subarray(d * R, d * R + R);
      select(slice, k10, 0, R - 1);
      select(slice, k50, k10, R - 1);
      select(slice, k90, k50, R - 1);
      p10[d] = slice[k10]!;
      p50[d] = slice[k50]!;
      p90[d] = slice[k90]!;
      cumulative += outCount[d]!;
      stockOutProbability[d] = cumulative / R;
    }
    firstOut.sort();
    shortfalls.sort();
    return {
      group: g.group,
      onHand: g.onHand,
      dailyConsumption: c,
      tranches: idx.length,
      incomingWithinHorizon,
      deterministic,
      monteCarlo: {
        runs: R,
        p10,
        p50,
        p90,
        stockOutProbability,
        probabilityOfStockOut: runs!.outRuns[k]! / R,
        firstStockOut: { p10: dateOf(firstOut[k10]!), p50: dateOf(firstOut[k50]!), p90: dateOf(firstOut[k90]!) },
        shortfall: { p10: shortfalls[k10]!, p50: shortfalls[k50]!, p90: shortfalls[k90]!, mean: runs!.shortfallSum[k]! / R },
      },
    };
  });

  return { start: input.start, horizonDays: H, dates, seed, runs: R, groups };
}
