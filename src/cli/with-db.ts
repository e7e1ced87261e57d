import type { DbHandle } from '../store/db.ts';
import { CliError, type CliIo } from './io.ts';

/** Opens the database a command names with `--db PATH` or `DATABASE_URL`, migrated, and closes it after. */
export async function withDb<T>(
  opts: { db?: string | undefined },
  io: CliIo,
  work: (handle: DbHandle) => Promise<T>,
  { migrate = true } = {},
): Promise<T> {
  // The drivers load here, not at start-up: commands that need no database start faster.
  const { openDb, resolveDbTarget } = await import('../store/db.ts');
  const { migrateToLatest } = await import('../store/migrate.ts');
  const target = resolveDbTarget({ db: opts.db, env: io.env });
  let handle: DbHandle;
  try {
    handle = await openDb(target);
    if (migrate) await migrateToLatest(handle.db);
  } catch (error) {
    const where = target.kind === 'postgres' ? 'the PostgreSQL server in DATABASE_URL' : `the embedded database at ${target.path ?? 'memory'}`;
    throw new CliError(`cannot open ${where}: ${(error as Error).message}`);
  }
  try {
    return await work(handle);
  } finally {
    await handle.close();
  }
}
