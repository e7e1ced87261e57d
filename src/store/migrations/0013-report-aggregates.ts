import type { Kysely } from 'kysely';
import { execStatements } from './exec-statements.ts';

/**
 * Delivery aggregates the reports read instead of joining a million delivery lines to their tranches and
 * pledges on every request (issue 4: every report under 2 s at 1,000,000 lines). Kept exact by triggers
 * in the writing transaction, so a rolled-back write leaves them as they were.
 *
 * - `report_delivery_facts`: one row per received delivery line with what the reports group by, taken from
 *   its tranche, pledge, item and group (donor, channel, capability area, group, designation, valuation
 *   basis, currency, value of the line, slippage). Read only for the lines received after a report's as-of
 *   date (index on `received_on`), which the totals below then leave out.
 * - Totals over every received line, maintained from the facts: per tranche (all tranches, with their
 *   quantity, date and pledge's group, so the open ones are found by partial indexes), per pledge (with its group and
 *   designation), per (donor, area, slippage, currency) for delays and forecasts, per (donor, channel,
 *   receipt date, basis, currency) for burden sharing.
 * - The facts of a line are re-derived (deleted, inserted) whenever something they come from changes:
 *   the line itself, its tranche's pledge, the pledge's donor/channel/area/group/designation/item/value,
 *   an item's reference price, a group's capability area. The totals follow the facts by statement-level
 *   triggers (one grouped update per statement, so bulk loads stay batched).
 * - The functions are `security definer`: the writer's row-level security must not hide the pledge a line
 *   belongs to while its facts are derived. The application role may read the tables only in aggregate
 *   scope (checked once per query: the policy's `(select …)` is an init plan, not a call per row) and
 *   never write them.
 * - Bodies are one line each: the migration runner splits statements at a line-ending `;`.
 */

/** Value, basis and currency of a delivery line: the same rules as the report queries used on the lines. */
const FACTS_SELECT = `
select d.id, d.tranche_id, t.pledge_id, d.received_on, d.received_on - d.promised_on, d.quantity,
  p.donor::text, p.channel, coalesce(p.capability_area, g.capability_area, 'sustainment'), p.group_code, p.designated_to,
  case when p.amount_minor is not null and p.quantity > 0 then 'declared' when it.ref_price_minor is not null then 'reference' else 'none' end,
  (case when p.amount_minor is not null and p.quantity > 0 then p.currency else it.ref_price_currency end)::text,
  case when p.amount_minor is not null and p.quantity > 0 then div(2 * p.amount_minor::numeric * d.quantity + p.quantity, 2 * p.quantity::numeric)
       when it.ref_price_minor is not null then it.ref_price_minor::numeric * d.quantity end
from deliveries d join tranches t on t.id = d.tranche_id join pledges p on p.id = t.pledge_id
left join item_types it on it.code = p.item_code left join item_groups g on g.code = p.group_code
where d.id = any(line_ids) and d.received_on is not null
order by d.id`;

const FACT_COLUMNS = 'delivery_id, tranche_id, pledge_id, received_on, slippage_days, quantity, donor, channel, capability_area, group_code, designated_to, basis, currency, value_minor';

/** Totals follow the facts: `s` is +1 for inserted facts, −1 for deleted ones (transition table `delta`). */
const APPLY_FACTS = `
declare s integer := case when TG_OP = 'INSERT' then 1 else -1 end;
begin
update report_tranche_receipts r set received = r.received + x.q, lines = r.lines + x.n
  from (select tranche_id, s * sum(quantity) as q, s * count(*) as n from delta group by tranche_id) x where r.tranche_id = x.tranche_id;
insert into report_pledge_receipts as r (pledge_id, group_code, designated_to, received, lines)
  select pledge_id, min(group_code), min(designated_to), s * sum(quantity), s * count(*) from delta group by pledge_id order by pledge_id
  on conflict (pledge_id) do update set received = r.received + excluded.received, lines = r.lines + excluded.lines,
    group_code = case when s > 0 then excluded.group_code else r.group_code end, designated_to = case when s > 0 then excluded.designated_to else r.designated_to end;
insert into report_delay_buckets as b (donor, capability_area, slippage_days, currency, lines, quantity, value_minor, valued_lines)
  select donor, capability_area, slippage_days, coalesce(currency, ''), s * count(*), s * sum(quantity), s * coalesce(sum(value_minor), 0), s * count(value_minor)
  from delta group by 1, 2, 3, 4 order by 1, 2, 3, 4
  on conflict (donor, capability_area, slippage_days, currency) do update set lines = b.lines + excluded.lines, quantity = b.quantity + excluded.quantity,
    value_minor = b.value_minor + excluded.value_minor, valued_lines = b.valued_lines + excluded.valued_lines;
insert into report_burden_daily as b (donor, channel, received_on, basis, currency, unvalued_pledge_id, lines, value_minor, valued_lines)
  select donor, channel, received_on, basis, coalesce(currency, ''), case when basis = 'none' then pledge_id else '' end, s * count(*), s * coalesce(sum(value_minor), 0), s * count(value_minor)
  from delta group by 1, 2, 3, 4, 5, 6 order by 1, 2, 3, 4, 5, 6
  on conflict (donor, channel, received_on, basis, currency, unvalued_pledge_id) do update set lines = b.lines + excluded.lines,
    value_minor = b.value_minor + excluded.value_minor, valued_lines = b.valued_lines + excluded.valued_lines;
return null;
end`;

