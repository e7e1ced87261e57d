import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import { projectReferenceData, type ReferenceData } from './reference-files.ts';

/** What a reference load found in the files and how many rows it wrote (inserted or changed). */
export interface ReferenceLoadResult {
  nations: number;
  economies: number;
  groups: number;
  items: number;
  fxRates: number;
  /** Rows inserted or updated; 0 when the database already held exactly these facts. */
  written: number;
}

function affected(results: { numInsertedOrUpdatedRows?: bigint | undefined }[]): number {
  return results.reduce((n, r) => n + Number(r.numInsertedOrUpdatedRows ?? 0n), 0);
}

/**
 * Upserts the reference facts inside the caller's transaction.
 * - Each table is written with one multi-row insert; a row that already exists is updated only when one of
 *   its facts differs (`is distinct from`), so a second load writes nothing and bumps no version.
 * - A nation's participation is set when the nation is first inserted and never overwritten: opting out is
 *   a decision recorded in Concord, not a reference fact.
 * - Nothing is deleted: catalog entries may be referenced by requirements and pledges.
 */
export async function upsertReferenceData(db: Kysely<Database>, data: ReferenceData): Promise<ReferenceLoadResult> {
  const results = [];
  results.push(
    await db
      .insertInto('nations')
      .values(data.nations.map((n) => ({ code: n.code, name: n.name, kind: n.kind, participation: n.participation, natoAccessionYear: n.natoAccessionYear, source: n.source })))
      .onConflict((oc) =>
        oc
          .column('code')
          .doUpdateSet({
            name: (eb) => eb.ref('excluded.name'),
            kind: (eb) => eb.ref('excluded.kind'),
            natoAccessionYear: (eb) => eb.ref('excluded.natoAccessionYear'),
            source: (eb) => eb.ref('excluded.source'),
            version: sql`nations.version + 1`,
            updatedAt: sql`now()`,
          })
          .where(sql<boolean>`(nations.name, nations.kind, nations.nato_accession_year, nations.source) is distinct from (excluded.name, excluded.kind, excluded.nato_accession_year, excluded.source)`),
      )
      .executeTakeFirst(),
  );
  if (data.economies.length > 0) {
    results.push(
      await db
        .insertInto('nationEconomies')
        .values(data.economies)
        .onConflict((oc) =>
          oc
            .columns(['nation', 'year'])
            .doUpdateSet({
              gdpUsdMillion: (eb) => eb.ref('excluded.gdpUsdMillion'),
              defenceUsdMillion: (eb) => eb.ref('excluded.defenceUsdMillion'),
              defencePctGdp: (eb) => eb.ref('excluded.defencePctGdp'),
              source: (eb) => eb.ref('excluded.source'),
            })
            .where(sql<boolean>`(nation_economies.gdp_usd_million, nation_economies.defence_usd_million, nation_economies.defence_pct_gdp, nation_economies.source) is distinct from (excluded.gdp_usd_million, excluded.defence_usd_million, excluded.defence_pct_gdp, excluded.source)`),
        )
        .executeTakeFirst(),
    );
  }
  results.push(
    await db
      .insertInto('itemGroups')
      .values(data.groups.map((g) => ({ code: g.code, name: g.name, capabilityArea: g.capabilityArea })))
      .onConflict((oc) =>
        oc
          .column('code')
          .doUpdateSet({ name: (eb) => eb.ref('excluded.name'), capabilityArea: (eb) => eb.ref('excluded.capabilityArea') })
          .where(sql<boolean>`(item_groups.name, item_groups.capability_area) is distinct from (excluded.name, excluded.capability_area)`),
      )
      .executeTakeFirst(),
  );
  results.push(
    await db
      .insertInto('itemTypes')
      .values(
        data.items.map((i) => ({
          code: i.code,
          name: i.name,
          groupCode: i.group,
          capabilityArea: i.capabilityArea,
          unit: i.unit,
          refPriceMinor: i.refPriceMinor,
          refPriceCurrency: i.refPriceCurrency,
          refPriceYear: i.refPriceYear,
          refPriceSource: i.refPriceSource,
        })),
      )
      .onConflict((oc) =>
        oc
          .column('code')
          .doUpdateSet({
            name: (eb) => eb.ref('excluded.name'),
            groupCode: (eb) => eb.ref('excluded.groupCode'),
            capabilityArea: (eb) => eb.ref('excluded.capabilityArea'),
            unit: (eb) => eb.ref('excluded.unit'),
            refPriceMinor: (eb) => eb.ref('excluded.refPriceMinor'),
            refPriceCurrency: (eb) => eb.ref('excluded.refPriceCurrency'),
            refPriceYear: (eb) => eb.ref('excluded.refPriceYear'),
            refPriceSource: (eb) => eb.ref('excluded.refPriceSource'),
            version: sql`item_types.version + 1`,
            updatedAt: sql`now()`,
          })
          .where(
            sql<boolean>`(item_types.name, item_types.group_code, item_types.capability_area, item_types.unit, item_types.ref_price_minor, item_types.ref_price_currency, item_types.ref_price_year, item_types.ref_price_source)
              is distinct from (excluded.name, excluded.group_code, excluded.capability_area, excluded.unit, excluded.ref_price_minor, excluded.ref_price_currency, excluded.ref_price_year, excluded.ref_price_source)`,
          ),
      )
      .executeTakeFirst(),
  );
  if (data.fxRates.length > 0) {
    results.push(
      await db
        .insertInto('fxRates')
        .values(data.fxRates.map((r) => ({ currency: r.currency, validFrom: r.on, perEur: r.perEur, source: r.source })))
        .onConflict((oc) =>
          oc
            .columns(['currency', 'validFrom'])
            .doUpdateSet({ perEur: (eb) => eb.ref('excluded.perEur'), source: (eb) => eb.ref('excluded.source') })
            .where(sql<boolean>`(fx_rates.per_eur, fx_rates.source) is distinct from (excluded.per_eur, excluded.source)`),
        )
        .executeTakeFirst(),
    );
  }
  return {
    nations: data.nations.length,
    economies: data.economies.length,
    groups: data.groups.length,
    items: data.items.length,
    fxRates: data.fxRates.length,
    written: affected(results),
  };
}

/**
 * Loads the project's reference data (data/*.csv: nations, partners, catalog groups and items, FX rates)
 * into the database idempotently, in one transaction (or in the caller's, when given one).
 */
export async function loadReferenceData(db: Kysely<Database>, data: ReferenceData = projectReferenceData()): Promise<ReferenceLoadResult> {
  if (db.isTransaction) return upsertReferenceData(db, data);
  return db.transaction().execute((tx) => upsertReferenceData(tx, data));
}
