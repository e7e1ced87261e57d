import { useMemo } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Nation, NationDetail } from '../../../src/contracts/nations.ts';
import { api } from '../api-client.ts';
import { Chart } from '../components/chart.tsx';
import { DataTable } from '../components/data-table.tsx';
import { Async } from '../components/async.tsx';
import { Panel } from '../components/paged-list.tsx';
import { FormError } from '../components/form-error.tsx';
import { useNations } from '../components/pickers.tsx';
import { fmt, fmtMoney } from '../components/status.tsx';
import { COMMITTED, mayOpen, mayWrite } from '../vocabulary.ts';
import { Link, href, navigate, useQueryState } from '../router.tsx';
import { useMe } from '../session.tsx';
import type { BurdenReport, BurdenRow } from './report-types.ts';

const METRICS = {
  ratio: { label: 'Committed ÷ fair share', axis: 'times the fair share', mark: 1, markLabel: 'fair share', value: (r: Row) => r.burden?.ratioToFairShare ?? null, show: (v: number) => `${v.toFixed(2)}×` },
  pctGdp: { label: 'Committed as % of GDP', axis: '% of GDP', mark: null, markLabel: '', value: (r: Row) => r.burden?.committedPctGdp ?? null, show: (v: number) => `${v.toFixed(3)} %` },
  defence: { label: 'Defence spending as % of GDP', axis: 'defence % of GDP', mark: 2, markLabel: '2 % guideline', value: (r: Row) => r.nation.latestEconomy?.defencePctGdp ?? null, show: (v: number) => `${v.toFixed(2)} %` },
} as const;
type Metric = keyof typeof METRICS;

interface Row {
  nation: Nation;
  burden: BurdenRow | undefined;
}

/** Nations: GDP, defence spending, participation, fair share and contribution, ranked. */
export function NationsScene() {
  const me = useMe();
  const [state, set] = useQueryState({ year: String(new Date().getFullYear() - 1), metric: 'ratio', id: '' });
  const year = Number(state.year);
  const metric = (state.metric in METRICS ? state.metric : 'ratio') as Metric;
  const nations = useNations();
  const burden = useQuery({ queryKey: ['reports', 'burden', year], retry: false, staleTime: 300_000, queryFn: () => api<BurdenReport>(`/reports/burden?year=${year}&currency=EUR`) });
  const rows: Row[] = useMemo(() => {
    const byNation = new Map((burden.data?.rows ?? []).map((r) => [r.nation, r]));
    return (nations.data?.items ?? []).filter((n) => n.kind !== 'recipient').map((n) => ({ nation: n, burden: byNation.get(n.code) }));
  }, [nations.data, burden.data]);
  const m = METRICS[metric];
  const ranked = useMemo(() => rows.filter((r) => m.value(r) !== null && (metric === 'defence' ? r.nation.kind === 'ally' : r.burden?.participating)).sort((a, b) => (m.value(b) ?? 0) - (m.value(a) ?? 0)), [rows, m, metric]);
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => m.show(v) },
      grid: { left: 130, right: 40, top: 28, bottom: 40 },
      xAxis: { type: 'value', name: m.axis, nameLocation: 'middle', nameGap: 24 },
      yAxis: { type: 'category', inverse: true, data: ranked.map((r) => r.nation.name) },
      series: [
        {
          type: 'bar',
          name: m.label,
          data: ranked.map((r) => {
            const v = m.value(r) ?? 0;
            return { value: v, itemStyle: { color: m.mark !== null && v < m.mark ? '#D55E00' : '#0072B2' } };
          }),
          ...(m.mark !== null ? { markLine: { symbol: 'none', lineStyle: { color: '#1d2430', type: 'dashed' }, data: [{ xAxis: m.mark }], label: { formatter: m.markLabel, position: 'start' } } } : {}),
        },
      ],
    }),
    [ranked, m],
  );
  const years = [0, 1, 2, 3].map((i) => String(new Date().getFullYear() - i));
  return (
    <section className="scene">
      <header className="scene-head">
        <div>
          <h1>Nations</h1>
          <p className="sub">
            Fair share is each participating ally’s part of the annual target in proportion to its GDP
            {burden.data ? ` (target ${fmtMoney(burden.data.target, burden.data.currency)} for ${burden.data.year})` : ''}. Opted-out allies and partners are listed but not in the key.
          </p>
        </div>
      </header>
      <form className="filters" aria-label="Figures shown" onSubmit={(e) => e.preventDefault()}>
        <label>
          Year
          <select value={state.year} onChange={(e) => set({ year: e.target.value })}>
            {years.map((y) => (
              <option key={y}>{y}</option>
            ))}
          </select>
        </label>
        <label>
          Ranked by
          <select value={metric} onChange={(e) => set({ metric: e.target.value })}>
            {Object.entries(METRICS).map(([k, v]) => (
              <option key={k} value={k}>
                {v.label}
              </option>
            ))}
          </select>
        </label>
        {burden.error && <span className="muted">No burden-sharing figures for {year}: {(burden.error as Error).message}</span>}
      </form>
      <div className="nations-grid">
        <div>
          <DataTable
            caption="Nations"
            rows={rows}
            rowKey={(r) => r.nation.code}
            selectedKey={state.id || null}
            onRowClick={(r) => set({ id: r.nation.code })}
            height={600}
            columns={[
              { key: 'code', label: 'Code', render: (r) => r.nation.code, width: '52px' },
              { key: 'name', label: 'Nation', render: (r) => r.nation.name, title: (r) => r.nation.name, width: 'minmax(110px, 1.4fr)' },
              { key: 'kind', label: 'Role', render: (r) => r.nation.kind, width: '60px', drop: 2 },
              { key: 'participation', label: 'Participation', render: (r) => (r.nation.participation === 'opted-out' ? <span className="status status-withdrawn">opted out</span> : 'participating'), width: '104px' },
              { drop: 3, key: 'gdp', label: 'GDP (USD bn)', render: (r) => (r.nation.latestEconomy ? fmt(r.nation.latestEconomy.gdpUsdMillion / 1000) : '—'), align: 'right', width: '100px' },
              { drop: 1, key: 'def', label: 'Defence % GDP', render: (r) => (r.nation.latestEconomy?.defencePctGdp != null ? r.nation.latestEconomy.defencePctGdp.toFixed(2) : '—'), align: 'right', width: '110px' },
              { key: 'fair', label: 'Fair share', render: (r) => fmtMoney(r.burden?.fairShare ?? null), align: 'right', width: '96px' },
              { key: 'committed', label: 'Committed', render: (r) => (r.burden ? fmtMoney(r.burden.committed) : '—'), align: 'right', width: '100px' },
              { key: 'delivered', label: 'Delivered', render: (r) => (r.burden ? fmtMoney(r.burden.delivered) : '—'), align: 'right', width: '100px' },
              { key: 'ratio', label: '× fair share', render: (r) => (r.burden?.ratioToFairShare != null ? `${r.burden.ratioToFairShare.toFixed(2)}×` : '—'), align: 'right', width: '84px' },
            ]}
          />
        </div>
        <div className="card">
          <h2 className="card-title">
            {m.label}, {metric === 'defence' ? 'allies' : `participating allies, ${year}`}
          </h2>
          <Chart label={`${m.label} by nation, ranked`} option={option} height={Math.max(300, ranked.length * 17 + 60)} onSelect={mayOpen(me, '/pledges') ? (s) => {
            const code = ranked.find((r) => r.nation.name === s.name)?.nation.code;
            if (code) navigate(href('/pledges', { donor: code, status: COMMITTED }));
          } : undefined} />
          <p className="muted">Bars below the dashed line are drawn in orange.{mayOpen(me, '/pledges') ? ' Select a bar to open that nation’s committed pledges.' : ''}</p>
        </div>
      </div>
      {state.id && <NationPanel code={state.id} year={year} onClose={() => set({ id: '' })} />}
    </section>
  );
}

