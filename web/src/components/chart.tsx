import { lazy, Suspense } from 'react';

export interface ChartSelection {
  /** Category clicked (an area, a nation, a date). */
  name: string;
  /** Series clicked (a priority, "committed", …). */
  series: string;
  index: number;
}

export interface ChartProps {
  option: Record<string, unknown>;
  height?: number;
  /** What the chart shows, for screen readers (each chart also has a table of the same figures). */
  label: string;
  /** Called with the bar or point clicked: charts link to the rows behind them. */
  onSelect?: (s: ChartSelection) => void;
}

// ECharts is in its own chunk, so the first paint does not wait for it; the dashboard starts fetching it at
// boot (`preloadCharts`) so that the charts do not queue behind the report requests for a connection.
const load = () => import('./echart.tsx');
const EChart = lazy(load);

/** Starts fetching the chart code now. */
export function preloadCharts(): void {
  void load();
}

/** A chart, loaded lazily. */
export function Chart(props: ChartProps) {
  return (
    <Suspense fallback={<div className="chart-placeholder" style={{ height: props.height ?? 280 }} aria-hidden="true" />}>
      <EChart {...props} />
    </Suspense>
  );
}
