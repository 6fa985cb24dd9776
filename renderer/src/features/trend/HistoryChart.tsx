// The ECharts canvas of the Trends page: created once, given the new option when lines, range or
// zoom change, and telling the page when the user zooms or pans (wheel, drag, slider).
import { useEffect, useRef } from 'react';
import { useEChart } from './use-echart.ts';
import { baseHistoryOption, type HistoryChartOption } from './history-options.ts';

interface HistoryChartProps {
  option: HistoryChartOption;
  /** The user moved the visible part of the time axis to start–end. */
  onZoom(start: number, end: number): void;
  /** Called after each draw with the option it drew. */
  onDrawn(option: HistoryChartOption): void;
}

export function HistoryChart({ option, onZoom, onDrawn }: HistoryChartProps) {
  const zoomHandler = useRef(onZoom);
  zoomHandler.current = onZoom;
  const { box, theme, draw } = useEChart<HistoryChartOption>({ replaceMerge: ['series', 'yAxis'] }, (chart) => {
    chart.setOption(baseHistoryOption());
    chart.on('datazoom', () => {
      const zoom = (chart.getOption() as { dataZoom?: { startValue?: number; endValue?: number }[] }).dataZoom?.[0];
      if (zoom && typeof zoom.startValue === 'number' && typeof zoom.endValue === 'number') zoomHandler.current(zoom.startValue, zoom.endValue);
    });
  });

  useEffect(() => {
    draw(option);
    onDrawn(option);
  }, [draw, option, onDrawn]);

  return <div ref={box} className="history-canvas" data-testid="history-canvas" data-chart-theme={theme} />;
}
