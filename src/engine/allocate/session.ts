import { dayNumber } from '../../domain/dates.ts';
import { checkWorth, solveComponent } from './allocate.ts';
import { decomposeComponent, type Pairs } from './decompose.ts';
import { buildComponent, layoutProblem, type ComponentNetwork, type Layout } from './network.ts';
import { createNetworkSimplex, STATE_LOWER, STATE_TREE, STATE_UPPER, type FlowNetwork, type NetworkSimplex } from './network-simplex.ts';
import { prepare, tagSetKey, type Prepared } from './prepare.ts';
import type { Allocation, AllocationPledge, AllocationProblem, AllocationResult, Unmet } from './types.ts';

/**
 * Re-planning from the previous optimum: the session keeps each component's network with its optimal
 * flow and spanning tree. When a pledge's quantity or date changes, its old supply is taken out and
 * its new supply put in through artificial arcs to and from the sink, priced higher than any path of
 * the network, that carry exactly the change: the old tree stays feasible, and the network simplex
 * resumes from it, pivoting only as far as the change reaches. Only the chains whose flow changed are
 * read back into pairs.
 * - A change of group, caveats or designation changes the network's shape: solved again in full.
 * - The network keeps every compatible attachment (not only those reachable today), since a pledge
 *   moved earlier may reach requirements it could not before.
 */
export interface AllocationSession {
  /** The current optimal result (listed in full on the first read after a change). */
  readonly result: AllocationResult;
  /** How the last result was found: the first solve, a warm re-plan, or a full solve after a shape change. */
  readonly lastMode: 'initial' | 'warm' | 'full';
  /**
   * Replaces the pledge that has the same id and returns what changed: the new objective and the
   * requirements whose lines may have changed (every requirement after a full solve).
   */
  replacePledge(pledge: AllocationPledge): PlanChange;
}

/** A re-plan's effect: the optimum's objective and the current lines of each requirement it touched. */
export interface PlanChange {
  objective: number;
  requirements: RequirementLines[];
}

export interface RequirementLines {
  requirement: string;
  allocations: Allocation[];
  unmet: Unmet | null;
}

/** One component's solved network, with room to grow and the adjacency its searches need. */
interface ComponentState {
  net: ComponentNetwork;
  nodes: number;
  arcs: number;
  source: Int32Array;
  target: Int32Array;
  capacity: Float64Array;
  cost: Float64Array;
  flow: Float64Array;
  /** The spanning tree of the last optimum: arc states, and each node's parent and tree arc. */
  state: Int8Array;
  parent: Int32Array;
  predArc: Int32Array;
  /** Sum of |cost| over the network's arcs: an artificial arc costing more is dearer than any path. */
  costSum: number;
  /** The solver, holding the optimal tree between re-plans. */
  simplex: NetworkSimplex;
  /** Arcs whose cost changed after the last re-plan, to price at the next. */
  unpriced: number[];
  /** Owner of each arc: a global chain id (≥ 0), −2 − p for designated pledge p's arcs, −1 otherwise. */
  owner: Int32Array;
  outStart: Int32Array;
  outArcs: Int32Array;
  inStart: Int32Array;
  inArcs: Int32Array;
  extraOut: Map<number, number[]>;
  extraIn: Map<number, number[]>;
  /** Chain node v → [pledge, arc, …]: supply a re-planned pledge sends into v from its side node. */
  injections: Map<number, number[]>;
  /** Chain node v → pledges re-planned onto v (a day the chain already had) from another node. */
  arrivals: Map<number, number[]>;
  /** Global chain id → local index. */
  chainLocal: Map<number, number>;
}

/** How long a warm re-plan may take before it gives up and solves in full. */
export interface SessionOptions {
  /**
   * Milliseconds; by default as long as the last full solve took (at least 20 ms), so a re-plan never
   * costs much more than solving again. Infinity always finishes warm.
   */
  budgetMs?: number;
}

