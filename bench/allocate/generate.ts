import { fromDayNumber, dayNumber } from '../../src/domain/dates.ts';
import type { AllocationProblem } from '../../src/engine/allocate/index.ts';

/** A small seeded PRNG (mulberry32): the same seed always gives the same instance. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface InstanceShape {
  requirements: number;
  pledges: number;
  groups: number;
  /** Share of requirements that accept a second group. */
  multiAccept: number;
  /** Whether requirements carry uses and pledges caveats. */
  caveats: boolean;
  /** Share of pledges designated to a requirement. */
  designated: number;
  seed: number;
}

const WEIGHTS = [1000, 100, 10, 1];
const START = dayNumber('2026-01-01');

/**
 * Instances like the contract's: needs and supply spread over two years, ~150 groups with a few
 * large ones (as 155 mm is), P1–P4 weights, caveats on a fifth of the supply, designations.
 */
export function generateInstance(shape: InstanceShape): AllocationProblem {
  const rand = prng(shape.seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  // Skewed group popularity: a handful of groups carry most lines.
  const group = () => `g${Math.floor(shape.groups * rand() ** 2)}`;
  const quantity = () => Math.max(1, Math.round(Math.exp(rand() * Math.log(20_000))));
  const requirements: AllocationProblem['requirements'] = [];
  for (let i = 0; i < shape.requirements; i++) {
    const main = group();
    const accepts = rand() < shape.multiAccept ? [...new Set([main, group()])] : [main];
    const uses: string[] = [];
    if (shape.caveats) {
      if (rand() < 0.2) uses.push('cross-border');
      if (rand() < 0.1) uses.push('offensive');
      if (rand() < 0.05) uses.push('air-defence-of-cities');
    }
    requirements.push({
      id: `R-${i}`,
      accepts,
      quantity: quantity(),
      weight: pick(WEIGHTS),
      needBy: fromDayNumber(START + Math.floor(rand() * 730)),
      uses,
    });
  }
  const pledges: AllocationProblem['pledges'] = [];
  for (let i = 0; i < shape.pledges; i++) {
    let g = group();
    let designatedTo: string | null = null;
    if (shape.requirements > 0 && rand() < shape.designated) {
      const r = requirements[Math.floor(rand() * requirements.length)]!;
      designatedTo = r.id;
      g = pick(r.accepts);
    }
    const forbids: string[] = [];
    if (shape.caveats && designatedTo === null) {
      const c = rand();
      if (c < 0.12) forbids.push('cross-border');
      else if (c < 0.17) forbids.push('offensive');
      else if (c < 0.2) forbids.push('cross-border', 'offensive');
    }
    pledges.push({
      id: `P-${i}`,
      donor: `D${Math.floor(rand() * 40)}`,
      group: g,
      quantity: quantity(),
      available: fromDayNumber(START - 60 + Math.floor(rand() * 790)),
      forbids,
      designatedTo,
    });
  }
  return { latePenaltyPerDay: 1, requirements, pledges };
}

/** The benchmark's sizes, as the issue names them. */
export const SIZES: { name: string; shape: InstanceShape }[] = [
  { name: '1k x 2k, caveats + multi-accepts', shape: { requirements: 1_000, pledges: 2_000, groups: 150, multiAccept: 0.3, caveats: true, designated: 0.05, seed: 1 } },
  { name: '10k x 20k, caveats + multi-accepts', shape: { requirements: 10_000, pledges: 20_000, groups: 150, multiAccept: 0.3, caveats: true, designated: 0.05, seed: 2 } },
  { name: '20k x 40k, caveats + multi-accepts', shape: { requirements: 20_000, pledges: 40_000, groups: 150, multiAccept: 0.3, caveats: true, designated: 0.05, seed: 3 } },
  { name: '100k x 200k, one group each', shape: { requirements: 100_000, pledges: 200_000, groups: 150, multiAccept: 0, caveats: false, designated: 0, seed: 4 } },
  { name: '100k x 200k, caveats + multi-accepts', shape: { requirements: 100_000, pledges: 200_000, groups: 150, multiAccept: 0.3, caveats: true, designated: 0.05, seed: 5 } },
];
