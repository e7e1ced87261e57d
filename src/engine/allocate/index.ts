export { allocate, allocatePrepared, assemble, solvePrepared, type AllocateOptions, type ExportedNetwork, type SolvedAllocation } from './allocate.ts';
export { readAllocationProblem, readAllocationProblemFrom, SLACK as READ_WINDOW_SLACK, type ReadBytes, type ReadOptions } from './read.ts';
export { parseAllocationProblem } from './parse.ts';
export { summariseAllocation, summariseFigures, type AllocationFigures } from './summarise.ts';
export { writeAllocationJson } from './write.ts';
export type { Allocation, AllocationPledge, AllocationProblem, AllocationRequirement, AllocationResult, Unmet, UnmetReason } from './types.ts';
export { UNMET_REASONS } from './types.ts';
