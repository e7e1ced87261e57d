import type { Kysely } from 'kysely';
import { execStatements } from './exec-statements.ts';

/**
 * The report triggers of 0013 and 0015 touch a few rows of large tables per statement (the lines of a batch,
 * their tranches and pledges, their totals), but the planner, not knowing how small a transition table is,
 * joined them by hashing whole tables: a batch of 1,000 delivery lines took 0.7 s instead of 0.06 s without
 * the triggers. Inside the trigger functions, hash and merge joins are off, so the rows are reached by their
 * indexes (0.25 s per 1,000 lines measured on the scale-84 database).
 */
const FUNCTIONS = [
  'concord_report_refresh(text[])',
  'concord_report_apply_facts()',
  'concord_report_deliveries_changed()',
  'concord_report_tranches_changed()',
  'concord_report_pledges_changed()',
  'concord_report_items_changed()',
  'concord_report_groups_changed()',
  'concord_report_pledges_committed()',
  'concord_report_items_revalued()',
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await execStatements(db, FUNCTIONS.map((f) => `alter function ${f} set enable_hashjoin = off set enable_mergejoin = off;`).join('\n'));
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await execStatements(db, FUNCTIONS.map((f) => `alter function ${f} reset enable_hashjoin reset enable_mergejoin;`).join('\n'));
}
