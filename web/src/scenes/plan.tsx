import { useMemo, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Plan, PlanDiff } from '../../../src/contracts/plans.ts';
import type { Pledge } from '../../../src/contracts/pledges.ts';
import { api, type Page } from '../api-client.ts';
import { DataTable } from '../components/data-table.tsx';
import { Tabs } from '../components/tabs.tsx';
import { fmt } from '../components/status.tsx';
import { Field, FormError } from '../components/form-error.tsx';
import { usePlan, usePlans } from './plan-data.ts';
import { REASONS, mayWrite } from '../vocabulary.ts';
import { Link, href, navigate, useQueryState } from '../router.tsx';
import { useMe } from '../session.tsx';


const VIEWS = [
  ['requirement', 'By requirement'],
  ['donor', 'By donor'],
  ['pledge', 'By pledge'],
  ['unmet', 'Unmet needs'],
  ['diff', 'Changes'],
] as const;

/** Donor of every pledge the plan may allocate, read page by page (pledge ids do not carry their donor). */
function usePledgeDonors(enabled: boolean) {
  return useQuery({
    queryKey: ['pledge-donors'],
    enabled,
    staleTime: 120_000,
    queryFn: async () => {
      const donors = new Map<string, string>();
      let cursor: string | null = null;
      do {
        const page: Page<Pledge> = await api<Page<Pledge>>(`/pledges?limit=1000&status=committed,contracted,delivering,delivered${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        for (const p of page.items) donors.set(p.id, p.donor);
        cursor = page.nextCursor;
      } while (cursor);
      return donors;
    },
  });
}

/** Run the allocation engine; read allocations by requirement, donor or pledge, unmet needs and the diff. */
export function PlanScene() {
  const me = useMe();
  const client = useQueryClient();
  const [state, set] = useQueryState({ plan: '', compare: '', view: 'requirement', find: '' });
  const plans = usePlans();
  const list = plans.data?.items ?? [];
  const currentId = state.plan || list[0]?.id;
  const currentIndex = list.findIndex((p) => p.id === currentId);
  const compareId = state.compare || list[currentIndex + 1]?.id;
  const plan = usePlan(currentId);
  const diff = useQuery({
    queryKey: ['plan-diff', compareId, currentId],
    enabled: Boolean(currentId && compareId && compareId !== currentId),
    staleTime: Infinity,
    queryFn: () => api<PlanDiff>(`/plans/${compareId}/diff/${currentId}`),
  });
  const [penalty, setPenalty] = useState('1');
  const [notes, setNotes] = useState('');
  const run = useMutation({
    mutationFn: () => api<Plan>('/plans', { method: 'POST', body: { latePenaltyPerDay: Number(penalty), notes } }),
    onSuccess: (p) => {
      client.setQueryData(['plan', p.id], p);
      void client.invalidateQueries({ queryKey: ['plans'] });
      void client.invalidateQueries({ queryKey: ['reports'] });
      set({ plan: '', compare: '' });
    },
  });
  const donors = usePledgeDonors(state.view === 'donor');
  const needle = state.find.trim().toLowerCase();
  const matches = (...ids: string[]) => !needle || ids.some((id) => id.toLowerCase().includes(needle));
  const p = plan.data;

  const byRequirement = useMemo(() => {
    const rows = new Map<string, { requirementId: string; lines: number; quantity: number; maxLate: number; short: number; reason: string }>();
    for (const a of p?.allocations ?? []) {
      const r = rows.get(a.requirementId) ?? { requirementId: a.requirementId, lines: 0, quantity: 0, maxLate: 0, short: 0, reason: '' };
      r.lines += 1;
      r.quantity += a.quantity;
      r.maxLate = Math.max(r.maxLate, a.lateDays);
      rows.set(a.requirementId, r);
    }
    for (const u of p?.unmet ?? []) {
      const r = rows.get(u.requirementId) ?? { requirementId: u.requirementId, lines: 0, quantity: 0, maxLate: 0, short: 0, reason: '' };
      r.short += u.quantity;
      r.reason = u.reason;
      rows.set(u.requirementId, r);
    }
    return [...rows.values()].sort((a, b) => a.requirementId.localeCompare(b.requirementId));
  }, [p]);
  const byPledge = useMemo(() => {
    const totals = new Map<string, { pledgeId: string; lines: number; quantity: number; advice: number; requirements: Set<string> }>();
    for (const a of p?.allocations ?? []) {
      const t = totals.get(a.pledgeId) ?? { pledgeId: a.pledgeId, lines: 0, quantity: 0, advice: 0, requirements: new Set<string>() };
      t.lines += 1;
      t.quantity += a.quantity;
      if (a.recommendation) t.advice += a.quantity;
      t.requirements.add(a.requirementId);
      totals.set(a.pledgeId, t);
    }
    return [...totals.values()].sort((a, b) => b.quantity - a.quantity);
  }, [p]);
  const byDonor = useMemo(() => {
    if (!donors.data) return [];
    const totals = new Map<string, { donor: string; pledges: number; lines: number; quantity: number; advice: number }>();
    for (const row of byPledge) {
      const donor = donors.data.get(row.pledgeId) ?? '(not visible)';
      const t = totals.get(donor) ?? { donor, pledges: 0, lines: 0, quantity: 0, advice: 0 };
      t.pledges += 1;
      t.lines += row.lines;
      t.quantity += row.quantity;
      t.advice += row.advice;
      totals.set(donor, t);
    }
    return [...totals.values()].sort((a, b) => b.quantity - a.quantity);
  }, [byPledge, donors.data]);

  return (
    <section className="scene">
      <header className="scene-head">
        <div>
          <h1>Plan</h1>
          <p className="sub">The optimal allocation of committed tranches to validated requirements. Each run is kept, so any two can be compared.</p>
        </div>
      </header>
      {mayWrite(me, 'plan') && (
        <form
          className="filters"
          aria-label="Run a plan"
          onSubmit={(e) => {
            e.preventDefault();
            run.mutate();
          }}
        >
          <Field label="Late penalty per unit and day" field="latePenaltyPerDay" error={run.error}>
            {(f) => <input {...f} inputMode="decimal" value={penalty} onChange={(e) => setPenalty(e.target.value)} size={6} />}
          </Field>
          <Field label="Notes" field="notes" error={run.error} className="grow">
            {(f) => <input {...f} value={notes} onChange={(e) => setNotes(e.target.value)} placeholder="why this run" />}
          </Field>
          <button type="submit" className="primary" disabled={run.isPending}>
            {run.isPending ? 'Solving…' : 'Run plan'}
          </button>
        </form>
      )}
      <FormError error={run.error} shown={['latePenaltyPerDay', 'notes']} />
      {plans.isSuccess && list.length === 0 && <p className="empty">No plan yet{mayWrite(me, 'plan') ? ': run one to match committed tranches to validated requirements.' : '.'}</p>}
      {list.length > 0 && (
        <div className="plan-pick">
          <label>
            Plan
            <select value={currentId} onChange={(e) => set({ plan: e.target.value === list[0]?.id ? '' : e.target.value, compare: '' })}>
              {list.map((x, i) => (
                <option key={x.id} value={x.id}>
                  {x.id} · {x.createdAt.slice(0, 16).replace('T', ' ')}
                  {i === 0 ? ' (current)' : ''}
                  {x.notes ? ` · ${x.notes}` : ''}
                </option>
              ))}
            </select>
          </label>
          <label>
            Compared with
            <select value={compareId ?? ''} onChange={(e) => set({ compare: e.target.value })}>
              <option value="">—</option>
              {list
                .filter((x) => x.id !== currentId)
                .map((x) => (
                  <option key={x.id} value={x.id}>
                    {x.id} · {x.createdAt.slice(0, 16).replace('T', ' ')}
                  </option>
                ))}
            </select>
          </label>
        </div>
      )}
      {plan.error && <FormError error={plan.error} />}
      {p && (
        <>
          <div className="cards">
            <div className="card">
              <h3>{p.id}</h3>
              <p>
                {fmt(p.requirementCount)} requirements, {fmt(p.supplyCount)} tranches; solved in {fmt(p.solveMs)} ms
              </p>
              <p className="muted">Late penalty {p.latePenaltyPerDay} per unit and day</p>
            </div>
            <div className="card">
              <h3>Allocated</h3>
              <p className="big">{fmt(p.allocatedQuantity)}</p>
              <p>units in {fmt(p.allocations.length)} lines</p>
            </div>
            <div className="card">
              <h3>Unmet</h3>
              <p className="big">{fmt(p.unmetQuantity)}</p>
              <p>
                units in {fmt(p.unmet.length)} requirements ·{' '}
                <Link to={href('/plan', { ...state, view: 'unmet' })}>why</Link>
              </p>
            </div>
            <div className="card">
              <h3>{diff.data ? `Since ${diff.data.from}` : 'Changes'}</h3>
              {diff.data ? (
                <p>
                  objective {diff.data.objectiveChange >= 0 ? '+' : '−'}
                  {fmt(Math.abs(diff.data.objectiveChange))}; {fmt(diff.data.moved.length)} lines moved; {fmt(diff.data.newlyUnmet.length)} newly short; {fmt(diff.data.nowMet.length)} now met
                </p>
              ) : (
                <p className="muted">{compareId ? 'Loading…' : 'No earlier plan to compare with.'}</p>
              )}
            </div>
          </div>
          <div className="toolbar">
            <Tabs label="Plan views" options={VIEWS} value={state.view} onChange={(view) => set({ view })} controls="plan-view" />
            <label className="find">
              Find a pledge or requirement
              <input type="search" value={state.find} onChange={(e) => set({ find: e.target.value })} placeholder="P-000123 or R-000456" />
            </label>
          </div>
          <div id="plan-view" role="tabpanel" aria-label={VIEWS.find(([k]) => k === state.view)?.[1]}>
            {state.view === 'requirement' && (
              <DataTable
                caption="Allocations by requirement"
                rows={byRequirement.filter((r) => matches(r.requirementId))}
                rowKey={(r) => r.requirementId}
                onRowClick={(r) => navigate(href('/requirements', { id: r.requirementId }))}
                columns={[
                  { key: 'requirementId', label: 'Requirement', render: (r) => r.requirementId },
                  { key: 'lines', label: 'Tranches', render: (r) => fmt(r.lines), align: 'right' },
                  { key: 'quantity', label: 'Units planned', render: (r) => fmt(r.quantity), align: 'right' },
                  { key: 'maxLate', label: 'Latest (days late)', render: (r) => fmt(r.maxLate), align: 'right' },
                  { key: 'short', label: 'Short by', render: (r) => (r.short ? fmt(r.short) : '—'), align: 'right' },
                  { key: 'reason', label: 'Why short', render: (r) => r.reason || '—', width: '1.4fr' },
                ]}
              />
            )}
            {state.view === 'donor' &&
              (donors.isPending ? (
                <p className="loading" role="status">
                  Reading the donors of {fmt(byPledge.length)} pledges…
                </p>
              ) : (
                <DataTable
                  caption="Allocations by donor"
                  rows={byDonor.filter((d) => matches(d.donor))}
                  rowKey={(d) => d.donor}
                  onRowClick={(d) => navigate(href('/pledges', { donor: d.donor, status: 'committed,contracted,delivering' }))}
                  columns={[
                    { key: 'donor', label: 'Donor', render: (d) => d.donor },
                    { key: 'pledges', label: 'Pledges allocated', render: (d) => fmt(d.pledges), align: 'right' },
                    { key: 'lines', label: 'Lines', render: (d) => fmt(d.lines), align: 'right' },
                    { key: 'quantity', label: 'Units allocated', render: (d) => fmt(d.quantity), align: 'right' },
                    { key: 'advice', label: 'Of which advice to the donor', render: (d) => fmt(d.advice), align: 'right' },
                  ]}
                />
              ))}
            {state.view === 'pledge' && (
              <DataTable
                caption="Allocations by pledge"
                rows={byPledge.filter((d) => matches(d.pledgeId, ...d.requirements))}
                rowKey={(d) => d.pledgeId}
                onRowClick={(d) => navigate(href('/pledges', { id: d.pledgeId }))}
                columns={[
                  { key: 'pledgeId', label: 'Pledge', render: (d) => d.pledgeId },
                  { key: 'lines', label: 'Lines', render: (d) => fmt(d.lines), align: 'right' },
                  { key: 'quantity', label: 'Units allocated', render: (d) => fmt(d.quantity), align: 'right' },
                  { key: 'advice', label: 'Of which advice', render: (d) => fmt(d.advice), align: 'right' },
                  { key: 'requirements', label: 'Requirements', render: (d) => [...d.requirements].join(', '), width: '2fr' },
                ]}
              />
            )}
            {state.view === 'unmet' && (
              <>
                <ul className="legend-list">
                  {Object.entries(REASONS).filter(([k]) => k !== 'met by the plan').map(([k, v]) => (
                    <li key={k}>
                      <strong>{k}</strong>: {v} ({fmt(p.unmet.filter((u) => u.reason === k).length)} requirements)
                    </li>
                  ))}
                </ul>
                <DataTable
                  caption="Unmet needs"
                  rows={p.unmet.filter((u) => matches(u.requirementId))}
                  rowKey={(u) => `${u.requirementId}|${u.reason}`}
                  onRowClick={(u) => navigate(href('/requirements', { id: u.requirementId }))}
                  columns={[
                    { key: 'requirementId', label: 'Requirement', render: (u) => u.requirementId },
                    { key: 'quantity', label: 'Short by', render: (u) => fmt(u.quantity), align: 'right' },
                    { key: 'reason', label: 'Reason', render: (u) => u.reason },
                    { key: 'explain', label: 'Meaning', render: (u) => REASONS[u.reason] ?? '', width: '2.4fr' },
                  ]}
                />
              </>
            )}
            {state.view === 'diff' && <DiffView diff={diff.data} loading={diff.isFetching} matches={matches} />}
          </div>
        </>
      )}
    </section>
  );
}

function DiffView({ diff, loading, matches }: { diff: PlanDiff | undefined; loading: boolean; matches: (...ids: string[]) => boolean }) {
  if (loading) return <p className="loading">Comparing…</p>;
  if (!diff) return <p className="empty">Choose an earlier plan to compare with.</p>;
  return (
    <>
      <h2>
        Lines that moved ({fmt(diff.moved.length)}), {diff.from} → {diff.to}
      </h2>
      <DataTable
        caption="Allocation lines that changed"
        height={300}
        rows={diff.moved.filter((m) => matches(m.pledgeId, m.requirementId))}
        rowKey={(m) => `${m.trancheId}|${m.requirementId}`}
        onRowClick={(m) => navigate(href('/requirements', { id: m.requirementId }))}
        empty="No allocation changed."
        columns={[
          { key: 'trancheId', label: 'Tranche', render: (m) => m.trancheId },
          { key: 'requirementId', label: 'Requirement', render: (m) => m.requirementId },
          { key: 'before', label: 'Before', render: (m) => fmt(m.before), align: 'right' },
          { key: 'after', label: 'After', render: (m) => fmt(m.after), align: 'right' },
          { key: 'change', label: 'Change', render: (m) => `${m.after >= m.before ? '+' : '−'}${fmt(Math.abs(m.after - m.before))}`, align: 'right' },
        ]}
      />
      <div className="two-col">
        <div>
          <h2>Newly short ({fmt(diff.newlyUnmet.length)})</h2>
          <DataTable
            caption="Requirements newly short"
            height={260}
            rows={diff.newlyUnmet.filter((u) => matches(u.requirementId))}
            rowKey={(u) => u.requirementId}
            onRowClick={(u) => navigate(href('/requirements', { id: u.requirementId }))}
            empty="None."
            columns={[
              { key: 'requirementId', label: 'Requirement', render: (u) => u.requirementId },
              { key: 'before', label: 'Short before', render: (u) => fmt(u.before), align: 'right' },
              { key: 'after', label: 'Short now', render: (u) => fmt(u.after), align: 'right' },
              { key: 'reason', label: 'Reason', render: (u) => u.reason },
            ]}
          />
        </div>
        <div>
          <h2>Now met ({fmt(diff.nowMet.length)})</h2>
          <DataTable
            caption="Requirements now met"
            height={260}
            rows={diff.nowMet.filter((u) => matches(u.requirementId))}
            rowKey={(u) => u.requirementId}
            onRowClick={(u) => navigate(href('/requirements', { id: u.requirementId }))}
            empty="None."
            columns={[
              { key: 'requirementId', label: 'Requirement', render: (u) => u.requirementId },
              { key: 'before', label: 'Short before', render: (u) => fmt(u.before), align: 'right' },
              { key: 'after', label: 'Short now', render: (u) => fmt(u.after), align: 'right' },
            ]}
          />
        </div>
      </div>
    </>
  );
}
