import type { CapabilityArea } from '../../domain/catalog/catalog.ts';
import type { Priority, RequirementStatus } from '../../domain/requirements/requirement.ts';
import type { PledgeStatus } from '../../domain/pledges/pledge.ts';

/**
 * Coverage and gaps of the recipient's requirements.
 *
 * How supply counts against requirements (the same rule for committed pledges and for deliveries):
 * - a pledge designated to a requirement counts only there, up to what that requirement still lacks;
 *   the rest of it covers nothing (it may not go elsewhere);
 * - an undesignated pledge that the current plan allocates counts where the plan put it, walking the
 *   plan's allocations in requirement rank order (priority, need-by date, id), each capped by what the
 *   pledge has left and what the requirement still lacks;
 * - whatever is left of undesignated pledges is pooled by interchangeability group and poured into the
 *   requirements accepting that group, in rank order (the group order of `accepts` within one requirement).
 *   The pool ignores caveats: the plan is the authority on caveats, the pool is the fallback estimate.
 * - no requirement is ever covered beyond its quantity.
 */

/** Requirement statuses that take part in coverage (drafts, submitted and cancelled lines do not). */
export const COVERAGE_REQUIREMENT_STATUSES: readonly RequirementStatus[] = ['validated', 'partly-covered', 'covered', 'fulfilled'];

/** Pledge statuses that count as committed: committed or later, never withdrawn. */
export const COMMITTED_PLEDGE_STATUSES: readonly PledgeStatus[] = ['committed', 'contracted', 'delivering', 'delivered'];

/** One need line, as coverage sees it. */
export interface CoverageRequirement {
  id: string;
  /** Interchangeability groups whose items meet the need, in order of preference. */
  accepts: readonly string[];
  capabilityArea: CapabilityArea;
  quantity: number;
  priority: Priority;
  /** ISO date by which the items are needed. */
  needBy: string;
  status: RequirementStatus;
  /** Value of one unit in minor units of the report currency (reference price, converted by the caller). */
  unitValueMinor: number;
  /** ISO date the requirement was recorded; when given, `asOf` leaves out requirements recorded later. */
  createdOn?: string;
}

/** One pledge line, as coverage sees it (funding pledges carry no quantity and are left to burden sharing). */
export interface CoveragePledge {
  id: string;
  /** Interchangeability group of the item offered. */
  group: string;
  quantity: number;
  status: PledgeStatus;
  /** ISO date the pledge was announced. */
  announcedOn: string;
  /** Requirement the pledge is bound to by bilateral arrangement. */
  designatedTo: string | null;
}

/** One line of the current plan: so many units of a pledge given to a requirement. */
export interface PlanAllocation {
  pledge: string;
  requirement: string;
  quantity: number;
}

/** One delivery line (only received ones count). */
export interface CoverageDelivery {
  pledgeId: string;
  quantity: number;
  /** ISO date received; null while in transit. */
  receivedOn: string | null;
}

export interface CoverageInput {
  requirements: readonly CoverageRequirement[];
  pledges: readonly CoveragePledge[];
  /** Allocations of the current plan. */
  plan: readonly PlanAllocation[];
  deliveries: readonly CoverageDelivery[];
}

/** Coverage of one requirement. Quantities in units, values in minor units of the report currency. */
export interface RequirementCoverage {
  requirement: string;
  capabilityArea: CapabilityArea;
  priority: Priority;
  needBy: string;
  quantity: number;
  /** Units the current plan gives it (allocations of withdrawn or unknown pledges excluded). */
  planned: number;
  /** Units committed pledges cover (see the counting rule above). */
  committed: number;
  /** Units received. */
  delivered: number;
  /** Units still uncovered: quantity − max(committed, delivered). */
  gap: number;
  requiredValueMinor: number;
  plannedValueMinor: number;
  committedValueMinor: number;
  deliveredValueMinor: number;
  gapValueMinor: number;
}

