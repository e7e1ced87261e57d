import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQueries, useQuery } from '@tanstack/react-query';
import type { Meeting } from '../../../src/contracts/meetings.ts';
import type { Requirement } from '../../../src/contracts/requirements.ts';
import { api, downloadHref } from '../api-client.ts';
import { Chart, preloadCharts } from '../components/chart.tsx';
import { Async } from '../components/async.tsx';
import { Tabs } from '../components/tabs.tsx';
import { PriorityBadge, fmt, fmtMoney, fmtPct, priorityLabel, today } from '../components/status.tsx';
import { Link, href, navigate } from '../router.tsx';
import { usePlans } from './plan-data.ts';
import type { BurdenReport, CoverageReport, CoverageTotals, DelaysReport, ForecastGroup, ForecastReport, GapRow, GapsReport } from './report-types.ts';
import { AREAS, COMMITTED, REASONS, mayOpen, reasonLabel } from '../vocabulary.ts';
import { useMe } from '../session.tsx';

const OPEN = 'validated,partly-covered,covered';

preloadCharts();

/**
 * Every outstanding gap (ranked by priority, then need-by date) and their totals. All of them, not the first
 * few, so the dashboard can also name the largest by value: the report costs the same either way.
 */
export function useGaps(enabled = true) {
  return useQuery({ queryKey: ['reports', 'gaps'], enabled, retry: false, queryFn: () => api<GapsReport>('/reports/gaps?limit=1000') });
}

function useNextMeeting() {
  return useQuery({ queryKey: ['meetings', 'next'], retry: false, queryFn: () => api<Meeting>('/meetings/next') });
}

/**
 * Whether the dashboard's first view (the shell and the next meeting) is in. The embedded database answers
 * one query at a time, so the reports, which take a few hundred milliseconds each, are asked for only then:
 * otherwise the next meeting's 10 ms of queries can wait behind all of them.
 */
function useFirstViewIn(): boolean {
  return !useNextMeeting().isPending;
}

/** The gaps largest by value first (ties: the report's urgency order). */
function largestFirst(gaps: GapRow[]): GapRow[] {
  return [...gaps].sort((a, b) => b.gapValue - a.gapValue || a.rank - b.rank);
}

/** A requirement's title, cached with the record (the requirements page reads the same entry). */
function useRequirementTitle(id: string | undefined) {
  const q = useQuery({ queryKey: ['requirements:one', id], enabled: Boolean(id), retry: false, staleTime: 60_000, queryFn: () => api<Requirement>(`/requirements/${encodeURIComponent(id!)}`) });
  return q.data?.title;
}

function daysUntil(date: string): number {
  return Math.round((Date.parse(date) - Date.parse(today())) / 86_400_000);
}

/** A dashboard card: a titled box whose figures link to the rows behind them. */
function Card({ title, rows: link, children, className }: { title: ReactNode; rows?: { to: string; label: string }; children: ReactNode; className?: string }) {
  const rows = link && mayOpen(useMe(), link.to) ? link : undefined;
  return (
    <section className={`card${className ? ` ${className}` : ''}`}>
      <header className="card-head">
        <h2>{title}</h2>
        {rows && (
          <Link to={rows.to} className="rows-link">
            {rows.label} →
          </Link>
        )}
      </header>
      {children}
    </section>
  );
}

