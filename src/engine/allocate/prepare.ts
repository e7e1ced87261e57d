import { dayNumber } from '../../domain/dates.ts';
import type { AllocationProblem } from './types.ts';

/**
 * The problem in integers: groups, caveat classes and dates interned once, so that building the
 * network touches typed arrays only. Shared by the one-shot solve and the incremental session.
 */
export interface Prepared {
  problem: AllocationProblem;
  R: number;
  P: number;
  needDay: Int32Array;
  availDay: Int32Array;
  /** Quantities in flat arrays (read in network order, far from input order). */
  reqQty: Float64Array;
  pledgeQty: Float64Array;
  /** Weights and penalty multiplied by `scale` (integers when `exact`). */
  weightS: Float64Array;
  lambdaS: number;
  scale: number;
  /** Whether every scaled cost is an integer, so that the solver's arithmetic is exact. */
  exact: boolean;
  groupIds: Map<string, number>;
  /** Accepted groups of each requirement, deduplicated, as CSR (start of r … start of r+1). */
  reqGroupStart: Int32Array;
  reqGroups: Int32Array;
  pledgeGroup: Int32Array;
  /** Caveat class (exact set of forbidden uses) of each pledge. */
  pledgeClass: Int32Array;
  /** Use class (exact set of intended uses) of each requirement. */
  reqUseClass: Int32Array;
  /** Index of the requirement a pledge is designated to; −1 when free. */
  designatedReq: Int32Array;
  forbidClassIds: Map<string, number>;
  forbidSets: string[][];
  useSets: Set<string>[];
  dayMin: number;
  daySpan: number;
  /** Whether a requirement of use class `u` may take supply of caveat class `f`. */
  compatible(u: number, f: number): boolean;
}

/** Decimal digits needed to write `x` exactly, or Infinity if it needs more than 9. */
export function decimals(x: number): number {
  if (Number.isInteger(x)) return 0;
  for (let d = 1; d <= 9; d++) {
    const scaled = x * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) <= 1e-9 * Math.max(1, Math.abs(scaled))) return d;
  }
  return Infinity;
}

/** The key of a set of tags: order and repeats do not matter. */
export function tagSetKey(tags: readonly string[]): string {
  if (tags.length === 0) return '';
  if (tags.length === 1) return tags[0]!;
  if (tags.length === 2) {
    // The common case, without a Set and a sort per line.
    const [a, b] = tags as [string, string];
    return a === b ? a : a < b ? `${a}\u0001${b}` : `${b}\u0001${a}`;
  }
  return [...new Set(tags)].sort().join('\u0001');
}

