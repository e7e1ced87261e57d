// The forecast's Monte Carlo runs and their random numbers, in plain JavaScript with no imports: the one
// module that both this thread (through forecast.ts and random.ts) and a worker thread load as it is, under
// tsx, vitest and the CLI bundle alike (a worker is started from a file, and a TypeScript file needs a
// loader there). Types: monte-carlo.d.mts. Pure functions of their arguments.

/** A bucket of a history that spans runs of different values: the draw steps through the runs. */
export const NONE = -2147483648;

/**
 * The state of the SFC32 generator seeded with `seed` (four 32-bit words), after the discarded first
 * numbers: the seed spread over the words by a SplitMix32-style mixer (add the golden-ratio constant, then
 * xor-shift-multiply), so that neighbouring seeds give unrelated streams.
 */
export function sfc32State(seed) {
  let s = seed >>> 0;
  const mix = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  const state = new Int32Array([mix(), mix(), mix(), mix()]);
  // Discard the first outputs, which still show the structure of the seeding.
  sfc32Fill(state, new Float64Array(12), 12);
  return state;
}

/**
 * Writes the next `count` numbers in [0, 1) of the "small fast counting" generator (three mixing words and a
 * counter: a period of at least 2^32) into `out`, and advances `state`. The steps run on local copies of the
 * state, many numbers at a time: a Monte Carlo run draws 10,000s at once.
 */
export function sfc32Fill(state, out, count) {
  let sa = state[0] | 0;
  let sb = state[1] | 0;
  let sc = state[2] | 0;
  let sd = state[3] | 0;
  for (let i = 0; i < count; i++) {
    const t = (((sa + sb) | 0) + sd) | 0;
    sd = (sd + 1) | 0;
    sa = sb ^ (sb >>> 9);
    sb = (sc + (sc << 3)) | 0;
    sc = (sc << 21) | (sc >>> 11);
    sc = (sc + t) | 0;
    out[i] = (t >>> 0) / 4294967296;
  }
  state[0] = sa;
  state[1] = sb;
  state[2] = sc;
  state[3] = sd;
}

/**
 * Adds one run's arrivals to `incoming` (group × day), drawing the run's random numbers as it goes: the
 * generator's next number is draw index i; the tranche that counts with `draw[m] === i` takes it (the others'
 * numbers are drawn and dropped, so the stream stays that of every tranche with a history, in input order).
 * Each tranche's slippage is the history entry its number picks among those it may draw. The same numbers
 * and sums, in the same order, as drawing the run's numbers into an array first, without writing and
 * reading back 8 bytes per number. A function of its own, so that the hot loop reads locals.
 */
function addArrivals(t, state, draws, incoming) {
  const { horizon, draw, length, from, span, bucketAt, buckets, base, cell, quantity, bucketValue, bucketFirst, runEnd, runValue } = t;
  const M = draw.length;
  let sa = state ? state[0] | 0 : 0;
  let sb = state ? state[1] | 0 : 0;
  let sc = state ? state[2] | 0 : 0;
  let sd = state ? state[3] | 0 : 0;
  let m = 0;
  let i = 0;
  while (m < M) {
    const n = length[m];
    let slip = 0;
    if (n > 0) {
      // The generator up to this tranche's number (sfc32Fill's step).
      const want = draw[m];
      let x = 0;
      for (; i <= want; i++) {
        x = (((sa + sb) | 0) + sd) | 0;
        sd = (sd + 1) | 0;
        sa = sb ^ (sb >>> 9);
        sb = (sc + (sc << 3)) | 0;
        sc = (sc << 21) | (sc >>> 11);
        sc = (sc + x) | 0;
      }
      const j = from[m] + Math.floor(((x >>> 0) / 4294967296) * span[m]);
      const b = bucketAt[m] + Math.floor((j * buckets[m]) / n);
      slip = bucketValue[b];
      if (slip === NONE) {
        let run = bucketFirst[b];
        while (runEnd[run] <= j) run++;
        slip = runValue[run];
      }
    }
    const a = base[m] + slip;
    const day = a < 0 ? 0 : a;
    if (day < horizon) incoming[cell[m] + day] = incoming[cell[m] + day] + quantity[m];
    m++;
  }
  // The rest of the run's numbers, drawn and dropped.
  for (; i < draws; i++) {
    const x = (((sa + sb) | 0) + sd) | 0;
    sd = (sd + 1) | 0;
    sa = sb ^ (sb >>> 9);
    sb = (sc + (sc << 3)) | 0;
    sc = (sc << 21) | (sc >>> 11);
    sc = (sc + x) | 0;
  }
  if (state) {
    state[0] = sa;
    state[1] = sb;
    state[2] = sc;
    state[3] = sd;
  }
}

