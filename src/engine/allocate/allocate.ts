import { dayNumber } from '../../domain/dates.ts';
import { solveNetworkSimplex, STATE_LOWER, STATE_TREE, type FlowNetwork, type SimplexStats } from './network-simplex.ts';
import type { Allocation, AllocationProblem, AllocationResult, Unmet, UnmetReason } from './types.ts';

/**
 * The allocation as a min-cost flow on a network linear in the number of lines.
 *
 * Objective: maximise Σ q(p,r) × (weight(r) − penalty × max(0, available(p) − needBy(r))).
 *
 * Network (all costs are the negated worth, scaled to integers):
 * - One time chain per (group, caveat class), where a class is the exact set of uses a pledge forbids.
 *   Its nodes are the distinct dates of its supply and of the requirements attached to it. Moving
 *   supply forward in time is free (early supply waits); moving it back in time costs
 *   penalty × days (late supply). A unit from p reaching r's need-by node therefore pays exactly
 *   penalty × max(0, available − needBy).
 * - A requirement attaches to every chain of a group it accepts whose class forbids none of its uses,
 *   at its need-by date, and only where some supply of the chain could reach it with positive worth.
 * - The requirement arc to the sink carries at most its quantity at cost −weight.
 * - Each chain's last node has a free bypass to the sink, so supply may stay unused.
 * - A designated pledge is its own node with one arc to its requirement (at its own late cost) and a
 *   bypass; it never enters a chain.
 * Every source-to-sink path of the flow is an allowed (pledge, requirement) pair or a bypass, so the
 * min-cost flow is the optimal allocation; paths of zero worth are dropped (they add nothing).
 */

/** The min-cost flow network the engine solves, for benchmarks that hand it to other solvers. */
export interface ExportedNetwork {
  nodeCount: number;
  arcCount: number;
  source: Int32Array;
  target: Int32Array;
  /** Infinity for uncapacitated arcs. */
  capacity: Float64Array;
  /** Integer costs after scaling by `scale`. */
  cost: Float64Array;
  /** Supply (+) or demand (−) of each node; they add up to zero. */
  supply: Float64Array;
  scale: number;
}

export interface AllocateOptions {
  /** Receives the solver's pivot counts, for benchmarks. */
  onStats?: (stats: SimplexStats & { nodes: number; arcs: number; scale: number }) => void;
  /** Receives the network before it is solved, for benchmarks. */
  onNetwork?: (network: ExportedNetwork) => void;
}

/** Decimal digits needed to write `x` exactly, or Infinity if it has none up to 9. */
function decimals(x: number): number {
  for (let d = 0; d <= 9; d++) {
    const scaled = x * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) <= 1e-9 * Math.max(1, Math.abs(scaled))) return d;
  }
  return Infinity;
}

/** The caveat class key of a set of forbidden uses. */
function classKey(forbids: readonly string[]): string {
  if (forbids.length === 0) return '';
  if (forbids.length === 1) return forbids[0]!;
  return [...new Set(forbids)].sort().join('\u0001');
}

const NO_USES: ReadonlySet<string> = new Set();

interface Chain {
  group: string;
  forbids: Set<string>;
  /** Pledge indexes in the chain. */
  pledges: number[];
  minDay: number;
  /** Attachments: requirement index and its need-by day. */
  attach: { req: number; day: number }[];
  /** Filled when the network is built. */
  days?: number[];
  firstNode?: number;
}

/**
 * Solves the allocation problem to optimality (see the network above). The input must be valid.
 * Groups that no requirement joins are independent: each such component is solved on its own, which
 * keeps every network (and every pricing scan) as small as the component.
 */
