// The app's two ECharts themes, light and dark, registered by name so every chart (trend, Trends
// page, dashboard widgets) takes its greys, text, tooltip and slider from one place and follows the
// theme switch live (chart.setTheme). The colours are the CSS variables of styles/base.css
// (--surface, --text, --text-muted, --border…), kept equal by chart-theme.test.ts; options only set
// colours that carry meaning (a line's colour, a state, a band).
import type { ResolvedTheme } from '../../store/theme-setting.ts';

/** Fonts that draw Chinese well on Windows, macOS and Linux (the plant PCs have wqy-microhei). */
export const CHART_FONT = '"Segoe UI", "Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif';

export interface ChartPalette {
  /** --surface: the chart's background, as the panel it sits on. */
  surface: string;
  /** --text: values, legend, category names. */
  text: string;
  /** --text-muted: axis ticks and names. */
  textMuted: string;
  /** --border: the tooltip's edge, the slider's frame. */
  border: string;
  /** Lines of the grid, fainter than any border. */
  grid: string;
  /** The x-axis line and the pointer. */
  axisLine: string;
  /** Behind a horizontal bar (the rest of the way to the longest). */
  track: string;
  tooltip: string;
  /** The zoom slider's selected part. */
  filler: string;
  handle: string;
}

export const CHART_PALETTES: Record<ResolvedTheme, ChartPalette> = {
  light: {
    surface: '#ffffff',
    text: '#1f2937',
    textMuted: '#667085',
    border: '#dde2e8',
    grid: '#e8ebef',
    axisLine: '#b8c0ca',
    track: '#f2f4f7',
    tooltip: 'rgba(255, 255, 255, 0.97)',
    filler: 'rgba(31, 111, 209, 0.12)',
    handle: '#8d99a8',
  },
  dark: {
    surface: '#1a1f27',
    text: '#e6e9ee',
    textMuted: '#a4adba',
    border: '#2e3642',
    grid: '#272e39',
    axisLine: '#4a5463',
    track: '#232a34',
    tooltip: 'rgba(34, 40, 50, 0.97)',
    filler: 'rgba(92, 157, 237, 0.2)',
    handle: '#7d8796',
  },
};

export const CHART_THEME_NAMES: Record<ResolvedTheme, string> = { light: 'plantdesk-light', dark: 'plantdesk-dark' };

/** The ECharts theme object for a palette: defaults per component and series type. */
export function chartTheme(palette: ChartPalette): Record<string, unknown> {
  const axis = {
    axisLine: { lineStyle: { color: palette.axisLine } },
    axisTick: { lineStyle: { color: palette.axisLine } },
    axisLabel: { color: palette.textMuted },
    nameTextStyle: { color: palette.textMuted },
    splitLine: { lineStyle: { color: [palette.grid] } },
    splitArea: { areaStyle: { color: [palette.surface] } },
  };
  return {
    backgroundColor: palette.surface,
    textStyle: { fontFamily: CHART_FONT, color: palette.text },
    legend: { textStyle: { color: palette.text }, pageTextStyle: { color: palette.textMuted }, pageIconColor: palette.textMuted, pageIconInactiveColor: palette.border },
    tooltip: {
      backgroundColor: palette.tooltip,
      borderColor: palette.border,
      textStyle: { color: palette.text },
      axisPointer: { lineStyle: { color: palette.axisLine }, crossStyle: { color: palette.axisLine }, shadowStyle: { color: palette.filler } },
    },
    timeAxis: axis,
    valueAxis: axis,
    logAxis: axis,
    // Category names (machines, shifts) are read, not glanced at: full text colour.
    categoryAxis: { ...axis, axisLabel: { color: palette.text } },
    dataZoom: {
      borderColor: palette.border,
      fillerColor: palette.filler,
      backgroundColor: 'transparent',
      handleStyle: { color: palette.surface, borderColor: palette.handle },
      moveHandleStyle: { color: palette.border },
      textStyle: { color: palette.textMuted },
      dataBackground: { lineStyle: { color: palette.axisLine }, areaStyle: { color: palette.grid } },
    },
    gauge: {
      pointer: { itemStyle: { color: palette.text } },
      anchor: { itemStyle: { color: palette.text } },
      // The white notches between the bands are cut in the surface's colour.
      splitLine: { lineStyle: { color: palette.surface } },
      axisLabel: { color: palette.textMuted },
      detail: { color: palette.text },
    },
    bar: { label: { color: palette.text }, backgroundStyle: { color: palette.track } },
  };
}
