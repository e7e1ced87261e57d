import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type DbHandle } from '../../store/db.ts';
import { migrateToLatest } from '../../store/migrate.ts';
import { loadReferenceData } from '../../store/reference/load-reference-data.ts';
import { loadDemoScenario } from '../demo/load-demo-scenario.ts';
import { SYSTEM_ACTOR } from '../context.ts';
import { exportEntity } from './export-entity.ts';
import { importFile } from './import-file.ts';
import { IMPORT_ENTITIES } from './entity.ts';

/** The whole demo scenario (data written by other code paths than the importer) survives export and import. */
describe('export then import of the demo scenario', () => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await openDb({ kind: 'pglite' });
    await migrateToLatest(h.db);
    await loadReferenceData(h.db);
    await loadDemoScenario(h.db, {});
  });
  afterAll(async () => {
    await h?.close();
  });

  it.each(IMPORT_ENTITIES.flatMap((entity) => (['csv', 'xlsx'] as const).map((format) => [entity, format] as const)))('round-trips %s as %s with every row unchanged', async (entity, format) => {
    const audit = await h.db.selectFrom('auditLog').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const { rows } = await exportEntity({ db: h.db }, SYSTEM_ACTOR, { entity, format, out });
    out.end();
    const report = await importFile({ db: h.db }, SYSTEM_ACTOR, { entity, format, data: Buffer.concat(chunks) });
    expect(report.issues).toEqual([]);
    expect(rows).toBeGreaterThan(100);
    expect(report).toMatchObject({ rows, unchanged: rows, created: 0, updated: 0 });
    expect(await h.db.selectFrom('auditLog').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).toEqual(audit);
  });
});
