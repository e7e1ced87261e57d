import { z } from 'zod';

export const UNMET_REASONS = ['no-compatible-supply', 'supply-too-late', 'outranked'] as const;
export const UnmetReason = z.enum(UNMET_REASONS);

/** Parameters of a planning run. */
export const PlanRun = z.strictObject({
  latePenaltyPerDay: z.number().min(0).max(1e6).default(1).describe('Worth lost per unit and day of lateness'),
  notes: z.string().max(2000).default(''),
});
export type PlanRun = z.infer<typeof PlanRun>;

export const PlanSummary = z.object({
  id: z.string(),
  seq: z.number(),
  createdAt: z.string(),
  createdBy: z.string(),
  fingerprint: z.string().describe('SHA-256 of the problem solved; equal inputs give equal fingerprints'),
  objective: z.number(),
  latePenaltyPerDay: z.number(),
  requirementCount: z.number(),
  supplyCount: z.number().describe('Tranches offered to the engine'),
  allocatedQuantity: z.number(),
  unmetQuantity: z.number(),
  solveMs: z.number(),
  notes: z.string(),
});
export type PlanSummary = z.infer<typeof PlanSummary>;

export const PlanAllocation = z.object({
  trancheId: z.string(),
  pledgeId: z.string(),
  requirementId: z.string(),
  quantity: z.number(),
  lateDays: z.number(),
  recommendation: z.boolean().describe('Advice to a donor (bilateral or opted-out), not a coordinated task'),
});

export const PlanUnmet = z.object({ requirementId: z.string(), quantity: z.number(), reason: UnmetReason });

export const Plan = PlanSummary.extend({
  allocations: z.array(PlanAllocation),
  unmet: z.array(PlanUnmet),
});
export type Plan = z.infer<typeof Plan>;

export const PlanList = z.object({ items: z.array(PlanSummary) });

/** What changed from one plan to another. */
export const PlanDiff = z.object({
  from: z.string(),
  to: z.string(),
  objectiveChange: z.number(),
  moved: z
    .array(
      z.object({
        trancheId: z.string(),
        pledgeId: z.string(),
        requirementId: z.string(),
        before: z.number(),
        after: z.number(),
      }),
    )
    .describe('Tranche-to-requirement quantities that changed'),
  newlyUnmet: z.array(z.object({ requirementId: z.string(), before: z.number(), after: z.number(), reason: UnmetReason })),
  nowMet: z.array(z.object({ requirementId: z.string(), before: z.number(), after: z.number() })),
});
export type PlanDiff = z.infer<typeof PlanDiff>;