/** Solves the problem and keeps what is needed to re-plan it quickly after a pledge changes. */
export function createAllocationSession(problem: AllocationProblem, options: SessionOptions = {}): AllocationSession {
  const full = (p: AllocationProblem): SessionState => {
    const started = performance.now();
    const solved = solveFromScratch(p);
    fullMs = performance.now() - started;
    return solved;
  };
  let fullMs = 0;
  let state = full(problem);
  let mode: AllocationSession['lastMode'] = 'initial';
  return {
    get result() {
      return (state.result ??= resultOf(state));
    },
    get lastMode() {
      return mode;
    },
    replacePledge(pledge: AllocationPledge): PlanChange {
      const p = state.pledgeIndex.get(pledge.id);
      if (p === undefined) throw new RangeError(`no pledge ${pledge.id} in this plan`);
      const old = state.problem.pledges[p]!;
      const pledges = state.problem.pledges.slice();
      pledges[p] = pledge;
      const problem2 = { ...state.problem, pledges };
      const sameShape = old.group === pledge.group && tagSetKey(old.forbids) === tagSetKey(pledge.forbids) && old.designatedTo === pledge.designatedTo;
      const deadline = performance.now() + (options.budgetMs ?? Math.max(20, fullMs));
      state.changed.clear();
      if (sameShape && tryWarm(state, p, pledge, problem2, deadline)) {
        mode = 'warm';
        return changeOf(state, [...state.changed]);
      }
      // A shape change, or a warm re-plan past its budget (its half-moved state is dropped).
      state = full(problem2);
      mode = 'full';
      return changeOf(state, Array.from({ length: state.prep.R }, (_, r) => r));
    },
  };
}

function changeOf(st: SessionState, reqs: number[]): PlanChange {
  reqs.sort((a, b) => a - b);
  return {
    objective: st.objective,
    requirements: reqs.map((r) => {
      if (!st.reqAllocations[r]) refreshRequirement(st, r);
      return { requirement: st.prep.requirementIds.at(r)!, allocations: st.reqAllocations[r]!, unmet: unmetOf(st, r) };
    }),
  };
}

function tryWarm(st: SessionState, p: number, pledge: AllocationPledge, problem: AllocationProblem, deadline: number): boolean {
  try {
    return warmReplace(st, p, pledge, problem, deadline);
  } catch (error) {
    if (error instanceof Fallback) return false;
    throw error;
  }
}

interface SessionState {
  /** The problem as it stands after the changes so far. */
  problem: AllocationProblem;
  prep: Prepared;
  layout: Layout;
  comps: (ComponentState | null)[];
  /** Current node of each pledge in its component; −1 when it is not in the network. */
  pledgeNode: Int32Array;
  /** The node each pledge had when the network was built (its place in the node lists). */
  homeNode: Int32Array;
  /** The arc carrying a designated pledge to its requirement; −1 otherwise. */
  desArcOf: Int32Array;
  /** Pairs (p, q) of each requirement, flat; only pairs of positive worth. */
  reqPairs: (number[] | undefined)[];
  /** Pairs of each chain, as last read from the flow. */
  chainPairs: (Pairs | undefined)[];
  reqChainStart: Int32Array;
  reqChains: Int32Array;
  desPositive: Int32Array;
  allocated: Float64Array;
  objective: number;
  /** Worth of the pairs and of the flow, in scaled units (integers when the costs are): they must agree. */
  pairWorthS: number;
  flowWorthS: number;
  reqAllocations: (Allocation[] | undefined)[];
  /** The full result, listed when first read. */
  result: AllocationResult | null;
  /** Requirements whose lines the current re-plan may have changed. */
  changed: Set<number>;
  /** Pledge id → index. */
  pledgeIndex: Map<string, number>;
}

