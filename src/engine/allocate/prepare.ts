import { dayNumber } from '../../domain/dates.ts';
import type { Ids } from './ids.ts';
import type { AllocationProblem } from './types.ts';

/**
 * The problem in integers: groups, caveat classes and dates interned once, so that building the
 * network touches typed arrays only. Shared by the one-shot solve and the incremental session.
 */
export interface Prepared {
  /** The lines' ids, in input order: what the result names. */
  requirementIds: Ids;
  pledgeIds: Ids;
  /** Worth of a unit of each requirement, and the lateness charge, as given (the result's objective is in these). */
  reqWeight: Float64Array;
  latePenaltyPerDay: number;
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
  const lines = new LineTables(requirements.length, pledges.length);
  const groups: number[] = [];
  for (let r = 0; r < requirements.length; r++) {
    const rq = requirements[r]!;
    groups.length = 0;
    for (let i = 0; i < rq.accepts.length; i++) groups.push(lines.group(rq.accepts[i]!));
    lines.addRequirement(rq.id, rq.quantity, rq.weight, dayNumber(rq.needBy), groups, rq.uses);
  }
  // Requirement ids are looked up only for designations (a map of 100k ids costs ~25 ms): built on first use.
  let reqIndex: Map<string, number> | undefined;
  for (let p = 0; p < pledges.length; p++) {
    const pl = pledges[p]!;
    let designated = -1;
    if (pl.designatedTo !== null) {
      reqIndex ??= new Map(requirements.map((x, i) => [x.id, i]));
      designated = reqIndex.get(pl.designatedTo) ?? -1;
    }
    lines.addPledge(pl.id, lines.group(pl.group), pl.quantity, dayNumber(pl.available), pl.forbids, designated);
  }
  return lines.finish(problem.latePenaltyPerDay);
}

/**
 * Builds a Prepared line by line, from objects (prepare) or straight from a file's text (read.ts):
 * requirements first, then pledges, as a valid problem lists them. Arrays grow as lines come; the
 * sizes given are where they start. Ids are kept here as strings, or by the caller (an id of
 * undefined) and handed to finish.
 */
export class LineTables {
  private R = 0;
  private P = 0;
  private requirementIds: string[] = [];
  private pledgeIds: string[] = [];
  private reqWeight: Float64Array;
  private needDay: Int32Array;
  private reqQty: Float64Array;
  private reqUseClass: Int32Array;
  private reqGroupStart: Int32Array;
  private groupList: number[] = [];
  private availDay: Int32Array;
  private pledgeQty: Float64Array;
  private pledgeGroup: Int32Array;
  private pledgeClass: Int32Array;
  private designatedReq: Int32Array;
  private readonly groupIds = new Map<string, number>();
  private readonly useClassIds = new Map<string, number>();
  private readonly useSets: Set<string>[] = [];
  private readonly forbidClassIds = new Map<string, number>();
  private readonly forbidSets: string[][] = [];
  private dayMin = Infinity;
  private dayMax = -Infinity;

  constructor(requirements = 1024, pledges = 1024) {
    const r = Math.max(1, requirements);
    const p = Math.max(1, pledges);
    this.reqWeight = new Float64Array(r);
    this.needDay = new Int32Array(r);
    this.reqQty = new Float64Array(r);
    this.reqUseClass = new Int32Array(r);
    this.reqGroupStart = new Int32Array(r + 1);
    this.availDay = new Int32Array(p);
    this.pledgeQty = new Float64Array(p);
    this.pledgeGroup = new Int32Array(p);
    this.pledgeClass = new Int32Array(p);
    this.designatedReq = new Int32Array(p);
  }

  /** The number of a group (interchangeability group) by name: 0, 1, 2… in order of first mention. */
  group(name: string): number {
    let id = this.groupIds.get(name);
    if (id === undefined) this.groupIds.set(name, (id = this.groupIds.size));
    return id;
  }

  /** A requirement: `groups` are the numbers (group()) of the groups it accepts, repeats allowed. */
  addRequirement(id: string | undefined, quantity: number, weight: number, needDay: number, groups: readonly number[], uses: readonly string[]): void {
    const r = this.R++;
    if (r === this.reqQty.length) this.growRequirements();
    if (id !== undefined) this.requirementIds.push(id);
    this.reqQty[r] = quantity;
    this.reqWeight[r] = weight;
    this.needDay[r] = needDay;
    this.seeDay(needDay);
    const key = tagSetKey(uses);
    let u = this.useClassIds.get(key);
    if (u === undefined) {
      this.useClassIds.set(key, (u = this.useSets.length));
      this.useSets.push(new Set(uses));
    }
    this.reqUseClass[r] = u;
    const groupList = this.groupList;
    const from = groupList.length;
    this.reqGroupStart[r] = from;
    for (let i = 0; i < groups.length; i++) {
      const id = groups[i]!;
      let dup = false;
      for (let j = from; j < groupList.length; j++) if (groupList[j] === id) dup = true;
      if (!dup) groupList.push(id);
    }
  }

