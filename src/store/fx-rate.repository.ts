import type { Kysely, Selectable } from 'kysely';
import type { Database, FxRatesTable } from './schema.ts';

export type FxRateRow = Selectable<FxRatesTable>;

/** Rates by currency then date; every currency when `currencies` is left out. */
export async function listFxRateRows(db: Kysely<Database>, currencies?: readonly string[]): Promise<FxRateRow[]> {
  let q = db.selectFrom('fxRates').selectAll();
  if (currencies && currencies.length > 0) q = q.where('currency', 'in', [...currencies]);
  return q.orderBy('currency').orderBy('validFrom').execute();
}

export async function findFxRate(db: Kysely<Database>, currency: string, validFrom: string, forUpdate = false): Promise<FxRateRow | undefined> {
  let q = db.selectFrom('fxRates').selectAll().where('currency', '=', currency).where('validFrom', '=', validFrom);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** Inserts or replaces the rate of a currency from a date. */
export async function upsertFxRate(db: Kysely<Database>, row: FxRateRow): Promise<FxRateRow> {
  return db
    .insertInto('fxRates')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['currency', 'validFrom']).doUpdateSet({ perEur: (eb) => eb.ref('excluded.perEur'), source: (eb) => eb.ref('excluded.source') }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}
