import { useEffect, useMemo, useRef, useState } from 'react';
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
import type { ReportChart, ReportDocument } from './report-types.ts';

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
              { key: 'title', label: 'Meeting', render: (m) => m.title, title: (m) => m.title, width: 'minmax(150px, 2.4fr)' },
              { key: 'kind', label: 'Kind', render: (m) => m.kind, width: '110px', drop: 2 },
              { key: 'location', label: 'Where', render: (m) => m.location, width: 'minmax(90px, 1fr)', drop: 1 },
              {
                key: 'reports',
                label: 'Report',
                width: '228px',
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
  // The report opens below the meetings table: bring it into view and give it the focus (after the page's own
  // scroll to the top when the reader came from another page).
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    const t = setTimeout(() => {
      ref.current?.scrollIntoView({ block: 'start' });
      ref.current?.focus({ preventScroll: true });
    }, 0);
    return () => clearTimeout(t);
  }, [id, kind]);
  return (
    <article ref={ref} tabIndex={-1} className="report" aria-label={`${kind} of ${id}`}>
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

/** Large values in few characters on an axis: 35 bn, 1.2 M, 40 k. */
function compact(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${+(v / 1e9).toFixed(1)} bn`;
  if (a >= 1e6) return `${+(v / 1e6).toFixed(1)} M`;
  if (a >= 1e4) return `${+(v / 1e3).toFixed(0)} k`;
  return v.toLocaleString('en-GB');
}

/** The dashboard's colours for the report's series, so a figure looks the same in the brief as on the dashboard. */
const SERIES_STYLE: Record<string, object> = {
  delivered: { itemStyle: { color: '#009E73' } },
  'committed, not delivered': { itemStyle: { color: '#56B4E9' } },
  committed: { itemStyle: { color: '#0072B2' } },
  gap: { itemStyle: { color: '#D55E00' } },
  'fair share': { itemStyle: { color: '#bfc6d1', borderColor: '#5b6475', borderWidth: 1 } },
  'median stock': { itemStyle: { color: '#0072B2' }, lineStyle: { width: 2 } },
  'no slippage': { itemStyle: { color: '#D55E00' }, lineStyle: { type: 'dashed' } },
};

/** The ECharts option for a report chart: stacked bars, lines with their percentile band, and date markers. */
function reportChartOption(c: ReportChart) {
  const cat = { type: 'category', data: c.categories, ...(c.horizontal ? { inverse: true } : { boundaryGap: c.series.some((s) => s.kind !== 'line') }) };
  const value = { type: 'value', axisLabel: { formatter: compact }, ...(c.yLabel ? { name: c.yLabel, nameLocation: 'middle', nameRotate: c.horizontal ? 0 : 90, nameGap: c.horizontal ? 26 : 48 } : {}) };
  const markLine = c.markers?.length
    ? { symbol: 'none', lineStyle: { color: '#B2182B', type: 'solid' }, label: { formatter: (p: { name?: string }) => p.name ?? '', color: '#B2182B', align: 'left' }, data: c.markers.map((m) => ({ name: `${m.label} ${m.category}`, xAxis: m.category })) }
    : undefined;
  const series = c.series.flatMap((s, i) => {
    const own = { name: s.name, data: s.values, ...SERIES_STYLE[s.name], ...(s.stack ? { stack: s.stack } : {}), ...(i === 0 && markLine ? { markLine } : {}) };
    if (s.kind !== 'line') return [{ type: 'bar', ...own }];
    const band = s.band
      ? [
          { type: 'line', name: `${s.name} p10`, data: s.band.lower, stack: `band-${i}`, symbol: 'none', lineStyle: { opacity: 0 }, silent: true, tooltip: { show: false } },
          { type: 'line', name: '10–90 % band', data: s.band.upper.map((u, k) => (u === null ? null : u - (s.band!.lower[k] ?? 0))), stack: `band-${i}`, symbol: 'none', lineStyle: { opacity: 0 }, areaStyle: { color: '#0072B2', opacity: 0.18 }, itemStyle: { color: '#9cc3e0' }, silent: true, tooltip: { show: false } },
        ]
      : [];
    return [...band, { type: 'line', symbol: 'none', ...own }];
  });
  return {
    tooltip: { trigger: 'axis', ...(c.horizontal ? { axisPointer: { type: 'shadow' } } : {}), valueFormatter: (v: number) => (typeof v === 'number' ? v.toLocaleString('en-GB') : String(v ?? '—')) },
    legend: { bottom: 0, data: c.series.map((s) => s.name).concat(c.series.some((s) => s.band) ? ['10–90 % band'] : []) },
    grid: { left: c.horizontal ? 140 : 70, right: 28, top: markLine ? 30 : 16, bottom: c.horizontal && c.yLabel ? 70 : 50 },
    xAxis: c.horizontal ? value : cat,
    yAxis: c.horizontal ? cat : value,
    series,
  };
}

function ReportSection({ section }: { section: ReportDocument['sections'][number] }) {
  const [all, setAll] = useState(false);
  const t = section.table;
  const c = section.chart;
  const option = useMemo(() => (c ? reportChartOption(c) : null), [c]);
  const rows = t ? (all ? t.rows : t.rows.slice(0, 15)) : [];
  return (
    <section className="report-section">
      <h3>{section.heading}</h3>
      {section.text?.map((x) => (
        <p key={x}>{x}</p>
      ))}
      {c && option && c.categories.length > 0 && <Chart label={c.title} option={option} height={c.horizontal ? Math.max(160, c.categories.length * 20 + 80) : 260} />}
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