export function allocate(problem: AllocationProblem, options: AllocateOptions = {}): AllocationResult {
  const parts = options.onNetwork ? [wholeProblem(problem)] : splitComponents(problem);
  const P = problem.pledges.length;
  // Gather every part's lines under global indexes, then order them as the input orders its lines.
  const keys: number[] = [];
  const quantities: number[] = [];
  const late: number[] = [];
  const unmetR: number[] = [];
  const unmetQ = new Map<number, number>();
  const unmetReason = new Map<number, UnmetReason>();
  let objective = 0;
  for (const part of parts) {
    const r = allocateComponent(part.problem, options);
    objective += r.objective;
    for (let i = 0; i < r.aR.length; i++) {
      keys.push(part.reqIdx[r.aR[i]!]! * P + part.pledgeIdx[r.aP[i]!]!);
      quantities.push(r.aQ[i]!);
      late.push(r.aLate[i]!);
    }
    for (let i = 0; i < r.uR.length; i++) {
      const g = part.reqIdx[r.uR[i]!]!;
      unmetR.push(g);
      unmetQ.set(g, r.uQ[i]!);
      unmetReason.set(g, r.uReason[i]!);
    }
  }
  const order = Array.from(keys.keys()).sort((a, b) => keys[a]! - keys[b]!);
  const allocations: Allocation[] = order.map((i) => {
    const p = keys[i]! % P;
    const r = (keys[i]! - p) / P;
    return { pledge: problem.pledges[p]!.id, requirement: problem.requirements[r]!.id, quantity: quantities[i]!, lateDays: late[i]! };
  });
  unmetR.sort((a, b) => a - b);
  const unmet: Unmet[] = unmetR.map((r) => ({ requirement: problem.requirements[r]!.id, quantity: unmetQ.get(r)!, reason: unmetReason.get(r)! }));
  return { objective, allocations, unmet };
}

/** A part of the problem with the global indexes of its lines. */
interface Part {
  problem: AllocationProblem;
  reqIdx: number[];
  pledgeIdx: number[];
}

function wholeProblem(problem: AllocationProblem): Part {
  return { problem, reqIdx: problem.requirements.map((_, i) => i), pledgeIdx: problem.pledges.map((_, i) => i) };
}

/**
 * Splits the problem into independent parts: groups joined by a requirement that accepts both belong
 * together (union-find over groups); each requirement and pledge goes with its group's part.
 */
export function splitComponents(problem: AllocationProblem): Part[] {
  const parent = new Map<string, string>();
  const find = (g: string): string => {
    let root = g;
    while (parent.get(root) !== root) {
      const up = parent.get(root);
      if (up === undefined) {
        parent.set(root, root);
        break;
      }
      root = up;
    }
    let x = g;
    while (parent.get(x) !== root) {
      const up = parent.get(x)!;
      parent.set(x, root);
      x = up;
    }
    return root;
  };
  for (const r of problem.requirements) {
    const first = find(r.accepts[0]!);
    for (let i = 1; i < r.accepts.length; i++) {
      const other = find(r.accepts[i]!);
      if (other !== first) parent.set(other, first);
    }
  }
  const parts = new Map<string, Part>();
  const part = (group: string) => {
    const root = find(group);
    let p = parts.get(root);
    if (!p) parts.set(root, (p = { problem: { latePenaltyPerDay: problem.latePenaltyPerDay, requirements: [], pledges: [] }, reqIdx: [], pledgeIdx: [] }));
    return p;
  };
  problem.requirements.forEach((r, i) => {
    const p = part(r.accepts[0]!);
    p.problem.requirements.push(r);
    p.reqIdx.push(i);
  });
  problem.pledges.forEach((pl, i) => {
    const p = part(pl.group);
    p.problem.pledges.push(pl);
    p.pledgeIdx.push(i);
  });
  return [...parts.values()];
}

/** One part's solution in its own line indexes. */
interface PartResult {
  objective: number;
  aR: number[];
  aP: number[];
  aQ: number[];
  aLate: number[];
  uR: number[];
  uQ: number[];
  uReason: UnmetReason[];
}

