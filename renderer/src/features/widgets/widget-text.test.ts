import { describe, expect, it } from 'vitest';
import { PLANT_OVERVIEW, WidgetSchema } from '../../../../shared/domain/dashboards.ts';
import { widgetTitle } from './widget-text.ts';

const names = {
  point: (id: string) => (id === 'p1' ? 'Active power' : undefined),
  machine: (id: string) => (id === 'cnc' ? 'CNC-1' : undefined),
  kpi: (id: string) => (id === 'cnc-1.parts-per-hour' ? 'Parts per hour' : undefined),
};

describe('widget titles', () => {
  it("shows the widget's own title in the UI language", () => {
    const tile = PLANT_OVERVIEW.widgets.find((widget) => widget.id === 'oee-shift')!;
    expect(widgetTitle(tile, 'en', names)).toBe('OEE this shift');
    expect(widgetTitle(tile, 'zh-CN', names)).toBe('本班 OEE');
  });

  it('names an untitled widget from what it shows', () => {
    const widget = (value: object) => WidgetSchema.parse({ id: 'w', x: 0, y: 0, w: 4, h: 4, ...value });
    expect(widgetTitle(widget({ type: 'valueTile', options: { source: { kind: 'plant', kpi: 'output', period: 'day' } } }), 'en', names)).toBe('Output, today');
    expect(widgetTitle(widget({ type: 'valueTile', options: { source: { kind: 'plant', kpi: 'output', period: 'day' } } }), 'zh-CN', names)).toBe('今日产量');
    expect(widgetTitle(widget({ type: 'gauge', options: { source: { kind: 'machine', machineId: 'cnc', kpi: 'oee', period: 'shift' } } }), 'en', names)).toBe('CNC-1 · OEE, this shift');
    expect(widgetTitle(widget({ type: 'valueTile', options: { source: { kind: 'point', pointId: 'p1' } } }), 'en', names)).toBe('Active power');
    expect(widgetTitle(widget({ type: 'valueTile', options: { source: { kind: 'kpi', kpiId: 'cnc-1.parts-per-hour', period: 'shift' } } }), 'en', names)).toBe('Parts per hour, this shift');
    // A KPI whose name is not known (yet) is called by its id.
    expect(widgetTitle(widget({ type: 'gauge', options: { source: { kind: 'kpi', kpiId: 'gone', period: 'day' } } }), 'en', names)).toBe('gone, today');
    expect(widgetTitle(widget({ type: 'trend', options: { pointIds: ['p1'], range: 'last8h' } }), 'en', names)).toBe('Trend · Last 8 hours');
    expect(widgetTitle(widget({ type: 'barByShift', options: { kpi: 'scrap', period: 'day' } }), 'zh-CN', names)).toBe('废品 · 按日');
    expect(widgetTitle(widget({ type: 'alarmList', options: {} }), 'en', names)).toBe('Active alarms');
  });
});
