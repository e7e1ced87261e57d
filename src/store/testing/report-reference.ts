import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../schema.ts';
import type { RankedRequirementRows } from '../report.repository.ts';
import type { BurdenCommitmentRow, BurdenDeliveryRow, CoverageReceiptRow, CoverageSupplyRow, DelayBucketRow, OpenTrancheRow, OutstandingTrancheRow, SlippageBucketRow } from '../report.repository.ts';

/**
 * The report queries as they were before the trigger-kept aggregates (migrations 0013 and 0015): every sum
 * computed from the delivery lines and pledges themselves. Tests compare the aggregate-backed queries of
 * report.repository.ts with these, row for row, after every kind of write.
 */

type Db = Kysely<Database>;

/** Pledge statuses that count as committed: committed or later, never withdrawn. */
const COMMITTED = ['committed', 'contracted', 'delivering', 'delivered'];

const rows = async <T>(db: Db, query: RawBuilder<T>): Promise<T[]> => (await query.execute(db)).rows;


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

/**
 * Committed-or-later pledges that count in `year` (one-off: announced that year; multi-year: the year is
 * one of theirs), summed per donor, channel, horizon, years, announcement date, basis and currency: the
 * grain at which the burden engine values, converts and splits them.
 */
export async function loadBurdenCommitments(db: Db, year: number): Promise<Array<BurdenCommitmentRow & { pledgeIds: string[] }>> {
  return rows(
    db,
    sql<BurdenCommitmentRow & { pledgeIds: string[] }>`
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

/** One requirement as coverage reads it: the rows `loadRankedRequirements` hands over as columns. */
export interface RequirementRow {
  id: string;
  accepts: string[];
  capabilityArea: string;
  quantity: number;
  priority: number;
  needBy: string;
  priceMinor: number | null;
  priceCurrency: string | null;
}

/**
 * Requirements in the given statuses one row each with the reference price of one unit (the item's, else the
 * first item by code of the first accepted group), sorted here by priority, need-by date and id as
 * JavaScript compares strings.
 */
export async function loadRankedRequirements(db: Db, statuses: readonly string[]): Promise<RequirementRow[]> {
  const found = await rows(
    db,
    sql<RequirementRow>`
      select r.id, r.accepts, r.capability_area, r.quantity, r.priority, r.need_by::text as need_by,
        coalesce(it.ref_price_minor, (select g.ref_price_minor from item_types g where g.group_code = r.accepts[1] order by g.code limit 1)) as price_minor,
        coalesce(it.ref_price_currency, (select g.ref_price_currency from item_types g where g.group_code = r.accepts[1] order by g.code limit 1)) as price_currency
      from requirements r left join item_types it on it.code = r.item_code
      where r.status = any(${[...statuses]}::text[])`,
  );
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return found.map((r) => ({ ...r, quantity: Number(r.quantity), priority: Number(r.priority), priceMinor: r.priceMinor === null ? null : Number(r.priceMinor) })).sort((a, b) => a.priority - b.priority || cmp(a.needBy, b.needBy) || cmp(a.id, b.id));
}

/** The columns of `loadRankedRequirements` (report.repository.ts) as one row per requirement, to compare with the reference. */
export function requirementRowsOf(r: RankedRequirementRows): RequirementRow[] {
  return r.ids.map((id, i) => {
    const kind = r.kinds[r.kind[i]!]!;
    return { id, accepts: kind.accepts, capabilityArea: kind.capabilityArea, quantity: r.quantity[i]!, priority: r.priority[i]!, needBy: r.needBy[i]!, priceMinor: kind.priceMinor, priceCurrency: kind.priceCurrency };
  });
}
