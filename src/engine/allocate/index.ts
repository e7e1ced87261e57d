export { allocate, allocatePrepared, type AllocateOptions, type ExportedNetwork } from './allocate.ts';
export { readAllocationProblem } from './read.ts';
export { parseAllocationProblem } from './parse.ts';
export { summariseAllocation } from './summarise.ts';
export type { Allocation, AllocationPledge, AllocationProblem, AllocationRequirement, AllocationResult, Unmet, UnmetReason } from './types.ts';
export { UNMET_REASONS } from './types.ts';
