import type { Kysely } from 'kysely';
import { execStatements } from './exec-statements.ts';

/**
 * Tranches and deliveries follow their pledge's visibility (0005-row-security). The policies said so with an
 * `exists (…)` subquery beside `concord_reads_all()`; PostgreSQL costs that subquery on every row it might
 * run for, so a report over a million delivery lines was planned as a serial nested loop (the subquery also
 * makes the scan parallel-restricted) although `concord_reads_all()` answers first and the subquery never runs.
 * The same lookup now sits in two functions, which the planner costs as one call and lets run in parallel:
 * - `concord_pledge_readable(pledge)`: the pledge exists and the caller may see it (pledges' own policy
 *   applies inside, the function runs as its caller);
 * - `concord_tranche_readable(tranche)`: likewise for a tranche, hence for its pledge.
 * What each role may read is unchanged; inserts, updates and deletes keep their policies.
 * - Bodies are one line each: the migration runner splits statements at a line-ending `;`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await execStatements(db, `
create or replace function concord_pledge_readable(pledge text) returns boolean language plpgsql stable parallel safe as $$ begin return exists (select 1 from pledges p where p.id = pledge); end $$;
create or replace function concord_tranche_readable(tranche text) returns boolean language plpgsql stable parallel safe as $$ begin return exists (select 1 from tranches t where t.id = tranche); end $$;
alter policy tranches_select on tranches using (concord_reads_all() or concord_pledge_readable(tranches.pledge_id));
alter policy deliveries_select on deliveries using (concord_reads_all() or concord_tranche_readable(deliveries.tranche_id));
`);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await execStatements(db, `
alter policy tranches_select on tranches using (concord_reads_all() or exists (select 1 from pledges p where p.id = tranches.pledge_id));
alter policy deliveries_select on deliveries using (concord_reads_all() or exists (select 1 from tranches t where t.id = deliveries.tranche_id));
drop function if exists concord_tranche_readable(text), concord_pledge_readable(text);
`);
}
