import { ChainScratch, consumeAlongChain } from './chain.ts';
import { STATE_LOWER, STATE_TREE, STATE_UPPER, type FlowNetwork } from './network-simplex.ts';
import type { Prepared } from './prepare.ts';

/**
 * The linear-size network of the allocation (docs/allocation.md).
 *
 * - One time chain per (group, caveat class): nodes at the distinct dates of its supply and of the
 *   requirements attached to it; forward arcs free (early supply waits), backward arcs at
 *   penalty × days (late supply). A unit from p reaching r's need-by node has paid exactly
 *   penalty × max(0, available − needBy).
 * - A requirement attaches to every chain of a group it accepts whose class forbids none of its uses,
 *   at its need-by date (only where some of the chain's supply can reach it with positive worth,
 *   unless the network is kept for re-planning).
 * - The requirement's drain to the sink carries at most its quantity at cost −weight.
 * - Each chain's last node has a free bypass to the sink: supply may stay unused.
 * - A designated pledge is its own node with one arc to its requirement (its own late cost) and a
 *   bypass; it never enters a chain.
 */

/** Where every line sits, for the whole problem: chains, attachments, designations, components. */
export interface Layout {
  chainCount: number;
  chainGroup: Int32Array;
  chainClass: Int32Array;
  chainMinDay: Int32Array;
  /** Chain of each free pledge; −1 for designated pledges. */
  pledgeChain: Int32Array;
  chainPledgeStart: Int32Array;
  chainPledges: Int32Array;
  /** Attached requirements, grouped by chain (CSR). */
  chainAttStart: Int32Array;
  chainAttReq: Int32Array;
  /** Designated pledges that may serve their requirement with positive worth. */
  designated: Int32Array;
  /** Per requirement: whether some pledge is compatible ignoring dates, and whether one has positive worth. */
  compatible: Uint8Array;
  positive: Uint8Array;
  attachCount: Int32Array;
  designatedCount: Int32Array;
  componentCount: number;
  compChainStart: Int32Array;
  compChains: Int32Array;
  compReqStart: Int32Array;
  compReqs: Int32Array;
  compDesStart: Int32Array;
  compDes: Int32Array;
  /** Component of each interned group. */
  groupComp: Int32Array;
  /** Position of each requirement in its component's list (compReqs). */
  reqSlot: Int32Array;
}

// Counting sorts. Each pass is a function of its own: a fresh process runs each of these loops once
// or a few times per solve, and V8 compiles a loop alone sooner and once (a function of several loops
// was compiled again, and its compiled code dropped, at each loop it had not run yet).

/**
 * Stable counting sort of the indexes i of `keys` by keys[i] (below `buckets`; a negative key leaves
 * i out), as CSR: the items of bucket b are items[start[b] … start[b + 1]]. With `input`, the indexes
 * are taken in that order instead of 0, 1, 2, ….
 */
export function bucket(keys: Int32Array, buckets: number, input: Int32Array | null = null): { start: Int32Array; items: Int32Array } {
  const start = new Int32Array(buckets + 1);
  countKeys(keys, start);
  prefixSums(start);
  const items = new Int32Array(start[buckets]!);
  const fill = start.slice(0, buckets);
  if (input) placeInOrder(keys, input, fill, items);
  else placeByKey(keys, fill, items);
  return { start, items };
}

function countKeys(keys: Int32Array, start: Int32Array): void {
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (k >= 0) start[k + 1]!++;
  }
}

/** Counts at start[b + 1] become the start of each bucket. */
function prefixSums(start: Int32Array): void {
  for (let b = 1; b < start.length; b++) start[b]! += start[b - 1]!;
}

function placeByKey(keys: Int32Array, fill: Int32Array, items: Int32Array): void {
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (k >= 0) items[fill[k]!++] = i;
  }
}

function placeInOrder(keys: Int32Array, input: Int32Array, fill: Int32Array, items: Int32Array): void {
  for (let x = 0; x < input.length; x++) {
    const i = input[x]!;
    const k = keys[i]!;
    if (k >= 0) items[fill[k]!++] = i;
  }
}

/** outer[inner[i]] for each i. */
function compose(outer: Int32Array, inner: Int32Array): Int32Array {
  const out = new Int32Array(inner.length);
  for (let i = 0; i < inner.length; i++) out[i] = outer[inner[i]!]!;
  return out;
}

