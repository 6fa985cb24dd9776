// The ECharts options of the dashboard's charts, built from the figures they show: a gauge with its
// colour bands, the machines' states as a Gantt chart, a bar per shift or day, where the time went,
// and energy by machine. Greys, text, fonts and tooltips come from the app's chart theme (light or
// dark, trend/chart-theme.ts), so options only carry colours with a meaning (states, bands, bars):
// pure functions of their data, so a chart is given a new option only when its figures changed.
import type { BarSeriesOption, CustomSeriesOption, GaugeSeriesOption } from 'echarts/charts';
import type { GridComponentOption, TooltipComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import type { MachineState, StateSpan } from '../../../../shared/contract/kpi-calls.ts';
import { formatClock } from '../../format/format-time.ts';
import { formatAxisNumber } from '../../format/format-value.ts';
import { formatDuration } from '../trend/resolution.ts';
import { escapeHtml } from '../trend/trend-options.ts';
import { STATE_COLORS, type Tone } from './kpi-values.ts';

export type WidgetChartOption = ComposeOption<
  GaugeSeriesOption | BarSeriesOption | CustomSeriesOption | GridComponentOption | TooltipComponentOption
>;

export const ACCENT_COLOR = '#1f6fd1';
export const TONE_COLORS: Record<Tone, string> = { good: '#34a853', warn: '#f2a600', bad: '#e8453c', off: '#b8c0ca' };

const tooltipBase: TooltipComponentOption = {
  textStyle: { fontSize: 12 },
  confine: true,
};

/** Pixels a column of labels needs: CJK characters are about twice as wide as Latin ones. */
export function labelWidth(labels: readonly string[], fontSize = 12): number {
  const widest = labels.reduce((width, label) => {
    let units = 0;
    for (const character of label) units += /[\u2e80-\u9fff\uff00-\uffef]/.test(character) ? 1.9 : 1;
    return Math.max(width, units);
  }, 0);
  return Math.ceil(widest * fontSize * 0.56) + 10;
}

export interface GaugeInput {
  value: number | null;
  min: number;
  max: number;
  bands?: { warn: number; good: number; lowerIsBetter?: boolean } | undefined;
  /** The value as the tile writes it ("85.3"), or a dash. */
  valueText: string;
  unit: string;
  locale: string;
}

/** The colour stops of a gauge's band: red, amber, green (or the other way round when lower is better). */
export function gaugeStops(min: number, max: number, bands: GaugeInput['bands']): [number, string][] {
  if (!bands) return [[1, '#c7daf5']];
  const at = (value: number) => Math.min(1, Math.max(0, (value - min) / (max - min)));
  const [low, high] = [Math.min(bands.warn, bands.good), Math.max(bands.warn, bands.good)];
  const colors = bands.lowerIsBetter ? [TONE_COLORS.good, TONE_COLORS.warn, TONE_COLORS.bad] : [TONE_COLORS.bad, TONE_COLORS.warn, TONE_COLORS.good];
  return [
    [at(low), colors[0]!],
    [at(high), colors[1]!],
    [1, colors[2]!],
  ];
}

export function gaugeOption(input: GaugeInput): WidgetChartOption {
  const { min, max, value } = input;
  const shown = value === null ? min : Math.min(max, Math.max(min, value));
  return {
    animation: false,
    series: [
      {
        type: 'gauge',
        min,
        max,
        startAngle: 210,
        endAngle: -30,
        radius: '88%',
        center: ['50%', '56%'],
        splitNumber: 5,
        axisLine: { lineStyle: { width: 14, color: gaugeStops(min, max, input.bands) } },
        progress: { show: false },
        pointer: { show: value !== null, length: '58%', width: 5 },
        anchor: { show: value !== null, size: 10 },
        axisTick: { show: false },
        splitLine: { length: 14, distance: -14, lineStyle: { width: 2 } },
        axisLabel: { distance: 20, fontSize: 11, formatter: (tick: number) => formatAxisNumber(tick, input.locale) },
        title: { show: false },
        detail: {
          valueAnimation: false,
          offsetCenter: [0, '42%'],
          fontSize: 24,
          fontWeight: 600,
          formatter: () => (input.unit ? `${input.valueText} ${input.unit}` : input.valueText),
        },
        data: [{ value: shown }],
      },
    ],
  };
}

export interface TimelineRow {
  id: string;
  name: string;
  spans: readonly StateSpan[];
}

export interface TimelineWords {
  state: Record<MachineState, string>;
}

const STATE_ORDER = Object.keys(STATE_COLORS) as MachineState[];

/** The machines' states over a period as a Gantt chart: a row per machine, a bar per stretch in one state. */
export function timelineOption(
  rows: readonly TimelineRow[],
  range: { from: number; to: number },
  words: TimelineWords,
  locale: string,
  colors: Record<MachineState, string> = STATE_COLORS,
): WidgetChartOption {
  const data = rows.flatMap((row, index) =>
    row.spans
      .filter((span) => span.to > range.from && span.from < range.to)
      .map((span) => ({
        value: [index, Math.max(span.from, range.from), Math.min(span.to, range.to), STATE_ORDER.indexOf(span.state)],
        itemStyle: { color: colors[span.state] },
      })),
  );
  return {
    animation: false,
    grid: { left: labelWidth(rows.map((row) => row.name)), right: 16, top: 8, bottom: 26 },
    tooltip: {
      ...tooltipBase,
      trigger: 'item',
      formatter: (params: unknown) => {
        const value = (params as { value?: number[] }).value;
        if (!value) return '';
        const [index, from, to, state] = value as [number, number, number, number];
        const name = rows[index]?.name ?? '';
        const stateName = words.state[STATE_ORDER[state] ?? 'unknown'];
        return (
          `<div class="trend-tip"><div class="trend-tip-time">${escapeHtml(name)}</div>` +
          `<div class="trend-tip-row"><span class="trend-tip-dot" style="background:${colors[STATE_ORDER[state] ?? 'unknown']}"></span>` +
          `<b>${escapeHtml(stateName)}</b></div>` +
          `<div>${formatClock(from, locale).slice(0, 5)} – ${formatClock(to, locale).slice(0, 5)} · ${escapeHtml(formatDuration(to - from, locale))}</div></div>`
        );
      },
    },
    xAxis: {
      type: 'time',
      min: range.from,
      max: range.to,
      axisTick: { show: false },
      axisLabel: { hideOverlap: true, formatter: '{HH}:{mm}' },
      splitLine: { show: true },
    },
    yAxis: {
      type: 'category',
      data: rows.map((row) => row.name),
      inverse: true,
      axisLine: { show: false },
      axisTick: { show: false },
      axisLabel: { fontSize: 12 },
      splitLine: { show: false },
    },
    series: [
      {
        id: 'states',
        type: 'custom',
        encode: { x: [1, 2], y: 0 },
        renderItem: (params, api) => {
          const row = api.value(0) as number;
          const start = api.coord([api.value(1), row]) as number[];
          const end = api.coord([api.value(2), row]) as number[];
          const band = (api.size?.([0, 1]) as number[] | undefined)?.[1] ?? 20;
          const height = Math.max(4, Math.min(22, band * 0.62));
          const area = params.coordSys as unknown as { x: number; width: number };
          const left = Math.max(start[0]!, area.x);
          const right = Math.min(end[0]!, area.x + area.width);
          if (right <= left) return null;
          return {
            type: 'rect',
            shape: { x: left, y: start[1]! - height / 2, width: Math.max(1, right - left), height },
            style: { fill: (api.visual('color') as string) ?? colors.unknown },
          };
        },
        data,
      },
    ],
  };
}

export interface PeriodBar {
  /** Short label under the bar ("05-04 08:00"). */
  label: string;
  /** The period's own name for the tooltip ("Day shift 2026-05-04"). */
  title: string;
  value: number | null;
  /** The period running now (its figure still grows). */
  current: boolean;
  tone: Tone | null;
}

/** A bar per shift or day, oldest on the left; percentages on a 0–100 axis, the running period paler. */
export function periodBarsOption(bars: readonly PeriodBar[], format: { unit: string; percent: boolean; text: (value: number) => string; running: string }): WidgetChartOption {
  const values = bars.map((bar) => (bar.value === null ? null : format.percent ? bar.value * 100 : bar.value));
  const highest = Math.max(0, ...values.map((value) => value ?? 0));
  return {
    animation: false,
    grid: { left: 8, right: 12, top: 22, bottom: 4, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    tooltip: {
      ...tooltipBase,
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => {
        const first = (Array.isArray(params) ? params[0] : params) as { dataIndex?: number } | undefined;
        const bar = bars[first?.dataIndex ?? -1];
        if (!bar) return '';
        const text = bar.value === null ? '—' : `${format.text(bar.value)} ${format.unit}`.trim();
        return `<div class="trend-tip"><div class="trend-tip-time">${escapeHtml(bar.title)}${bar.current ? ` · ${escapeHtml(format.running)}` : ''}</div><b>${escapeHtml(text)}</b></div>`;
      },
    },
    xAxis: {
      type: 'category',
      data: bars.map((bar) => bar.label),
      axisTick: { show: false },
      axisLabel: { fontSize: 11, hideOverlap: true },
    },
    yAxis: {
      type: 'value',
      min: 0,
      max: format.percent ? Math.max(100, Math.ceil(highest / 25) * 25) : undefined,
      interval: format.percent ? 25 : undefined,
      splitNumber: 4,
      axisLabel: { fontSize: 11, formatter: (tick: number) => `${formatAxisNumber(tick, 'en')}${format.percent ? ' %' : ''}` },
    },
    series: [
      {
        id: 'bars',
        type: 'bar',
        barMaxWidth: 36,
        data: bars.map((bar, index) => ({
          value: values[index] ?? null,
          itemStyle: { color: bar.tone ? TONE_COLORS[bar.tone] : ACCENT_COLOR, opacity: bar.current ? 0.55 : 1, borderRadius: [3, 3, 0, 0] },
        })),
        label: {
          show: true,
          position: 'top',
          fontSize: 11,
          formatter: (params: unknown) => {
            const bar = bars[(params as { dataIndex: number }).dataIndex];
            return bar?.value === null || bar === undefined ? '' : format.text(bar.value);
          },
        },
      },
    ],
  };
}

export interface HorizontalBar {
  id: string;
  label: string;
  value: number;
  color: string;
  /** Written at the end of the bar ("35 min", "86.4 kWh"). */
  text: string;
  /** Extra line in the tooltip ("1.2 kWh per part"). */
  detail?: string | undefined;
}

/** Horizontal bars, the first on top: where the time went, energy by machine. */
export function horizontalBarsOption(bars: readonly HorizontalBar[]): WidgetChartOption {
  const highest = Math.max(0, ...bars.map((bar) => bar.value));
  return {
    animation: false,
    grid: { left: labelWidth(bars.map((bar) => bar.label)), right: Math.max(56, labelWidth(bars.map((bar) => bar.text), 11)), top: 4, bottom: 4 },
    tooltip: {
      ...tooltipBase,
      trigger: 'item',
      formatter: (params: unknown) => {
        const bar = bars[(params as { dataIndex: number }).dataIndex];
        if (!bar) return '';
        return `<div class="trend-tip"><div class="trend-tip-time">${escapeHtml(bar.label)}</div><b>${escapeHtml(bar.text)}</b>${bar.detail ? `<div>${escapeHtml(bar.detail)}</div>` : ''}</div>`;
      },
    },
    xAxis: { type: 'value', show: false, min: 0, max: highest > 0 ? highest : 1 },
    yAxis: {
      type: 'category',
      data: bars.map((bar) => bar.label),
      inverse: true,
      axisLine: { show: false },
      axisTick: { show: false },
      axisLabel: { fontSize: 12 },
    },
    series: [
      {
        id: 'bars',
        type: 'bar',
        barMaxWidth: 18,
        showBackground: true,
        backgroundStyle: { borderRadius: 3 },
        data: bars.map((bar) => ({ value: bar.value, itemStyle: { color: bar.color, borderRadius: 3 } })),
        label: {
          show: true,
          position: 'right',
          fontSize: 11,
          formatter: (params: unknown) => bars[(params as { dataIndex: number }).dataIndex]?.text ?? '',
        },
      },
    ],
  };
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * A short name for a bar: the day ("05/04"), and for a shift its start time too ("05/04 08:00"),
 * in the UI's date order. The engine's own long name goes to the tooltip.
 */
export function periodShortLabel(period: { kind: string; from: number }, locale: string): string {
  let format = dayFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { month: '2-digit', day: '2-digit' });
    dayFormats.set(locale, format);
  }
  const day = format.format(period.from);
  return period.kind === 'shift' ? `${day} ${formatClock(period.from, locale).slice(0, 5)}` : day;
}
