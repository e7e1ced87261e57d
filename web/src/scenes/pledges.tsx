import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Pledge } from '../../../src/contracts/pledges.ts';
import { api } from '../api-client.ts';
import { LifecycleButtons, LoadMore, Panel, useLifecycle, usePagedList } from '../components/paged-list.tsx';
import { DataTable } from '../components/data-table.tsx';
import { Status, fmt } from '../components/status.tsx';
import { FieldMessage, FormError } from '../components/form-error.tsx';

const STATUSES = ['announced', 'committed', 'contracted', 'delivering', 'delivered', 'withdrawn'];
const KINDS = ['in-kind', 'procurement', 'funding', 'training'];

/** Donors' offers: filtered, sorted and paged on the server; detail with tranches and lifecycle actions. */
export function PledgesScene() {
  const [filters, setFilters] = useState({ donor: '', status: '', kind: '', group: '' });
  const [sort, setSort] = useState<{ key: string; order: 'asc' | 'desc' }>({ key: 'announcedOn', order: 'desc' });
  const [selected, setSelected] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const { list, rows } = usePagedList<Pledge>('pledges', { ...filters, donor: filters.donor.toUpperCase(), sort: sort.key, order: sort.order });
  const set = (k: keyof typeof filters) => (e: { target: { value: string } }) => setFilters({ ...filters, [k]: e.target.value });
  return (
    <section className="scene">
      <header className="scene-head">
        <h1>Pledges</h1>
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          New pledge
        </button>
      </header>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter pledges">
        <label>
          Donor
          <input value={filters.donor} onChange={set('donor')} placeholder="DEU" maxLength={3} size={5} />
        </label>
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
          Kind
          <select value={filters.kind} onChange={set('kind')}>
            <option value="">any</option>
            {KINDS.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Group
          <input value={filters.group} onChange={set('group')} placeholder="155mm-he" />
        </label>
      </form>
      {list.error && <FormError error={list.error} />}
      <div className="split">
        <div className="main">
          <DataTable
            caption="Pledges"
            rows={rows}
            rowKey={(p) => p.id}
            selectedKey={selected}
            onRowClick={(p) => setSelected(p.id)}
            sort={sort}
            sortable={['announcedOn', 'quantity', 'id']}
            onSort={(key) => setSort({ key, order: sort.key === key && sort.order === 'asc' ? 'desc' : 'asc' })}
            columns={[
              { key: 'id', label: 'Id', render: (p) => p.id, width: '90px' },
              { key: 'donor', label: 'Donor', render: (p) => p.donor, width: '56px' },
              { key: 'kind', label: 'Kind', render: (p) => `${p.kind}, ${p.channel}`, width: 'minmax(120px, 1.3fr)' },
              { key: 'group', label: 'Group', render: (p) => p.group ?? `${fmt(p.amount)} ${p.currency ?? ''}`, width: 'minmax(110px, 1.2fr)' },
              { key: 'quantity', label: 'Quantity', render: (p) => fmt(p.quantity), align: 'right', width: '100px' },
              { key: 'announcedOn', label: 'Announced', render: (p) => p.announcedOn, width: '105px' },
              { key: 'status', label: 'Status', render: (p) => <Status value={p.status} />, width: '120px' },
            ]}
          />
          <LoadMore list={list} shown={rows.length} />
        </div>
        {selected && <PledgeDetail id={selected} onClose={() => setSelected(null)} />}
        {creating && <PledgeForm onDone={(id) => { setCreating(false); if (id) setSelected(id); }} />}
      </div>
    </section>
  );
}

function PledgeDetail({ id, onClose }: { id: string; onClose: () => void }) {
  const detail = useQuery({ queryKey: ['pledges:one', id], queryFn: () => api<Pledge>(`/pledges/${encodeURIComponent(id)}`) });
  const move = useLifecycle('pledges', id, detail.data?.version);
  const p = detail.data;
  return (
    <Panel title={id} label={`Pledge ${id}`} onClose={onClose}>
      {p && (
        <>
          <dl>
            <dt>Donor</dt>
            <dd>{p.donor}</dd>
            <dt>Kind</dt>
            <dd>
              {p.kind}, {p.channel}, {p.horizon}
            </dd>
            <dt>Offer</dt>
            <dd>{p.group ? `${fmt(p.quantity)} × ${p.itemCode ?? p.group}` : `${fmt(p.amount)} ${p.currency}`}</dd>
            <dt>Caveats</dt>
            <dd>{p.forbids.join(', ') || 'none'}</dd>
            <dt>Designated to</dt>
            <dd>{p.designatedTo ?? '—'}</dd>
            <dt>Status</dt>
            <dd>
              <Status value={p.status} />
            </dd>
          </dl>
          <h3>Tranches</h3>
          <table className="mini">
            <thead>
              <tr>
                <th>Tranche</th>
                <th className="num">Quantity</th>
                <th>Expected</th>
                <th className="num">Shipped</th>
                <th className="num">Received</th>
              </tr>
            </thead>
            <tbody>
              {p.tranches.map((t) => (
                <tr key={t.id}>
                  <td>{t.id}</td>
                  <td className="num">{fmt(t.quantity ?? t.amount)}</td>
                  <td>{t.expectedOn}</td>
                  <td className="num">{fmt(t.deliveredQuantity)}</td>
                  <td className="num">{fmt(t.receivedQuantity)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <LifecycleButtons allowed={p.allowedNext} move={move} />
          <FormError error={move.error} />
        </>
      )}
    </Panel>
  );
}

function PledgeForm({ onDone }: { onDone: (id?: string) => void }) {
  const client = useQueryClient();
  const [form, setForm] = useState({ donor: '', kind: 'in-kind', channel: 'coordinated', itemCode: '', announcedOn: new Date().toISOString().slice(0, 10), forbids: '' });
  const [tranches, setTranches] = useState([{ quantity: '', expectedOn: '' }]);
  const total = tranches.reduce((s, t) => s + (Number(t.quantity) || 0), 0);
  const create = useMutation({
    mutationFn: () =>
      api<Pledge>('/pledges', {
        method: 'POST',
        body: {
          donor: form.donor.toUpperCase(),
          kind: form.kind,
          channel: form.channel,
          itemCode: form.itemCode,
          quantity: total,
          announcedOn: form.announcedOn,
          forbids: form.forbids ? form.forbids.split(',').map((s) => s.trim()) : [],
          tranches: tranches.map((t) => ({ quantity: Number(t.quantity), expectedOn: t.expectedOn })),
        },
      }),
    onSuccess: (p) => {
      void client.invalidateQueries({ queryKey: ['pledges'] });
      onDone(p.id);
    },
  });
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  return (
    <Panel title="New pledge" label="New pledge" onClose={() => onDone()}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <label>
          Donor (ISO code)
          <input value={form.donor} onChange={set('donor')} placeholder="DEU" required />
          <FieldMessage error={create.error} field="donor" />
        </label>
        <label>
          Kind
          <select value={form.kind} onChange={set('kind')}>
            {['in-kind', 'procurement', 'training'].map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
        <label>
          Channel
          <select value={form.channel} onChange={set('channel')}>
            <option>coordinated</option>
            <option>bilateral</option>
          </select>
        </label>
        <label>
          Item code
          <input value={form.itemCode} onChange={set('itemCode')} placeholder="155mm-he-m795" required />
          <FieldMessage error={create.error} field="itemCode" />
        </label>
        <label>
          Announced on
          <input type="date" value={form.announcedOn} onChange={set('announcedOn')} required />
        </label>
        <label>
          Caveats: forbidden uses (comma-separated)
          <input value={form.forbids} onChange={set('forbids')} placeholder="cross-border" />
        </label>
        <fieldset>
          <legend>Tranches (total {fmt(total)})</legend>
          {tranches.map((t, i) => (
            <div className="tranche" key={i}>
              <label>
                Quantity {i + 1}
                <input inputMode="numeric" value={t.quantity} onChange={(e) => setTranches(tranches.map((x, j) => (j === i ? { ...x, quantity: e.target.value } : x)))} required />
              </label>
              <label>
                Expected on {i + 1}
                <input type="date" value={t.expectedOn} onChange={(e) => setTranches(tranches.map((x, j) => (j === i ? { ...x, expectedOn: e.target.value } : x)))} required />
              </label>
              {tranches.length > 1 && (
                <button type="button" aria-label={`Remove tranche ${i + 1}`} onClick={() => setTranches(tranches.filter((_, j) => j !== i))}>
                  Remove
                </button>
              )}
            </div>
          ))}
          <button type="button" onClick={() => setTranches([...tranches, { quantity: '', expectedOn: '' }])}>
            Add tranche
          </button>
          <FieldMessage error={create.error} field="tranches" />
        </fieldset>
        <button type="submit" className="primary" disabled={create.isPending}>
          Create pledge
        </button>
        <FormError error={create.error} />
      </form>
    </Panel>
  );
}
