// A dashboard as a declarative document: a 12-column grid and widgets placed on it, each of a known
// type with options checked for that type. The same form is stored in the database, exported and
// imported as a JSON file, and shipped inside solution templates; nothing in it is code.
import { z } from 'zod';
import { translate, type Locale, type MessageKey } from '../i18n/index.ts';

/** What an exported dashboard file says it is, so an import can tell it from any other JSON. */
export const DASHBOARD_FORMAT = 'plantdesk.dashboard/1';
export const GRID_COLUMNS = 12;
/** The id of the built-in "Plant overview": read-only, copied to be changed. */
export const PLANT_OVERVIEW_ID = 'plant-overview';
export const MAX_WIDGETS = 60;
/** Largest dashboard JSON accepted by an import (a dashboard of 60 widgets is a few tens of kB). */
export const MAX_DASHBOARD_JSON_BYTES = 1_000_000;

/** The periods a KPI widget can show; the KPI engine's periods (shared/contract/kpi-calls.ts). */
export const DASHBOARD_PERIODS = ['shift', 'day', 'week', 'month'] as const;
export type DashboardPeriod = (typeof DASHBOARD_PERIODS)[number];

export const WIDGET_TYPES = [
  'valueTile',
  'gauge',
  'machineStatus',
  'stateTimeline',
  'trend',
  'barByShift',
  'oeeBreakdown',
  'energyByMachine',
  'alarmList',
  'stopList',
] as const;
export type WidgetType = (typeof WIDGET_TYPES)[number];

/** The smallest size each type stays readable at, in grid cells. */
export const MIN_WIDGET_SIZE: Record<WidgetType, { w: number; h: number }> = {
  valueTile: { w: 2, h: 2 },
  gauge: { w: 2, h: 3 },
  machineStatus: { w: 3, h: 3 },
  stateTimeline: { w: 4, h: 3 },
  trend: { w: 3, h: 3 },
  barByShift: { w: 3, h: 3 },
  oeeBreakdown: { w: 3, h: 4 },
  energyByMachine: { w: 3, h: 3 },
  alarmList: { w: 3, h: 3 },
  stopList: { w: 4, h: 4 },
};

/** The size a newly added widget of each type gets. */
export const DEFAULT_WIDGET_SIZE: Record<WidgetType, { w: number; h: number }> = {
  valueTile: { w: 2, h: 2 },
  gauge: { w: 3, h: 4 },
  machineStatus: { w: 8, h: 5 },
  stateTimeline: { w: 8, h: 4 },
  trend: { w: 6, h: 4 },
  barByShift: { w: 4, h: 4 },
  oeeBreakdown: { w: 4, h: 5 },
  energyByMachine: { w: 4, h: 4 },
  alarmList: { w: 4, h: 5 },
  stopList: { w: 12, h: 6 },
};

const slug = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.-]+$/, 'Use letters, digits, "_", "-" and "." only');
const widgetId = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[A-Za-z0-9_-]+$/, 'Use letters, digits, "_" and "-" only');
/** A device's point id (shared/domain/devices.ts) or a machine id of the KPI engine. */
const reference = slug;

/** Text in both languages; a title may give only one, the other language then shows it too. */
export const LocalizedTextSchema = z
  .object({
    en: z.string().trim().min(1).max(80).optional(),
    'zh-CN': z.string().trim().min(1).max(80).optional(),
  })
  .strict()
  .refine((text) => text.en !== undefined || text['zh-CN'] !== undefined, { message: 'Give the text in English or Chinese' });
export type LocalizedText = z.infer<typeof LocalizedTextSchema>;

/** The text in `locale`, else in the other language. */
export function localizedText(text: LocalizedText | undefined, locale: Locale): string | undefined {
  if (!text) return undefined;
  return locale === 'en' ? (text.en ?? text['zh-CN']) : (text['zh-CN'] ?? text.en);
}

