import type { ComponentNetwork } from './network.ts';

/**
 * Exact solver for a component that is one time chain (one group, one caveat class, no designated
 * pledges), in O(n log n) where the network simplex pays a walk along the chain per pivot.
 *
 * On one chain a solution is fixed by how much each requirement consumes: the chain's edge flows follow
 * from the balances, and a unit of backlog (consumed so far minus supplied so far) on the edge from day
 * d to day d' costs penalty × (d' − d), paid by supply that arrives late. So the problem is
 *
 *   maximise Σ weight(r) · c(r) − Σ_edges penalty · days(e) · max(0, backlog(e)),  0 ≤ c(r) ≤ quantity(r),
 *   with no backlog left after the last node (nothing can serve a need after all supply has come).
 *
 * V_t(b), the best value of the first t nodes with backlog b after node t, is concave in b, and a node
 * changes it by three operations a pair of heaps does in O(log n) each:
 * - its requirements: a sup-convolution, i.e. their units join V's slope sequence in slope order;
 * - its supply: a shift of b, moving units across b = 0;
 * - the edge after it: every unit at b > 0 loses penalty × days of slope.
 * Units at b ≤ 0 sit in a min-heap by slope, units at b > 0 in a max-heap with a lazy penalty shift.
 *
 * Later operations never reorder units already present (a penalty lowers every unit of the upper part,
 * which were already the lowest), so the units of positive slope left at b ≤ 0 at the end are a prefix of
 * that order at every earlier node, and consuming exactly them pays exactly the penalties they were
 * charged: their slopes add up to max V. The caller checks that sum against the flow it builds.
 */

/** Whether component `net` is a single chain the chain solver applies to. */
export function isSingleChain(net: ComponentNetwork): boolean {
  return net.chains.length === 1 && net.desPledges.length === 0 && net.reqNode.every((v) => v === -1);
}

/**
 * Solves a single-chain component in place (flows on its chain arcs, drains and bypass) and returns
 * the optimal cost (negated worth, in scaled units) by the concave recursion above, or null when the
 * work would pass `budget` heap operations (the caller then uses the network simplex).
 */
export function solveChain(net: ComponentNetwork, lambdaS: number, budget = Infinity): number | null {
  const first = net.chainFirst[0]!;
  const last = net.chainFirst[1]! - 1;
  const { cost, capacity, flow, nodeAttStart, nodeAttArc, supply } = net;
  const from = nodeAttStart[first]!;
  const to = nodeAttStart[last + 1]!;
  const cap = new Float64Array(to - from);
  const worth = new Float64Array(to - from);
  for (let i = from; i < to; i++) {
    cap[i - from] = capacity[nodeAttArc[i]!]!;
    worth[i - from] = -cost[nodeAttArc[i]!]!;
  }
  const taken = new Float64Array(to - from);
  const best = consumeAlongChain(net, 0, lambdaS, cap, worth, taken, budget);
  if (best === null) return null;
  for (let i = from; i < to; i++) flow[nodeAttArc[i]!] = taken[i - from]!;

  // Edge flows from the balances; what is left at the end bypasses.
  let x = 0;
  for (let v = first; v <= last; v++) {
    x += supply[v]!;
    for (let i = nodeAttStart[v]!; i < nodeAttStart[v + 1]!; i++) x -= taken[i - from]!;
    if (v < last) {
      flow[net.fwdArc[v]!] = x > 0 ? x : 0;
      flow[net.bwdArc[v]!] = x < 0 ? -x : 0;
    } else flow[net.bypassArc[0]!] = x;
  }
  return -best;
}

/**
 * The recursion above on chain j of `net` alone, over the attachments of its nodes (slots of
 * `nodeAttStart`, numbered from the chain's first slot) with capacity `cap` and worth per unit `worth`;
 * a capacity of 0 leaves a slot out. Writes the units each slot consumes into `taken` and returns the
 * optimum's worth, or null past `budget` heap operations or when the chain's units add up past 2^53.
 */
