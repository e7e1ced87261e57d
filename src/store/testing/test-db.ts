import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDb, type DbHandle } from '../db.ts';
import { migrateToLatest } from '../migrate.ts';

/** A database engine the store, service and API tests run against. */
export interface TestBackend {
  name: 'pglite' | 'postgres';
  /** Opens a fresh, migrated, empty database that no other test file sees. */
  open(): Promise<DbHandle>;
}

/**
 * The backends to test on: embedded PGlite always; the PostgreSQL server when `DATABASE_URL` is set or in
 * CI (where it must be reachable: an unreachable server fails the tests instead of skipping them).
 */
export function testBackends(): TestBackend[] {
  const backends: TestBackend[] = [{ name: 'pglite', open: openPglite }];
  const url = process.env.DATABASE_URL ?? (process.env.CI ? 'postgres://postgres@127.0.0.1:5432/test' : undefined);
  if (url) backends.push({ name: 'postgres', open: () => openPostgresSchema(url) });
  return backends;
}

async function openPglite(): Promise<DbHandle> {
  const handle = await openDb({ kind: 'pglite' });
  await migrateToLatest(handle.db);
  return handle;
}

/** Each test file works in its own schema of the server, dropped when it closes. */
async function openPostgresSchema(url: string): Promise<DbHandle> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`create schema ${schema}`);
  } finally {
    await admin.end();
  }
  const handle = await openDb({ kind: 'postgres', url, schema });
  await migrateToLatest(handle.db);
  return {
    ...handle,
    close: async () => {
      await handle.close();
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      try {
        await cleanup.query(`drop schema ${schema} cascade`);
      } finally {
        await cleanup.end();
      }
    },
  };
}