const period = z.enum(DASHBOARD_PERIODS);
/** Plant-wide figures of kpis.overview (`plant`). */
export const PLANT_KPIS = ['oee', 'output', 'energyKwh', 'energyCost', 'peakDemandKw'] as const;
export type PlantKpi = (typeof PLANT_KPIS)[number];
/** One machine's figures of kpis.overview (`machines[]`). */
export const MACHINE_KPIS = ['oee', 'availability', 'performance', 'quality', 'output', 'good', 'scrap', 'energyKwh', 'kwhPerPart'] as const;
export type MachineKpi = (typeof MACHINE_KPIS)[number];
/** Figures a bar per shift or day can show, for the plant or one machine. */
export const BAR_KPIS = ['oee', 'availability', 'performance', 'quality', 'output', 'scrap', 'energyKwh'] as const;
export type BarKpi = (typeof BAR_KPIS)[number];
/** Figures that are ratios (0.85) and shown as percentages (85 %). */
export const RATIO_KPIS: readonly string[] = ['oee', 'availability', 'performance', 'quality'];

export const TREND_RANGES = ['lastHour', 'last4h', 'last8h', 'last24h'] as const;
export type TrendRange = (typeof TREND_RANGES)[number];
export const TREND_RANGE_MS: Record<TrendRange, number> = {
  lastHour: 3_600_000,
  last4h: 4 * 3_600_000,
  last8h: 8 * 3_600_000,
  last24h: 24 * 3_600_000,
};

/**
 * Where a tile or a gauge takes its number from: a plant KPI, a machine's KPI, a stored KPI definition
 * (made in the app or brought by a template; its unit and decimals come from the definition) over the
 * current period, or a point's live value.
 */
export const ValueSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('plant'), kpi: z.enum(PLANT_KPIS), period }).strict(),
  z.object({ kind: z.literal('machine'), machineId: reference, kpi: z.enum(MACHINE_KPIS), period }).strict(),
  z.object({ kind: z.literal('kpi'), kpiId: reference, period }).strict(),
  z.object({ kind: z.literal('point'), pointId: reference }).strict(),
]);
export type ValueSource = z.infer<typeof ValueSourceSchema>;

/** Colour bands of a gauge: red below `warn`, amber up to `good`, green from `good` (reversed when lower is better). */
export const GaugeBandsSchema = z
  .object({ warn: z.number().finite(), good: z.number().finite(), lowerIsBetter: z.boolean().default(false) })
  .strict();

const machineIds = z.array(reference).max(500).default([]);

export const WIDGET_OPTIONS = {
  valueTile: z.object({ source: ValueSourceSchema, decimals: z.number().int().min(0).max(6).optional() }).strict(),
  /** For ratio KPIs min, max and bands are in percent. */
  gauge: z
    .object({
      source: ValueSourceSchema,
      min: z.number().finite().default(0),
      max: z.number().finite().default(100),
      bands: GaugeBandsSchema.optional(),
    })
    .strict()
    .refine((options) => options.max > options.min, { message: 'The maximum must be above the minimum', path: ['max'] }),
  /** A card per machine: state, OEE with A/P/Q, output, energy. No machine ids: every machine. */
  machineStatus: z.object({ period: period.default('shift'), machineIds }).strict(),
  stateTimeline: z.object({ period: z.enum(['shift', 'day']).default('shift'), machineIds }).strict(),
  trend: z.object({ pointIds: z.array(reference).min(1).max(8), range: z.enum(TREND_RANGES).default('lastHour') }).strict(),
  /** One bar per shift or day, the newest on the right; machineId null is the whole plant. */
  barByShift: z
    .object({
      kpi: z.enum(BAR_KPIS).default('oee'),
      period: z.enum(['shift', 'day']).default('shift'),
      count: z.number().int().min(2).max(14).default(7),
      machineId: reference.nullable().default(null),
    })
    .strict(),
  /** Availability, performance, quality and OEE, and where the time went; machineId null is the whole plant. */
  oeeBreakdown: z.object({ period: period.default('shift'), machineId: reference.nullable().default(null) }).strict(),
  energyByMachine: z.object({ period: period.default('day') }).strict(),
  alarmList: z.object({ max: z.number().int().min(1).max(50).default(10) }).strict(),
  /** The stops of the current shift with buttons to give each its reason; machineId null: every machine. */
  stopList: z.object({ machineId: reference.nullable().default(null) }).strict(),
} as const;
export type WidgetOptions<Type extends WidgetType> = z.output<(typeof WIDGET_OPTIONS)[Type]>;