/**
 * Lays out chains, attachments, designations and independent components. With `keepAll` (networks
 * kept for re-planning) a requirement attaches to every compatible chain, reachable today or not.
 */
export function layoutProblem(prep: Prepared, keepAll: boolean): Layout {
  const chains = freeChains(prep);
  const { chainCount, chainGroup } = chains;
  const byChain = bucket(chains.pledgeChain, chainCount);
  const byGroup = bucket(chainGroup, prep.groupIds.size);
  const att = attachRequirements(prep, chains, byGroup, keepAll);
  const byChainAtt = bucket(att.chain, chainCount);
  const des = designations(prep, att.compatible, att.positive);
  const { groupComp, componentCount } = groupComponents(prep);
  const byCompChain = bucket(compose(groupComp, chainGroup), componentCount);
  const byCompReq = bucket(compose(groupComp, compose(prep.reqGroups, prep.reqGroupStart.subarray(0, prep.R))), componentCount);
  const byCompDes = bucket(compose(groupComp, compose(prep.pledgeGroup, des.designated)), componentCount);
  return {
    chainCount,
    chainGroup,
    chainClass: chains.chainClass,
    chainMinDay: chains.chainMinDay,
    pledgeChain: chains.pledgeChain,
    chainPledgeStart: byChain.start,
    chainPledges: byChain.items,
    chainAttStart: byChainAtt.start,
    chainAttReq: compose(att.req, byChainAtt.items),
    designated: des.designated,
    compatible: att.compatible,
    positive: att.positive,
    attachCount: att.count,
    designatedCount: des.count,
    componentCount,
    compChainStart: byCompChain.start,
    compChains: byCompChain.items,
    compReqStart: byCompReq.start,
    compReqs: byCompReq.items,
    compDesStart: byCompDes.start,
    compDes: compose(des.designated, byCompDes.items),
    groupComp,
    reqSlot: slotsInBuckets(byCompReq, prep.R),
  };
}

interface FreeChains {
  chainCount: number;
  chainGroup: Int32Array;
  chainClass: Int32Array;
  chainMinDay: Int32Array;
  pledgeChain: Int32Array;
}

/** Chains of free supply: one per (group, caveat class) of the pledges that are not designated. */
function freeChains(prep: Prepared): FreeChains {
  const { P, designatedReq, pledgeGroup, pledgeClass, availDay } = prep;
  const F = prep.forbidSets.length;
  const chainIds = new Map<number, number>();
  const chainGroupL: number[] = [];
  const chainClassL: number[] = [];
  const chainMinL: number[] = [];
  const pledgeChain = new Int32Array(P).fill(-1);
  for (let p = 0; p < P; p++) {
    if (designatedReq[p]! >= 0) continue;
    const key = pledgeGroup[p]! * F + pledgeClass[p]!;
    let c = chainIds.get(key);
    if (c === undefined) {
      chainIds.set(key, (c = chainGroupL.length));
      chainGroupL.push(pledgeGroup[p]!);
      chainClassL.push(pledgeClass[p]!);
      chainMinL.push(availDay[p]!);
    } else if (availDay[p]! < chainMinL[c]!) chainMinL[c] = availDay[p]!;
    pledgeChain[p] = c;
  }
  return {
    chainCount: chainGroupL.length,
    chainGroup: Int32Array.from(chainGroupL),
    chainClass: Int32Array.from(chainClassL),
    chainMinDay: Int32Array.from(chainMinL),
    pledgeChain,
  };
}

/**
 * Attachments: requirement × compatible chain of a group it accepts, where some of the chain's supply
 * reaches it with positive worth (every compatible chain with `keepAll`); and per requirement whether
 * some supply is compatible ignoring dates, and whether some has positive worth.
 */
