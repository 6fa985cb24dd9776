// The ECharts canvas of the Trends page: created once, given the new option when lines, range or
// zoom change, and telling the page when the user zooms or pans (wheel, drag, slider).
import { useEffect, useRef } from 'react';
import { echarts } from './echarts.ts';
import { useChartTheme } from './use-chart-theme.ts';
import { baseHistoryOption, type HistoryChartOption } from './history-options.ts';

interface HistoryChartProps {
  option: HistoryChartOption;
  /** The user moved the visible part of the time axis to start–end. */
  onZoom(start: number, end: number): void;
  /** Called after each draw with the option it drew. */
  onDrawn(option: HistoryChartOption): void;
}

export function HistoryChart({ option, onZoom, onDrawn }: HistoryChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const theme = useChartTheme();
  const appliedTheme = useRef(theme);
  const latest = useRef<HistoryChartOption | null>(null);
  const zoomHandler = useRef(onZoom);
  zoomHandler.current = onZoom;

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const instance = echarts.init(element, appliedTheme.current, { renderer: 'canvas' });
    instance.setOption(baseHistoryOption());
    instance.on('datazoom', () => {
      const zoom = (instance.getOption() as { dataZoom?: { startValue?: number; endValue?: number }[] }).dataZoom?.[0];
      if (zoom && typeof zoom.startValue === 'number' && typeof zoom.endValue === 'number') zoomHandler.current(zoom.startValue, zoom.endValue);
    });
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
    latest.current = option;
    instance.setOption(option, { replaceMerge: ['series', 'yAxis'] });
    onDrawn(option);
  }, [option, onDrawn]);

  return <div ref={box} className="history-canvas" data-testid="history-canvas" data-chart-theme={theme} />;
}
