// The ECharts canvas of the live view's trend, given new data as it arrives (use-echart.ts keeps the canvas).
import { useEffect } from 'react';
import { useEChart } from './use-echart.ts';
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
  const { box, theme, draw } = useEChart<TrendOption>({ replaceMerge: ['series', 'yAxis'] }, (chart) => chart.setOption(baseTrendOption()));

  useEffect(() => {
    draw(trendOption(lines, { from, to }, locale));
    if (lines.some((line) => line.data.some(([, value]) => value !== null))) onDrawn();
  }, [draw, lines, from, to, locale, onDrawn]);

  return <div ref={box} className="trend-canvas" data-chart-theme={theme} />;
}