const oneLine = (s: string) => s.trim().replace(/\s*\n\s*/g, ' ');

const TABLES = ['report_delivery_facts', 'report_tranche_receipts', 'report_pledge_receipts', 'report_delay_buckets', 'report_burden_daily'];

export async function up(db: Kysely<unknown>): Promise<void> {
  await execStatements(db, `
create index deliveries_received on deliveries(received_on);
create table report_delivery_facts (
  delivery_id text primary key,
  tranche_id text not null,
  pledge_id text not null,
  received_on date not null,
  slippage_days integer not null,
  quantity bigint not null,
  donor text not null,
  channel text not null,
  capability_area text not null,
  group_code text,
  designated_to text,
  basis text not null,
  currency text,
  value_minor numeric
);
create index report_delivery_facts_received on report_delivery_facts(received_on);
create index report_delivery_facts_pledge on report_delivery_facts(pledge_id);
create table report_tranche_receipts (
  tranche_id text primary key references tranches(id) on delete cascade on update cascade,
  pledge_id text not null,
  group_code text,
  expected_on date not null,
  quantity bigint,
  received bigint not null default 0,
  lines bigint not null default 0
);
create index report_tranche_receipts_pledge on report_tranche_receipts(pledge_id);
create index report_tranche_receipts_open on report_tranche_receipts(expected_on) where quantity is not null and received < quantity;
create index report_tranche_receipts_open_group on report_tranche_receipts(group_code) where quantity is not null and received < quantity;
create table report_pledge_receipts (
  pledge_id text primary key,
  group_code text,
  designated_to text,
  received bigint not null default 0,
  lines bigint not null default 0
);
create table report_delay_buckets (
  donor text not null,
  capability_area text not null,
  slippage_days integer not null,
  currency text not null,
  lines bigint not null,
  quantity bigint not null,
  value_minor numeric not null,
  valued_lines bigint not null,
  primary key (donor, capability_area, slippage_days, currency)
);
create table report_burden_daily (
  donor text not null,
  channel text not null,
  received_on date not null,
  basis text not null,
  currency text not null,
  unvalued_pledge_id text not null,
  lines bigint not null,
  value_minor numeric not null,
  valued_lines bigint not null,
  primary key (donor, channel, received_on, basis, currency, unvalued_pledge_id)
);
create index report_burden_daily_received on report_burden_daily(received_on);
create or replace function concord_report_refresh(line_ids text[]) returns void language plpgsql security definer as $$ begin delete from report_delivery_facts where delivery_id = any(line_ids); insert into report_delivery_facts (${FACT_COLUMNS}) ${oneLine(FACTS_SELECT)}; end $$;
create or replace function concord_report_apply_facts() returns trigger language plpgsql security definer as $$ ${oneLine(APPLY_FACTS)} $$;
create or replace function concord_report_deliveries_changed() returns trigger language plpgsql security definer as $$ begin if TG_OP = 'INSERT' then perform concord_report_refresh(array(select id from changed_new)); elsif TG_OP = 'UPDATE' then perform concord_report_refresh(array(select id from changed_old union select id from changed_new)); else perform concord_report_refresh(array(select id from changed_old)); end if; return null; end $$;
create or replace function concord_report_tranches_changed() returns trigger language plpgsql security definer as $$ begin if TG_OP = 'INSERT' then insert into report_tranche_receipts (tranche_id, pledge_id, group_code, expected_on, quantity) select n.id, n.pledge_id, p.group_code, n.expected_on, n.quantity from changed_new n join pledges p on p.id = n.pledge_id; else update report_tranche_receipts r set pledge_id = n.pledge_id, group_code = p.group_code, expected_on = n.expected_on, quantity = n.quantity from changed_new n join pledges p on p.id = n.pledge_id where r.tranche_id = n.id and (r.pledge_id, r.group_code, r.expected_on, r.quantity) is distinct from (n.pledge_id, p.group_code, n.expected_on, n.quantity); perform concord_report_refresh(array(select d.id from changed_new n join changed_old o on o.id = n.id join deliveries d on d.tranche_id = n.id where o.pledge_id is distinct from n.pledge_id)); end if; return null; end $$;
create or replace function concord_report_pledges_changed() returns trigger language plpgsql security definer as $$ begin update report_tranche_receipts r set group_code = n.group_code from changed_new n where r.pledge_id = n.id and r.group_code is distinct from n.group_code; perform concord_report_refresh(array(select d.id from changed_new n join changed_old o on o.id = n.id join tranches t on t.pledge_id = n.id join deliveries d on d.tranche_id = t.id where (o.donor, o.channel, o.capability_area, o.group_code, o.designated_to, o.item_code, o.amount_minor, o.quantity, o.currency) is distinct from (n.donor, n.channel, n.capability_area, n.group_code, n.designated_to, n.item_code, n.amount_minor, n.quantity, n.currency))); return null; end $$;
create or replace function concord_report_items_changed() returns trigger language plpgsql security definer as $$ begin perform concord_report_refresh(array(select d.id from changed_new n join changed_old o on o.code = n.code join pledges p on p.item_code = n.code join tranches t on t.pledge_id = p.id join deliveries d on d.tranche_id = t.id where (o.ref_price_minor, o.ref_price_currency) is distinct from (n.ref_price_minor, n.ref_price_currency))); return null; end $$;
create or replace function concord_report_groups_changed() returns trigger language plpgsql security definer as $$ begin perform concord_report_refresh(array(select d.id from changed_new n join changed_old o on o.code = n.code join pledges p on p.group_code = n.code and p.capability_area is null join tranches t on t.pledge_id = p.id join deliveries d on d.tranche_id = t.id where o.capability_area is distinct from n.capability_area)); return null; end $$;
create trigger report_facts_inserted after insert on report_delivery_facts referencing new table as delta for each statement execute function concord_report_apply_facts();
create trigger report_facts_deleted after delete on report_delivery_facts referencing old table as delta for each statement execute function concord_report_apply_facts();
insert into report_tranche_receipts (tranche_id, pledge_id, group_code, expected_on, quantity) select t.id, t.pledge_id, p.group_code, t.expected_on, t.quantity from tranches t join pledges p on p.id = t.pledge_id;
insert into report_delivery_facts (${FACT_COLUMNS}) ${oneLine(FACTS_SELECT).replace('d.id = any(line_ids) and ', '')};
create trigger report_deliveries_inserted after insert on deliveries referencing new table as changed_new for each statement execute function concord_report_deliveries_changed();
create trigger report_deliveries_updated after update on deliveries referencing old table as changed_old new table as changed_new for each statement execute function concord_report_deliveries_changed();
create trigger report_deliveries_deleted after delete on deliveries referencing old table as changed_old for each statement execute function concord_report_deliveries_changed();
create trigger report_tranches_inserted after insert on tranches referencing new table as changed_new for each statement execute function concord_report_tranches_changed();
create trigger report_tranches_updated after update on tranches referencing old table as changed_old new table as changed_new for each statement execute function concord_report_tranches_changed();
create trigger report_pledges_updated after update on pledges referencing old table as changed_old new table as changed_new for each statement execute function concord_report_pledges_changed();
create trigger report_items_updated after update on item_types referencing old table as changed_old new table as changed_new for each statement execute function concord_report_items_changed();
create trigger report_groups_updated after update on item_groups referencing old table as changed_old new table as changed_new for each statement execute function concord_report_groups_changed();
${TABLES.map(
  (t) => `alter table ${t} enable row level security;
alter table ${t} force row level security;
create policy ${t}_trusted on ${t} using (current_user <> 'concord_app') with check (current_user <> 'concord_app');
create policy ${t}_aggregate on ${t} for select to concord_app using ((select concord_reads_all()));
do $$ begin execute 'revoke insert, update, delete, truncate on ${t} from concord_app'; exception when undefined_object then null; end $$;
analyze ${t};`,
).join('\n')}
`);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await execStatements(db, `
drop trigger if exists report_deliveries_inserted on deliveries;
drop trigger if exists report_deliveries_updated on deliveries;
drop trigger if exists report_deliveries_deleted on deliveries;
drop trigger if exists report_tranches_inserted on tranches;
drop trigger if exists report_tranches_updated on tranches;
drop trigger if exists report_pledges_updated on pledges;
drop trigger if exists report_items_updated on item_types;
drop trigger if exists report_groups_updated on item_groups;
drop table if exists ${TABLES.join(', ')} cascade;
drop function if exists concord_report_refresh(text[]), concord_report_apply_facts(), concord_report_deliveries_changed(), concord_report_tranches_changed(), concord_report_pledges_changed(), concord_report_items_changed(), concord_report_groups_changed();
drop index if exists deliveries_received;
`);
}
