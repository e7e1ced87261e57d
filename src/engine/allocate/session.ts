import { dayNumber } from '../../domain/dates.ts';
import { checkWorth, solveComponent } from './allocate.ts';
import { decomposeComponent, type Pairs } from './decompose.ts';
import { buildComponent, layoutProblem, type ComponentNetwork, type Layout } from './network.ts';
import { prepare, tagSetKey, type Prepared } from './prepare.ts';
import type { Allocation, AllocationPledge, AllocationProblem, AllocationResult, Unmet } from './types.ts';

/**
 * Re-planning from the previous optimum: the session keeps each component's network, optimal flow
 * and node potentials. When a pledge's quantity or date changes, its old supply is pulled out and
 * its new supply pushed in along shortest paths of reduced cost (successive shortest paths), which
 * keeps every residual arc's reduced cost ≥ 0: the flow is optimal again after as many augmentations
 * as there are bottlenecks, and only the chains the paths touched are read back into pairs.
 * - A change of group, caveats or designation changes the network's shape: solved again in full.
 * - The network keeps every compatible attachment (not only those reachable today), since a pledge
 *   moved earlier may reach requirements it could not before.
 */
export interface AllocationSession {
  /** The current optimal result. */
  readonly result: AllocationResult;
  /** How the last result was found: the first solve, a warm re-plan, or a full solve after a shape change. */
  readonly lastMode: 'initial' | 'warm' | 'full';
  /** Replaces the pledge that has the same id and returns the new optimal result. */
  replacePledge(pledge: AllocationPledge): AllocationResult;
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
  pi: Float64Array;
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
  // Search scratch.
  dist: Float64Array;
  stamp: Int32Array;
  closed: Int32Array;
  /** Depth-first search: the next arc index to try at each node. */
  via: Int32Array;
  /** Depth-first search marks: 3 × round + (0 off the path, 1 on it, 2 dead). */
  mark: Int32Array;
  round: number;
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
      return state.result;
    },
    get lastMode() {
      return mode;
    },
    replacePledge(pledge: AllocationPledge): AllocationResult {
      const p = state.prep.problem.pledges.findIndex((x) => x.id === pledge.id);
      if (p === -1) throw new RangeError(`no pledge ${pledge.id} in this plan`);
      const old = state.prep.problem.pledges[p]!;
      const pledges = state.prep.problem.pledges.slice();
      pledges[p] = pledge;
      const problem2 = { ...state.prep.problem, pledges };
      const sameShape = old.group === pledge.group && tagSetKey(old.forbids) === tagSetKey(pledge.forbids) && old.designatedTo === pledge.designatedTo;
      const deadline = performance.now() + (options.budgetMs ?? Math.max(20, fullMs));
      if (sameShape && tryWarm(state, p, pledge, problem2, deadline)) mode = 'warm';
      else {
        // A shape change, or a warm re-plan past its budget (its half-moved state is dropped).
        state = full(problem2);
        mode = 'full';
      }
      return state.result;
    },
  };
}

function tryWarm(st: SessionState, p: number, pledge: AllocationPledge, problem: AllocationProblem, deadline: number): boolean {
  try {
    return warmReplace(st, p, pledge, problem, deadline);
  } catch (error) {
    if (error instanceof OverBudget) return false;
    throw error;
  }
}

interface SessionState {
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
  reqAllocations: (Allocation[] | undefined)[];
  result: AllocationResult;
}