/** Sums over a set of requirements (a capability area, a priority, or all). */
export interface CoverageTotals {
  requirements: number;
  quantity: number;
  planned: number;
  committed: number;
  delivered: number;
  gap: number;
  requiredValueMinor: number;
  plannedValueMinor: number;
  committedValueMinor: number;
  deliveredValueMinor: number;
  gapValueMinor: number;
  /** committedValue / requiredValue (value-weighted, since units of different items do not add up); null when nothing is required. */
  committedShare: number | null;
  deliveredShare: number | null;
}

export interface CoverageReport {
  /** ISO date the report is as of, or null for "everything recorded". */
  asOf: string | null;
  requirements: RequirementCoverage[];
  byCapabilityArea: Array<{ capabilityArea: CapabilityArea } & CoverageTotals>;
  byPriority: Array<{ priority: Priority } & CoverageTotals>;
  total: CoverageTotals;
  /** Requirements with a gap, ranked by priority, then need-by date, then id. */
  gaps: RequirementCoverage[];
}

interface Supply {
  pledge: string;
  group: string;
  quantity: number;
  designatedTo: string | null;
}

/** Orders requirements by priority (P1 first), then need-by date, then id. */
export function compareRequirementRank(
  a: Pick<CoverageRequirement, 'priority' | 'needBy' | 'id'>,
  b: Pick<CoverageRequirement, 'priority' | 'needBy' | 'id'>,
): number {
  if (a.priority !== b.priority) return a.priority - b.priority;
  if (a.needBy !== b.needBy) return a.needBy < b.needBy ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Ranked requirements by number: their rank, and the groups they accept as small integers. */
interface RankIndex {
  /** Index of each id in rank order (the last one for a repeated id, as a map by id would keep). */
  rankOf: Map<string, number>;
  /** Per rank, the index its id resolves to through `rankOf`. */
  canonical: Int32Array;
  /** Number of each group some requirement accepts. */
  groupOf: Map<string, number>;
  /** Groups accepted by rank i: acceptGroup[acceptStart[i] … acceptStart[i + 1] − 1], in `accepts` order. */
  acceptStart: Int32Array;
  acceptGroup: Int32Array;
}

function rankIndex(ranked: readonly CoverageRequirement[]): RankIndex {
  const rankOf = new Map<string, number>();
  for (let i = 0; i < ranked.length; i++) rankOf.set(ranked[i]!.id, i);
  const canonical = new Int32Array(ranked.length);
  for (let i = 0; i < ranked.length; i++) canonical[i] = rankOf.size === ranked.length ? i : rankOf.get(ranked[i]!.id)!;
  const groupOf = new Map<string, number>();
  const acceptStart = new Int32Array(ranked.length + 1);
  const acceptGroup: number[] = [];
  for (let i = 0; i < ranked.length; i++) {
    for (const g of ranked[i]!.accepts) {
      let n = groupOf.get(g);
      if (n === undefined) groupOf.set(g, (n = groupOf.size));
      acceptGroup.push(n);
    }
    acceptStart[i + 1] = acceptGroup.length;
  }
  return { rankOf, canonical, groupOf, acceptStart, acceptGroup: Int32Array.from(acceptGroup) };
}

/**
 * Attributes supply to ranked requirements by the counting rule in this module's header.
 * `ranked` must be in rank order and `rankOf` give each id's index in it; returns units per rank index
 * (arrays by rank rather than maps by id: coverage runs over 100,000s of requirements).
 */
function attribute(
  ranked: readonly CoverageRequirement[],
  index: RankIndex,
  supplies: readonly Supply[],
  plan: readonly PlanAllocation[],
): Float64Array {
  const { rankOf, canonical, groupOf, acceptStart, acceptGroup } = index;
  const need = new Float64Array(ranked.length);
  for (let i = 0; i < ranked.length; i++) need[i] = ranked[i]!.quantity;
  const got = new Float64Array(ranked.length);
  const give = (rank: number | undefined, want: number): number => {
    if (rank === undefined) return 0;
    const left = need[rank]!;
    const q = Math.max(0, Math.min(left, want));
    if (q > 0) {
      need[rank] = left - q;
      got[rank] = got[rank]! + q;
    }
    return q;
  };

  const left = new Map<string, Supply & { left: number }>();
  for (const s of supplies) {
    const prev = left.get(s.pledge);
    if (prev) prev.left += s.quantity;
    else left.set(s.pledge, { ...s, left: s.quantity });
  }

  // 1. Designated pledges go to their requirement only.
  for (const s of left.values()) {
    if (s.designatedTo === null) continue;
    give(rankOf.get(s.designatedTo), s.left);
    s.left = 0;
  }

  // 2. Undesignated pledges where the plan put them, in requirement rank order.
  const planned = plan
    .filter((a) => rankOf.has(a.requirement) && left.get(a.pledge)?.designatedTo === null)
    .sort((a, b) => (rankOf.get(a.requirement) ?? 0) - (rankOf.get(b.requirement) ?? 0) || (a.pledge < b.pledge ? -1 : a.pledge > b.pledge ? 1 : 0));
  for (const a of planned) {
    const s = left.get(a.pledge);
    if (!s) continue;
    s.left -= give(rankOf.get(a.requirement), Math.min(a.quantity, s.left));
  }

  // 3. The rest pooled by group, poured in rank order.
  // Pools of the groups some requirement accepts (a pool no requirement accepts covers nothing).
  const pool = new Float64Array(groupOf.size);
  let pooled = false;
  for (const s of left.values()) {
    if (s.designatedTo !== null || s.left <= 0) continue;
    const g = groupOf.get(s.group);
    if (g === undefined) continue;
    pool[g] = pool[g]! + s.left;
    pooled = true;
  }
  if (pooled) {
    for (let i = 0; i < ranked.length; i++) {
      for (let k = acceptStart[i]!; k < acceptStart[i + 1]!; k++) {
        const g = acceptGroup[k]!;
        const avail = pool[g]!;
        if (avail <= 0) continue;
        pool[g] = avail - give(canonical[i], avail);
      }
    }
  }
  return got;
}

function emptyTotals(): CoverageTotals {
  return {
    requirements: 0, quantity: 0, planned: 0, committed: 0, delivered: 0, gap: 0,
    requiredValueMinor: 0, plannedValueMinor: 0, committedValueMinor: 0, deliveredValueMinor: 0, gapValueMinor: 0,
    committedShare: null, deliveredShare: null,
  };
}

function addTo(t: CoverageTotals, c: RequirementCoverage): void {
  t.requirements += 1;
  t.quantity += c.quantity;
  t.planned += c.planned;
  t.committed += c.committed;
  t.delivered += c.delivered;
  t.gap += c.gap;
  t.requiredValueMinor += c.requiredValueMinor;
  t.plannedValueMinor += c.plannedValueMinor;
  t.committedValueMinor += c.committedValueMinor;
  t.deliveredValueMinor += c.deliveredValueMinor;
  t.gapValueMinor += c.gapValueMinor;
}

function finish(t: CoverageTotals): CoverageTotals {
  t.committedShare = t.requiredValueMinor > 0 ? t.committedValueMinor / t.requiredValueMinor : null;
  t.deliveredShare = t.requiredValueMinor > 0 ? t.deliveredValueMinor / t.requiredValueMinor : null;
  return t;
}

/**
 * Computes coverage and gaps per requirement, capability area and priority from everything recorded
 * (no date cut-off). Pure; O(n log n) in the number of records.
 */
export function computeCoverage(input: CoverageInput): CoverageReport {
  return coverage(input, null);
}

/**
 * Coverage as it stood at the end of `asOf`: only requirements recorded by then (when `createdOn` is
 * given), pledges announced by then (at their current status: status history is not an input) and
 * deliveries received by then; plan allocations of pledges not yet announced are left out.
 */
export function coverageAsOf(input: CoverageInput, asOf: string): CoverageReport {
  return coverage(input, asOf);
}

/** Coverage totals at each of several dates, for "gap over time" charts. */
export function coverageOverTime(input: CoverageInput, dates: readonly string[]): Array<{ asOf: string; total: CoverageTotals }> {
  return dates.map((d) => ({ asOf: d, total: coverage(input, d).total }));
}

function coverage(input: CoverageInput, asOf: string | null): CoverageReport {
  const by = (date: string | undefined): boolean => asOf === null || date === undefined || date <= asOf;
  const ranked = input.requirements
    .filter((r) => COVERAGE_REQUIREMENT_STATUSES.includes(r.status) && by(r.createdOn))
    .slice()
    .sort(compareRequirementRank);
  const index = rankIndex(ranked);
  const { rankOf } = index;

  const pledges = new Map<string, CoveragePledge>();
  for (const p of input.pledges) if (by(p.announcedOn)) pledges.set(p.id, p);
  const live = (id: string): boolean => {
    const p = pledges.get(id);
    return p !== undefined && p.status !== 'withdrawn';
  };
  // The plan guides attribution whatever the date, so that coverage only grows as records arrive.
  const plan = input.plan.filter((a) => a.quantity > 0);

  // Planned: the plan's allocations as they stand, capped by the requirement.
  const plannedRaw = new Map<string, number>();
  for (const a of plan) if (live(a.pledge)) plannedRaw.set(a.requirement, (plannedRaw.get(a.requirement) ?? 0) + a.quantity);

  const committedSupply: Supply[] = [];
  for (const p of pledges.values()) {
    if (!COMMITTED_PLEDGE_STATUSES.includes(p.status) || p.quantity <= 0) continue;
    committedSupply.push({ pledge: p.id, group: p.group, quantity: p.quantity, designatedTo: p.designatedTo });
  }
  const committed = attribute(ranked, index, committedSupply, plan);

  // Deliveries count whatever became of their pledge afterwards (what arrived, arrived).
  const allPledges = new Map<string, CoveragePledge>();
  for (const p of input.pledges) allPledges.set(p.id, p);
  const deliveredSupply: Supply[] = [];
  for (const d of input.deliveries) {
    if (d.receivedOn === null || d.quantity <= 0 || (asOf !== null && d.receivedOn > asOf)) continue;
    const p = allPledges.get(d.pledgeId);
    if (!p) continue;
    deliveredSupply.push({ pledge: p.id, group: p.group, quantity: d.quantity, designatedTo: p.designatedTo });
  }
  const delivered = attribute(ranked, index, deliveredSupply, plan);

  const rows: RequirementCoverage[] = ranked.map((r) => {
    const planned = Math.min(r.quantity, plannedRaw.get(r.id) ?? 0);
    const rank = rankOf.get(r.id)!;
    const c = committed[rank]!;
    const d = delivered[rank]!;
    const gap = r.quantity - Math.max(c, d);
    const v = r.unitValueMinor;
    return {
      requirement: r.id,
      capabilityArea: r.capabilityArea,
      priority: r.priority,
      needBy: r.needBy,
      quantity: r.quantity,
      planned,
      committed: c,
      delivered: d,
      gap,
      requiredValueMinor: r.quantity * v,
      plannedValueMinor: planned * v,
      committedValueMinor: c * v,
      deliveredValueMinor: d * v,
      gapValueMinor: gap * v,
    };
  });

  const areas = new Map<CapabilityArea, CoverageTotals>();
  const priorities = new Map<Priority, CoverageTotals>();
  const total = emptyTotals();
  for (const row of rows) {
    let a = areas.get(row.capabilityArea);
    if (!a) areas.set(row.capabilityArea, (a = emptyTotals()));
    let p = priorities.get(row.priority);
    if (!p) priorities.set(row.priority, (p = emptyTotals()));
    addTo(a, row);
    addTo(p, row);
    addTo(total, row);
  }

  return {
    asOf,
    requirements: rows,
    byCapabilityArea: [...areas.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([capabilityArea, t]) => ({ capabilityArea, ...finish(t) })),
    byPriority: [...priorities.entries()].sort(([a], [b]) => a - b).map(([priority, t]) => ({ priority, ...finish(t) })),
    total: finish(total),
    gaps: rows.filter((r) => r.gap > 0),
  };
}