function solveFromScratch(problem: AllocationProblem): SessionState {
  const prep = prepare(problem);
  const layout = layoutProblem(prep, true);
  const { R, P } = prep;
  const st: SessionState = {
    problem,
    prep,
    layout,
    comps: [],
    pledgeNode: new Int32Array(P).fill(-1),
    homeNode: new Int32Array(P).fill(-1),
    desArcOf: new Int32Array(P).fill(-1),
    reqPairs: new Array(R),
    chainPairs: new Array(layout.chainCount),
    reqChainStart: new Int32Array(R + 1),
    reqChains: new Int32Array(layout.chainAttReq.length),
    desPositive: new Int32Array(R),
    allocated: new Float64Array(R),
    objective: 0,
    pairWorthS: 0,
    flowWorthS: 0,
    reqAllocations: new Array(R),
    result: null,
    changed: new Set(),
    pledgeIndex: new Map(problem.pledges.map((x, i) => [x.id, i])),
  };
  // Requirement → attached chains (CSR).
  for (let i = 0; i < layout.chainAttReq.length; i++) st.reqChainStart[layout.chainAttReq[i]! + 1]!++;
  for (let r = 0; r < R; r++) st.reqChainStart[r + 1]! += st.reqChainStart[r]!;
  const fill = st.reqChainStart.slice(0, R);
  for (let c = 0; c < layout.chainCount; c++) {
    for (let i = layout.chainAttStart[c]!; i < layout.chainAttStart[c + 1]!; i++) st.reqChains[fill[layout.chainAttReq[i]!]!++] = c;
  }
  for (const p of layout.designated) st.desPositive[prep.designatedReq[p]!]!++;

  for (let k = 0; k < layout.componentCount; k++) {
    const net = buildComponent(prep, layout, k, true);
    if (net.arcCount === 0) {
      st.comps.push(null);
      continue;
    }
    solveComponent(prep, net);
    for (let a = 0; a < net.arcCount; a++) if (net.flow[a] !== 0) st.flowWorthS -= net.flow[a]! * net.cost[a]!;
    const cs = keepComponent(net, st);
    st.comps.push(cs);
    const pairs: Pairs = { r: [], p: [], q: [] };
    decomposeComponent(prep, net, pairs);
    checkWorth(prep, net, pairs, 0);
    for (let j = 0; j < net.chains.length; j++) st.chainPairs[net.chains[j]!] = { r: [], p: [], q: [] };
    for (let i = 0; i < pairs.r.length; i++) {
      const p = pairs.p[i]!;
      const c = layout.pledgeChain[p]!;
      if (c >= 0) {
        const cp = st.chainPairs[c]!;
        cp.r.push(pairs.r[i]!);
        cp.p.push(p);
        cp.q.push(pairs.q[i]!);
      }
      addPair(st, pairs.r[i]!, p, pairs.q[i]!);
    }
  }
  st.homeNode.set(st.pledgeNode);
  for (let r = 0; r < R; r++) refreshRequirement(st, r);
  return st;
}

