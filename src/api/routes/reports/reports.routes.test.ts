import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { testBackends } from '../../../store/testing/test-db.ts';
import { buildNation, buildPledge, buildRequirement, buildGroup } from '../../../store/testing/factories.ts';
import { buildTestApp } from '../../app.test-helpers.ts';
import type { DbHandle } from '../../../store/db.ts';

describe.each(testBackends())('reports API on $name', (backend) => {
  let h: DbHandle;
  let app: FastifyInstance;
  beforeAll(async () => {
    h = await backend.open();
    app = await buildTestApp(h);
    await buildNation(h.db, { code: 'DEU', name: 'Germany', kind: 'ally' });
    await buildNation(h.db, { code: 'FRA', name: 'France', kind: 'ally' });
    await buildNation(h.db, { code: 'HUN', name: 'Hungary', kind: 'ally', participation: 'opted-out' });
    await h.db
      .insertInto('nationEconomies')
      .values([
        { nation: 'DEU', year: 2025, gdpUsdMillion: 4000, defenceUsdMillion: 80, defencePctGdp: 2, source: 'test' },
        { nation: 'FRA', year: 2025, gdpUsdMillion: 1000, defenceUsdMillion: 15, defencePctGdp: 1.5, source: 'test' },
        { nation: 'HUN', year: 2025, gdpUsdMillion: 500, defenceUsdMillion: 10, defencePctGdp: 2, source: 'test' },
      ])
      .execute();
    await h.db.insertInto('fxRates').values({ currency: 'USD', validFrom: '2025-01-01', perEur: 1.25, source: 'test' }).execute();
    // DEU commits 100,000 EUR of funding in 2025.
    await buildPledge(h.db, { id: 'P-FUND', donor: 'DEU', kind: 'funding', amountMinor: 10_000_000, currency: 'EUR', status: 'committed', announcedOn: '2025-03-01', tranches: [{ amountMinor: 10_000_000, expectedOn: '2025-04-01' }] });
    await h.db.insertInto('meetings').values({ id: 'UDCG-T', kind: 'contact-group', title: 'Contact group (test)', date: '2025-06-01', location: 'Ramstein', attendees: ['DEU'], notes: '' }).execute();
    const g = await buildGroup(h.db, { code: 'rep-155' });
    await buildRequirement(h.db, { id: 'R-GAP', accepts: [g.code], quantity: 100, priority: 1, needBy: '2025-05-01', status: 'validated', title: '155 mm gap' });
    await buildPledge(h.db, { id: 'P-AT-MEETING', donor: 'FRA', groupCode: g.code, quantity: 40, status: 'committed', announcedOn: '2025-06-01', meetingId: 'UDCG-T', tranches: [{ quantity: 40, expectedOn: '2025-04-01' }] });
    await app.inject({ method: 'POST', url: '/api/plans', payload: {} });
  });
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  describe('GET /api/reports/burden', () => {
    it('splits the target by GDP among participating allies and sets each commitment against its share', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/reports/burden?year=2025&target=1000000&currency=EUR' });
      expect(res.statusCode).toBe(200);
      const rows = res.json().rows as Array<Record<string, unknown>>;
      const deu = rows.find((r) => r.nation === 'DEU')!;
      const fra = rows.find((r) => r.nation === 'FRA')!;
      const hun = rows.find((r) => r.nation === 'HUN')!;
      // GDP in EUR at 1.25 USD per EUR: DEU 4,000 M USD → 3,200 M EUR; FRA 1,000 M USD → 800 M EUR. Key: DEU + FRA.
      expect(deu.gdp).toBe(3_200_000_000);
      expect(deu.gdpShare).toBeCloseTo(0.8, 12);
      expect(deu.fairShare).toBe(800_000); // 80 % of 1,000,000
      expect(fra.fairShare).toBe(200_000);
      expect(deu.committed).toBe(100_000);
      expect(deu.ratioToFairShare).toBeCloseTo(100_000 / 800_000, 12);
      expect(deu.committedPctGdp).toBeCloseTo((100_000 / 3_200_000_000) * 100, 12);
      // Hungary opted out: shown, but outside the key.
      expect(hun.participating).toBe(false);
      expect(hun.fairShare).toBeNull();
      expect(Object.keys(deu).sort()).toEqual(['committed', 'committedPctGdp', 'delivered', 'fairShare', 'gdp', 'gdpShare', 'nation', 'participating', 'ratioToFairShare']);
    });

    it('writes the same figures to an XLSX sheet', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/reports/burden?year=2025&target=1000000&format=xlsx' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-disposition']).toContain('burden-2025.xlsx');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer);
      const sheet = wb.getWorksheet('Burden sharing')!;
      const deuRow = sheet.getRows(2, sheet.rowCount - 1)!.find((r) => r.getCell(1).value === 'DEU')!;
      expect(deuRow.getCell(6).value).toBe(800_000);
      expect(deuRow.getCell(7).value).toBe(100_000);
    });

    it('refuses a year without data, a negative target and an unknown currency, naming the field', async () => {
      const noData = await app.inject({ method: 'GET', url: '/api/reports/burden?year=2019' });
      expect(noData.statusCode).toBe(400);
      expect(noData.json().errors[0].path).toBe('/year');
      const negative = await app.inject({ method: 'GET', url: '/api/reports/burden?year=2025&target=-5' });
      expect(negative.statusCode).toBe(400);
      expect(negative.json().errors[0].path).toBe('/querystring/target');
      const currency = await app.inject({ method: 'GET', url: '/api/reports/burden?year=2025&currency=XYZ' });
      expect(currency.statusCode).toBe(400);
      expect(currency.json().errors[0].path).toBe('/querystring/currency');
    });
  });

  describe('GET /api/reports/coverage', () => {
    it('answers JSON figures by default and the same table as CSV, XLSX and Markdown', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/reports/coverage?asOf=2025-06-30' });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      // R-GAP needs 100; FRA's 40 (committed, announced 2025-06-01) pool into it: 60 short.
      expect(body.requirements).toEqual([expect.objectContaining({ requirement: 'R-GAP', quantity: 100, committed: 40, delivered: 0, gap: 60 })]);
      expect(body.planId).toMatch(/^PLAN-/);
      const csv = await app.inject({ method: 'GET', url: '/api/reports/coverage?asOf=2025-06-30&format=csv' });
      expect(csv.headers['content-disposition']).toContain('coverage-2025-06-30.csv');
      const section = csv.body.split(/^# /m).find((s) => s.startsWith('Requirements'))!;
      const rows = parse(section.split('\n').slice(1).join('\n'), { columns: true }) as Record<string, string>[];
      expect(rows).toEqual([expect.objectContaining({ Requirement: 'R-GAP', Committed: '40', Gap: '60' })]);
      const xlsx = await app.inject({ method: 'GET', url: '/api/reports/coverage?asOf=2025-06-30&format=xlsx' });
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx.rawPayload as unknown as ExcelJS.Buffer);
      expect(wb.worksheets.map((w) => w.name)).toEqual(expect.arrayContaining(['By capability area', 'By priority', 'Requirements']));
      const md = await app.inject({ method: 'GET', url: '/api/reports/coverage?asOf=2025-06-30&format=md' });
      expect(md.body).toContain('# Coverage of requirements');
      const pdf = await app.inject({ method: 'GET', url: '/api/reports/coverage?asOf=2025-06-30&format=pdf' });
      expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    });

    it('refuses a bad date, a bad limit and an unknown currency with the field named', async () => {
      for (const [query, path] of [
        ['asOf=2025-13-01', '/querystring/asOf'],
        ['limit=0', '/querystring/limit'],
        ['currency=GBP', '/querystring/currency'],
      ] as const) {
        const res = await app.inject({ method: 'GET', url: `/api/reports/coverage?${query}` });
        expect(res.statusCode).toBe(400);
        expect(res.json().errors[0].path).toBe(path);
      }
    });
  });

  describe('GET /api/reports/forecast parameters', () => {
    it('refuses a malformed what-if and a group without a stock report', async () => {
      const bad = await app.inject({ method: 'GET', url: '/api/reports/forecast?asOf=2025-05-01&whatIf=DEU:later' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors[0].path).toMatch(/^\/querystring\/whatIf/);
      const group = await app.inject({ method: 'GET', url: '/api/reports/forecast?asOf=2025-05-01&groups=none-such' });
      expect(group.statusCode).toBe(400);
      expect(group.json().errors[0].path).toBe('/groups/0');
    });
  });

  describe('GET /api/reports/gaps, forecast and delays', () => {
    it('lists the plan’s gaps most urgent first, naming the requirement and the reason', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/reports/gaps' });
      expect(res.statusCode).toBe(200);
      // R-GAP needs 100; the only supply is FRA's 40: 60 short, outranked (compatible supply exists).
      expect(res.json().gaps).toEqual([expect.objectContaining({ requirementId: 'R-GAP', quantity: 60, reason: 'outranked' })]);
    });

    it('forecasts stock from the latest stock report: 1,000 on hand at 100 a day runs out on day 10', async () => {
      await h.db.insertInto('stockReports').values({ id: 'S-REP', groupCode: 'rep-155', asOf: '2025-05-01', onHand: 1000, dailyConsumption: 100, notes: '' }).execute();
      const res = await app.inject({ method: 'GET', url: '/api/reports/forecast?asOf=2025-05-01' });
      expect(res.statusCode).toBe(200);
      const group = res.json().groups.find((g: { group: string }) => g.group === 'rep-155');
      // FRA's tranche (2025-04-01) is expected before the start but not received: it arrives on day 0,
      // so 1,000 + 40 units last 10.4 days: the first day short is 2025-05-11.
      expect(group.deterministic.firstStockOut).toBe('2025-05-11');
      const pdf = await app.inject({ method: 'GET', url: '/api/reports/forecast?asOf=2025-05-01&format=pdf' });
      expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    });

    it('lists tranches overdue as of a date', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/reports/delays?asOf=2025-05-01' });
      expect(res.statusCode).toBe(200);
      const ids = res.json().overdue.map((o: { trancheId: string }) => o.trancheId);
      expect(ids).toEqual(expect.arrayContaining(['P-AT-MEETING/T1']));
      const bad = await app.inject({ method: 'GET', url: '/api/reports/delays?asOf=2025-02-30' });
      expect(bad.statusCode).toBe(400);
    });
  });

  describe('GET /api/meetings/{id}/brief and outcome', () => {
    it('briefs a meeting with its gaps, as JSON naming the records and as a real PDF', async () => {
      const json = await app.inject({ method: 'GET', url: '/api/meetings/UDCG-T/brief?today=2025-05-15' });
      expect(json.statusCode).toBe(200);
      const doc = json.json();
      expect(doc.title).toBe('Brief: Contact group (test)');
      const gaps = doc.sections.find((s: { heading: string }) => s.heading === 'Top gaps by capability');
      // The brief is as of 2025-05-15, before the meeting: FRA's 40 are announced only at the meeting
      // (2025-06-01), so R-GAP (100 needed by 2025-05-01) is still 100 short; the plan's reason stays 'outranked'.
      expect(gaps.table.rows).toEqual([expect.objectContaining({ requirementId: 'R-GAP', quantity: 100, committed: 0, reason: 'outranked' })]);
      const pdf = await app.inject({ method: 'GET', url: '/api/meetings/UDCG-T/brief?format=pdf&today=2025-05-15' });
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    });

    it('reports what was announced at a meeting', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/meetings/UDCG-T/outcome' });
      expect(res.statusCode).toBe(200);
      const announced = res.json().sections[0].table.rows;
      expect(announced.map((r: { pledge: string }) => r.pledge)).toEqual(['P-AT-MEETING']);
    });

    it('answers 404 for an unknown meeting and 400 for an unknown format', async () => {
      expect((await app.inject({ method: 'GET', url: '/api/meetings/NOPE/brief' })).statusCode).toBe(404);
      const bad = await app.inject({ method: 'GET', url: '/api/meetings/UDCG-T/brief?format=doc' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors[0].path).toBe('/querystring/format');
    });
  });
});
