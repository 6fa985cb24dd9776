// An ECharts canvas inside a widget: created once, given a new option only when its option object
// changes (options are memoised on the figures), merged rather than rebuilt (setOption with
// notMerge false), resized with its box and disposed when the widget leaves.
import { useEffect, useRef } from 'react';
import { echarts } from './echarts.ts';
import { useChartTheme } from '../trend/use-chart-theme.ts';
import type { WidgetChartOption } from './chart-options.ts';

interface WidgetChartProps {
  option: WidgetChartOption | Record<string, unknown>;
  /** Components replaced as a whole when the option changes (series whose count may shrink). */
  replaceMerge?: string[];
  testId?: string;
  /** Extra attributes for tests and assistive tech (what the chart shows, in words). */
  label?: string;
  data?: Record<string, string | number>;
}

export function WidgetChart({ option, replaceMerge, testId, label, data }: WidgetChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const theme = useChartTheme();
  const appliedTheme = useRef(theme);
  const latest = useRef<WidgetChartProps['option'] | null>(null);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const instance = echarts.init(element, appliedTheme.current, { renderer: 'canvas' });
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
    if (latest.current) instance.setOption(latest.current, { notMerge: false, replaceMerge });
  }, [theme]);

  useEffect(() => {
    latest.current = option;
    chart.current?.setOption(option, { notMerge: false, lazyUpdate: true, replaceMerge });
    // replaceMerge is a list literal at the call site: the option's identity is what matters.
  }, [option]);

  const attributes = Object.fromEntries(Object.entries(data ?? {}).map(([key, value]) => [`data-${key}`, String(value)]));
  return <div ref={box} className="widget-chart" data-testid={testId} role="img" aria-label={label} data-chart-theme={theme} {...attributes} />;
}