  /** A pledge of group number `group`; `designatedReq` is the index of the requirement it is designated to, −1 when free. */
  addPledge(id: string | undefined, group: number, quantity: number, availDay: number, forbids: readonly string[], designatedReq: number): void {
    const p = this.P++;
    if (p === this.pledgeQty.length) this.growPledges();
    if (id !== undefined) this.pledgeIds.push(id);
    this.availDay[p] = availDay;
    this.pledgeQty[p] = quantity;
    this.seeDay(availDay);
    this.pledgeGroup[p] = group;
    const key = tagSetKey(forbids);
    let f = this.forbidClassIds.get(key);
    if (f === undefined) {
      this.forbidClassIds.set(key, (f = this.forbidSets.length));
      this.forbidSets.push([...new Set(forbids)]);
    }
    this.pledgeClass[p] = f;
    this.designatedReq[p] = designatedReq;
  }

  /** The Prepared of the lines added; `latePenaltyPerDay` must be finite and ≥ 0; `ids`, the lines' ids when they were added without. */
  finish(latePenaltyPerDay: number, ids?: { requirements: Ids; pledges: Ids }): Prepared {
    const { R, P } = this;
    const reqWeight = this.reqWeight.subarray(0, R);
    let dec = decimals(latePenaltyPerDay);
    const seenWeights = new Set<number>();
    for (let r = 0; r < R; r++) {
      const w = reqWeight[r]!;
      if (Number.isInteger(w) || seenWeights.has(w)) continue;
      seenWeights.add(w);
      dec = Math.max(dec, decimals(w));
    }
    const scaled = Number.isFinite(dec);
    const scale = scaled ? 10 ** dec : 1;
    const lambdaS = scaled ? Math.round(latePenaltyPerDay * scale) : latePenaltyPerDay;
    const weightS = new Float64Array(R);
    for (let r = 0; r < R; r++) weightS[r] = scaled ? Math.round(reqWeight[r]! * scale) : reqWeight[r]!;

    this.reqGroupStart[R] = this.groupList.length;
    const { useSets, forbidSets, dayMin, dayMax } = this;
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
      requirementIds: ids?.requirements ?? this.requirementIds,
      pledgeIds: ids?.pledges ?? this.pledgeIds,
      reqWeight,
      latePenaltyPerDay,
      R,
      P,
      needDay: this.needDay.subarray(0, R),
      availDay: this.availDay.subarray(0, P),
      reqQty: this.reqQty.subarray(0, R),
      pledgeQty: this.pledgeQty.subarray(0, P),
      weightS,
      lambdaS,
      scale,
      exact: exactCosts,
      groupIds: this.groupIds,
      reqGroupStart: this.reqGroupStart.subarray(0, R + 1),
      reqGroups: Int32Array.from(this.groupList),
      pledgeGroup: this.pledgeGroup.subarray(0, P),
      pledgeClass: this.pledgeClass.subarray(0, P),
      reqUseClass: this.reqUseClass.subarray(0, R),
      designatedReq: this.designatedReq.subarray(0, P),
      forbidClassIds: this.forbidClassIds,
      forbidSets,
      useSets,
      dayMin: Number.isFinite(dayMin) ? dayMin : 0,
      daySpan: Number.isFinite(dayMin) ? dayMax - dayMin + 1 : 1,
      compatible,
    };
  }

  private seeDay(d: number): void {
    if (d < this.dayMin) this.dayMin = d;
    if (d > this.dayMax) this.dayMax = d;
  }

  private growRequirements(): void {
    const n = this.reqQty.length * 2;
    this.reqWeight = grown(this.reqWeight, n);
    this.needDay = grown(this.needDay, n);
    this.reqQty = grown(this.reqQty, n);
    this.reqUseClass = grown(this.reqUseClass, n);
    this.reqGroupStart = grown(this.reqGroupStart, n + 1);
  }

  private growPledges(): void {
    const n = this.pledgeQty.length * 2;
    this.availDay = grown(this.availDay, n);
    this.pledgeQty = grown(this.pledgeQty, n);
    this.pledgeGroup = grown(this.pledgeGroup, n);
    this.pledgeClass = grown(this.pledgeClass, n);
    this.designatedReq = grown(this.designatedReq, n);
  }
}

/** A copy of `a` with room for `n` elements. */
function grown<T extends Int32Array | Float64Array>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}
