import type { Kysely } from 'kysely';
import { execStatements } from './exec-statements.ts';

/**
 * Units received per (group, designation) (`report_group_receipts`), the grain at which coverage pools
 * deliveries: the coverage receipts query summed the per-pledge totals of 0013 (340,000 pledges at scale
 * 84) on every report, when it needs per-pledge figures only for the pledges the latest plan names.
 *
 * - Kept from the delivery facts of 0013 by statement-level triggers on them, like the other totals
 *   (`s` is +1 for inserted facts, −1 for deleted ones); lines without a group are left out, as coverage
 *   leaves them; an undesignated line is filed under designation ''.
 * - Concurrent writers of lines of the same (group, designation) wait for each other's commit on its row.
 * - Read only in aggregate scope, written only by the trigger (as 0013's tables).
 * - Bodies are one line each: the migration runner splits statements at a line-ending `;`.
 */

const APPLY = `
declare s integer := case when TG_OP = 'INSERT' then 1 else -1 end;
begin
insert into report_group_receipts as g (group_code, designated_to, received, lines)
  select group_code, coalesce(designated_to, ''), s * sum(quantity), s * count(*) from delta where group_code is not null group by 1, 2 order by 1, 2
  on conflict (group_code, designated_to) do update set received = g.received + excluded.received, lines = g.lines + excluded.lines;
return null;
end`;

const oneLine = (s: string) => s.trim().replace(/\s*\n\s*/g, ' ');

export async function up(db: Kysely<unknown>): Promise<void> {
  await execStatements(db, `
create table report_group_receipts (
  group_code text not null,
  designated_to text not null,
  received bigint not null,
  lines bigint not null,
  primary key (group_code, designated_to)
);
insert into report_group_receipts (group_code, designated_to, received, lines) select group_code, coalesce(designated_to, ''), sum(quantity), count(*) from report_delivery_facts where group_code is not null group by 1, 2;
create or replace function concord_report_apply_group_receipts() returns trigger language plpgsql security definer set enable_hashjoin = off set enable_mergejoin = off as $$ ${oneLine(APPLY)} $$;
create trigger report_facts_inserted_groups after insert on report_delivery_facts referencing new table as delta for each statement execute function concord_report_apply_group_receipts();
create trigger report_facts_deleted_groups after delete on report_delivery_facts referencing old table as delta for each statement execute function concord_report_apply_group_receipts();
alter table report_group_receipts enable row level security;
alter table report_group_receipts force row level security;
create policy report_group_receipts_trusted on report_group_receipts using (current_user <> 'concord_app') with check (current_user <> 'concord_app');
create policy report_group_receipts_aggregate on report_group_receipts for select to concord_app using ((select concord_reads_all()));
do $$ begin execute 'revoke insert, update, delete, truncate on report_group_receipts from concord_app'; exception when undefined_object then null; end $$;
analyze report_group_receipts;
`);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await execStatements(db, `
drop trigger if exists report_facts_inserted_groups on report_delivery_facts;
drop trigger if exists report_facts_deleted_groups on report_delivery_facts;
drop table if exists report_group_receipts;
drop function if exists concord_report_apply_group_receipts();
`);
}
