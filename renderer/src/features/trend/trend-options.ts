// The ECharts option of the trend, built from the lines to draw: one y-axis per distinct unit (left,
// right, then further right), a local-time x-axis over the moving window, gaps where values are null.
import type { LineSeriesOption } from 'echarts/charts';
import type {
  DataZoomComponentOption,
  GridComponentOption,
  LegendComponentOption,
  TooltipComponentOption,
} from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import { drawnPoints, valueAt, type TrendSample } from '../../store/trend-window.ts';
import { formatClock } from '../../format/format-time.ts';
import { decimalsFor, formatAxisNumber, formatNumber, type PointFormat } from '../../format/format-value.ts';

export type TrendOption = ComposeOption<
  LineSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption | DataZoomComponentOption
>;

export interface TrendLine {
  pointId: string;
  name: string;
  unit: string;
  color: string;
  format: PointFormat;
  /** Draw as steps (a state code holds its value until the next one). */
  step?: boolean;
  /** The point's scan interval: stored points further apart than a scan held their value in between. */
  scanMs: number;
  data: readonly TrendSample[];
}

/** Axes with labels; units beyond these still get their own scale, on an unlabelled axis. */
export const MAX_LABELLED_AXES = 3;
const AXIS_SPACING = 64;
// Greys, text and fonts come from the app's chart theme (chart-theme.ts); only line colours are set here.

/** Text for the tooltip's HTML: point names come from the register map and are not markup. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** A colour for an axis, or nothing so the chart theme's grey applies (a key set to undefined would block it). */
export function toned(color: string | null | undefined): { color?: string } {
  return color ? { color } : {};
}

/** The distinct units of the lines, in the order they first appear; each gets a y-axis. */
export function axisUnits(lines: readonly Pick<TrendLine, 'unit'>[]): string[] {
  const units: string[] = [];
  for (const { unit } of lines) if (!units.includes(unit)) units.push(unit);
  return units;
}

/** A line's legend and tooltip name: "Spindle speed (rpm)". */
export function lineLabel(line: Pick<TrendLine, 'name' | 'unit'>): string {
  return line.unit ? `${line.name} (${line.unit})` : line.name;
}

/** Where axis `index` sits: 0 on the left, the others stacked on the right. */
function axisPlacement(index: number): { position: 'left' | 'right'; offset: number } {
  return index === 0 ? { position: 'left', offset: 0 } : { position: 'right', offset: (index - 1) * AXIS_SPACING };
}

/** The parts of the option that do not change while the chart lives. */
export function baseTrendOption(): TrendOption {
  return {
    animation: false,
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'line' },
      textStyle: { fontSize: 12 },
      confine: true,
      order: 'seriesAsc',
    },
    dataZoom: [{ type: 'inside', xAxisIndex: 0, filterMode: 'none' }],
  };
}

/** The parts that follow the data: axes, series, range. */
export function trendOption(lines: readonly TrendLine[], range: { from: number; to: number }, locale: string): TrendOption {
  const units = axisUnits(lines);
  const labelled = Math.min(units.length, MAX_LABELLED_AXES);
  const rightAxes = Math.max(0, labelled - 1);
  const multiAxis = units.length > 1;

  const yAxis = units.map((unit, index) => {
    const { position, offset } = axisPlacement(Math.min(index, MAX_LABELLED_AXES - 1));
    const show = index < MAX_LABELLED_AXES;
    // With several axes each takes its first line's colour, so a scale is found by its line.
    const tone = multiAxis ? lines.find((line) => line.unit === unit)?.color : undefined;
    // Counters and codes have no half values: no "543,442.5" ticks on their axis.
    const wholeNumbers = lines.filter((line) => line.unit === unit).every((line) => decimalsFor(line.format, 0) === 0);
    return {
      type: 'value' as const,
      show,
      position,
      offset,
      scale: true,
      minInterval: wholeNumbers ? 1 : undefined,
      name: unit,
      nameLocation: 'end' as const,
      nameGap: 12,
      nameTextStyle: { ...toned(tone), fontWeight: 'bold' as const, align: position === 'left' ? ('right' as const) : ('left' as const) },
      axisLine: { show: false },
      axisTick: { show: false },
      axisLabel: { ...toned(tone), formatter: (value: number) => formatAxisNumber(value, locale) },
      splitLine: { show: index === 0 },
    };
  });

  const drawn = lines.map((line) => drawnPoints(line.data, line.scanMs));

  const series: LineSeriesOption[] = lines.map((line, index) => ({
    id: line.pointId,
    type: 'line',
    name: lineLabel(line),
    yAxisIndex: units.indexOf(line.unit),
    data: drawn[index]!.map(([ts, value]) => [ts, value]),
    connectNulls: false,
    step: line.step ? 'end' : false,
    showSymbol: line.data.length < 3,
    symbol: 'circle',
    symbolSize: 5,
    color: line.color,
    lineStyle: { width: 1.8 },
    emphasis: { disabled: true },
  }));

  return {
    tooltip: {
      // Every line's value at the time under the pointer, not only of lines with a point exactly there.
      formatter: (params: unknown) => {
        const first = (Array.isArray(params) ? params[0] : params) as { axisValue?: number } | undefined;
        const time = Number(first?.axisValue);
        if (!Number.isFinite(time)) return '';
        const rows = lines.map((line, index) => {
          const value = valueAt(drawn[index]!, time);
          const text = value === null ? '—' : formatNumber(value, decimalsFor(line.format, value), locale);
          return (
            `<div class="trend-tip-row"><span class="trend-tip-dot" style="background:${line.color}"></span>` +
            `<span class="trend-tip-name">${escapeHtml(line.name)}</span>` +
            `<b>${escapeHtml(text)}</b><span class="trend-tip-unit">${escapeHtml(line.unit)}</span></div>`
          );
        });
        return `<div class="trend-tip"><div class="trend-tip-time">${formatClock(time, locale)}</div>${rows.join('')}</div>`;
      },
    },
    grid: {
      left: 64,
      right: 24 + rightAxes * AXIS_SPACING,
      top: 56,
      bottom: 32,
    },
    legend: {
      type: 'scroll',
      top: 4,
      left: 8,
      right: 8,
      icon: 'roundRect',
      itemWidth: 14,
      itemHeight: 4,
      textStyle: { fontSize: 13 },
    },
    xAxis: {
      type: 'time',
      min: range.from,
      max: range.to,
      axisTick: { show: false },
      axisLabel: { hideOverlap: true, formatter: '{HH}:{mm}' },
      splitLine: { show: true },
    },
    yAxis: yAxis.length > 0 ? yAxis : [{ type: 'value' }],
    series,
  };
}