/** Copies a solved network into growable arrays and indexes its arcs by node. */
function keepComponent(net: ComponentNetwork, st: SessionState): ComponentState {
  const n = net.nodeCount;
  const m = net.arcCount;
  const grow = <T extends Int8Array | Int32Array | Float64Array>(a: T, size: number, make: (s: number) => T): T => {
    const b = make(size);
    b.set(a);
    return b;
  };
  const nodeRoom = n + 64;
  const arcRoom = m + 256;
  const owner = new Int32Array(arcRoom).fill(-1);
  const chainLocal = new Map<number, number>();
  for (let j = 0; j < net.chains.length; j++) {
    chainLocal.set(net.chains[j]!, j);
    const c = net.chains[j]!;
    for (let v = net.chainFirst[j]!; v < net.chainFirst[j + 1]!; v++) {
      if (net.fwdArc[v]! >= 0) owner[net.fwdArc[v]!] = c;
      if (net.bwdArc[v]! >= 0) owner[net.bwdArc[v]!] = c;
      for (let i = net.nodeAttStart[v]!; i < net.nodeAttStart[v + 1]!; i++) owner[net.nodeAttArc[i]!] = c;
      for (let i = net.nodePledgeStart[v]!; i < net.nodePledgeStart[v + 1]!; i++) st.pledgeNode[net.nodePledges[i]!] = v;
    }
    owner[net.bypassArc[j]!] = c;
  }
  const desFirst = net.nodeCount - net.desPledges.length;
  for (let i = 0; i < net.desPledges.length; i++) {
    const p = net.desPledges[i]!;
    owner[net.desArc[i]!] = -2 - p;
    owner[net.desBypass[i]!] = -2 - p;
    st.pledgeNode[p] = desFirst + i;
    st.desArcOf[p] = net.desArc[i]!;
  }
  const outStart = new Int32Array(n + 1);
  const inStart = new Int32Array(n + 1);
  for (let a = 0; a < m; a++) {
    outStart[net.source[a]! + 1]!++;
    inStart[net.target[a]! + 1]!++;
  }
  for (let v = 0; v < n; v++) {
    outStart[v + 1]! += outStart[v]!;
    inStart[v + 1]! += inStart[v]!;
  }
  const outFill = outStart.slice(0, n);
  const inFill = inStart.slice(0, n);
  const outArcs = new Int32Array(m);
  const inArcs = new Int32Array(m);
  for (let a = 0; a < m; a++) {
    outArcs[outFill[net.source[a]!]!++] = a;
    inArcs[inFill[net.target[a]!]!++] = a;
  }
  const flow = grow(net.flow, arcRoom, (s) => new Float64Array(s));
  const cs: Omit<ComponentState, 'simplex'> & { simplex?: NetworkSimplex } = {
    net: { ...net, flow, supply: grow(net.supply, nodeRoom, (s) => new Float64Array(s)) },
    nodes: n,
    arcs: m,
    source: grow(net.source, arcRoom, (s) => new Int32Array(s)),
    target: grow(net.target, arcRoom, (s) => new Int32Array(s)),
    capacity: grow(net.capacity, arcRoom, (s) => new Float64Array(s)),
    cost: grow(net.cost, arcRoom, (s) => new Float64Array(s)),
    flow,
    state: grow(net.state, arcRoom, (s) => new Int8Array(s)),
    parent: grow(net.parent, nodeRoom, (s) => new Int32Array(s)),
    predArc: grow(net.predArc, nodeRoom, (s) => new Int32Array(s)),
    costSum: net.cost.reduce((sum, c) => sum + Math.abs(c), 0),
    owner,
    outStart,
    outArcs,
    inStart,
    inArcs,
    extraOut: new Map(),
    extraIn: new Map(),
    injections: new Map(),
    arrivals: new Map(),
    chainLocal,
    unpriced: [],
  };
  cs.simplex = createNetworkSimplex(flowNetworkOf(cs as ComponentState));
  return cs as ComponentState;
}

/** The component's arrays as the solver sees them. */
function flowNetworkOf(cs: ComponentState): FlowNetwork {
  const { source, target, capacity, cost, flow, state, parent, predArc } = cs;
  return { nodeCount: cs.nodes, arcCount: cs.arcs, source, target, capacity, cost, flow, state, root: 0, parent, predArc };
}

function addPair(st: SessionState, r: number, p: number, q: number): void {
  const { weightS, lambdaS, availDay, needDay } = st.prep;
  const late = Math.max(0, availDay[p]! - needDay[r]!);
  if (weightS[r]! - lambdaS * late <= 0) return; // zero worth: adds nothing, and the pair is not allowed
  const list = st.reqPairs[r] ?? (st.reqPairs[r] = []);
  list.push(p, q);
  st.allocated[r]! += q;
  st.objective += q * (st.prep.reqWeight[r]! - st.prep.latePenaltyPerDay * late);
  st.pairWorthS += q * (weightS[r]! - lambdaS * late);
  st.reqAllocations[r] = undefined;
  st.changed.add(r);
}

function removePairsOf(st: SessionState, r: number, p: number): void {
  const list = st.reqPairs[r];
  if (!list) return;
  const { availDay, needDay, weightS, lambdaS } = st.prep;
  for (let i = 0; i < list.length; i += 2) {
    if (list[i] !== p) continue;
    const q = list[i + 1]!;
    const late = Math.max(0, availDay[p]! - needDay[r]!);
    st.allocated[r]! -= q;
    st.objective -= q * (st.prep.reqWeight[r]! - st.prep.latePenaltyPerDay * late);
    st.pairWorthS -= q * (weightS[r]! - lambdaS * late);
    list.splice(i, 2);
    i -= 2;
  }
  st.reqAllocations[r] = undefined;
  st.changed.add(r);
}