function attachRequirements(prep: Prepared, chains: FreeChains, byGroup: { start: Int32Array; items: Int32Array }, keepAll: boolean) {
  const { R, needDay, weightS, lambdaS, reqGroupStart, reqGroups, reqUseClass } = prep;
  const { chainClass, chainMinDay } = chains;
  const compatible = new Uint8Array(R);
  const positive = new Uint8Array(R);
  const count = new Int32Array(R);
  // At most one attachment per chain of each accepted group: typed arrays of that size.
  let room = 0;
  for (let gi = 0; gi < reqGroups.length; gi++) room += byGroup.start[reqGroups[gi]! + 1]! - byGroup.start[reqGroups[gi]!]!;
  const req = new Int32Array(room);
  const chain = new Int32Array(room);
  let total = 0;
  for (let r = 0; r < R; r++) {
    const u = reqUseClass[r]!;
    const w = weightS[r]!;
    const need = needDay[r]!;
    for (let gi = reqGroupStart[r]!; gi < reqGroupStart[r + 1]!; gi++) {
      const g = reqGroups[gi]!;
      for (let ci = byGroup.start[g]!; ci < byGroup.start[g + 1]!; ci++) {
        const c = byGroup.items[ci]!;
        if (!prep.compatible(u, chainClass[c]!)) continue;
        compatible[r] = 1;
        const reachable = w - lambdaS * Math.max(0, chainMinDay[c]! - need) > 0;
        if (reachable) positive[r] = 1;
        if (!reachable && !keepAll) continue;
        req[total] = r;
        chain[total++] = c;
        count[r]!++;
      }
    }
  }
  return { req: req.subarray(0, total), chain: chain.subarray(0, total), count, compatible, positive };
}

/** Designated pledges that may serve their requirement (compatible, positive worth); marks `compatible` and `positive`. */
function designations(prep: Prepared, compatible: Uint8Array, positive: Uint8Array): { designated: Int32Array; count: Int32Array } {
  const { R, P, pledgeGroup, pledgeClass, availDay, needDay, weightS, lambdaS, reqGroupStart, reqGroups, reqUseClass, designatedReq } = prep;
  const designatedL: number[] = [];
  const count = new Int32Array(R);
  for (let p = 0; p < P; p++) {
    const r = designatedReq[p]!;
    if (r < 0) continue;
    let accepts = false;
    for (let gi = reqGroupStart[r]!; gi < reqGroupStart[r + 1]!; gi++) if (reqGroups[gi] === pledgeGroup[p]) accepts = true;
    if (!accepts || !prep.compatible(reqUseClass[r]!, pledgeClass[p]!)) continue;
    compatible[r] = 1;
    if (weightS[r]! - lambdaS * Math.max(0, availDay[p]! - needDay[r]!) <= 0) continue;
    positive[r] = 1;
    designatedL.push(p);
    count[r]!++;
  }
  return { designated: Int32Array.from(designatedL), count };
}

/** Components: groups joined by a requirement that accepts several of them (union-find), numbered in group order. */
function groupComponents(prep: Prepared): { groupComp: Int32Array; componentCount: number } {
  const { R, reqGroupStart, reqGroups } = prep;
  const G = prep.groupIds.size;
  const parent = new Int32Array(G);
  for (let g = 0; g < G; g++) parent[g] = g;
  for (let r = 0; r < R; r++) {
    const first = findRoot(parent, reqGroups[reqGroupStart[r]!]!);
    for (let gi = reqGroupStart[r]! + 1; gi < reqGroupStart[r + 1]!; gi++) {
      const other = findRoot(parent, reqGroups[gi]!);
      if (other !== first) parent[other] = first;
    }
  }
  const compOfRoot = new Int32Array(G).fill(-1);
  const groupComp = new Int32Array(G);
  let componentCount = 0;
  for (let g = 0; g < G; g++) {
    const root = findRoot(parent, g);
    if (compOfRoot[root] === -1) compOfRoot[root] = componentCount++;
    groupComp[g] = compOfRoot[root]!;
  }
  return { groupComp, componentCount };
}

/** The root of g in the union-find forest `parent`; the path from g is pointed at it on the way. */
function findRoot(parent: Int32Array, g: number): number {
  let root = g;
  while (parent[root] !== root) root = parent[root]!;
  while (parent[g] !== root) {
    const up = parent[g]!;
    parent[g] = root;
    g = up;
  }
  return root;
}

/** Position of each of `count` indexes within its bucket. */
function slotsInBuckets(by: { start: Int32Array; items: Int32Array }, count: number): Int32Array {
  const slot = new Int32Array(count);
  for (let b = 0; b + 1 < by.start.length; b++) {
    for (let i = by.start[b]!; i < by.start[b + 1]!; i++) slot[by.items[i]!] = i - by.start[b]!;
  }
  return slot;
}