/** Solves one component (or the whole problem) on one network. */
function allocateComponent(problem: AllocationProblem, options: AllocateOptions): PartResult {
  const { requirements, pledges } = problem;
  const lambda = problem.latePenaltyPerDay;
  const R = requirements.length;
  const P = pledges.length;

  // Integer costs: scale weights and penalty by a common power of ten when they have few decimals.
  const dec = Math.max(decimals(lambda), ...requirements.map((r) => decimals(r.weight)));
  const scale = Number.isFinite(dec) ? 10 ** dec : 1;
  const lambdaS = Number.isFinite(dec) ? Math.round(lambda * scale) : lambda;
  const weightS = requirements.map((r) => (Number.isFinite(dec) ? Math.round(r.weight * scale) : r.weight));

  const reqIndex = new Map<string, number>();
  requirements.forEach((r, i) => reqIndex.set(r.id, i));
  const needDay = Int32Array.from(requirements, (r) => dayNumber(r.needBy));
  const availDay = Int32Array.from(pledges, (p) => dayNumber(p.available));
  const reqUses = requirements.map((r) => (r.uses.length === 0 ? NO_USES : new Set(r.uses)));

  /** Worth of one unit of p for r (original units). */
  const worth = (p: number, r: number) => requirements[r]!.weight - lambda * Math.max(0, availDay[p]! - needDay[r]!);
  /** Whether supply available on `day` can reach r with positive worth. */
  const reachable = (day: number, r: number) => lambda === 0 || weightS[r]! - lambdaS * Math.max(0, day - needDay[r]!) > 0;

  // Chains of free supply, and the designated pledges.
  const chains: Chain[] = [];
  const chainsByGroup = new Map<string, Chain[]>();
  const chainByKey = new Map<string, Chain>();
  const designated: { pledge: number; req: number }[] = [];
  const compatible = new Uint8Array(R);
  const positive = new Uint8Array(R);
  for (let p = 0; p < P; p++) {
    const pl = pledges[p]!;
    if (pl.designatedTo !== null) {
      const r = reqIndex.get(pl.designatedTo);
      if (r === undefined) continue;
      if (!requirements[r]!.accepts.includes(pl.group)) continue;
      if (pl.forbids.some((t) => reqUses[r]!.has(t))) continue;
      compatible[r] = 1;
      if (worth(p, r) <= 0) continue;
      positive[r] = 1;
      designated.push({ pledge: p, req: r });
      continue;
    }
    const key = `${pl.group}\u0000${classKey(pl.forbids)}`;
    let chain = chainByKey.get(key);
    if (!chain) {
      chain = { group: pl.group, forbids: new Set(pl.forbids), pledges: [], minDay: Infinity, attach: [] };
      chainByKey.set(key, chain);
      chains.push(chain);
      const list = chainsByGroup.get(pl.group);
      if (list) list.push(chain);
      else chainsByGroup.set(pl.group, [chain]);
    }
    chain.pledges.push(p);
    if (availDay[p]! < chain.minDay) chain.minDay = availDay[p]!;
  }

  // Attach each requirement to the chains that may serve it.
  const attachCount = new Int32Array(R);
  for (let r = 0; r < R; r++) {
    const uses = reqUses[r]!;
    for (const g of new Set(requirements[r]!.accepts)) {
      const list = chainsByGroup.get(g);
      if (!list) continue;
      for (const chain of list) {
        let ok = true;
        for (const t of chain.forbids) {
          if (uses.has(t)) {
            ok = false;
            break;
          }
        }
        if (!ok) continue;
        compatible[r] = 1;
        if (!reachable(chain.minDay, r)) continue;
        positive[r] = 1;
        chain.attach.push({ req: r, day: needDay[r]! });
        attachCount[r]!++;
      }
    }
  }
  const designatedCount = new Int32Array(R);
  for (const d of designated) designatedCount[d.req]!++;

  // Node numbering: sink, chain nodes, requirement nodes (where several arcs meet), designated pledges.
  let nodeCount = 1;
  const SINK = 0;
  for (const chain of chains) {
    const days = new Set<number>();
    for (const p of chain.pledges) days.add(availDay[p]!);
    for (const a of chain.attach) days.add(a.day);
    chain.days = [...days].sort((a, b) => a - b);
    chain.firstNode = nodeCount;
    nodeCount += chain.days.length;
  }
  const reqNode = new Int32Array(R).fill(-1);
  for (let r = 0; r < R; r++) {
    if (attachCount[r]! + designatedCount[r]! >= 2 || designatedCount[r]! >= 1) reqNode[r] = nodeCount++;
  }
  const designatedNode = designated.map(() => nodeCount++);

  // Arcs, sized generously then trimmed by the count used.
  let arcCap = 0;
  for (const chain of chains) arcCap += 2 * chain.days!.length + chain.attach.length;
  arcCap += 2 * R + 2 * designated.length;
  const source = new Int32Array(arcCap);
  const target = new Int32Array(arcCap);
  const capacity = new Float64Array(arcCap);
  const cost = new Float64Array(arcCap);
  const flow = new Float64Array(arcCap);
  const state = new Int8Array(arcCap).fill(STATE_LOWER);
  const parent = new Int32Array(nodeCount).fill(-1);
  const predArc = new Int32Array(nodeCount).fill(-1);
  let m = 0;
  const addArc = (from: number, to: number, cap: number, c: number): number => {
    source[m] = from;
    target[m] = to;
    capacity[m] = cap;
    cost[m] = c;
    return m++;
  };
  const setTree = (node: number, par: number, arc: number, f: number) => {
    parent[node] = par;
    predArc[node] = arc;
    state[arc] = STATE_TREE;
    flow[arc] = f;
  };

  // Requirement nodes hang from the sink by an empty artificial arc (directed away from the root, so
  // the initial tree is strongly feasible), and drain to the sink at −weight.
  const reqArc = new Int32Array(R).fill(-1);
  for (let r = 0; r < R; r++) {
    if (reqNode[r] === -1) continue;
    const artificial = addArc(SINK, reqNode[r]!, 0, 0);
    setTree(reqNode[r]!, SINK, artificial, 0);
    reqArc[r] = addArc(reqNode[r]!, SINK, requirements[r]!.quantity, -weightS[r]!);
  }

  // Chains: forward (free) and backward (late) arcs, attachments, and the bypass at the end.
  const chainAttachArcs: Int32Array[] = [];
  const chainFwd: Int32Array[] = [];
  const chainBwd: Int32Array[] = [];
  const chainBypass: number[] = [];
  for (const chain of chains) {
    const days = chain.days!;
    const k = days.length;
    const first = chain.firstNode!;
    const supplyAt = new Float64Array(k);
    const position = new Map<number, number>();
    days.forEach((d, i) => position.set(d, i));
    for (const p of chain.pledges) supplyAt[position.get(availDay[p]!)!]! += pledges[p]!.quantity;
    const fwd = new Int32Array(Math.max(0, k - 1));
    const bwd = new Int32Array(Math.max(0, k - 1));
    for (let i = 0; i + 1 < k; i++) {
      fwd[i] = addArc(first + i, first + i + 1, Infinity, 0);
      bwd[i] = addArc(first + i + 1, first + i, Infinity, lambdaS * (days[i + 1]! - days[i]!));
    }
    const bypass = addArc(first + k - 1, SINK, Infinity, 0);
    // Initial tree: supply flows forward to the end and out through the bypass. Nodes before the
    // first supply hang by their (empty) backward arc, directed away from the root.
    let cumulative = 0;
    for (let i = 0; i < k; i++) {
      cumulative += supplyAt[i]!;
      if (i === k - 1) setTree(first + i, SINK, bypass, cumulative);
      else if (cumulative > 0) setTree(first + i, first + i + 1, fwd[i]!, cumulative);
      else setTree(first + i, first + i + 1, bwd[i]!, 0);
    }
    const attachArcs = new Int32Array(chain.attach.length);
    chain.attach.forEach((a, j) => {
      const from = first + position.get(a.day)!;
      attachArcs[j] = reqNode[a.req] !== -1 ? addArc(from, reqNode[a.req]!, Infinity, 0) : addArc(from, SINK, requirements[a.req]!.quantity, -weightS[a.req]!);
    });
    chainAttachArcs.push(attachArcs);
    chainFwd.push(fwd);
    chainBwd.push(bwd);
    chainBypass.push(bypass);
  }

  // Designated pledges: own node, an arc to their requirement at their late cost, and a bypass.
  const designatedArc = designated.map((d, j) => {
    const node = designatedNode[j]!;
    const q = pledges[d.pledge]!.quantity;
    const late = Math.max(0, availDay[d.pledge]! - needDay[d.req]!);
    const arc = addArc(node, reqNode[d.req]!, Infinity, lambdaS * late);
    const bypass = addArc(node, SINK, Infinity, 0);
    setTree(node, SINK, bypass, q);
    return arc;
  });

  const net: FlowNetwork = {
    nodeCount,
    arcCount: m,
    source: source.subarray(0, m),
    target: target.subarray(0, m),
    capacity: capacity.subarray(0, m),
    cost: cost.subarray(0, m),
    flow: flow.subarray(0, m),
    state: state.subarray(0, m),
    root: SINK,
    parent,
    predArc,
  };
  if (options.onNetwork) {
    // Supplies follow from the initial tree: what each node sends out minus what it receives.
    const supply = new Float64Array(nodeCount);
    for (let a = 0; a < m; a++) {
      supply[source[a]!]! += flow[a]!;
      supply[target[a]!]! -= flow[a]!;
    }
    options.onNetwork({ nodeCount, arcCount: m, source: net.source.slice(), target: net.target.slice(), capacity: net.capacity.slice(), cost: net.cost.slice(), supply, scale });
  }
  const stats = solveNetworkSimplex(net);
  options.onStats?.({ ...stats, nodes: nodeCount, arcs: m, scale });

  // Decompose the flow into (pledge, requirement) quantities.
  // Quantities by pair, keyed p × R + r (exact: below 2^53 for any instance that fits in memory).
  const pairs = new Map<number, number>();
  const give = (p: number, r: number, q: number) => {
    if (q <= 0) return;
    const key = p * R + r;
    pairs.set(key, (pairs.get(key) ?? 0) + q);
  };
  designated.forEach((d, j) => give(d.pledge, d.req, flow[designatedArc[j]!]!));
  chains.forEach((chain, c) => decomposeChain(chain, chainFwd[c]!, chainBwd[c]!, chainAttachArcs[c]!, flow, availDay, pledges, give));

  const out: PartResult = { objective: 0, aR: [], aP: [], aQ: [], aLate: [], uR: [], uQ: [], uReason: [] };
  const allocated = new Float64Array(R);
  let objective = 0;
  for (const [key, q] of pairs) {
    const r = key % R;
    const p = (key - r) / R;
    const w = worth(p, r);
    if (w <= 0) continue; // a zero-worth path adds nothing; the pair is not allowed
    out.aR.push(r);
    out.aP.push(p);
    out.aQ.push(q);
    out.aLate.push(Math.max(0, availDay[p]! - needDay[r]!));
    allocated[r]! += q;
    objective += q * w;
  }
  out.objective = objective;

  // The pairs must add up to the flow's own worth: a cheap check that the decomposition is exact.
  let flowWorth = 0;
  for (let a = 0; a < m; a++) if (flow[a]! !== 0 && cost[a]! !== 0) flowWorth -= flow[a]! * cost[a]!;
  flowWorth /= scale;
  if (Math.abs(flowWorth - objective) > 1e-9 * Math.max(1, Math.abs(flowWorth))) {
    throw new Error(`allocation decomposition lost worth: flow ${flowWorth}, pairs ${objective}`);
  }

  for (let r = 0; r < R; r++) {
    const left = requirements[r]!.quantity - allocated[r]!;
    if (left <= 0) continue;
    out.uR.push(r);
    out.uQ.push(left);
    out.uReason.push(!compatible[r] ? 'no-compatible-supply' : !positive[r] ? 'supply-too-late' : 'outranked');
  }
  return out;
}

