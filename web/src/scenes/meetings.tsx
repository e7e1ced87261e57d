import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { MeetingDetail, MeetingPage } from '../../../src/contracts/meetings.ts';
import { api, downloadHref } from '../api-client.ts';
import { DataTable } from '../components/data-table.tsx';
import { Async } from '../components/async.tsx';
import { Chart } from '../components/chart.tsx';
import { Panel } from '../components/paged-list.tsx';
import { fmt, today } from '../components/status.tsx';
import { MEETING_KINDS } from '../vocabulary.ts';
import { Link, href, useQueryState } from '../router.tsx';
import type { ReportDocument } from './report-types.ts';

const FORMATS = ['pdf', 'xlsx', 'csv', 'md'] as const;

/** Downloads of a meeting's brief or outcome report. */
function Downloads({ id, kind }: { id: string; kind: 'brief' | 'outcome' }) {
  return (
    <span className="links" role="group" aria-label={`Download the ${kind}`}>
      {FORMATS.map((f) => (
        <a key={f} href={downloadHref(`/meetings/${encodeURIComponent(id)}/${kind}`, f)} download aria-label={`${kind} as ${f.toUpperCase()}`}>
          {f.toUpperCase()}
        </a>
      ))}
    </span>
  );
}

/** Meetings, what was announced at each, and their brief and outcome report to read or download. */
export function MeetingsScene() {
  const [state, set] = useQueryState({ kind: '', id: '', report: '' });
  const meetings = useQuery({ queryKey: ['meetings', 'list', state.kind], queryFn: () => api<MeetingPage>(`/meetings?limit=500&order=desc${state.kind ? `&kind=${state.kind}` : ''}`) });
  const now = today();
  return (
    <section className="scene">
      <header className="scene-head">
        <div>
          <h1>Meetings and reports</h1>
          <p className="sub">A brief prepares a meeting (top gaps, stock-out forecast, burden sharing, overdue deliveries); an outcome report follows it (pledges announced, multi-year commitments).</p>
        </div>
      </header>
      <form className="filters" aria-label="Filter meetings" onSubmit={(e) => e.preventDefault()}>
        <label>
          Kind
          <select value={state.kind} onChange={(e) => set({ kind: e.target.value })}>
            <option value="">any</option>
            {MEETING_KINDS.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
      </form>
      <div className="split">
        <div className="main">
          <DataTable
            caption="Meetings"
            height={state.report ? 260 : 520}
            rows={meetings.data?.items ?? []}
            rowKey={(m) => m.id}
            selectedKey={state.id || null}
            onRowClick={(m) => set({ id: m.id, report: '' })}
            empty={meetings.isPending ? 'Loading…' : 'No meetings.'}
            columns={[
              { key: 'date', label: 'Date', render: (m) => (m.date >= now ? <strong>{m.date}</strong> : m.date), width: '100px' },
              { key: 'title', label: 'Meeting', render: (m) => m.title, title: (m) => m.title, width: 'minmax(200px, 2.4fr)' },
              { key: 'kind', label: 'Kind', render: (m) => m.kind, width: '110px' },
              { key: 'location', label: 'Where', render: (m) => m.location, width: '1fr' },
              {
                key: 'reports',
                label: 'Report',
                width: '200px',
                render: (m) => {
                  const kind = m.date >= now ? 'brief' : 'outcome';
                  return (
                    <span>
                      <Link to={href('/meetings', { ...state, id: m.id, report: kind })}>{kind}</Link> <Downloads id={m.id} kind={kind} />
                    </span>
                  );
                },
              },
            ]}
          />
        </div>
        {state.id && <MeetingPanel id={state.id} onClose={() => set({ id: '', report: '' })} onRead={(report) => set({ report })} />}
      </div>
      {state.id && (state.report === 'brief' || state.report === 'outcome') && <ReportView id={state.id} kind={state.report} />}
    </section>
  );
}

function MeetingPanel({ id, onClose, onRead }: { id: string; onClose: () => void; onRead: (kind: 'brief' | 'outcome') => void }) {
  const meeting = useQuery({ queryKey: ['meetings', 'one', id], retry: false, queryFn: () => api<MeetingDetail>(`/meetings/${encodeURIComponent(id)}`) });
  return (
    <Panel title={id} label={`Meeting ${id}`} onClose={onClose}>
      <Async q={meeting} what="the meeting">
        {(m) => (
          <>
            <p className="lead">{m.title}</p>
            <dl>
              <dt>Date</dt>
              <dd>{m.date}</dd>
              <dt>Kind</dt>
              <dd>{m.kind}</dd>
              <dt>Where</dt>
              <dd>{m.location || '—'}</dd>
              <dt>Attendees</dt>
              <dd title={m.attendees.join(', ')}>{fmt(m.attendees.length)} nations</dd>
              <dt>Pledges</dt>
              <dd>
                {m.pledges.count ? <Link to={href('/pledges', { meeting: m.id })}>{fmt(m.pledges.count)} announced</Link> : 'none announced'}
                {m.pledges.withdrawn ? `, ${fmt(m.pledges.withdrawn)} since withdrawn` : ''}
              </dd>
            </dl>
            {m.pledges.byCapabilityArea.length > 0 && (
              <table className="mini">
                <thead>
                  <tr>
                    <th>Capability area</th>
                    <th className="num">Pledges</th>
                  </tr>
                </thead>
                <tbody>
                  {m.pledges.byCapabilityArea.map((a) => (
                    <tr key={a.capabilityArea ?? 'funding'}>
                      <td>
                        <Link to={href('/pledges', { meeting: m.id, ...(a.capabilityArea ? { capabilityArea: a.capabilityArea } : { kind: 'funding' }) })}>{a.capabilityArea ?? 'funding'}</Link>
                      </td>
                      <td className="num">{fmt(a.count)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <h3>Brief</h3>
            <p>
              <button type="button" onClick={() => onRead('brief')}>
                Read the brief
              </button>{' '}
              <Downloads id={m.id} kind="brief" />
            </p>
            <h3>Outcome report</h3>
            <p>
              <button type="button" onClick={() => onRead('outcome')}>
                Read the outcome
              </button>{' '}
              <Downloads id={m.id} kind="outcome" />
            </p>
            {m.notes && <p className="muted">{m.notes}</p>}
          </>
        )}
      </Async>
    </Panel>
  );
}

/** Where a report cell's record lives in the app, when the cell names one. */
function recordLink(key: string, value: unknown): string | null {
  if (typeof value !== 'string' || !value) return null;
  if (key === 'requirementId') return href('/requirements', { id: value });
  if (key === 'pledgeId') return href('/pledges', { id: value });
  if (key === 'trancheId') return href('/pledges', { id: value.split('/')[0] });
  if (key === 'donor' || key === 'nation') return href('/pledges', { donor: value });
  return null;
}

function cell(kind: string, v: string | number | boolean | null): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') {
    if (kind === 'percent') return `${(v * 100).toFixed(1)} %`;
    if (kind === 'money' || kind === 'integer') return fmt(v);
    return v.toLocaleString('en-GB', { maximumFractionDigits: 2 });
  }
  return String(v);
}

/** A brief or outcome report read in the page: the same sections, tables and charts as the PDF. */
function ReportView({ id, kind }: { id: string; kind: 'brief' | 'outcome' }) {
  const doc = useQuery({ queryKey: ['reports', kind, id], retry: false, staleTime: 120_000, queryFn: () => api<ReportDocument>(`/meetings/${encodeURIComponent(id)}/${kind}`) });
  return (
    <article className="report" aria-label={`${kind} of ${id}`}>
      <Async q={doc} what={`the ${kind} (the figures are computed now, which can take a few seconds)`}>
        {(d) => (
          <>
            <header className="report-head">
              <div>
                <h2>{d.title}</h2>
                <p className="muted">
                  {d.subtitle} · generated {d.generatedAt.slice(0, 16).replace('T', ' ')}
                </p>
              </div>
              <Downloads id={id} kind={kind} />
            </header>
            {d.notes?.map((n) => (
              <p key={n} className="muted">
                {n}
              </p>
            ))}
            {d.sections.map((s) => (
              <ReportSection key={s.heading} section={s} />
            ))}
          </>
        )}
      </Async>
    </article>
  );
}

function ReportSection({ section }: { section: ReportDocument['sections'][number] }) {
  const [all, setAll] = useState(false);
  const t = section.table;
  const c = section.chart;
  const option = useMemo(() => {
    if (!c) return null;
    const cat = { type: 'category', data: c.categories, ...(c.horizontal ? { inverse: true } : {}) };
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { bottom: 0 },
      grid: { left: c.horizontal ? 140 : 60, right: 20, top: 16, bottom: 50 },
      xAxis: c.horizontal ? { type: 'value' } : cat,
      yAxis: c.horizontal ? cat : { type: 'value' },
      series: c.series.map((s) => ({ type: 'bar', name: s.name, data: s.values })),
    };
  }, [c]);
  const rows = t ? (all ? t.rows : t.rows.slice(0, 15)) : [];
  return (
    <section className="report-section">
      <h3>{section.heading}</h3>
      {section.text?.map((x) => (
        <p key={x}>{x}</p>
      ))}
      {c && option && c.categories.length > 0 && c.categories.length <= 60 && <Chart label={c.title} option={option} height={Math.min(420, Math.max(220, c.horizontal ? c.categories.length * 20 + 70 : 260))} />}
      {t && t.rows.length > 0 && (
        <>
          <div className="table-scroll">
            <table className="mini report-table">
              <caption className="sr-only">{t.name}</caption>
              <thead>
                <tr>
                  {t.columns.map((col) => (
                    <th key={col.key} className={col.kind === 'text' || col.kind === 'date' ? '' : 'num'}>
                      {col.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((r, i) => (
                  <tr key={i}>
                    {t.columns.map((col) => {
                      const to = recordLink(col.key, r[col.key]);
                      const text = cell(col.kind, r[col.key] ?? null);
                      return (
                        <td key={col.key} className={col.kind === 'text' || col.kind === 'date' ? '' : 'num'}>
                          {to ? <Link to={to}>{text}</Link> : text}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {t.rows.length > 15 && (
            <button type="button" className="link-button" onClick={() => setAll(!all)}>
              {all ? 'Show the first 15 rows' : `Show all ${fmt(t.rows.length)} rows`}
            </button>
          )}
        </>
      )}
      {t && t.rows.length === 0 && <p className="muted">None.</p>}
    </section>
  );
}
