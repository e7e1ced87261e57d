import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from './schema.ts';

/**
 * The SQL behind the reports. Aggregation happens here, where the data lives: the queries GROUP BY in
 * PostgreSQL and hand the engines pre-aggregated rows, so a million delivery lines never cross into
 * JavaScript one by one. Every query runs unchanged on PGlite (PostgreSQL 18) and PostgreSQL 15.
 *
 * Value of a pledge or delivery line, in its own currency (the services convert):
 * - declared: the pledge's `amount_minor` (a funding amount, or the donor's declared value of the items),
 *   pro rata to the quantity for a delivery line, rounded half up per line;
 * - reference: catalog reference unit price × quantity;
 * - none: neither is known (a pledge of a group with no item named and no declared value).
 */

type Db = Kysely<Database>;

/** Pledge statuses that count as committed: committed or later, never withdrawn. */
const COMMITTED = ['committed', 'contracted', 'delivering', 'delivered'];

const rows = async <T>(db: Db, query: RawBuilder<T>): Promise<T[]> => (await query.execute(db)).rows;

/**
 * Settings for the rest of a report's transaction (`SET LOCAL`, gone at its end):
 * - no JIT compilation: the report queries are one pass over up to a million lines, where compiling the
 *   expressions (with inlining and optimisation, which their cost estimates trigger) costs more than it saves;
 * - 64 MB of work memory per hash or sort, so that grouping a million delivery lines by tranche or pledge
 *   stays in memory instead of spilling to temporary files in batches.
 */
export async function prepareReportSession(db: Db): Promise<void> {
  await sql`select set_config('jit', 'off', true), set_config('work_mem', '64MB', true)`.execute(db);
}

/** Units received by a date per tranche (a grouped pass over the delivery lines, joined once, not a subquery per tranche). */
const receivedByTranche = (on: string) => sql`(select d.tranche_id, sum(d.quantity) as quantity from deliveries d where d.received_on <= ${on}::date group by d.tranche_id)`;

/** The latest plan's id, as a scalar subquery. */
const LATEST_PLAN = sql`(select id from plans order by seq desc limit 1)`;

/**
 * Value of a delivery line in its valuation currency: declared pro rata (half up), else reference price × quantity.
 * Expects aliases `p` (pledge), `it` (item type) and `d` (delivery).
 */
const LINE_VALUE = sql`case
  when p.amount_minor is not null and p.quantity > 0 then div(2 * p.amount_minor::numeric * d.quantity + p.quantity, 2 * p.quantity::numeric)
  when it.ref_price_minor is not null then it.ref_price_minor::numeric * d.quantity
end`;
const LINE_BASIS = sql`case when p.amount_minor is not null and p.quantity > 0 then 'declared' when it.ref_price_minor is not null then 'reference' else 'none' end`;
const LINE_CURRENCY = sql`case when p.amount_minor is not null and p.quantity > 0 then p.currency else it.ref_price_currency end`;

// ---------------------------------------------------------------- reference data

export interface FxRateRow {
  currency: string;
  validFrom: string;
  perEur: number;
}

/** Every FX rate (a few hundred rows). */
export async function loadFxRates(db: Db): Promise<FxRateRow[]> {
  return db.selectFrom('fxRates').select(['currency', 'validFrom', 'perEur']).orderBy('currency').orderBy('validFrom').execute();
}

// ---------------------------------------------------------------- coverage

export interface CoverageRequirementRow {
  id: string;
  accepts: string[];
  capabilityArea: string;
  quantity: number;
  priority: number;
  needBy: string;
  status: string;
  /** Reference unit price of the requirement's item, or of the first item of its first group; null when unknown. */
  priceMinor: number | null;
  priceCurrency: string | null;
}

/**
 * Requirements in the given statuses with the reference price of one unit: the item's, or for a
 * group-only requirement the first catalog item (by code) of its first accepted group.
 */
export async function loadCoverageRequirements(db: Db, statuses: readonly string[]): Promise<CoverageRequirementRow[]> {
  return rows(
    db,
    sql<CoverageRequirementRow>`
      with group_price as (
        select distinct on (group_code) group_code, ref_price_minor, ref_price_currency
        from item_types order by group_code, code
      )
      select r.id, r.accepts, r.capability_area, r.quantity, r.priority, r.need_by, r.status,
        coalesce(it.ref_price_minor, gp.ref_price_minor) as price_minor,
        coalesce(it.ref_price_currency, gp.ref_price_currency) as price_currency
      from requirements r
      left join item_types it on it.code = r.item_code
      left join group_price gp on r.item_code is null and gp.group_code = r.accepts[1]
      where r.status = any(${[...statuses]}::text[])`,
  );
}

