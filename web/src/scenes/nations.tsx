import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api-client.ts';
import { Chart } from '../components/chart.tsx';
import { DataTable } from '../components/data-table.tsx';
import { fmt } from '../components/status.tsx';

interface Nation {
  code: string;
  name: string;
  kind: string;
  participation: string;
  inFairShareKey?: boolean;
  latestEconomy?: { year: number; gdpUsdMillion: number; defencePctGdp: number | null } | null;
}

/** Nations: GDP, defence spending and participation, ranked. */
export function NationsScene() {
  const nations = useQuery({ queryKey: ['nations'], queryFn: () => api<{ items: Nation[] }>('/nations?sort=gdp&order=desc') });
  const rows = nations.data?.items ?? [];
  const allies = rows.filter((n) => n.kind === 'ally' && n.latestEconomy);
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      grid: { left: 120, right: 20, top: 30, bottom: 30 },
      xAxis: { type: 'value', name: 'defence % of GDP' },
      yAxis: { type: 'category', inverse: true, data: allies.map((n) => n.name) },
      series: [
        { type: 'bar', name: 'defence % of GDP', data: allies.map((n) => n.latestEconomy?.defencePctGdp ?? 0), markLine: { symbol: 'none', data: [{ xAxis: 2, name: '2% guideline' }], label: { formatter: '2% guideline' } } },
      ],
    }),
    [allies],
  );
  return (
    <section className="scene">
      <header className="scene-head">
        <h1>Nations</h1>
      </header>
      <div className="two-col">
        <DataTable
          caption="Nations"
          rows={rows}
          rowKey={(n) => n.code}
          columns={[
            { key: 'code', label: 'Code', render: (n) => n.code, width: '60px' },
            { key: 'name', label: 'Nation', render: (n) => n.name, width: '1.5fr' },
            { key: 'kind', label: 'Role', render: (n) => n.kind },
            { key: 'participation', label: 'Participation', render: (n) => n.participation },
            { key: 'gdp', label: 'GDP (USD bn)', render: (n) => (n.latestEconomy ? fmt(Math.round(n.latestEconomy.gdpUsdMillion / 1000)) : '—'), align: 'right' },
            { key: 'def', label: 'Defence % GDP', render: (n) => (n.latestEconomy?.defencePctGdp != null ? n.latestEconomy.defencePctGdp.toFixed(2) : '—'), align: 'right' },
          ]}
        />
        <div className="card">
          <Chart label="Defence spending as a share of GDP by ally, with the 2% guideline" option={option} height={Math.max(300, allies.length * 18)} />
        </div>
      </div>
    </section>
  );
}
