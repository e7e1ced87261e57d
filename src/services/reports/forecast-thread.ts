import { Worker } from 'node:worker_threads';
import { finishForecast, prepareForecast, type ForecastInput, type ForecastReport } from '../../engine/forecast/index.ts';
import { mergeMonteCarlo, type MonteCarloJob, type MonteCarloResult } from '../../engine/forecast/monte-carlo.mjs';

/**
 * The stock-out forecast with its Monte Carlo runs on worker threads: the same report as `forecastStock`
 * (the same module runs the same job), while this thread reads the reports' other query results meanwhile
 * (the brief's coverage and burden sharing). With `threads` 2, each of two workers runs half of the runs
 * (the forecast report, whose thread has nothing else to do meanwhile); their halves make the same result
 * as one pass. The checks and the preparation run here, so bad input fails as it does in `forecastStock`.
 */
export async function forecastOffThread(input: ForecastInput, threads: 1 | 2 = 1): Promise<ForecastReport> {
  const prepared = prepareForecast(input);
  const job = prepared.job;
  if (!job) return finishForecast(prepared, null);
  if (threads === 1 || job.runs < 2) return finishForecast(prepared, await runOffThread(0, job, 0, job.runs));
  const half = Math.floor(job.runs / 2);
  const parts = await Promise.all([runOffThread(0, job, 0, half), runOffThread(1, job, half, job.runs)]);
  return finishForecast(prepared, mergeMonteCarlo(parts, job.runs, job.table.horizon));
}

/** Starts the first worker thread now, if it is not running yet, so that it is ready when a forecast's data is. */
export function startForecastThread(): void {
  forecastThread(0);
}

interface Pending {
  resolve(result: MonteCarloResult): void;
  reject(error: Error): void;
}

/** Up to two workers per process, each started on first use and kept; one holds the process open only while it works. */
const workers: ({ worker: Worker; pending: Map<number, Pending> } | null)[] = [null, null];
let nextJob = 0;

function forecastThread(slot: number): NonNullable<(typeof workers)[number]> {
  const running = workers[slot];
  if (running) return running;
  const worker = new Worker(new URL('./forecast-worker.mjs', import.meta.url));
  const started = { worker, pending: new Map<number, Pending>() };
  const fail = (error: Error) => {
    if (workers[slot] === started) workers[slot] = null;
    for (const p of started.pending.values()) p.reject(error);
    started.pending.clear();
  };
  worker.on('message', (m: { id: number; result?: MonteCarloResult; error?: string }) => {
    const p = started.pending.get(m.id);
    if (!p) return;
    started.pending.delete(m.id);
    if (started.pending.size === 0) worker.unref();
    if (m.result) p.resolve(m.result);
    else p.reject(new Error(`the forecast's Monte Carlo runs failed: ${m.error}`));
  });
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the forecast's worker thread stopped (exit code ${code})`)));
  worker.unref();
  workers[slot] = started;
  return started;
}

/** Runs `first` … `last − 1` of the job on worker `slot`. */
function runOffThread(slot: number, job: MonteCarloJob, first: number, last: number): Promise<MonteCarloResult> {
  const { worker, pending } = forecastThread(slot);
  const id = nextJob++;
  return new Promise<MonteCarloResult>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    worker.ref();
    worker.postMessage({ id, job, first, last });
  });
}
