import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';

/**
 * The tables a bulk load churns: the trigger-kept report totals rewrite a row for every batch of lines
 * that touches it. In one transaction no vacuum can reclaim the dead versions meanwhile, and a later
 * VACUUM makes their space reusable without giving it back: after the scale-84 demo load (1.1M delivery
 * lines), 795 MB for report_tranche_receipts with its indexes (263 MB rewritten), 95 MB for the 73,629
 * rows of report_delay_buckets (9.5 MB), 258 MB for the pledges' indexes (175 MB), and a sequential scan
 * or a partial index reads through all of it.
 */
const CHURNED_BY_BULK_LOAD = [
  'report_tranche_receipts',
  'report_delivery_facts',
  'report_burden_daily',
  'report_delay_buckets',
  'report_commitments',
  'report_committed_supply',
  'report_pledge_receipts',
  'report_group_receipts',
  'pledges',
] as const;

/**
 * After a bulk load in one transaction (the demo scenario): rewrites the tables it churned and their
 * indexes compact (VACUUM FULL), with fresh planner statistics (ANALYZE), as one does after any bulk
 * import. A live server's autovacuum keeps them compact as rows change one by one. Takes an exclusive
 * lock on each table while it is rewritten (about 20 s at scale 84); must not run inside a transaction.
 */
export async function compactAfterBulkLoad(db: Kysely<Database>): Promise<void> {
  await sql`vacuum full analyze ${sql.join(CHURNED_BY_BULK_LOAD.map((t) => sql.table(t)))}`.execute(db);
}
