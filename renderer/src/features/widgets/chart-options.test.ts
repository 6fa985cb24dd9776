import { describe, expect, it } from 'vitest';
import { gaugeOption, gaugeStops, horizontalBarsOption, labelWidth, periodBarsOption, periodShortLabel, timelineOption, TONE_COLORS } from './chart-options.ts';
import { STATE_COLORS } from './kpi-values.ts';
import { SHIFT_FROM } from './test-overview.ts';

const HOUR = 3_600_000;
const words = { state: { running: 'Running', idle: 'Idle', stopped: 'Stopped', alarm: 'Alarm', offline: 'Offline', unknown: 'Unknown' } };
type Series = { type: string; data: { value: unknown; itemStyle?: { color?: string; opacity?: number } }[] };
const seriesOf = (option: unknown) => ((option as { series: Series[] }).series)[0]!;

describe('gauge', () => {
  it('colours its band red, amber, green at the thresholds, reversed when lower is better', () => {
    expect(gaugeStops(0, 100, { warn: 60, good: 85 })).toEqual([
      [0.6, TONE_COLORS.bad],
      [0.85, TONE_COLORS.warn],
      [1, TONE_COLORS.good],
    ]);
    expect(gaugeStops(0, 200, { warn: 150, good: 100, lowerIsBetter: true })).toEqual([
      [0.5, TONE_COLORS.good],
      [0.75, TONE_COLORS.warn],
      [1, TONE_COLORS.bad],
    ]);
  });

  it('keeps the needle on the dial and hides it without a value', () => {
    const over = gaugeOption({ value: 130, min: 0, max: 100, valueText: '130', unit: '%', locale: 'en' });
    expect((seriesOf(over).data[0] as { value: number }).value).toBe(100);
    const none = gaugeOption({ value: null, min: 0, max: 100, valueText: '—', unit: '', locale: 'en' });
    expect((seriesOf(none) as unknown as { pointer: { show: boolean } }).pointer.show).toBe(false);
  });
});

describe('state timeline', () => {
  it('draws a bar per stretch in one state, clipped to the period, in the state colour', () => {
    const rows = [
      { id: 'a', name: 'CNC-1', spans: [{ from: SHIFT_FROM - HOUR, to: SHIFT_FROM + HOUR, state: 'idle' as const }, { from: SHIFT_FROM + HOUR, to: SHIFT_FROM + 2 * HOUR, state: 'running' as const }] },
      { id: 'b', name: '注塑机', spans: [{ from: SHIFT_FROM + 9 * HOUR, to: SHIFT_FROM + 10 * HOUR, state: 'stopped' as const }] },
    ];
    const option = timelineOption(rows, { from: SHIFT_FROM, to: SHIFT_FROM + 8 * HOUR }, words, 'en');
    const data = seriesOf(option).data;
    expect(data.map((entry) => entry.value)).toEqual([
      [0, SHIFT_FROM, SHIFT_FROM + HOUR, 1],
      [0, SHIFT_FROM + HOUR, SHIFT_FROM + 2 * HOUR, 0],
    ]);
    expect(data.map((entry) => entry.itemStyle?.color)).toEqual([STATE_COLORS.idle, STATE_COLORS.running]);
    expect((option as { yAxis: { data: string[] } }).yAxis.data).toEqual(['CNC-1', '注塑机']);
    const tooltip = (option as { tooltip: { formatter: (params: unknown) => string } }).tooltip.formatter({ value: data[0]!.value });
    expect(tooltip).toContain('CNC-1');
    expect(tooltip).toContain('Idle');
  });

  it('leaves room for the longest name, wider for Chinese', () => {
    expect(labelWidth(['注塑机一号'])).toBeGreaterThan(labelWidth(['IMM-1']));
  });
});

describe('bars by shift and horizontal bars', () => {
  it('shows percentages on a 0–100 axis with the running period paler', () => {
    const option = periodBarsOption(
      [
        { label: '05/03 08:00', title: 'Day shift', value: 0.9, current: false, tone: 'good' },
        { label: '05/04 08:00', title: 'Day shift', value: 0.5, current: true, tone: 'bad' },
        { label: '05/05 08:00', title: 'Day shift', value: null, current: false, tone: 'off' },
      ],
      { unit: '%', percent: true, text: (value) => String(Math.round(value * 100)), running: 'This shift' },
    );
    const data = seriesOf(option).data;
    expect(data.map((entry) => entry.value)).toEqual([90, 50, null]);
    expect(data.map((entry) => entry.itemStyle?.opacity)).toEqual([1, 0.55, 1]);
    expect((option as { yAxis: { max: number } }).yAxis.max).toBe(100);
  });

  it('draws horizontal bars in their order with their text', () => {
    const option = horizontalBarsOption([
      { id: 'a', label: 'CNC-1', value: 40, color: '#123456', text: '40 kWh' },
      { id: 'b', label: 'IMM-1', value: 10, color: '#123456', text: '10 kWh', detail: '0.2 kWh per part' },
    ]);
    expect(seriesOf(option).data.map((entry) => entry.value)).toEqual([40, 10]);
    expect((option as { xAxis: { max: number } }).xAxis.max).toBe(40);
  });

  it('names a shift by its day and start, a day by its date', () => {
    const from = new Date(2026, 4, 4, 8, 0).getTime();
    expect(periodShortLabel({ kind: 'shift', from }, 'en')).toBe('05/04 08:00');
    expect(periodShortLabel({ kind: 'day', from }, 'zh-CN')).toBe('05/04');
  });
});