function NationPanel({ code, year, onClose }: { code: string; year: number; onClose: () => void }) {
  const me = useMe();
  const client = useQueryClient();
  const detail = useQuery({ queryKey: ['nations', 'one', code], retry: false, queryFn: () => api<NationDetail>(`/nations/${code}`) });
  const toggle = useMutation({
    mutationFn: (n: NationDetail) => api(`/nations/${code}`, { method: 'PATCH', body: { participation: n.participation === 'opted-out' ? 'participating' : 'opted-out' }, version: n.version }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['nations'] });
      void client.invalidateQueries({ queryKey: ['reports', 'burden'] });
    },
  });
  return (
    <div className="overlay-panel">
      <Panel title={code} label={`Nation ${code}`} onClose={onClose}>
        <Async q={detail} what="the nation">
          {(n) => (
            <>
              <p className="lead">{n.name}</p>
              <dl>
                <dt>Role</dt>
                <dd>
                  {n.kind}
                  {n.natoAccessionYear ? ` (NATO since ${n.natoAccessionYear})` : ''}
                </dd>
                <dt>Participation</dt>
                <dd>{n.participation}</dd>
                <dt>Fair-share key</dt>
                <dd>{n.inFairShareKey ? 'in the key' : 'not in the key'}</dd>
              </dl>
              <p className="links">
                <Link to={href('/pledges', { donor: n.code })}>All pledges</Link>
                <Link to={href('/pledges', { donor: n.code, status: COMMITTED, announcedFrom: `${year}-01-01`, announcedTo: `${year}-12-31` })}>Committed in {year}</Link>
              </p>
              {mayWrite(me, 'nation') && n.kind !== 'recipient' && (
                <div className="actions">
                  <button type="button" onClick={() => toggle.mutate(n)} disabled={toggle.isPending}>
                    {n.participation === 'opted-out' ? 'Opt back in' : 'Record opt-out'}
                  </button>
                </div>
              )}
              <FormError error={toggle.error} />
              <h3>Economy by year</h3>
              <table className="mini">
                <thead>
                  <tr>
                    <th>Year</th>
                    <th className="num">GDP (USD bn)</th>
                    <th className="num">Defence (USD bn)</th>
                    <th className="num">% GDP</th>
                  </tr>
                </thead>
                <tbody>
                  {[...n.economies].reverse().map((e) => (
                    <tr key={e.year}>
                      <td>{e.year}</td>
                      <td className="num">{fmt(e.gdpUsdMillion / 1000)}</td>
                      <td className="num">{e.defenceUsdMillion === null ? '—' : (e.defenceUsdMillion / 1000).toFixed(1)}</td>
                      <td className="num">{e.defencePctGdp === null ? '—' : e.defencePctGdp.toFixed(2)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </Async>
      </Panel>
    </div>
  );
}
