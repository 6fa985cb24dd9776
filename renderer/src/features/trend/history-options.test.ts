import { describe, expect, it } from 'vitest';
import type { HistoryLine } from '../../store/trend-series.ts';
import { drawLine, historyChartOption, tooltipHtml, type ChartLine } from './history-options.ts';

const chartLine = (pointId: string, unit: string, history: HistoryLine, extra: Partial<ChartLine> = {}): ChartLine => ({
  pointId,
  name: pointId,
  deviceName: 'CNC-1',
  unit,
  color: '#1f6fd1',
  format: { dataType: 'float32', scale: 1, offset: 0 },
  step: false,
  scanMs: 1000,
  history,
  ...extra,
});

const raw: HistoryLine = { resolution: 'raw', bucketMs: 0, points: [[1000, 5, 5, 5], [2000, 6, 6, 6]], tailCount: 0 };
const hourly: HistoryLine = {
  resolution: '1h',
  bucketMs: 3_600_000,
  points: [
    [0, 10, 2, 30],
    [3_600_000, 12, 11, 13],
  ],
  tailCount: 0,
};
const range = { from: 0, to: 7_200_000 };

type Series = { id: string; yAxisIndex: number; data: [number, number | null][]; step: string | false; stack?: string; areaStyle?: unknown };

describe('history chart option', () => {
  it('draws raw samples as one line, without a band', () => {
    const lines = [chartLine('a', 'V', raw)];
    const option = historyChartOption(lines, lines.map(drawLine), range, range, 'en', { range: 'min–max' });
    const series = option.series as Series[];
    expect(series.map((one) => one.id)).toEqual(['a']);
    expect(series[0]!.data).toEqual([
      [1000, 5],
      [2000, 6],
    ]);
  });

  it('draws the min–max band behind a bucketed line, so a spike stays visible', () => {
    const lines = [chartLine('a', 'kW', hourly)];
    const series = historyChartOption(lines, lines.map(drawLine), range, range, 'en', { range: 'min–max' }).series as Series[];
    expect(series.map((one) => one.id)).toEqual(['a', 'a#min', 'a#range']);
    expect(series[1]!.data).toEqual([
      [0, 2],
      [3_600_000, 11],
    ]);
    // Stacked on the minimum: the band reaches the maximum.
    expect(series[2]!.data).toEqual([
      [0, 28],
      [3_600_000, 2],
    ]);
    expect(series[1]!.stack).toBe(series[2]!.stack);
    expect(series[2]!.areaStyle).toBeDefined();
  });

  it('puts lines on the axis of their unit and draws state codes as steps', () => {
    const lines = [chartLine('speed', 'rpm', raw), chartLine('power', 'kW', raw), chartLine('state', '', raw, { step: true, format: { dataType: 'uint16', scale: 1, offset: 0 } })];
    const option = historyChartOption(lines, lines.map(drawLine), range, range, 'en', { range: 'min–max' });
    const series = option.series as Series[];
    expect(series.map((one) => [one.id, one.yAxisIndex, one.step])).toEqual([
      ['speed', 0, false],
      ['power', 1, false],
      ['state', 2, 'end'],
    ]);
    const yAxis = option.yAxis as { name: string; position: string; minInterval?: number }[];
    expect(yAxis.map((axis) => [axis.name, axis.position])).toEqual([
      ['rpm', 'left'],
      ['kW', 'right'],
      ['', 'left'],
    ]);
    expect(yAxis[2]!.minInterval).toBe(1);
  });

  it('spans the x-axis over the range and zooms it to the view', () => {
    const view = { from: 1_000_000, to: 2_000_000 };
    const option = historyChartOption([], [], range, view, 'en', { range: 'min–max' });
    expect(option.xAxis).toMatchObject({ type: 'time', min: 0, max: 7_200_000 });
    const zooms = option.dataZoom as { type: string; startValue: number; endValue: number }[];
    expect(zooms.map((zoom) => [zoom.type, zoom.startValue, zoom.endValue])).toEqual([
      ['inside', 1_000_000, 2_000_000],
      ['slider', 1_000_000, 2_000_000],
    ]);
  });

  it('shows each line at the cursor with its unit, and the min–max when bucketed', () => {
    const lines = [chartLine('Power', 'kW', hourly), chartLine('<b>Volts</b>', 'V', raw)];
    const html = tooltipHtml(lines, lines.map(drawLine), 1_800_000, 'en', { range: 'min–max' });
    expect(html).toContain('10.00');
    expect(html).toContain('kW');
    expect(html).toContain('min–max 2.000 – 30.00');
    expect(html).toContain('&#60;b&#62;Volts');
    // Before the cursor's time the raw line holds 6 (stored at 2 s), then the historian heartbeat runs out.
    expect(tooltipHtml(lines, lines.map(drawLine), 1500, 'en', { range: 'min–max' })).toContain('5.000');
  });
});