/**
 * Splits one chain's arc flows into pledge-to-requirement quantities.
 * - Opposite flows on one edge cancel first, so each edge carries flow one way and every unit
 *   travels monotonically in time from its pledge's date to its requirement's need-by date.
 * - Nodes are visited in the order of that flow (a path is always orderable). At each node the units
 *   present feed the attachments; what is left moves on as a whole (the list is handed over, not
 *   copied), so the work is linear in nodes plus packets, not in the distance units travel.
 * - Packets are flat [pledge, quantity, …] stacks.
 */
function decomposeChain(
  chain: Chain,
  fwd: Int32Array,
  bwd: Int32Array,
  attachArcs: Int32Array,
  flow: Float64Array,
  availDay: Int32Array,
  pledges: AllocationProblem['pledges'],
  give: (p: number, r: number, q: number) => void,
): void {
  const days = chain.days!;
  const k = days.length;
  const net = new Float64Array(Math.max(0, k - 1));
  for (let i = 0; i + 1 < k; i++) net[i] = flow[fwd[i]!]! - flow[bwd[i]!]!;
  const position = new Map<number, number>();
  days.forEach((d, i) => position.set(d, i));
  const own: number[][] = Array.from({ length: k }, () => []);
  for (const p of chain.pledges) own[position.get(availDay[p]!)!]!.push(p);
  const outAttach: number[][] = Array.from({ length: k }, () => []);
  chain.attach.forEach((a, j) => outAttach[position.get(a.day)!]!.push(attachArcs[j]!, a.req));
  const packets: (number[] | null)[] = new Array(k).fill(null);

  const take = (list: number[], amount: number, sink: (p: number, q: number) => void) => {
    let need = amount;
    while (need > 0 && list.length > 0) {
      const q = Math.min(list[list.length - 1]!, need);
      const p = list[list.length - 2]!;
      sink(p, q);
      need -= q;
      if (q === list[list.length - 1]) list.length -= 2;
      else list[list.length - 1]! -= q;
    }
  };
  const deliver = (list: number[], j: number) => {
    const there = packets[j];
    if (!there) packets[j] = list;
    else if (there.length >= list.length) there.push(...list);
    else {
      list.push(...there);
      packets[j] = list;
    }
  };

  // In-degree by net direction: node i receives from i−1 when net[i−1] > 0, from i+1 when net[i] < 0.
  const indeg = new Int8Array(k);
  for (let i = 0; i + 1 < k; i++) {
    if (net[i]! > 0) indeg[i + 1]!++;
    else if (net[i]! < 0) indeg[i]!++;
  }
  const queue = new Int32Array(k);
  let tail = 0;
  for (let i = 0; i < k; i++) if (indeg[i] === 0) queue[tail++] = i;
  for (let head = 0; head < tail; head++) {
    const i = queue[head]!;
    const list = packets[i] ?? [];
    packets[i] = null;
    for (const p of own[i]!) list.push(p, pledges[p]!.quantity);
    const outs = outAttach[i]!;
    for (let j = 0; j < outs.length; j += 2) {
      const req = outs[j + 1]!;
      take(list, flow[outs[j]!]!, (p, q) => give(p, req, q));
    }
    const left = i > 0 && net[i - 1]! < 0 ? -net[i - 1]! : 0;
    const right = i + 1 < k && net[i]! > 0 ? net[i]! : 0;
    if (left > 0) {
      // Split off exactly what leaves to the left when something else also leaves this node: flow to
      // the right, or, at the chain's last node, the unused rest through the bypass.
      if (right > 0 || i === k - 1) {
        const moving: number[] = [];
        take(list, left, (p, q) => moving.push(p, q));
        deliver(moving, i - 1);
      } else deliver(list, i - 1);
      if (--indeg[i - 1]! === 0) queue[tail++] = i - 1;
    }
    if (right > 0) {
      deliver(list, i + 1);
      if (--indeg[i + 1]! === 0) queue[tail++] = i + 1;
    }
  }
}
