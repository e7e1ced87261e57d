/** One need line as the allocation engine sees it (DESIGN.md, "Contract: the allocation problem"). */
export interface AllocationRequirement {
  id: string;
  /** Interchangeability groups whose supply meets the need. */
  accepts: string[];
  /** Positive integer, at most 2^53 − 1. */
  quantity: number;
  /** Worth of one unit delivered on time; positive. */
  weight: number;
  /** ISO date. */
  needBy: string;
  /** Intended uses that a pledge's caveats may forbid. */
  uses: string[];
}

/** One supply line: a pledge (or one tranche of it). */
export interface AllocationPledge {
  id: string;
  donor: string;
  group: string;
  quantity: number;
  /** ISO date from which the supply is available. */
  available: string;
  /** Uses the donor forbids. */
  forbids: string[];
  /** The one requirement this supply may go to, by bilateral arrangement; null when free. */
  designatedTo: string | null;
}

export interface AllocationProblem {
  /** Worth lost per unit and day of lateness; non-negative. */
  latePenaltyPerDay: number;
  requirements: AllocationRequirement[];
  pledges: AllocationPledge[];
}

export const UNMET_REASONS = ['no-compatible-supply', 'supply-too-late', 'outranked'] as const;
export type UnmetReason = (typeof UNMET_REASONS)[number];

export interface Allocation {
  pledge: string;
  requirement: string;
  quantity: number;
  lateDays: number;
}

export interface Unmet {
  requirement: string;
  quantity: number;
  reason: UnmetReason;
}

export interface AllocationResult {
  /** Total worth: Σ quantity × (weight − penalty × lateDays). */
  objective: number;
  allocations: Allocation[];
  unmet: Unmet[];
}