/** One component's network, with what is needed to read the flow back as pairs. */
export interface ComponentNetwork extends FlowNetwork {
  component: number;
  /** Global ids of the component's chains and the node range of each (local chain j: chainFirst[j] … chainFirst[j+1]). */
  chains: Int32Array;
  chainFirst: Int32Array;
  /** Day of each chain node. */
  nodeDay: Int32Array;
  /** Forward and backward arc from each chain node to the next one; −1 at a chain's last node. */
  fwdArc: Int32Array;
  bwdArc: Int32Array;
  bypassArc: Int32Array;
  /** Free pledges at each chain node (CSR over nodes). */
  nodePledgeStart: Int32Array;
  nodePledges: Int32Array;
  /** Attachments at each chain node (CSR over nodes): the arc and its requirement. */
  nodeAttStart: Int32Array;
  nodeAttArc: Int32Array;
  nodeAttReq: Int32Array;
  /** Designated pledges of the component, their arc to the requirement and their bypass. */
  desPledges: Int32Array;
  desArc: Int32Array;
  desBypass: Int32Array;
  /** Requirements of the component with their node (−1: drained straight from one attachment) and drain arc. */
  reqs: Int32Array;
  reqNode: Int32Array;
  reqDrain: Int32Array;
  /** Supply of each node (what leaves minus what enters). */
  supply: Float64Array;
}

/** Item indexes ordered by (chain, day): two stable counting passes, or a comparison sort when days span far more than there are items. */
function sortItems(chain: Int32Array, day: Int32Array, chains: number, span: number): Int32Array {
  const count = chain.length;
  if (span > 4 * count + 1024) {
    const order = new Int32Array(count);
    for (let i = 0; i < count; i++) order[i] = i;
    return order.sort((a, b) => chain[a]! - chain[b]! || day[a]! - day[b]!);
  }
  return bucket(chain, chains, bucket(day, span).items).items;
}

/**
 * Builds component `k`'s network and a strongly feasible initial spanning tree: supply flows forward
 * along its chain and out through the bypass; requirement nodes hang from the sink by an empty
 * artificial arc directed away from the root. With `ownNodes` every requirement gets a node (needed
 * to re-plan).
 */
export function buildComponent(prep: Prepared, layout: Layout, k: number, ownNodes: boolean): ComponentNetwork {
  return new ComponentBuilder(prep, layout, k, ownNodes).build();
}

// Placeholders of the builder's arrays until their pass allocates them (a builder is made per component).
const NO_INT32: Int32Array = new Int32Array(0);
const NO_FLOAT64: Float64Array = new Float64Array(0);
const NO_INT8: Int8Array = new Int8Array(0);

/**
 * The steps of buildComponent, one method per pass over the lines. Each pass is its own function so
 * that V8 optimises it alone, soon and once: one function holding every pass was recompiled at each
 * new loop it reached (docs/allocation.md, "Where a fresh process's time goes").
 */
class ComponentBuilder {
  readonly chains: Int32Array;
  readonly reqs: Int32Array;
  readonly desPledges: Int32Array;
  readonly C: number;
  // Items: a pledge p as p, an attachment i as −1 − i, with its local chain and its day from dayMin.
  itemCount = 0;
  attCount = 0;
  itemRef = NO_INT32;
  itemChain = NO_INT32;
  itemDay = NO_INT32;
  itemNode = NO_INT32;
  order: Int32Array = NO_INT32;
  chainFirst = NO_INT32;
  chainNodes = 0;
  reqNode = NO_INT32;
  reqNodeCount = 0;
  n = 0;
  // Arcs and the initial tree.
  m = 0;
  source = NO_INT32;
  target = NO_INT32;
  capacity = NO_FLOAT64;
  cost = NO_FLOAT64;
  flow = NO_FLOAT64;
  state = NO_INT8;
  parent = NO_INT32;
  predArc = NO_INT32;
  supply = NO_FLOAT64;
  reqDrain = NO_INT32;
  // Chain nodes.
  nodeDay = NO_INT32;
  fwdArc = NO_INT32;
  bwdArc = NO_INT32;
  bypassArc = NO_INT32;
  nodePledgeStart = NO_INT32;
  nodeAttStart = NO_INT32;
  nodePledges = NO_INT32;
  nodeAttArc = NO_INT32;
  nodeAttReq = NO_INT32;
  // The crash start (see crashChain).
  readonly crash: boolean;
  reqCrashChain = NO_INT32;
  scratch: ChainScratch | null = null;
  crashCap = NO_FLOAT64;
  crashWorth = NO_FLOAT64;
  crashTaken = NO_FLOAT64;