/** Rebuilds a requirement's allocation lines (pledges in input order). */
function refreshRequirement(st: SessionState, r: number): void {
  const list = st.reqPairs[r];
  const out: Allocation[] = [];
  if (list) {
    const idx: number[] = [];
    for (let i = 0; i < list.length; i += 2) idx.push(i);
    idx.sort((a, b) => list[a]! - list[b]!);
    const requirement = st.prep.requirementIds.at(r)!;
    for (const i of idx) {
      const p = list[i]!;
      out.push({ pledge: st.prep.pledgeIds.at(p)!, requirement, quantity: list[i + 1]!, lateDays: Math.max(0, st.prep.availDay[p]! - st.prep.needDay[r]!) });
    }
  }
  st.reqAllocations[r] = out;
}

function resultOf(st: SessionState): AllocationResult {
  const allocations: Allocation[] = [];
  const unmet: Unmet[] = [];
  for (let r = 0; r < st.prep.R; r++) {
    if (!st.reqAllocations[r]) refreshRequirement(st, r);
    for (const a of st.reqAllocations[r]!) allocations.push(a);
    const left = unmetOf(st, r);
    if (left) unmet.push(left);
  }
  return { objective: st.objective, allocations, unmet };
}

/** What requirement r lacks, and why; null when it is met. */
function unmetOf(st: SessionState, r: number): Unmet | null {
  const left = st.prep.reqQty[r]! - st.allocated[r]!;
  if (left <= 0) return null;
  return { requirement: st.prep.requirementIds.at(r)!, quantity: left, reason: !st.layout.compatible[r] ? 'no-compatible-supply' : !isPositive(st, r) ? 'supply-too-late' : 'outranked' };
}

/** Whether some compatible supply can reach r with positive worth (dates as they are now). */
function isPositive(st: SessionState, r: number): boolean {
  if (st.desPositive[r]! > 0) return true;
  const { weightS, lambdaS, needDay } = st.prep;
  for (let i = st.reqChainStart[r]!; i < st.reqChainStart[r + 1]!; i++) {
    if (weightS[r]! - lambdaS * Math.max(0, st.layout.chainMinDay[st.reqChains[i]!]! - needDay[r]!) > 0) return true;
  }
  return false;
}

/**
 * Applies a change of quantity or date (same group, caveats and designation) from the previous
 * optimum. Returns false when the change needs a full solve.
 */
