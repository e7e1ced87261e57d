import { mkdtempSync, readdirSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPABILITY_AREAS } from '../../domain/catalog/catalog.ts';
import { CURRENCIES, rateOn } from '../../domain/money/money.ts';
import { DomainError } from '../../domain/errors.ts';
import { testBackends } from '../testing/test-db.ts';
import type { DbHandle } from '../db.ts';
import { loadReferenceData } from './load-reference-data.ts';
import { readReferenceData, REFERENCE_DATA_DIR } from './reference-files.ts';

const sharedNations = parse(readFileSync(join(REFERENCE_DATA_DIR, 'nations.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
const deuCsv = sharedNations.find((r) => r.code === 'DEU')!;

describe('readReferenceData', () => {
  const data = readReferenceData();

  it('has the 32 NATO members as allies, the contact-group partners and Ukraine as the recipient', () => {
    expect(data.nations.filter((n) => n.kind === 'ally')).toHaveLength(32);
    expect(data.nations.filter((n) => n.kind === 'recipient').map((n) => n.code)).toEqual(['UKR']);
    const partners = data.nations.filter((n) => n.kind === 'partner').map((n) => n.code);
    expect(partners).toEqual(expect.arrayContaining(['AUS', 'JPN', 'KOR', 'AUT', 'IRL', 'MDA']));
    expect(partners).not.toContain('FIN');
    expect(data.nations.every((n) => n.source.length > 0)).toBe(true);
  });

  it('marks Hungary opted-out, with the source of that fact', () => {
    const hun = data.nations.find((n) => n.code === 'HUN')!;
    expect(hun.participation).toBe('opted-out');
    expect(hun.source).toMatch(/Stoltenberg/);
    expect(data.nations.filter((n) => n.participation === 'opted-out').map((n) => n.code)).toEqual(['HUN']);
  });

  it('keeps GDP for 2023 and 2024 of every ally and none invented for partners', () => {
    expect(data.economies.filter((e) => e.year === 2024)).toHaveLength(32);
    expect(data.economies.filter((e) => e.year === 2023)).toHaveLength(32);
    const allies = new Set(data.nations.filter((n) => n.kind === 'ally').map((n) => n.code));
    expect(data.economies.every((e) => allies.has(e.nation))).toBe(true);
    const isl = data.economies.find((e) => e.nation === 'ISL' && e.year === 2024)!;
    expect(isl.defenceUsdMillion).toBeNull();
  });

  it('has about 150 items in 60 to 100 groups covering every capability area, each priced with a source', () => {
    expect(data.items.length).toBeGreaterThanOrEqual(140);
    expect(data.groups.length).toBeGreaterThanOrEqual(60);
    expect(data.groups.length).toBeLessThanOrEqual(100);
    for (const area of CAPABILITY_AREAS) expect(data.items.some((i) => i.capabilityArea === area), area).toBe(true);
    const groupsWithItems = new Set(data.items.map((i) => i.group));
    expect(data.groups.filter((g) => !groupsWithItems.has(g.code))).toEqual([]);
    expect(data.items.every((i) => i.refPriceSource.length > 0 && i.refPriceMinor > 0)).toBe(true);
    const shell = data.items.find((i) => i.code === '155mm-he-rheinmetall')!;
    expect(shell).toMatchObject({ group: '155mm-he', refPriceMinor: 440_000, refPriceCurrency: 'EUR', refPriceYear: 2024 });
    expect(shell.refPriceSource).toMatch(/Reuters/);
  });

  it('has an FX rate for every non-EUR currency Concord knows', () => {
    for (const c of CURRENCIES.filter((c) => c !== 'EUR')) expect(() => rateOn(data.fxRates, c, '2025-06-30'), c).not.toThrow();
    expect(rateOn(data.fxRates, 'DKK', '2024-06-30')).toBeCloseTo(7.46, 1);
  });

  it('refuses a file with bad rows, naming each file, line and column', () => {
    const dir = mkdtempSync(join(tmpdir(), 'concord-ref-'));
    for (const f of readdirSync(REFERENCE_DATA_DIR)) if (f.endsWith('.csv')) copyFileSync(join(REFERENCE_DATA_DIR, f), join(dir, f));
    const catalog = readFileSync(join(dir, 'catalog.csv'), 'utf8').split('\n');
    catalog[2] = catalog[2]!.replace(',round,', ',barrel,');
    catalog[3] = catalog[3]!.replace('patriot-interceptor', 'no-such-group');
    writeFileSync(join(dir, 'catalog.csv'), catalog.join('\n'));
    try {
      readReferenceData(dir);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      const issues = (e as DomainError).issues.map((i) => i.path);
      expect(issues).toEqual(['catalog.csv line 3, column unit', 'catalog.csv line 4, column group']);
    }
  });
});

describe.each(testBackends())('loadReferenceData on $name', (backend) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await backend.open();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('loads every nation, economy, group, item and rate', async () => {
    const result = await loadReferenceData(h.db);
    const count = async (t: 'nations' | 'nationEconomies' | 'itemGroups' | 'itemTypes' | 'fxRates') =>
      Number((await h.db.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    expect(await count('nations')).toBe(result.nations);
    expect(await count('nationEconomies')).toBe(64);
    expect(await count('itemGroups')).toBe(result.groups);
    expect(await count('itemTypes')).toBe(result.items);
    expect(await count('fxRates')).toBe(result.fxRates);
    expect(result.written).toBe(result.nations + result.economies + result.groups + result.items + result.fxRates);
  });

  it('stores the CSV figures exactly: Germany GDP 2024 and defence spending', async () => {
    const deu = await h.db.selectFrom('nationEconomies').selectAll().where('nation', '=', 'DEU').where('year', '=', 2024).executeTakeFirstOrThrow();
    expect(deu.gdpUsdMillion).toBe(Number(deuCsv.gdp_2024_usd_million));
    expect(deu.gdpUsdMillion).toBe(4610035.2);
    expect(deu.defenceUsdMillion).toBe(97685.6);
    expect(deu.defencePctGdp).toBe(2.12);
    const usa = await h.db.selectFrom('nations').selectAll().where('code', '=', 'USA').executeTakeFirstOrThrow();
    expect(usa).toMatchObject({ kind: 'ally', participation: 'participating', natoAccessionYear: 1949 });
  });

  it('has items in every capability area', async () => {
    const rows = await h.db.selectFrom('itemTypes').select('capabilityArea').distinct().execute();
    expect(rows.map((r) => r.capabilityArea).sort()).toEqual([...CAPABILITY_AREAS].sort());
  });

  it('changes nothing when loaded a second time', async () => {
    const before = await h.db.selectFrom('itemTypes').select(['code', 'version', 'updatedAt']).orderBy('code').execute();
    const result = await loadReferenceData(h.db);
    expect(result.written).toBe(0);
    const after = await h.db.selectFrom('itemTypes').select(['code', 'version', 'updatedAt']).orderBy('code').execute();
    expect(after).toEqual(before);
  });

  it('keeps a participation decision made in Concord, and restores a changed fact', async () => {
    await h.db.updateTable('nations').set({ participation: 'opted-out' }).where('code', '=', 'AUT').execute();
    await h.db.updateTable('itemTypes').set({ refPriceMinor: 1 }).where('code', '=', 'm982-excalibur').execute();
    const result = await loadReferenceData(h.db);
    expect(result.written).toBe(1);
    const aut = await h.db.selectFrom('nations').select('participation').where('code', '=', 'AUT').executeTakeFirstOrThrow();
    expect(aut.participation).toBe('opted-out');
    const exc = await h.db.selectFrom('itemTypes').select(['refPriceMinor', 'version']).where('code', '=', 'm982-excalibur').executeTakeFirstOrThrow();
    expect(exc).toEqual({ refPriceMinor: 8_000_000, version: 2 });
  });
});
