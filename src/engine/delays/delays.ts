import type { CapabilityArea } from '../../domain/catalog/catalog.ts';
import { daysBetween } from '../../domain/dates.ts';
import { nearestRankIndex } from './percentile.ts';

/**
 * Delivery delays per donor and per capability area.
 * - Slippage of a delivery line = received date − promised date, in days (negative when early).
 * - A line is on time when received on or before its promised date (slippage ≤ 0); late otherwise.
 * - Rates and percentiles count delivery lines, each once, whatever its size; value late sums the
 *   value of the late lines.
 * - Median and 90th percentile by the nearest-rank method (see percentile.ts): the ⌈p/100 × n⌉-th
 *   smallest slippage, so the median of an even count is the lower middle value.
 * - Only lines received by `asOf` (when given) count; lines in transit show up as overdue tranches instead.
 * - An input may stand for several lines with the same donor, area, dates and slippage (`lines`, default 1),
 *   its quantity and value being their sums: a report hands over SQL's histogram instead of a million lines,
 *   and every figure is the same as with the lines one by one.
 */

/** One delivery line. */
export interface DelayDelivery {
  donor: string;
  capabilityArea: CapabilityArea;
  /** The tranche's expected date when it shipped. */
  promisedOn: string;
  /** ISO date received; null while in transit. */
  receivedOn: string | null;
  quantity: number;
  /** Value of the line in minor units of the report currency. */
  valueMinor: number;
  /** How many delivery lines this one stands for (default 1); quantity and value are their sums. */
  lines?: number;
}

/** Delay figures over a set of received delivery lines. */
export interface DelayStats {
  /** Received lines counted. */
  deliveries: number;
  onTime: number;
  late: number;
  /** onTime / deliveries; null when nothing was received. */
  onTimeRate: number | null;
  /** Nearest-rank median slippage in days; null when nothing was received. */
  medianSlippageDays: number | null;
  /** Nearest-rank 90th-percentile slippage in days; null when nothing was received. */
  p90SlippageDays: number | null;
  maxSlippageDays: number | null;
  quantityDelivered: number;
  quantityLate: number;
  valueDeliveredMinor: number;
  valueLateMinor: number;
}

export interface DelayReport {
  asOf: string | null;
  /** One row per donor, by donor code. */
  byDonor: Array<{ donor: string } & DelayStats>;
  /** One row per capability area, by area code. */
  byCapabilityArea: Array<{ capabilityArea: CapabilityArea } & DelayStats>;
  /** One row per donor and area, by donor then area. */
  byDonorAndArea: Array<{ donor: string; capabilityArea: CapabilityArea } & DelayStats>;
  overall: DelayStats;
}

/** A tranche not yet fully received. */
export interface OpenTranche {
  trancheId: string;
  pledgeId: string;
  donor: string;
  capabilityArea: CapabilityArea;
  /** ISO date the donor expects the tranche. */
  expectedOn: string;
  quantity: number;
  /** Units received against the tranche so far (as of the report date). */
  receivedQuantity: number;
  /** Value of one unit in minor units of the report currency, when known. */
  unitValueMinor?: number | null;
}

/** A tranche whose expected date has passed without it being received in full. */
export interface OverdueTranche {
  trancheId: string;
  pledgeId: string;
  donor: string;
  capabilityArea: CapabilityArea;
  expectedOn: string;
  /** Days from the expected date to the report date (≥ 1). */
  daysOverdue: number;
  outstandingQuantity: number;
  /** outstanding × unit value; null when the unit value is unknown. */
  outstandingValueMinor: number | null;
}

interface Acc {
  /** Slippage of each input and how many lines it stands for. */
  slips: number[];
  counts: number[];
  onTime: number;
  quantityDelivered: number;
  quantityLate: number;
  valueDeliveredMinor: number;
  valueLateMinor: number;
}

function newAcc(): Acc {
  return { slips: [], counts: [], onTime: 0, quantityDelivered: 0, quantityLate: 0, valueDeliveredMinor: 0, valueLateMinor: 0 };
}

function addLine(acc: Acc, d: DelayDelivery, slip: number): void {
  const lines = d.lines ?? 1;
  acc.slips.push(slip);
  acc.counts.push(lines);
  acc.quantityDelivered += d.quantity;
  acc.valueDeliveredMinor += d.valueMinor;
  if (slip <= 0) acc.onTime += lines;
  else {
    acc.quantityLate += d.quantity;
    acc.valueLateMinor += d.valueMinor;
  }
}

/** The p-th nearest-rank percentile over slippages that each stand for `counts[i]` lines. */
function weightedPercentile(order: readonly number[], slips: readonly number[], counts: readonly number[], n: number, p: number): number | null {
  if (n === 0) return null;
  const k = nearestRankIndex(n, p);
  let seen = 0;
  for (const i of order) {
    seen += counts[i]!;
    if (seen > k) return slips[i]!;
  }
  return null;
}

