import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testBackends } from './testing/test-db.ts';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, pingDb, resolveDbTarget, type DbHandle } from './db.ts';
import { migrateToLatest } from './migrate.ts';

describe('resolveDbTarget', () => {
  it('prefers --db, then DATABASE_URL, then ./data/db', () => {
    expect(resolveDbTarget({ db: 'x/y', env: { DATABASE_URL: 'postgres://h/d' } })).toEqual({ kind: 'pglite', path: 'x/y' });
    expect(resolveDbTarget({ db: 'postgres://a/b', env: {} })).toEqual({ kind: 'postgres', url: 'postgres://a/b' });
    expect(resolveDbTarget({ env: { DATABASE_URL: 'postgres://h/d' } })).toEqual({ kind: 'postgres', url: 'postgres://h/d' });
    expect(resolveDbTarget({ env: {} })).toEqual({ kind: 'pglite', path: 'data/db' });
  });
});

describe('the embedded database directory', () => {
  it('is opened by one process at a time: a second open is refused by name and pid, and a closed or dead owner frees it', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'concord-lock-')), 'db');
    const first = await openDb({ kind: 'pglite', path: dir });
    expect(existsSync(`${dir}.lock`)).toBe(true);
    const refused = await openDb({ kind: 'pglite', path: dir }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'conflict', message: expect.stringContaining(`in use by another Concord process (pid ${process.pid}`) });
    await first.close();
    expect(existsSync(`${dir}.lock`)).toBe(false);
    // A lock left by a process that has exited is taken over.
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(`${dir}.lock`, `${gone.stdout}\n`);
    const again = await openDb({ kind: 'pglite', path: dir });
    expect(await pingDb(again.db)).toBe(true);
    await again.close();
  });
});

describe.each(testBackends())('store on $name', (backend) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await backend.open();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers a ping and has nothing left to migrate', async () => {
    expect(await pingDb(h.db)).toBe(true);
    expect(await migrateToLatest(h.db)).toEqual([]);
  });

  it('migrates a second database beside this one (schemas on one server do not see each other)', async () => {
    const other = await backend.open();
    try {
      expect(await migrateToLatest(other.db)).toEqual([]);
      await other.db.insertInto('itemGroups').values({ code: 'only-here', name: 'G', capabilityArea: 'ammunition' }).execute();
      const mine = await h.db.selectFrom('itemGroups').select('code').where('code', '=', 'only-here').execute();
      expect(mine).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('parses bigint and numeric as numbers and dates as ISO strings on both drivers', async () => {
    const row = await sql<{ big: number; num: number; day: string }>`select 9007199254740991::bigint as big, 2.5::numeric as num, date '2026-03-01' as day`.execute(h.db);
    expect(row.rows[0]).toEqual({ big: 9007199254740991, num: 2.5, day: '2026-03-01' });
  });

  it('refuses a requirement with a non-positive quantity in the database itself', async () => {
    await h.db.insertInto('itemGroups').values({ code: 'g1', name: 'G', capabilityArea: 'ammunition' }).execute();
    await expect(
      h.db.insertInto('requirements').values({ id: 'R-1', accepts: ['g1'], capabilityArea: 'ammunition', quantity: 0, priority: 1, needBy: '2026-01-01', uses: [], status: 'draft', title: '', notes: '', itemCode: null }).execute(),
    ).rejects.toThrow(/check/i);
  });
});
