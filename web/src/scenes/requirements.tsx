import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Requirement } from '../../../src/contracts/requirements.ts';
import { api } from '../api-client.ts';
import { LifecycleButtons, LoadMore, Panel, useLifecycle, usePagedList } from '../components/paged-list.tsx';
import { DataTable } from '../components/data-table.tsx';
import { PriorityBadge, Status, fmt } from '../components/status.tsx';
import { FieldMessage, FormError } from '../components/form-error.tsx';

const AREAS = ['air-defence', 'artillery', 'ammunition', 'armour', 'aviation', 'drones', 'counter-drone', 'electronic-warfare', 'engineering-demining', 'medical', 'logistics', 'communications', 'training', 'sustainment'];
const STATUSES = ['draft', 'submitted', 'validated', 'partly-covered', 'covered', 'fulfilled', 'cancelled'];

/** The recipient's need lines: server-side filtered, sorted and paged; detail with lifecycle actions. */
export function RequirementsScene() {
  const [filters, setFilters] = useState({ status: '', priority: '', capabilityArea: '', q: '', needByFrom: '', needByTo: '' });
  const [sort, setSort] = useState<{ key: string; order: 'asc' | 'desc' }>({ key: 'needBy', order: 'asc' });
  const [selected, setSelected] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const { list, rows } = usePagedList<Requirement>('requirements', { ...filters, sort: sort.key, order: sort.order });
  const set = (k: keyof typeof filters) => (e: { target: { value: string } }) => setFilters({ ...filters, [k]: e.target.value });
  return (
    <section className="scene">
      <header className="scene-head">
        <h1>Requirements</h1>
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          New requirement
        </button>
      </header>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter requirements">
        <label>
          Status
          <select value={filters.status} onChange={set('status')}>
            <option value="">any</option>
            {STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Priority
          <select value={filters.priority} onChange={set('priority')}>
            <option value="">any</option>
            {[1, 2, 3, 4].map((p) => (
              <option key={p} value={p}>
                P{p}
              </option>
            ))}
          </select>
        </label>
        <label>
          Capability area
          <select value={filters.capabilityArea} onChange={set('capabilityArea')}>
            <option value="">any</option>
            {AREAS.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </label>
        <label>
          Needed from
          <input type="date" value={filters.needByFrom} onChange={set('needByFrom')} />
        </label>
        <label>
          to
          <input type="date" value={filters.needByTo} onChange={set('needByTo')} />
        </label>
        <label className="grow">
          Search
          <input type="search" placeholder="title or id" value={filters.q} onChange={set('q')} />
        </label>
      </form>
      {list.error && <FormError error={list.error} />}
      <div className="split">
        <div className="main">
          <DataTable
            caption="Requirements"
            rows={rows}
            rowKey={(r) => r.id}
            selectedKey={selected}
            onRowClick={(r) => setSelected(r.id)}
            sort={sort}
            sortable={['needBy', 'priority', 'quantity', 'id']}
            onSort={(key) => setSort({ key, order: sort.key === key && sort.order === 'asc' ? 'desc' : 'asc' })}
            columns={[
              { key: 'id', label: 'Id', render: (r) => r.id, width: '110px' },
              { key: 'title', label: 'Need', render: (r) => r.title || r.accepts.join(', '), width: '2.2fr' },
              { key: 'capabilityArea', label: 'Area', render: (r) => r.capabilityArea },
              { key: 'priority', label: 'Priority', render: (r) => <PriorityBadge value={r.priority} />, width: '110px' },
              { key: 'quantity', label: 'Quantity', render: (r) => fmt(r.quantity), align: 'right', width: '100px' },
              { key: 'needBy', label: 'Need by', render: (r) => r.needBy, width: '105px' },
              { key: 'status', label: 'Status', render: (r) => <Status value={r.status} />, width: '130px' },
            ]}
          />
          <LoadMore list={list} shown={rows.length} />
        </div>
        {selected && <RequirementDetail id={selected} onClose={() => setSelected(null)} />}
        {creating && <RequirementForm onDone={(id) => { setCreating(false); if (id) setSelected(id); }} />}
      </div>
    </section>
  );
}

function RequirementDetail({ id, onClose }: { id: string; onClose: () => void }) {
  const detail = useQuery({ queryKey: ['requirements:one', id], queryFn: () => api<Requirement>(`/requirements/${encodeURIComponent(id)}`) });
  const move = useLifecycle('requirements', id, detail.data?.version);
  const r = detail.data;
  return (
    <Panel title={id} label={`Requirement ${id}`} onClose={onClose}>
      {r && (
        <>
          <p className="lead">{r.title}</p>
          <dl>
            <dt>Accepts</dt>
            <dd>{r.accepts.join(', ')}</dd>
            <dt>Quantity</dt>
            <dd>{fmt(r.quantity)}</dd>
            <dt>Priority</dt>
            <dd>
              <PriorityBadge value={r.priority} />
            </dd>
            <dt>Need by</dt>
            <dd>{r.needBy}</dd>
            <dt>Uses</dt>
            <dd>{r.uses.join(', ') || '—'}</dd>
            <dt>Status</dt>
            <dd>
              <Status value={r.status} />
            </dd>
          </dl>
          <LifecycleButtons allowed={r.allowedNext} move={move} />
          <FormError error={move.error} />
        </>
      )}
    </Panel>
  );
}

function RequirementForm({ onDone }: { onDone: (id?: string) => void }) {
  const client = useQueryClient();
  const [form, setForm] = useState({ itemCode: '', quantity: '', priority: '2', needBy: '', uses: '', title: '' });
  const create = useMutation({
    mutationFn: () =>
      api<Requirement>('/requirements', {
        method: 'POST',
        body: {
          itemCode: form.itemCode,
          quantity: Number(form.quantity),
          priority: Number(form.priority),
          needBy: form.needBy,
          uses: form.uses ? form.uses.split(',').map((s) => s.trim()) : [],
          title: form.title,
          status: 'submitted',
        },
      }),
    onSuccess: (r) => {
      void client.invalidateQueries({ queryKey: ['requirements'] });
      onDone(r.id);
    },
  });
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  return (
    <Panel title="New requirement" label="New requirement" onClose={() => onDone()}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <label>
          Title
          <input value={form.title} onChange={set('title')} />
        </label>
        <label>
          Item code
          <input value={form.itemCode} onChange={set('itemCode')} placeholder="155mm-he-m795" required />
          <FieldMessage error={create.error} field="itemCode" />
        </label>
        <label>
          Quantity
          <input inputMode="numeric" value={form.quantity} onChange={set('quantity')} required />
          <FieldMessage error={create.error} field="quantity" />
        </label>
        <label>
          Priority
          <select value={form.priority} onChange={set('priority')}>
            <option value="1">P1 critical</option>
            <option value="2">P2 high</option>
            <option value="3">P3 medium</option>
            <option value="4">P4 routine</option>
          </select>
        </label>
        <label>
          Need by
          <input type="date" value={form.needBy} onChange={set('needBy')} required />
          <FieldMessage error={create.error} field="needBy" />
        </label>
        <label>
          Intended uses (comma-separated)
          <input value={form.uses} onChange={set('uses')} placeholder="cross-border" />
          <FieldMessage error={create.error} field="uses" />
        </label>
        <button type="submit" className="primary" disabled={create.isPending}>
          Create requirement
        </button>
        <FormError error={create.error} />
      </form>
    </Panel>
  );
}