function solveFromScratch(problem: AllocationProblem): SessionState {
  const prep = prepare(problem);
  const layout = layoutProblem(prep, true);
  const { R, P } = prep;
  const st: SessionState = {
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
    reqAllocations: new Array(R),
    result: { objective: 0, allocations: [], unmet: [] },
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
    const pi = solveComponent(prep, net);
    const cs = keepComponent(net, pi, st);
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
  st.result = resultOf(st);
  return st;
}

/** Copies a solved network into growable arrays and indexes its arcs by node. */
function keepComponent(net: ComponentNetwork, pi: Float64Array, st: SessionState): ComponentState {
  const n = net.nodeCount;
  const m = net.arcCount;
  const grow = <T extends Int32Array | Float64Array>(a: T, size: number, make: (s: number) => T): T => {
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
  return {
    net: { ...net, flow, supply: grow(net.supply, nodeRoom, (s) => new Float64Array(s)) },
    nodes: n,
    arcs: m,
    source: grow(net.source, arcRoom, (s) => new Int32Array(s)),
    target: grow(net.target, arcRoom, (s) => new Int32Array(s)),
    capacity: grow(net.capacity, arcRoom, (s) => new Float64Array(s)),
    cost: grow(net.cost, arcRoom, (s) => new Float64Array(s)),
    flow,
    pi: grow(pi, nodeRoom, (s) => new Float64Array(s)),
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
    dist: new Float64Array(nodeRoom),
    stamp: new Int32Array(nodeRoom),
    closed: new Int32Array(nodeRoom),
    via: new Int32Array(nodeRoom),
    mark: new Int32Array(nodeRoom),
    round: 0,
  };
}

function addPair(st: SessionState, r: number, p: number, q: number): void {
  const { weightS, lambdaS, availDay, needDay } = st.prep;
  const late = Math.max(0, availDay[p]! - needDay[r]!);
  if (weightS[r]! - lambdaS * late <= 0) return; // zero worth: adds nothing, and the pair is not allowed
  const list = st.reqPairs[r] ?? (st.reqPairs[r] = []);
  list.push(p, q);
  st.allocated[r]! += q;
  st.objective += q * (st.prep.problem.requirements[r]!.weight - st.prep.problem.latePenaltyPerDay * late);
  st.reqAllocations[r] = undefined;
}

function removePairsOf(st: SessionState, r: number, p: number): void {
  const list = st.reqPairs[r];
  if (!list) return;
  const { availDay, needDay } = st.prep;
  for (let i = 0; i < list.length; i += 2) {
    if (list[i] !== p) continue;
    const q = list[i + 1]!;
    const late = Math.max(0, availDay[p]! - needDay[r]!);
    st.allocated[r]! -= q;
    st.objective -= q * (st.prep.problem.requirements[r]!.weight - st.prep.problem.latePenaltyPerDay * late);
    list.splice(i, 2);
    i -= 2;
  }
  st.reqAllocations[r] = undefined;
}

/** Rebuilds a requirement's allocation lines (pledges in input order). */
function refreshRequirement(st: SessionState, r: number): void {
  const list = st.reqPairs[r];
  const out: Allocation[] = [];
  if (list) {
    const idx: number[] = [];
    for (let i = 0; i < list.length; i += 2) idx.push(i);
    idx.sort((a, b) => list[a]! - list[b]!);
    const rq = st.prep.problem.requirements[r]!;
    for (const i of idx) {
      const p = list[i]!;
      out.push({ pledge: st.prep.problem.pledges[p]!.id, requirement: rq.id, quantity: list[i + 1]!, lateDays: Math.max(0, st.prep.availDay[p]! - st.prep.needDay[r]!) });
    }
  }
  st.reqAllocations[r] = out;
}

function resultOf(st: SessionState): AllocationResult {
  const { R, problem } = st.prep;
  const allocations: Allocation[] = [];
  const unmet: Unmet[] = [];
  for (let r = 0; r < R; r++) {
    if (!st.reqAllocations[r]) refreshRequirement(st, r);
    for (const a of st.reqAllocations[r]!) allocations.push(a);
    const left = problem.requirements[r]!.quantity - st.allocated[r]!;
    if (left > 0) {
      unmet.push({
        requirement: problem.requirements[r]!.id,
        quantity: left,
        reason: !st.layout.compatible[r] ? 'no-compatible-supply' : !isPositive(st, r) ? 'supply-too-late' : 'outranked',
      });
    }
  }
  return { objective: st.objective, allocations, unmet };
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

  // 1. Pull the old supply out.
  const oldNode = st.pledgeNode[p]!;
  if (oldNode >= 0) {
    const q = prep.pledgeQty[p]!;
    cs.net.supply[oldNode]! -= q;
    cs.net.supply[0]! += q;
    route(cs, oldNode, q, false, touch, deadline);
  }

  // 2. Forget the old pairs (they are re-read below), then switch to the new line.
  if (c >= 0) {
    const old = st.chainPairs[c]!;
    for (let i = 0; i < old.r.length; i++) removePairsOf(st, old.r[i]!, old.p[i]!);
  } else removePairsOf(st, designatedR, p);
  prep.availDay[p] = newDay;
  prep.pledgeQty[p] = pledge.quantity;
  prep.problem = problem;

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
    node = addNode(cs);
    addArcTo(cs, node, 0, Infinity, 0, -2 - p);
    st.desArcOf[p] = positive ? addArcTo(cs, node, rNode, Infinity, prep.lambdaS * late, -2 - p) : -1;
    settlePotential(cs, node);
  }
  st.pledgeNode[p] = node;
  cs.net.supply[node]! += pledge.quantity;
  cs.net.supply[0]! -= pledge.quantity;
  route(cs, node, pledge.quantity, true, touch, deadline);

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

  // 5. The chain's earliest supply may have moved: requirements' reasons follow.
  if (c >= 0) {
    let min = Infinity;
    for (let i = layout.chainPledgeStart[c]!; i < layout.chainPledgeStart[c + 1]!; i++) min = Math.min(min, prep.availDay[layout.chainPledges[i]!]!);
    layout.chainMinDay[c] = min;
  }
  st.result = resultOf(st);
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
  settlePotential(cs, node);
  return node;
}

function addNode(cs: ComponentState): number {
  if (cs.nodes === cs.pi.length) {
    const size = cs.pi.length * 2;
    const growF = (a: Float64Array) => {
      const b = new Float64Array(size);
      b.set(a);
      return b;
    };
    const growI = (a: Int32Array) => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    cs.pi = growF(cs.pi);
    cs.dist = growF(cs.dist);
    cs.stamp = growI(cs.stamp);
    cs.closed = growI(cs.closed);
    cs.via = growI(cs.via);
    cs.mark = growI(cs.mark);
    cs.net = { ...cs.net, supply: growF(cs.net.supply) };
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
    cs.net = { ...cs.net, flow: cs.flow };
  }
  const a = cs.arcs++;
  cs.source[a] = from;
  cs.target[a] = to;
  cs.capacity[a] = cap;
  cs.cost[a] = cost;
  cs.flow[a] = 0;
  cs.owner[a] = owner;
  const out = cs.extraOut.get(from) ?? [];
  out.push(a);
  cs.extraOut.set(from, out);
  const inn = cs.extraIn.get(to) ?? [];
  inn.push(a);
  cs.extraIn.set(to, inn);
  return a;
}

/** Gives a new node (only outgoing, empty arcs) a potential under which none of its arcs has negative reduced cost. */
function settlePotential(cs: ComponentState, node: number): void {
  let pi = -Infinity;
  for (const a of cs.extraOut.get(node) ?? []) pi = Math.max(pi, cs.pi[cs.target[a]!]! - cs.cost[a]!);
  cs.pi[node] = pi;
}

/** Signals that a warm re-plan ran past its time budget; the caller solves in full instead. */
class OverBudget extends Error {}

/**
 * Sends `amount` from v to the sink (forward) or takes it back (backward, paths from the sink to v
 * searched from v) by the primal–dual method: one Dijkstra search over reduced costs fixes the
 * potentials so that every shortest path has reduced cost 0, then as many zero-cost paths as the
 * residual capacities allow are augmented before the next search. Reduced costs of residual arcs
 * stay ≥ 0 throughout, so the flow stays optimal for the supplies moved so far.
 */
function route(cs: ComponentState, v: number, amount: number, forward: boolean, touch: (a: number) => void, deadline: number): void {
  while (amount > 0) {
    if (performance.now() > deadline) throw new OverBudget();
    shortestPaths(cs, v, 0, forward);
    const moved = augmentAdmissible(cs, v, 0, amount, forward, touch);
    if (!(moved > 0)) throw new Error('re-plan: no admissible path after a shortest-path search');
    amount -= moved;
  }
}

// Search scratch shared by every session (single-threaded): a binary heap of (key, node) with lazy deletion.
let heapNode = new Int32Array(1024);
let heapKey = new Float64Array(1024);
let heapSize = 0;

function heapPush(node: number, key: number): void {
  if (heapSize === heapNode.length) {
    const n = new Int32Array(heapSize * 2);
    n.set(heapNode);
    heapNode = n;
    const k = new Float64Array(heapSize * 2);
    k.set(heapKey);
    heapKey = k;
  }
  let i = heapSize++;
  while (i > 0) {
    const up = (i - 1) >> 1;
    if (heapKey[up]! <= key) break;
    heapNode[i] = heapNode[up]!;
    heapKey[i] = heapKey[up]!;
    i = up;
  }
  heapNode[i] = node;
  heapKey[i] = key;
}

function heapPop(): number {
  const top = heapNode[0]!;
  const lastNode = heapNode[--heapSize]!;
  const lastKey = heapKey[heapSize]!;
  let i = 0;
  for (;;) {
    let child = 2 * i + 1;
    if (child >= heapSize) break;
    if (child + 1 < heapSize && heapKey[child + 1]! < heapKey[child]!) child++;
    if (heapKey[child]! >= lastKey) break;
    heapNode[i] = heapNode[child]!;
    heapKey[i] = heapKey[child]!;
    i = child;
  }
  heapNode[i] = lastNode;
  heapKey[i] = lastKey;
  return top;
}

/** Nodes settled by the last search, in order. */
let settled = new Int32Array(1024);
let settledCount = 0;

/**
 * The reduced cost of stepping from x over arc a in the search's direction, or NaN when that step has
 * no residual capacity. `out` says whether x is the arc's tail. Forward searches follow residual arcs
 * x → y; backward searches follow residual arcs y → x in reverse.
 */
function stepCost(cs: ComponentState, a: number, out: boolean, forward: boolean): number {
  const f = cs.flow[a]!;
  const reduced = cs.cost[a]! + cs.pi[cs.source[a]!]! - cs.pi[cs.target[a]!]!;
  // The step uses the arc along its direction when (forward, out) agree, else against it.
  if (forward === out) return f < cs.capacity[a]! ? reduced : NaN;
  return f > 0 ? -reduced : NaN;
}

/** Dijkstra from `start` until `goal` is settled; then potentials move so shortest paths cost 0. */
function shortestPaths(cs: ComponentState, start: number, goal: number, forward: boolean): void {
  const round = ++cs.round;
  const { dist, stamp, closed, source, target, outStart, outArcs, inStart, inArcs } = cs;
  const base = outStart.length - 1;
  heapSize = 0;
  settledCount = 0;
  stamp[start] = round;
  dist[start] = 0;
  heapPush(start, 0);
  let reached = false;
  while (heapSize > 0) {
    // The goal is settled as soon as nothing waiting is closer: on ties (common, as an optimum has
    // many arcs of reduced cost 0) the search stops instead of sweeping the whole tied region.
    if (stamp[goal] === round && closed[goal] !== round && dist[goal]! <= heapKey[0]!) {
      closed[goal] = round;
      if (settledCount === settled.length) {
        const s = new Int32Array(settledCount * 2);
        s.set(settled);
        settled = s;
      }
      settled[settledCount++] = goal;
      reached = true;
      break;
    }
    const d0 = heapKey[0]!;
    const x = heapPop();
    if (closed[x] === round || d0 > dist[x]!) continue;
    closed[x] = round;
    if (settledCount === settled.length) {
      const s = new Int32Array(settledCount * 2);
      s.set(settled);
      settled = s;
    }
    settled[settledCount++] = x;
    if (x === goal) {
      reached = true;
      break;
    }
    for (let pass = 0; pass < 2; pass++) {
      const out = pass === 0;
      const extra = (out ? cs.extraOut : cs.extraIn).get(x);
      const lo = x < base ? (out ? outStart : inStart)[x]! : 0;
      const hi = x < base ? (out ? outStart : inStart)[x + 1]! : 0;
      const list = out ? outArcs : inArcs;
      const n = hi - lo + (extra ? extra.length : 0);
      for (let k = 0; k < n; k++) {
        const a = k < hi - lo ? list[lo + k]! : extra![k - (hi - lo)]!;
        const y = out ? target[a]! : source[a]!;
        if (closed[y] === round) continue;
        const rc = stepCost(cs, a, out, forward);
        if (rc !== rc) continue; // no residual capacity
        const d = d0 + (rc > 0 ? rc : 0);
        if (stamp[y] !== round || d < dist[y]!) {
          stamp[y] = round;
          dist[y] = d;
          heapPush(y, d);
        }
      }
    }
  }
  if (!reached) throw new Error('re-plan: no residual path (the flow is not a valid optimum)');
  // Nodes settled closer than the goal move by their distance's shortfall: every residual arc keeps a
  // reduced cost ≥ 0 and every arc of a shortest path gets 0.
  const D = dist[goal]!;
  for (let i = 0; i < settledCount; i++) {
    const x = settled[i]!;
    const short = D - dist[x]!;
    if (short > 0) cs.pi[x] = forward ? cs.pi[x]! - short : cs.pi[x]! + short;
  }
}

/** Node x's arcs, in a fixed order: out (base, then added), in (base, then added). */
function degree(cs: ComponentState, x: number): number {
  const base = cs.outStart.length - 1;
  let n = x < base ? cs.outStart[x + 1]! - cs.outStart[x]! + cs.inStart[x + 1]! - cs.inStart[x]! : 0;
  if (cs.extraOut.size > 0) n += cs.extraOut.get(x)?.length ?? 0;
  if (cs.extraIn.size > 0) n += cs.extraIn.get(x)?.length ?? 0;
  return n;
}

/** The k-th arc of node x in `degree`'s order: a when x is its tail, ~a when x is its head. */
function arcAt(cs: ComponentState, x: number, k: number): number {
  const base = cs.outStart.length - 1;
  if (x < base) {
    const outDeg = cs.outStart[x + 1]! - cs.outStart[x]!;
    if (k < outDeg) return cs.outArcs[cs.outStart[x]! + k]!;
    k -= outDeg;
  }
  const extraOut = cs.extraOut.size > 0 ? cs.extraOut.get(x) : undefined;
  if (extraOut) {
    if (k < extraOut.length) return extraOut[k]!;
    k -= extraOut.length;
  }
  if (x < base) {
    const inDeg = cs.inStart[x + 1]! - cs.inStart[x]!;
    if (k < inDeg) return ~cs.inArcs[cs.inStart[x]! + k]!;
    k -= inDeg;
  }
  return ~cs.extraIn.get(x)![k]!;
}

/**
 * Augments along paths of zero reduced cost among the nodes the last search settled, from `start` to
 * `goal`, until `amount` is moved or no such path is left (depth-first with a pointer per node, nodes
 * that lead nowhere marked dead). Returns the amount moved.
 */
function augmentAdmissible(cs: ComponentState, start: number, goal: number, amount: number, forward: boolean, touch: (a: number) => void): number {
  const round = cs.round;
  const { closed, source, target, flow, capacity } = cs;
  // Per node, for this round: `mark` 1 on the path, 2 dead; `via` is the next arc index to try.
  const mark = cs.mark;
  const ptr = cs.via;
  const tag = (x: number) => (mark[x]! >= 3 * round ? mark[x]! - 3 * round : -1);
  const setTag = (x: number, t: number) => {
    mark[x] = 3 * round + t;
  };
  const residual = (code: number) => (code > 0 ? capacity[code - 1]! - flow[code - 1]! : flow[-code - 1]!);
  const pathNodes: number[] = [start];
  const pathCodes: number[] = [];
  setTag(start, 1);
  ptr[start] = 0;
  let moved = 0;
  while (moved < amount && pathNodes.length > 0) {
    const x = pathNodes[pathNodes.length - 1]!;
    if (x === goal) {
      let delta = amount - moved;
      for (const code of pathCodes) delta = Math.min(delta, residual(code));
      for (const code of pathCodes) {
        const a = Math.abs(code) - 1;
        flow[a] = code > 0 ? flow[a]! + delta : flow[a]! - delta;
        touch(a);
      }
      moved += delta;
      // Back up to the first step the augmentation used up.
      let cut = pathCodes.findIndex((code) => residual(code) === 0);
      if (cut < 0) cut = pathCodes.length - 1;
      for (let k = pathNodes.length - 1; k > cut; k--) setTag(pathNodes[k]!, 0);
      pathNodes.length = cut + 1;
      pathCodes.length = cut;
      continue;
    }
    const deg = degree(cs, x);
    let advanced = false;
    while (ptr[x]! < deg) {
      const e = arcAt(cs, x, ptr[x]!);
      const out = e >= 0;
      const a = out ? e : ~e;
      const y = out ? target[a]! : source[a]!;
      const t = tag(y);
      if (closed[y] === round && t !== 1 && t !== 2) {
        const rc = stepCost(cs, a, out, forward);
        if (rc === rc && rc <= 0) {
          if (t === -1) ptr[y] = 0;
          setTag(y, 1);
          pathNodes.push(y);
          pathCodes.push(forward === out ? a + 1 : -(a + 1));
          advanced = true;
          break;
        }
      }
      ptr[x]!++;
    }
    if (!advanced) {
      setTag(x, 2);
      pathNodes.pop();
      pathCodes.pop();
      if (pathNodes.length > 0) ptr[pathNodes[pathNodes.length - 1]!]!++;
    }
  }
  return moved;
}