/** Interns the problem (see Prepared). The input must be valid. */
export function prepare(problem: AllocationProblem): Prepared {
  const { requirements, pledges } = problem;
  const R = requirements.length;
  const P = pledges.length;
  const lambda = problem.latePenaltyPerDay;

  let dec = decimals(lambda);
  const seenWeights = new Set<number>();
  for (let r = 0; r < R; r++) {
    const w = requirements[r]!.weight;
    if (Number.isInteger(w) || seenWeights.has(w)) continue;
    seenWeights.add(w);
    dec = Math.max(dec, decimals(w));
  }
  const scaled = Number.isFinite(dec);
  const scale = scaled ? 10 ** dec : 1;
  const lambdaS = scaled ? Math.round(lambda * scale) : lambda;
  const weightS = new Float64Array(R);

  // Requirement ids are looked up only for designations (a map of 100k ids costs ~25 ms): built on first use.
  let reqIndex: Map<string, number> | undefined;
  const groupIds = new Map<string, number>();
  const groupId = (g: string) => {
    let id = groupIds.get(g);
    if (id === undefined) groupIds.set(g, (id = groupIds.size));
    return id;
  };
  const useClassIds = new Map<string, number>();
  const useSets: Set<string>[] = [];
  const forbidClassIds = new Map<string, number>();
  const forbidSets: string[][] = [];

  const needDay = new Int32Array(R);
  const reqQty = new Float64Array(R);
  const pledgeQty = new Float64Array(P);
  const reqUseClass = new Int32Array(R);
  const reqGroupStart = new Int32Array(R + 1);
  const groupList: number[] = [];
  let dayMin = Infinity;
  let dayMax = -Infinity;
  for (let r = 0; r < R; r++) {
    const rq = requirements[r]!;
    reqQty[r] = rq.quantity;
    weightS[r] = scaled ? Math.round(rq.weight * scale) : rq.weight;
    const d = dayNumber(rq.needBy);
    needDay[r] = d;
    if (d < dayMin) dayMin = d;
    if (d > dayMax) dayMax = d;
    const key = tagSetKey(rq.uses);
    let u = useClassIds.get(key);
    if (u === undefined) {
      useClassIds.set(key, (u = useSets.length));
      useSets.push(new Set(rq.uses));
    }
    reqUseClass[r] = u;
    reqGroupStart[r] = groupList.length;
    const from = groupList.length;
    for (const g of rq.accepts) {
      const id = groupId(g);
      let dup = false;
      for (let i = from; i < groupList.length; i++) if (groupList[i] === id) dup = true;
      if (!dup) groupList.push(id);
    }
  }
  reqGroupStart[R] = groupList.length;

  const availDay = new Int32Array(P);
  const pledgeGroup = new Int32Array(P);
  const pledgeClass = new Int32Array(P);
  const designatedReq = new Int32Array(P).fill(-1);
  for (let p = 0; p < P; p++) {
    const pl = pledges[p]!;
    const d = dayNumber(pl.available);
    availDay[p] = d;
    pledgeQty[p] = pl.quantity;
    if (d < dayMin) dayMin = d;
    if (d > dayMax) dayMax = d;
    pledgeGroup[p] = groupId(pl.group);
    const key = tagSetKey(pl.forbids);
    let f = forbidClassIds.get(key);
    if (f === undefined) {
      forbidClassIds.set(key, (f = forbidSets.length));
      forbidSets.push([...new Set(pl.forbids)]);
    }
    pledgeClass[p] = f;
    if (pl.designatedTo !== null) {
      reqIndex ??= new Map(requirements.map((x, i) => [x.id, i]));
      designatedReq[p] = reqIndex.get(pl.designatedTo) ?? -1;
    }
  }

  // Compatibility of (use class, caveat class), computed on first use: in a table when the classes are
  // few (as they are: a handful of tags), in a map otherwise.
  const nU = useSets.length;
  const compute = (u: number, f: number): boolean => {
    const uses = useSets[u]!;
    return !(forbidSets[f] ?? []).some((t) => uses.has(t));
  };
  let compatible: (u: number, f: number) => boolean;
  if (nU * Math.max(1, forbidSets.length) <= 1 << 20) {
    const table = new Int8Array(nU * Math.max(1, forbidSets.length)); // 0 unknown, 1 yes, 2 no
    compatible = (u, f) => {
      const key = f * nU + u;
      if (table[key] === 0) table[key] = compute(u, f) ? 1 : 2;
      return table[key] === 1;
    };
  } else {
    const cache = new Map<number, boolean>();
    compatible = (u, f) => {
      const key = f * nU + u;
      let ok = cache.get(key);
      if (ok === undefined) cache.set(key, (ok = compute(u, f)));
      return ok;
    };
  }

  const exactCosts = scaled && Number.isSafeInteger(lambdaS) && weightS.every(Number.isSafeInteger);
  return {
    problem,
    R,
    P,
    needDay,
    availDay,
    reqQty,
    pledgeQty,
    weightS,
    lambdaS,
    scale,
    exact: exactCosts,
    groupIds,
    reqGroupStart,
    reqGroups: Int32Array.from(groupList),
    pledgeGroup,
    pledgeClass,
    reqUseClass,
    designatedReq,
    forbidClassIds,
    forbidSets,
    useSets,
    dayMin: Number.isFinite(dayMin) ? dayMin : 0,
    daySpan: Number.isFinite(dayMin) ? dayMax - dayMin + 1 : 1,
    compatible,
  };
}