const placement = {
  id: widgetId,
  x: z.number().int().min(0).max(GRID_COLUMNS - 1),
  y: z.number().int().min(0).max(999),
  w: z.number().int().min(1).max(GRID_COLUMNS),
  h: z.number().int().min(1).max(40),
  /** Shown above the widget; without one the widget names itself from its type and options. */
  title: LocalizedTextSchema.optional(),
};

const widgetOf = <Type extends WidgetType>(type: Type) =>
  z.object({ ...placement, type: z.literal(type), options: WIDGET_OPTIONS[type] }).strict();

export const WidgetSchema = z.discriminatedUnion('type', [
  widgetOf('valueTile'),
  widgetOf('gauge'),
  widgetOf('machineStatus'),
  widgetOf('stateTimeline'),
  widgetOf('trend'),
  widgetOf('barByShift'),
  widgetOf('oeeBreakdown'),
  widgetOf('energyByMachine'),
  widgetOf('alarmList'),
  widgetOf('stopList'),
]);
export type Widget = z.output<typeof WidgetSchema>;
export type WidgetInput = z.input<typeof WidgetSchema>;
export type WidgetOf<Type extends WidgetType> = Extract<Widget, { type: Type }>;

/** A widget's box on the grid, in cells. */
export interface GridRect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export function rectsOverlap(a: GridRect, b: GridRect): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** A problem with the layout, as a message key of shared/i18n, for the describer below. */
function layoutIssue(ctx: z.RefinementCtx, path: PropertyKey[], key: MessageKey, params: Record<string, string | number>): void {
  ctx.addIssue({ code: 'custom', path, message: translate('en', key, params), params: { key, ...params } });
}

export const DashboardSchema = z
  .object({
    format: z.literal(DASHBOARD_FORMAT).default(DASHBOARD_FORMAT),
    id: slug,
    name: z
      .object({ en: z.string().trim().min(1).max(80), 'zh-CN': z.string().trim().min(1).max(80) })
      .strict(),
    description: LocalizedTextSchema.optional(),
    /** How often the KPI widgets read the figures again while new samples arrive (seconds). */
    refreshSeconds: z.number().int().min(1).max(300).default(5),
    grid: z
      .object({
        columns: z.literal(GRID_COLUMNS).default(GRID_COLUMNS),
        rowHeight: z.number().int().min(32).max(160).default(56),
      })
      .strict()
      .default({ columns: GRID_COLUMNS, rowHeight: 56 }),
    widgets: z.array(WidgetSchema).max(MAX_WIDGETS),
  })
  .strict()
  .superRefine((dashboard, ctx) => {
    const seen = new Map<string, number>();
    dashboard.widgets.forEach((widget, index) => {
      const path = ['widgets', index];
      const previous = seen.get(widget.id);
      if (previous !== undefined) layoutIssue(ctx, [...path, 'id'], 'dashboard.problem.duplicateId', { id: widget.id });
      else seen.set(widget.id, index);
      if (widget.x + widget.w > GRID_COLUMNS) {
        layoutIssue(ctx, [...path, 'w'], 'dashboard.problem.outsideGrid', { columns: GRID_COLUMNS, x: widget.x, w: widget.w });
      }
      const min = MIN_WIDGET_SIZE[widget.type];
      if (widget.w < min.w || widget.h < min.h) {
        layoutIssue(ctx, [...path, 'w'], 'dashboard.problem.tooSmall', { minW: min.w, minH: min.h, w: widget.w, h: widget.h });
      }
      for (let other = 0; other < index; other++) {
        const before = dashboard.widgets[other]!;
        if (rectsOverlap(widget, before)) {
          layoutIssue(ctx, [...path, 'y'], 'dashboard.problem.overlap', { other: other + 1 });
          break;
        }
      }
    });
  });
