import { CamelCasePlugin, Kysely, PostgresDialect, PGliteDialect, sql, type Transaction } from 'kysely';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DomainError } from '../domain/errors.ts';
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
    const release = target.path ? lockDirectory(target.path) : () => {};
    let client: PGlite;
    try {
      client = await PGlite.create(target.path ?? 'memory://', { parsers });
    } catch (error) {
      release();
      throw error;
    }
    const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite: client }), plugins: [new CamelCasePlugin()] });
    return {
      db,
      target,
      close: async () => {
        try {
          await db.destroy();
          if (!client.closed) await client.close();
        } finally {
          release();
        }
      },
    };
  }
  const pool = new pg.Pool({
    connectionString: target.url,
    max: POOL_SIZE,
    types: { getTypeParser: ((oid: number, format?: string) => parsers[oid] ?? pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser },
    ...(target.schema ? { options: `-c search_path=${target.schema}` } : {}),
  });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it. Queries in flight report their own error.
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [new CamelCasePlugin()] });
  pools.set(db, pool);
  return { db, target, close: () => db.destroy() };
}

/** Connections a process keeps to a PostgreSQL server, at most. */
export const POOL_SIZE = 10;

/** The pool of each database opened over a PostgreSQL server (PGlite has one connection). */
const pools = new WeakMap<Kysely<Database>, pg.Pool>();

/**
 * Whether a transaction of `db` can hand its snapshot to a second transaction on another connection
 * (`onSharedSnapshot`): a PostgreSQL server reached through a pool, not PGlite's one connection.
 */
export function sharesSnapshots(db: Kysely<Database>): boolean {
  return pools.has(db);
}

/**
 * Whether a second connection can be had now without queueing: one is idle, or the pool may still open
 * one, and nobody waits for one (never on PGlite, which has one connection). A use case that holds a connection must not wait for a second: when
 * every connection is held by such use cases, none would ever be freed.
 */
export function hasSpareConnection(db: Kysely<Database>): boolean {
  const pool = pools.get(db);
  return pool !== undefined && pool.waitingCount === 0 && (pool.idleCount > 0 || pool.totalCount < POOL_SIZE);
}

/**
 * Runs `work` in a second, read-only transaction of `db`, on another connection of the pool, that reads the
 * snapshot `tx` exports (`pg_export_snapshot()` / `SET TRANSACTION SNAPSHOT`, PostgreSQL only): when `tx`
 * is repeatable read, both see exactly the same rows, and their queries run at the same time on the server.
 * - the import is the second transaction's first statement, as PostgreSQL requires; `work` sets anything
 *   else (role, settings) itself;
 * - `tx` must stay open until this returns (the snapshot is valid while its exporter runs).
 */
export async function onSharedSnapshot<T>(db: Kysely<Database>, tx: Transaction<Database>, work: (reader: Transaction<Database>) => Promise<T>): Promise<T> {
  if (!sharesSnapshots(db)) throw new Error('onSharedSnapshot needs a PostgreSQL server (PGlite has one connection)');
  const { rows } = await sql<{ snapshot: string }>`select pg_export_snapshot() as snapshot`.execute(tx);
  const snapshot = rows[0]!.snapshot;
  // An identifier such as 00000003-0000001B-1; written into the statement, which takes no parameters.
  if (!/^[0-9A-F]+(-[0-9A-F]+)+$/i.test(snapshot)) throw new Error(`unexpected snapshot identifier ${snapshot}`);
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (reader) => {
      await sql`set transaction snapshot ${sql.lit(snapshot)}`.execute(reader);
      return work(reader);
    });
}

/** Lock files this process holds, removed if it exits without closing them. */
const heldLocks = new Set<string>();
process.once('exit', () => {
  for (const file of heldLocks) {
    try {
      unlinkSync(file);
    } catch {
      // already gone
    }
  }
});

/**
 * Takes the embedded database directory for this process alone: a second process (or a second open
 * in this one) writing the same PGlite files would corrupt them. The lock is `<dir>.lock`, holding the
 * owner's pid; a lock whose process is gone is taken over. Returns the release.
 */
function lockDirectory(path: string): () => void {
  const file = `${resolve(path)}.lock`;
  mkdirSync(dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number.parseInt(readFileSync(file, 'utf8'), 10);
      if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
        throw new DomainError(
          'conflict',
          `in use by another Concord process (pid ${owner}${owner === process.pid ? ', this one' : ''}); ` +
            'the embedded database takes one process at a time: stop that one first (for example stop `concord serve`, run the command, start it again), ' +
            'or share a PostgreSQL database through DATABASE_URL',
        );
      }
      unlinkSync(file); // its process is gone
      continue;
    }
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    heldLocks.add(file);
    return () => {
      if (!heldLocks.delete(file)) return;
      try {
        unlinkSync(file);
      } catch {
        // already gone
      }
    };
  }
  throw new DomainError('conflict', `could not lock the embedded database ${path} (${file} keeps reappearing)`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
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