  constructor(
    readonly prep: Prepared,
    readonly layout: Layout,
    readonly k: number,
    readonly ownNodes: boolean,
  ) {
    this.chains = layout.compChains.subarray(layout.compChainStart[k]!, layout.compChainStart[k + 1]!);
    this.reqs = layout.compReqs.subarray(layout.compReqStart[k]!, layout.compReqStart[k + 1]!);
    this.desPledges = layout.compDes.subarray(layout.compDesStart[k]!, layout.compDesStart[k + 1]!);
    this.C = this.chains.length;
    this.crash = !ownNodes && this.C > 1;
  }

  build(): ComponentNetwork {
    this.collectItems();
    this.numberNodes(sortItems(this.itemChain, this.itemDay, this.C, this.prep.daySpan));
    this.requirementNodes();
    this.allocate();
    this.addDrains();
    this.fillNodes();
    if (this.crash) {
      this.reqCrashChain = new Int32Array(this.reqs.length).fill(-1);
      this.scratch = new ChainScratch();
      this.crashCap = new Float64Array(this.attCount);
      this.crashWorth = new Float64Array(this.attCount);
      this.crashTaken = new Float64Array(this.attCount);
    }
    const chainOrder = this.crash ? this.chainsBySupply() : null;
    for (let x = 0; x < this.C; x++) {
      const j = chainOrder ? chainOrder[x]! : x;
      this.chainArcs(j);
      this.attachmentArcs(j);
      this.chainTree(j, this.crash ? this.crashChain(j) : null);
    }
    const { desArc, desBypass } = this.designatedArcs();
    const { supply, n, m } = this;
    let total = 0;
    for (let v = 1; v < n; v++) total += supply[v]!;
    supply[0] = -total;
    return {
      nodeCount: n,
      arcCount: m,
      source: this.source.subarray(0, m),
      target: this.target.subarray(0, m),
      capacity: this.capacity.subarray(0, m),
      cost: this.cost.subarray(0, m),
      flow: this.flow.subarray(0, m),
      state: this.state.subarray(0, m),
      root: 0,
      parent: this.parent,
      predArc: this.predArc,
      component: this.k,
      chains: this.chains,
      chainFirst: this.chainFirst,
      nodeDay: this.nodeDay,
      fwdArc: this.fwdArc,
      bwdArc: this.bwdArc,
      bypassArc: this.bypassArc,
      nodePledgeStart: this.nodePledgeStart,
      nodePledges: this.nodePledges,
      nodeAttStart: this.nodeAttStart,
      nodeAttArc: this.nodeAttArc,
      nodeAttReq: this.nodeAttReq,
      desPledges: this.desPledges,
      desArc,
      desBypass,
      reqs: this.reqs,
      reqNode: this.reqNode,
      reqDrain: this.reqDrain,
      supply,
    };
  }

  /** The chain nodes are the distinct (chain, day) of its supply and attachments: the items to sort. */
  collectItems(): void {
    const { chains, C, layout } = this;
    const { chainPledgeStart, chainPledges, chainAttStart, chainAttReq } = layout;
    const { availDay, needDay, dayMin } = this.prep;
    let itemCount = 0;
    let attCount = 0;
    for (let j = 0; j < C; j++) {
      const c = chains[j]!;
      itemCount += chainPledgeStart[c + 1]! - chainPledgeStart[c]!;
      attCount += chainAttStart[c + 1]! - chainAttStart[c]!;
    }
    itemCount += attCount;
    const itemRef = new Int32Array(itemCount);
    const itemChain = new Int32Array(itemCount);
    const itemDay = new Int32Array(itemCount);
    let ic = 0;
    for (let j = 0; j < C; j++) {
      const c = chains[j]!;
      for (let i = chainPledgeStart[c]!; i < chainPledgeStart[c + 1]!; i++) {
        const p = chainPledges[i]!;
        itemRef[ic] = p;
        itemChain[ic] = j;
        itemDay[ic++] = availDay[p]! - dayMin;
      }
      for (let i = chainAttStart[c]!; i < chainAttStart[c + 1]!; i++) {
        itemRef[ic] = -1 - i;
        itemChain[ic] = j;
        itemDay[ic++] = needDay[chainAttReq[i]!]! - dayMin;
      }
    }
    this.itemCount = itemCount;
    this.attCount = attCount;
    this.itemRef = itemRef;
    this.itemChain = itemChain;
    this.itemDay = itemDay;
  }