function warmReplace(st: SessionState, p: number, pledge: AllocationPledge, problem: AllocationProblem, deadline: number): boolean {
  const { prep, layout } = st;
  const c = layout.pledgeChain[p]!;
  const comp = layout.groupComp[prep.pledgeGroup[p]!]!;
  const cs = st.comps[comp];
  const designatedR = prep.designatedReq[p]!;
  if (!cs || !prep.exact) return false;
  if (c < 0 && (designatedR < 0 || !designationFits(prep, p, designatedR))) return false;
  let componentSupply = -cs.net.supply[0]!;
  componentSupply += pledge.quantity - (st.pledgeNode[p]! >= 0 ? prep.pledgeQty[p]! : 0);
  if (componentSupply > Number.MAX_SAFE_INTEGER) return false;
  const newDay = dayNumber(pledge.available);

  // Which designated pledges' and chains' pairs the paths may change.
  const touchedChains = new Set<number>();
  const touchedDes = new Set<number>();
  const touch = (a: number) => {
    const o = cs.owner[a]!;
    if (o >= 0) touchedChains.add(o);
    else if (o <= -2) touchedDes.add(-2 - o);
  };
  if (c >= 0) touchedChains.add(c);
  else touchedDes.add(p);

  // 1. Take the old supply out.
  const nodesBefore = cs.nodes;
  const arcsBefore = cs.arcs;
  const artificial: number[] = [];
  const oldNode = st.pledgeNode[p]!;
  if (oldNode >= 0) {
    const q = prep.pledgeQty[p]!;
    cs.net.supply[oldNode]! -= q;
    cs.net.supply[0]! += q;
    if (q > 0) artificial.push(addArtificial(cs, oldNode, q, true, false));
  }

  // 2. Forget the old pairs (they are re-read below), then switch to the new line.
  if (c >= 0) {
    const old = st.chainPairs[c]!;
    for (let i = 0; i < old.r.length; i++) removePairsOf(st, old.r[i]!, old.p[i]!);
  } else removePairsOf(st, designatedR, p);
  prep.availDay[p] = newDay;
  prep.pledgeQty[p] = pledge.quantity;
  st.problem = problem;

  // 3. Push the new supply in: at its chain node when the chain has one on that day, else at a side
  //    node joined to the chain (or, designated, to its requirement) as the chain's nodes would be.
  let node: number;
  if (c >= 0) {
    node = chainNodeAt(cs, c, newDay);
    if (node < 0) node = addSideNode(cs, c, newDay, p, prep.lambdaS);
    else if (node !== st.homeNode[p]) {
      const list = cs.arrivals.get(node) ?? [];
      list.push(p);
      cs.arrivals.set(node, list);
    }
  } else {
    const oldDesWorth = st.desArcOf[p]! >= 0;
    const rNode = cs.net.reqNode[layout.reqSlot[designatedR]!]!;
    const late = Math.max(0, newDay - prep.needDay[designatedR]!);
    const positive = prep.weightS[designatedR]! - prep.lambdaS * late > 0;
    if (oldDesWorth) st.desPositive[designatedR]!--;
    if (positive) st.desPositive[designatedR]!++;
    st.changed.add(designatedR);
    node = addNode(cs);
    addArcTo(cs, node, 0, Infinity, 0, -2 - p);
    st.desArcOf[p] = positive ? addArcTo(cs, node, rNode, Infinity, prep.lambdaS * late, -2 - p) : -1;
  }
  st.pledgeNode[p] = node;
  cs.net.supply[node]! += pledge.quantity;
  cs.net.supply[0]! -= pledge.quantity;
  if (node >= nodesBefore || pledge.quantity > 0) artificial.push(addArtificial(cs, node, pledge.quantity, false, node >= nodesBefore));
  st.flowWorthS -= resolve(cs, nodesBefore, arcsBefore, artificial, touch, deadline);

  // 4. Read back the touched chains and designations.
  for (const ch of touchedChains) {
    if (ch === c) continue;
    const old = st.chainPairs[ch]!;
    for (let i = 0; i < old.r.length; i++) removePairsOf(st, old.r[i]!, old.p[i]!);
  }
  const locals = new Set<number>();
  for (const ch of touchedChains) locals.add(cs.chainLocal.get(ch)!);
  const pairs: Pairs = { r: [], p: [], q: [] };
  decomposeComponent(prep, cs.net, pairs, {
    skipDesignated: true,
    chains: (j) => locals.has(j),
    sitsAt: (x, v) => st.pledgeNode[x] === v,
    leaves: (v) => {
      let f = 0;
      for (const a of cs.extraOut.get(v) ?? []) if (cs.target[a] === 0) f += cs.flow[a]!;
      return f;
    },
    inject: (v, list) => {
      for (const x of cs.arrivals.get(v) ?? []) if (st.pledgeNode[x] === v) list.push(x, prep.pledgeQty[x]!);
      const inj = cs.injections.get(v);
      if (!inj) return;
      for (let i = 0; i < inj.length; i += 2) {
        const f = cs.flow[inj[i + 1]!]!;
        if (f > 0) list.push(inj[i]!, f);
      }
    },
  });
  for (const ch of touchedChains) st.chainPairs[ch] = { r: [], p: [], q: [] };
  for (let i = 0; i < pairs.r.length; i++) {
    const cp = st.chainPairs[layout.pledgeChain[pairs.p[i]!]!]!;
    cp.r.push(pairs.r[i]!);
    cp.p.push(pairs.p[i]!);
    cp.q.push(pairs.q[i]!);
    addPair(st, pairs.r[i]!, pairs.p[i]!, pairs.q[i]!);
  }
  for (const d of touchedDes) {
    const r = prep.designatedReq[d]!;
    removePairsOf(st, r, d);
    const arc = st.desArcOf[d]!;
    if (arc >= 0 && cs.flow[arc]! > 0) addPair(st, r, d, cs.flow[arc]!);
  }

  // The pairs read back must be worth what the flow is worth, as in a full solve (checkWorth); when
  // they are not, the read-back could not account for the flow, and the change is solved in full.
  if (Math.abs(st.flowWorthS - st.pairWorthS) > 1e-9 * Math.max(1, Math.abs(st.flowWorthS))) throw new Fallback('the pairs read back do not account for the flow');

  // 5. The chain's earliest supply may have moved: requirements' reasons follow.
  if (c >= 0) {
    let min = Infinity;
    for (let i = layout.chainPledgeStart[c]!; i < layout.chainPledgeStart[c + 1]!; i++) min = Math.min(min, prep.availDay[layout.chainPledges[i]!]!);
    if (min !== layout.chainMinDay[c]) {
      // An unmet requirement's reason (too late or outranked) may follow.
      for (let i = layout.chainAttStart[c]!; i < layout.chainAttStart[c + 1]!; i++) st.changed.add(layout.chainAttReq[i]!);
    }
    layout.chainMinDay[c] = min;
  }
  st.result = null;
  return true;
}

