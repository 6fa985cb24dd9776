// The ECharts option of the Trends chart: a local-time x-axis over the range with a zoom slider,
// one y-axis per unit, each line as its average with the min–max band behind it when the history is
// bucketed (so a short spike stays visible in a week's view), state codes as steps, and a tooltip
// with every line's value at the cursor.
import type { LineSeriesOption } from 'echarts/charts';
import type { DataZoomComponentOption, GridComponentOption, TooltipComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import { drawnPoints, valueAt, type TrendSample } from '../../store/trend-window.ts';
import type { HistoryLine } from '../../store/trend-series.ts';
import { decimalsFor, formatAxisNumber, formatNumber, type PointFormat } from '../../format/format-value.ts';
import { escapeHtml, toned } from './trend-options.ts';
import { AXIS_WIDTH, axesPerSide, axisIndexOf, unitAxes } from './unit-axes.ts';
import { MIN_ZOOM_MS } from './view-query.ts';
import type { TimeRange } from './time-ranges.ts';

export type HistoryChartOption = ComposeOption<LineSeriesOption | GridComponentOption | TooltipComponentOption | DataZoomComponentOption>;

export interface ChartLine {
  pointId: string;
  name: string;
  deviceName: string;
  unit: string;
  color: string;
  format: PointFormat;
  /** Draw as steps (a state code holds its value until the next one). */
  step: boolean;
  /** The point's scan interval, ms. */
  scanMs: number;
  history: HistoryLine;
}

/** Words the tooltip needs, in the UI language. */
export interface ChartWords {
  /** "min–max" */
  range: string;
}

// Greys, text and fonts come from the app's chart theme (chart-theme.ts); only line colours are set here.
const SLIDER_HEIGHT = 22;

/** A line's drawn points: the average, and the minimum and maximum beside it (same times). */
export interface DrawnLine {
  average: TrendSample[];
  min: TrendSample[];
  max: TrendSample[];
  bucketed: boolean;
}

/**
 * The points of a history line as the chart joins them: values held until the next stored change
 * (the historian stores changes and a heartbeat), a gap where nothing was stored for too long.
 */
export function drawLine(line: Pick<ChartLine, 'history' | 'scanMs'>): DrawnLine {
  const { points, bucketMs } = line.history;
  const stepMs = Math.max(line.scanMs, bucketMs);
  const pick = (index: 1 | 2 | 3) => drawnPoints(points.map((point): TrendSample => [point[0], point[index]]), stepMs);
  return { average: pick(1), min: bucketMs > 0 ? pick(2) : [], max: bucketMs > 0 ? pick(3) : [], bucketed: bucketMs > 0 };
}

/** Colour with an alpha, from "#rrggbb". */
function tint(color: string, alpha: number): string {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (!match) return color;
  const [r, g, b] = match.slice(1).map((part) => parseInt(part, 16));
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** The cursor's time in the tooltip: "15 Jan, 14:03:21" in the locale's words. */
export function formatCursorTime(ts: number, locale: string): string {
  let format = dateTimeFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    dateTimeFormats.set(locale, format);
  }
  return format.format(ts);
}

/** Tick labels of the time axis by what a tick falls on (a day's start, an hour, …), local time. */
function timeAxisLabels(locale: string) {
  const day = locale.startsWith('zh') ? '{M}月{d}日' : '{d} {MMM}';
  return {
    year: '{yyyy}',
    month: locale.startsWith('zh') ? '{yyyy}年{M}月' : '{MMM} {yyyy}',
    day,
    hour: '{HH}:{mm}',
    minute: '{HH}:{mm}',
    second: '{HH}:{mm}:{ss}',
    millisecond: '{HH}:{mm}:{ss}',
  };
}

/** One tooltip row: the line's value at `time` (with min–max when bucketed), or a dash in a gap. */
function tooltipRow(line: ChartLine, drawn: DrawnLine, time: number, locale: string, words: ChartWords): string {
  const value = valueAt(drawn.average, time);
  const show = (number: number) => formatNumber(number, decimalsFor(line.format, number), locale);
  const text = value === null ? '—' : show(value);
  let band = '';
  if (drawn.bucketed && value !== null) {
    const min = valueAt(drawn.min, time);
    const max = valueAt(drawn.max, time);
    if (min !== null && max !== null && max !== min) band = `<span class="trend-tip-band">${escapeHtml(words.range)} ${escapeHtml(show(min))} – ${escapeHtml(show(max))}</span>`;
  }
  return (
    `<div class="trend-tip-row"><span class="trend-tip-dot" style="background:${line.color}"></span>` +
    `<span class="trend-tip-name">${escapeHtml(line.name)}</span>` +
    `<b>${escapeHtml(text)}</b><span class="trend-tip-unit">${escapeHtml(line.unit)}</span>${band}</div>`
  );
}

/** The tooltip's HTML at `time`. */
export function tooltipHtml(lines: readonly ChartLine[], drawn: readonly DrawnLine[], time: number, locale: string, words: ChartWords): string {
  const rows = lines.map((line, index) => tooltipRow(line, drawn[index]!, time, locale, words));
  return `<div class="trend-tip" data-testid="trend-tooltip"><div class="trend-tip-time">${escapeHtml(formatCursorTime(time, locale))}</div>${rows.join('')}</div>`;
}

/** The part of the option that never changes while the chart lives. */
export function baseHistoryOption(): HistoryChartOption {
  return {
    animation: false,
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'line', animation: false },
      textStyle: { fontSize: 12 },
      confine: true,
      transitionDuration: 0,
    },
  };
}

