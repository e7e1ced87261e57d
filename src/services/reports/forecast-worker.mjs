// A worker thread of `forecastOffThread` (forecast-thread.ts): runs the Monte Carlo jobs (or the part of
// their runs) it is sent and answers each with its result. Plain JavaScript importing only monte-carlo.mjs, so that it starts the same
// way under tsx, vitest and the CLI bundle (which points at this file in the source tree).
import { parentPort } from 'node:worker_threads';
import { runMonteCarlo } from '../../engine/forecast/monte-carlo.mjs';

parentPort.on('message', ({ id, job, first, last }) => {
  try {
    const result = runMonteCarlo(job, first, last);
    const buffers = [...result.stock, ...result.firstOut, ...result.shortfalls, ...result.outCount, result.outRuns, result.shortfallSum].map((a) => a.buffer);
    parentPort.postMessage({ id, result }, buffers);
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
