/**
 * One measurement of the allocation benchmark, run in its own process so that its peak memory is its
 * own: `node --import tsx bench/allocate/case.ts <mode> <size index> <work dir>`.
 * Modes: `engine` (Concord's engine on the generated instance), `highs` (HiGHS on the same
 * linear-size network written as an LP), `dimacs` (writes the network for LEMON), `warm` (re-plans after
 * one pledge changes, from the previous optimum, CHANGES times; the last result checked against a fresh solve;
 * `listMs` is the time to list the whole result once, which a re-plan does not do), `server` (the engine
 * in a process that has already planned: two other instances of the same shape, other seeds, are solved
 * first, as a server has solved earlier plans; then the timed solve of this one), `phases` (the engine's
 * steps one by one in a fresh process: time and minor page faults of each), `file` (the steps of
 * `concord plan --input` one by one: read into the engine's tables through a window, solve, write; JSON_PATH=1: read,
 * JSON.parse, validate, solve, write).
 */
import { closeSync, createWriteStream, fstatSync, openSync, readSync, writeFileSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { allocate, READ_WINDOW_SLACK, readAllocationProblemFrom, solvePrepared, writeAllocationJson, type AllocationPledge, type AllocationProblem, type ExportedNetwork, type SolvedAllocation } from '../../src/engine/allocate/index.ts';
import { prepare } from '../../src/engine/allocate/prepare.ts';
import { createAllocationSession } from '../../src/engine/allocate/session.ts';
import { acceptValidProblem } from '../../src/engine/allocate/parse.ts';
import { fromDayNumber, dayNumber } from '../../src/domain/dates.ts';
import { generateInstance, prng, SIZES } from './generate.ts';

const [mode, sizeArg, dir] = process.argv.slice(2);
const size = SIZES[Number(sizeArg)]!;
const problem = generateInstance(size.shape);

function report(result: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ ...result, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
}

if (mode === 'engine') {
  writeFileSync(`${dir}/problem-${sizeArg}.json`, JSON.stringify(problem));
  const started = performance.now();
  const result = allocate(problem);
  const ms = performance.now() - started;
  report({ ms, objective: result.objective });
} else if (mode === 'server') {
  for (const offset of [1000, 2000]) allocate(generateInstance({ ...size.shape, seed: size.shape.seed + offset }));
  const started = performance.now();
  const result = allocate(problem);
  const ms = performance.now() - started;
  report({ ms, objective: result.objective });
} else if (mode === 'file') {
  // The steps of `concord plan --input` one by one: read the file into the engine's tables through a
  // 1 MiB window, as the CLI does (src/cli/plan-file.ts), then solve. With JSON_PATH=1, the general
  // path instead: read the file whole, JSON.parse, the checks, prepare, solve.
  const file = `${dir}/problem-${sizeArg}.json`;
  writeFileSync(file, JSON.stringify(problem));
  const t0 = performance.now();
  let solved: SolvedAllocation;
  const steps: Record<string, number> = {};
  if (process.env.JSON_PATH === '1') {
    const text = await readFile(file, 'utf8');
    const t1 = performance.now();
    const json: unknown = JSON.parse(text);
    const t2 = performance.now();
    const valid = acceptValidProblem(json)!;
    const t3 = performance.now();
    solved = solvePrepared(prepare(valid));
    Object.assign(steps, { readMs: t1 - t0, parseMs: t2 - t1, validateMs: t3 - t2, engineMs: performance.now() - t3 });
  } else {
    const input = openSync(file, 'r');
    const window = Buffer.allocUnsafeSlow((1 << 20) + READ_WINDOW_SLACK);
    const decode = (bytes: Uint8Array, start: number, end: number) => (bytes as Buffer).toString('utf8', start, end);
    const prepared = readAllocationProblemFrom((into, offset, length) => readSync(input, into, offset, length, null), { window, size: fstatSync(input).size, decode })!;
    closeSync(input);
    const t2 = performance.now();
    solved = solvePrepared(prepared);
    Object.assign(steps, { tablesMs: t2 - t0, engineMs: performance.now() - t2 });
  }
  // The write as `concord plan --output` does it: the JSON straight from the pairs, chunk by chunk.
  const t4 = performance.now();
  const fd = openSync(`${dir}/solution-${sizeArg}.json`, 'w');
  const figures = writeAllocationJson(solved, (chunk) => {
    for (let at = 0; at < chunk.length; ) at += writeSync(fd, chunk, at, chunk.length - at);
  });
  closeSync(fd);
  steps.writeMs = performance.now() - t4;
  report({ ...steps, objective: figures.objective });
} else if (mode === 'phases') {
  // Where a fresh process's engine time goes: each step's time and the pages it touched for the first
  // time (minor page faults, of the whole process: the compiler's threads included).
  const steps: Record<string, { ms: number; faults: number }> = {};
  let last = performance.now();
  let lastFaults = process.resourceUsage().minorPageFault;
  const mark = (step: string) => {
    const now = performance.now();
    const faults = process.resourceUsage().minorPageFault;
    const s = (steps[step] ??= { ms: 0, faults: 0 });
    s.ms += now - last;
    s.faults += faults - lastFaults;
    last = now;
    lastFaults = faults;
  };
  const result = allocate(problem, { onStep: mark });
  report({ steps, objective: result.objective });
} else if (mode === 'warm') {
  const changes = Number(process.env.CHANGES ?? 20);
  const session = createAllocationSession(problem);
  const rand = prng(7);
  let current: AllocationProblem = problem;
  const times: number[] = [];
  const modes: Record<string, number> = {};
  for (let k = 0; k < changes; k++) {
    // One pledge changes quantity, date or both, as a donor's amendment would.
    const index = Math.floor(rand() * current.pledges.length);
    const old = current.pledges[index]!;
    const kind = Math.floor(rand() * 3);
    const quantity = kind === 1 ? old.quantity : Math.max(1, Math.round(old.quantity * (0.2 + 1.6 * rand())));
    const available = kind === 0 ? old.available : fromDayNumber(dayNumber(old.available) + Math.round(120 * rand()) - 60);
    const pledge: AllocationPledge = { ...old, quantity, available };
    const started = performance.now();
    session.replacePledge(pledge);
    times.push(performance.now() - started);
    modes[session.lastMode] = (modes[session.lastMode] ?? 0) + 1;
    current = { ...current, pledges: current.pledges.map((p, i) => (i === index ? pledge : p)) };
  }
  // Listing the whole result (every requirement's lines) is apart from the re-plan, which returns the requirements it touched.
  const listed = performance.now();
  const objective = session.result.objective;
  const listMs = performance.now() - listed;
  const fresh = allocate(current).objective;
  const sorted = [...times].sort((a, b) => a - b);
  report({ ms: sorted[Math.floor((sorted.length - 1) / 2)], first: times[0], p90: sorted[Math.ceil(0.9 * sorted.length) - 1], max: sorted[sorted.length - 1], listMs, modes, objective, fresh });
} else {
  const parts: ExportedNetwork[] = [];
  allocate(problem, { onNetwork: (n) => parts.push(n) });
  const net = mergeNetworks(parts);
  const totalSupply = net.supply.reduce((s, b) => s + (b > 0 ? b : 0), 0);
  if (mode === 'dimacs') {
    const out = createWriteStream(`${dir}/network-${sizeArg}.min`);
    out.write(`p min ${net.nodeCount} ${net.arcCount}\n`);
    for (let v = 0; v < net.nodeCount; v++) if (net.supply[v] !== 0) out.write(`n ${v + 1} ${net.supply[v]}\n`);
    for (let a = 0; a < net.arcCount; a++) {
      const cap = net.capacity[a] === Infinity ? totalSupply : net.capacity[a];
      out.write(`a ${net.source[a]! + 1} ${net.target[a]! + 1} 0 ${cap} ${net.cost[a]}\n`);
    }
    out.end(() => report({ scale: net.scale }));
  } else if (mode === 'highs') {
    const highsModule = (await import('highs')) as unknown as { default: () => Promise<{ solve(lp: string): { Status: string; ObjectiveValue: number } }> };
    const highs = await highsModule.default();
    // The network as an LP: one variable per arc, one balance row per node.
    const rows: string[][] = Array.from({ length: net.nodeCount }, () => []);
    const objective: string[] = [];
    const bounds: string[] = [];
    for (let a = 0; a < net.arcCount; a++) {
      const x = `x${a}`;
      if (net.cost[a] !== 0) objective.push(`${net.cost[a]! >= 0 ? '+' : '-'} ${Math.abs(net.cost[a]!)} ${x}`);
      rows[net.source[a]!]!.push(`+ ${x}`);
      rows[net.target[a]!]!.push(`- ${x}`);
      bounds.push(net.capacity[a] === Infinity ? ` ${x} >= 0` : ` 0 <= ${x} <= ${net.capacity[a]}`);
    }
    const lp = `Minimize\n obj: ${objective.join(' ') || '0 x0'}\nSubject To\n${rows.map((r, v) => ` n${v}: ${r.join(' ')} = ${net.supply[v]}`).join('\n')}\nBounds\n${bounds.join('\n')}\nEnd\n`;
    const started = performance.now();
    const solution = highs.solve(lp);
    const ms = performance.now() - started;
    report({ ms, status: solution.Status, objective: -solution.ObjectiveValue / net.scale });
  }
}

/** The components' networks side by side as one network (each keeps its own sink). */
function mergeNetworks(parts: ExportedNetwork[]): ExportedNetwork {
  const nodeCount = parts.reduce((s, p) => s + p.nodeCount, 0);
  const arcCount = parts.reduce((s, p) => s + p.arcCount, 0);
  const net: ExportedNetwork = {
    nodeCount,
    arcCount,
    source: new Int32Array(arcCount),
    target: new Int32Array(arcCount),
    capacity: new Float64Array(arcCount),
    cost: new Float64Array(arcCount),
    supply: new Float64Array(nodeCount),
    scale: parts[0]?.scale ?? 1,
  };
  let nodes = 0;
  let arcs = 0;
  for (const p of parts) {
    for (let a = 0; a < p.arcCount; a++) {
      net.source[arcs + a] = p.source[a]! + nodes;
      net.target[arcs + a] = p.target[a]! + nodes;
    }
    net.capacity.set(p.capacity, arcs);
    net.cost.set(p.cost, arcs);
    net.supply.set(p.supply, nodes);
    nodes += p.nodeCount;
    arcs += p.arcCount;
  }
  return net;
}
