import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from './schema.ts';

/**
 * The SQL behind the reports. Aggregation happens here, where the data lives: the queries GROUP BY in
 * PostgreSQL and hand the engines pre-aggregated rows, so a million delivery lines never cross into
 * JavaScript one by one. Every query runs unchanged on PGlite (PostgreSQL 18) and PostgreSQL 15.
 *
 * Sums over delivery lines read the totals of migration 0013-report-aggregates (kept by triggers as lines are
 * written) and subtract the lines received after the as-of date (`report_delivery_facts`, by receipt date):
 * a report as of today reads a few thousand summary rows instead of joining a million lines.
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
 * Rows of a query whose columns are named as the row type's fields (camelCase aliases), read past the
 * camel-case plugin, which copies every row into a new object with renamed keys: about 2 µs a row, a few
 * hundred milliseconds of a report that reads 100,000s of rows (burden sharing, open tranches, coverage).
 */
const namedRows = async <T>(db: Db, query: RawBuilder<T>): Promise<T[]> => (await query.execute(db.withoutPlugins())).rows;

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

/** The latest plan's id, as a scalar subquery. */
const LATEST_PLAN = sql`(select id from plans order by seq desc limit 1)`;

/** Received delivery lines after `on` (their facts), the correction to subtract from the all-time totals. */
const after = (on: string | null) => sql`(select * from report_delivery_facts where received_on > ${on}::date)`;

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

/** What many requirements share: accepted groups, capability area and the reference price of one unit. */
export interface RequirementKindRow {
  accepts: string[];
  capabilityArea: string;
  /** Reference unit price of the requirement's item, or of the first item of its first group; null when unknown. */
  priceMinor: number | null;
  priceCurrency: string | null;
}

/** Requirements in rank order (priority, need-by date, id), as columns; `kind` indexes `kinds`. */
export interface RankedRequirementRows {
  ids: string[];
  priority: Int32Array;
  needBy: string[];
  quantity: Float64Array;
  kind: Int32Array;
  kinds: RequirementKindRow[];
}

/**
 * Requirements in the given statuses, in rank order (priority, need-by date, id), with the reference price
 * of one unit: the item's, or for a group-only requirement the first catalog item (by code) of its first
 * accepted group.
 * - One text value instead of 100,000s of result rows (parsing them row by row in the driver cost several
 *   times the query): a record per requirement (id, priority, need-by date, quantity, and its kind: accepted
 *   groups, area, item), fields and records split by ASCII separator characters, which none of the fields
 *   can hold (ids, codes, enumerations, numbers and dates). Kinds are numbered here, and priced from the
 *   catalog once per kind.
 * - Sorted here, not by PostgreSQL (whose sort of 160,000 rows cost more than the rest of the query): by
 *   priority and need-by date through buckets, then by id within a bucket, as JavaScript compares strings.
 */