  /** Numbers the chain nodes (from 1; 0 is the sink) in item order. */
  numberNodes(order: Int32Array): void {
    const { itemCount, itemChain, itemDay, C } = this;
    const chainFirst = new Int32Array(C + 1);
    const itemNode = new Int32Array(itemCount);
    let chainNodes = 0;
    for (let x = 0, prevChain = -1, prevDay = -1; x < itemCount; x++) {
      const i = order[x]!;
      const j = itemChain[i]!;
      if (j !== prevChain || itemDay[i] !== prevDay) {
        chainNodes++;
        if (j !== prevChain) chainFirst[j] = chainNodes; // every chain has supply, so none is skipped
        prevChain = j;
        prevDay = itemDay[i]!;
      }
      itemNode[i] = chainNodes;
    }
    chainFirst[C] = chainNodes + 1;
    this.order = order;
    this.chainFirst = chainFirst;
    this.itemNode = itemNode;
    this.chainNodes = chainNodes;
  }

  /** Requirement nodes where several arcs meet (or always, with ownNodes), then designated pledges' nodes. */
  requirementNodes(): void {
    const { reqs, ownNodes } = this;
    const { attachCount, designatedCount } = this.layout;
    const reqNode = new Int32Array(reqs.length).fill(-1);
    let nodeCount = 1 + this.chainNodes;
    let reqNodeCount = 0;
    for (let i = 0; i < reqs.length; i++) {
      const r = reqs[i]!;
      if (ownNodes || designatedCount[r]! >= 1 || attachCount[r]! >= 2) {
        reqNode[i] = nodeCount++;
        reqNodeCount++;
      }
    }
    this.reqNode = reqNode;
    this.reqNodeCount = reqNodeCount;
    this.n = nodeCount + this.desPledges.length;
  }

  allocate(): void {
    const { n, C } = this;
    const arcRoom = 2 * this.chainNodes + this.attCount + 2 * this.reqNodeCount + 2 * this.desPledges.length + C;
    this.source = new Int32Array(arcRoom);
    this.target = new Int32Array(arcRoom);
    this.capacity = new Float64Array(arcRoom);
    this.cost = new Float64Array(arcRoom);
    this.flow = new Float64Array(arcRoom);
    this.state = new Int8Array(arcRoom).fill(STATE_LOWER);
    this.parent = new Int32Array(n).fill(-1);
    this.predArc = new Int32Array(n).fill(-1);
    this.supply = new Float64Array(n);
    this.reqDrain = new Int32Array(this.reqs.length).fill(-1);
    this.nodeDay = new Int32Array(n);
    this.fwdArc = new Int32Array(n).fill(-1);
    this.bwdArc = new Int32Array(n).fill(-1);
    this.bypassArc = new Int32Array(C);
    this.nodePledgeStart = new Int32Array(n + 1);
    this.nodeAttStart = new Int32Array(n + 1);
    this.nodePledges = new Int32Array(this.itemCount - this.attCount);
    this.nodeAttArc = new Int32Array(this.attCount);
    this.nodeAttReq = new Int32Array(this.attCount);
  }

  addArc(from: number, to: number, cap: number, c: number): number {
    const m = this.m++;
    this.source[m] = from;
    this.target[m] = to;
    this.capacity[m] = cap;
    this.cost[m] = c;
    return m;
  }

  setTree(node: number, par: number, arc: number, f: number): void {
    this.parent[node] = par;
    this.predArc[node] = arc;
    this.state[arc] = STATE_TREE;
    this.flow[arc] = f;
  }

  /** Requirement drains, each node hanging from the sink by an empty artificial arc. */
  addDrains(): void {
    const { reqs, reqNode, reqDrain } = this;
    const { reqQty, weightS } = this.prep;
    for (let i = 0; i < reqs.length; i++) {
      const v = reqNode[i]!;
      if (v === -1) continue;
      this.setTree(v, 0, this.addArc(0, v, 0, 0), 0);
      reqDrain[i] = this.addArc(v, 0, reqQty[reqs[i]!]!, -weightS[reqs[i]!]!);
    }
  }

