import { useMemo, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Pledge, PledgeUpdate } from '../../../src/contracts/pledges.ts';
import type { MeetingPage } from '../../../src/contracts/meetings.ts';
import { api } from '../api-client.ts';
import { History, LifecycleButtons, LoadMore, Panel, useLifecycle, usePagedList } from '../components/paged-list.tsx';
import { DataTable } from '../components/data-table.tsx';
import { Status, fmt } from '../components/status.tsx';
import { Field, FormError } from '../components/form-error.tsx';
import { GroupInput, ItemCodeInput, NationInput } from '../components/pickers.tsx';
import { TrancheEditor, num, type TrancheDraft } from '../components/tranche-editor.tsx';
import { useLatestPlan } from './plan-data.ts';
import { AREAS, COMMITTED, PLEDGE_CHANNELS, PLEDGE_KINDS, PLEDGE_STATUSES, mayWrite } from '../vocabulary.ts';
import { Link, href, useQueryState } from '../router.tsx';
import { useMe } from '../session.tsx';

const SORTS = ['announcedOn', 'quantity', 'id'] as const;
const FILTERS = { donor: '', status: '', kind: '', channel: '', capabilityArea: '', group: '', announcedFrom: '', announcedTo: '', designated: '', meeting: '', sort: 'announcedOn', order: 'desc', id: '', mode: '', item: '', offerGroup: '', for: '' };
/** Keys of the page's address that are not list filters: the open record, the form, and a new pledge's prefill. */
const PAGE_KEYS = ['sort', 'order', 'id', 'mode', 'item', 'offerGroup', 'for'];
/** Statuses in which a pledge's terms and tranches may still change. */
const EDITABLE = new Set(['announced', 'committed']);

const offer = (p: Pledge) => (p.kind === 'funding' ? `${fmt(p.amount)} ${p.currency ?? ''}` : p.itemCode ?? p.group ?? '—');

