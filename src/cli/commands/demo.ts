import type { Command } from 'commander';
import { demoSummary, loadDemoScenario, type DemoProgress } from '../../services/demo/index.ts';
import { SYSTEM_ACTOR } from '../../services/context.ts';
import { intFlag, type CliIo } from '../io.ts';
import { withDb } from '../with-db.ts';

/** A one-line progress bar on a terminal; nothing when stderr is a file or a pipe. */
export function progressPrinter(io: CliIo, label: string): (p: DemoProgress) => void {
  if (!io.isTty) return () => {};
  return (p) => {
    const width = 30;
    const done = p.chunks === 0 ? width : Math.round((p.chunksDone / p.chunks) * width);
    process.stderr.write(`\r${label} [${'#'.repeat(done)}${'.'.repeat(width - done)}] ${p.chunksDone}/${p.chunks} chunks, ${p.rows.toLocaleString('en-GB')} rows`);
    if (p.chunksDone === p.chunks) process.stderr.write('\n');
  };
}

/** `concord demo`: loads reference data and the deterministic demo scenario. */
export function registerDemo(program: Command, io: CliIo): void {
  program
    .command('demo')
    .description('load reference data and the seeded demo scenario (scale N multiplies it for load tests)')
    .option('--scale <n>', 'multiply requirements, pledges and deliveries by N (default 1)')
    .option('--seed <n>', 'seed of the generator (default 42)')
    .option('--replace', 'delete existing scenario records first')
    .option('--db <path>', 'embedded database directory (default ./data/db), or a postgres:// URL')
    .action(async (opts: { scale?: string; seed?: string; replace?: boolean; db?: string }) => {
      const scale = intFlag('scale', opts.scale, { min: 1, max: 1000 }) ?? 1;
      const seed = intFlag('seed', opts.seed, { min: 0, max: 2 ** 31 - 1 }) ?? 42;
      await withDb(opts, io, async (handle) => {
        const result = await loadDemoScenario(handle.db, { seed, scale, replace: Boolean(opts.replace), actor: SYSTEM_ACTOR, onProgress: progressPrinter(io, 'loading') });
        const counts = await demoSummary(handle.db);
        io.out(`demo scenario loaded (seed ${seed}, scale ${scale}) in ${(result.ms / 1000).toFixed(1)} s`);
        io.out(Object.entries(counts).map(([k, v]) => `  ${k}: ${v.toLocaleString('en-GB')}`).join('\n'));
      });
    });
}
