import { convert, toMajor, type FxRate } from '../../domain/money/money.ts';
import type { CapabilityArea } from '../../domain/catalog/catalog.ts';

import type { PledgeStatus } from '../../domain/pledges/pledge.ts';
import {
  COVERAGE_REQUIREMENT_STATUSES,
  coverageOfRanked,
  coverageRow,
  type CoverageDelivery,
  type CoveragePledge,
  type CoverageTotals,
  type PlanAllocation,
  type RankedCoverage,
  type RequirementCoverage,
} from '../../engine/coverage/index.ts';
import {
  loadCoverageReceipts,
  loadCoverageSupply,
  loadCoverageSupplyAt,
  loadLatestPlanAllocations,
  loadRankedRequirements,
  type CoverageReceiptRow,
  type CoverageSupplyRow,
  type PlanAllocationSumRow,
  type RankedRequirementRows,
} from '../../store/report.repository.ts';
import type { Tx } from '../context.ts';
import type { ReportDocument, ReportSection } from './render/report-document.ts';

/**
 * What coverage at any date starts from, loaded once per report (the outcome computes coverage at two
 * dates): the latest plan and today's requirements in the statuses coverage counts, in rank order, as columns.
 */
export interface CurrentPlan {
  planId: string | null;
  allocations: PlanAllocationSumRow[];
  requirements: RankedRequirementRows;
}

export async function loadCurrentPlan(tx: Tx): Promise<CurrentPlan> {
  // The plan's queries (small) only once the requirements (the long query) are read: a connection sends its
  // next query when this process has read the last answer, so the query queued behind a long one should be
  // long too; in the brief and the outcome, coverage's supply and receipts go there (sent meanwhile).
  const requirements = await loadRankedRequirements(tx, COVERAGE_REQUIREMENT_STATUSES);
  const { planId, allocations } = await loadLatestPlanAllocations(tx);
  return { planId, allocations, requirements };
}

/**
 * Coverage as of the end of `asOf`, from SQL-aggregated rows:
 * - requirements in rank order as columns (the attribution walks them in that order), the fields many of
 *   them share (accepted groups, area, unit price) once per kind;
 * - pledges the latest plan allocates one row each; other committed pledges summed per designated
 *   requirement or per group, which the coverage rule treats as one pooled supply (see the repository);
 * - units received by `asOf` summed the same way, each sum entering the engine as one delivery on a
 *   supply line of its own (status withdrawn, so it never counts as committed).
 * Values: reference unit prices converted to `currency` at the rates in force on `asOf`.
 * The plan may still be loading (a promise): the supply and receipts queries are sent without waiting for it.
 */
export async function computeCoverageAt(tx: Tx, asOf: string, currency: string, rates: readonly FxRate[], plan: CurrentPlan | Promise<CurrentPlan>): Promise<RankedCoverage> {
  const [loaded, supply, receipts] = await Promise.all([plan, loadCoverageSupply(tx, asOf), loadCoverageReceipts(tx, asOf)]);
  return coverageFrom(asOf, supply, receipts, 'quantity', currency, rates, loaded);
}

/**
 * Coverage at `asOf` and at an `earlier` date, as `computeCoverageAt` gives each: the supply and the units
 * received at both dates come from one pass each (the outcome report compares two meetings). The plan may
 * still be loading (a promise), as in `computeCoverageAt`.
 */
export async function computeCoverageAtTwoDates(tx: Tx, asOf: string, earlier: string, currency: string, rates: readonly FxRate[], plan: CurrentPlan | Promise<CurrentPlan>): Promise<[RankedCoverage, RankedCoverage]> {
  const [loaded, [supply, earlierSupply], receipts] = await Promise.all([plan, loadCoverageSupplyAt(tx, asOf, earlier), loadCoverageReceipts(tx, asOf, earlier)]);
  return [
    coverageFrom(asOf, supply, receipts, 'quantity', currency, rates, loaded),
    coverageFrom(earlier, earlierSupply, receipts.filter((r) => r.quantityAtEarlier > 0), 'quantityAtEarlier', currency, rates, loaded),
  ];
}

