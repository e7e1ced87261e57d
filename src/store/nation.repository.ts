import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, NationEconomiesTable, NationsTable } from './schema.ts';

export type NationRow = Selectable<NationsTable>;
export type NationEconomyRow = Selectable<NationEconomiesTable>;

/** A nation with the figures of its most recent year (all null when it has none). */
export type NationWithLatestRow = NationRow & {
  ecoYear: number | null;
  ecoGdpUsdMillion: number | null;
  ecoDefenceUsdMillion: number | null;
  ecoDefencePctGdp: number | null;
  ecoSource: string | null;
};

export interface NationFilter {
  kind?: string[] | undefined;
  participation?: string | undefined;
}

/** Sort keys of the API mapped to SQL: the allow-list that keeps user input out of SQL. */
export const NATION_SORT_COLUMNS = { name: 'nations.name', code: 'nations.code', gdp: 'e.gdp_usd_million' } as const;

/**
 * Nations with their latest economy.
 * - The latest year per nation comes from `distinct on (nation) … order by year desc`, joined once.
 * - Nations without figures sort last whatever the direction; ties break on the code.
 */
export async function listNationRows(
  db: Kysely<Database>,
  filter: NationFilter & { code?: string },
  sort: keyof typeof NATION_SORT_COLUMNS = 'name',
  order: 'asc' | 'desc' = 'asc',
): Promise<NationWithLatestRow[]> {
  const latest = db
    .selectFrom('nationEconomies')
    .distinctOn('nation')
    .selectAll()
    .orderBy('nation')
    .orderBy('year', 'desc')
    .as('e');
  let q = db
    .selectFrom('nations')
    .leftJoin(latest, 'e.nation', 'nations.code')
    .selectAll('nations')
    .select([
      'e.year as ecoYear',
      'e.gdpUsdMillion as ecoGdpUsdMillion',
      'e.defenceUsdMillion as ecoDefenceUsdMillion',
      'e.defencePctGdp as ecoDefencePctGdp',
      'e.source as ecoSource',
    ]);
  if (filter.code) q = q.where('nations.code', '=', filter.code);
  if (filter.kind) q = q.where('nations.kind', 'in', filter.kind);
  if (filter.participation) q = q.where('nations.participation', '=', filter.participation);
  const dir = order === 'asc' ? sql`asc` : sql`desc`;
  q = q.orderBy(sql`${sql.ref(NATION_SORT_COLUMNS[sort])} ${dir} nulls last`).orderBy(sql`nations.code ${dir}`);
  return (await q.execute()) as NationWithLatestRow[];
}

export async function findNation(db: Kysely<Database>, code: string, forUpdate = false): Promise<NationRow | undefined> {
  let q = db.selectFrom('nations').selectAll().where('code', '=', code);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** The codes among `codes` that name no nation. */
export async function unknownNationCodes(db: Kysely<Database>, codes: readonly string[]): Promise<Set<string>> {
  if (codes.length === 0) return new Set();
  const found = await db.selectFrom('nations').select('code').where('code', 'in', [...new Set(codes)]).execute();
  const known = new Set(found.map((r) => r.code));
  return new Set(codes.filter((c) => !known.has(c)));
}

export async function insertNation(db: Kysely<Database>, row: Omit<NationRow, 'version' | 'updatedAt'>): Promise<NationRow> {
  return db.insertInto('nations').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Writes new field values if the stored version is still `expectedVersion`; bumps the version. */
export async function updateNationRow(
  db: Kysely<Database>,
  code: string,
  values: Partial<Omit<NationRow, 'code' | 'version' | 'updatedAt'>>,
  expectedVersion: number,
): Promise<NationRow | undefined> {
  return db
    .updateTable('nations')
    .set({ ...values, version: sql`version + 1`, updatedAt: sql`now()` })
    .where('code', '=', code)
    .where('version', '=', expectedVersion)
    .returningAll()
    .executeTakeFirst();
}

/** A nation's economies, oldest year first. */
export async function listEconomies(db: Kysely<Database>, code: string): Promise<NationEconomyRow[]> {
  return db.selectFrom('nationEconomies').selectAll().where('nation', '=', code).orderBy('year').execute();
}

export async function findEconomy(db: Kysely<Database>, code: string, year: number, forUpdate = false): Promise<NationEconomyRow | undefined> {
  let q = db.selectFrom('nationEconomies').selectAll().where('nation', '=', code).where('year', '=', year);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** Inserts or replaces one year's figures of a nation. */
export async function upsertEconomy(db: Kysely<Database>, row: NationEconomyRow): Promise<NationEconomyRow> {
  return db
    .insertInto('nationEconomies')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['nation', 'year']).doUpdateSet({
        gdpUsdMillion: (eb) => eb.ref('excluded.gdpUsdMillion'),
        defenceUsdMillion: (eb) => eb.ref('excluded.defenceUsdMillion'),
        defencePctGdp: (eb) => eb.ref('excluded.defencePctGdp'),
        source: (eb) => eb.ref('excluded.source'),
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}