  /** Items come in node order: days, supplies and the CSR lists of pledges and attachments fill in one pass. */
  fillNodes(): void {
    const { itemCount, order, itemNode, itemDay, itemRef, nodeDay, supply, nodePledges, nodePledgeStart, nodeAttReq, nodeAttStart } = this;
    const { pledgeQty, dayMin } = this.prep;
    const { chainAttReq } = this.layout;
    let np = 0;
    let na = 0;
    for (let x = 0; x < itemCount; x++) {
      const i = order[x]!;
      const v = itemNode[i]!;
      nodeDay[v] = itemDay[i]! + dayMin;
      const ref = itemRef[i]!;
      if (ref >= 0) {
        supply[v]! += pledgeQty[ref]!;
        nodePledges[np++] = ref;
        nodePledgeStart[v + 1] = np;
      } else {
        nodeAttReq[na++] = chainAttReq[-1 - ref]!;
        nodeAttStart[v + 1] = na;
      }
    }
    fillStarts(nodePledgeStart);
    fillStarts(nodeAttStart);
  }

  /**
   * The order in which the crash start takes the chains: most supply first (ties in chain order). A
   * requirement of several chains goes to the first chain whose recursion serves it in full, and the
   * chain with the most supply is the likeliest to serve it in the optimum too: simplex pivots after
   * the start fall from 3,105 to 1,044 at 20k × 40k and from 3,221 to 121 at 100k × 200k with caveats.
   */
  chainsBySupply(): Int32Array {
    const { C, chainFirst, supply } = this;
    const total = new Float64Array(C);
    for (let j = 0; j < C; j++) {
      let t = 0;
      for (let v = chainFirst[j]!; v < chainFirst[j + 1]!; v++) t += supply[v]!;
      total[j] = t;
    }
    const order = new Int32Array(C);
    for (let j = 0; j < C; j++) order[j] = j;
    return order.sort((a, b) => total[b]! - total[a]! || a - b);
  }

  /** Chain j's forward and backward arcs and its bypass. */
  chainArcs(j: number): void {
    const { chainFirst, nodeDay, fwdArc, bwdArc } = this;
    const { lambdaS } = this.prep;
    const first = chainFirst[j]!;
    const last = chainFirst[j + 1]! - 1;
    for (let v = first; v < last; v++) {
      fwdArc[v] = this.addArc(v, v + 1, Infinity, 0);
      bwdArc[v] = this.addArc(v + 1, v, Infinity, lambdaS * (nodeDay[v + 1]! - nodeDay[v]!));
    }
    this.bypassArc[j] = this.addArc(last, 0, Infinity, 0);
  }

  /** Chain j's attachments: to the requirement's node, or its drain when the requirement has none. */
  attachmentArcs(j: number): void {
    const { chainFirst, nodeAttStart, nodeAttReq, nodeAttArc, reqNode, reqDrain } = this;
    const { reqSlot } = this.layout;
    const { reqQty, weightS } = this.prep;
    for (let v = chainFirst[j]!; v < chainFirst[j + 1]!; v++) {
      for (let slot = nodeAttStart[v]!; slot < nodeAttStart[v + 1]!; slot++) {
        const r = nodeAttReq[slot]!;
        const li = reqSlot[r]!;
        nodeAttArc[slot] = reqNode[li] !== -1 ? this.addArc(v, reqNode[li]!, Infinity, 0) : (reqDrain[li] = this.addArc(v, 0, reqQty[r]!, -weightS[r]!));
      }
    }
  }

