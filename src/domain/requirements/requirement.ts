import type { Lifecycle } from '../lifecycle.ts';
import type { CapabilityArea } from '../catalog/catalog.ts';

/** P1 critical … P4 routine. */
export const PRIORITIES = [1, 2, 3, 4] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Default allocation weight of one unit by priority (DESIGN.md). */
export const PRIORITY_WEIGHT: Readonly<Record<Priority, number>> = { 1: 1000, 2: 100, 3: 10, 4: 1 };

export const REQUIREMENT_STATUSES = [
  'draft',
  'submitted',
  'validated',
  'partly-covered',
  'covered',
  'fulfilled',
  'cancelled',
] as const;
export type RequirementStatus = (typeof REQUIREMENT_STATUSES)[number];

/**
 * The requirement lifecycle.
 * - A submitted line may go back to draft for rework, or be validated by a coordinator.
 * - Coverage moves between validated, partly-covered and covered as plans change.
 * - fulfilled and cancelled are final.
 */
export const REQUIREMENT_LIFECYCLE: Lifecycle<RequirementStatus> = {
  draft: ['submitted', 'cancelled'],
  submitted: ['draft', 'validated', 'cancelled'],
  validated: ['partly-covered', 'covered', 'fulfilled', 'cancelled'],
  'partly-covered': ['validated', 'covered', 'fulfilled', 'cancelled'],
  covered: ['partly-covered', 'validated', 'fulfilled', 'cancelled'],
  fulfilled: [],
  cancelled: [],
};

/** Statuses in which a requirement takes part in planning. */
export const PLANNABLE_REQUIREMENT_STATUSES: readonly RequirementStatus[] = ['validated', 'partly-covered', 'covered'];

/** One need line of the recipient. */
export interface Requirement {
  /** External id, stable across imports: `R-000123`. */
  id: string;
  /** Preferred item type, if the need names one. */
  itemCode: string | null;
  /** Interchangeability groups whose items meet the need (at least one). */
  accepts: string[];
  capabilityArea: CapabilityArea;
  quantity: number;
  priority: Priority;
  /** ISO date by which the items are needed. */
  needBy: string;
  /** Intended uses (tags such as `cross-border`) that donors' caveats may forbid. */
  uses: string[];
  status: RequirementStatus;
  title: string;
  notes: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}