/** One supply line coverage counts: a pledge of the current plan, or pledges pooled by designation or group. */
export interface CoverageSupplyRow {
  /** The pledge id (pledges the plan allocates), `designated:<requirement>` or `pool:<group>`. */
  id: string;
  groupCode: string;
  designatedTo: string | null;
  quantity: number;
  status: string;
  announcedOn: string;
  /** Pledges folded into the line. */
  pledges: number;
}

/**
 * Pledges as coverage sees them, pre-aggregated:
 * - every pledge the latest plan allocates, one row each at its real status (the plan counts per pledge);
 * - committed pledges announced by `asOf` that the plan does not name, summed per designated requirement
 *   (`designated:<id>`) or, when undesignated, per interchangeability group (`pool:<group>`): the coverage
 *   rule treats those exactly as one pooled supply each.
 */
export async function loadCoverageSupply(db: Db, asOf: string): Promise<CoverageSupplyRow[]> {
  return rows(
    db,
    sql<CoverageSupplyRow>`
      with planned as (select distinct pledge_id from plan_allocations where plan_id = ${LATEST_PLAN})
      select p.id, p.group_code, p.designated_to, p.quantity, p.status, p.announced_on, 1 as pledges
      from pledges p join planned on planned.pledge_id = p.id
      where p.group_code is not null and p.quantity is not null
      union all
      select case when p.designated_to is not null then 'designated:' || p.designated_to else 'pool:' || p.group_code end,
        min(p.group_code), p.designated_to, sum(p.quantity), 'committed', min(p.announced_on), count(*)
      from pledges p
      where p.status = any(${COMMITTED}::text[]) and p.group_code is not null and p.quantity is not null
        and p.announced_on <= ${asOf}::date
        and not exists (select 1 from planned where planned.pledge_id = p.id)
      group by 1, p.designated_to`,
  );
}

/** Received units per supply line of `loadCoverageSupply` (keys `delivered-designated:` and `delivered-pool:` for pooled lines). */
export interface CoverageReceiptRow {
  supply: string;
  groupCode: string;
  designatedTo: string | null;
  quantity: number;
  /** Received units at the earlier date, when one is asked for. */
  quantityAtEarlier: number;
}

/**
 * Units received by `asOf` (and by `earlier`, in the same pass) per pledge of the latest plan, per
 * designated requirement, or per group: one grouped pass over the lines by (designation, planned pledge,
 * group), keyed afterwards (no per-pledge intermediate, no text key built per line).
 */
export async function loadCoverageReceipts(db: Db, asOf: string, earlier: string | null = null): Promise<CoverageReceiptRow[]> {
  return rows(
    db,
    sql<CoverageReceiptRow>`
      with planned as (select distinct pledge_id from plan_allocations where plan_id = ${LATEST_PLAN}),
      by_line as (
        select p.designated_to, case when p.designated_to is null then pl.pledge_id end as planned_id, p.group_code,
          sum(d.quantity) as quantity,
          coalesce(sum(d.quantity) filter (where d.received_on <= ${earlier}::date), 0) as quantity_at_earlier
        from deliveries d join tranches t on t.id = d.tranche_id join pledges p on p.id = t.pledge_id
        left join planned pl on pl.pledge_id = p.id
        where d.received_on <= ${asOf}::date and p.group_code is not null
        group by 1, 2, 3
      )
      select case
          when designated_to is not null then 'delivered-designated:' || designated_to
          when planned_id is not null then planned_id
          else 'delivered-pool:' || group_code end as supply,
        min(group_code) as group_code, designated_to, sum(quantity) as quantity, sum(quantity_at_earlier) as quantity_at_earlier
      from by_line
      group by 1, designated_to`,
  );
}

export interface PlanAllocationSumRow {
  pledgeId: string;
  requirementId: string;
  quantity: number;
}

