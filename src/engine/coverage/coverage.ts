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

/**
 * Requirements already in rank order (`compareRequirementRank`) and all counted, as columns: coverage reads
 * 100,000s of them, and one object per requirement (in and out) cost more than the attribution itself.
 * What many requirements share (accepted groups, capability area, unit value) is one `RequirementKind`.
 */
export interface RankedRequirements {
  /** Ids in rank order. Unique unless `canonical` says otherwise. */
  ids: readonly string[];
  priority: ArrayLike<number>;
  needBy: readonly string[];
  quantity: ArrayLike<number>;
  /** Per requirement, the index of its kind in `kinds`. */
  kind: ArrayLike<number>;
  kinds: readonly RequirementKind[];
  /**
   * For repeated ids only: per rank, the rank whose coverage it shows (the last of its id, as a map by id
   * would keep). Absent when every id is unique.
   */
  canonical?: Int32Array;
}

/** The fields of a requirement that many requirements share. */
export interface RequirementKind {
  /** Interchangeability groups whose items meet the need, in order of preference. */
  accepts: readonly string[];
  capabilityArea: CapabilityArea;
  /** Value of one unit in minor units of the report currency. */
  unitValueMinor: number;
}

/** Coverage of ranked requirements, per rank; rows are made on demand (`coverageRow`). */
export interface RankedCoverage {
  asOf: string | null;
  requirements: RankedRequirements;
  /** Units per rank: planned (capped by the quantity), committed, delivered. */
  planned: Float64Array;
  committed: Float64Array;
  delivered: Float64Array;
  /** Ranks with a gap, in rank order. */
  gapRanks: Int32Array;
  byCapabilityArea: Array<{ capabilityArea: CapabilityArea } & CoverageTotals>;
  byPriority: Array<{ priority: Priority } & CoverageTotals>;
  total: CoverageTotals;
}

/** The coverage of the requirement at `rank`, as one row. */
export function coverageRow(c: RankedCoverage, rank: number): RequirementCoverage {
  const req = c.requirements;
  const at = req.canonical ? req.canonical[rank]! : rank;
  const kind = req.kinds[req.kind[rank]!]!;
  const quantity = req.quantity[rank]!;
  const planned = c.planned[rank]!;
  const committed = c.committed[at]!;
  const delivered = c.delivered[at]!;
  const gap = quantity - Math.max(committed, delivered);
  const v = kind.unitValueMinor;
  return {
    requirement: req.ids[rank]!,
    capabilityArea: kind.capabilityArea,
    priority: req.priority[rank]! as Priority,
    needBy: req.needBy[rank]!,
    quantity,
    planned,
    committed,
    delivered,
    gap,
    requiredValueMinor: quantity * v,
    plannedValueMinor: planned * v,
    committedValueMinor: committed * v,
    deliveredValueMinor: delivered * v,
    gapValueMinor: gap * v,
  };
}

/** The last rank of each of the `wanted` ids among the ranked ids (a map by id over all of them would hold 100,000s). */
function ranksOf(ids: readonly string[], wanted: ReadonlySet<string>): Map<string, number> {
  const rankOf = new Map<string, number>();
  if (wanted.size === 0) return rankOf;
  for (let i = 0; i < ids.length; i++) if (wanted.has(ids[i]!)) rankOf.set(ids[i]!, i);
  return rankOf;
}

/**
 * Attributes supply to ranked requirements by the counting rule in this module's header; returns units per
 * rank (the canonical rank of a repeated id). `rankOf` must resolve every designated and planned requirement.
 */
