import type { Kysely } from 'kysely';
import { execStatements } from './exec-statements.ts';

/**
 * The core schema. Integrity lives here as well as in code:
 * - foreign keys between every pair of records that refer to each other;
 * - CHECK constraints for vocabularies, positive quantities and date order;
 * - text primary keys that are the records' external ids, so re-imports are idempotent.
 * Vocabularies repeat src/domain on purpose: the database refuses what the code should never send.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await execStatements(db, `
create table nations (
  code char(3) primary key check (code ~ '^[A-Z]{3}$'),
  name text not null check (length(name) between 1 and 200),
  kind text not null check (kind in ('ally', 'partner', 'recipient')),
  participation text not null default 'participating' check (participation in ('participating', 'opted-out')),
  nato_accession_year integer check (nato_accession_year between 1949 and 2100),
  source text not null default '',
  version integer not null default 1,
  updated_at timestamptz not null default now()
);
create table nation_economies (
  nation char(3) not null references nations(code) on delete cascade,
  year integer not null check (year between 1990 and 2100),
  gdp_usd_million numeric not null check (gdp_usd_million > 0),
  defence_usd_million numeric check (defence_usd_million >= 0),
  defence_pct_gdp numeric check (defence_pct_gdp >= 0),
  source text not null default '',
  primary key (nation, year)
);
create table fx_rates (
  currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
  valid_from date not null,
  per_eur numeric not null check (per_eur > 0),
  source text not null default '',
  primary key (currency, valid_from)
);
create table item_groups (
  code text primary key check (code ~ '^[a-z0-9][a-z0-9.-]{0,62}$'),
  name text not null,
  capability_area text not null check (capability_area in ('air-defence', 'artillery', 'ammunition', 'armour', 'aviation', 'drones', 'counter-drone', 'electronic-warfare', 'engineering-demining', 'medical', 'logistics', 'communications', 'training', 'sustainment'))
);
create table item_types (
  code text primary key check (code ~ '^[a-z0-9][a-z0-9.-]{0,62}$'),
  name text not null check (length(name) between 1 and 200),
  group_code text not null references item_groups(code),
  capability_area text not null check (capability_area in ('air-defence', 'artillery', 'ammunition', 'armour', 'aviation', 'drones', 'counter-drone', 'electronic-warfare', 'engineering-demining', 'medical', 'logistics', 'communications', 'training', 'sustainment')),
  unit text not null check (unit in ('each', 'round', 'system', 'vehicle', 'kit', 'set', 'pallet', 'seat', 'litre', 'tonne')),
  ref_price_minor bigint not null check (ref_price_minor >= 0),
  ref_price_currency char(3) not null check (ref_price_currency ~ '^[A-Z]{3}$'),
  ref_price_year integer not null check (ref_price_year between 1990 and 2100),
  ref_price_source text not null default '',
  version integer not null default 1,
  updated_at timestamptz not null default now()
);
create index item_types_group on item_types(group_code);
create table meetings (
  id text primary key check (id ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'),
  kind text not null check (kind in ('contact-group', 'council', 'ministerial', 'summit')),
  title text not null check (length(title) between 1 and 300),
  date date not null,
  location text not null default '',
  attendees text[] not null default '{}',
  notes text not null default '',
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index meetings_date on meetings(date);
create table requirements (
  id text primary key check (id ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'),
  item_code text references item_types(code),
  accepts text[] not null check (cardinality(accepts) >= 1),
  capability_area text not null check (capability_area in ('air-defence', 'artillery', 'ammunition', 'armour', 'aviation', 'drones', 'counter-drone', 'electronic-warfare', 'engineering-demining', 'medical', 'logistics', 'communications', 'training', 'sustainment')),
  quantity bigint not null check (quantity > 0),
  priority smallint not null check (priority between 1 and 4),
  need_by date not null,
  uses text[] not null default '{}',
  status text not null default 'draft' check (status in ('draft', 'submitted', 'validated', 'partly-covered', 'covered', 'fulfilled', 'cancelled')),
  title text not null default '',
  notes text not null default '',
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index requirements_status_priority on requirements(status, priority, need_by);
create index requirements_area on requirements(capability_area);
create index requirements_need_by on requirements(need_by, id);
create table pledges (
  id text primary key check (id ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'),
  donor char(3) not null references nations(code),
  kind text not null check (kind in ('in-kind', 'procurement', 'funding', 'training')),
  channel text not null check (channel in ('coordinated', 'bilateral')),
  item_code text references item_types(code),
  group_code text references item_groups(code),
  capability_area text check (capability_area in ('air-defence', 'artillery', 'ammunition', 'armour', 'aviation', 'drones', 'counter-drone', 'electronic-warfare', 'engineering-demining', 'medical', 'logistics', 'communications', 'training', 'sustainment')),
  quantity bigint check (quantity > 0),
  amount_minor bigint check (amount_minor >= 0),
  currency char(3) check (currency ~ '^[A-Z]{3}$'),
  horizon text not null default 'one-off' check (horizon in ('one-off', 'multi-year')),
  years integer[] not null default '{}',
  forbids text[] not null default '{}',
  designated_to text references requirements(id),
  meeting_id text references meetings(id),
  announced_on date not null,
  status text not null default 'announced' check (status in ('announced', 'committed', 'contracted', 'delivering', 'delivered', 'withdrawn')),
  notes text not null default '',
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint pledges_goods_or_money check (
    (kind = 'funding' and amount_minor is not null and currency is not null and quantity is null and group_code is null)
    or (kind <> 'funding' and quantity is not null and group_code is not null)
  ),
  constraint pledges_amount_has_currency check ((amount_minor is null) = (currency is null)),
  constraint pledges_multi_year_has_years check (horizon = 'one-off' or cardinality(years) >= 1)
);
create index pledges_donor on pledges(donor, status);
create index pledges_group on pledges(group_code, status);
create index pledges_meeting on pledges(meeting_id);
create index pledges_announced on pledges(announced_on, id);
create table tranches (
  id text primary key,
  pledge_id text not null references pledges(id) on delete cascade,
  seq integer not null check (seq >= 1),
  quantity bigint check (quantity > 0),
  amount_minor bigint check (amount_minor > 0),
  expected_on date not null,
  unique (pledge_id, seq),
  check (quantity is not null or amount_minor is not null)
);
create index tranches_expected on tranches(expected_on);
create table deliveries (
  id text primary key check (id ~ '^[A-Za-z0-9][A-Za-z0-9_./-]{0,63}$'),
  tranche_id text not null references tranches(id),
  quantity bigint not null check (quantity > 0),
  promised_on date not null,
  shipped_on date not null,
  received_on date,
  hub text not null default '',
  status text not null default 'shipped' check (status in ('shipped', 'received')),
  notes text not null default '',
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (received_on is null or received_on >= shipped_on),
  check ((status = 'received') = (received_on is not null))
);
create index deliveries_tranche on deliveries(tranche_id);
create index deliveries_shipped on deliveries(shipped_on, id);
create table stock_reports (
  id text primary key check (id ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'),
  group_code text not null references item_groups(code),
  as_of date not null,
  on_hand bigint not null check (on_hand >= 0),
  daily_consumption numeric not null check (daily_consumption >= 0),
  notes text not null default '',
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (group_code, as_of)
);
create sequence requirement_ids;
create sequence pledge_ids;
create sequence delivery_ids;
create sequence meeting_ids;
create sequence stock_report_ids;
`);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await execStatements(db, `
drop table if exists stock_reports, deliveries, tranches, pledges, requirements, meetings, item_types, item_groups, fx_rates, nation_economies, nations cascade;
drop sequence if exists requirement_ids, pledge_ids, delivery_ids, meeting_ids, stock_report_ids;
`);
}
