import { Worker } from 'node:worker_threads';
import { finishForecast, prepareForecast, type ForecastInput, type ForecastReport } from '../../engine/forecast/index.ts';
import type { MonteCarloJob, MonteCarloResult } from '../../engine/forecast/monte-carlo.mjs';

/**
 * The stock-out forecast with its Monte Carlo runs on a worker thread: the same report as `forecastStock`
 * (the same module runs the same job), while this thread reads the reports' other query results meanwhile
 * (the brief's coverage and burden sharing). The checks and the preparation run here, so bad input fails
 * as it does in `forecastStock`.
 */
export async function forecastOffThread(input: ForecastInput): Promise<ForecastReport> {
  const prepared = prepareForecast(input);
  return finishForecast(prepared, prepared.job && (await runOffThread(prepared.job)));
}

/** Starts the worker thread now, if it is not running yet, so that it is ready when a forecast's data is. */
export function startForecastThread(): void {
  forecastThread();
}

interface Pending {
  resolve(result: MonteCarloResult): void;
  reject(error: Error): void;
}

/** One worker per process, started on first use and kept; it holds the process open only while it works. */
let thread: { worker: Worker; pending: Map<number, Pending> } | null = null;
let nextJob = 0;

function forecastThread(): NonNullable<typeof thread> {
  if (thread) return thread;
  const worker = new Worker(new URL('./forecast-worker.mjs', import.meta.url));
  const started = { worker, pending: new Map<number, Pending>() };
  const fail = (error: Error) => {
    if (thread === started) thread = null;
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
  thread = started;
  return started;
}

function runOffThread(job: MonteCarloJob): Promise<MonteCarloResult> {
  const { worker, pending } = forecastThread();
  const id = nextJob++;
  return new Promise<MonteCarloResult>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    worker.ref();
    worker.postMessage({ id, job });
  });
}