/** Whether a designated pledge's group and caveats let it serve its requirement at all. */
function designationFits(prep: Prepared, p: number, r: number): boolean {
  let accepts = false;
  for (let gi = prep.reqGroupStart[r]!; gi < prep.reqGroupStart[r + 1]!; gi++) if (prep.reqGroups[gi] === prep.pledgeGroup[p]) accepts = true;
  return accepts && prep.compatible(prep.reqUseClass[r]!, prep.pledgeClass[p]!);
}

/** The chain node of chain c on `day`, or −1. */
function chainNodeAt(cs: ComponentState, c: number, day: number): number {
  const j = cs.chainLocal.get(c)!;
  let lo = cs.net.chainFirst[j]!;
  let hi = cs.net.chainFirst[j + 1]! - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const d = cs.net.nodeDay[mid]!;
    if (d === day) return mid;
    if (d < day) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * A node for supply on a day the chain has no node for: a free arc to the next later node (or to the
 * sink after the last one) and an arc to the previous node at penalty × days, so that every path from
 * it costs what the same path from a chain node on that day would.
 */
function addSideNode(cs: ComponentState, c: number, day: number, p: number, lambdaS: number): number {
  const j = cs.chainLocal.get(c)!;
  const first = cs.net.chainFirst[j]!;
  const last = cs.net.chainFirst[j + 1]! - 1;
  let next = first;
  while (next <= last && cs.net.nodeDay[next]! < day) next++;
  const node = addNode(cs);
  const arcs: [number, number][] = [];
  if (next <= last) arcs.push([next, addArcTo(cs, node, next, Infinity, 0, c)]);
  else addArcTo(cs, node, 0, Infinity, 0, c);
  if (next > first) arcs.push([next - 1, addArcTo(cs, node, next - 1, Infinity, lambdaS * (day - cs.net.nodeDay[next - 1]!), c)]);
  for (const [v, a] of arcs) {
    const list = cs.injections.get(v) ?? [];
    list.push(p, a);
    cs.injections.set(v, list);
  }
  return node;
}

function addNode(cs: ComponentState): number {
  if (cs.nodes === cs.parent.length) {
    const size = cs.parent.length * 2;
    const growI = (a: Int32Array) => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    const supply = new Float64Array(size);
    supply.set(cs.net.supply);
    cs.parent = growI(cs.parent);
    cs.predArc = growI(cs.predArc);
    cs.net = { ...cs.net, supply };
  }
  return cs.nodes++;
}

function addArcTo(cs: ComponentState, from: number, to: number, cap: number, cost: number, owner: number): number {
  if (cs.arcs === cs.source.length) {
    const size = cs.source.length * 2;
    const growI = (a: Int32Array) => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    const growF = (a: Float64Array) => {
      const b = new Float64Array(size);
      b.set(a);
      return b;
    };
    cs.source = growI(cs.source);
    cs.target = growI(cs.target);
    cs.owner = growI(cs.owner);
    cs.capacity = growF(cs.capacity);
    cs.cost = growF(cs.cost);
    cs.flow = growF(cs.flow);
    const state = new Int8Array(size);
    state.set(cs.state);
    cs.state = state;
    cs.net = { ...cs.net, flow: cs.flow };
  }
  const a = cs.arcs++;
  cs.source[a] = from;
  cs.target[a] = to;
  cs.capacity[a] = cap;
  cs.cost[a] = cost;
  cs.flow[a] = 0;
  cs.state[a] = STATE_LOWER;
  cs.owner[a] = owner;
  cs.costSum += Math.abs(cost);
  const out = cs.extraOut.get(from) ?? [];
  out.push(a);
  cs.extraOut.set(from, out);
  const inn = cs.extraIn.get(to) ?? [];
  inn.push(a);
  cs.extraIn.set(to, inn);
  return a;
}

/** Signals that a warm re-plan cannot finish (past its time budget, or out of exact range): solve in full. */
class Fallback extends Error {}

/**
 * An arc between the sink and node v carrying q at cost above any path's: from the sink into v
 * (`into`) when v's supply fell by q, from v to the sink when it rose. It leaves the old tree's flows
 * as they were. A node new to the network hangs from the sink by it (a tree arc, unbounded so the tree
 * stays strongly feasible); otherwise it sits at its upper bound q.
 */
function addArtificial(cs: ComponentState, v: number, q: number, into: boolean, newNode: boolean): number {
  const price = cs.costSum + 1;
  if (price > 2 ** 50) throw new Fallback('costs too large for exact potentials');
  const a = into ? addArcTo(cs, 0, v, q, price, -1) : addArcTo(cs, v, 0, newNode ? Infinity : q, price, -1);
  cs.costSum -= price; // not a path of the network: later prices need not exceed it
  cs.flow[a] = q;
  if (newNode) {
    cs.state[a] = STATE_TREE;
    cs.parent[v] = 0;
    cs.predArc[v] = a;
  } else cs.state[a] = STATE_UPPER;
  return a;
}

/**
 * Resumes the network simplex from the last optimal tree, then retires the artificial arcs (all empty
 * at the optimum, as the network can always bypass): one into a node loses its capacity, one to the
 * sink loses its price and is one more free way out, as the chain's own bypass is. Calls `touch` on
 * every arc whose flow changed; returns what the flow's cost changed by.
 */
function resolve(cs: ComponentState, nodesBefore: number, arcsBefore: number, artificial: number[], touch: (a: number) => void, deadline: number): number {
  const overBudget = () => (performance.now() > deadline ? new Fallback('past the time budget') : null);
  const late = overBudget();
  if (late) throw late;
  const { simplex } = cs;
  simplex.rebind(flowNetworkOf(cs));
  for (let v = nodesBefore; v < cs.nodes; v++) simplex.attach(v);
  const fresh = cs.unpriced;
  for (let a = arcsBefore; a < cs.arcs; a++) fresh.push(a);
  // The artificial arcs start full at their price; the pivots then change the cost by `costChange`.
  let costChange = 0;
  for (const a of artificial) costChange += cs.flow[a]! * cs.cost[a]!;
  costChange += simplex.resume({ arcs: fresh, incident: (v, visit) => eachArc(cs, v, visit), stop: overBudget, flowChanged: touch }).costChange;
  cs.unpriced = [];
  for (const a of artificial) {
    if (cs.flow[a] !== 0) throw new Fallback('an artificial arc kept flow');
    cs.cost[a] = 0;
    if (cs.source[a] === 0) cs.capacity[a] = 0;
    cs.unpriced.push(a);
    // In the tree, the arc's new cost moves the potentials below it.
    if (cs.state[a] === STATE_TREE) simplex.reprice(cs.predArc[cs.source[a]!] === a && cs.parent[cs.source[a]!] === cs.target[a] ? cs.source[a]! : cs.target[a]!);
  }
  return costChange;
}

/** Calls `visit` on every arc at node v. */
function eachArc(cs: ComponentState, v: number, visit: (a: number) => void): void {
  if (v + 1 < cs.outStart.length) {
    for (let i = cs.outStart[v]!; i < cs.outStart[v + 1]!; i++) visit(cs.outArcs[i]!);
    for (let i = cs.inStart[v]!; i < cs.inStart[v + 1]!; i++) visit(cs.inArcs[i]!);
  }
  const out = cs.extraOut.get(v);
  if (out) for (const a of out) visit(a);
  const inn = cs.extraIn.get(v);
  if (inn) for (const a of inn) visit(a);
}
