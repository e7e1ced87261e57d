import { useMemo, useState } from 'react';
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Requirement, RequirementUpdate } from '../../../src/contracts/requirements.ts';
import type { Pledge } from '../../../src/contracts/pledges.ts';
import { api, type Page } from '../api-client.ts';
import { History, LifecycleButtons, LoadMore, Panel, useLifecycle, usePagedList } from '../components/paged-list.tsx';
import { DataTable } from '../components/data-table.tsx';
import { PriorityBadge, Status, fmt, fmtMoney } from '../components/status.tsx';
import { Field, FormError } from '../components/form-error.tsx';
import { GroupInput, ItemCodeInput, useDebounced } from '../components/pickers.tsx';
import { useLatestPlan } from './plan-data.ts';
import { useGaps } from './dashboard.tsx';
import { AREAS, REASONS, REQUIREMENT_STATUSES, mayWrite, reasonLabel } from '../vocabulary.ts';
import { Link, href, useQueryState } from '../router.tsx';
import { useMe } from '../session.tsx';

const SORTS = ['needBy', 'priority', 'quantity', 'id'] as const;
const FILTERS = { status: '', priority: '', capabilityArea: '', group: '', needByFrom: '', needByTo: '', q: '', sort: 'needBy', order: 'asc', id: '', mode: '' };

/** The recipient's need lines: server-side filtered, sorted and paged; detail, history and lifecycle; forms. */
export function RequirementsScene() {
  const me = useMe();
  const [state, set] = useQueryState(FILTERS);
  const [text, setText] = useState(state.q);
  const q = useDebounced(text);
  const params = { status: state.status, priority: state.priority, capabilityArea: state.capabilityArea, group: state.group, needByFrom: state.needByFrom, needByTo: state.needByTo, q, sort: state.sort, order: state.order };
  const { list, rows, more } = usePagedList<Requirement>('requirements', params);
  const filtered = Object.entries(FILTERS).some(([k]) => !['sort', 'order', 'id', 'mode'].includes(k) && state[k as keyof typeof FILTERS]);
  const open = (id: string | null, mode = '') => set({ id: id ?? '', mode });
  return (
    <section className="scene">
      <header className="scene-head">
        <div>
          <h1>Requirements</h1>
          <p className="sub">The recipient’s need lines, most urgent first. Select a line to see who supplies it, its history and what may happen next.</p>
        </div>
        {mayWrite(me, 'requirement') && (
          <button type="button" className="primary" onClick={() => open(null, 'new')}>
            New requirement
          </button>
        )}
      </header>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()} aria-label="Filter requirements">
        <label>
          Status
          <select value={state.status} onChange={(e) => set({ status: e.target.value })}>
            <option value="">any</option>
            <option value="validated,partly-covered,covered">open (validated, partly covered, covered)</option>
            {REQUIREMENT_STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Priority
          <select value={state.priority} onChange={(e) => set({ priority: e.target.value })}>
            <option value="">any</option>
            <option value="1">P1 critical</option>
            <option value="1,2">P1–P2</option>
            <option value="2">P2 high</option>
            <option value="3">P3 medium</option>
            <option value="4">P4 routine</option>
          </select>
        </label>
        <label>
          Capability area
          <select value={state.capabilityArea} onChange={(e) => set({ capabilityArea: e.target.value })}>
            <option value="">any</option>
            {AREAS.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </label>
        <label>
          Accepts group
          <GroupInput value={state.group} onChange={(v) => set({ group: v })} placeholder="155mm-he" />
        </label>
        <label>
          Needed from
          <input type="date" value={state.needByFrom} onChange={(e) => set({ needByFrom: e.target.value })} />
        </label>
        <label>
          Needed until
          <input type="date" value={state.needByTo} onChange={(e) => set({ needByTo: e.target.value })} />
        </label>
        <label className="grow">
          Search
          <input
            type="search"
            placeholder="title or id"
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              set({ q: e.target.value });
            }}
          />
        </label>
        {filtered && (
          <button
            type="button"
            className="link-button"
            onClick={() => {
              setText('');
              set({ status: '', priority: '', capabilityArea: '', group: '', needByFrom: '', needByTo: '', q: '' });
            }}
          >
            Clear filters
          </button>
        )}
      </form>
      {list.error && <FormError error={list.error} />}
      <div className="split">
        <div className="main">
          <DataTable
            caption="Requirements"
            rows={rows}
            rowKey={(r) => r.id}
            selectedKey={state.id || null}
            onRowClick={(r) => open(r.id)}
            onEndReached={more}
            sort={{ key: state.sort, order: state.order as 'asc' | 'desc' }}
            sortable={SORTS}
            onSort={(key) => set({ sort: key, order: state.sort === key && state.order === 'asc' ? 'desc' : 'asc' })}
            empty={list.isPending ? 'Loading…' : 'No requirement matches these filters.'}
            columns={[
              { key: 'id', label: 'Id', render: (r) => r.id, width: '86px' },
              { key: 'title', label: 'Need', render: (r) => r.title || r.accepts.join(', '), title: (r) => r.title, width: 'minmax(170px, 2.4fr)' },
              { key: 'capabilityArea', label: 'Area', render: (r) => r.capabilityArea, width: 'minmax(90px, 1fr)', drop: 1 },
              { key: 'priority', label: 'Priority', render: (r) => <PriorityBadge value={r.priority} />, width: '98px' },
              { key: 'quantity', label: 'Quantity', render: (r) => fmt(r.quantity), align: 'right', width: '92px', drop: 2 },
              { key: 'needBy', label: 'Need by', render: (r) => r.needBy, width: '96px' },
              { key: 'status', label: 'Status', render: (r) => <Status value={r.status} />, width: '124px' },
            ]}
          />
          <LoadMore list={list} shown={rows.length} />
        </div>
        {state.mode === 'new' && <RequirementForm onDone={(id) => open(id ?? null)} />}
        {state.id && state.mode === 'edit' && <EditRequirement id={state.id} onDone={() => open(state.id)} />}
        {state.id && state.mode !== 'edit' && state.mode !== 'new' && <RequirementDetail id={state.id} onClose={() => open(null)} onEdit={() => open(state.id, 'edit')} />}
      </div>
    </section>
  );
}

