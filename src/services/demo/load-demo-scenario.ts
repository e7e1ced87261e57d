import { sql, type Kysely } from 'kysely';
import { conflict } from '../../domain/errors.ts';
import { compactAfterBulkLoad } from '../../store/maintenance.ts';
import type { Database } from '../../store/schema.ts';
import { upsertReferenceData, type ReferenceLoadResult } from '../../store/reference/load-reference-data.ts';
import { projectReferenceData } from '../../store/reference/reference-files.ts';
import { planDemoScenario, type DemoChunk } from './generate-demo-scenario.ts';
import type { Actor } from '../context.ts';
import { authorize } from '../policy.ts';
import { recordChange } from '../audit.ts';

/** Rows per multi-row insert: well under PostgreSQL's 65,535 bind parameters for the widest table. */
const BATCH_ROWS = 1000;

export interface DemoProgress {
  /** Chunks of the scaled part loaded so far, and how many there are. */
  chunksDone: number;
  chunks: number;
  /** Rows inserted so far, all tables together. */
  rows: number;
}

export interface LoadDemoOptions {
  /** Seed of the generator (default 42). */
  seed?: number;
  /** Multiplier of requirements, pledges and deliveries (default 1). */
  scale?: number;
  /** Delete the scenario tables' rows first instead of refusing a database that has requirements or pledges. */
  replace?: boolean;
  /** Called after the fixed part and after each chunk (for a progress bar). */
  onProgress?: (progress: DemoProgress) => void;
  /** Who loads it: checked like an import of reference data and recorded in the audit trail as one entry. */
  actor?: Actor;
}

export interface DemoCounts {
  nations: number;
  itemGroups: number;
  itemTypes: number;
  fxRates: number;
  meetings: number;
  requirements: number;
  pledges: number;
  tranches: number;
  deliveries: number;
  stockReports: number;
}

export interface LoadDemoResult {
  seed: number;
  scale: number;
  reference: ReferenceLoadResult;
  /** Rows the scenario inserted per table. */
  inserted: Omit<DemoCounts, 'nations' | 'itemGroups' | 'itemTypes' | 'fxRates'>;
  ms: number;
}

async function insertBatched<T extends keyof Database & string>(db: Kysely<Database>, table: T, rows: readonly object[]): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH_ROWS) {
    // The rows are built to the table's columns by the generator; Kysely's per-table insert type is too
    // narrow to express "rows of table T" generically, hence the cast.
    await db.insertInto(table).values(rows.slice(i, i + BATCH_ROWS) as never).execute();
  }
}

async function insertChunk(db: Kysely<Database>, chunk: DemoChunk): Promise<number> {
  await insertBatched(db, 'requirements', chunk.requirements);
  await insertBatched(
    db,
    'pledges',
    chunk.pledges.map(({ tranches: _tranches, ...p }) => p),
  );
  const tranches = chunk.pledges.flatMap((p) => p.tranches);
  await insertBatched(db, 'tranches', tranches);
  await insertBatched(db, 'deliveries', chunk.deliveries);
  return chunk.requirements.length + chunk.pledges.length + tranches.length + chunk.deliveries.length;
}

