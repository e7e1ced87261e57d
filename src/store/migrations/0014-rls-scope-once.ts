import type { Kysely } from 'kysely';
import { execStatements } from './exec-statements.ts';

/**
 * The read policies of pledges, tranches and deliveries ask `concord_reads_all()` once per query instead of
 * once per row: written as `(select concord_reads_all())`, PostgreSQL evaluates it as an init plan and the
 * `or` stops there for coordinators and aggregate reads, so a report's scan of half a million pledges no
 * longer reads four settings per row. The per-line checks come second, for the other readers. What each
 * role may read is unchanged (the same two conditions, or-ed).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await execStatements(db, `
alter policy pledges_select on pledges using ((select concord_reads_all()) or concord_line_visible(pledges.donor::text, pledges.releasability));
alter policy tranches_select on tranches using ((select concord_reads_all()) or concord_pledge_readable(tranches.pledge_id));
alter policy deliveries_select on deliveries using ((select concord_reads_all()) or concord_tranche_readable(deliveries.tranche_id));
`);
}

/** Back to the policies of 0005-row-security and 0012-rls-lookup-functions. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await execStatements(db, `
alter policy pledges_select on pledges using (concord_line_visible(pledges.donor::text, pledges.releasability) or concord_reads_all());
alter policy tranches_select on tranches using (concord_reads_all() or concord_pledge_readable(tranches.pledge_id));
alter policy deliveries_select on deliveries using (concord_reads_all() or concord_tranche_readable(deliveries.tranche_id));
`);
}