/**
 * The option for `lines` over `range`, showing `view` (the zoom). `drawn` are the lines' drawn points
 * (drawLine), computed once by the caller for the chart and its tooltip.
 */
export function historyChartOption(
  lines: readonly ChartLine[],
  drawn: readonly DrawnLine[],
  range: TimeRange,
  view: TimeRange,
  locale: string,
  words: ChartWords,
): HistoryChartOption {
  const axes = unitAxes(lines);
  const sides = axesPerSide(axes);

  const yAxis = axes.map((axis, index) => {
    const axisLines = lines.filter((line) => axis.pointIds.includes(line.pointId));
    // Counters and codes have no half values: no "543,442.5" ticks on their axis.
    const wholeNumbers = axisLines.length > 0 && axisLines.every((line) => decimalsFor(line.format, 0) === 0);
    // An axis shared by lines of one colour takes it; otherwise the theme's grey.
    const tone = axis.color ?? undefined;
    return {
      type: 'value' as const,
      position: axis.position,
      offset: axis.offset,
      scale: true,
      minInterval: wholeNumbers ? 1 : undefined,
      name: axis.unit,
      nameLocation: 'end' as const,
      nameGap: 10,
      nameTextStyle: { ...toned(tone), fontWeight: 'bold' as const, align: axis.position === 'left' ? ('right' as const) : ('left' as const) },
      axisLine: { show: axes.length > 1, lineStyle: { ...toned(tone), opacity: 0.5 } },
      axisTick: { show: false },
      axisLabel: { ...toned(tone), formatter: (value: number) => formatAxisNumber(value, locale) },
      splitLine: { show: index === 0 },
    };
  });

  const series: LineSeriesOption[] = [];
  lines.forEach((line, index) => {
    const points = drawn[index]!;
    const yAxisIndex = axisIndexOf(axes, line.pointId);
    const step = line.step ? ('end' as const) : false;
    series.push({
      id: line.pointId,
      type: 'line',
      name: line.pointId,
      yAxisIndex,
      data: points.average,
      connectNulls: false,
      step,
      showSymbol: points.average.length < 3,
      symbol: 'circle',
      symbolSize: 5,
      color: line.color,
      lineStyle: { width: 1.8 },
      emphasis: { disabled: true },
      z: 3,
    });
    if (!points.bucketed) return;
    // The band: an invisible line at the minimum, and the distance to the maximum stacked on it, filled.
    const stack = `band:${line.pointId}`;
    series.push({
      id: `${line.pointId}#min`,
      type: 'line',
      name: line.pointId,
      yAxisIndex,
      data: points.min,
      stack,
      stackStrategy: 'all',
      step,
      connectNulls: false,
      showSymbol: false,
      lineStyle: { opacity: 0 },
      silent: true,
      emphasis: { disabled: true },
      tooltip: { show: false },
      z: 1,
    });
    series.push({
      id: `${line.pointId}#range`,
      type: 'line',
      name: line.pointId,
      yAxisIndex,
      data: points.max.map(([ts, max], at): TrendSample => {
        const min = points.min[at]?.[1] ?? null;
        return [ts, max === null || min === null ? null : max - min];
      }),
      stack,
      stackStrategy: 'all',
      step,
      connectNulls: false,
      showSymbol: false,
      lineStyle: { opacity: 0 },
      areaStyle: { color: tint(line.color, 0.16), origin: 'auto' },
      silent: true,
      emphasis: { disabled: true },
      tooltip: { show: false },
      z: 1,
    });
  });

  const dataZoomCommon = { xAxisIndex: 0, filterMode: 'none' as const, startValue: view.from, endValue: view.to, minValueSpan: MIN_ZOOM_MS };
  const dataZoom: DataZoomComponentOption[] = [
    { ...dataZoomCommon, type: 'inside', id: 'inside', zoomOnMouseWheel: true, moveOnMouseMove: true, moveOnMouseWheel: false },
    {
      ...dataZoomCommon,
      type: 'slider',
      id: 'slider',
      height: SLIDER_HEIGHT,
      bottom: 8,
      left: 12 + sides.left * AXIS_WIDTH,
      right: 16 + sides.right * AXIS_WIDTH,
      showDataShadow: false,
      brushSelect: false,
      textStyle: { fontSize: 11 },
      labelFormatter: (value: number) => formatCursorTime(value, locale).replace(/:\d\d$/, ''),
    },
  ];

  return {
    grid: {
      left: 12 + Math.max(1, sides.left) * AXIS_WIDTH,
      right: 16 + sides.right * AXIS_WIDTH,
      top: 30,
      bottom: SLIDER_HEIGHT + 44,
    },
    tooltip: {
      formatter: (params: unknown) => {
        const first = (Array.isArray(params) ? params[0] : params) as { axisValue?: number } | undefined;
        const time = Number(first?.axisValue);
        return Number.isFinite(time) ? tooltipHtml(lines, drawn, time, locale, words) : '';
      },
    },
    xAxis: {
      type: 'time',
      min: range.from,
      max: range.to,
      axisTick: { show: false },
      axisLabel: { hideOverlap: true, formatter: timeAxisLabels(locale) },
      splitLine: { show: true },
    },
    yAxis: yAxis.length > 0 ? yAxis : [{ type: 'value' }],
    dataZoom,
    series,
  };
}
