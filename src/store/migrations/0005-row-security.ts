import type { Kysely } from 'kysely';
import { execStatements } from './exec-statements.ts';

/**
 * Releasability and row-level security: the database's own wall behind the application's policy.
 * - `pledges.releasability` holds labels: `owner`, `coordinators`, `recipient`, `all participants`,
 *   `REL TO XXX` (one per nation). The default follows DESIGN.md: the donor and the coordinators in full,
 *   and the recipient, to whom the pledge is made. A missing or unknown label grants nothing.
 * - `concord_app` is the role every use case runs as (`SET LOCAL ROLE` inside its transaction, see
 *   src/services/access/row-scope.ts). It owns nothing and cannot bypass RLS; it may read and write the
 *   tables but never update, delete or truncate the audit trail.
 * - Pledges, tranches and deliveries have RLS enabled and forced. For `concord_app`, a row is visible when
 *   `concord_line_visible` says so from `concord.role` / `concord.nation` (set with set_config(…, true)),
 *   or when the use case declared itself an aggregate (`concord.scope` = `aggregate`): it returns only sums.
 *   Tranches and deliveries follow their pledge (coordinators and aggregate reads skip that lookup). Any other role (the owner running migrations, the CLI's
 *   maintenance, tests' fixtures) is trusted and passes.
 * - Bodies are one line each: the migration runner splits statements at a line-ending `;`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await execStatements(db, `
alter table pledges add column releasability text[] not null default '{owner,coordinators,recipient}';
do $$ begin if not exists (select 1 from pg_roles where rolname = 'concord_app') then create role concord_app nologin nobypassrls; end if; exception when duplicate_object or unique_violation then null; end $$;
do $$ begin execute format('grant concord_app to %I', current_user); exception when others then raise notice 'could not grant concord_app to %: %', current_user, sqlerrm; end $$;
do $$ begin execute format('grant usage on schema %I to concord_app', current_schema()); execute format('grant select, insert, update, delete on all tables in schema %I to concord_app', current_schema()); execute format('grant usage, select, update on all sequences in schema %I to concord_app', current_schema()); execute format('alter default privileges in schema %I grant select, insert, update, delete on tables to concord_app', current_schema()); execute format('alter default privileges in schema %I grant usage, select, update on sequences to concord_app', current_schema()); end $$;
revoke update, delete, truncate on audit_log from concord_app;
do $$ begin execute 'revoke all on kysely_migration, kysely_migration_lock from concord_app'; exception when undefined_table then null; end $$;
create function concord_labels_valid(labels text[]) returns boolean language sql immutable as $$ select labels is not null and cardinality(labels) > 0 and not exists (select 1 from unnest(labels) as l(v) where v is null or v !~ '^(owner|coordinators|recipient|all participants|REL TO [A-Z]{3})$') $$;
create function concord_line_visible(line_owner text, labels text[]) returns boolean language sql stable as $$ select coalesce(case current_setting('concord.role', true) when 'coordinator' then true when 'donor' then line_owner = current_setting('concord.nation', true) or (concord_labels_valid(labels) and labels && array['all participants', 'REL TO ' || current_setting('concord.nation', true)]) when 'recipient' then concord_labels_valid(labels) and labels && array['recipient', 'all participants', 'REL TO ' || current_setting('concord.nation', true)] else false end, false) $$;
create function concord_line_writable(line_owner text) returns boolean language sql stable as $$ select coalesce(case current_setting('concord.role', true) when 'coordinator' then true when 'donor' then line_owner = current_setting('concord.nation', true) else false end, false) $$;
create function concord_reads_all() returns boolean language sql stable as $$ select coalesce(current_setting('concord.scope', true) = 'aggregate' or current_setting('concord.role', true) = 'coordinator', false) $$;
alter table pledges enable row level security;
alter table pledges force row level security;
create policy pledges_trusted on pledges using (current_user <> 'concord_app') with check (current_user <> 'concord_app');
create policy pledges_select on pledges for select to concord_app using (concord_line_visible(pledges.donor::text, pledges.releasability) or concord_reads_all());
create policy pledges_insert on pledges for insert to concord_app with check (concord_line_writable(pledges.donor::text));
create policy pledges_update on pledges for update to concord_app using (concord_line_writable(pledges.donor::text) or (current_setting('concord.role', true) = 'recipient' and concord_line_visible(pledges.donor::text, pledges.releasability))) with check (concord_line_writable(pledges.donor::text) or (current_setting('concord.role', true) = 'recipient' and concord_line_visible(pledges.donor::text, pledges.releasability)));
create policy pledges_delete on pledges for delete to concord_app using (concord_line_writable(pledges.donor::text));
alter table tranches enable row level security;
alter table tranches force row level security;
create policy tranches_trusted on tranches using (current_user <> 'concord_app') with check (current_user <> 'concord_app');
create policy tranches_select on tranches for select to concord_app using (concord_reads_all() or exists (select 1 from pledges p where p.id = tranches.pledge_id));
create policy tranches_insert on tranches for insert to concord_app with check (exists (select 1 from pledges p where p.id = tranches.pledge_id and concord_line_writable(p.donor::text)));
create policy tranches_update on tranches for update to concord_app using (exists (select 1 from pledges p where p.id = tranches.pledge_id and concord_line_writable(p.donor::text)));
create policy tranches_delete on tranches for delete to concord_app using (exists (select 1 from pledges p where p.id = tranches.pledge_id and concord_line_writable(p.donor::text)));
alter table deliveries enable row level security;
alter table deliveries force row level security;
create policy deliveries_trusted on deliveries using (current_user <> 'concord_app') with check (current_user <> 'concord_app');
create policy deliveries_select on deliveries for select to concord_app using (concord_reads_all() or exists (select 1 from tranches t where t.id = deliveries.tranche_id));
create policy deliveries_insert on deliveries for insert to concord_app with check (exists (select 1 from tranches t join pledges p on p.id = t.pledge_id where t.id = deliveries.tranche_id and concord_line_writable(p.donor::text)));
create policy deliveries_update on deliveries for update to concord_app using (exists (select 1 from tranches t join pledges p on p.id = t.pledge_id where t.id = deliveries.tranche_id and (concord_line_writable(p.donor::text) or current_setting('concord.role', true) = 'recipient')));
create policy deliveries_delete on deliveries for delete to concord_app using (exists (select 1 from tranches t join pledges p on p.id = t.pledge_id where t.id = deliveries.tranche_id and concord_line_writable(p.donor::text)));
`);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await execStatements(db, `
drop policy if exists deliveries_trusted on deliveries;
drop policy if exists deliveries_select on deliveries;
drop policy if exists deliveries_insert on deliveries;
drop policy if exists deliveries_update on deliveries;
drop policy if exists deliveries_delete on deliveries;
alter table deliveries no force row level security;
alter table deliveries disable row level security;
drop policy if exists tranches_trusted on tranches;
drop policy if exists tranches_select on tranches;
drop policy if exists tranches_insert on tranches;
drop policy if exists tranches_update on tranches;
drop policy if exists tranches_delete on tranches;
alter table tranches no force row level security;
alter table tranches disable row level security;
drop policy if exists pledges_trusted on pledges;
drop policy if exists pledges_select on pledges;
drop policy if exists pledges_insert on pledges;
drop policy if exists pledges_update on pledges;
drop policy if exists pledges_delete on pledges;
alter table pledges no force row level security;
alter table pledges disable row level security;
drop function if exists concord_reads_all(), concord_line_writable(text), concord_line_visible(text, text[]), concord_labels_valid(text[]);
alter table pledges drop column if exists releasability;
`);
}
