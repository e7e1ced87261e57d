import type { Kysely } from 'kysely';
import { execStatements } from './exec-statements.ts';

/**
 * Committed pledges summed the way coverage and burden sharing read them, kept by triggers like the
 * delivery totals of 0013-report-aggregates (same transaction, so a rollback leaves them as they were):
 * - `report_committed_supply`: committed-or-later pledges of a group with a quantity, per (group,
 *   designated requirement or '', announcement date): units and pledges. Coverage takes the dates up to
 *   its as-of date and subtracts the pledges the latest plan names (those count one by one).
 * - `report_commitments`: committed-or-later pledges per (donor, channel, horizon, years, announcement
 *   date, valuation basis, currency): value (declared, else reference price × quantity), valued pledges,
 *   pledges. Burden sharing takes the rows that count in its year.
 * - A pledge insert, update or delete subtracts the old row's contribution and adds the new one's (one
 *   grouped upsert per statement); a change of an item's reference price re-values its pledges.
 * - `security definer` and the read policy as in 0013. Bodies are one line each (the migration runner
 *   splits statements at a line-ending `;`).
 */

const COMMITTED = `status in ('committed', 'contracted', 'delivering', 'delivered')`;

/** Contribution of pledges `p` (a transition table) to the supply totals, times `sign`. */
const supplyRows = (table: string, sign: number) =>
  `select p.group_code, coalesce(p.designated_to, '') as designated_to, p.announced_on, ${sign} * p.quantity as quantity, ${sign} as pledges from ${table} p where p.${COMMITTED} and p.group_code is not null and p.quantity is not null`;

/** Contribution of pledges `p` with items `it` to the commitment totals, times `sign`. */
const commitmentRows = (pledges: string, items: string, sign: number, where = 'true') =>
  `select p.donor::text as donor, p.channel, p.horizon, p.years, p.announced_on,
    case when p.amount_minor is not null then 'declared' when it.ref_price_minor is not null and p.quantity is not null then 'reference' else 'none' end as basis,
    coalesce((case when p.amount_minor is not null then p.currency else it.ref_price_currency end)::text, '') as currency,
    ${sign} * coalesce(coalesce(p.amount_minor::numeric, it.ref_price_minor::numeric * p.quantity), 0) as value_minor,
    ${sign} * (case when coalesce(p.amount_minor::numeric, it.ref_price_minor::numeric * p.quantity) is null then 0 else 1 end) as valued,
    ${sign} as pledges
  from ${pledges} p left join ${items} it on it.code = p.item_code where p.${COMMITTED} and ${where}`;

const upsertSupply = (rows: string) =>
  `insert into report_committed_supply as c (group_code, designated_to, announced_on, quantity, pledges) select group_code, designated_to, announced_on, sum(quantity), sum(pledges) from (${rows}) x group by 1, 2, 3 order by 1, 2, 3 on conflict (group_code, designated_to, announced_on) do update set quantity = c.quantity + excluded.quantity, pledges = c.pledges + excluded.pledges`;

const upsertCommitments = (rows: string) =>
  `insert into report_commitments as c (donor, channel, horizon, years, announced_on, basis, currency, value_minor, valued, pledges) select donor, channel, horizon, years, announced_on, basis, currency, sum(value_minor), sum(valued), sum(pledges) from (${rows}) x group by 1, 2, 3, 4, 5, 6, 7 order by 1, 2, 3, 4, 5, 6, 7 on conflict (donor, channel, horizon, years, announced_on, basis, currency) do update set value_minor = c.value_minor + excluded.value_minor, valued = c.valued + excluded.valued, pledges = c.pledges + excluded.pledges`;

const oneLine = (s: string) => s.trim().replace(/\s*\n\s*/g, ' ');

const PLEDGES_CHANGED = `begin
if TG_OP = 'INSERT' then
  ${upsertSupply(supplyRows('changed_new', 1))};
  ${upsertCommitments(commitmentRows('changed_new', 'item_types', 1))};
elsif TG_OP = 'UPDATE' then
  ${upsertSupply(`${supplyRows('changed_old', -1)} union all ${supplyRows('changed_new', 1)}`)};
  ${upsertCommitments(`${commitmentRows('changed_old', 'item_types', -1)} union all ${commitmentRows('changed_new', 'item_types', 1)}`)};
else
  ${upsertSupply(supplyRows('changed_old', -1))};
  ${upsertCommitments(commitmentRows('changed_old', 'item_types', -1))};
end if;
return null;
end`;

/** Pledges valued at the reference price of an item whose price or currency changed. */
const REVALUED = `p.amount_minor is null and p.item_code in (select n.code from changed_new n join changed_old o on o.code = n.code where (o.ref_price_minor, o.ref_price_currency) is distinct from (n.ref_price_minor, n.ref_price_currency))`;

const ITEMS_CHANGED = `begin
${upsertCommitments(
  `${commitmentRows('pledges', 'changed_old', -1, REVALUED)} union all ${commitmentRows('pledges', 'changed_new', 1, REVALUED)}`,
)};
return null;
end`;

const TABLES = ['report_committed_supply', 'report_commitments'];

export async function up(db: Kysely<unknown>): Promise<void> {
  await execStatements(db, `
create table report_committed_supply (
  group_code text not null,
  designated_to text not null,
  announced_on date not null,
  quantity bigint not null,
  pledges bigint not null,
  primary key (group_code, designated_to, announced_on)
);
create table report_commitments (
  donor text not null,
  channel text not null,
  horizon text not null,
  years integer[] not null,
  announced_on date not null,
  basis text not null,
  currency text not null,
  value_minor numeric not null,
  valued bigint not null,
  pledges bigint not null,
  primary key (donor, channel, horizon, years, announced_on, basis, currency)
);
create or replace function concord_report_pledges_committed() returns trigger language plpgsql security definer as $$ ${oneLine(PLEDGES_CHANGED)} $$;
create or replace function concord_report_items_revalued() returns trigger language plpgsql security definer as $$ ${oneLine(ITEMS_CHANGED)} $$;
${oneLine(upsertSupply(supplyRows('pledges', 1)))};
${oneLine(upsertCommitments(commitmentRows('pledges', 'item_types', 1)))};
create trigger report_pledges_committed_inserted after insert on pledges referencing new table as changed_new for each statement execute function concord_report_pledges_committed();
create trigger report_pledges_committed_updated after update on pledges referencing old table as changed_old new table as changed_new for each statement execute function concord_report_pledges_committed();
create trigger report_pledges_committed_deleted after delete on pledges referencing old table as changed_old for each statement execute function concord_report_pledges_committed();
create trigger report_items_revalued after update on item_types referencing old table as changed_old new table as changed_new for each statement execute function concord_report_items_revalued();
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
drop trigger if exists report_pledges_committed_inserted on pledges;
drop trigger if exists report_pledges_committed_updated on pledges;
drop trigger if exists report_pledges_committed_deleted on pledges;
drop trigger if exists report_items_revalued on item_types;
drop table if exists ${TABLES.join(', ')} cascade;
drop function if exists concord_report_pledges_committed(), concord_report_items_revalued();
`);
}
