import type { Kysely } from 'kysely';
import { execStatements } from './exec-statements.ts';

/**
 * What the open-tranche queries read of a tranche's pledge, kept on the tranche's totals row
 * (`report_tranche_receipts`): the forecast's outstanding tranches and the delays report's overdue ones
 * looked up the pledge of each of 30,000–54,000 open tranches (half a million pledges), most of their time.
 *
 * - Columns: the pledge's donor and status, the capability area (the pledge's, else its group's, else
 *   sustainment), and the value of one unit in its currency (declared value ÷ quantity, else the item's
 *   reference price), by the rules the queries applied on the join.
 * - Kept by triggers in the writing transaction, after those of 0013 (their names sort after them): on
 *   tranches inserted or updated, on pledges whose donor, status, area, group, item or value changed, on
 *   items whose reference price changed and on groups whose capability area changed. Hash and merge joins
 *   are off inside the function, as in 0016 (a few rows of large tables per statement).
 * - The partial indexes of the open tranches (by group for the forecast, by expected date for the overdue
 *   ones) carry every column those queries read, so that they are answered from the index alone (an
 *   index-only scan, where the visibility map allows) instead of from 18,000 heap pages scattered over a
 *   million totals rows.
 * - Bodies are one line each: the migration runner splits statements at a line-ending `;`.
 */

const TRANCHE_PLEDGE_FACTS = `
select t.id, p.donor::text as donor, p.status, coalesce(p.capability_area, g.capability_area, 'sustainment') as capability_area,
  case when p.amount_minor is not null and p.quantity > 0 then p.amount_minor::double precision / p.quantity else it.ref_price_minor end as unit_value_minor,
  (case when p.amount_minor is not null and p.quantity > 0 then p.currency else it.ref_price_currency end)::text as unit_currency
from tranches t join pledges p on p.id = t.pledge_id
left join item_types it on it.code = p.item_code left join item_groups g on g.code = p.group_code`;

const SET_FROM_FACTS = `update report_tranche_receipts r set donor = x.donor, pledge_status = x.status, capability_area = x.capability_area, unit_value_minor = x.unit_value_minor, unit_currency = x.unit_currency`;

const CHANGED = `(r.donor, r.pledge_status, r.capability_area, r.unit_value_minor, r.unit_currency) is distinct from (x.donor, x.status, x.capability_area, x.unit_value_minor, x.unit_currency)`;

const oneLine = (s: string) => s.trim().replace(/\s*\n\s*/g, ' ');

const NO_HASH = 'set enable_hashjoin = off set enable_mergejoin = off';

export async function up(db: Kysely<unknown>): Promise<void> {
  await execStatements(db, `
alter table report_tranche_receipts add column donor text, add column pledge_status text, add column capability_area text, add column unit_value_minor double precision, add column unit_currency text;
${SET_FROM_FACTS} from (${oneLine(TRANCHE_PLEDGE_FACTS)}) x where r.tranche_id = x.id;
create or replace function concord_report_tranche_pledges(ids text[]) returns void language plpgsql security definer ${NO_HASH} as $$ begin ${SET_FROM_FACTS} from (${oneLine(TRANCHE_PLEDGE_FACTS)} where t.id = any(ids)) x where r.tranche_id = x.id and ${CHANGED}; end $$;
create or replace function concord_report_tranches_open() returns trigger language plpgsql security definer ${NO_HASH} as $$ begin perform concord_report_tranche_pledges(array(select id from changed_new)); return null; end $$;
create or replace function concord_report_pledges_open() returns trigger language plpgsql security definer ${NO_HASH} as $$ begin perform concord_report_tranche_pledges(array(select t.id from changed_new n join changed_old o on o.id = n.id join tranches t on t.pledge_id = n.id where (o.donor, o.status, o.capability_area, o.group_code, o.item_code, o.amount_minor, o.quantity, o.currency) is distinct from (n.donor, n.status, n.capability_area, n.group_code, n.item_code, n.amount_minor, n.quantity, n.currency))); return null; end $$;
create or replace function concord_report_items_open() returns trigger language plpgsql security definer ${NO_HASH} as $$ begin perform concord_report_tranche_pledges(array(select t.id from changed_new n join changed_old o on o.code = n.code join pledges p on p.item_code = n.code join tranches t on t.pledge_id = p.id where (o.ref_price_minor, o.ref_price_currency) is distinct from (n.ref_price_minor, n.ref_price_currency))); return null; end $$;
create or replace function concord_report_groups_open() returns trigger language plpgsql security definer ${NO_HASH} as $$ begin perform concord_report_tranche_pledges(array(select t.id from changed_new n join changed_old o on o.code = n.code join pledges p on p.group_code = n.code and p.capability_area is null join tranches t on t.pledge_id = p.id where o.capability_area is distinct from n.capability_area)); return null; end $$;
create trigger report_tranches_inserted_open after insert on tranches referencing new table as changed_new for each statement execute function concord_report_tranches_open();
create trigger report_tranches_updated_open after update on tranches referencing old table as changed_old new table as changed_new for each statement execute function concord_report_tranches_open();
create trigger report_pledges_updated_open after update on pledges referencing old table as changed_old new table as changed_new for each statement execute function concord_report_pledges_open();
create trigger report_items_updated_open after update on item_types referencing old table as changed_old new table as changed_new for each statement execute function concord_report_items_open();
create trigger report_groups_updated_open after update on item_groups referencing old table as changed_old new table as changed_new for each statement execute function concord_report_groups_open();
drop index if exists report_tranche_receipts_open;
drop index if exists report_tranche_receipts_open_group;
create index report_tranche_receipts_open on report_tranche_receipts(expected_on) include (tranche_id, pledge_id, donor, pledge_status, capability_area, group_code, unit_value_minor, unit_currency, quantity, received) where quantity is not null and received < quantity;
create index report_tranche_receipts_open_group on report_tranche_receipts(group_code) include (tranche_id, pledge_id, donor, pledge_status, expected_on, quantity, received) where quantity is not null and received < quantity;
analyze report_tranche_receipts;
`);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await execStatements(db, `
drop trigger if exists report_tranches_inserted_open on tranches;
drop trigger if exists report_tranches_updated_open on tranches;
drop trigger if exists report_pledges_updated_open on pledges;
drop trigger if exists report_items_updated_open on item_types;
drop trigger if exists report_groups_updated_open on item_groups;
drop function if exists concord_report_tranches_open(), concord_report_pledges_open(), concord_report_items_open(), concord_report_groups_open(), concord_report_tranche_pledges(text[]);
drop index if exists report_tranche_receipts_open;
drop index if exists report_tranche_receipts_open_group;
create index report_tranche_receipts_open on report_tranche_receipts(expected_on) where quantity is not null and received < quantity;
create index report_tranche_receipts_open_group on report_tranche_receipts(group_code) where quantity is not null and received < quantity;
alter table report_tranche_receipts drop column if exists donor, drop column if exists pledge_status, drop column if exists capability_area, drop column if exists unit_value_minor, drop column if exists unit_currency;
`);
}