/** Coverage at `asOf` from the supply lines and the units received on each by then (the receipts' field `received`). */
function coverageFrom(asOf: string, supply: readonly CoverageSupplyRow[], receipts: readonly CoverageReceiptRow[], received: 'quantity' | 'quantityAtEarlier', currency: string, rates: readonly FxRate[], plan: CurrentPlan): RankedCoverage {
  const valueOf = (minor: number | null, cur: string | null): number => (minor === null || cur === null ? 0 : convert({ minor, currency: cur }, currency, asOf, rates).minor);
  const req = plan.requirements;
  const kinds = req.kinds.map((k) => ({ accepts: k.accepts, capabilityArea: k.capabilityArea as CapabilityArea, unitValueMinor: valueOf(k.priceMinor, k.priceCurrency) }));
  const pledges: CoveragePledge[] = supply.map((s) => ({
    id: s.id,
    group: s.groupCode,
    quantity: s.quantity,
    status: s.status as PledgeStatus,
    announcedOn: s.announcedOn,
    designatedTo: s.designatedTo,
  }));
  const known = new Set(pledges.map((p) => p.id));
  const deliveries: CoverageDelivery[] = [];
  for (const r of receipts) {
    if (!known.has(r.supply)) {
      pledges.push({ id: r.supply, group: r.groupCode, quantity: 0, status: 'withdrawn', announcedOn: asOf, designatedTo: r.designatedTo });
      known.add(r.supply);
    }
    deliveries.push({ pledgeId: r.supply, quantity: r[received], receivedOn: asOf });
  }
  const allocations: PlanAllocation[] = plan.allocations.map((a) => ({ pledge: a.pledgeId, requirement: a.requirementId, quantity: a.quantity }));
  return coverageOfRanked({ requirements: { ...req, kinds }, pledges, plan: allocations, deliveries }, asOf);
}

// ---------------------------------------------------------------- presenting

const major = (minor: number, currency: string): number => toMajor({ minor, currency });

/** Totals in major units of the report currency. */
export function presentTotals(t: CoverageTotals, currency: string) {
  return {
    requirements: t.requirements,
    quantity: t.quantity,
    planned: t.planned,
    committed: t.committed,
    delivered: t.delivered,
    gap: t.gap,
    requiredValue: major(t.requiredValueMinor, currency),
    plannedValue: major(t.plannedValueMinor, currency),
    committedValue: major(t.committedValueMinor, currency),
    deliveredValue: major(t.deliveredValueMinor, currency),
    gapValue: major(t.gapValueMinor, currency),
    committedShare: t.committedShare,
    deliveredShare: t.deliveredShare,
  };
}

/** One requirement's coverage in major units. */
export function presentRequirement(r: RequirementCoverage, currency: string) {
  return {
    requirement: r.requirement,
    capabilityArea: r.capabilityArea,
    priority: r.priority,
    needBy: r.needBy,
    quantity: r.quantity,
    planned: r.planned,
    committed: r.committed,
    delivered: r.delivered,
    gap: r.gap,
    requiredValue: major(r.requiredValueMinor, currency),
    committedValue: major(r.committedValueMinor, currency),
    deliveredValue: major(r.deliveredValueMinor, currency),
    gapValue: major(r.gapValueMinor, currency),
  };
}

/** The first `limit` requirements in rank order, in major units. */
export function presentRequirements(report: RankedCoverage, limit: number, currency: string) {
  return Array.from({ length: Math.min(Math.max(0, limit), report.requirements.ids.length) }, (_, i) => presentRequirement(coverageRow(report, i), currency));
}

const TOTAL_COLUMNS = (currency: string) =>
  [
    { key: 'requirements', label: 'Requirements', kind: 'integer' },
    { key: 'requiredValue', label: `Required (${currency})`, kind: 'money' },
    { key: 'plannedValue', label: `Planned (${currency})`, kind: 'money' },
    { key: 'committedValue', label: `Committed (${currency})`, kind: 'money' },
    { key: 'deliveredValue', label: `Delivered (${currency})`, kind: 'money' },
    { key: 'gapValue', label: `Gap (${currency})`, kind: 'money' },
    { key: 'committedShare', label: 'Committed share', kind: 'percent' },
    { key: 'deliveredShare', label: 'Delivered share', kind: 'percent' },
  ] as const;

