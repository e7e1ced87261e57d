import { CamelCasePlugin, Kysely, PostgresDialect, PGliteDialect, sql } from 'kysely';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { Database } from './schema.ts';

/** Where the data lives: an embedded PGlite directory (or memory) or a PostgreSQL server. */
export type DbTarget =
  | { kind: 'pglite'; /** Directory, or undefined for an in-memory database. */ path?: string }
  | { kind: 'postgres'; url: string; /** Schema to work in (tests isolate by schema). */ schema?: string };

export interface DbHandle {
  db: Kysely<Database>;
  target: DbTarget;
  close(): Promise<void>;
}

/** PostgreSQL type oids Concord parses the same way on both drivers. */
const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;

/**
 * One parsing rule for both drivers: bigint and numeric become JS numbers (Concord keeps quantities and
 * minor units under 2^53), dates stay `YYYY-MM-DD` strings so no time zone can shift them.
 */
const parsers: Record<number, (value: string) => unknown> = {
  [INT8]: (v) => Number(v),
  [NUMERIC]: (v) => Number(v),
  [DATE]: (v) => v,
};

/** Picks the database from `--db PATH`, then `DATABASE_URL`, then the default ./data/db directory. */
export function resolveDbTarget(opts: { db?: string | undefined; env?: NodeJS.ProcessEnv }): DbTarget {
  const env = opts.env ?? process.env;
  if (opts.db) {
    if (/^postgres(ql)?:\/\//.test(opts.db)) return { kind: 'postgres', url: opts.db };
    return opts.db === ':memory:' ? { kind: 'pglite' } : { kind: 'pglite', path: opts.db };
  }
  if (env.DATABASE_URL) return { kind: 'postgres', url: env.DATABASE_URL };
  return { kind: 'pglite', path: 'data/db' };
}

/** Opens Kysely over the target; the same queries and migrations run on both. */
export async function openDb(target: DbTarget): Promise<DbHandle> {
  if (target.kind === 'pglite') {
    const client = await PGlite.create(target.path ?? 'memory://', { parsers });
    const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite: client }), plugins: [new CamelCasePlugin()] });
    return {
      db,
      target,
      close: async () => {
        await db.destroy();
        if (!client.closed) await client.close();
      },
    };
  }
  const pool = new pg.Pool({
    connectionString: target.url,
    max: 10,
    types: { getTypeParser: ((oid: number, format?: string) => parsers[oid] ?? pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser },
    ...(target.schema ? { options: `-c search_path=${target.schema}` } : {}),
  });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it. Queries in flight report their own error.
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [new CamelCasePlugin()] });
  return { db, target, close: () => db.destroy() };
}

/** Whether the database answers a trivial query. */
export async function pingDb(db: Kysely<Database>): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