export function consumeAlongChain(
  net: Pick<ComponentNetwork, 'chainFirst' | 'nodeAttStart' | 'supply' | 'nodeDay'>,
  j: number,
  lambdaS: number,
  cap: Float64Array,
  worth: Float64Array,
  taken: Float64Array,
  budget = Infinity,
  scratch = new ChainScratch(),
): number | null {
  const first = net.chainFirst[j]!;
  const last = net.chainFirst[j + 1]! - 1;
  const { nodeAttStart, supply, nodeDay } = net;
  const base = nodeAttStart[first]!;
  // Unit counts are added up along the way: they must stay exact in doubles.
  let units = 0;
  for (let i = 0; i < cap.length; i++) units += cap[i]!;
  for (let v = first; v <= last; v++) units += supply[v]!;
  if (units > Number.MAX_SAFE_INTEGER) return null;

  // Segments and heaps live in the scratch (a class, not closures: this runs once per chain, hundreds
  // of times per component, and must not re-create or re-optimise anything per call).
  const seg = scratch.reset();
  const { lower, upper } = seg;
  let lo = 0; // −(supply so far): the least backlog

  for (let v = first; v <= last; v++) {
    // Requirements at v join the lower part; supply at v lowers the least backlog.
    for (let i = nodeAttStart[v]!; i < nodeAttStart[v + 1]!; i++) {
      const q = cap[i - base]!;
      if (q === 0) continue;
      lower.push(seg.add(worth[i - base]!, q, i - base), seg.slope);
      lower.total += q;
    }
    lo -= supply[v]!;
    // The lower part holds exactly the units at b ≤ 0: the first −lo units in slope order.
    const want = Math.min(-lo, lower.total + upper.total);
    if (lower.total > want) seg.move(lower, upper, lower.total - want);
    else if (lower.total < want) seg.move(upper, lower, want - lower.total);
    // Units that joined the lower part may rank below units of the upper part: exchange them.
    while (lower.size > 0 && upper.size > 0 && seg.slope[upper.top()]! + upper.shift > seg.slope[lower.top()]!) {
      const amount = Math.min(seg.len[lower.top()]!, seg.len[upper.top()]!);
      seg.move(lower, upper, amount);
      seg.move(upper, lower, amount);
    }
    if (seg.ops > budget) return null;
    // The edge to the next node: every unit of backlog pays its days.
    if (v < last) upper.shift -= lambdaS * (nodeDay[v + 1]! - nodeDay[v]!);
  }

  // Consume the units of positive slope at b ≤ 0.
  taken.fill(0);
  let best = 0;
  const { slope, len, slotOf } = seg;
  for (const s of lower.items()) {
    if (!(slope[s]! > 0)) continue;
    best += slope[s]! * len[s]!;
    taken[slotOf[s]!] = taken[slotOf[s]!]! + len[s]!;
  }
  return best;
}

/**
 * A binary heap of segment ids keyed by `key[id] * sign` (sign 1: min-heap, −1: max-heap), with the
 * units it holds and the lazy `shift` from a stored slope to the true one.
 */
class Heap {
  private ids = new Int32Array(256);
  size = 0;
  total = 0;
  shift = 0;
  constructor(private readonly sign: number) {}

  clear(): this {
    this.size = 0;
    this.total = 0;
    this.shift = 0;
    return this;
  }

  items(): Int32Array {
    return this.ids.subarray(0, this.size);
  }

  top(): number {
    return this.ids[0]!;
  }

  push(id: number, key: Float64Array): void {
    if (this.size === this.ids.length) {
      const grown = new Int32Array(this.ids.length * 2);
      grown.set(this.ids);
      this.ids = grown;
    }
    const ids = this.ids;
    const k = key[id]! * this.sign;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (key[ids[parent]!]! * this.sign <= k) break;
      ids[i] = ids[parent]!;
      i = parent;
    }
    ids[i] = id;
  }

  pop(key: Float64Array): number {
    const ids = this.ids;
    const topId = ids[0]!;
    const lastId = ids[--this.size]!;
    if (this.size === 0) return topId;
    const k = key[lastId]! * this.sign;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && key[ids[child + 1]!]! * this.sign < key[ids[child]!]! * this.sign) child++;
      if (key[ids[child]!]! * this.sign >= k) break;
      ids[i] = ids[child]!;
      i = child;
    }
    ids[i] = lastId;
    return topId;
  }
}

/**
 * Working memory of the recursion, reused from one chain to the next (a component has hundreds of
 * chains): segments — `len` units of attachment slot `slotOf` at `slope` (the true slope in the lower
 * heap; in the upper heap the true slope minus the heap's `shift`) — and the two heaps.
 */
export class ChainScratch {
  slope = new Float64Array(1024);
  len = new Float64Array(1024);
  slotOf = new Int32Array(1024);
  segments = 0;
  /** Segments moved between the heaps, against the caller's budget. */
  ops = 0;
  readonly lower = new Heap(1);
  readonly upper = new Heap(-1);

  reset(): this {
    this.segments = 0;
    this.ops = 0;
    this.lower.clear();
    this.upper.clear();
    return this;
  }

  /** A new segment; returns its id. */
  add(slope: number, len: number, slot: number): number {
    if (this.segments === this.slope.length) {
      const room = 2 * this.slope.length;
      const s = new Float64Array(room);
      s.set(this.slope);
      this.slope = s;
      const l = new Float64Array(room);
      l.set(this.len);
      this.len = l;
      const o = new Int32Array(room);
      o.set(this.slotOf);
      this.slotOf = o;
    }
    const id = this.segments++;
    this.slope[id] = slope;
    this.len[id] = len;
    this.slotOf[id] = slot;
    return id;
  }

  /** Moves `amount` units from the top of `from` to `to`, splitting a segment where the amount ends. */
  move(from: Heap, to: Heap, amount: number): void {
    from.total -= amount;
    to.total += amount;
    while (amount > 0 && from.size > 0) {
      const s = from.top();
      const trueSlope = this.slope[s]! + from.shift;
      if (this.len[s]! <= amount) {
        from.pop(this.slope);
        amount -= this.len[s]!;
        this.slope[s] = trueSlope - to.shift;
        to.push(s, this.slope);
      } else {
        this.len[s] = this.len[s]! - amount;
        const id = this.add(trueSlope - to.shift, amount, this.slotOf[s]!);
        to.push(id, this.slope);
        amount = 0;
      }
      this.ops++;
    }
  }
}
