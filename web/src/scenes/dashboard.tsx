import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { Plan, PlanSummary } from '../../../src/contracts/plans.ts';
import { api, ApiError, type Page } from '../api-client.ts';
import { Chart } from '../components/chart.tsx';
import { fmt } from '../components/status.tsx';
import { Link } from '../router.tsx';

interface StockReport {
  id: string;
  group: string;
  asOf: string;
  onHand: number;
  dailyConsumption: number;
  daysOfSupply: number | null;
}
interface Meeting {
  id: string;
  title: string;
  date: string;
  location: string;
}

const CRITICAL_GROUPS = ['155mm-he', '152mm-he', '122mm-he', 'patriot-interceptor'];

/** The coordination room at a glance: next meeting, the plan's gaps, stocks of the critical groups, reports. */
export function DashboardScene() {
  const next = useQuery({ queryKey: ['next-meeting'], queryFn: () => api<Meeting>('/meetings/next'), retry: false });
  const plans = useQuery({ queryKey: ['plans'], queryFn: () => api<{ items: PlanSummary[] }>('/plans?limit=20') });
  const latestId = plans.data?.items[0]?.id;
  const plan = useQuery({ queryKey: ['plan', latestId], enabled: Boolean(latestId), queryFn: () => api<Plan>(`/plans/${latestId}`) });
  const stocks = useQuery({
    queryKey: ['stocks', CRITICAL_GROUPS],
    queryFn: async () => Promise.all(CRITICAL_GROUPS.map((g) => api<Page<StockReport>>(`/stock-reports?group=${g}&limit=500&order=asc`).then((p) => ({ group: g, items: p.items })))),
  });
  const unmetOption = useMemo(() => {
    const reasons = ['outranked', 'supply-too-late', 'no-compatible-supply'];
    const totals = reasons.map((r) => (plan.data?.unmet ?? []).filter((u) => u.reason === r).reduce((s, u) => s + u.quantity, 0));
    return {
      tooltip: { trigger: 'axis' },
      grid: { left: 150, right: 30, top: 20, bottom: 30 },
      xAxis: { type: 'value', name: 'units short' },
      yAxis: { type: 'category', data: reasons },
      series: [{ type: 'bar', name: 'units short', data: totals, label: { show: true, position: 'right' } }],
    };
  }, [plan.data]);
  const stockOption = useMemo(() => {
    const series = (stocks.data ?? []).filter((s) => s.items.length > 0);
    const dates = [...new Set(series.flatMap((s) => s.items.map((i) => i.asOf)))].sort();
    return {
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      grid: { left: 60, right: 20, top: 20, bottom: 50 },
      xAxis: { type: 'category', data: dates },
      yAxis: { type: 'value', name: 'days of supply' },
      series: series.map((s) => {
        const byDate = new Map(s.items.map((i) => [i.asOf, i.daysOfSupply]));
        return { type: 'line', name: s.group, symbol: 'none', data: dates.map((d) => byDate.get(d) ?? null), connectNulls: true };
      }),
    };
  }, [stocks.data]);
  const year = new Date().getFullYear() - 1;
  const burden = useQuery({
    queryKey: ['burden', year],
    retry: false,
    queryFn: () => api<{ currency: string; rows: { nation: string; participating: boolean; fairShare: number | null; committed: number; delivered: number }[] }>(`/reports/burden?year=${year}&currency=EUR`),
  });
  const burdenOption = useMemo(() => {
    const rows = (burden.data?.rows ?? []).filter((r) => r.participating).slice(0, 15);
    return {
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      grid: { left: 50, right: 20, top: 20, bottom: 50 },
      xAxis: { type: 'category', data: rows.map((r) => r.nation) },
      yAxis: { type: 'value', name: 'EUR million' },
      series: [
        { type: 'bar', name: 'fair share', data: rows.map((r) => Math.round((r.fairShare ?? 0) / 1e6)) },
        { type: 'bar', name: 'committed', data: rows.map((r) => Math.round(r.committed / 1e6)) },
        { type: 'bar', name: 'delivered', data: rows.map((r) => Math.round(r.delivered / 1e6)) },
      ],
    };
  }, [burden.data]);
  const forecast = useQuery({
    queryKey: ['forecast'],
    retry: false,
    queryFn: () =>
      api<{ dates: string[]; groups: { group: string; deterministic: { stock: number[]; firstStockOut: string | null }; monteCarlo: { p10: number[]; p50: number[]; p90: number[]; probabilityOfStockOut: number } | null }[] } | null>('/reports/forecast'),
  });
  const forecastGroup = forecast.data?.groups[0];
  const forecastOption = useMemo(() => {
    if (!forecast.data || !forecastGroup) return {};
    const mc = forecastGroup.monteCarlo;
    const lower = mc?.p10 ?? forecastGroup.deterministic.stock;
    const upper = mc?.p90 ?? forecastGroup.deterministic.stock;
    return {
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0, data: ['median', 'no slippage'] },
      grid: { left: 70, right: 20, top: 20, bottom: 50 },
      xAxis: { type: 'category', data: forecast.data.dates },
      yAxis: { type: 'value', name: 'units on hand' },
      series: [
        { type: 'line', name: 'p10', data: lower, stack: 'band', symbol: 'none', lineStyle: { opacity: 0 }, silent: true },
        { type: 'line', name: '10–90 % band', data: upper.map((u, i) => u - (lower[i] ?? 0)), stack: 'band', symbol: 'none', lineStyle: { opacity: 0 }, areaStyle: { opacity: 0.2 }, silent: true },
        {
          type: 'line',
          name: 'median',
          data: mc?.p50 ?? forecastGroup.deterministic.stock,
          symbol: 'none',
          ...(forecastGroup.deterministic.firstStockOut ? { markLine: { symbol: 'none', data: [{ xAxis: forecastGroup.deterministic.firstStockOut, name: 'stock-out' }], label: { formatter: 'stock-out' } } } : {}),
        },
        { type: 'line', name: 'no slippage', data: forecastGroup.deterministic.stock, symbol: 'none', lineStyle: { type: 'dashed' } },
      ],
    };
  }, [forecast.data, forecastGroup]);
  const p = plan.data;
  return (
    <section className="scene">
      <header className="scene-head">
        <h1>Dashboard</h1>
      </header>
      <div className="cards">
        <div className="card">
          <h3>Next meeting</h3>
          {next.data ? (
            <>
              <p className="big">{next.data.date}</p>
              <p>
                {next.data.title}, {next.data.location}
              </p>
              <p className="links">
                Brief:{' '}
                {(['pdf', 'xlsx', 'csv'] as const).map((f) => (
                  <a key={f} href={`/api/meetings/${encodeURIComponent(next.data.id)}/brief?format=${f}`} download>
                    {f.toUpperCase()}
                  </a>
                ))}
              </p>
            </>
          ) : next.error instanceof ApiError && next.error.status === 404 ? (
            <p>No meeting planned.</p>
          ) : (
            <p>Loading…</p>
          )}
        </div>
        <div className="card">
          <h3>Current plan</h3>
          {p ? (
            <>
              <p className="big">{fmt(p.allocatedQuantity)} units allocated</p>
              <p>
                {fmt(p.unmetQuantity)} units short in {fmt(p.unmet.length)} requirements · <Link to="/plan">open the plan</Link>
              </p>
            </>
          ) : (
            <p>
              No plan yet. <Link to="/plan">Run one</Link>.
            </p>
          )}
        </div>
      </div>
      <div className="two-col">
        <div className="card">
          <h3>
            Why needs are unmet (<Link to="/plan">rows</Link>)
          </h3>
          {p ? <Chart label="Units short by reason in the current plan" option={unmetOption} height={200} /> : <p className="empty">Run a plan to see the gaps.</p>}
        </div>
        <div className="card">
          <h3>
            Days of supply, critical groups
          </h3>
          <Chart label="Days of supply of the critical ammunition and air-defence groups over time" option={stockOption} height={260} />
        </div>
      </div>
      <div className="card wide">
        <h3>
          Stock-out forecast{forecastGroup ? `: ${forecastGroup.group}` : ''}
          {forecastGroup?.monteCarlo ? ` (probability of a stock-out within the horizon ${Math.round(forecastGroup.monteCarlo.probabilityOfStockOut * 100)} %)` : ''}
        </h3>
        {forecastGroup ? (
          <Chart label={`Projected stock of ${forecastGroup.group} with the 10 to 90 percent band and the stock-out date`} option={forecastOption} height={260} />
        ) : (
          <p className="empty">No stock reports yet.</p>
        )}
      </div>
      <div className="card wide">
        <h3>
          Burden sharing {year}: committed and delivered against fair share (<Link to="/nations">nations</Link>)
        </h3>
        {burden.data ? <Chart label={`Committed and delivered value against fair share by ally, ${year}`} option={burdenOption} height={280} /> : <p className="empty">No burden-sharing figures for {year}.</p>}
      </div>
    </section>
  );
}
