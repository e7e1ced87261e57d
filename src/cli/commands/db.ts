import type { Command } from 'commander';
import type { CliIo } from '../io.ts';
import { withDb } from '../with-db.ts';
import { migrateToLatest } from '../../store/migrate.ts';

/** `concord db migrate`: applies pending migrations to the embedded database or DATABASE_URL. */
export function registerDb(program: Command, io: CliIo): void {
  const db = program.command('db').description('database maintenance');
  db.command('migrate')
    .description('apply pending migrations')
    .option('--db <path>', 'embedded database directory (default ./data/db), or a postgres:// URL')
    .action(async (opts: { db?: string }) => {
      await withDb(opts, io, async (handle) => {
        const applied = await migrateToLatest(handle.db);
        io.out(applied.length === 0 ? 'database is up to date' : `applied ${applied.join(', ')}`);
      }, { migrate: false });
    });
}
