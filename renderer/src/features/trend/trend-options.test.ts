import { describe, expect, it } from 'vitest';
import { axisUnits, escapeHtml, lineLabel, trendOption, type TrendLine } from './trend-options.ts';

const line = (pointId: string, unit: string, data: TrendLine['data'] = []): TrendLine => ({
  pointId,
  name: pointId,
  unit,
  color: '#000',
  format: { dataType: 'float32', scale: 1, offset: 0 },
  scanMs: 1000,
  data,
});

describe('trend option', () => {
  it('gives each distinct unit one y-axis, in order of appearance', () => {
    expect(axisUnits([line('a', 'rpm'), line('b', '%'), line('c', 'rpm')])).toEqual(['rpm', '%']);
  });

  it('puts lines of one unit on one axis, the second unit on the right', () => {
    const option = trendOption([line('a', 'rpm'), line('b', '%'), line('c', 'rpm')], { from: 0, to: 600_000 }, 'en');
    const series = option.series as { id: string; yAxisIndex: number; connectNulls: boolean }[];
    expect(series.map((entry) => entry.yAxisIndex)).toEqual([0, 1, 0]);
    expect(series.every((entry) => entry.connectNulls === false)).toBe(true);
    const yAxis = option.yAxis as { position: string; name: string }[];
    expect(yAxis.map((axis) => [axis.position, axis.name])).toEqual([
      ['left', 'rpm'],
      ['right', '%'],
    ]);
  });

  it('keeps gaps as nulls and names lines with their unit', () => {
    const option = trendOption([line('a', 'V', [[1, 230], [2, null]])], { from: 0, to: 10 }, 'en');
    expect((option.series as { data: unknown[] }[])[0]!.data).toEqual([[1, 230], [2, null]]);
    expect(lineLabel({ name: 'Spindle speed', unit: 'rpm' })).toBe('Spindle speed (rpm)');
    expect(lineLabel({ name: 'Power factor', unit: '' })).toBe('Power factor');
  });

  it('shows every line in the tooltip, with names as text, not markup', () => {
    expect(escapeHtml('<img src=x onerror=alert(1)> & "q"')).toBe('&#60;img src=x onerror=alert(1)&#62; &#38; &#34;q&#34;');
    const lines = [line('<b>a</b>', 'V', [[1000, 230]]), line('b', 'A', [[5000, 12.5]])];
    const option = trendOption(lines, { from: 0, to: 10_000 }, 'en');
    const formatter = (option.tooltip as { formatter: (params: unknown) => string }).formatter;
    const html = formatter([{ axisValue: 2000 }]);
    expect(html).toContain('&#60;b&#62;a&#60;/b&#62;');
    expect(html).toContain('230.0');
    expect(html).toContain('—');
  });
});