function useRequirement(id: string) {
  return useQuery({ queryKey: ['requirements:one', id], retry: false, queryFn: () => api<Requirement>(`/requirements/${encodeURIComponent(id)}`) });
}

function RequirementDetail({ id, onClose, onEdit }: { id: string; onClose: () => void; onEdit: () => void }) {
  const me = useMe();
  const detail = useRequirement(id);
  const move = useLifecycle('requirements', id, detail.data?.version);
  const r = detail.data;
  const writable = mayWrite(me, 'requirement');
  return (
    <Panel title={id} label={`Requirement ${id}`} onClose={onClose}>
      {detail.error && <FormError error={detail.error} />}
      {r && (
        <>
          <p className="lead">{r.title || r.accepts.join(', ')}</p>
          <dl>
            <dt>Status</dt>
            <dd>
              <Status value={r.status} />
            </dd>
            <dt>Priority</dt>
            <dd>
              <PriorityBadge value={r.priority} />
            </dd>
            <dt>Quantity</dt>
            <dd>{fmt(r.quantity)}</dd>
            <dt>Need by</dt>
            <dd>{r.needBy}</dd>
            <dt>Item</dt>
            <dd>{r.itemCode ?? '—'}</dd>
            <dt>Accepts</dt>
            <dd>
              {r.accepts.map((g) => (
                <Link key={g} to={href('/pledges', { group: g })} title={`Pledges of ${g}`}>
                  {g}
                </Link>
              ))}
            </dd>
            <dt>Area</dt>
            <dd>{r.capabilityArea}</dd>
            <dt>Intended uses</dt>
            <dd>{r.uses.join(', ') || '—'}</dd>
            {r.notes && (
              <>
                <dt>Notes</dt>
                <dd>{r.notes}</dd>
              </>
            )}
          </dl>
          <PledgedAgainst requirement={r} />
          <SupplyAgainst requirement={r} />
          {writable && (
            <>
              <h3>Lifecycle</h3>
              <LifecycleButtons allowed={r.allowedNext} move={move} />
              <div className="actions">
                <button type="button" onClick={onEdit} disabled={r.status === 'cancelled' || r.status === 'fulfilled'}>
                  Edit
                </button>
              </div>
            </>
          )}
          <History entity="requirement" id={id} />
        </>
      )}
    </Panel>
  );
}

