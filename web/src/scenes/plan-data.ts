import { useQuery } from '@tanstack/react-query';
import type { Plan, PlanSummary } from '../../../src/contracts/plans.ts';
import { api } from '../api-client.ts';

/** The plans run so far, newest first. */
export function usePlans() {
  return useQuery({ queryKey: ['plans'], queryFn: () => api<{ items: PlanSummary[] }>('/plans?limit=50') });
}

/** One plan with its allocations and unmet needs (cached: plans never change once solved). */
export function usePlan(id: string | undefined) {
  return useQuery({ queryKey: ['plan', id], enabled: Boolean(id), staleTime: Infinity, queryFn: () => api<Plan>(`/plans/${encodeURIComponent(id!)}`) });
}

/** The current (latest) plan. */
export function useLatestPlan() {
  const plans = usePlans();
  const summary = plans.data?.items[0];
  const plan = usePlan(summary?.id);
  return { plans, summary, plan };
}
