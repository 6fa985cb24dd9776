// The ECharts canvas of the trend. Created once, given new data as it arrives, resized with its box
// and disposed when it leaves the page.
import { useEffect, useRef } from 'react';
import { echarts } from './echarts.ts';
import { useChartTheme } from './use-chart-theme.ts';
import { baseTrendOption, trendOption, type TrendLine, type TrendOption } from './trend-options.ts';

interface TrendChartProps {
  lines: readonly TrendLine[];
  from: number;
  to: number;
  locale: string;
  /** Called after a draw that showed at least one value. */
  onDrawn(): void;
}

export function TrendChart({ lines, from, to, locale, onDrawn }: TrendChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const theme = useChartTheme();
  const appliedTheme = useRef(theme);
  const latest = useRef<TrendOption | null>(null);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const instance = echarts.init(element, appliedTheme.current, { renderer: 'canvas' });
    instance.setOption(baseTrendOption());
    chart.current = instance;
    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => instance.resize());
    });
    observer.observe(element);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  // The app's theme switched: the chart redraws in the new colours. setTheme rebuilds the chart from
  // the first option it was given, so the latest one (data, zoom) is given again.
  useEffect(() => {
    const instance = chart.current;
    if (!instance || appliedTheme.current === theme) return;
    appliedTheme.current = theme;
    instance.setTheme(theme);
    if (latest.current) instance.setOption(latest.current, { replaceMerge: ['series', 'yAxis'] });
  }, [theme]);

  useEffect(() => {
    const instance = chart.current;
    if (!instance) return;
    latest.current = trendOption(lines, { from, to }, locale);
    instance.setOption(latest.current, { replaceMerge: ['series', 'yAxis'] });
    if (lines.some((line) => line.data.some(([, value]) => value !== null))) onDrawn();
  }, [lines, from, to, locale, onDrawn]);

  return <div ref={box} className="trend-canvas" data-chart-theme={theme} />;
}