/** Pledges that name a requirement (bilateral designation), from the pledge list: per accepted group, and funding. */
function useDesignatedPledges(requirement: Requirement) {
  const paths = [...requirement.accepts.map((g) => `/pledges?designated=true&group=${encodeURIComponent(g)}&limit=1000`), '/pledges?designated=true&kind=funding&limit=1000'];
  const pages = useQueries({ queries: paths.map((path) => ({ queryKey: ['pledges', 'designated', path], retry: false, staleTime: 30_000, queryFn: () => api<Page<Pledge>>(path) })) });
  const pending = pages.some((q) => q.isPending);
  const pledges = pages.flatMap((q) => q.data?.items ?? []).filter((p) => p.designatedTo === requirement.id);
  return { pending, pledges };
}

/**
 * What is pledged against a requirement: how much is still missing (the gaps report), the pledges designated to
 * it with their donors, and a way to add one. The plan's allocations follow in SupplyAgainst.
 */
function PledgedAgainst({ requirement }: { requirement: Requirement }) {
  const me = useMe();
  const gaps = useGaps();
  const gap = gaps.data?.gaps.find((g) => g.requirementId === requirement.id);
  const designated = useDesignatedPledges(requirement);
  const open = ['validated', 'partly-covered', 'covered'].includes(requirement.status);
  return (
    <section aria-label="Pledged against it">
      <h3>Pledged against it</h3>
      {gap ? (
        <p>
          Committed pledges cover {fmt(gap.committed)} of {fmt(requirement.quantity)} ({fmt(gap.delivered)} delivered):{' '}
          <strong>
            {fmt(gap.quantity)} short, {fmtMoney(gap.gapValue, gaps.data?.currency)}
          </strong>
          .
        </p>
      ) : gaps.data && open ? (
        <p>Committed pledges cover it in full.</p>
      ) : null}
      {designated.pending ? (
        <p className="loading">Loading designated pledges…</p>
      ) : designated.pledges.length === 0 ? (
        <p className="muted">No pledge is designated to it.</p>
      ) : (
        <PledgeTable label={`Pledges designated to ${requirement.id}`} offerHeader="Offer" pledges={designated.pledges} offer={(p) => (p.kind === 'funding' ? `${fmt(p.amount)} ${p.currency ?? ''}` : fmt(p.quantity))} />
      )}
      {requirement.accepts.map((g) => (
        <OpenPledgesOf key={g} group={g} />
      ))}
      {mayWrite(me, 'pledge') && open && (
        <div className="actions">
          <Link className="button primary" to={href('/pledges', { mode: 'new', item: requirement.itemCode ?? '', offerGroup: requirement.itemCode ? '' : requirement.accepts[0], for: requirement.id })}>
            Pledge against this need
          </Link>
        </div>
      )}
    </section>
  );
}

const OPEN_PLEDGES = 'announced,committed,contracted,delivering';

/** The largest open offers of a group a requirement accepts: who could supply it (the plan shares them out). */
function OpenPledgesOf({ group }: { group: string }) {
  const path = `/pledges?group=${encodeURIComponent(group)}&status=${OPEN_PLEDGES}&sort=quantity&order=desc&limit=5`;
  const page = useQuery({ queryKey: ['pledges', 'open-of-group', group], retry: false, staleTime: 30_000, queryFn: () => api<Page<Pledge>>(path) });
  const all = href('/pledges', { group, status: OPEN_PLEDGES });
  if (page.isPending) return <p className="loading">Loading pledges of {group}…</p>;
  const items = page.data?.items ?? [];
  return (
    <>
      <p className="muted">
        {items.length === 0 ? `No open pledge of ${group}.` : `Largest open pledges of ${group}, which the plan shares among the needs accepting it:`}
      </p>
      {items.length > 0 && (
        <PledgeTable label={`Open pledges of ${group}`} offerHeader="Units" pledges={items} offer={(p) => fmt(p.quantity)} />
      )}
      {page.data?.nextCursor && (
        <p>
          <Link to={all}>All open pledges of {group} →</Link>
        </p>
      )}
    </>
  );
}