async function count(db: Kysely<Database>, table: keyof Database & string): Promise<number> {
  const row = await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Points an id sequence past the highest `<prefix>-<n>` id of its table, so ids generated later do not collide. */
async function advanceSequence(db: Kysely<Database>, sequence: string, table: string, prefix: string): Promise<void> {
  const pattern = `^${prefix}-([0-9]+)$`;
  const r = await sql<{ n: number | null }>`select max(substring(id from ${pattern})::bigint) as n from ${sql.table(table)}`.execute(db);
  const n = Number(r.rows[0]?.n ?? 0);
  if (n > 0) await sql`select setval(${sequence}::regclass, ${n})`.execute(db);
  else await sql`select setval(${sequence}::regclass, 1, false)`.execute(db);
}

/**
 * Loads reference data and the demo scenario (seeded, so the same seed and scale give the same data) in one
 * transaction, in batched multi-row inserts, chunk by chunk so that memory stays bounded at large scales;
 * then compacts the tables the load churned (compactAfterBulkLoad).
 * Refuses a database that already holds requirements or pledges unless `replace` is set, which first empties
 * the scenario tables (meetings, requirements, pledges, tranches, deliveries, stock reports and the plans
 * built on them).
 */
export async function loadDemoScenario(db: Kysely<Database>, options: LoadDemoOptions = {}): Promise<LoadDemoResult> {
  const seed = options.seed ?? 42;
  const scale = options.scale ?? 1;
  const started = performance.now();
  const plan = planDemoScenario({ seed, scale });
  const reference = projectReferenceData();
  if (options.actor) authorize(options.actor, { entity: 'nation', verb: 'import' });
  const result = await db.transaction().execute(async (tx) => {
    if (options.replace) {
      // TRUNCATE … CASCADE also empties any later table that refers to these (funds, allocations…).
      await sql`truncate table plan_unmet, plan_allocations, plans, deliveries, tranches, pledges, stock_reports, requirements, meetings cascade`.execute(tx);
    } else {
      const [requirements, pledges, stockReports] = [await count(tx, 'requirements'), await count(tx, 'pledges'), await count(tx, 'stockReports')];
      if (requirements + pledges + stockReports > 0) {
        throw conflict(
          `the database already holds ${requirements} requirement(s), ${pledges} pledge(s) and ${stockReports} stock report(s); the demo scenario loads only into an empty database (use replace to delete the scenario tables first)`,
          [{ path: '/replace', message: 'database not empty' }],
        );
      }
    }
    const referenceResult = await upsertReferenceData(tx, reference);
    await tx
      .insertInto('meetings')
      .values(plan.meetings)
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    await insertBatched(tx, 'stockReports', plan.stockReports);
    let rows = plan.meetings.length + plan.stockReports.length;
    const inserted = { meetings: plan.meetings.length, stockReports: plan.stockReports.length, requirements: 0, pledges: 0, tranches: 0, deliveries: 0 };
    options.onProgress?.({ chunksDone: 0, chunks: plan.chunkCount, rows });
    for (let i = 0; i < plan.chunkCount; i++) {
      const chunk = plan.chunk(i);
      rows += await insertChunk(tx, chunk);
      inserted.requirements += chunk.requirements.length;
      inserted.pledges += chunk.pledges.length;
      inserted.tranches += chunk.pledges.reduce((n, p) => n + p.tranches.length, 0);
      inserted.deliveries += chunk.deliveries.length;
      options.onProgress?.({ chunksDone: i + 1, chunks: plan.chunkCount, rows });
    }
    await advanceSequence(tx, 'requirement_ids', 'requirements', 'R');
    await advanceSequence(tx, 'pledge_ids', 'pledges', 'P');
    await advanceSequence(tx, 'delivery_ids', 'deliveries', 'D');
    await advanceSequence(tx, 'stock_report_ids', 'stock_reports', 'S');
    // Scenario meeting ids are names (UDCG-24), not numbers: move the sequence past their count.
    await sql`select setval('meeting_ids', ${Math.max(1, plan.meetings.length)})`.execute(tx);
    if (options.actor) {
      await recordChange(tx, options.actor, { entity: 'scenario', recordId: `demo-seed-${seed}-scale-${scale}`, action: options.replace ? 'replace' : 'load', before: null, after: inserted });
    }
    return { seed, scale, reference: referenceResult, inserted };
  });
  // Outside the transaction (VACUUM cannot run in one): the report tables the load churned, rewritten compact.
  await compactAfterBulkLoad(db);
  return { ...result, ms: Math.round(performance.now() - started) };
}

/** Row counts of the reference and scenario tables, for the CLI to print after a load. */
export async function demoSummary(db: Kysely<Database>): Promise<DemoCounts> {
  return {
    nations: await count(db, 'nations'),
    itemGroups: await count(db, 'itemGroups'),
    itemTypes: await count(db, 'itemTypes'),
    fxRates: await count(db, 'fxRates'),
    meetings: await count(db, 'meetings'),
    requirements: await count(db, 'requirements'),
    pledges: await count(db, 'pledges'),
    tranches: await count(db, 'tranches'),
    deliveries: await count(db, 'deliveries'),
    stockReports: await count(db, 'stockReports'),
  };
}