export async function loadRankedRequirements(db: Db, statuses: readonly string[]): Promise<RankedRequirementRows> {
  const [row] = await rows(
    db,
    sql<{ lines: string | null }>`
      select string_agg(
          r.id || ${FIELD} || r.priority || ${FIELD} || r.need_by || ${FIELD} || r.quantity
            || ${FIELD} || array_to_string(r.accepts, ${ITEM}) || ${ITEM} || r.capability_area || ${ITEM} || coalesce(r.item_code, ''),
          ${RECORD}) as lines
      from requirements r
      where r.status = any(${[...statuses]}::text[])`,
  );
  // The catalog's prices (small) asked for once the text is in: queries the caller sent meanwhile (coverage's
  // supply) run on the server while this process reads the text.
  const catalog = db.selectFrom('itemTypes').select(['code', 'groupCode', 'refPriceMinor', 'refPriceCurrency']).orderBy('groupCode').orderBy('code').execute();
  const text = row?.lines ?? '';
  const ids: string[] = [];
  const needBy: string[] = [];
  const priority: number[] = [];
  const quantity: number[] = [];
  const kind: number[] = [];
  const kindOf = new Map<string, number>();
  eachRecord(text, 5, (t, at) => {
    ids.push(fieldAt(t, at, 0));
    priority.push(numberAt(t, at, 1));
    needBy.push(fieldAt(t, at, 2));
    quantity.push(numberAt(t, at, 3));
    const key = fieldAt(t, at, 4);
    let k = kindOf.get(key);
    if (k === undefined) kindOf.set(key, (k = kindOf.size));
    kind.push(k);
  });
  // Unit price: the item's; for a group-only requirement, the first item by code of its first group.
  const items = await catalog;
  const byCode = new Map(items.map((it) => [it.code, it]));
  const firstOfGroup = new Map<string, (typeof items)[number]>();
  for (const it of items) if (!firstOfGroup.has(it.groupCode)) firstOfGroup.set(it.groupCode, it);
  const kinds = [...kindOf.keys()].map((key): RequirementKindRow => {
    const parts = key.split(ITEM);
    const itemCode = parts.pop()!;
    const capabilityArea = parts.pop()!;
    const item = itemCode !== '' ? byCode.get(itemCode) : firstOfGroup.get(parts[0]!);
    return { accepts: parts, capabilityArea, priceMinor: item?.refPriceMinor == null ? null : Number(item.refPriceMinor), priceCurrency: item?.refPriceCurrency ?? null };
  });
  const order = rankOrder(ids, priority, needBy);
  const n = order.length;
  const ranked: RankedRequirementRows = { ids: new Array<string>(n), priority: new Int32Array(n), needBy: new Array<string>(n), quantity: new Float64Array(n), kind: new Int32Array(n), kinds };
  for (let r = 0; r < n; r++) {
    const i = order[r]!;
    ranked.ids[r] = ids[i]!;
    ranked.priority[r] = priority[i]!;
    ranked.needBy[r] = needBy[i]!;
    ranked.quantity[r] = quantity[i]!;
    ranked.kind[r] = kind[i]!;
  }
  return ranked;
}

/** The number text[from … to − 1] is written as, read digit by digit when it is up to 15 digits (else by Number()). */
function integerAt(text: string, from: number, to: number): number {
  const x = to - from <= 15 ? digitsAt(text, from, to) : NaN;
  return Number.isNaN(x) ? Number(text.slice(from, to)) : x;
}

/** The integer text[from … to − 1] spells in decimal digits only; NaN when it is empty or holds anything else. */
function digitsAt(text: string, from: number, to: number): number {
  if (to <= from) return NaN;
  let x = 0;
  for (let k = from; k < to; k++) {
    const d = text.charCodeAt(k) - 48;
    if (d < 0 || d > 9) return NaN;
    x = x * 10 + d;
  }
  return x;
}

/**
 * Indices of the requirements in rank order (priority, need-by date, id; strings as JavaScript compares
 * them): a counting sort on (priority, date), the few distinct of which are sorted, then each bucket by id.
 */
function rankOrder(ids: readonly string[], priority: readonly number[], needBy: readonly string[]): Int32Array {
  const n = ids.length;
  const byId = (a: number, b: number) => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0);
  // Bucket keys: priority and the date's digits as one number for ISO dates, else a text.
  const keyOf = new Map<number | string, number>();
  const keys: Array<{ priority: number; needBy: string }> = [];
  const bucket = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const d = needBy[i]!;
    const iso = d.length === 10 && d.charCodeAt(4) === 45 && d.charCodeAt(7) === 45;
    const ymd = iso ? digitsAt(d, 0, 4) * 10_000 + digitsAt(d, 5, 7) * 100 + digitsAt(d, 8, 10) : NaN;
    const key = Number.isInteger(ymd) && Number.isInteger(priority[i]) && priority[i]! >= 0 && priority[i]! < 1000 ? priority[i]! * 1e8 + ymd : `${priority[i]}|${d}`;
    let b = keyOf.get(key);
    if (b === undefined) {
      keyOf.set(key, (b = keys.length));
      keys.push({ priority: priority[i]!, needBy: needBy[i]! });
    }
    bucket[i] = b;
  }
  const sortedKeys = Array.from(keys.keys()).sort((a, b) => keys[a]!.priority - keys[b]!.priority || (keys[a]!.needBy < keys[b]!.needBy ? -1 : keys[a]!.needBy > keys[b]!.needBy ? 1 : 0));
  const size = new Int32Array(keys.length);
  for (let i = 0; i < n; i++) size[bucket[i]!]! += 1;
  const place = new Int32Array(keys.length);
  let at = 0;
  for (const b of sortedKeys) {
    place[b] = at;
    at += size[b]!;
  }
  const from = Int32Array.from(place);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[place[bucket[i]!]!++] = i;
  for (const b of sortedKeys) if (size[b]! > 1) order.subarray(from[b]!, from[b]! + size[b]!).sort(byId);
  return order;
}