/** A short table of pledges, each linked to its detail, with its offer as `offer` words it. */
function PledgeTable({ label, offerHeader, pledges, offer }: { label: string; offerHeader: string; pledges: Pledge[]; offer: (p: Pledge) => string }) {
  return (
    <table className="mini" aria-label={label}>
      <thead>
        <tr>
          <th>Pledge</th>
          <th>Donor</th>
          <th className="num">{offerHeader}</th>
          <th>Status</th>
        </tr>
      </thead>
      <tbody>
        {pledges.map((p) => (
          <tr key={p.id}>
            <td>
              <Link to={href('/pledges', { id: p.id })}>{p.id}</Link>
            </td>
            <td>{p.donor}</td>
            <td className="num">{offer(p)}</td>
            <td>
              <Status value={p.status} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Who supplies a requirement in the current plan, and what is still missing and why. */
function SupplyAgainst({ requirement }: { requirement: Requirement }) {
  const { summary, plan } = useLatestPlan();
  const lines = useMemo(() => (plan.data?.allocations ?? []).filter((a) => a.requirementId === requirement.id), [plan.data, requirement.id]);
  const unmet = plan.data?.unmet.find((u) => u.requirementId === requirement.id);
  const pledgeIds = [...new Set(lines.map((l) => l.pledgeId))].slice(0, 30);
  const pledges = useQueries({ queries: pledgeIds.map((pid) => ({ queryKey: ['pledges:one', pid], retry: false, queryFn: () => api<Pledge>(`/pledges/${encodeURIComponent(pid)}`) })) });
  const donorOf = new Map(pledges.flatMap((q) => (q.data ? [[q.data.id, q.data.donor] as const] : [])));
  if (!summary) return <p className="muted">No plan yet: run one to see who supplies this need.</p>;
  if (!plan.data) return <p className="loading">Loading the plan…</p>;
  const planned = lines.reduce((s, l) => s + l.quantity, 0);
  return (
    <section aria-label="Supply in the current plan">
      <h3>
        Supply in <Link to={href('/plan', { find: requirement.id })}>{plan.data.id}</Link>
      </h3>
      <p>
        {fmt(planned)} of {fmt(requirement.quantity)} planned
        {unmet ? (
          <>
            ; <strong>{fmt(unmet.quantity)} short</strong> (<span title={REASONS[unmet.reason]}>{reasonLabel(unmet.reason)}</span>)
          </>
        ) : (
          ''
        )}
        .
      </p>
      {lines.length > 0 && (
        <table className="mini">
          <thead>
            <tr>
              <th>Donor</th>
              <th>Tranche</th>
              <th className="num">Units</th>
              <th className="num">Days late</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((l) => (
              <tr key={l.trancheId}>
                <td>{donorOf.get(l.pledgeId) ?? '…'}</td>
                <td>
                  <Link to={href('/pledges', { id: l.pledgeId })}>{l.trancheId}</Link>
                  {l.recommendation ? ' (advice)' : ''}
                </td>
                <td className="num">{fmt(l.quantity)}</td>
                <td className="num">{fmt(l.lateDays)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function EditRequirement({ id, onDone }: { id: string; onDone: () => void }) {
  const detail = useRequirement(id);
  if (!detail.data) return null;
  return <RequirementForm existing={detail.data} onDone={onDone} />;
}

const splitList = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** Create a requirement, or edit one (only the fields that changed are sent, with its version). */
function RequirementForm({ existing, onDone }: { existing?: Requirement; onDone: (id?: string) => void }) {
  const client = useQueryClient();
  const initial = {
    title: existing?.title ?? '',
    itemCode: existing?.itemCode ?? '',
    accepts: existing ? existing.accepts.join(', ') : '',
    quantity: existing ? String(existing.quantity) : '',
    priority: String(existing?.priority ?? 2),
    needBy: existing?.needBy ?? '',
    uses: existing?.uses.join(', ') ?? '',
    notes: existing?.notes ?? '',
  };
  const [form, setForm] = useState(initial);
  const body = (status?: 'draft' | 'submitted') => {
    const full = {
      title: form.title,
      itemCode: form.itemCode.trim() || null,
      accepts: form.accepts.trim() ? splitList(form.accepts) : undefined,
      quantity: Number(form.quantity.replace(/[\s,]/g, '')),
      priority: Number(form.priority) as 1 | 2 | 3 | 4,
      needBy: form.needBy,
      uses: splitList(form.uses),
      notes: form.notes,
    };
    if (!existing) return { ...full, ...(full.itemCode ? {} : { itemCode: undefined }), status };
    const patch: RequirementUpdate = {};
    for (const k of Object.keys(initial) as (keyof typeof initial)[]) {
      if (form[k] === initial[k]) continue;
      if (k === 'accepts') {
        if (full.accepts) patch.accepts = full.accepts;
      } else (patch as Record<string, unknown>)[k] = full[k];
    }
    return patch;
  };
  const save = useMutation({
    mutationFn: (status?: 'draft' | 'submitted') =>
      existing
        ? api<Requirement>(`/requirements/${encodeURIComponent(existing.id)}`, { method: 'PATCH', body: body(), version: existing.version })
        : api<Requirement>('/requirements', { method: 'POST', body: body(status) }),
    onSuccess: (r) => {
      void client.invalidateQueries({ queryKey: ['requirements'] });
      client.setQueryData(['requirements:one', r.id], r);
      void client.invalidateQueries({ queryKey: ['history', 'requirement', r.id] });
      onDone(r.id);
    },
  });
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  const err = save.error;
  const title = existing ? `Edit ${existing.id}` : 'New requirement';
  return (
    <Panel title={title} label={title} onClose={() => onDone(existing?.id)}>
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const submitter = (e.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
          save.mutate(submitter?.value === 'draft' ? 'draft' : 'submitted');
        }}
      >
        <Field label="Title" field="title" error={err}>
          {(p) => <input {...p} value={form.title} onChange={set('title')} placeholder="155 mm HE for the eastern front" />}
        </Field>
        <Field label="Item code" field="itemCode" error={err} hint="A catalog item; its interchangeability group is accepted">
          {(p) => <ItemCodeInput {...p} value={form.itemCode} onChange={(v) => setForm({ ...form, itemCode: v })} placeholder="155mm-he-m795" />}
        </Field>
        <Field label="Accepted groups (comma-separated)" field="accepts" error={err} hint="Leave empty to accept the item’s group">
          {(p) => <input {...p} value={form.accepts} onChange={set('accepts')} placeholder="155mm-he" />}
        </Field>
        <div className="row2">
          <Field label="Quantity" field="quantity" error={err}>
            {(p) => <input {...p} inputMode="numeric" value={form.quantity} onChange={set('quantity')} />}
          </Field>
          <Field label="Priority" field="priority" error={err}>
            {(p) => (
              <select {...p} value={form.priority} onChange={set('priority')}>
                <option value="1">P1 critical</option>
                <option value="2">P2 high</option>
                <option value="3">P3 medium</option>
                <option value="4">P4 routine</option>
              </select>
            )}
          </Field>
        </div>
        <Field label="Need by" field="needBy" error={err}>
          {(p) => <input {...p} type="date" value={form.needBy} onChange={set('needBy')} />}
        </Field>
        <Field label="Intended uses (comma-separated)" field="uses" error={err} hint="Donors’ caveats may forbid some uses, e.g. cross-border">
          {(p) => <input {...p} value={form.uses} onChange={set('uses')} placeholder="cross-border" />}
        </Field>
        <Field label="Notes" field="notes" error={err}>
          {(p) => <textarea {...p} rows={2} value={form.notes} onChange={set('notes')} />}
        </Field>
        <div className="actions">
          {existing ? (
            <button type="submit" className="primary" disabled={save.isPending}>
              Save changes
            </button>
          ) : (
            <>
              <button type="submit" className="primary" value="submitted" disabled={save.isPending}>
                Create requirement
              </button>
              <button type="submit" value="draft" disabled={save.isPending}>
                Save as draft
              </button>
            </>
          )}
          <button type="button" onClick={() => onDone(existing?.id)}>
            Cancel
          </button>
        </div>
        <FormError error={err} shown={['title', 'itemCode', 'accepts', 'quantity', 'priority', 'needBy', 'uses', 'notes']} />
      </form>
    </Panel>
  );
}
