// New widgets and changed titles, for the editor: a widget of any type with options that are valid
// from the start, an id no other widget has, and a title set in the UI language only.
import {
  DEFAULT_WIDGET_SIZE,
  GRID_COLUMNS,
  WIDGET_OPTIONS,
  WidgetSchema,
  type LocalizedText,
  type Widget,
  type WidgetType,
} from '../../../../shared/domain/dashboards.ts';
import type { Locale } from '../../../../shared/i18n/index.ts';
import { firstFreeSpot } from './layout.ts';

/** What a new widget can be pointed at right away (the first numeric point, for a tile or a trend). */
export interface WidgetDefaults {
  pointId?: string | undefined;
}

/** Options a new widget of `type` starts with. */
export function defaultOptions(type: WidgetType, defaults: WidgetDefaults): unknown {
  switch (type) {
    case 'valueTile':
      return { source: { kind: 'plant', kpi: 'oee', period: 'shift' } };
    case 'gauge':
      return { source: { kind: 'plant', kpi: 'oee', period: 'shift' }, min: 0, max: 100 };
    case 'trend':
      return { pointIds: defaults.pointId ? [defaults.pointId] : [], range: 'lastHour' };
    default:
      return WIDGET_OPTIONS[type].parse({});
  }
}

/**
 * An id for a new widget of `type`: "trend-1", "trend-2", … whichever is free.
 * @example newWidgetId('gauge', ['gauge-1']) // → 'gauge-2'
 */
export function newWidgetId(type: WidgetType, taken: readonly string[]): string {
  for (let number = 1; ; number++) {
    const id = `${type}-${number}`;
    if (!taken.includes(id)) return id;
  }
}

/** A new widget of `type` at the first free place of `widgets`, at its default size. */
export function newWidget(type: WidgetType, widgets: readonly Widget[], options: unknown): Widget {
  const size = DEFAULT_WIDGET_SIZE[type];
  const spot = firstFreeSpot(widgets, size.w, size.h, GRID_COLUMNS);
  return WidgetSchema.parse({ id: newWidgetId(type, widgets.map((widget) => widget.id)), type, ...spot, ...size, options });
}

/**
 * The title with the text for `locale` set (or removed when empty); undefined when no language has one.
 * The other language's title is kept: a template's Chinese title survives an English rename.
 */
export function withTitle(title: LocalizedText | undefined, locale: Locale, text: string): LocalizedText | undefined {
  const next: LocalizedText = { ...title };
  const trimmed = text.trim();
  if (trimmed === '') delete next[locale];
  else next[locale] = trimmed.slice(0, 80);
  return next.en === undefined && next['zh-CN'] === undefined ? undefined : next;
}
