// One ECharts canvas for a React component: created once in the app's chart theme, resized with its
// box, redrawn in the new colours when the theme switches, disposed when it leaves the page. Every
// chart of the app (trend, Trends page, dashboard widgets) draws through it.
import { useCallback, useEffect, useRef, type RefObject } from 'react';
import { echarts } from './echarts.ts';
import { useChartTheme } from './use-chart-theme.ts';

type ChartOption = Parameters<echarts.ECharts['setOption']>[0];
type SetOptionOptions = Parameters<echarts.ECharts['setOption']>[1];

export interface EChart<Option> {
  /** The element the chart draws into. */
  box: RefObject<HTMLDivElement | null>;
  /** The chart theme in use (for a data attribute tests read). */
  theme: string;
  /** Gives the chart its option (kept, to be given again after a theme switch). */
  draw(option: Option): void;
}

/**
 * `setup` runs once on the new instance (a base option, event handlers); `drawOptions` are the
 * setOption options every draw uses (what is merged, what replaced).
 */
export function useEChart<Option extends object>(drawOptions: SetOptionOptions, setup?: (chart: echarts.ECharts) => void): EChart<Option> {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const theme = useChartTheme();
  const appliedTheme = useRef(theme);
  const latest = useRef<Option | null>(null);
  const settings = useRef({ drawOptions, setup });
  settings.current = { drawOptions, setup };

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const instance = echarts.init(element, appliedTheme.current, { renderer: 'canvas' });
    settings.current.setup?.(instance);
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

  // setTheme rebuilds the chart from the first option it was given, so the latest one (data, zoom) is given again.
  useEffect(() => {
    const instance = chart.current;
    if (!instance || appliedTheme.current === theme) return;
    appliedTheme.current = theme;
    instance.setTheme(theme);
    if (latest.current) instance.setOption(latest.current as ChartOption, settings.current.drawOptions);
  }, [theme]);

  const draw = useCallback((option: Option) => {
    latest.current = option;
    chart.current?.setOption(option as ChartOption, settings.current.drawOptions);
  }, []);

  return { box, theme, draw };
}