function stats(acc: Acc): DelayStats {
  const n = acc.counts.reduce((a, b) => a + b, 0);
  const order = acc.slips.map((_, i) => i).sort((a, b) => acc.slips[a]! - acc.slips[b]!);
  return {
    deliveries: n,
    onTime: acc.onTime,
    late: n - acc.onTime,
    onTimeRate: n > 0 ? acc.onTime / n : null,
    medianSlippageDays: weightedPercentile(order, acc.slips, acc.counts, n, 50),
    p90SlippageDays: weightedPercentile(order, acc.slips, acc.counts, n, 90),
    maxSlippageDays: n > 0 ? acc.slips[order[order.length - 1]!]! : null,
    quantityDelivered: acc.quantityDelivered,
    quantityLate: acc.quantityLate,
    valueDeliveredMinor: acc.valueDeliveredMinor,
    valueLateMinor: acc.valueLateMinor,
  };
}

const byKey = <T>(m: Map<string, T>): Array<[string, T]> => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

function received(deliveries: readonly DelayDelivery[], asOf: string | null): Array<{ d: DelayDelivery; slip: number }> {
  const out: Array<{ d: DelayDelivery; slip: number }> = [];
  for (const d of deliveries) {
    if (d.receivedOn === null || (asOf !== null && d.receivedOn > asOf)) continue;
    out.push({ d, slip: daysBetween(d.promisedOn, d.receivedOn) });
  }
  return out;
}

/** On-time rate, median and 90th-percentile slippage and value delivered late, per donor and per capability area. */
export function computeDelays(deliveries: readonly DelayDelivery[], options: { asOf?: string } = {}): DelayReport {
  const asOf = options.asOf ?? null;
  const donors = new Map<string, Acc>();
  const areas = new Map<string, Acc>();
  const pairs = new Map<string, Acc>();
  const all = newAcc();
  const get = (m: Map<string, Acc>, k: string): Acc => {
    let a = m.get(k);
    if (!a) m.set(k, (a = newAcc()));
    return a;
  };
  for (const { d, slip } of received(deliveries, asOf)) {
    addLine(get(donors, d.donor), d, slip);
    addLine(get(areas, d.capabilityArea), d, slip);
    addLine(get(pairs, `${d.donor}\u0000${d.capabilityArea}`), d, slip);
    addLine(all, d, slip);
  }
  return {
    asOf,
    byDonor: byKey(donors).map(([donor, a]) => ({ donor, ...stats(a) })),
    byCapabilityArea: byKey(areas).map(([area, a]) => ({ capabilityArea: area as CapabilityArea, ...stats(a) })),
    byDonorAndArea: byKey(pairs).map(([k, a]) => {
      const [donor = '', area = ''] = k.split('\u0000');
      return { donor, capabilityArea: area as CapabilityArea, ...stats(a) };
    }),
    overall: stats(all),
  };
}

/**
 * Observed slippages (days) per donor from received deliveries, in input order: the history that
 * drives the stock-out Monte Carlo (`forecastStock`'s `slippageHistory`).
 */
export function slippageHistories(deliveries: readonly DelayDelivery[], options: { asOf?: string } = {}): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const { d, slip } of received(deliveries, options.asOf ?? null)) {
    const list = (out[d.donor] ??= []);
    for (let i = 0; i < (d.lines ?? 1); i++) list.push(slip);
  }
  return out;
}

/**
 * Tranches overdue at the end of `asOf`: expected strictly before it and not fully received, most
 * overdue first (then by tranche id). The caller leaves out tranches of withdrawn pledges.
 */
export function overdueTranches(tranches: readonly OpenTranche[], asOf: string): OverdueTranche[] {
  const out: OverdueTranche[] = [];
  for (const t of tranches) {
    const outstanding = t.quantity - t.receivedQuantity;
    if (outstanding <= 0 || t.expectedOn >= asOf) continue;
    const unit = t.unitValueMinor ?? null;
    out.push({
      trancheId: t.trancheId,
      pledgeId: t.pledgeId,
      donor: t.donor,
      capabilityArea: t.capabilityArea,
      expectedOn: t.expectedOn,
      daysOverdue: daysBetween(t.expectedOn, asOf),
      outstandingQuantity: outstanding,
      outstandingValueMinor: unit === null ? null : outstanding * unit,
    });
  }
  return out.sort((a, b) => b.daysOverdue - a.daysOverdue || (a.trancheId < b.trancheId ? -1 : a.trancheId > b.trancheId ? 1 : 0));
}