  /**
   * A start better than "all supply bypasses" (one pivot per requirement, each a walk along its chain):
   * each chain alone is solved by the chain recursion (chain.ts) over its own requirements, a
   * requirement of several chains counting on the first of them. Requirements it serves in full start
   * at their capacity (drain at its upper bound; through their own node, hung from the chain node by
   * the attachment); partly served ones start empty, so every tree arc stays off its bounds or points
   * away from the root with no flow, and the tree stays strongly feasible. The simplex then only
   * corrects what the chains' shared requirements change. Returns what each slot of chain j consumes,
   * or null when the recursion gave up (the chain then starts with everything bypassing).
   */
  crashChain(j: number): Float64Array | null {
    const { chainFirst, nodeAttStart, nodeAttReq, nodeAttArc, reqNode, reqDrain, reqCrashChain, flow, state, predArc } = this;
    const { reqSlot } = this.layout;
    const { reqQty, weightS, lambdaS } = this.prep;
    const first = chainFirst[j]!;
    const last = chainFirst[j + 1]! - 1;
    const from = nodeAttStart[first]!;
    const to = nodeAttStart[last + 1]!;
    const cap = this.crashCap.subarray(from, to);
    const worth = this.crashWorth.subarray(from, to);
    for (let slot = from; slot < to; slot++) {
      const li = reqSlot[nodeAttReq[slot]!]!;
      if (reqNode[li] !== -1 && reqCrashChain[li] !== -1) continue; // served in full by an earlier chain
      cap[slot - from] = reqQty[nodeAttReq[slot]!]!;
      worth[slot - from] = weightS[nodeAttReq[slot]!]!;
    }
    const taken = this.crashTaken.subarray(from, to);
    const nodes = last - first + 1;
    if (consumeAlongChain(this, j, lambdaS, cap, worth, taken, 64 * nodes * Math.max(1, Math.log2(nodes)), this.scratch!) === null) return null;
    for (let v = first; v <= last; v++) {
      for (let slot = nodeAttStart[v]!; slot < nodeAttStart[v + 1]!; slot++) {
        const q = cap[slot - from]!;
        if (q === 0 || taken[slot - from] !== q) {
          taken[slot - from] = 0;
          continue;
        }
        const li = reqSlot[nodeAttReq[slot]!]!;
        const drain = reqDrain[li]!;
        flow[drain] = q;
        state[drain] = STATE_UPPER;
        const rv = reqNode[li]!;
        if (rv !== -1) {
          reqCrashChain[li] = j;
          state[predArc[rv]!] = STATE_LOWER; // the empty artificial arc from the sink
          this.setTree(rv, v, nodeAttArc[slot]!, q);
        }
      }
    }
    return taken;
  }

  /** Chain j's tree: what is left of its supply after `consumed` runs forward (or back) along it and out by the bypass. */
  chainTree(j: number, consumed: Float64Array | null): void {
    const { chainFirst, nodeAttStart, supply, fwdArc, bwdArc } = this;
    const first = chainFirst[j]!;
    const last = chainFirst[j + 1]! - 1;
    const base = nodeAttStart[first]!;
    let cumulative = 0;
    for (let v = first; v <= last; v++) {
      cumulative += supply[v]!;
      if (consumed) for (let slot = nodeAttStart[v]!; slot < nodeAttStart[v + 1]!; slot++) cumulative -= consumed[slot - base]!;
      if (v === last) this.setTree(v, 0, this.bypassArc[j]!, cumulative);
      else if (cumulative > 0) this.setTree(v, v + 1, fwdArc[v]!, cumulative);
      else this.setTree(v, v + 1, bwdArc[v]!, -cumulative);
    }
  }

  /** Designated pledges: own node, an arc to their requirement at their late cost, and a bypass. */
  designatedArcs(): { desArc: Int32Array; desBypass: Int32Array } {
    const { desPledges, reqNode, supply } = this;
    const { designatedReq, pledgeQty, lambdaS, availDay, needDay } = this.prep;
    const { reqSlot } = this.layout;
    const desArc = new Int32Array(desPledges.length);
    const desBypass = new Int32Array(desPledges.length);
    const firstNode = this.n - desPledges.length;
    for (let i = 0; i < desPledges.length; i++) {
      const p = desPledges[i]!;
      const r = designatedReq[p]!;
      const node = firstNode + i;
      supply[node] = pledgeQty[p]!;
      desArc[i] = this.addArc(node, reqNode[reqSlot[r]!]!, Infinity, lambdaS * Math.max(0, availDay[p]! - needDay[r]!));
      desBypass[i] = this.addArc(node, 0, Infinity, 0);
      this.setTree(node, 0, desBypass[i]!, pledgeQty[p]!);
    }
    return { desArc, desBypass };
  }
}

/** Makes a CSR start array non-decreasing: entries of empty rows take the previous row's end. */
function fillStarts(start: Int32Array): void {
  for (let v = 1; v < start.length; v++) if (start[v]! < start[v - 1]!) start[v] = start[v - 1]!;
}