/** The latest plan's id and its allocations summed per pledge and requirement; null id when no plan exists. */
export async function loadLatestPlanAllocations(db: Db): Promise<{ planId: string | null; allocations: PlanAllocationSumRow[] }> {
  const plan = await db.selectFrom('plans').select('id').orderBy('seq', 'desc').limit(1).executeTakeFirst();
  if (!plan) return { planId: null, allocations: [] };
  const allocations = await db
    .selectFrom('planAllocations')
    .select(['pledgeId', 'requirementId', (eb) => eb.fn.sum<number>('quantity').as('quantity')])
    .where('planId', '=', plan.id)
    .groupBy(['pledgeId', 'requirementId'])
    .execute();
  return { planId: plan.id, allocations: allocations.map((a) => ({ ...a, quantity: Number(a.quantity) })) };
}

// ---------------------------------------------------------------- forecast

export interface StockReportRow {
  id: string;
  groupCode: string;
  asOf: string;
  onHand: number;
  dailyConsumption: number;
  groupName: string;
  capabilityArea: string;
}

/** The latest stock report of each group dated on or before `on`. */
export async function loadLatestStockReports(db: Db, on: string): Promise<StockReportRow[]> {
  return rows(
    db,
    sql<StockReportRow>`
      select distinct on (s.group_code) s.id, s.group_code, s.as_of, s.on_hand, s.daily_consumption, g.name as group_name, g.capability_area
      from stock_reports s join item_groups g on g.code = s.group_code
      where s.as_of <= ${on}::date
      order by s.group_code, s.as_of desc`,
  );
}

export interface OutstandingTrancheRow {
  id: string;
  pledgeId: string;
  groupCode: string;
  donor: string;
  expectedOn: string;
  quantity: number;
  /** Units still to come: the tranche's quantity less what was received by the start date. */
  outstanding: number;
}

/**
 * Tranches of committed-or-later pledges of the given groups not fully received by `on`, with the
 * outstanding quantity (tranche quantity − units received by then). Only the delivery lines of those
 * tranches are summed (the stock-reported groups are a small part of all lines).
 */
export async function loadOutstandingTranches(db: Db, groups: readonly string[], on: string): Promise<OutstandingTrancheRow[]> {
  if (groups.length === 0) return [];
  return rows(
    db,
    sql<OutstandingTrancheRow>`
      with candidates as (
        select t.id, t.pledge_id, p.group_code, p.donor, t.expected_on, t.quantity
        from tranches t join pledges p on p.id = t.pledge_id
        where p.status = any(${COMMITTED}::text[]) and p.group_code = any(${[...groups]}::text[]) and t.quantity is not null
      ),
      received as (
        select d.tranche_id, sum(d.quantity) as quantity
        from deliveries d join candidates c on c.id = d.tranche_id
        where d.received_on <= ${on}::date
        group by d.tranche_id
      )
      select c.id, c.pledge_id, c.group_code, c.donor, c.expected_on, c.quantity, c.quantity - coalesce(r.quantity, 0) as outstanding
      from candidates c left join received r on r.tranche_id = c.id
      where coalesce(r.quantity, 0) < c.quantity
      order by c.id`,
  );
}

export interface SlippageBucketRow {
  donor: string;
  slippageDays: number;
  lines: number;
}

/** Received delivery lines by donor and slippage (received − promised days), received by `on`: a histogram. */
export async function loadSlippageHistogram(db: Db, on: string): Promise<SlippageBucketRow[]> {
  return rows(
    db,
    sql<SlippageBucketRow>`
      select p.donor, d.received_on - d.promised_on as slippage_days, count(*) as lines
      from deliveries d join tranches t on t.id = d.tranche_id join pledges p on p.id = t.pledge_id
      where d.received_on <= ${on}::date
      group by 1, 2
      order by 1, 2`,
  );
}

// ---------------------------------------------------------------- delays

export interface DelayBucketRow {
  donor: string;
  capabilityArea: string;
  slippageDays: number;
  /** Valuation currency of the bucket (null for lines that could not be valued). */
  currency: string | null;
  lines: number;
  quantity: number;
  valueMinor: number | null;
}

/** Received delivery lines by donor, capability area, slippage and valuation currency, received by `asOf`. */
export async function loadDelayBuckets(db: Db, asOf: string): Promise<DelayBucketRow[]> {
  return rows(
    db,
    sql<DelayBucketRow>`
      select p.donor, coalesce(p.capability_area, g.capability_area, 'sustainment') as capability_area,
        d.received_on - d.promised_on as slippage_days, ${LINE_CURRENCY} as currency,
        count(*) as lines, sum(d.quantity) as quantity, sum(${LINE_VALUE}) as value_minor
      from deliveries d
      join tranches t on t.id = d.tranche_id
      join pledges p on p.id = t.pledge_id
      left join item_types it on it.code = p.item_code
      left join item_groups g on g.code = p.group_code
      where d.received_on <= ${asOf}::date
      group by 1, 2, 3, 4`,
  );
}

