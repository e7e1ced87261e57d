import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, MarkLineComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { ChartProps } from './chart.tsx';

// Only the charts and components the app draws, so the rest of ECharts stays out of the bundle.
echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, MarkLineComponent, SVGRenderer]);

/** Colour-blind-safe palette (Okabe–Ito), in the order series take it. */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#56B4E9', '#CC79A7', '#F0E442', '#000000'];

const TEXT = { color: '#3b4556', fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif', fontSize: 11 };

/** An ECharts chart drawn as SVG, following its options, its container's size, and clicks on its data. */
export default function EChart({ option, height = 280, label, onSelect }: ChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  const select = useRef(onSelect);
  select.current = onSelect;
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current, undefined, { renderer: 'svg' });
    chart.setOption({ color: PALETTE, animation: false, textStyle: TEXT, aria: { enabled: false }, ...option });
    chart.on('click', (p) => {
      const params = p as { name?: string; seriesName?: string; dataIndex?: number };
      select.current?.({ name: params.name ?? '', series: params.seriesName ?? '', index: params.dataIndex ?? -1 });
    });
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(ref.current);
    return () => {
      observer.disconnect();
      chart.dispose();
    };
  }, [option]);
  return <div ref={ref} role="img" aria-label={label} className={onSelect ? 'chart clickable' : 'chart'} style={{ height, width: '100%' }} />;
}
