import { z } from 'zod';
import { isIsoDate } from '../domain/dates.ts';
import { invalidInput } from '../domain/errors.ts';
import { acceptValidProblem } from '../engine/allocate/parse.ts';
import type { AllocationProblem } from '../engine/allocate/types.ts';

const Id = z.string().min(1, 'must not be empty').max(200);
const Tag = z.string().min(1).max(100);
const Day = z.string().refine((s) => isIsoDate(s), 'must be a real calendar date written YYYY-MM-DD');
const Quantity = z.number().int('must be a whole number').positive('must be positive').max(Number.MAX_SAFE_INTEGER, 'must be at most 2^53 − 1');

/** The allocation problem file (DESIGN.md, "Contract: the allocation problem"). Unknown fields are refused. */
export const AllocationProblemSchema = z
  .strictObject({
    latePenaltyPerDay: z.number().min(0, 'must not be negative').refine(Number.isFinite, 'must be finite'),
    requirements: z.array(
      z.strictObject({
        id: Id,
        accepts: z.array(Id).min(1, 'must accept at least one group'),
        quantity: Quantity,
        weight: z.number().positive('must be positive').refine(Number.isFinite, 'must be finite'),
        needBy: Day,
        uses: z.array(Tag).default([]),
      }),
    ),
    pledges: z.array(
      z.strictObject({
        id: Id,
        donor: z.string().min(1).max(200),
        group: Id,
        quantity: Quantity,
        available: Day,
        forbids: z.array(Tag).default([]),
        designatedTo: Id.nullable().default(null),
      }),
    ),
  })
  .superRefine((problem, ctx) => {
    const seenR = new Map<string, number>();
    problem.requirements.forEach((r, i) => {
      const first = seenR.get(r.id);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['requirements', i, 'id'], message: `duplicate id ${r.id} (also at /requirements/${first}/id)` });
      else seenR.set(r.id, i);
    });
    const seenP = new Map<string, number>();
    problem.pledges.forEach((p, i) => {
      const first = seenP.get(p.id);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['pledges', i, 'id'], message: `duplicate id ${p.id} (also at /pledges/${first}/id)` });
      else seenP.set(p.id, i);
      if (p.designatedTo !== null && !seenR.has(p.designatedTo)) {
        ctx.addIssue({ code: 'custom', path: ['pledges', i, 'designatedTo'], message: `names no requirement of this problem (${p.designatedTo})` });
      }
    });
  });

/**
 * Validates an allocation problem, listing every problem with its JSON path; nothing is solved on
 * bad input. A valid file takes the engine's one-pass check (stricter than this schema, so it admits
 * nothing the schema refuses); the schema runs only when that check fails, to word the problems.
 */
export function parseAllocationProblem(json: unknown): AllocationProblem {
  const valid = acceptValidProblem(json);
  if (valid !== undefined) return valid;
  const result = AllocationProblemSchema.safeParse(json);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: `/${i.path.map(String).join('/')}`, message: i.message }));
  throw invalidInput(`the allocation problem is invalid (${issues.length} problem${issues.length === 1 ? '' : 's'})`, issues);
}
