import { useMemo, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Plan, PlanDiff, PlanSummary } from '../../../src/contracts/plans.ts';
import { api } from '../api-client.ts';
import { DataTable } from '../components/data-table.tsx';
import { fmt } from '../components/status.tsx';
import { FormError } from '../components/form-error.tsx';

/** Run the allocation engine, read allocations by requirement or by donor, unmet needs and the diff. */
export function PlanScene() {
  const client = useQueryClient();
  const plans = useQuery({ queryKey: ['plans'], queryFn: () => api<{ items: PlanSummary[] }>('/plans?limit=20') });
  const latestId = plans.data?.items[0]?.id;
  const previousId = plans.data?.items[1]?.id;
  const plan = useQuery({ queryKey: ['plan', latestId], enabled: Boolean(latestId), queryFn: () => api<Plan>(`/plans/${latestId}`) });
  const diff = useQuery({ queryKey: ['plan-diff', previousId, latestId], enabled: Boolean(latestId && previousId), queryFn: () => api<PlanDiff>(`/plans/${previousId}/diff/${latestId}`) });
  const run = useMutation({
    mutationFn: () => api<Plan>('/plans', { method: 'POST', body: {} }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['plans'] }),
  });
  const [view, setView] = useState<'requirement' | 'donor'>('requirement');
  const [find, setFind] = useState('');
  const matches = (...ids: string[]) => !find || ids.some((id) => id.toLowerCase().includes(find.trim().toLowerCase()));
  const byDonor = useMemo(() => {
    const totals = new Map<string, { donor: string; lines: number; quantity: number; recommendation: number }>();
    for (const a of plan.data?.allocations ?? []) {
      const donor = a.pledgeId;
      const t = totals.get(donor) ?? { donor, lines: 0, quantity: 0, recommendation: 0 };
      t.lines += 1;
      t.quantity += a.quantity;
      if (a.recommendation) t.recommendation += a.quantity;
      totals.set(donor, t);
    }
    return [...totals.values()].sort((a, b) => b.quantity - a.quantity);
  }, [plan.data]);
  const p = plan.data;
  return (
    <section className="scene">
      <header className="scene-head">
        <h1>Plan</h1>
        <button type="button" className="primary" onClick={() => run.mutate()} disabled={run.isPending}>
          {run.isPending ? 'Solving…' : 'Run plan'}
        </button>
      </header>
      <FormError error={run.error} />
      {!latestId && !plans.isLoading && <p className="empty">No plan yet: run one to match committed tranches to validated requirements.</p>}
      {p && (
        <>
          <div className="cards">
            <div className="card">
              <h3>{p.id}</h3>
              <p>
                {fmt(p.requirementCount)} requirements, {fmt(p.supplyCount)} tranches; solved in {p.solveMs.toFixed(0)} ms
              </p>
            </div>
            <div className="card">
              <h3>Allocated</h3>
              <p className="big">{fmt(p.allocatedQuantity)}</p>
              <p>units in {fmt(p.allocations.length)} lines</p>
            </div>
            <div className="card">
              <h3>Unmet</h3>
              <p className="big">{fmt(p.unmetQuantity)}</p>
              <p>units in {fmt(p.unmet.length)} requirements</p>
            </div>
            {diff.data && (
              <div className="card">
                <h3>Since {diff.data.from}</h3>
                <p>
                  {diff.data.moved.length} lines moved; {diff.data.newlyUnmet.length} newly short; {diff.data.nowMet.length} now met
                </p>
              </div>
            )}
          </div>
          <label className="find">
            Find a pledge or requirement
            <input type="search" value={find} onChange={(e) => setFind(e.target.value)} placeholder="P-000123 or R-000456" />
          </label>
          <div className="tabs" role="tablist">
            <button role="tab" aria-selected={view === 'requirement'} onClick={() => setView('requirement')}>
              By requirement
            </button>
            <button role="tab" aria-selected={view === 'donor'} onClick={() => setView('donor')}>
              By pledge
            </button>
          </div>
          {view === 'requirement' ? (
            <DataTable
              caption="Allocations by requirement"
              rows={p.allocations.filter((a) => matches(a.trancheId, a.requirementId))}
              rowKey={(a) => `${a.trancheId}|${a.requirementId}`}
              columns={[
                { key: 'requirementId', label: 'Requirement', render: (a) => a.requirementId },
                { key: 'trancheId', label: 'Tranche', render: (a) => a.trancheId },
                { key: 'quantity', label: 'Quantity', render: (a) => fmt(a.quantity), align: 'right' },
                { key: 'lateDays', label: 'Days late', render: (a) => fmt(a.lateDays), align: 'right' },
                { key: 'recommendation', label: 'Kind', render: (a) => (a.recommendation ? 'advice to donor' : 'coordinated') },
              ]}
            />
          ) : (
            <DataTable
              caption="Allocations by pledge"
              rows={byDonor.filter((d) => matches(d.donor))}
              rowKey={(d) => d.donor}
              columns={[
                { key: 'donor', label: 'Pledge', render: (d) => d.donor },
                { key: 'lines', label: 'Lines', render: (d) => fmt(d.lines), align: 'right' },
                { key: 'quantity', label: 'Units allocated', render: (d) => fmt(d.quantity), align: 'right' },
                { key: 'recommendation', label: 'Of which advice', render: (d) => fmt(d.recommendation), align: 'right' },
              ]}
            />
          )}
          <h2>Unmet needs and why</h2>
          <DataTable
            caption="Unmet needs"
            rows={p.unmet.filter((u) => matches(u.requirementId))}
            rowKey={(u) => `${u.requirementId}|${u.reason}`}
            columns={[
              { key: 'requirementId', label: 'Requirement', render: (u) => u.requirementId },
              { key: 'quantity', label: 'Short by', render: (u) => fmt(u.quantity), align: 'right' },
              { key: 'reason', label: 'Reason', render: (u) => u.reason },
            ]}
          />
        </>
      )}
    </section>
  );
}