export interface OpenTrancheRow {
  trancheId: string;
  pledgeId: string;
  donor: string;
  capabilityArea: string;
  groupCode: string | null;
  expectedOn: string;
  quantity: number;
  receivedQuantity: number;
  /** Value of one unit in `unitCurrency` (declared value / quantity, else reference price). */
  unitValueMinor: number | null;
  unitCurrency: string | null;
}

/**
 * Tranches of committed-or-later pledges expected before `asOf` and not fully received by then, with the
 * units received so far and the unit value.
 */
export async function loadOverdueCandidates(db: Db, asOf: string): Promise<OpenTrancheRow[]> {
  return rows(
    db,
    sql<OpenTrancheRow>`
      select t.id as tranche_id, t.pledge_id, p.donor, coalesce(p.capability_area, g.capability_area, 'sustainment') as capability_area,
        p.group_code, t.expected_on, t.quantity, coalesce(r.quantity, 0) as received_quantity,
        case when p.amount_minor is not null and p.quantity > 0 then p.amount_minor::double precision / p.quantity else it.ref_price_minor end as unit_value_minor,
        case when p.amount_minor is not null and p.quantity > 0 then p.currency else it.ref_price_currency end as unit_currency
      from tranches t
      join pledges p on p.id = t.pledge_id
      left join ${receivedByTranche(asOf)} r on r.tranche_id = t.id
      left join item_types it on it.code = p.item_code
      left join item_groups g on g.code = p.group_code
      where t.expected_on < ${asOf}::date and t.quantity is not null and p.status = any(${COMMITTED}::text[])
        and coalesce(r.quantity, 0) < t.quantity`,
  );
}

// ---------------------------------------------------------------- burden

export interface BurdenNationRow {
  code: string;
  name: string;
  kind: string;
  participation: string;
  gdpUsdMillion: number | null;
  defencePctGdp: number | null;
}

/** The latest year with GDP figures on or before `year`, or null. */
export async function latestEconomyYear(db: Db, year: number): Promise<number | null> {
  const row = await db.selectFrom('nationEconomies').select((eb) => eb.fn.max('year').as('year')).where('year', '<=', year).executeTakeFirst();
  return row?.year == null ? null : Number(row.year);
}

/** Nations (the recipient left out) with their economy of `economyYear`. */
export async function loadBurdenNations(db: Db, economyYear: number): Promise<BurdenNationRow[]> {
  return rows(
    db,
    sql<BurdenNationRow>`
      select n.code, n.name, n.kind, n.participation, e.gdp_usd_million, e.defence_pct_gdp
      from nations n left join nation_economies e on e.nation = n.code and e.year = ${economyYear}
      where n.kind <> 'recipient'
      order by n.code`,
  );
}

export interface BurdenCommitmentRow {
  donor: string;
  channel: string;
  horizon: string;
  years: number[];
  announcedOn: string;
  basis: 'declared' | 'reference' | 'none';
  currency: string | null;
  valueMinor: number | null;
  pledges: number;
  /** Ids of the pledges folded into the row (for tracing; every id). */
  pledgeIds: string[];
}

/**
 * Committed-or-later pledges that count in `year` (one-off: announced that year; multi-year: the year is
 * one of theirs), summed per donor, channel, horizon, years, announcement date, basis and currency: the
 * grain at which the burden engine values, converts and splits them.
 */
export async function loadBurdenCommitments(db: Db, year: number): Promise<BurdenCommitmentRow[]> {
  return rows(
    db,
    sql<BurdenCommitmentRow>`
      select p.donor, p.channel, p.horizon, p.years, p.announced_on,
        case when p.amount_minor is not null then 'declared' when it.ref_price_minor is not null and p.quantity is not null then 'reference' else 'none' end as basis,
        case when p.amount_minor is not null then p.currency else it.ref_price_currency end as currency,
        sum(coalesce(p.amount_minor::numeric, it.ref_price_minor::numeric * p.quantity)) as value_minor,
        count(*) as pledges, array_agg(p.id order by p.id) as pledge_ids
      from pledges p left join item_types it on it.code = p.item_code
      where p.status = any(${COMMITTED}::text[])
        and case when p.horizon = 'multi-year' and cardinality(p.years) > 0 then ${year}::int = any(p.years)
                 else p.announced_on >= make_date(${year}::int, 1, 1) and p.announced_on < make_date(${year}::int + 1, 1, 1) end
      group by 1, 2, 3, 4, 5, 6, 7`,
  );
}

