import { describe, expect, it } from 'vitest';
import { MIN_WIDGET_SIZE, PLANT_OVERVIEW, WIDGET_TYPES, WidgetSchema } from '../../../../shared/domain/dashboards.ts';
import { defaultOptions, newWidget, newWidgetId, withTitle } from './widget-form.ts';

describe('new widgets', () => {
  it('starts every type with options that are valid, at its default size, where there is room', () => {
    for (const type of WIDGET_TYPES) {
      const widget = newWidget(type, PLANT_OVERVIEW.widgets, defaultOptions(type, { pointId: 'demo-meter1.activePower' }));
      expect(WidgetSchema.safeParse(widget).success, type).toBe(true);
      expect(widget.w).toBeGreaterThanOrEqual(MIN_WIDGET_SIZE[type].w);
      for (const other of PLANT_OVERVIEW.widgets) {
        const overlaps = widget.x < other.x + other.w && other.x < widget.x + widget.w && widget.y < other.y + other.h && other.y < widget.y + widget.h;
        expect(overlaps, `${type} over ${other.id}`).toBe(false);
      }
    }
  });

  it('gives a trend without any point to draw options the settings must complete', () => {
    expect(() => newWidget('trend', [], defaultOptions('trend', {}))).toThrow();
  });

  it('numbers ids per type', () => {
    expect(newWidgetId('gauge', [])).toBe('gauge-1');
    expect(newWidgetId('gauge', ['gauge-1', 'gauge-3'])).toBe('gauge-2');
  });
});

describe('titles', () => {
  it('sets the title in the UI language and keeps the other one', () => {
    expect(withTitle({ en: 'OEE now', 'zh-CN': '当前 OEE' }, 'en', ' Line OEE ')).toEqual({ en: 'Line OEE', 'zh-CN': '当前 OEE' });
    expect(withTitle({ en: 'OEE now', 'zh-CN': '当前 OEE' }, 'zh-CN', '')).toEqual({ en: 'OEE now' });
    expect(withTitle({ en: 'OEE now' }, 'en', '  ')).toBeUndefined();
    expect(withTitle(undefined, 'zh-CN', '产量')).toEqual({ 'zh-CN': '产量' });
  });
});