/** The figures of a chart as a table, for keyboard and screen-reader users, each row linking to its records. */
function Figures({ head, rows }: { head: string[]; rows: { key: string; to: string; cells: ReactNode[] }[] }) {
  return (
    <details className="figures">
      <summary>Figures</summary>
      <table className="mini">
        <thead>
          <tr>
            {head.map((h, i) => (
              <th key={h} className={i ? 'num' : ''}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              {r.cells.map((c, i) => (
                <td key={i} className={i ? 'num' : ''}>
                  {i === 0 ? <Link to={r.to}>{c}</Link> : c}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

/** Marks when a part of the dashboard first shows, for the load-time measurement (browser clock). */
function useShownMark(name: string, shown: boolean): void {
  useEffect(() => {
    if (shown && performance.getEntriesByName(`concord:${name}`).length === 0) performance.mark(`concord:${name}`);
  }, [name, shown]);
}

/** The coordination room at a glance: the next meeting and its top gaps, coverage, stocks, burden, delays. */
export function DashboardScene() {
  useShownMark('dashboard-shown', true);
  return (
    <section className="scene">
      <header className="scene-head">
        <div>
          <h1>Dashboard</h1>
          <p className="sub">Where support falls short, when stocks run out, who carries the burden and who delivers late. Every chart opens the rows behind it.</p>
        </div>
      </header>
      <div className="dash-top">
        <NextMeeting />
        <div className="kpis">
          <PlanKpi />
          <OverdueKpi />
        </div>
      </div>
      <div className="two-col">
        <CoverageChart />
        <ForecastChart />
      </div>
      <div className="two-col">
        <BurdenChart />
        <SlippageChart />
      </div>
    </section>
  );
}

function NextMeeting() {
  const next = useNextMeeting();
  const gaps = useGaps(!next.isPending);
  useShownMark('next-meeting-shown', next.data !== undefined);
  useShownMark('top-gaps-shown', gaps.data !== undefined);
  return (
    <Card title="Next meeting" rows={next.data ? { to: href('/meetings', { id: next.data.id }), label: 'meeting' } : undefined} className="meeting-card">
      <Async q={next} what="the next meeting" empty={() => <p>No meeting planned.</p>}>
        {(m) => (
          <>
            <p className="meeting-line">
              <span className="big">{m.date}</span> <span className="muted">in {daysUntil(m.date)} days</span>
            </p>
            <p>
              <strong>{m.title}</strong>, {m.location}
            </p>
            <p className="links">
              Brief:{' '}
              <Link to={href('/meetings', { id: m.id, report: 'brief' })}>read</Link>
              {(['pdf', 'xlsx', 'csv'] as const).map((f) => (
                <a key={f} href={downloadHref(`/meetings/${encodeURIComponent(m.id)}/brief`, f)} download>
                  {f.toUpperCase()}
                </a>
              ))}
            </p>
          </>
        )}
      </Async>
      <h3>Top gaps for the meeting</h3>
      <Async q={gaps} what="the gaps">
        {(g) => (g.gaps.length === 0 ? <p className="muted">No outstanding gap: committed pledges cover every validated requirement.</p> : <TopGaps report={g} />)}
      </Async>
    </Card>
  );
}

const GAP_ORDERS = [
  ['urgent', 'most urgent'],
  ['largest', 'largest by value'],
] as const;

/** The top gaps, most urgent or largest first, each opening its requirement and who pledged what against it. */
function TopGaps({ report }: { report: GapsReport }) {
  const [order, setOrder] = useState<'urgent' | 'largest'>('urgent');
  const rows = (order === 'urgent' ? report.gaps : largestFirst(report.gaps)).slice(0, 6);
  const titles = useQueries({ queries: rows.map((r) => ({ queryKey: ['requirements:one', r.requirementId], retry: false, staleTime: 60_000, queryFn: () => api<Requirement>(`/requirements/${encodeURIComponent(r.requirementId)}`) })) });
  return (
    <>
      <div className="card-tools">
        <Tabs small label="Order the gaps" options={GAP_ORDERS} value={order} onChange={setOrder} controls="top-gaps" />
        <span>{order === 'urgent' ? 'by priority, then need-by date' : `by the value still missing, in M ${report.currency}`}</span>
      </div>
      <table id="top-gaps" className="mini gaps" aria-label={order === 'urgent' ? 'Most urgent gaps' : 'Largest gaps'}>
        <colgroup>
          <col />
          <col className="w-prio" />
          <col className="w-date" />
          <col className="w-short" />
          <col className="w-value" />
          <col className="w-reason" />
        </colgroup>
        <thead>
          <tr>
            <th>Requirement</th>
            <th>Priority</th>
            <th>Need by</th>
            <th className="num">Short by</th>
            <th className="num">M {report.currency}</th>
            <th>Plan says</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => {
            const title = titles[i]?.data?.title || r.capabilityArea;
            return (
              <tr key={r.requirementId}>
                <td className="clip" title={`${r.requirementId} ${title}`}>
                  <Link to={href('/requirements', { id: r.requirementId })}>{r.requirementId}</Link> {title}
                </td>
                <td>
                  <PriorityBadge value={r.priority} />
                </td>
                <td>{r.needBy}</td>
                <td className="num" title={`${fmt(r.quantity)} of ${fmt(r.required)} units still missing`}>
                  {fmt(r.quantity)} of {fmt(r.required)}
                </td>
                <td className="num">{fmt(r.gapValue / 1e6)}</td>
                <td className="wrap" title={r.reason ? REASONS[r.reason] : report.planId ? undefined : 'no plan yet'}>
                  {reasonLabel(r.reason)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}

function PlanKpi() {
  const plans = usePlans();
  const gaps = useGaps(useFirstViewIn());
  const p = plans.data?.items[0];
  return (
    <Card title="Gaps and the plan" rows={{ to: href('/plan', { view: 'unmet' }), label: 'plan' }}>
      <Async q={gaps} what="the gaps">
        {(g) => (
          <>
            <p className="big">
              {fmt(g.gapCount)} requirement{g.gapCount === 1 ? '' : 's'} not covered
            </p>
            <p>
              {fmtMoney(g.gapValue, g.currency)} of needs without a committed pledge
            </p>
            <LargestGap report={g} />
          </>
        )}
      </Async>
      {p ? (
        <p className="muted">
          Plan {p.id} ({p.createdAt.slice(0, 10)}): {fmt(p.allocatedQuantity)} units allocated, {fmt(p.unmetQuantity)} unmet
        </p>
      ) : plans.isPending ? null : (
        <p className="muted">
          No plan yet. <Link to="/plan">Run one</Link>.
        </p>
      )}
    </Card>
  );
}

/** The single largest gap by value, named and linked: where a new user starts. */
function LargestGap({ report }: { report: GapsReport }) {
  const top = largestFirst(report.gaps)[0];
  const title = useRequirementTitle(top?.requirementId);
  if (!top) return null;
  return (
    <p className="largest">
      Largest gap: <Link to={href('/requirements', { id: top.requirementId })}>{top.requirementId}</Link>, <strong>{fmtMoney(top.gapValue, report.currency)}</strong> short
      <span className="muted clip-line" title={title}>
        {title ?? top.capabilityArea}
      </span>
    </p>
  );
}

function useCoverage() {
  const enabled = useFirstViewIn();
  return useQuery({ queryKey: ['reports', 'coverage'], enabled, retry: false, staleTime: 60_000, queryFn: () => api<CoverageReport>('/reports/coverage?limit=1') });
}

function useForecast() {
  const enabled = useFirstViewIn();
  return useQuery({ queryKey: ['reports', 'forecast'], enabled, retry: false, staleTime: 120_000, queryFn: () => api<ForecastReport | null>('/reports/forecast') });
}

/**
 * The delays report is the slowest of the dashboard's reports, and the embedded database answers one query
 * at a time: it is asked for once the gaps, coverage and forecast are in, so it never holds the first view back.
 */
function useDelays() {
  const gaps = useGaps(useFirstViewIn());
  const coverage = useCoverage();
  const forecast = useForecast();
  const ready = !gaps.isPending && !coverage.isPending && !forecast.isPending;
  return useQuery({ queryKey: ['reports', 'delays'], enabled: ready, retry: false, staleTime: 120_000, queryFn: () => api<DelaysReport>('/reports/delays') });
}

function OverdueKpi() {
  const delays = useDelays();
  return (
    <Card title="Deliveries overdue" rows={{ to: href('/pledges', { status: 'committed,contracted,delivering' }), label: 'tranches' }}>
      <Async q={delays} what="the delays">
        {(d) => {
          const value = d.overdue.reduce((s, o) => s + (o.outstandingValueMinor ?? 0), 0) / 100;
          const late30 = d.overdue.filter((o) => o.daysOverdue > 30).length;
          return (
            <>
              <p className="big">{fmt(d.overdue.length)} tranches</p>
              <p>
                {fmt(late30)} more than 30 days late · {fmtMoney(value)} outstanding
              </p>
              {d.overdue[0] && (
                <p className="muted">
                  Most overdue: <Link to={href('/pledges', { id: d.overdue[0].pledgeId })}>{d.overdue[0].trancheId}</Link> ({d.overdue[0].donor}, {fmt(d.overdue[0].daysOverdue)} days)
                </p>
              )}
            </>
          );
        }}
      </Async>
    </Card>
  );
}

const STACK = [
  { key: 'delivered', label: 'delivered', colour: '#009E73' },
  { key: 'committed', label: 'committed, not yet delivered', colour: '#56B4E9' },
  { key: 'gap', label: 'gap', colour: '#D55E00' },
] as const;

/** Value delivered, committed beyond delivered, and missing: the three add up to the value required. */
function split(t: CoverageTotals) {
  const covered = Math.max(t.committedValue, t.deliveredValue);
  return { delivered: t.deliveredValue, committed: covered - t.deliveredValue, gap: t.gapValue };
}

const COVERAGE_BY = [
  ['area', 'by capability area'],
  ['priority', 'by priority'],
] as const;

function CoverageChart() {
  const me = useMe();
  const coverage = useCoverage();
  useShownMark('coverage-shown', coverage.data !== undefined);
  const [by, setBy] = useState<'area' | 'priority'>('area');
  const model = useMemo(() => {
    const d = coverage.data;
    const rows = !d
      ? []
      : by === 'area'
        ? AREAS.flatMap((a) => {
            const t = d.byCapabilityArea.find((x) => x.capabilityArea === a);
            return t ? [{ name: a, link: href('/requirements', { capabilityArea: a, status: OPEN }), t }] : [];
          })
        : d.byPriority.map((t) => ({ name: priorityLabel(t.priority), link: href('/requirements', { priority: String(t.priority), status: OPEN }), t }));
    const option = {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => `${fmt(v)} M ${d?.currency ?? ''}` },
      legend: { bottom: 0, itemWidth: 14 },
      grid: { left: by === 'area' ? 130 : 90, right: 24, top: 8, bottom: 56 },
      xAxis: { type: 'value', name: `${d?.currency ?? ''} million`, nameLocation: 'middle', nameGap: 22 },
      yAxis: { type: 'category', data: rows.map((r) => r.name), inverse: true },
      series: STACK.map((s) => ({
        type: 'bar',
        stack: 'value',
        name: s.label,
        data: rows.map((r) => Math.round(split(r.t)[s.key] / 1e6)),
        itemStyle: { color: s.colour, ...(s.key === 'gap' ? { decal: { symbol: 'rect', dashArrayX: [1, 0], dashArrayY: [2, 3], rotation: 0.8, color: 'rgba(255,255,255,0.55)' } } : {}) },
      })),
    };
    return { rows, option };
  }, [coverage.data, by]);
  const d = coverage.data;
  return (
    <Card title="Coverage of requirements by value" rows={{ to: href('/requirements', { status: OPEN }), label: 'requirements' }}>
      <div className="card-tools">
        <Tabs small label="Coverage by" options={COVERAGE_BY} value={by} onChange={setBy} controls="coverage-chart" />
        {d && (
          <span>
            {fmtPct(d.total.committedShare)} committed, {fmtPct(d.total.deliveredShare)} delivered of {fmtMoney(d.total.requiredValue, d.currency)} required
          </span>
        )}
      </div>
      <Async q={coverage} what="the coverage report">
        {() => (
          <div id="coverage-chart">
            <Chart
              label={`Value of validated requirements delivered, committed and still missing, by ${by === 'area' ? 'capability area' : 'priority'}`}
              option={model.option}
              height={Math.max(200, model.rows.length * 22 + 76)}
              onSelect={
                mayOpen(me, '/requirements')
                  ? (s) => {
                      const row = model.rows.find((r) => r.name === s.name);
                      if (row) navigate(row.link);
                    }
                  : undefined
              }
            />
            <Figures
              head={[by === 'area' ? 'Area' : 'Priority', 'Lines', `Required, M ${d?.currency ?? ''}`, 'Committed', 'Delivered', `Gap, M ${d?.currency ?? ''}`]}
              rows={model.rows.map((r) => ({
                key: r.name,
                to: r.link,
                cells: [r.name, fmt(r.t.requirements), fmt(r.t.requiredValue / 1e6), fmtPct(r.t.committedShare), fmtPct(r.t.deliveredShare), fmt(r.t.gapValue / 1e6)],
              }))}
            />
          </div>
        )}
      </Async>
    </Card>
  );
}

/** Groups most at risk first: likeliest to run out, then soonest. */
function riskOrder(a: ForecastGroup, b: ForecastGroup): number {
  const pa = a.monteCarlo?.probabilityOfStockOut ?? (a.deterministic.firstStockOut ? 1 : 0);
  const pb = b.monteCarlo?.probabilityOfStockOut ?? (b.deterministic.firstStockOut ? 1 : 0);
  if (pa !== pb) return pb - pa;
  return (a.deterministic.firstStockOut ?? '9999').localeCompare(b.deterministic.firstStockOut ?? '9999');
}

function ForecastChart() {
  const me = useMe();
  const forecast = useForecast();
  const groups = useMemo(() => [...(forecast.data?.groups ?? [])].sort(riskOrder), [forecast.data]);
  const [chosen, setChosen] = useState('');
  const g = groups.find((x) => x.group === chosen) ?? groups[0];
  useShownMark('forecast-shown', forecast.data !== undefined);
  const option = useMemo(() => {
    if (!forecast.data || !g) return {};
    const mc = g.monteCarlo;
    const lower = mc?.p10 ?? g.deterministic.stock;
    const upper = mc?.p90 ?? g.deterministic.stock;
    const stockOut = mc?.firstStockOut?.p50 ?? g.deterministic.firstStockOut;
    // The label runs from the line towards the middle of the chart, never over the axis labels at either side.
    const stockOutAlign = stockOut && forecast.data.dates.indexOf(stockOut) > forecast.data.dates.length / 2 ? 'right' : 'left';
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => fmt(v) },
      legend: { bottom: 0, data: ['median', '10–90 % band', 'on promised dates'] },
      // The axis title runs along the axis, so the stock-out label above the chart has the top to itself.
      grid: { left: 78, right: 28, top: 36, bottom: 50 },
      xAxis: { type: 'category', data: forecast.data.dates, boundaryGap: false },
      yAxis: { type: 'value', name: 'units on hand', nameLocation: 'middle', nameRotate: 90, nameGap: 58 },
      series: [
        { type: 'line', name: 'p10', data: lower, stack: 'band', symbol: 'none', lineStyle: { opacity: 0 }, silent: true, tooltip: { show: false } },
        { type: 'line', name: '10–90 % band', data: upper.map((u, i) => u - (lower[i] ?? 0)), stack: 'band', symbol: 'none', lineStyle: { opacity: 0 }, areaStyle: { color: '#0072B2', opacity: 0.18 }, itemStyle: { color: '#9cc3e0' }, silent: true },
        {
          type: 'line',
          name: 'median',
          data: mc?.p50 ?? g.deterministic.stock,
          symbol: 'none',
          itemStyle: { color: '#0072B2' },
          lineStyle: { width: 2 },
          ...(stockOut ? { markLine: { symbol: 'none', lineStyle: { color: '#B2182B', type: 'solid' }, data: [{ xAxis: stockOut }], label: { formatter: `stock-out ${stockOut}`, color: '#B2182B', position: 'end', distance: 10, align: stockOutAlign } } } : {}),
        },
        { type: 'line', name: 'on promised dates', data: g.deterministic.stock, symbol: 'none', itemStyle: { color: '#D55E00' }, lineStyle: { type: 'dashed' } },
      ],
    };
  }, [forecast.data, g]);
  return (
    <Card title="Stock-out forecast" rows={g ? { to: href('/pledges', { group: g.group, status: 'committed,contracted,delivering' }), label: 'incoming tranches' } : undefined}>
      <Async q={forecast} what="the forecast">
        {(f) =>
          !f || !g ? (
            <p className="muted">No stock reports yet.</p>
          ) : (
            <>
              <div className="card-tools">
                <label>
                  Group{' '}
                  <select value={g.group} onChange={(e) => setChosen(e.target.value)}>
                    {groups.map((x) => (
                      <option key={x.group} value={x.group}>
                        {x.group} ({fmtPct(x.monteCarlo?.probabilityOfStockOut ?? null)} risk)
                      </option>
                    ))}
                  </select>
                </label>
                <span>
                  {g.monteCarlo ? (
                    <>
                      <strong>{fmtPct(g.monteCarlo.probabilityOfStockOut)}</strong> chance of a stock-out within {f.horizonDays} days
                    </>
                  ) : null}
                  {g.deterministic.firstStockOut ? `; on promised dates it runs out on ${g.deterministic.firstStockOut}` : '; no stock-out on promised dates'}
                </span>
              </div>
              <Chart
                label={`Projected stock of ${g.group} over ${f.horizonDays} days: median with the 10 to 90 percent band, the projection on promised dates, and the stock-out date`}
                option={option}
                height={250}
                onSelect={mayOpen(me, '/pledges') ? () => navigate(href('/pledges', { group: g.group, status: 'committed,contracted,delivering' })) : undefined}
              />
              <Figures
                head={['Group', 'On hand', 'Per day', 'Stock-out risk', 'Runs out (promised dates)']}
                rows={groups.map((x) => ({
                  key: x.group,
                  to: href('/pledges', { group: x.group, status: 'committed,contracted,delivering' }),
                  cells: [x.group, fmt(x.onHand), fmt(x.dailyConsumption), fmtPct(x.monteCarlo?.probabilityOfStockOut ?? null), x.deterministic.firstStockOut ?? 'none'],
                }))}
              />
            </>
          )
        }
      </Async>
    </Card>
  );
}

function BurdenChart() {
  const me = useMe();
  const [year, setYear] = useState(new Date().getFullYear() - 1);
  const enabled = useFirstViewIn();
  const burden = useQuery({ queryKey: ['reports', 'burden', year], enabled, retry: false, staleTime: 300_000, queryFn: () => api<BurdenReport>(`/reports/burden?year=${year}&currency=EUR`) });
  useShownMark('burden-shown', burden.data !== undefined);
  const rows = useMemo(() => (burden.data?.rows ?? []).filter((r) => r.participating).sort((a, b) => (b.fairShare ?? 0) - (a.fairShare ?? 0)).slice(0, 12), [burden.data]);
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => `${fmt(v)} M EUR` },
      legend: { bottom: 0 },
      grid: { left: 44, right: 16, top: 24, bottom: 50 },
      xAxis: { type: 'category', data: rows.map((r) => r.nation), axisLabel: { interval: 0 } },
      yAxis: { type: 'value', name: 'EUR million', nameGap: 8, nameTextStyle: { align: 'left' } },
      series: [
        { type: 'bar', name: 'fair share', data: rows.map((r) => Math.round((r.fairShare ?? 0) / 1e6)), itemStyle: { color: '#bfc6d1', borderColor: '#5b6475', borderWidth: 1 } },
        { type: 'bar', name: 'committed', data: rows.map((r) => Math.round(r.committed / 1e6)), itemStyle: { color: '#0072B2' } },
        { type: 'bar', name: 'delivered', data: rows.map((r) => Math.round(r.delivered / 1e6)), itemStyle: { color: '#009E73' } },
      ],
    }),
    [rows],
  );
  const years = [0, 1, 2, 3].map((i) => new Date().getFullYear() - i);
  return (
    <Card title={`Burden sharing ${year}: the 12 largest fair shares`} rows={{ to: href('/nations', { year: String(year) }), label: 'all nations' }}>
      <div className="card-tools">
        <label>
          Year{' '}
          <select value={year} onChange={(e) => setYear(Number(e.target.value))}>
            {years.map((y) => (
              <option key={y}>{y}</option>
            ))}
          </select>
        </label>
        {burden.data && (
          <span>
            Target {fmtMoney(burden.data.target, burden.data.currency)}, shared by GDP among participating allies
          </span>
        )}
      </div>
      <Async q={burden} what="burden-sharing figures" empty={(e) => <p className="muted">No burden-sharing figures for {year}: {e.message}</p>}>
        {() => (
          <>
            <Chart
              label={`Committed and delivered value against fair share by ally, ${year}, in EUR million`}
              option={option}
              height={260}
              onSelect={mayOpen(me, '/pledges') ? (s) => navigate(href('/pledges', { donor: s.name, status: COMMITTED, announcedFrom: `${year}-01-01`, announcedTo: `${year}-12-31` })) : undefined}
            />
            <Figures
              head={['Ally', 'Fair share, M EUR', 'Committed, M EUR', 'Delivered, M EUR', '÷ fair share']}
              rows={rows.map((r) => ({ key: r.nation, to: href('/pledges', { donor: r.nation, status: COMMITTED }), cells: [r.nation, fmt(r.fairShare === null ? null : r.fairShare / 1e6), fmt(r.committed / 1e6), fmt(r.delivered / 1e6), r.ratioToFairShare === null ? '—' : `${r.ratioToFairShare.toFixed(1)}×`] }))}
            />
          </>
        )}
      </Async>
    </Card>
  );
}

function SlippageChart() {
  const me = useMe();
  const delays = useDelays();
  useShownMark('slippage-shown', delays.data !== undefined);
  const rows = useMemo(
    () =>
      (delays.data?.byDonor ?? [])
        .filter((d) => d.deliveries >= 10 && d.medianSlippageDays !== null)
        .sort((a, b) => (b.medianSlippageDays ?? 0) - (a.medianSlippageDays ?? 0) || (b.p90SlippageDays ?? 0) - (a.p90SlippageDays ?? 0))
        .slice(0, 12),
    [delays.data],
  );
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => `${v} days` },
      legend: { bottom: 0 },
      grid: { left: 44, right: 16, top: 24, bottom: 50 },
      xAxis: { type: 'category', data: rows.map((r) => r.donor), axisLabel: { interval: 0 } },
      yAxis: { type: 'value', name: 'days late', nameGap: 8, nameTextStyle: { align: 'left' } },
      series: [
        { type: 'bar', name: 'median slippage', data: rows.map((r) => r.medianSlippageDays), itemStyle: { color: '#D55E00' } },
        { type: 'bar', name: '90th percentile', data: rows.map((r) => r.p90SlippageDays), itemStyle: { color: '#f3b58f', borderColor: '#D55E00', borderWidth: 1 } },
      ],
    }),
    [rows],
  );
  return (
    <Card title="Delivery slippage: the 12 latest donors" rows={{ to: href('/pledges', { status: 'delivering,delivered' }), label: 'deliveries' }}>
      <Async q={delays} what="delivery delays">
        {() =>
          rows.length === 0 ? (
            <p className="muted">No deliveries received yet.</p>
          ) : (
            <>
              <Chart
                label="Median and 90th-percentile delivery slippage in days, by donor, for the donors with the largest median"
                option={option}
                height={260}
                onSelect={mayOpen(me, '/pledges') ? (s) => navigate(href('/pledges', { donor: s.name, status: 'delivering,delivered' })) : undefined}
              />
              <Figures
                head={['Donor', 'Lines received', 'On time', 'Median (days)', 'P90 (days)']}
                rows={rows.map((r) => ({ key: r.donor, to: href('/pledges', { donor: r.donor, status: 'delivering,delivered' }), cells: [r.donor, fmt(r.deliveries), fmtPct(r.onTimeRate), fmt(r.medianSlippageDays), fmt(r.p90SlippageDays)] }))}
              />
            </>
          )
        }
      </Async>
    </Card>
  );
}