/** Coverage by capability area: stacked bars (delivered, committed not yet delivered, gap) and the table. */
export function coverageByAreaSection(report: Pick<RankedCoverage, 'byCapabilityArea' | 'asOf'>, currency: string): ReportSection {
  const areas = report.byCapabilityArea;
  const m = (minor: number) => Math.round(major(minor, currency));
  return {
    heading: 'Coverage by capability area',
    text: [`Value of the requirements covered by deliveries received, by committed pledges not yet delivered, and left uncovered, as of ${report.asOf}, in ${currency}.`],
    chart: {
      title: `Coverage by capability area (${currency})`,
      categories: areas.map((a) => a.capabilityArea),
      horizontal: true,
      series: [
        { name: 'delivered', stack: 'value', values: areas.map((a) => m(a.deliveredValueMinor)) },
        { name: 'committed, not delivered', stack: 'value', values: areas.map((a) => m(Math.max(0, a.committedValueMinor - a.deliveredValueMinor))) },
        { name: 'gap', stack: 'value', values: areas.map((a) => m(a.gapValueMinor)) },
      ],
    },
    table: {
      name: 'By capability area',
      columns: [{ key: 'capabilityArea', label: 'Capability area', kind: 'text' }, ...TOTAL_COLUMNS(currency)],
      rows: areas.map((a) => ({ capabilityArea: a.capabilityArea, ...presentTotals(a, currency) })),
    },
  };
}

export const REQUIREMENT_COLUMNS = (currency: string) =>
  [
    { key: 'requirement', label: 'Requirement', kind: 'text' },
    { key: 'capabilityArea', label: 'Area', kind: 'text' },
    { key: 'priority', label: 'Priority', kind: 'integer' },
    { key: 'needBy', label: 'Need by', kind: 'date' },
    { key: 'quantity', label: 'Quantity', kind: 'integer' },
    { key: 'planned', label: 'Planned', kind: 'integer' },
    { key: 'committed', label: 'Committed', kind: 'integer' },
    { key: 'delivered', label: 'Delivered', kind: 'integer' },
    { key: 'gap', label: 'Gap', kind: 'integer' },
    { key: 'gapValue', label: `Gap (${currency})`, kind: 'money' },
  ] as const;

/** The coverage report document: totals, by area (chart), by priority, and the first `limit` requirements. */
export function coverageDocument(report: RankedCoverage, currency: string, planId: string | null, limit: number): ReportDocument {
  const t = presentTotals(report.total, currency);
  const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
  const rows = presentRequirements(report, limit, currency);
  const count = report.requirements.ids.length;
  return {
    title: 'Coverage of requirements',
    subtitle: `As of ${report.asOf}; values in ${currency}`,
    generatedAt: new Date().toISOString(),
    notes: [
      `${t.requirements} validated requirements worth ${Math.round(t.requiredValue).toLocaleString('en-GB')} ${currency}: ${pct(t.committedShare)} covered by committed pledges, ${pct(t.deliveredShare)} by deliveries received; gap ${Math.round(t.gapValue).toLocaleString('en-GB')} ${currency}.`,
      planId ? `Plan ${planId} (the latest) gives "planned" and guides where its pledges count.` : 'No plan has been run: pledges count where they are designated, else pooled by group in requirement rank order.',
      'Values: catalog reference price of the requirement’s item (or of the first item of its first group) × units.',
    ],
    sections: [
      coverageByAreaSection(report, currency),
      {
        heading: 'Coverage by priority',
        table: { name: 'By priority', columns: [{ key: 'priority', label: 'Priority', kind: 'integer' }, ...TOTAL_COLUMNS(currency)], rows: report.byPriority.map((p) => ({ priority: p.priority, ...presentTotals(p, currency) })) },
      },
      {
        heading: 'Requirements',
        text: [rows.length < count ? `First ${rows.length} of ${count} requirements in rank order (priority, need-by date, id).` : `All ${rows.length} requirements in rank order (priority, need-by date, id).`],
        table: { name: 'Requirements', columns: [...REQUIREMENT_COLUMNS(currency)], rows },
      },
    ],
  };
}