function attribute(
  req: RankedRequirements,
  rankOf: ReadonlyMap<string, number>,
  supplies: readonly Supply[],
  plan: readonly PlanAllocation[],
): Float64Array {
  const n = req.ids.length;
  const need = Float64Array.from(req.quantity);
  const got = new Float64Array(n);
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
    else left.set(s.pledge, { pledge: s.pledge, group: s.group, quantity: s.quantity, designatedTo: s.designatedTo, left: s.quantity });
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

  // 3. The rest pooled by group, poured in rank order; groups numbered per kind (few kinds, many requirements).
  const groupOf = new Map<string, number>();
  const kindGroups = req.kinds.map((k) =>
    Int32Array.from(k.accepts, (g) => {
      let x = groupOf.get(g);
      if (x === undefined) groupOf.set(g, (x = groupOf.size));
      return x;
    }),
  );
  // Pools of the groups some kind accepts (a pool no requirement accepts covers nothing).
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
    const canonical = req.canonical;
    for (let i = 0; i < n; i++) {
      const groups = kindGroups[req.kind[i]!]!;
      for (let k = 0; k < groups.length; k++) {
        const g = groups[k]!;
        const avail = pool[g]!;
        if (avail <= 0) continue;
        pool[g] = avail - give(canonical ? canonical[i]! : i, avail);
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

/** Adds one requirement's units (and their values at `v` a unit) to the totals. */
function addTo(t: CoverageTotals, quantity: number, planned: number, committed: number, delivered: number, gap: number, v: number): void {
  t.requirements += 1;
  t.quantity += quantity;
  t.planned += planned;
  t.committed += committed;
  t.delivered += delivered;
  t.gap += gap;
  t.requiredValueMinor += quantity * v;
  t.plannedValueMinor += planned * v;
  t.committedValueMinor += committed * v;
  t.deliveredValueMinor += delivered * v;
  t.gapValueMinor += gap * v;
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
  const lastOf = new Map<string, number>();
  ranked.forEach((r, i) => lastOf.set(r.id, i));
  const requirements: RankedRequirements = {
    ids: ranked.map((r) => r.id),
    priority: ranked.map((r) => r.priority),
    needBy: ranked.map((r) => r.needBy),
    quantity: ranked.map((r) => r.quantity),
    kind: ranked.map((_, i) => i),
    kinds: ranked.map((r) => ({ accepts: r.accepts, capabilityArea: r.capabilityArea, unitValueMinor: r.unitValueMinor })),
    ...(lastOf.size < ranked.length ? { canonical: Int32Array.from(ranked, (r) => lastOf.get(r.id)!) } : {}),
  };
  const c = coverageOfRanked({ requirements, pledges: input.pledges, plan: input.plan, deliveries: input.deliveries }, asOf);
  const rows = ranked.map((_, i) => coverageRow(c, i));
  return {
    asOf,
    requirements: rows,
    byCapabilityArea: c.byCapabilityArea,
    byPriority: c.byPriority,
    total: c.total,
    gaps: Array.from(c.gapRanks, (i) => rows[i]!),
  };
}

/** Input of `coverageOfRanked`: requirements already ranked and counted, as columns. */
export interface RankedCoverageInput {
  requirements: RankedRequirements;
  pledges: readonly CoveragePledge[];
  plan: readonly PlanAllocation[];
  deliveries: readonly CoverageDelivery[];
}

/**
 * Coverage of requirements given in rank order as columns, as it stood at the end of `asOf` (null: everything
 * recorded): the same figures as `coverageAsOf` for those requirements, without an object per requirement.
 */
export function coverageOfRanked(input: RankedCoverageInput, asOf: string | null): RankedCoverage {
  const by = (date: string | undefined): boolean => asOf === null || date === undefined || date <= asOf;
  const req = input.requirements;
  const n = req.ids.length;

  // Every pledge by id (deliveries count whatever became of their pledge), and those announced by `asOf`:
  // the same map when none is later (as the reports give them).
  const allPledges = new Map<string, CoveragePledge>();
  let later = false;
  for (const p of input.pledges) {
    allPledges.set(p.id, p);
    if (!by(p.announcedOn)) later = true;
  }
  let pledges = allPledges;
  if (later) {
    pledges = new Map<string, CoveragePledge>();
    for (const p of input.pledges) if (by(p.announcedOn)) pledges.set(p.id, p);
  }
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

  // Deliveries count whatever became of their pledge afterwards (what arrived, arrived).
  const deliveredSupply: Supply[] = [];
  for (const d of input.deliveries) {
    if (d.receivedOn === null || d.quantity <= 0 || (asOf !== null && d.receivedOn > asOf)) continue;
    const p = allPledges.get(d.pledgeId);
    if (!p) continue;
    deliveredSupply.push({ pledge: p.id, group: p.group, quantity: d.quantity, designatedTo: p.designatedTo });
  }

  // Ranks of the requirements named by id: designations and the plan.
  const named = new Set<string>(plan.map((a) => a.requirement));
  for (const s of committedSupply) if (s.designatedTo !== null) named.add(s.designatedTo);
  for (const s of deliveredSupply) if (s.designatedTo !== null) named.add(s.designatedTo);
  const rankOf = ranksOf(req.ids, named);
  const committed = attribute(req, rankOf, committedSupply, plan);
  const delivered = attribute(req, rankOf, deliveredSupply, plan);

  const planned = new Float64Array(n);
  if (plannedRaw.size > 0) for (let i = 0; i < n; i++) planned[i] = Math.min(req.quantity[i]!, plannedRaw.get(req.ids[i]!) ?? 0);

  // Totals per capability area, per priority and overall, summed in rank order.
  const areas = new Map<CapabilityArea, CoverageTotals>();
  const priorities = new Map<Priority, CoverageTotals>();
  const areaOfKind = req.kinds.map((k) => {
    let a = areas.get(k.capabilityArea);
    return a ?? (areas.set(k.capabilityArea, (a = emptyTotals())), a);
  });
  const kindSeen = new Uint8Array(req.kinds.length);
  const total = emptyTotals();
  const gapRanks: number[] = [];
  const canonical = req.canonical;
  for (let i = 0; i < n; i++) {
    const at = canonical ? canonical[i]! : i;
    const kind = req.kind[i]!;
    const v = req.kinds[kind]!.unitValueMinor;
    const quantity = req.quantity[i]!;
    const p = planned[i]!;
    const c = committed[at]!;
    const d = delivered[at]!;
    const gap = quantity - Math.max(c, d);
    if (gap > 0) gapRanks.push(i);
    const priority = req.priority[i]! as Priority;
    let pt = priorities.get(priority);
    if (!pt) priorities.set(priority, (pt = emptyTotals()));
    kindSeen[kind] = 1;
    addTo(areaOfKind[kind]!, quantity, p, c, d, gap, v);
    addTo(pt, quantity, p, c, d, gap, v);
    addTo(total, quantity, p, c, d, gap, v);
  }
  const areaSeen = new Set(req.kinds.filter((_, k) => kindSeen[k] === 1).map((k) => k.capabilityArea));

  return {
    asOf,
    requirements: req,
    planned,
    committed,
    delivered,
    gapRanks: Int32Array.from(gapRanks),
    byCapabilityArea: [...areas.entries()]
      .filter(([a]) => areaSeen.has(a))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([capabilityArea, t]) => ({ capabilityArea, ...finish(t) })),
    byPriority: [...priorities.entries()].sort(([a], [b]) => a - b).map(([priority, t]) => ({ priority, ...finish(t) })),
    total: finish(total),
  };
}