/** Donors' offers: filtered, sorted and paged on the server; detail with tranches edited in place and lifecycle. */
export function PledgesScene() {
  const me = useMe();
  const [state, set] = useQueryState(FILTERS);
  const params = { ...state, id: undefined, mode: undefined, item: undefined, offerGroup: undefined, for: undefined };
  const { list, rows, more } = usePagedList<Pledge>('pledges', params);
  const filtered = Object.keys(FILTERS).some((k) => !PAGE_KEYS.includes(k) && state[k as keyof typeof FILTERS]);
  const open = (id: string | null, mode = '') => set({ id: id ?? '', mode, item: '', offerGroup: '', for: '' });
  return (
    <section className="scene">
      <header className="scene-head">
        <div>
          <h1>Pledges</h1>
          <p className="sub">Donors’ offer lines with their tranches. Select a line to edit its tranches, move it along its lifecycle or see where the plan sends it.</p>
        </div>
        {mayWrite(me, 'pledge') && (
          <button type="button" className="primary" onClick={() => open(null, 'new')}>
            New pledge
          </button>
        )}
      </header>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()} aria-label="Filter pledges">
        <label>
          Donor
          <NationInput value={state.donor} onChange={(v) => (v.length === 0 || v.length === 3 ? set({ donor: v }) : undefined)} placeholder="DEU" />
        </label>
        <label>
          Status
          <select value={state.status} onChange={(e) => set({ status: e.target.value })}>
            <option value="">any</option>
            <option value={COMMITTED}>committed or later</option>
            {PLEDGE_STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Kind
          <select value={state.kind} onChange={(e) => set({ kind: e.target.value })}>
            <option value="">any</option>
            {PLEDGE_KINDS.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Channel
          <select value={state.channel} onChange={(e) => set({ channel: e.target.value })}>
            <option value="">any</option>
            {PLEDGE_CHANNELS.map((s) => (
              <option key={s}>{s}</option>
            ))}
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
          Group
          <GroupInput value={state.group} onChange={(v) => set({ group: v })} placeholder="155mm-he" />
        </label>
        <label>
          Announced from
          <input type="date" value={state.announcedFrom} onChange={(e) => set({ announcedFrom: e.target.value })} />
        </label>
        <label>
          Announced until
          <input type="date" value={state.announcedTo} onChange={(e) => set({ announcedTo: e.target.value })} />
        </label>
        <label>
          Designated
          <select value={state.designated} onChange={(e) => set({ designated: e.target.value })}>
            <option value="">any</option>
            <option value="true">to a requirement</option>
            <option value="false">not designated</option>
          </select>
        </label>
        {state.meeting && (
          <span className="chip">
            Meeting {state.meeting}{' '}
            <button type="button" className="icon" aria-label="Remove the meeting filter" onClick={() => set({ meeting: '' })}>
              ×
            </button>
          </span>
        )}
        {filtered && (
          <button type="button" className="link-button" onClick={() => set(Object.fromEntries(Object.keys(FILTERS).filter((k) => !PAGE_KEYS.includes(k)).map((k) => [k, ''])))}>
            Clear filters
          </button>
        )}
      </form>
      {list.error && <FormError error={list.error} />}
      <div className="split">
        <div className="main">
          <DataTable
            caption="Pledges"
            rows={rows}
            rowKey={(p) => p.id}
            selectedKey={state.id || null}
            onRowClick={(p) => open(p.id)}
            onEndReached={more}
            sort={{ key: state.sort, order: state.order as 'asc' | 'desc' }}
            sortable={SORTS}
            onSort={(key) => set({ sort: key, order: state.sort === key && state.order === 'asc' ? 'desc' : 'asc' })}
            empty={list.isPending ? 'Loading…' : 'No pledge matches these filters.'}
            columns={[
              { key: 'id', label: 'Id', render: (p) => p.id, width: '88px' },
              { key: 'donor', label: 'Donor', render: (p) => p.donor, width: '58px' },
              { key: 'kind', label: 'Kind', render: (p) => p.kind, width: '92px', drop: 2 },
              { key: 'channel', label: 'Channel', render: (p) => p.channel, width: '94px', drop: 1 },
              { key: 'offer', label: 'Offer', render: offer, title: offer, width: 'minmax(120px, 1.6fr)' },
              { key: 'quantity', label: 'Quantity', render: (p) => fmt(p.quantity), align: 'right', width: '92px' },
              { key: 'announcedOn', label: 'Announced', render: (p) => p.announcedOn, width: '100px' },
              { key: 'status', label: 'Status', render: (p) => <Status value={p.status} />, width: '112px' },
            ]}
          />
          <LoadMore list={list} shown={rows.length} />
        </div>
        {state.mode === 'new' && <PledgeForm key={`${state.item}|${state.offerGroup}|${state.for}`} prefill={{ itemCode: state.item, group: state.offerGroup, designatedTo: state.for }} onDone={(id) => open(id ?? null)} />}
        {state.id && state.mode === 'edit' && <EditPledge id={state.id} onDone={() => open(state.id)} />}
        {state.id && state.mode !== 'edit' && state.mode !== 'new' && <PledgeDetail id={state.id} onClose={() => open(null)} onEdit={() => open(state.id, 'edit')} />}
      </div>
    </section>
  );
}

function usePledge(id: string) {
  return useQuery({ queryKey: ['pledges:one', id], retry: false, queryFn: () => api<Pledge>(`/pledges/${encodeURIComponent(id)}`) });
}

const draftsOf = (p: Pledge): TrancheDraft[] => p.tranches.map((t) => ({ value: String(p.kind === 'funding' ? t.amount ?? '' : t.quantity ?? ''), expectedOn: t.expectedOn }));

/** The body that replaces a pledge's tranches, keeping its total equal to their sum. */
function tranchesBody(kind: string, rows: TrancheDraft[]) {
  const funding = kind === 'funding';
  const tranches = rows.map((t) => (funding ? { amount: num(t.value), expectedOn: t.expectedOn } : { quantity: num(t.value), expectedOn: t.expectedOn }));
  const total = rows.reduce((s, t) => s + (num(t.value) || 0), 0);
  return funding ? { tranches, amount: total } : { tranches, quantity: total };
}

function PledgeDetail({ id, onClose, onEdit }: { id: string; onClose: () => void; onEdit: () => void }) {
  const me = useMe();
  const client = useQueryClient();
  const detail = usePledge(id);
  const move = useLifecycle('pledges', id, detail.data?.version);
  const p = detail.data;
  const [drafts, setDrafts] = useState<TrancheDraft[] | null>(null);
  const saveTranches = useMutation({
    mutationFn: () => api<Pledge>(`/pledges/${encodeURIComponent(id)}`, { method: 'PATCH', body: tranchesBody(p!.kind, drafts!), version: p!.version }),
    onSuccess: (updated) => {
      client.setQueryData(['pledges:one', id], updated);
      void client.invalidateQueries({ queryKey: ['pledges'] });
      void client.invalidateQueries({ queryKey: ['history', 'pledge', id] });
      setDrafts(null);
    },
  });
  const writable = mayWrite(me, 'pledge') && (me?.role !== 'donor' || me.nation === p?.donor);
  const editable = writable && p !== undefined && EDITABLE.has(p.status);
  return (
    <Panel title={id} label={`Pledge ${id}`} onClose={onClose}>
      {detail.error && <FormError error={detail.error} />}
      {p && (
        <>
          <p className="lead">
            {p.donor}: {p.kind === 'funding' ? `${fmt(p.amount)} ${p.currency ?? ''}` : `${fmt(p.quantity)} × ${p.itemCode ?? p.group}`}
          </p>
          <dl>
            <dt>Status</dt>
            <dd>
              <Status value={p.status} />
            </dd>
            <dt>Kind</dt>
            <dd>
              {p.kind}, {p.channel}
            </dd>
            <dt>Horizon</dt>
            <dd>
              {p.horizon}
              {p.years.length ? ` (${p.years.join(', ')})` : ''}
            </dd>
            {p.group && (
              <>
                <dt>Group</dt>
                <dd>
                  <Link to={href('/requirements', { group: p.group, status: 'validated,partly-covered,covered' })} title={`Open requirements accepting ${p.group}`}>
                    {p.group}
                  </Link>{' '}
                  ({p.capabilityArea})
                </dd>
              </>
            )}
            {p.kind !== 'funding' && p.amount !== null && (
              <>
                <dt>Declared value</dt>
                <dd>
                  {fmt(p.amount)} {p.currency}
                </dd>
              </>
            )}
            <dt>Caveats</dt>
            <dd>{p.forbids.length ? `forbids ${p.forbids.join(', ')}` : 'none'}</dd>
            <dt>Designated to</dt>
            <dd>{p.designatedTo ? <Link to={href('/requirements', { id: p.designatedTo })}>{p.designatedTo}</Link> : '—'}</dd>
            <dt>Announced</dt>
            <dd>
              {p.announcedOn}
              {p.meetingId ? (
                <>
                  {' '}
                  at <Link to={href('/meetings', { id: p.meetingId })}>{p.meetingId}</Link>
                </>
              ) : null}
            </dd>
            <dt>Visible to</dt>
            <dd>{p.releasability.join('; ')}</dd>
            {p.notes && (
              <>
                <dt>Notes</dt>
                <dd>{p.notes}</dd>
              </>
            )}
          </dl>
          <h3>Tranches</h3>
          {drafts ? (
            <form
              className="form"
              aria-label="Edit tranches"
              onSubmit={(e) => {
                e.preventDefault();
                saveTranches.mutate();
              }}
            >
              <TrancheEditor rows={drafts} onChange={setDrafts} funding={p.kind === 'funding'} error={saveTranches.error} currency={p.currency ?? undefined} />
              <div className="actions">
                <button type="submit" className="primary" disabled={saveTranches.isPending}>
                  Save tranches
                </button>
                <button type="button" onClick={() => setDrafts(null)}>
                  Cancel
                </button>
              </div>
              <FormError error={saveTranches.error} shown={['tranches']} />
            </form>
          ) : (
            <>
              <table className="mini">
                <thead>
                  <tr>
                    <th>
                      <abbr title="Tranche">#</abbr>
                    </th>
                    <th className="num">{p.kind === 'funding' ? 'Amount' : 'Quantity'}</th>
                    <th>Expected</th>
                    <th className="num">Shipped</th>
                    <th className="num">Received</th>
                  </tr>
                </thead>
                <tbody>
                  {p.tranches.map((t) => (
                    <tr key={t.id}>
                      <td title={t.id}>{t.id.slice(p.id.length + 1)}</td>
                      <td className="num">{fmt(t.quantity ?? t.amount)}</td>
                      <td className="date">{t.expectedOn}</td>
                      <td className="num">{fmt(t.deliveredQuantity)}</td>
                      <td className="num">{fmt(t.receivedQuantity)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {editable && (
                <div className="actions">
                  <button type="button" onClick={() => setDrafts(draftsOf(p))}>
                    Edit tranches
                  </button>
                  <button type="button" onClick={onEdit}>
                    Edit pledge
                  </button>
                </div>
              )}
            </>
          )}
          {writable && <LifecycleButtons allowed={p.allowedNext} move={move} />}
          <PledgeInPlan pledge={p} />
          <History entity="pledge" id={id} />
        </>
      )}
    </Panel>
  );
}

/** Where the current plan sends a pledge's tranches. */
function PledgeInPlan({ pledge }: { pledge: Pledge }) {
  const { summary, plan } = useLatestPlan();
  const lines = useMemo(() => (plan.data?.allocations ?? []).filter((a) => a.pledgeId === pledge.id), [plan.data, pledge.id]);
  if (!summary || pledge.kind === 'funding') return null;
  if (!plan.data) return <p className="loading">Loading the plan…</p>;
  return (
    <section aria-label="In the current plan">
      <h3>
        In <Link to={href('/plan', { find: pledge.id, view: 'pledge' })}>{plan.data.id}</Link>
      </h3>
      {lines.length === 0 ? (
        <p className="muted">Not allocated{['announced', 'withdrawn'].includes(pledge.status) ? ` (only committed pledges are planned; this one is ${pledge.status})` : summary.createdAt < pledge.updatedAt ? ' (changed since the plan ran)' : ''}.</p>
      ) : (
        <table className="mini">
          <thead>
            <tr>
              <th>Tranche</th>
              <th>Requirement</th>
              <th className="num">Units</th>
              <th className="num">Days late</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((l) => (
              <tr key={`${l.trancheId}|${l.requirementId}`}>
                <td>{l.trancheId}</td>
                <td>
                  <Link to={href('/requirements', { id: l.requirementId })}>{l.requirementId}</Link>
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

function EditPledge({ id, onDone }: { id: string; onDone: () => void }) {
  const detail = usePledge(id);
  if (!detail.data) return null;
  return <PledgeForm existing={detail.data} onDone={onDone} />;
}

const splitList = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** Create a pledge with its tranches, or edit its terms (only the fields that changed are sent). */
function PledgeForm({ existing, prefill, onDone }: { existing?: Pledge; prefill?: { itemCode: string; group: string; designatedTo: string }; onDone: (id?: string) => void }) {
  const me = useMe();
  const client = useQueryClient();
  const ownNation = me?.role === 'donor' ? me.nation ?? '' : '';
  const meetings = useQuery({ queryKey: ['meetings', 'recent'], staleTime: 300_000, queryFn: () => api<MeetingPage>('/meetings?limit=30&order=desc') });
  const initial = {
    donor: existing?.donor ?? ownNation,
    kind: existing?.kind ?? 'in-kind',
    channel: existing?.channel ?? 'coordinated',
    itemCode: existing?.itemCode ?? prefill?.itemCode ?? '',
    // A group alone (no item named) is an offer of any item of it; with an item the server derives the group.
    group: existing ? (existing.itemCode ? '' : existing.group ?? '') : prefill?.group ?? '',
    amount: existing?.amount != null ? String(existing.amount) : '',
    currency: existing?.currency ?? 'EUR',
    horizon: existing?.horizon ?? 'one-off',
    years: existing?.years.join(', ') ?? '',
    announcedOn: existing?.announcedOn ?? new Date().toISOString().slice(0, 10),
    forbids: existing?.forbids.join(', ') ?? '',
    designatedTo: existing?.designatedTo ?? prefill?.designatedTo ?? '',
    meetingId: existing?.meetingId ?? '',
    notes: existing?.notes ?? '',
  };
  const [form, setForm] = useState(initial);
  const [tranches, setTranches] = useState<TrancheDraft[]>(existing ? draftsOf(existing) : [{ value: '', expectedOn: '' }]);
  const funding = form.kind === 'funding';
  const body = () => {
    const years = splitList(form.years).map(Number);
    if (existing) {
      const patch: PledgeUpdate & Record<string, unknown> = {};
      if (form.channel !== initial.channel) patch.channel = form.channel as Pledge['channel'];
      if (form.itemCode !== initial.itemCode) patch.itemCode = form.itemCode || null;
      if (form.group !== initial.group && !form.itemCode) patch.group = form.group || null;
      if (form.horizon !== initial.horizon) patch.horizon = form.horizon as Pledge['horizon'];
      if (form.years !== initial.years) patch.years = years;
      if (form.announcedOn !== initial.announcedOn) patch.announcedOn = form.announcedOn;
      if (form.forbids !== initial.forbids) patch.forbids = splitList(form.forbids);
      if (form.designatedTo !== initial.designatedTo) patch.designatedTo = form.designatedTo || null;
      if (form.meetingId !== initial.meetingId) patch.meetingId = form.meetingId || null;
      if (form.notes !== initial.notes) patch.notes = form.notes;
      if (funding && (form.currency !== initial.currency)) patch.currency = form.currency;
      return patch;
    }
    const totalOf = tranchesBody(form.kind, tranches);
    return {
      donor: form.donor,
      kind: form.kind,
      channel: form.channel,
      ...(funding ? { currency: form.currency } : { itemCode: form.itemCode || undefined, group: form.itemCode ? undefined : form.group || undefined }),
      ...(!funding && form.amount ? { amount: num(form.amount), currency: form.currency } : {}),
      horizon: form.horizon,
      ...(form.horizon === 'multi-year' ? { years } : {}),
      announcedOn: form.announcedOn,
      forbids: splitList(form.forbids),
      designatedTo: form.designatedTo || null,
      meetingId: form.meetingId || null,
      notes: form.notes,
      ...totalOf,
    };
  };
  const save = useMutation({
    mutationFn: () =>
      existing
        ? api<Pledge>(`/pledges/${encodeURIComponent(existing.id)}`, { method: 'PATCH', body: body(), version: existing.version })
        : api<Pledge>('/pledges', { method: 'POST', body: body() }),
    onSuccess: (p) => {
      void client.invalidateQueries({ queryKey: ['pledges'] });
      client.setQueryData(['pledges:one', p.id], p);
      void client.invalidateQueries({ queryKey: ['history', 'pledge', p.id] });
      onDone(p.id);
    },
  });
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  const err = save.error;
  const title = existing ? `Edit ${existing.id}` : 'New pledge';
  return (
    <Panel title={title} label={title} onClose={() => onDone(existing?.id)} wide>
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <div className="row2">
          <Field label="Donor (ISO code)" field="donor" error={err}>
            {(p) => <NationInput {...p} value={form.donor} onChange={(v) => setForm({ ...form, donor: v })} placeholder="DEU" />}
          </Field>
          <Field label="Announced on" field="announcedOn" error={err}>
            {(p) => <input {...p} type="date" value={form.announcedOn} onChange={set('announcedOn')} />}
          </Field>
        </div>
        <div className="row2">
          <Field label="Kind" field="kind" error={err}>
            {(p) => (
              <select {...p} value={form.kind} onChange={set('kind')} disabled={Boolean(existing)}>
                {PLEDGE_KINDS.map((k) => (
                  <option key={k}>{k}</option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Channel" field="channel" error={err}>
            {(p) => (
              <select {...p} value={form.channel} onChange={set('channel')}>
                {PLEDGE_CHANNELS.map((k) => (
                  <option key={k}>{k}</option>
                ))}
              </select>
            )}
          </Field>
        </div>
        {!funding && (
          <div className="row2">
            <Field label="Item code" field="itemCode" error={err} hint="The catalog item offered; its group is what the plan matches">
              {(p) => <ItemCodeInput {...p} value={form.itemCode} onChange={(v) => setForm({ ...form, itemCode: v })} placeholder="155mm-he-m795" />}
            </Field>
            <Field label="or a group" field="group" error={err} hint="Any item of this group (leave empty when an item is named)">
              {(p) => <GroupInput {...p} value={form.itemCode ? '' : form.group} onChange={(v) => setForm({ ...form, group: v })} placeholder="155mm-he" disabled={Boolean(form.itemCode)} />}
            </Field>
          </div>
        )}
        {(funding || !existing) && (
          <div className="row2">
            {!existing && (
              <Field label={funding ? 'Amount (from the tranches)' : 'Declared value (optional)'} field="amount" error={err}>
                {(p) => <input {...p} inputMode="decimal" value={funding ? String(tranches.reduce((s, t) => s + (num(t.value) || 0), 0)) : form.amount} readOnly={funding} onChange={set('amount')} />}
              </Field>
            )}
            <Field label="Currency" field="currency" error={err}>
              {(p) => <input {...p} value={form.currency} onChange={(e) => setForm({ ...form, currency: e.target.value.toUpperCase() })} maxLength={3} size={5} />}
            </Field>
          </div>
        )}
        <div className="row2">
          <Field label="Horizon" field="horizon" error={err}>
            {(p) => (
              <select {...p} value={form.horizon} onChange={set('horizon')}>
                <option>one-off</option>
                <option>multi-year</option>
              </select>
            )}
          </Field>
          {form.horizon === 'multi-year' && (
            <Field label="Years (comma-separated)" field="years" error={err}>
              {(p) => <input {...p} value={form.years} onChange={set('years')} placeholder="2026, 2027" />}
            </Field>
          )}
        </div>
        <Field label="Caveats: forbidden uses (comma-separated)" field="forbids" error={err}>
          {(p) => <input {...p} value={form.forbids} onChange={set('forbids')} placeholder="cross-border" />}
        </Field>
        <div className="row2">
          <Field label="Designated to requirement" field="designatedTo" error={err} hint={form.designatedTo ? `The plan gives this pledge to ${form.designatedTo} only; clear it to let the plan decide` : 'Bilateral arrangement the plan must respect'}>
            {(p) => <input {...p} value={form.designatedTo} onChange={set('designatedTo')} placeholder="R-000123" />}
          </Field>
          <Field label="Announced at meeting" field="meetingId" error={err}>
            {(p) => (
              <select {...p} value={form.meetingId} onChange={set('meetingId')}>
                <option value="">—</option>
                {meetings.data?.items.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.date} {m.title}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        {!existing && <TrancheEditor rows={tranches} onChange={setTranches} funding={funding} error={err} currency={form.currency} />}
        <Field label="Notes" field="notes" error={err}>
          {(p) => <textarea {...p} rows={2} value={form.notes} onChange={set('notes')} />}
        </Field>
        <div className="actions">
          <button type="submit" className="primary" disabled={save.isPending}>
            {existing ? 'Save changes' : 'Create pledge'}
          </button>
          <button type="button" onClick={() => onDone(existing?.id)}>
            Cancel
          </button>
        </div>
        {err ? <FormError error={err} shown={['donor', 'announcedOn', 'kind', 'channel', 'itemCode', 'group', 'amount', 'currency', 'horizon', 'years', 'forbids', 'designatedTo', 'meetingId', 'tranches', 'notes']} /> : null}
      </form>
    </Panel>
  );
}
