import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { testBackends } from '../../store/testing/test-db.ts';
import { buildNation } from '../../store/testing/factories.ts';
import type { DbHandle } from '../../store/db.ts';
import { SYSTEM_ACTOR, type Actor } from '../context.ts';
import { importFile, type ImportReport } from './import-file.ts';
import { exportEntity } from './export-entity.ts';
import type { ImportEntity } from './entity.ts';
import type { FileFormat } from './read-table.ts';
import { DomainError } from '../../domain/errors.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const csv = (text: string) => Buffer.from(text, 'utf8');

/** Collects a stream into one buffer. */
async function collect(run: (out: PassThrough) => Promise<unknown>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await run(out);
  out.end();
  return Buffer.concat(chunks);
}

describe.each(testBackends())('import and export on $name', (backend) => {
  let h: DbHandle;
  const deps = () => ({ db: h.db });
  const run = (entity: ImportEntity, data: Uint8Array, format: FileFormat = 'csv', dryRun = false, actor: Actor = SYSTEM_ACTOR): Promise<ImportReport> =>
    importFile(deps(), actor, { entity, data, format, dryRun });
  const exportBytes = (entity: ImportEntity, format: FileFormat, pageSize?: number) =>
    collect((out) => exportEntity(deps(), SYSTEM_ACTOR, { entity, format, out, ...(pageSize ? { pageSize } : {}) }));

  /** Rows in every table an import writes, and audit entries. */
  async function counts() {
    const n = async (table: 'itemTypes' | 'itemGroups' | 'requirements' | 'pledges' | 'tranches' | 'deliveries' | 'auditLog') =>
      Number((await h.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    return {
      itemTypes: await n('itemTypes'),
      itemGroups: await n('itemGroups'),
      requirements: await n('requirements'),
      pledges: await n('pledges'),
      tranches: await n('tranches'),
      deliveries: await n('deliveries'),
      audit: await n('auditLog'),
    };
  }

  beforeAll(async () => {
    h = await backend.open();
    for (const code of ['DEU', 'POL', 'NLD']) await buildNation(h.db, { code });
    await buildNation(h.db, { code: 'UKR', kind: 'recipient' });
    await h.db.insertInto('meetings').values({ id: 'M-T1', kind: 'contact-group', title: 'UDCG 25', date: '2025-10-01', location: 'Brussels', attendees: [], notes: '' }).execute();
  });
  afterAll(async () => {
    await h?.close();
  });

  describe('good files', () => {
    it('imports the catalog, creating groups on first mention and normalising area, unit and currency', async () => {
      const report = await run('catalog', fixture('catalog.csv'));
      expect(report).toMatchObject({ rows: 5, created: 5, updated: 0, unchanged: 0, issues: [], written: true });
      const items = await h.db.selectFrom('itemTypes').selectAll().orderBy('code').execute();
      expect(items.map((i) => [i.code, i.groupCode, i.capabilityArea, i.unit, i.refPriceMinor, i.refPriceCurrency])).toEqual([
        ['155mm-he-dm121', '155mm-he', 'ammunition', 'round', 380000, 'EUR'],
        ['155mm-he-m795', '155mm-he', 'ammunition', 'round', 400000, 'EUR'],
        ['fpv-kit', 'fpv-drones', 'drones', 'kit', 45050, 'EUR'],
        ['ifak', 'ifak', 'medical', 'each', 6500, 'EUR'],
        ['pac-3-mse', 'patriot-interceptor', 'air-defence', 'each', 400000000, 'USD'],
      ]);
      const group = await h.db.selectFrom('itemGroups').selectAll().where('code', '=', '155mm-he').executeTakeFirstOrThrow();
      expect(group).toEqual({ code: '155mm-he', name: '155 mm HE rounds (NATO standard)', capabilityArea: 'ammunition' });
      const audit = await h.db.selectFrom('auditLog').select(['entity', 'action']).execute();
      expect(audit.filter((a) => a.entity === 'catalog')).toHaveLength(5);
      expect(audit.filter((a) => a.entity === 'item-group')).toHaveLength(4);
    });

    it('imports requirements, deriving groups and areas and normalising priorities and statuses', async () => {
      const report = await run('requirements', fixture('requirements.csv'));
      expect(report).toMatchObject({ rows: 4, created: 4, issues: [], written: true });
      const rows = await h.db.selectFrom('requirements').selectAll().orderBy('id').execute();
      expect(rows.map((r) => [r.id, r.accepts, r.capabilityArea, r.priority, r.status, r.uses])).toEqual([
        ['R-T1', ['155mm-he'], 'ammunition', 1, 'submitted', ['cross-border']],
        ['R-T2', ['patriot-interceptor'], 'air-defence', 1, 'draft', []],
        ['R-T3', ['fpv-drones'], 'drones', 3, 'validated', ['front-line', 'cross-border']],
        ['R-T4', ['ifak'], 'medical', 4, 'draft', []],
      ]);
      expect(rows[2]!.notes).toBe('=SUM(A1:A3)');
    });

    it('imports pledges with their tranches, funding in minor units', async () => {
      const report = await run('pledges', fixture('pledges.csv'));
      expect(report.issues).toEqual([]);
      expect(report).toMatchObject({ rows: 5, created: 5, written: true });
      const p1 = await h.db.selectFrom('pledges').selectAll().where('id', '=', 'P-T1').executeTakeFirstOrThrow();
      expect(p1).toMatchObject({ donor: 'DEU', kind: 'in-kind', channel: 'coordinated', groupCode: '155mm-he', capabilityArea: 'ammunition', quantity: 8000, forbids: ['cross-border'], meetingId: 'M-T1', status: 'committed' });
      const p3 = await h.db.selectFrom('pledges').selectAll().where('id', '=', 'P-T3').executeTakeFirstOrThrow();
      expect(p3).toMatchObject({ kind: 'funding', amountMinor: 150_000_000, currency: 'EUR', horizon: 'multi-year', years: [2025, 2026], quantity: null, groupCode: null });
      const p5 = await h.db.selectFrom('pledges').selectAll().where('id', '=', 'P-T5').executeTakeFirstOrThrow();
      expect(p5).toMatchObject({ kind: 'training', horizon: 'one-off', channel: 'coordinated' });
      const tranches = await h.db.selectFrom('tranches').selectAll().where('pledgeId', 'in', ['P-T1', 'P-T3']).orderBy('id').execute();
      expect(tranches.map((t) => [t.id, t.seq, t.quantity, t.amountMinor, t.expectedOn])).toEqual([
        ['P-T1/T1', 1, 5000, null, '2026-01-15'],
        ['P-T1/T2', 2, 3000, null, '2026-04-01'],
        ['P-T3/T1', 1, null, 75_000_000, '2025-12-01'],
        ['P-T3/T2', 2, null, 75_000_000, '2026-12-01'],
      ]);
    });

    it('imports deliveries, taking the promised date from the tranche and the status from the receipt', async () => {
      const report = await run('deliveries', fixture('deliveries.csv'));
      expect(report).toMatchObject({ rows: 3, created: 3, issues: [], written: true });
      const rows = await h.db.selectFrom('deliveries').selectAll().orderBy('id').execute();
      expect(rows.map((d) => [d.id, d.trancheId, d.promisedOn, d.receivedOn, d.status, d.hub])).toEqual([
        ['D-T1', 'P-T1/T1', '2026-01-15', '2026-01-20', 'received', 'Rzeszów'],
        ['D-T2', 'P-T1/T1', '2026-01-15', null, 'shipped', 'Rzeszów'],
        ['D-T3', 'P-T4/T1', '2026-01-01', '2026-01-05', 'received', ''],
      ]);
    });

    it('changes nothing when the same files are imported again', async () => {
      const before = await counts();
      const versions = await h.db.selectFrom('requirements').select(['id', 'version']).orderBy('id').execute();
      for (const [entity, file] of [['catalog', 'catalog.csv'], ['requirements', 'requirements.csv'], ['pledges', 'pledges.csv'], ['deliveries', 'deliveries.csv']] as const) {
        const report = await run(entity, fixture(file));
        expect(report, entity).toMatchObject({ created: 0, updated: 0, issues: [] });
        expect(report.unchanged).toBe(report.rows);
      }
      expect(await counts()).toEqual(before);
      expect(await h.db.selectFrom('requirements').select(['id', 'version']).orderBy('id').execute()).toEqual(versions);
    });
  });

  describe('bad rows', () => {
    it('names exactly the three bad rows of a pledges file, with line, column and reason, and writes nothing', async () => {
      const before = await counts();
      const report = await run('pledges', fixture('pledges-three-bad.csv'));
      expect(report.written).toBe(false);
      expect(report.issues).toEqual([
        { line: 3, column: 'quantity', message: 'must be positive, not -5' },
        { line: 5, column: 'kind', message: 'unknown pledge kind "gift"; accepted: in-kind, procurement, funding, training' },
        { line: 7, column: 'donor', message: 'unknown nation XYZ' },
      ]);
      expect(await counts()).toEqual(before);
    });

    it('reports every bad row of a requirements file at once', async () => {
      const file = csv(
        'id,item,quantity,priority,need_by,status\n' +
          'R-X1,155mm-he-m795,10,P5,2026-01-01,draft\n' +
          'R-X2,no-such-item,10,1,2026-02-30,draft\n' +
          'R-X3,155mm-he-m795,ten,1,2026-01-01,pending\n' +
          'R-X4,,10,1,2026-01-01,\n',
      );
      const report = await run('requirements', file);
      expect(report.issues.map((i) => [i.line, i.column])).toEqual([
        [2, 'priority'],
        [3, 'need_by'],
        [4, 'quantity'],
        [4, 'status'],
        [5, 'accepts'],
      ]);
      expect(report.issues[0]!.message).toBe('unknown priority "P5"; accepted: 1, 2, 3, 4');
      expect(report.issues[1]!.message).toBe('2026-02-30 is not a real calendar date');
    });

    it('reports an unknown reference on a row that reads cleanly', async () => {
      const report = await run('requirements', csv('id,item,quantity,priority,need_by\nR-X5,no-such-item,10,1,2026-01-01\n'));
      expect(report.issues).toEqual([{ line: 2, column: 'item', message: 'unknown item type no-such-item' }]);
    });

    it('refuses an id that appears twice in one file, naming the first line', async () => {
      const report = await run('requirements', csv('id,item,quantity,priority,need_by\nR-D1,ifak,1,1,2026-01-01\nR-D1,ifak,2,1,2026-01-01\n'));
      expect(report.issues).toEqual([{ line: 3, column: 'id', message: 'R-D1 appears more than once in the file (first on line 2)' }]);
    });

    it('refuses a status change the lifecycle does not allow, naming the allowed ones', async () => {
      const fixed = await run('requirements', csv('id,accepts,quantity,priority,need_by,status,title\nR-T2,patriot-interceptor,40,1,2026-01-15,validated,Interceptors\n'));
      expect(fixed.issues).toEqual([{ line: 2, column: 'status', message: 'requirement R-T2 cannot move from draft to validated; allowed next states from draft: submitted, cancelled' }]);
    });

    it('refuses funding cells on goods and goods cells on funding, and tranches that do not add up', async () => {
      const header = 'id,donor,kind,channel,item,group,quantity,amount,currency,announced_on,tranches\n';
      const report = await run(
        'pledges',
        csv(
          header +
            'P-Y1,DEU,funding,coordinated,,155mm-he,,1000,EUR,2025-10-01,1000@2025-12-01\n' +
            'P-Y2,DEU,in-kind,coordinated,,155mm-he,100,,,2025-10-01,60@2025-12-01;30@2026-01-01\n' +
            'P-Y3,DEU,in-kind,coordinated,,155mm-he,100,,,2025-10-01,100@2025-09-01\n' +
            'P-Y4,DEU,in-kind,coordinated,,155mm-he,100,,,2025-10-01,100 on 2025-12-01\n' +
            'P-Y5,UKR,in-kind,coordinated,,155mm-he,100,,,2025-10-01,100@2025-12-01\n' +
            'P-Y6,DEU,funding,coordinated,,,,1000.005,EUR,2025-10-01,1000@2025-12-01\n',
        ),
      );
      expect(report.issues.map((i) => [i.line, i.column, i.message])).toEqual([
        [2, 'group', 'must be blank for a funding pledge (give amount and currency)'],
        [3, 'tranches', 'add up to 90 but the quantity is 100'],
        [4, 'tranches', 'tranche 1 is expected on 2025-09-01, before the pledge was announced on 2025-10-01'],
        [5, 'tranches', 'tranche 1 "100 on 2025-12-01" must be written quantity@YYYY-MM-DD'],
        [6, 'donor', 'UKR is the recipient, not a donor'],
        [7, 'amount', 'has more decimals than EUR allows (2)'],
      ]);
    });

    it('refuses deliveries beyond the tranche, against funding, and receipts before shipping', async () => {
      const report = await run(
        'deliveries',
        csv(
          'id,tranche,quantity,shipped_on,received_on\n' +
            'D-Z1,P-T1/T1,1,2026-01-10,\n' +
            'D-Z2,P-T3/T1,1,2026-01-10,\n' +
            'D-Z3,P-T4/T2,10,2026-01-10,2026-01-09\n' +
            'D-Z4,P-NONE/T1,10,2026-01-10,\n',
        ),
      );
      expect(report.issues.map((i) => [i.line, i.column, i.message])).toEqual([
        [2, 'quantity', 'brings deliveries of tranche P-T1/T1 to 5001, more than its 5000'],
        [3, 'tranche', 'P-T3/T1 is a tranche of a funding pledge; deliveries are of goods'],
        [4, 'received_on', '2026-01-09 is before shipped_on 2026-01-10'],
        [5, 'tranche', 'unknown tranche P-NONE/T1'],
      ]);
    });

    it('refuses an item whose area differs from its existing group', async () => {
      const report = await run('catalog', csv('code,name,group,capability_area,unit,ref_price,currency,price_year\nnew-round,New round,155mm-he,artillery,round,1,EUR,2024\n'));
      expect(report.issues).toEqual([{ line: 2, column: 'capability_area', message: 'is artillery but group 155mm-he is in ammunition' }]);
    });

    it('refuses an import by a role that may not write the entity', async () => {
      const observer: Actor = { id: 'o', role: 'observer', nation: null, kind: 'user' };
      await expect(run('pledges', fixture('pledges.csv'), 'csv', false, observer)).rejects.toMatchObject({ code: 'not_allowed' });
    });
  });

  describe('updates', () => {
    it('updates a changed row with a version bump and an audit entry, and counts the rest unchanged', async () => {
      const before = await counts();
      const text = readFileSync(new URL('./fixtures/requirements.csv', import.meta.url), 'utf8').replace('R-T4,ifak,,,20000', 'R-T4,ifak,,,25000');
      const report = await run('requirements', csv(text));
      expect(report).toMatchObject({ created: 0, updated: 1, unchanged: 3, written: true });
      const row = await h.db.selectFrom('requirements').selectAll().where('id', '=', 'R-T4').executeTakeFirstOrThrow();
      expect(row).toMatchObject({ quantity: 25000, version: 2 });
      const audit = await h.db.selectFrom('auditLog').selectAll().where('recordId', '=', 'R-T4').orderBy('seq').execute();
      expect(audit.at(-1)).toMatchObject({ action: 'import', before: expect.objectContaining({ quantity: 20000 }), after: expect.objectContaining({ quantity: 25000 }) });
      expect((await counts()).audit).toBe(before.audit + 1);
    });

    it('reschedules and adds tranches, but will not remove one that has deliveries', async () => {
      const header = 'id,donor,kind,channel,item,quantity,announced_on,status,forbids,meeting,tranches\n';
      const ok = await run('pledges', csv(`${header}P-T1,DEU,in-kind,coordinated,155mm-he-dm121,9000,2025-10-01,committed,cross-border,M-T1,5000@2026-01-15;3000@2026-05-01;1000@2026-07-01\n`));
      expect(ok).toMatchObject({ updated: 1, issues: [], written: true });
      const tranches = await h.db.selectFrom('tranches').select(['id', 'quantity', 'expectedOn']).where('pledgeId', '=', 'P-T1').orderBy('seq').execute();
      expect(tranches).toEqual([
        { id: 'P-T1/T1', quantity: 5000, expectedOn: '2026-01-15' },
        { id: 'P-T1/T2', quantity: 3000, expectedOn: '2026-05-01' },
        { id: 'P-T1/T3', quantity: 1000, expectedOn: '2026-07-01' },
      ]);
      const bad = await run('pledges', csv(`${header}P-T1,DEU,in-kind,coordinated,155mm-he-dm121,4000,2025-10-01,committed,cross-border,M-T1,4000@2026-05-01\n`));
      expect(bad.issues).toEqual([{ line: 2, column: 'tranches', message: 'tranche 1 would hold 4000, less than the 5000 already delivered' }]);
    });

    it('refuses to change a pledge in a final state', async () => {
      await h.db.updateTable('pledges').set({ status: 'withdrawn' }).where('id', '=', 'P-T5').execute();
      const report = await run('pledges', csv('id,donor,kind,channel,group,quantity,announced_on,status,tranches\nP-T5,NLD,training,coordinated,ifak,10000,2025-11-01,announced,10000@2026-02-01\n'));
      expect(report.issues).toEqual([{ line: 2, column: 'status', message: 'pledge P-T5 is withdrawn, which is final: it can no longer change' }]);
    });

    it('lets a delivery be received, then keeps its receipt fixed', async () => {
      const header = 'id,tranche,quantity,promised_on,shipped_on,received_on,hub\n';
      const received = await run('deliveries', csv(`${header}D-T2,P-T1/T1,2000,2026-01-15,2026-01-25,2026-02-02,Rzeszów\n`));
      expect(received).toMatchObject({ updated: 1, issues: [] });
      const moved = await run('deliveries', csv(`${header}D-T2,P-T1/T1,2000,2026-01-15,2026-01-25,2026-02-09,Rzeszów\n`));
      expect(moved.issues).toEqual([{ line: 2, column: 'received_on', message: 'delivery D-T2 was received on 2026-02-02; only its hub and notes may change' }]);
    });

    it('checks everything on a dry run and writes nothing', async () => {
      const before = await counts();
      const text = readFileSync(new URL('./fixtures/requirements.csv', import.meta.url), 'utf8').replace('R-T1,155mm-he-m795,,,12000', 'R-T1,155mm-he-m795,,,13000');
      const report = await run('requirements', csv(`${text}R-T9,ifak,,,5,2,2026-01-01,,,,\n`), 'csv', true);
      // R-T1 changes here; R-T4 differs since the update test above.
      expect(report).toMatchObject({ created: 1, updated: 2, dryRun: true, written: false });
      expect(await counts()).toEqual(before);
    });
  });

  describe('export', () => {
    it.each(['catalog', 'requirements', 'pledges', 'deliveries'] as const)('exports %s as CSV that imports back unchanged', async (entity) => {
      const before = await counts();
      const bytes = await exportBytes(entity, 'csv', 2);
      const report = await run(entity, bytes);
      expect(report.issues).toEqual([]);
      expect(report).toMatchObject({ created: 0, updated: 0 });
      expect(report.unchanged).toBe(report.rows);
      expect(report.rows).toBe(before[entity === 'catalog' ? 'itemTypes' : entity]);
      expect(await counts()).toEqual(before);
    });

    it.each(['catalog', 'requirements', 'pledges', 'deliveries'] as const)('exports %s as XLSX that imports back unchanged', async (entity) => {
      const before = await counts();
      const bytes = await exportBytes(entity, 'xlsx');
      const report = await run(entity, bytes, 'xlsx');
      expect(report.issues).toEqual([]);
      expect(report).toMatchObject({ created: 0, updated: 0, sheet: entity });
      expect(report.unchanged).toBe(report.rows);
      expect(await counts()).toEqual(before);
    });

    it('escapes formula-like text in CSV but leaves numbers alone', async () => {
      const text = (await exportBytes('requirements', 'csv')).toString('utf8');
      const line = text.split('\n').find((l) => l.startsWith('R-T3,'));
      expect(line).toBe("R-T3,fpv-kit,fpv-drones,drones,5000,3,2026-06-30,front-line;cross-border,validated,FPV kits,'=SUM(A1:A3)");
      expect(text.split('\n')[0]).toBe('id,item,accepts,capability_area,quantity,priority,need_by,uses,status,title,notes');
    });

    it('escapes formula-like text in XLSX and writes quantities as numbers', async () => {
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load((await exportBytes('requirements', 'xlsx')) as unknown as ExcelJS.Buffer);
      const sheet = workbook.getWorksheet('requirements')!;
      const row = [...Array(sheet.rowCount).keys()].map((i) => sheet.getRow(i + 1)).find((r) => r.getCell(1).value === 'R-T3')!;
      expect(row.getCell(11).value).toBe("'=SUM(A1:A3)");
      expect(row.getCell(5).value).toBe(5000);
      expect(row.getCell(5).type).toBe(ExcelJS.ValueType.Number);
    });

    it('reads an XLSX file a user typed, with date cells, numbers and the sheet named in row errors', async () => {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('Needs');
      sheet.addRow(['ID', 'Item', 'Quantity', 'Priority', 'Need By']);
      sheet.addRow(['R-XL1', 'ifak', 300, 'High', new Date(Date.UTC(2026, 4, 1))]);
      sheet.addRow(['R-XL2', 'ifak', -3, 'P2', new Date(Date.UTC(2026, 4, 1))]);
      const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
      const report = await run('requirements', bytes, 'xlsx');
      expect(report.issues).toEqual([{ sheet: 'Needs', line: 3, column: 'quantity', message: 'must be positive, not -3' }]);
      workbook.getWorksheet('Needs')!.spliceRows(3, 1);
      const good = await run('requirements', Buffer.from(await workbook.xlsx.writeBuffer()), 'xlsx');
      expect(good).toMatchObject({ created: 1, issues: [] });
      expect(await h.db.selectFrom('requirements').select(['needBy', 'priority']).where('id', '=', 'R-XL1').executeTakeFirstOrThrow()).toEqual({ needBy: '2026-05-01', priority: 2 });
    });
  });

  describe('malformed files', () => {
    it('refuses a file with a missing required column before touching the database', async () => {
      const error = await run('pledges', csv('id,donor\nP-1,DEU\n')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).issues.map((i) => i.message)).toEqual(expect.arrayContaining(['missing required column kind', 'missing required column tranches']));
    });
  });

  describe('scale', () => {
    it('imports 10,000 requirement rows, and re-imports them as unchanged', async () => {
      const lines = ['id,item,quantity,priority,need_by,uses,title'];
      for (let i = 0; i < 10_000; i++) lines.push(`R-S${i},ifak,${i + 1},${(i % 4) + 1},2026-0${(i % 9) + 1}-15,cross-border,Scale row ${i}`);
      const data = csv(`${lines.join('\n')}\n`);
      let started = performance.now();
      const report = await run('requirements', data);
      const firstMs = performance.now() - started;
      expect(report).toMatchObject({ created: 10_000, issues: [], written: true });
      started = performance.now();
      const again = await run('requirements', data);
      const againMs = performance.now() - started;
      expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 10_000 });
      console.log(`[${backend.name}] 10,000 requirements: import ${firstMs.toFixed(0)} ms, re-import ${againMs.toFixed(0)} ms`);
    });

    it('imports 10,000 pledges with 20,000 tranches, then 10,000 deliveries, and exports them in pages', async () => {
      const pledges = ['id,donor,kind,channel,item,quantity,announced_on,status,tranches'];
      const deliveries = ['id,tranche,quantity,shipped_on,received_on,hub'];
      for (let i = 0; i < 10_000; i++) {
        pledges.push(`P-S${i},${['DEU', 'POL', 'NLD'][i % 3]},in-kind,coordinated,155mm-he-dm121,${2 * (i + 1)},2025-10-01,committed,${i + 1}@2026-01-01;${i + 1}@2026-06-01`);
        deliveries.push(`D-S${i},P-S${i}/T1,${i + 1},2026-01-02,2026-01-09,Rzeszów`);
      }
      let started = performance.now();
      const p = await run('pledges', csv(`${pledges.join('\n')}\n`));
      const pledgeMs = performance.now() - started;
      expect(p).toMatchObject({ created: 10_000, issues: [], written: true });
      started = performance.now();
      const d = await run('deliveries', csv(`${deliveries.join('\n')}\n`));
      const deliveryMs = performance.now() - started;
      expect(d).toMatchObject({ created: 10_000, issues: [], written: true });
      started = performance.now();
      const exported = await exportBytes('pledges', 'csv');
      const exportMs = performance.now() - started;
      expect(exported.toString('utf8').split('\n').filter((l) => l.startsWith('P-S'))).toHaveLength(10_000);
      started = performance.now();
      const xlsx = await exportBytes('deliveries', 'xlsx');
      const xlsxMs = performance.now() - started;
      started = performance.now();
      const back = await run('deliveries', xlsx, 'xlsx');
      const backMs = performance.now() - started;
      expect(back.unchanged).toBe(back.rows);
      console.log(
        `[${backend.name}] 10,000 pledges: import ${pledgeMs.toFixed(0)} ms; 10,000 deliveries: import ${deliveryMs.toFixed(0)} ms; ` +
          `pledges CSV export ${exportMs.toFixed(0)} ms; deliveries XLSX export ${xlsxMs.toFixed(0)} ms, re-import ${backMs.toFixed(0)} ms`,
      );
    }, 120_000);
  });
});
