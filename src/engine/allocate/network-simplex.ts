/**
 * Primal network simplex for minimum-cost flow, written for Concord's allocation networks.
 *
 * - Starts from a strongly feasible spanning tree the caller supplies (the allocation network gives
 *   one: each chain's own optimum, unused supply bypassing to the sink), so no big-M arcs are needed.
 * - Candidate-list pricing: the list is filled from the arcs of nodes whose potential moved and from one
 *   pass over every arc, and the most violating of them enters until the list runs dry.
 * - Leaving arc by the "last blocking arc" rule on the cycle, which keeps the tree strongly feasible
 *   and prevents cycling on degenerate pivots.
 * - Integer costs and flows stay exact as long as potentials and flows stay below 2^53; the caller
 *   scales fractional costs to integers and checks the bounds.
 */

export const STATE_UPPER = -1;
export const STATE_TREE = 0;
export const STATE_LOWER = 1;

/** A flow network in arrays, with the initial spanning tree the caller chose. */
export interface FlowNetwork {
  nodeCount: number;
  arcCount: number;
  source: Int32Array;
  target: Int32Array;
  /** Capacity of each arc; Infinity for uncapacitated arcs. */
  capacity: Float64Array;
  cost: Float64Array;
  /** Initial flow of each arc; must satisfy every node's supply with the tree below. */
  flow: Float64Array;
  /** STATE_TREE for the initial tree's arcs, STATE_LOWER (flow 0) or STATE_UPPER (flow = capacity) otherwise. */
  state: Int8Array;
  /** The tree's root. */
  root: number;
  /** For every node but the root: its parent in the initial tree and the tree arc joining them. */
  parent: Int32Array;
  predArc: Int32Array;
}

export interface SimplexStats {
  pivots: number;
  degeneratePivots: number;
  /** What the pivots changed the flow's cost by (exact with integer costs). */
  costChange: number;
}

/** The optimum's node potentials: every arc's reduced cost cost + π(source) − π(target) is ≥ 0 where it may carry more flow and ≤ 0 where it may carry less. */
export interface SimplexOutcome extends SimplexStats {
  potential: Float64Array;
}

/**
 * Solves the min-cost flow in place: on return `flow` is optimal. Returns pivot counts. With integer
 * costs `tolerance` is 0 (exact); with fractional costs an arc enters only if it improves by more.
 * The initial tree must be feasible (flows within bounds, conservation at every node).
 */
export function solveNetworkSimplex(net: FlowNetwork, tolerance = 0): SimplexOutcome {
  const simplex = createNetworkSimplex(net, tolerance);
  const stats = simplex.run();
  return { ...stats, potential: simplex.potential() };
}

/** How a resumed solve looks for entering arcs: only where reduced costs may have changed. */
export interface ResumeScope {
  /** Arcs added since the last optimum (they were never priced). */
  arcs: Iterable<number>;
  /** Calls `visit` on every arc that has node v as an end. */
  incident(v: number, visit: (a: number) => void): void;
  /** Ends the solve by throwing what it returns; asked every 256 pivots. */
  stop?: () => Error | null;
  /** Told of every arc whose flow a pivot changes. */
  flowChanged?: (a: number) => void;
}

/** A network simplex that keeps its spanning tree between solves, so a solved network can be resumed. */
export interface NetworkSimplex {
  /** Pivots to the optimum, pricing every arc. */
  run(): SimplexStats;
  /**
   * Pivots to the optimum again after changes that left the tree feasible: new nodes hung from the
   * tree (`attach`), new arcs at a bound. Every arc that was optimal keeps its reduced cost until an
   * end's potential moves, so only the new arcs and the arcs at nodes whose potential moved are priced.
   */
  resume(scope: ResumeScope): SimplexStats;
  /** Hangs node v (parent and tree arc already set in the network) from the tree as a leaf. */
  attach(v: number): void;
  /** Recomputes the potentials below node v after the cost of v's tree arc changed; priced at the next resume. */
  reprice(v: number): void;
  /** Points the solver at the network's arrays again (after they were reallocated to grow). */
  rebind(net: FlowNetwork): void;
  /** The node potentials (a view; valid until the next change). */
  potential(): Float64Array;
}

