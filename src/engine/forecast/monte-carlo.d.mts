/** A bucket of a history that spans runs of different values: the draw steps through the runs. */
export declare const NONE: number;

/** The state of the SFC32 generator seeded with `seed`, after the discarded first numbers. */
export declare function sfc32State(seed: number): Int32Array;

/** Writes the next `count` numbers in [0, 1) of the generator into `out[0 … count − 1]` and advances `state`. */
export declare function sfc32Fill(state: Int32Array, out: Float64Array, count: number): void;

/**
 * The tranches a Monte Carlo run draws for (those that can land within the horizon), in draw order, and the
 * histories' bucket tables (see `forecastStock`).
 */
export interface DrawTable {
  horizon: number;
  /** Per tranche: index of its number among a run's random numbers. */
  draw: Int32Array;
  /** Per tranche: length of its history (0: no slippage), first index it may draw, and how many it may. */
  length: Int32Array;
  from: Int32Array;
  span: Int32Array;
  /** Per tranche: where its history's buckets start in `bucketValue` / `bucketFirst`, and how many. */
  bucketAt: Int32Array;
  buckets: Int32Array;
  /** Per tranche: promised day index (after any what-if), group's offset in `incoming`, units. */
  base: Int32Array;
  cell: Int32Array;
  quantity: Float64Array;
  bucketValue: Int32Array;
  bucketFirst: Int32Array;
  runEnd: Int32Array;
  runValue: Int32Array;
}

/** Everything the runs need, as plain data (typed arrays and numbers): it can be posted to a worker thread. */
export interface MonteCarloJob {
  runs: number;
  seed: number;
  /** Random numbers drawn per run (one per tranche with a history, removed ones included). */
  draws: number;
  table: DrawTable;
  /** Per group (in the input's order): units on hand at the start, units consumed per day. */
  onHand: Float64Array;
  consumption: Float64Array;
}

/** Per group: the stock of every day and run (`stock[k][d * runs + r]`), and per run its first stock-out day (horizon when none) and shortfall. */
export interface MonteCarloResult {
  stock: Float64Array[];
  firstOut: Float64Array[];
  shortfalls: Float64Array[];
  /** Per group and day: runs that first stock out on that day. */
  outCount: Float64Array[];
  /** Per group: runs that stock out, and the sum of the runs' shortfalls. */
  outRuns: Float64Array;
  shortfallSum: Float64Array;
}

/** The runs `first` … `last − 1` of a Monte Carlo job (all of them by default); run r draws the same numbers whichever part is asked for. */
export declare function runMonteCarlo(job: MonteCarloJob, first?: number, last?: number): MonteCarloResult;

/** The result of all `runs` runs from the results of consecutive parts of them, in order: the same arrays as one runMonteCarlo(job). */
export declare function mergeMonteCarlo(parts: MonteCarloResult[], runs: number, horizon: number): MonteCarloResult;