const EPS = 1e-9;

/** A result's arrays for `groups` groups, `runs` runs and `horizon` days, all zero. */
function emptyResult(groups, runs, horizon) {
  return {
    stock: Array.from({ length: groups }, () => new Float64Array(runs * horizon)),
    firstOut: Array.from({ length: groups }, () => new Float64Array(runs)),
    shortfalls: Array.from({ length: groups }, () => new Float64Array(runs)),
    outCount: Array.from({ length: groups }, () => new Float64Array(horizon)),
    outRuns: new Float64Array(groups),
    shortfallSum: new Float64Array(groups),
  };
}

/** Advances `state` past `count` numbers of the generator, drawn in blocks and dropped. */
function sfc32Skip(state, count) {
  const block = new Float64Array(Math.min(count, 65536));
  for (let left = count; left > 0; left -= block.length) sfc32Fill(state, block, Math.min(left, block.length));
}

/**
 * The runs `first` … `last − 1` of a Monte Carlo job (see monte-carlo.d.mts; all of them by default): per run,
 * the random numbers of every tranche with a history, the arrivals of the tranches that count, then each
 * group's stock day by day. Run r draws the generator's numbers r × draws … (r + 1) × draws − 1 whichever
 * part of the runs is asked for, so that `mergeMonteCarlo` of parts gives the result of all the runs at once.
 * Returns per group the stock of every day and run (`stock[k][d * n + r − first]`, n = last − first), each run's
 * first stock-out day (horizon when none) and shortfall, the runs first stocking out on each day, and the
 * counts and sums over the runs.
 */
export function runMonteCarlo(job, first = 0, last = job.runs) {
  const { table, draws, seed, onHand, consumption } = job;
  const R = last - first;
  const H = table.horizon;
  const G = onHand.length;
  const { stock, firstOut, shortfalls, outCount, outRuns, shortfallSum } = emptyResult(G, R, H);
  const state = draws > 0 ? sfc32State(seed) : null;
  if (state) sfc32Skip(state, first * draws);
  const incoming = new Float64Array(G * H);
  for (let r = 0; r < R; r++) {
    incoming.fill(0);
    addArrivals(table, state, draws, incoming);
    for (let k = 0; k < G; k++) {
      const c = consumption[k];
      const out = stock[k];
      let s = onHand[k];
      let firstDay = -1;
      let short = 0;
      for (let d = 0; d < H; d++) {
        s += incoming[k * H + d];
        if (s + EPS >= c) {
          s = s > c ? s - c : 0;
        } else {
          short += c - s;
          if (firstDay < 0) firstDay = d;
          s = 0;
        }
        out[d * R + r] = s;
      }
      firstOut[k][r] = firstDay < 0 ? H : firstDay;
      shortfalls[k][r] = short;
      shortfallSum[k] = shortfallSum[k] + short;
      if (firstDay >= 0) {
        outCount[k][firstDay] = outCount[k][firstDay] + 1;
        outRuns[k] = outRuns[k] + 1;
      }
    }
  }
  return { stock, firstOut, shortfalls, outCount, outRuns, shortfallSum };
}

/**
 * The result of runs 0 … runs − 1 from the results of consecutive parts of them (`runMonteCarlo(job, first,
 * last)`, in order): the same arrays, bit for bit, as one `runMonteCarlo(job)`. The sums of shortfalls are
 * added again run by run, in the order one pass adds them; the counts are whole numbers.
 */
export function mergeMonteCarlo(parts, runs, horizon) {
  const G = parts[0].outRuns.length;
  const H = horizon;
  const { stock, firstOut, shortfalls, outCount, outRuns, shortfallSum } = emptyResult(G, runs, H);
  let first = 0;
  for (const part of parts) {
    const n = part.firstOut[0]?.length ?? 0;
    for (let k = 0; k < G; k++) {
      for (let d = 0; d < H; d++) stock[k].set(part.stock[k].subarray(d * n, (d + 1) * n), d * runs + first);
      firstOut[k].set(part.firstOut[k], first);
      shortfalls[k].set(part.shortfalls[k], first);
      for (let d = 0; d < H; d++) outCount[k][d] = outCount[k][d] + part.outCount[k][d];
      outRuns[k] = outRuns[k] + part.outRuns[k];
    }
    first += n;
  }
  for (let k = 0; k < G; k++) {
    let sum = 0;
    for (let r = 0; r < runs; r++) sum = sum + shortfalls[k][r];
    shortfallSum[k] = sum;
  }
  return { stock, firstOut, shortfalls, outCount, outRuns, shortfallSum };
}