export interface BurdenDeliveryRow {
  donor: string;
  channel: string;
  receivedOn: string;
  basis: 'declared' | 'reference' | 'none';
  currency: string | null;
  valueMinor: number | null;
  lines: number;
  /** Pledge ids of unvalued lines (basis none), else empty. */
  unvaluedPledgeIds: string[];
}

/** Delivery lines received in `year`, valued per line, summed per donor, channel, receipt date, basis and currency. */
export async function loadBurdenDeliveries(db: Db, year: number): Promise<BurdenDeliveryRow[]> {
  return rows(
    db,
    sql<BurdenDeliveryRow>`
      select p.donor, p.channel, d.received_on, ${LINE_BASIS} as basis, ${LINE_CURRENCY} as currency,
        sum(${LINE_VALUE}) as value_minor, count(*) as lines,
        case when ${LINE_BASIS} = 'none' then array_agg(distinct p.id) else '{}'::text[] end as unvalued_pledge_ids
      from deliveries d
      join tranches t on t.id = d.tranche_id
      join pledges p on p.id = t.pledge_id
      left join item_types it on it.code = p.item_code
      where d.received_on >= make_date(${year}::int, 1, 1) and d.received_on < make_date(${year}::int + 1, 1, 1)
      group by 1, 2, 3, 4, 5`,
  );
}

// ---------------------------------------------------------------- meetings

export interface MeetingRow {
  id: string;
  kind: string;
  title: string;
  date: string;
  location: string;
}

const MEETING_COLUMNS = ['id', 'kind', 'title', 'date', 'location'] as const;

export async function findReportMeeting(db: Db, id: string): Promise<MeetingRow | undefined> {
  return db.selectFrom('meetings').select([...MEETING_COLUMNS]).where('id', '=', id).executeTakeFirst();
}

/** The first meeting on or after `on` (ties by id). */
export async function nextMeetingOnOrAfter(db: Db, on: string): Promise<MeetingRow | undefined> {
  return db.selectFrom('meetings').select([...MEETING_COLUMNS]).where('date', '>=', on).orderBy('date').orderBy('id').limit(1).executeTakeFirst();
}

/** The last meeting strictly before `on` (ties by id, last). */
export async function lastMeetingBefore(db: Db, on: string): Promise<MeetingRow | undefined> {
  return db.selectFrom('meetings').select([...MEETING_COLUMNS]).where('date', '<', on).orderBy('date', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
}

export interface MeetingPledgeRow {
  id: string;
  donor: string;
  kind: string;
  channel: string;
  itemCode: string | null;
  groupCode: string | null;
  capabilityArea: string | null;
  quantity: number | null;
  horizon: string;
  years: number[];
  status: string;
  announcedOn: string;
  basis: 'declared' | 'reference' | 'none';
  currency: string | null;
  valueMinor: number | null;
}

/** Pledges announced at a meeting, valued (declared, else reference price × quantity). */
export async function loadMeetingPledges(db: Db, meetingId: string): Promise<MeetingPledgeRow[]> {
  return rows(
    db,
    sql<MeetingPledgeRow>`
      select p.id, p.donor, p.kind, p.channel, p.item_code, p.group_code, coalesce(p.capability_area, g.capability_area) as capability_area,
        p.quantity, p.horizon, p.years, p.status, p.announced_on,
        case when p.amount_minor is not null then 'declared' when it.ref_price_minor is not null and p.quantity is not null then 'reference' else 'none' end as basis,
        case when p.amount_minor is not null then p.currency else it.ref_price_currency end as currency,
        coalesce(p.amount_minor::numeric, it.ref_price_minor::numeric * p.quantity) as value_minor
      from pledges p
      left join item_types it on it.code = p.item_code
      left join item_groups g on g.code = p.group_code
      where p.meeting_id = ${meetingId}
      order by p.id`,
  );
}