export function createNetworkSimplex(network: FlowNetwork, tolerance = 0): NetworkSimplex {
  const minViolation = -tolerance;
  let net = network;
  let n = net.nodeCount;
  let { source, target, capacity, cost, flow, state, parent, predArc } = net;
  const root = net.root;

  // Tree structure: children as doubly linked sibling lists, depth and potentials.
  let room = n;
  let firstChild = new Int32Array(room).fill(-1);
  let nextSib = new Int32Array(room).fill(-1);
  let prevSib = new Int32Array(room).fill(-1);
  let depth = new Int32Array(room);
  let pi = new Float64Array(room);
  let stack = new Int32Array(room);
  // Once resumable: nodes whose potential moved since the last optimum (`moved[v] === epoch`), to price.
  let moved = new Int32Array(room);
  let epoch = 1;
  let tracking = false;
  let movedNodes: number[] = [];
  let onFlow: ((a: number) => void) | undefined;
  // Pricing by node (a solve from the start): after one pass over every arc, an arc is priced again only
  // when a pivot moves the potential of one of its ends (its reduced cost cannot change otherwise); the
  // dirty nodes are found by `refresh`, their arcs through incidence lists.
  let byNode = false;
  let isDirty = new Uint8Array(0);
  let dirty = new Int32Array(0);
  let dirtyCount = 0;
  let incStart = new Int32Array(0);
  let incArcs = new Int32Array(0);
  let passPos = 0;
  parent[root] = -1;
  predArc[root] = -1;
  for (let v = 0; v < n; v++) {
    if (v !== root) addChild(parent[v]!, v);
  }

  function addChild(p: number, c: number): void {
    const head = firstChild[p]!;
    nextSib[c] = head;
    prevSib[c] = -1;
    if (head !== -1) prevSib[head] = c;
    firstChild[p] = c;
  }

  function removeChild(p: number, c: number): void {
    const prev = prevSib[c]!;
    const next = nextSib[c]!;
    if (prev !== -1) nextSib[prev] = next;
    else firstChild[p] = next;
    if (next !== -1) prevSib[next] = prev;
    nextSib[c] = -1;
    prevSib[c] = -1;
  }

  /** Sets depth and potential of every node below `top` (inclusive) from their parents. */
  function refresh(top: number): void {
    let sp = 0;
    stack[sp++] = top;
    while (sp > 0) {
      const v = stack[--sp]!;
      const p = parent[v]!;
      let next: number;
      if (p === -1) {
        depth[v] = 0;
        next = 0;
      } else {
        const a = predArc[v]!;
        depth[v] = depth[p]! + 1;
        // Tree arcs have zero reduced cost: cost + pi[source] − pi[target] = 0.
        next = source[a] === p ? pi[p]! + cost[a]! : pi[p]! - cost[a]!;
      }
      if (tracking && next !== pi[v] && moved[v] !== epoch) {
        moved[v] = epoch;
        movedNodes.push(v);
      }
      if (byNode && next !== pi[v] && isDirty[v] === 0) {
        isDirty[v] = 1;
        dirty[dirtyCount++] = v;
      }
      pi[v] = next;
      for (let c = firstChild[v]!; c !== -1; c = nextSib[c]!) stack[sp++] = c;
    }
  }
  refresh(root);

  // Candidate-list pricing: a refill collects up to `listSize` violating arcs (from the nodes whose
  // potential moved, then from the one pass over every arc); minor iterations then pivot on the most
  // violating one left in the list, re-pricing only the list, until no arc of it improves. A short list
  // (√m/32: 18 arcs at 20k, 35 at 100k with caveats) re-prices 8× fewer arcs than √m/4 for 2 % more
  // pivots. Refilling from the moved nodes instead of scanning on from the last refill prices 0.5M arcs
  // instead of 5.6M at 20k and 1.4M instead of 27M at 100k with caveats (counted, from the chains' start).
  const listSize = Math.max(10, Math.ceil(Math.sqrt(net.arcCount) / 32));
  let candidates = new Int32Array(listSize);
  let candidateCount = 0;
  const violation = (a: number) => state[a]! * (cost[a]! + pi[source[a]!]! - pi[target[a]!]!);

  // The best violating arc of the scan under way.
  let best = -1;
  let bestViolation = 0;

  /** Keeps arc a as a candidate when it violates optimality (a non-tree arc); returns whether it did. */
  function collect(a: number): boolean {
    const v = violation(a);
    if (!(v < minViolation)) return false;
    candidates[candidateCount++] = a;
    if (v < bestViolation) {
      bestViolation = v;
      best = a;
    }
    return true;
  }

  /** Prices the list kept from the last refill again; the best arc still violating, or −1. */
  function fromCandidates(): number {
    best = -1;
    bestViolation = 0;
    const count = candidateCount;
    candidateCount = 0;
    for (let i = 0; i < count; i++) collect(candidates[i]!);
    return best;
  }

  /**
   * A solve from the start's entering arc: the list kept, else the arcs at nodes whose potential moved,
   * else the next arcs of the one pass over every arc; −1 when all three are spent (optimal: every arc
   * was priced after its reduced cost last changed).
   */
  function findEnteringByNode(): number {
    if (candidateCount > 0 && fromCandidates() !== -1) return best;
    candidateCount = 0;
    best = -1;
    bestViolation = 0;
    while (candidateCount < listSize && dirtyCount > 0) {
      const v = dirty[--dirtyCount]!;
      isDirty[v] = 0;
      for (let i = incStart[v]!; i < incStart[v + 1]!; i++) {
        const a = incArcs[i]!;
        if (state[a] !== STATE_TREE) collect(a);
      }
    }
    const m = net.arcCount;
    while (candidateCount < listSize && passPos < m) {
      const a = passPos++;
      if (state[a] !== STATE_TREE) collect(a);
    }
    return best;
  }

  /** Incidence lists of every node but the root (whose potential never moves), and room in the list for a node's arcs. */
  function indexIncidence(): void {
    incStart = new Int32Array(n + 1);
    const maxDegree = countIncidence(source, target, net.arcCount, root, incStart);
    incArcs = new Int32Array(incStart[n]!);
    fillIncidence(source, target, net.arcCount, root, incStart, incArcs);
    if (candidates.length < listSize + maxDegree) candidates = new Int32Array(listSize + maxDegree);
    isDirty = new Uint8Array(n);
    dirty = new Int32Array(n);
    dirtyCount = 0;
    passPos = 0;
  }

  /** A resumed solve's entering arc: the new arcs and those at nodes whose potential moved. */
  function findEnteringIn(scope: ResumeScope): number {
    if (candidateCount > 0 && fromCandidates() !== -1) return best;
    candidateCount = 0;
    best = -1;
    bestViolation = 0;
    const consider = (a: number) => {
      if (state[a] !== STATE_TREE && candidateCount < listSize) collect(a);
    };
    for (const a of scope.arcs) consider(a);
    for (let i = 0; i < movedNodes.length && candidateCount < listSize; i++) scope.incident(movedNodes[i]!, consider);
    return best;
  }

  function pivotLoop(next: () => number, stop?: () => Error | null): SimplexStats {
    let pivots = 0;
    let degeneratePivots = 0;
    costChange = 0;
    for (;;) {
      const entering = next();
      if (entering === -1) break;
      pivots++;
      if (stop && (pivots & 255) === 0) {
        const error = stop();
        if (error) throw error;
      }
      if (pivot(entering)) degeneratePivots++;
    }
    return { pivots, degeneratePivots, costChange };
  }

  let costChange = 0;

  /** One pivot on the entering arc; returns whether it was degenerate. */
  function pivot(entering: number): boolean {
    const fromLower = state[entering] === STATE_LOWER;
    const first = fromLower ? source[entering]! : target[entering]!;
    const second = fromLower ? target[entering]! : source[entering]!;

    // One walk from both ends up to the apex of the cycle (the deeper end first, then together) finds
    // the leaving arc by the "last blocking arc" rule: on the first side (flow parent → w) the blocking
    // arc nearest `first` with the least residual, on the second side (flow w → parent) the one nearest
    // the apex; the second side wins ties, since it comes later in the cycle's direction.
    const enteringResidual = fromLower ? capacity[entering]! - flow[entering]! : flow[entering]!;
    let min1 = Infinity;
    let node1 = -1;
    let min2 = Infinity;
    let node2 = -1;
    let u = first;
    let v = second;
    while (u !== v) {
      if (depth[u]! >= depth[v]!) {
        const a = predArc[u]!;
        const p = parent[u]!;
        const r = source[a] === p ? capacity[a]! - flow[a]! : flow[a]!;
        if (r < min1) {
          min1 = r;
          node1 = u;
        }
        u = p;
      } else {
        const a = predArc[v]!;
        const r = source[a] === v ? capacity[a]! - flow[a]! : flow[a]!;
        if (r <= min2) {
          min2 = r;
          node2 = v;
        }
        v = parent[v]!;
      }
    }
    const apex = u;
    let delta = enteringResidual;
    let leavingNode = -1;
    let leavingSide = 0;
    if (min1 < delta) {
      delta = min1;
      leavingNode = node1;
      leavingSide = 1;
    }
    if (min2 <= delta) {
      delta = min2;
      leavingNode = node2;
      leavingSide = 2;
    }
    if (delta === Infinity) throw new Error('unbounded: a negative-cost cycle of infinite capacity');
    // Each unit round the cycle changes the cost by the entering arc's reduced cost in its direction.
    if (delta > 0) costChange += delta * violation(entering);

    // Augment.
    if (delta > 0) {
      flow[entering] = fromLower ? flow[entering]! + delta : flow[entering]! - delta;
      onFlow?.(entering);
      for (let w = first; w !== apex; w = parent[w]!) {
        const a = predArc[w]!;
        flow[a] = source[a] === parent[w] ? flow[a]! + delta : flow[a]! - delta;
        onFlow?.(a);
      }
      for (let w = second; w !== apex; w = parent[w]!) {
        const a = predArc[w]!;
        flow[a] = source[a] === w ? flow[a]! + delta : flow[a]! - delta;
        onFlow?.(a);
      }
    }

    if (leavingNode === -1) {
      // The entering arc itself blocks: it moves to its other bound and the tree stays.
      state[entering] = fromLower ? STATE_UPPER : STATE_LOWER;
      return delta === 0;
    }

    const leaving = predArc[leavingNode]!;
    state[leaving] = flow[leaving] === 0 ? STATE_LOWER : STATE_UPPER;
    state[entering] = STATE_TREE;

    // The subtree under the leaving arc hangs again from the entering arc, re-rooted at its end.
    const uIn = leavingSide === 1 ? first : second;
    const vIn = leavingSide === 1 ? second : first;
    let w = uIn;
    let newParent = vIn;
    let newArc = entering;
    for (;;) {
      const oldParent = parent[w]!;
      const oldArc = predArc[w]!;
      removeChild(oldParent, w);
      parent[w] = newParent;
      predArc[w] = newArc;
      addChild(newParent, w);
      if (w === leavingNode) break;
      newParent = w;
      newArc = oldArc;
      w = oldParent;
    }
    refresh(uIn);
    return delta === 0;
  }

  function grow(size: number): void {
    const growI = (a: Int32Array, fill: number) => {
      const b = new Int32Array(size).fill(fill);
      b.set(a);
      return b;
    };
    firstChild = growI(firstChild, -1);
    nextSib = growI(nextSib, -1);
    prevSib = growI(prevSib, -1);
    depth = growI(depth, 0);
    stack = growI(stack, 0);
    moved = growI(moved, 0);
    const p = new Float64Array(size);
    p.set(pi);
    pi = p;
    room = size;
  }

  return {
    run() {
      indexIncidence();
      byNode = true;
      try {
        return pivotLoop(findEnteringByNode);
      } finally {
        byNode = false;
      }
    },
    resume(scope) {
      tracking = true;
      candidateCount = 0;
      onFlow = scope.flowChanged;
      try {
        const stats = pivotLoop(() => findEnteringIn(scope), scope.stop);
        // Optimal: everything moved has been priced.
        movedNodes = [];
        epoch++;
        return stats;
      } finally {
        onFlow = undefined;
      }
    },
    attach(v) {
      if (v >= room) grow(Math.max(2 * room, v + 1));
      n = Math.max(n, v + 1);
      tracking = true;
      addChild(parent[v]!, v);
      refresh(v);
    },
    reprice(v) {
      tracking = true;
      refresh(v);
    },
    rebind(next) {
      net = next;
      ({ source, target, capacity, cost, flow, state, parent, predArc } = next);
    },
    potential: () => pi.subarray(0, n),
  };
}

