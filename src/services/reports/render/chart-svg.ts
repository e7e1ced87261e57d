import * as echarts from 'echarts';
import type { ReportChart } from './report-document.ts';

/** Colour-blind-safe palette (Okabe–Ito), so series stay distinguishable in print too. */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#56B4E9', '#CC79A7', '#F0E442', '#000000'];

/**
 * Renders a chart to an SVG string on the server with ECharts' SSR renderer (no browser, no canvas).
 * - Bars stack when series share a stack name; lines may carry a shaded percentile band.
 * - Markers draw vertical lines at categories (a stock-out date).
 */
export function renderChartSvg(chart: ReportChart, width = 800, height = 380): string {
  const instance = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  const categoryAxis = { type: 'category' as const, data: chart.categories, axisLabel: { fontSize: 8, hideOverlap: true } };
  // Value axes in short form (5M, 30B): long figures would run into each other; the tables carry them in full.
  const compact = new Intl.NumberFormat('en-GB', { notation: 'compact', maximumFractionDigits: 1 });
  const valueAxis = { type: 'value' as const, name: chart.yLabel ?? '', axisLabel: { fontSize: 8, formatter: (v: number) => compact.format(v) } };
  const series: echarts.SeriesOption[] = [];
  chart.series.forEach((s, i) => {
    if (s.band) {
      const stack = `band-${i}`;
      series.push({ type: 'line', name: `${s.name} (lower)`, data: s.band.lower, stack, symbol: 'none', lineStyle: { opacity: 0 }, areaStyle: { opacity: 0 }, silent: true, tooltip: { show: false } });
      series.push({
        type: 'line',
        name: `${s.name} (band)`,
        data: s.band.upper.map((u, k) => (u === null || s.band!.lower[k] === null ? null : u - (s.band!.lower[k] as number))),
        stack,
        symbol: 'none',
        lineStyle: { opacity: 0 },
        areaStyle: { opacity: 0.2, color: PALETTE[i % PALETTE.length] },
        silent: true,
      });
    }
    series.push({
      type: s.kind ?? 'bar',
      name: s.name,
      data: s.values,
      ...(s.stack ? { stack: s.stack } : {}),
      ...(s.kind === 'line' ? { symbol: 'none', lineStyle: { width: 2 } } : {}),
      itemStyle: { color: PALETTE[i % PALETTE.length] },
      ...(i === 0 && chart.markers?.length
        ? { markLine: { symbol: 'none', label: { formatter: '{b}', fontSize: 10 }, data: chart.markers.map((m) => ({ name: m.label, xAxis: m.category })) } }
        : {}),
    } as echarts.SeriesOption);
  });
  instance.setOption({
    animation: false,
    color: PALETTE,
    title: { text: chart.title, left: 'center', textStyle: { fontSize: 11 } },
    legend: { bottom: 0, type: 'plain', textStyle: { fontSize: 8 }, data: chart.series.map((s) => s.name) },
    grid: { left: chart.horizontal ? 110 : 60, right: 20, top: 40, bottom: 50, containLabel: false },
    xAxis: chart.horizontal ? valueAxis : categoryAxis,
    yAxis: chart.horizontal ? { ...categoryAxis, inverse: true } : valueAxis,
    series,
  });
  const svg = instance.renderToSVGString();
  instance.dispose();
  return svg;
}