export type Dashboard = z.output<typeof DashboardSchema>;
export type DashboardInput = z.input<typeof DashboardSchema>;

/** One problem of a dashboard document, said where it is ("Widget 3 (OEE today), options.period") and what. */
export interface DashboardProblem {
  where: string;
  message: string;
}

/** A path segment list of a zod issue as text: widgets.3.options.pointIds.0 → "options.pointIds[0]". */
function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${String(part)}` : String(part)), '');
}

/**
 * Zod issues of a dashboard document as sentences that name the widget by its number and title, in
 * `locale`. The issues' own messages should already be in `locale` (parse with its error map).
 */
export function describeDashboardIssues(issues: readonly z.core.$ZodIssue[], document: unknown, locale: Locale): DashboardProblem[] {
  const widgets = (document as { widgets?: unknown } | null)?.widgets;
  return issues.map((issue) => {
    const path = issue.path;
    let where = translate(locale, 'dashboard.problem.whereDashboard');
    let rest: readonly PropertyKey[] = path;
    if (path[0] === 'widgets' && typeof path[1] === 'number') {
      const raw = Array.isArray(widgets) ? (widgets[path[1]] as { id?: unknown; title?: unknown; type?: unknown } | undefined) : undefined;
      const title = LocalizedTextSchema.safeParse(raw?.title);
      const name = title.success ? localizedText(title.data, locale) : typeof raw?.id === 'string' ? raw.id : undefined;
      where = translate(locale, name ? 'dashboard.problem.whereWidgetNamed' : 'dashboard.problem.whereWidget', {
        number: path[1] + 1,
        name: name ?? '',
      });
      rest = path.slice(2);
    }
    const params = (issue as { params?: Record<string, string | number> & { key?: string } }).params;
    let message = issue.message;
    if (params?.key && params.key.startsWith('dashboard.problem.')) {
      message = translate(locale, params.key as MessageKey, params);
    } else if (rest.length === 1 && rest[0] === 'type' || (issue.code === 'invalid_union' && rest.length === 0 && path[0] === 'widgets')) {
      const raw = Array.isArray(widgets) && typeof path[1] === 'number' ? (widgets[path[1]] as { type?: unknown } | undefined) : undefined;
      message = translate(locale, 'dashboard.problem.unknownType', { type: String(raw?.type ?? ''), types: WIDGET_TYPES.join(', ') });
      rest = [];
    }
    const field = fieldPath(rest);
    return { where: field ? `${where}${locale === 'en' ? ', ' : '，'}${field}` : where, message };
  });
}

export type DashboardParse = { ok: true; dashboard: Dashboard } | { ok: false; problems: DashboardProblem[] };

/** Line and column (1-based) of a character offset in a text. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

/**
 * Where a JSON text stops being valid JSON (a character offset), or -1 when it is valid. JSON.parse
 * says so only in some of its messages; an import must always point at the line to fix.
 */
export function jsonErrorOffset(text: string): number {
  let at = 0;
  const fail = (): never => {
    throw at;
  };
  const space = () => {
    while (at < text.length && ' \t\n\r'.includes(text[at]!)) at++;
  };
  const literal = (word: string) => {
    for (const character of word) if (text[at++] !== character) (at--, fail());
  };
  const string = () => {
    at++;
    while (at < text.length) {
      const character = text[at]!;
      if (character === '"') return void at++;
      if (character < ' ') fail();
      if (character === '\\') {
        at++;
        const escape = text[at] ?? '';
        if (escape === 'u') {
          for (let digit = 1; digit <= 4; digit++) if (!/[0-9a-fA-F]/.test(text[at + digit] ?? '')) (at += digit, fail());
          at += 4;
        } else if (!'"\\/bfnrt'.includes(escape) || escape === '') fail();
      }
      at++;
    }
    fail();
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(at, at + 400));
    if (!match || match[0] === '' || match[0] === '-') fail();
    at += match![0].length;
  };
  const value = (): void => {
    space();
    const character = text[at];
    if (character === '{') {
      at++;
      space();
      if (text[at] === '}') return void at++;
      for (;;) {
        space();
        if (text[at] !== '"') fail();
        string();
        space();
        if (text[at] !== ':') fail();
        at++;
        value();
        space();
        if (text[at] === ',') at++;
        else if (text[at] === '}') return void at++;
        else fail();
      }
    }
    if (character === '[') {
      at++;
      space();
      if (text[at] === ']') return void at++;
      for (;;) {
        value();
        space();
        if (text[at] === ',') at++;
        else if (text[at] === ']') return void at++;
        else fail();
      }
    }
    if (character === '"') return string();
    if (character === 't') return literal('true');
    if (character === 'f') return literal('false');
    if (character === 'n') return literal('null');
    if (character === '-' || (character !== undefined && character >= '0' && character <= '9')) return number();
    fail();
  };
  try {
    value();
    space();
    return at < text.length ? at : -1;
  } catch (offset) {
    return Math.min(offset as number, text.length);
  }
}

/**
 * Reads a dashboard from the text of a JSON file, with every problem as a sentence: where the JSON
 * breaks (line and column), or which widget and field does not fit, and why.
 * @example parseDashboardJson('{"id":"x"', 'en') // → { ok: false, problems: [{ where: 'File', message: 'The file is not valid JSON (line 1, column 10) …' }] }
 */
export function parseDashboardJson(text: string, locale: Locale, errorMap?: z.core.$ZodErrorMap): DashboardParse {
  const file = translate(locale, 'dashboard.problem.whereFile');
  if (text.length > MAX_DASHBOARD_JSON_BYTES) {
    return { ok: false, problems: [{ where: file, message: translate(locale, 'dashboard.problem.tooLarge', { max: MAX_DASHBOARD_JSON_BYTES / 1000 }) }] };
  }
  let document: unknown;
  try {
    document = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    const body = text.replace(/^\uFEFF/, '');
    const offset = jsonErrorOffset(body);
    const { line, column } = lineAndColumn(body, offset < 0 ? body.length : offset);
    const near = body.slice(Math.max(0, offset - 12), offset + 12).replace(/\s+/g, ' ').trim();
    return { ok: false, problems: [{ where: file, message: translate(locale, 'dashboard.problem.notJson', { line, column, near }) }] };
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document) || !Array.isArray((document as { widgets?: unknown }).widgets)) {
    return { ok: false, problems: [{ where: file, message: translate(locale, 'dashboard.problem.notDashboard') }] };
  }
  const format = (document as { format?: unknown }).format;
  if (format !== undefined && format !== DASHBOARD_FORMAT) {
    return { ok: false, problems: [{ where: file, message: translate(locale, 'dashboard.problem.otherFormat', { format: String(format), expected: DASHBOARD_FORMAT }) }] };
  }
  const parsed = DashboardSchema.safeParse(document, errorMap ? { error: errorMap } : undefined);
  if (parsed.success) return { ok: true, dashboard: parsed.data };
  return { ok: false, problems: describeDashboardIssues(parsed.error.issues, document, locale) };
}

/** The dashboard as the text of its JSON file (what dashboards.export hands out). */
export function dashboardToJson(dashboard: Dashboard): string {
  const { format, id, name, description, refreshSeconds, grid, widgets } = dashboard;
  return `${JSON.stringify({ format, id, name, description, refreshSeconds, grid, widgets }, null, 2)}\n`;
}

/**
 * The built-in "Plant overview": every machine's state, this shift's and today's OEE, output and
 * energy, the states over the shift, where the shift's time went, and the active alarms.
 */
export const PLANT_OVERVIEW: Dashboard = DashboardSchema.parse({
  format: DASHBOARD_FORMAT,
  id: PLANT_OVERVIEW_ID,
  name: { en: 'Plant overview', 'zh-CN': '工厂总览' },
  description: {
    en: 'Every machine at a glance: state, OEE, output, energy and active alarms.',
    'zh-CN': '一眼看清每台设备：状态、OEE、产量、能耗和当前报警。',
  },
  refreshSeconds: 5,
  grid: { columns: GRID_COLUMNS, rowHeight: 56 },
  widgets: [
    { id: 'oee-shift', type: 'valueTile', x: 0, y: 0, w: 2, h: 2, title: { en: 'OEE this shift', 'zh-CN': '本班 OEE' }, options: { source: { kind: 'plant', kpi: 'oee', period: 'shift' } } },
    { id: 'oee-day', type: 'valueTile', x: 2, y: 0, w: 2, h: 2, title: { en: 'OEE today', 'zh-CN': '今日 OEE' }, options: { source: { kind: 'plant', kpi: 'oee', period: 'day' } } },
    { id: 'output-shift', type: 'valueTile', x: 4, y: 0, w: 2, h: 2, title: { en: 'Output this shift', 'zh-CN': '本班产量' }, options: { source: { kind: 'plant', kpi: 'output', period: 'shift' } } },
    { id: 'output-day', type: 'valueTile', x: 6, y: 0, w: 2, h: 2, title: { en: 'Output today', 'zh-CN': '今日产量' }, options: { source: { kind: 'plant', kpi: 'output', period: 'day' } } },
    { id: 'energy-day', type: 'valueTile', x: 8, y: 0, w: 2, h: 2, title: { en: 'Energy today', 'zh-CN': '今日能耗' }, options: { source: { kind: 'plant', kpi: 'energyKwh', period: 'day' } } },
    { id: 'demand-day', type: 'valueTile', x: 10, y: 0, w: 2, h: 2, title: { en: 'Peak demand today', 'zh-CN': '今日最大需量' }, options: { source: { kind: 'plant', kpi: 'peakDemandKw', period: 'day' } } },
    { id: 'machines', type: 'machineStatus', x: 0, y: 2, w: 8, h: 5, title: { en: 'Machines this shift', 'zh-CN': '本班设备状态' }, options: { period: 'shift' } },
    { id: 'alarms', type: 'alarmList', x: 8, y: 2, w: 4, h: 5, title: { en: 'Active alarms', 'zh-CN': '当前报警' }, options: { max: 10 } },
    { id: 'timeline', type: 'stateTimeline', x: 0, y: 7, w: 8, h: 5, title: { en: 'Machine states this shift', 'zh-CN': '本班设备状态时间线' }, options: { period: 'shift' } },
    { id: 'oee-breakdown', type: 'oeeBreakdown', x: 8, y: 7, w: 4, h: 5, title: { en: 'OEE and losses this shift', 'zh-CN': '本班 OEE 与损失' }, options: { period: 'shift', machineId: null } },
    { id: 'oee-by-shift', type: 'barByShift', x: 0, y: 12, w: 6, h: 4, title: { en: 'OEE by shift', 'zh-CN': '各班次 OEE' }, options: { kpi: 'oee', period: 'shift', count: 7, machineId: null } },
    { id: 'energy-machines', type: 'energyByMachine', x: 6, y: 12, w: 6, h: 4, title: { en: 'Energy by machine today', 'zh-CN': '今日各设备能耗' }, options: { period: 'day' } },
    { id: 'stops', type: 'stopList', x: 0, y: 16, w: 8, h: 6, title: { en: 'Stops this shift', 'zh-CN': '本班停机' }, options: { machineId: null } },
  ],
} satisfies DashboardInput);
