import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../main.ts';
import type { CliIo } from '../io.ts';
import { openDb } from '../../store/db.ts';
import { migrateToLatest } from '../../store/migrate.ts';
import { buildNation } from '../../store/testing/factories.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../../services/import-export/fixtures/${name}`, import.meta.url));

/** Runs `concord` in-process with a capturing io. */
async function concord(args: string[], { isTty = false } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => void out.push(t), err: (t) => void err.push(t), isTty, env: {} };
  const code = await main(args, io);
  return { code, out: out.join(''), err: err.join('\n') };
}

describe('concord import / export (CLI, embedded database)', () => {
  let dir: string;
  let dbPath: string;

  /** Rows and audit entries in the database, read with the CLI closed. */
  async function counts() {
    const h = await openDb({ kind: 'pglite', path: dbPath });
    try {
      const n = async (t: 'pledges' | 'tranches' | 'auditLog' | 'requirements') => Number((await h.db.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      return { pledges: await n('pledges'), tranches: await n('tranches'), requirements: await n('requirements'), audit: await n('auditLog') };
    } finally {
      await h.close();
    }
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'concord-import-'));
    dbPath = join(dir, 'db');
    const h = await openDb({ kind: 'pglite', path: dbPath });
    await migrateToLatest(h.db);
    for (const code of ['DEU', 'POL', 'NLD']) await buildNation(h.db, { code });
    await h.db.insertInto('meetings').values({ id: 'M-T1', kind: 'contact-group', title: 'UDCG 25', date: '2025-10-01', location: '', attendees: [], notes: '' }).execute();
    await h.close();
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('imports a good file of each entity and says what it did', async () => {
    for (const [entity, file, rows] of [['catalog', 'catalog.csv', 5], ['requirements', 'requirements.csv', 4], ['pledges', 'pledges.csv', 5], ['deliveries', 'deliveries.csv', 3]] as const) {
      const r = await concord(['import', entity, fixture(file), '--db', dbPath]);
      expect(r.err, entity).toBe('');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(new RegExp(`^${entity} imported from .* in [\\d.]+ s: ${rows} rows: ${rows} created, 0 updated, 0 unchanged$`));
    }
  });

  it('names exactly the three bad rows of a pledges file, exits 2 and writes nothing', async () => {
    const before = await counts();
    const r = await concord(['import', 'pledges', fixture('pledges-three-bad.csv'), '--db', dbPath]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.split('\n')).toEqual([
      `error: ${fixture('pledges-three-bad.csv')}: 3 bad rows of 7; nothing was imported`,
      '  line 3, column quantity: must be positive, not -5',
      '  line 5, column kind: unknown pledge kind "gift"; accepted: in-kind, procurement, funding, training',
      '  line 7, column donor: unknown nation XYZ',
    ]);
    expect(await counts()).toEqual(before);
  });

  it('changes nothing when a file is imported again', async () => {
    const before = await counts();
    const r = await concord(['import', 'pledges', fixture('pledges.csv'), '--db', dbPath]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/5 rows: 0 created, 0 updated, 5 unchanged$/);
    expect(await counts()).toEqual(before);
  });

  it('reports without writing on --dry-run', async () => {
    const before = await counts();
    const text = (await readFile(fixture('requirements.csv'), 'utf8')).replace('R-T4,ifak,,,20000', 'R-T4,ifak,,,21000');
    const file = join(dir, 'changed.csv');
    await writeFile(file, text);
    const r = await concord(['import', 'requirements', file, '--dry-run', '--db', dbPath]);
    expect(r.code).toBe(0);
    expect(r.out).toBe('requirements (dry run, nothing written): 4 rows: 0 created, 1 updated, 3 unchanged');
    expect(await counts()).toEqual(before);
  });

  it('exports CSV to stdout that imports back unchanged, with formulas escaped', async () => {
    const r = await concord(['export', 'requirements', '--db', dbPath]);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toBe('id,item,accepts,capability_area,quantity,priority,need_by,uses,status,title,notes');
    expect(lines).toHaveLength(5);
    expect(lines.find((l) => l.startsWith('R-T3'))).toMatch(/,'=SUM\(A1:A3\)$/);
    const file = join(dir, 'requirements-export.csv');
    await writeFile(file, r.out);
    const again = await concord(['import', 'requirements', file, '--db', dbPath]);
    expect(again.out).toMatch(/4 rows: 0 created, 0 updated, 4 unchanged$/);
  });

  it('exports XLSX to a file that imports back unchanged', async () => {
    const file = join(dir, 'pledges.xlsx');
    const r = await concord(['export', 'pledges', '--output', file, '--db', dbPath]);
    expect(r.code).toBe(0);
    expect(r.err).toBe(`exported 5 pledges rows to ${file}`);
    const bytes = await readFile(file);
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
    const again = await concord(['import', 'pledges', file, '--db', dbPath]);
    expect(again.err).toBe('');
    expect(again.out).toMatch(/5 rows: 0 created, 0 updated, 5 unchanged$/);
  });

  it('shows progress on a terminal for long imports, and not otherwise', async () => {
    const lines = ['id,item,quantity,priority,need_by'];
    for (let i = 0; i < 2500; i++) lines.push(`R-P${i},ifak,1,2,2026-01-01`);
    const file = join(dir, 'many.csv');
    await writeFile(file, `${lines.join('\n')}\n`);
    const quiet = await concord(['import', 'requirements', file, '--dry-run', '--db', dbPath]);
    expect(quiet.err).toBe('');
    const tty = await concord(['import', 'requirements', file, '--db', dbPath], { isTty: true });
    expect(tty.code).toBe(0);
    expect(tty.err).toContain('requirements: read 1000/2500 rows');
    expect(tty.err).toContain('requirements: checking 2500 rows…');
    expect(tty.err).toContain('requirements: writing 2500/2500 changes…');
  });

  describe('bad input', () => {
    it.each([
      [['import', 'widgets', 'x.csv'], /unknown entity "widgets"; choose one of catalog, requirements, pledges, deliveries/],
      [['import', 'pledges', '/no/such/file.csv'], /cannot read \/no\/such\/file.csv: no such file/],
      [['import', 'pledges', 'file.ods'], /cannot tell the format of file.ods from its name: pass --format csv or --format xlsx/],
      [['import', 'pledges', 'file.csv', '--format', 'ods'], /--format must be csv or xlsx, not "ods"/],
      [['export', 'pledges', '--format', 'xlsx'], /XLSX is a binary file: name it with --output FILE.xlsx/],
      [['import', 'pledges'], /missing required argument 'file'/],
    ])('refuses %j with exit code 2', async (args, message) => {
      const r = await concord([...args, '--db', dbPath]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
    });

    it('refuses a malformed file with a clear message and exit code 2', async () => {
      const utf16 = join(dir, 'utf16.csv');
      await writeFile(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('id,donor\n', 'utf16le')]));
      const r = await concord(['import', 'pledges', utf16, '--db', dbPath]);
      expect(r.code).toBe(2);
      expect(r.err).toBe('error: the file is UTF-16 text; save it as "CSV UTF-8" and import it again');
      const ragged = join(dir, 'ragged.csv');
      await writeFile(ragged, 'id,tranche,quantity,shipped_on\nD-1,P-T1/T2,1,2026-01-01,extra\n');
      const r2 = await concord(['import', 'deliveries', ragged, '--db', dbPath]);
      expect(r2.code).toBe(2);
      expect(r2.err.split('\n')).toEqual([
        "error: the file's layout is wrong (1 problem); nothing was imported",
        '  line 2: has 5 cells but the header has 4 columns (a ragged row: check for an unquoted comma)',
      ]);
    });
  });
});