/** Separators of `loadRankedRequirements`' text: ASCII record, unit and group separators. */
const RECORD = '\x1e';
const FIELD = '\x1f';
const ITEM = '\x1d';

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
 *   rule treats those exactly as one pooled supply each. The sums come from `report_committed_supply`
 *   (per group, designation and date), less the plan's pledges.
 */
export async function loadCoverageSupply(db: Db, asOf: string): Promise<CoverageSupplyRow[]> {
  return (await loadCoverageSupplyAt(db, asOf, null))[0];
}

/** `loadCoverageSupply` at `asOf` and at an `earlier` date on or before it (empty without one), in one pass over the totals. */
export async function loadCoverageSupplyAt(db: Db, asOf: string, earlier: string | null): Promise<[CoverageSupplyRow[], CoverageSupplyRow[]]> {
  // One text value instead of 10,000s of result rows, as in `loadOutstandingTranches`; NULL_FIELD for a null.
  const [found] = await rows(
    db,
    sql<{ lines: string | null }>`
      with planned as (select distinct pledge_id from plan_allocations where plan_id = ${LATEST_PLAN}),
      planned_pledges as (
        select p.id, p.group_code, p.designated_to, p.quantity, p.status, p.announced_on
        from pledges p join planned on planned.pledge_id = p.id
        where p.group_code is not null and p.quantity is not null
      ),
      -- The committed totals by (group, designation, date), less the committed pledges the plan names (each
      -- of which is counted in its own totals row).
      planned_committed as (
        select group_code, coalesce(designated_to, '') as designated_to, announced_on, sum(quantity) as quantity, count(*) as pledges
        from planned_pledges
        where status = any(${COMMITTED}::text[]) and announced_on <= ${asOf}::date
        group by 1, 2, 3
      ),
      pooled as (
        select s.group_code, s.designated_to, s.announced_on, s.quantity - coalesce(p.quantity, 0) as quantity, s.pledges - coalesce(p.pledges, 0) as pledges
        from report_committed_supply s left join planned_committed p using (group_code, designated_to, announced_on)
        where s.announced_on <= ${asOf}::date and s.pledges - coalesce(p.pledges, 0) > 0
      ),
      lines as (
      select id, group_code, designated_to, quantity, status, announced_on, 1 as pledges,
        group_code as earlier_group_code, quantity as earlier_quantity, announced_on as earlier_announced_on, 1 as earlier_pledges
      from planned_pledges
      union all
      select case when designated_to <> '' then 'designated:' || designated_to else 'pool:' || group_code end,
        min(group_code), nullif(designated_to, ''), sum(quantity), 'committed', min(announced_on), sum(pledges),
        min(group_code) filter (where announced_on <= ${earlier}::date), sum(quantity) filter (where announced_on <= ${earlier}::date),
        min(announced_on) filter (where announced_on <= ${earlier}::date), coalesce(sum(pledges) filter (where announced_on <= ${earlier}::date), 0)
      from pooled
      group by 1, designated_to
      )
      select string_agg(
          id || ${FIELD} || group_code || ${FIELD} || coalesce(designated_to, ${NULL_FIELD}) || ${FIELD} || quantity || ${FIELD} || status
            || ${FIELD} || announced_on || ${FIELD} || pledges || ${FIELD} || coalesce(earlier_group_code, ${NULL_FIELD})
            || ${FIELD} || coalesce(earlier_quantity::text, ${NULL_FIELD}) || ${FIELD} || coalesce(earlier_announced_on::text, ${NULL_FIELD}) || ${FIELD} || earlier_pledges,
          ${RECORD}) as lines
      from lines`,
  );
  const atAsOf: CoverageSupplyRow[] = [];
  const atEarlier: CoverageSupplyRow[] = [];
  eachRecord(found?.lines ?? null, 11, (text, at) => {
    const id = fieldAt(text, at, 0);
    const designatedTo = nullableAt(text, at, 2);
    const status = fieldAt(text, at, 4);
    atAsOf.push({ id, groupCode: fieldAt(text, at, 1), designatedTo, quantity: numberAt(text, at, 3), status, announcedOn: fieldAt(text, at, 5), pledges: numberAt(text, at, 6) });
    const earlierPledges = numberAt(text, at, 10);
    if (earlier !== null && earlierPledges > 0) atEarlier.push({ id, groupCode: fieldAt(text, at, 7), designatedTo, quantity: numberAt(text, at, 8), status, announcedOn: fieldAt(text, at, 9), pledges: earlierPledges });
  });
  return [atAsOf, atEarlier];
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
 * Units received by `asOf` (and by `earlier`, in the same pass) per supply line of coverage: per designated
 * requirement, per pledge the latest plan names (undesignated ones), and per group for the rest:
 * - per (group, designation), the all-time totals (`report_group_receipts`, 0018) less the lines received
 *   after `asOf` (and, for `earlier`, less those received between the two dates as well);
 * - per undesignated pledge of the plan, its own totals (`report_pledge_receipts`) corrected the same way,
 *   and taken out of its group's pool;
 * - a line only where units were received by `asOf`.
 */
export async function loadCoverageReceipts(db: Db, asOf: string, earlier: string | null = null): Promise<CoverageReceiptRow[]> {
  // One text value instead of 10,000s of result rows, as in `loadOutstandingTranches`; NULL_FIELD for a null.
  const [found] = await rows(
    db,
    sql<{ lines: string | null }>`
      with planned as (
        select r.pledge_id, r.group_code, r.received from report_pledge_receipts r
        where r.pledge_id in (select pledge_id from plan_allocations where plan_id = ${LATEST_PLAN})
          and r.group_code is not null and r.designated_to is null and r.lines > 0
      ),
      -- Lines received after \`asOf\` (subtracted at both dates) and between the two dates (at the earlier one only).
      changes as (
        select group_code, coalesce(designated_to, '') as designated_to, pledge_id, quantity, quantity as at_earlier
        from ${after(asOf)} f where group_code is not null
        union all
        select group_code, coalesce(designated_to, ''), pledge_id, 0, quantity from report_delivery_facts
        where received_on > ${earlier}::date and received_on <= ${asOf}::date and group_code is not null
      ),
      planned_lines as (
        select p.pledge_id, p.group_code, p.received - coalesce(sum(c.quantity), 0) as quantity,
          case when ${earlier}::date is null then 0 else p.received - coalesce(sum(c.quantity), 0) - coalesce(sum(c.at_earlier - c.quantity), 0) end as quantity_at_earlier
        from planned p left join changes c on c.pledge_id = p.pledge_id
        group by p.pledge_id, p.group_code, p.received
      ),
      buckets as (
        select group_code, designated_to, sum(quantity) as quantity, sum(at_earlier) as quantity_at_earlier
        from (
          select group_code, designated_to, received as quantity, received as at_earlier from report_group_receipts where lines <> 0
          union all
          select group_code, designated_to, -quantity, -at_earlier from changes
          union all
          select group_code, '', -quantity, -quantity_at_earlier from planned_lines
        ) x
        group by 1, 2
        having sum(quantity) > 0
      ),
      lines as (
      select 'delivered-designated:' || designated_to as supply, min(group_code) as "groupCode", designated_to as "designatedTo", sum(quantity) as quantity,
        case when ${earlier}::date is null then 0 else sum(quantity_at_earlier) end as "quantityAtEarlier"
      from buckets where designated_to <> '' group by designated_to
      union all
      select 'delivered-pool:' || group_code, group_code, null, quantity, case when ${earlier}::date is null then 0 else quantity_at_earlier end
      from buckets where designated_to = ''
      union all
      select pledge_id, group_code, null, quantity, quantity_at_earlier from planned_lines where quantity > 0
      )
      select string_agg(
          supply || ${FIELD} || "groupCode" || ${FIELD} || coalesce("designatedTo", ${NULL_FIELD}) || ${FIELD} || quantity || ${FIELD} || "quantityAtEarlier",
          ${RECORD}) as lines
      from lines`,
  );
  return readRecords(found?.lines ?? null, 5, (text, at) => ({
    supply: fieldAt(text, at, 0),
    groupCode: fieldAt(text, at, 1),
    designatedTo: nullableAt(text, at, 2),
    quantity: numberAt(text, at, 3),
    quantityAtEarlier: numberAt(text, at, 4),
  }));
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
 * outstanding quantity (tranche quantity − units received by then): the tranches not fully received today
 * (a partial index by group) and those received in full only after `on`, whose later lines are added back.
 */
export async function loadOutstandingTranches(db: Db, groups: readonly string[], on: string): Promise<OutstandingTrancheRow[]> {
  if (groups.length === 0) return [];
  // One text value instead of 40,000s of result rows (as `loadRankedRequirements`): the driver made a string
  // per field and an object per row, about 3 µs a row.
  const [found] = await rows(
    db,
    sql<{ lines: string | null }>`
      with later as (select tranche_id, sum(quantity) as quantity from ${after(on)} f where group_code = any(${[...groups]}::text[]) group by 1),
      candidates as (
        -- Not fully received today (partial index by group, covering), or received in full only after \`on\`
        -- (two disjoint sets); the pledge's donor and status are on the totals row (0017).
        select r.tranche_id, r.pledge_id, r.group_code, r.donor, r.pledge_status, r.expected_on, r.quantity, r.received from report_tranche_receipts r
        where r.group_code = any(${[...groups]}::text[]) and r.quantity is not null and r.received < r.quantity
        union all
        select r.tranche_id, r.pledge_id, r.group_code, r.donor, r.pledge_status, r.expected_on, r.quantity, r.received from later l join report_tranche_receipts r on r.tranche_id = l.tranche_id
        where r.quantity is not null and r.received >= r.quantity
      )
      select string_agg(
          c.tranche_id || ${FIELD} || c.pledge_id || ${FIELD} || c.group_code || ${FIELD} || c.donor || ${FIELD} || c.expected_on
            || ${FIELD} || c.quantity || ${FIELD} || c.quantity - (c.received - coalesce(l.quantity, 0)),
          ${RECORD} order by c.tranche_id) as lines
      from candidates c left join later l on l.tranche_id = c.tranche_id
      where c.pledge_status = any(${COMMITTED}::text[]) and c.received - coalesce(l.quantity, 0) < c.quantity`,
  );
  return readRecords(found?.lines ?? null, 7, (text, at) => ({
    id: fieldAt(text, at, 0),
    pledgeId: fieldAt(text, at, 1),
    groupCode: fieldAt(text, at, 2),
    donor: fieldAt(text, at, 3),
    expectedOn: fieldAt(text, at, 4),
    quantity: numberAt(text, at, 5),
    outstanding: numberAt(text, at, 6),
  }));
}

/**
 * The records of a text made by `string_agg(field || FIELD || field …, RECORD)`, `fields` fields each: `make`
 * reads a record's fields from the text, field k from `at[k]` to `at[k + 1] − 1` (`fieldAt`, `numberAt`).
 * No array of fields per record.
 */
function readRecords<T>(text: string | null, fields: number, make: (text: string, at: Int32Array) => T): T[] {
  const out: T[] = [];
  eachRecord(text, fields, (t, at) => {
    out.push(make(t, at));
  });
  return out;
}

/** Hands each record of the text to `read`, as `readRecords` does. */
function eachRecord(text: string | null, fields: number, read: (text: string, at: Int32Array) => void): void {
  if (!text) return;
  const at = new Int32Array(fields + 1);
  for (let pos = 0; pos < text.length; ) {
    at[0] = pos;
    for (let k = 1; k < fields; k++) at[k] = text.indexOf(FIELD, at[k - 1]!) + 1;
    let end = text.indexOf(RECORD, at[fields - 1]!);
    if (end < 0) end = text.length;
    at[fields] = end + 1;
    read(text, at);
    pos = end + 1;
  }
}

/** Field k of a record of `readRecords`, as text. */
const fieldAt = (text: string, at: Int32Array, k: number): string => text.slice(at[k]!, at[k + 1]! - 1);

/** Field k of a record of `readRecords`, a number as PostgreSQL writes it (as the driver's parsers read it). */
const numberAt = (text: string, at: Int32Array, k: number): number => integerAt(text, at[k]!, at[k + 1]! - 1);

/** Whether field k of a record of `readRecords` is NULL_FIELD (a null). */
const isNullAt = (text: string, at: Int32Array, k: number): boolean => at[k + 1]! - 1 - at[k]! === 1 && text.charCodeAt(at[k]!) === 0x15;

/** Field k of a record of `readRecords` as text, or null. */
const nullableAt = (text: string, at: Int32Array, k: number): string | null => (isNullAt(text, at, k) ? null : fieldAt(text, at, k));

/** A null in the text of `readRecords`: the NAK control character, which no field can hold. */
const NULL_FIELD = '\x15';

export interface SlippageBucketRow {
  donor: string;
  slippageDays: number;
  lines: number;
}

/** Received delivery lines by donor and slippage (received − promised days), received by `on`: a histogram. */
export async function loadSlippageHistogram(db: Db, on: string): Promise<SlippageBucketRow[]> {
  return namedRows(
    db,
    sql<SlippageBucketRow>`
      select donor, slippage_days as "slippageDays", sum(lines) as lines
      from (
        select donor, slippage_days, lines from report_delay_buckets where lines <> 0
        union all
        select donor, slippage_days, -count(*) from ${after(on)} f group by 1, 2
      ) x
      group by 1, 2
      having sum(lines) > 0
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
  return namedRows(
    db,
    sql<DelayBucketRow>`
      select donor, capability_area as "capabilityArea", slippage_days as "slippageDays", nullif(currency, '') as currency, sum(lines) as lines, sum(quantity) as quantity,
        case when sum(valued_lines) > 0 then sum(value_minor) end as "valueMinor"
      from (
        select donor, capability_area, slippage_days, currency, lines, quantity, value_minor, valued_lines from report_delay_buckets where lines <> 0
        union all
        select donor, capability_area, slippage_days, coalesce(currency, ''), -count(*), -sum(quantity), -coalesce(sum(value_minor), 0), -count(value_minor)
        from ${after(asOf)} f group by 1, 2, 3, 4
      ) x
      group by 1, 2, 3, 4
      having sum(lines) > 0`,
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
  // One text value instead of 10,000s of result rows, as in `loadOutstandingTranches`; NULL_FIELD for a null.
  const [found] = await rows(
    db,
    sql<{ lines: string | null }>`
      with later as (select tranche_id, sum(quantity) as quantity from ${after(asOf)} f group by 1),
      open as (
        -- Not fully received today (partial index, covering), or received in full only after the as-of date
        -- (two disjoint sets); what the report shows of the pledge is on the totals row (0017).
        select r.tranche_id, r.pledge_id, r.donor, r.pledge_status, r.capability_area, r.group_code, r.unit_value_minor, r.unit_currency, r.expected_on, r.quantity, r.received
        from report_tranche_receipts r
        where r.quantity is not null and r.received < r.quantity and r.expected_on < ${asOf}::date
        union all
        select r.tranche_id, r.pledge_id, r.donor, r.pledge_status, r.capability_area, r.group_code, r.unit_value_minor, r.unit_currency, r.expected_on, r.quantity, r.received
        from later l join report_tranche_receipts r on r.tranche_id = l.tranche_id
        where r.quantity is not null and r.received >= r.quantity and r.expected_on < ${asOf}::date
      )
      select string_agg(
          o.tranche_id || ${FIELD} || o.pledge_id || ${FIELD} || o.donor || ${FIELD} || o.capability_area || ${FIELD} || coalesce(o.group_code, ${NULL_FIELD})
            || ${FIELD} || o.expected_on || ${FIELD} || o.quantity || ${FIELD} || o.received - coalesce(l.quantity, 0)
            || ${FIELD} || coalesce(o.unit_value_minor::text, ${NULL_FIELD}) || ${FIELD} || coalesce(o.unit_currency, ${NULL_FIELD}),
          ${RECORD}) as lines
      from open o
      left join later l on l.tranche_id = o.tranche_id
      where o.pledge_status = any(${COMMITTED}::text[]) and o.received - coalesce(l.quantity, 0) < o.quantity`,
  );
  return readRecords(found?.lines ?? null, 10, (text, at) => ({
    trancheId: fieldAt(text, at, 0),
    pledgeId: fieldAt(text, at, 1),
    donor: fieldAt(text, at, 2),
    capabilityArea: fieldAt(text, at, 3),
    groupCode: nullableAt(text, at, 4),
    expectedOn: fieldAt(text, at, 5),
    quantity: numberAt(text, at, 6),
    receivedQuantity: numberAt(text, at, 7),
    unitValueMinor: isNullAt(text, at, 8) ? null : numberAt(text, at, 8),
    unitCurrency: nullableAt(text, at, 9),
  }));
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
}

/**
 * Committed-or-later pledges that count in `year` (one-off: announced that year; multi-year: the year is
 * one of theirs), summed per donor, channel, horizon, years, announcement date, basis and currency: the
 * grain at which the burden engine values, converts and splits them (`report_commitments`, kept by triggers).
 * `summedIn`: the report currency, whose one-off valued rows need no conversion (and no split over years),
 * so they come summed further, per donor, channel and basis (announcement date: the earliest, in `year`;
 * horizon one-off, no years): the engine adds them up to the same totals from fewer rows.
 */
export async function loadBurdenCommitments(db: Db, year: number, summedIn: string | null = null): Promise<BurdenCommitmentRow[]> {
  // One text value instead of 10,000s of result rows, as in `loadOutstandingTranches`; NULL_FIELD for a null.
  // The years come as text ('2026,2027') and become one shared array per distinct list (the driver's array
  // parser made several objects per row).
  const [found] = await rows(
    db,
    sql<{ lines: string | null }>`
      with counted as (
        select donor, channel, horizon, years, announced_on, basis, nullif(currency, '') as currency,
          case when valued > 0 then value_minor end as value_minor, pledges,
          coalesce(currency = ${summedIn} and valued > 0 and not (horizon = 'multi-year' and cardinality(years) > 0), false) as summed
        from report_commitments
        where pledges <> 0
          and case when horizon = 'multi-year' and cardinality(years) > 0 then ${year}::int = any(years)
                   else announced_on >= make_date(${year}::int, 1, 1) and announced_on < make_date(${year}::int + 1, 1, 1) end
      ),
      lines as (
        select donor, channel, horizon, array_to_string(years, ',') as years, announced_on, basis, currency, value_minor, pledges
        from counted where not summed
        union all
        select donor, channel, 'one-off', '', min(announced_on), basis, currency, sum(value_minor), sum(pledges)
        from counted where summed
        group by donor, channel, basis, currency
      )
      select string_agg(
          donor || ${FIELD} || channel || ${FIELD} || horizon || ${FIELD} || years || ${FIELD} || announced_on || ${FIELD} || basis
            || ${FIELD} || coalesce(currency, ${NULL_FIELD}) || ${FIELD} || coalesce(value_minor::text, ${NULL_FIELD}) || ${FIELD} || pledges,
          ${RECORD}) as lines
      from lines`,
  );
  const lists = new Map<string, number[]>();
  return readRecords(found?.lines ?? null, 9, (text, at) => {
    const listed = fieldAt(text, at, 3);
    let years = lists.get(listed);
    if (!years) lists.set(listed, (years = listed === '' ? [] : listed.split(',').map(Number)));
    return {
      donor: fieldAt(text, at, 0),
      channel: fieldAt(text, at, 1),
      horizon: fieldAt(text, at, 2),
      years,
      announcedOn: fieldAt(text, at, 4),
      basis: fieldAt(text, at, 5) as BurdenCommitmentRow['basis'],
      currency: nullableAt(text, at, 6),
      valueMinor: isNullAt(text, at, 7) ? null : numberAt(text, at, 7),
      pledges: numberAt(text, at, 8),
    };
  });
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

/**
 * Delivery lines received in `year`, valued per line, summed per donor, channel, receipt date, basis and currency.
 * `summedIn`: the report currency, whose valued rows need no conversion, so they come summed further, per
 * donor, channel and basis (receipt date: the earliest, in `year`), as in `loadBurdenCommitments`.
 */
export async function loadBurdenDeliveries(db: Db, year: number, summedIn: string | null = null): Promise<BurdenDeliveryRow[]> {
  // One text value instead of 10,000s of result rows, as in `loadOutstandingTranches`; NULL_FIELD for a null.
  // The unvalued pledges of a basis-none row come as ITEM and the ids joined by ITEM (null: NULL_FIELD); the
  // valued rows' empty lists are one shared empty array.
  const [found] = await rows(
    db,
    sql<{ lines: string | null }>`
      -- A valued row is the only one of its (donor, channel, date, basis, currency): the unvalued pledge id is
      -- empty but for basis none (0013), so only those are grouped (no sort of every row for the distinct ids).
      with days as (
        select donor, channel, received_on, basis, nullif(currency, '') as currency,
          case when valued_lines > 0 then value_minor end as value_minor, lines, null::text[] as unvalued_pledge_ids
        from report_burden_daily
        where received_on >= make_date(${year}::int, 1, 1) and received_on < make_date(${year}::int + 1, 1, 1) and lines <> 0 and basis <> 'none'
        union all
        select donor, channel, received_on, basis, nullif(currency, ''),
          case when sum(valued_lines) > 0 then sum(value_minor) end, sum(lines), array_agg(distinct unvalued_pledge_id) filter (where lines > 0)
        from report_burden_daily
        where received_on >= make_date(${year}::int, 1, 1) and received_on < make_date(${year}::int + 1, 1, 1) and lines <> 0 and basis = 'none'
        group by 1, 2, 3, 4, 5
      ),
      marked as (select *, coalesce(currency = ${summedIn} and value_minor is not null and basis <> 'none', false) as summed from days),
      lines as (
        select donor, channel, received_on, basis, currency, value_minor, lines, unvalued_pledge_ids
        from marked where not summed
        union all
        select donor, channel, min(received_on), basis, currency, sum(value_minor), sum(lines), null::text[]
        from marked where summed
        group by donor, channel, basis, currency
      )
      select string_agg(
          donor || ${FIELD} || channel || ${FIELD} || received_on || ${FIELD} || basis || ${FIELD} || coalesce(currency, ${NULL_FIELD})
            || ${FIELD} || coalesce(value_minor::text, ${NULL_FIELD}) || ${FIELD} || lines
            || ${FIELD} || coalesce(${ITEM} || array_to_string(unvalued_pledge_ids, ${ITEM}), ${NULL_FIELD}),
          ${RECORD}) as lines
      from lines`,
  );
  const none: string[] = [];
  return readRecords(found?.lines ?? null, 8, (text, at) => {
    const basis = fieldAt(text, at, 3) as BurdenDeliveryRow['basis'];
    return {
      donor: fieldAt(text, at, 0),
      channel: fieldAt(text, at, 1),
      receivedOn: fieldAt(text, at, 2),
      basis,
      currency: nullableAt(text, at, 4),
      valueMinor: isNullAt(text, at, 5) ? null : numberAt(text, at, 5),
      lines: numberAt(text, at, 6),
      unvaluedPledgeIds: basis !== 'none' ? none : (idsAt(text, at, 7) as string[]),
    };
  });
}

/** Field k of a record of `readRecords` holding ITEM and a list's entries joined by ITEM, as that list; null for NULL_FIELD. */
function idsAt(text: string, at: Int32Array, k: number): string[] | null {
  return isNullAt(text, at, k) ? null : text.slice(at[k]! + 1, at[k + 1]! - 1).split(ITEM);
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
  return namedRows(
    db,
    sql<MeetingPledgeRow>`
      select p.id, p.donor, p.kind, p.channel, p.item_code as "itemCode", p.group_code as "groupCode", coalesce(p.capability_area, g.capability_area) as "capabilityArea",
        p.quantity, p.horizon, p.years, p.status, p.announced_on as "announcedOn",
        case when p.amount_minor is not null then 'declared' when it.ref_price_minor is not null and p.quantity is not null then 'reference' else 'none' end as basis,
        case when p.amount_minor is not null then p.currency else it.ref_price_currency end as currency,
        coalesce(p.amount_minor::numeric, it.ref_price_minor::numeric * p.quantity) as "valueMinor"
      from pledges p
      left join item_types it on it.code = p.item_code
      left join item_groups g on g.code = p.group_code
      where p.meeting_id = ${meetingId}
      order by p.id`,
  );
}