/**
 * Incidence lists of the arcs at each node but the root, as CSR: counts into `start` (n + 1 entries,
 * zero on entry) and turns them into starts; returns the largest degree. Each pass is a function of
 * its own, so that V8 compiles each loop once (a fresh process runs each of them once per solve).
 */
function countIncidence(source: Int32Array, target: Int32Array, m: number, root: number, start: Int32Array): number {
  for (let a = 0; a < m; a++) {
    if (source[a] !== root) start[source[a]! + 1]!++;
    if (target[a] !== root) start[target[a]! + 1]!++;
  }
  let maxDegree = 0;
  for (let v = 0; v + 1 < start.length; v++) {
    if (start[v + 1]! > maxDegree) maxDegree = start[v + 1]!;
    start[v + 1]! += start[v]!;
  }
  return maxDegree;
}

/** Fills the incidence lists whose starts countIncidence made. */
function fillIncidence(source: Int32Array, target: Int32Array, m: number, root: number, start: Int32Array, arcs: Int32Array): void {
  const fill = start.slice(0, start.length - 1);
  for (let a = 0; a < m; a++) {
    if (source[a] !== root) arcs[fill[source[a]!]!++] = a;
    if (target[a] !== root) arcs[fill[target[a]!]!++] = a;
  }
}
