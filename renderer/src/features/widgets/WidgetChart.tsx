// An ECharts canvas inside a widget: created once, given a new option only when its option object
// changes (options are memoised on the figures), merged rather than rebuilt (setOption with
// notMerge false), resized with its box and disposed when the widget leaves.
import { useEffect } from 'react';
import { useEChart } from '../trend/use-echart.ts';
import type { WidgetChartOption } from './chart-options.ts';
// Registers the gauge, bar and custom (state timeline) series beside the trend's line charts.
import './echarts.ts';

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
  const { box, theme, draw } = useEChart<WidgetChartProps['option']>({ notMerge: false, lazyUpdate: true, replaceMerge });

  // replaceMerge is a list literal at the call site: the option's identity is what matters.
  useEffect(() => draw(option), [draw, option]);

  const attributes = Object.fromEntries(Object.entries(data ?? {}).map(([key, value]) => [`data-${key}`, String(value)]));
  return <div ref={box} className="widget-chart" data-testid={testId} role="img" aria-label={label} data-chart-theme={theme} {...attributes} />;
}
