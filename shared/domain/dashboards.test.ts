import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  DASHBOARD_FORMAT,
  DashboardSchema,
  dashboardToJson,
  jsonErrorOffset,
  lineAndColumn,
  localizedText,
  MIN_WIDGET_SIZE,
  parseDashboardJson,
  PLANT_OVERVIEW,
  rectsOverlap,
  WIDGET_TYPES,
  type DashboardInput,
} from './dashboards.ts';

const tile = (id: string, x: number, y: number, extra: object = {}) => ({
  id,
  type: 'valueTile' as const,
  x,
  y,
  w: 2,
  h: 2,
  options: { source: { kind: 'plant' as const, kpi: 'oee' as const, period: 'shift' as const } },
  ...extra,
});

const base = (widgets: unknown[]): DashboardInput =>
  ({ id: 'line-2', name: { en: 'Line 2', 'zh-CN': '二号线' }, widgets }) as DashboardInput;

describe('dashboard schema', () => {
  it('fills the defaults a hand-written or template dashboard may leave out', () => {
    const dashboard = DashboardSchema.parse(base([tile('a', 0, 0)]));
    expect(dashboard.format).toBe(DASHBOARD_FORMAT);
    expect(dashboard.grid).toEqual({ columns: 12, rowHeight: 56 });
    expect(dashboard.refreshSeconds).toBe(5);
  });

  it('checks every widget type against its own options', () => {
    const trendWithoutPoints = { id: 't', type: 'trend', x: 0, y: 0, w: 4, h: 3, options: { pointIds: [] } };
    const gaugeUpsideDown = { id: 'g', type: 'gauge', x: 4, y: 0, w: 3, h: 3, options: { source: { kind: 'point', pointId: 'p1' }, min: 10, max: 5 } };
    const tileOfMachineWithoutId = tile('m', 8, 0, { options: { source: { kind: 'machine', kpi: 'oee', period: 'day' } } });
    const result = DashboardSchema.safeParse(base([trendWithoutPoints, gaugeUpsideDown, tileOfMachineWithoutId]));
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(['widgets.0.options.pointIds', 'widgets.1.options.max', 'widgets.2.options.source.machineId']);
  });

  it('refuses options of another type and unknown fields, so a typo does not pass silently', () => {
    const wrong = { id: 'x', type: 'alarmList', x: 0, y: 0, w: 3, h: 3, options: { period: 'shift' } };
    expect(DashboardSchema.safeParse(base([wrong])).success).toBe(false);
    expect(DashboardSchema.safeParse({ ...base([]), colour: 'red' }).success).toBe(false);
  });

  it('refuses overlapping widgets, widgets past the 12 columns, repeated ids and unreadably small widgets', () => {
    const result = DashboardSchema.safeParse(base([tile('a', 0, 0), tile('b', 1, 1), tile('a', 11, 4), { ...tile('c', 0, 6), h: 1 }]));
    expect(result.success).toBe(false);
    const keys = result.error!.issues.map((issue) => (issue as { params?: { key?: string } }).params?.key);
    expect(keys).toEqual(['dashboard.problem.overlap', 'dashboard.problem.duplicateId', 'dashboard.problem.outsideGrid', 'dashboard.problem.tooSmall']);
  });

  it('gives every type a minimum size that its default layout and the built-in overview respect', () => {
    expect(Object.keys(MIN_WIDGET_SIZE).sort()).toEqual([...WIDGET_TYPES].sort());
    for (const widget of PLANT_OVERVIEW.widgets) {
      expect(widget.w).toBeGreaterThanOrEqual(MIN_WIDGET_SIZE[widget.type].w);
      expect(widget.h).toBeGreaterThanOrEqual(MIN_WIDGET_SIZE[widget.type].h);
    }
  });

  it('ships a plant overview that shows states, OEE, output, energy and alarms', () => {
    const types = new Set(PLANT_OVERVIEW.widgets.map((widget) => widget.type));
    for (const type of ['machineStatus', 'alarmList', 'stateTimeline', 'oeeBreakdown', 'energyByMachine', 'valueTile'] as const) expect(types).toContain(type);
    const tiles = PLANT_OVERVIEW.widgets.flatMap((widget) => (widget.type === 'valueTile' && widget.options.source.kind === 'plant' ? [widget.options.source] : []));
    expect(tiles).toEqual(
      expect.arrayContaining([
        { kind: 'plant', kpi: 'oee', period: 'shift' },
        { kind: 'plant', kpi: 'oee', period: 'day' },
        { kind: 'plant', kpi: 'output', period: 'shift' },
        { kind: 'plant', kpi: 'energyKwh', period: 'day' },
      ]),
    );
    for (const widget of PLANT_OVERVIEW.widgets) {
      expect(widget.title?.en).toBeTruthy();
      expect(widget.title?.['zh-CN']).toBeTruthy();
    }
  });

  it('has a stop list for one machine or all, and the plant overview shows this shift\'s stops of every machine', () => {
    const stops = (options: unknown) => ({ id: 's', type: 'stopList', x: 0, y: 0, w: 6, h: 4, options });
    const parsed = DashboardSchema.parse(base([stops({})]));
    expect(parsed.widgets[0]).toMatchObject({ type: 'stopList', options: { machineId: null } });
    expect(DashboardSchema.safeParse(base([stops({ machineId: 'cnc1' })])).success).toBe(true);
    expect(DashboardSchema.safeParse(base([stops({ machineId: 'cnc 1' })])).success).toBe(false);
    expect(DashboardSchema.safeParse(base([stops({ period: 'day' })])).success).toBe(false);
    expect(PLANT_OVERVIEW.widgets.find((widget) => widget.type === 'stopList')?.options).toEqual({ machineId: null });
  });

  it('overlap is about cells shared, not edges touched', () => {
    expect(rectsOverlap({ x: 0, y: 0, w: 2, h: 2 }, { x: 2, y: 0, w: 2, h: 2 })).toBe(false);
    expect(rectsOverlap({ x: 0, y: 0, w: 2, h: 2 }, { x: 0, y: 2, w: 2, h: 2 })).toBe(false);
    expect(rectsOverlap({ x: 0, y: 0, w: 3, h: 3 }, { x: 2, y: 2, w: 1, h: 1 })).toBe(true);
  });

  it('shows a title in the UI language, else in the other one', () => {
    expect(localizedText({ en: 'Output' }, 'zh-CN')).toBe('Output');
    expect(localizedText({ en: 'Output', 'zh-CN': '产量' }, 'zh-CN')).toBe('产量');
    expect(localizedText(undefined, 'en')).toBeUndefined();
  });
});

describe('dashboard JSON files', () => {
  it('round-trips through export and import unchanged', () => {
    const parsed = parseDashboardJson(dashboardToJson(PLANT_OVERVIEW), 'en');
    expect(parsed).toEqual({ ok: true, dashboard: PLANT_OVERVIEW });
  });

  it('reads a file saved with a byte-order mark (Windows Notepad)', () => {
    expect(parseDashboardJson(`\uFEFF${dashboardToJson(PLANT_OVERVIEW)}`, 'en').ok).toBe(true);
  });

  it('points at the line and column where the JSON breaks', () => {
    const text = '{\n  "id": "x",\n  "widgets": [1,]\n}';
    const parsed = parseDashboardJson(text, 'en');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems).toHaveLength(1);
    expect(parsed.problems[0]!.where).toBe('File');
    expect(parsed.problems[0]!.message).toContain('line 3, column 17');
    const zh = parseDashboardJson(text, 'zh-CN');
    expect(!zh.ok && zh.problems[0]!.message).toContain('第 3 行第 17 列');
  });

  it('says when a file is JSON but no dashboard, or a dashboard of another format', () => {
    const notDashboard = parseDashboardJson('{"devices": []}', 'en');
    expect(!notDashboard.ok && notDashboard.problems[0]!.message).toMatch(/not a PlantDesk dashboard/);
    const newer = parseDashboardJson(JSON.stringify({ ...base([]), format: 'plantdesk.dashboard/9' }), 'en');
    expect(!newer.ok && newer.problems[0]!.message).toMatch(/newer PlantDesk/);
  });

  it('names the widget by number and title and the field, with the reason in the chosen language', () => {
    const document = base([
      tile('a', 0, 0, { title: { en: 'OEE now' } }),
      { id: 'b', type: 'pie', x: 2, y: 0, w: 3, h: 3, options: {} },
      tile('c', 5, 0, { options: { source: { kind: 'plant', kpi: 'happiness', period: 'shift' } } }),
      tile('d', 11, 3),
    ]);
    const en = parseDashboardJson(JSON.stringify(document), 'en', z.locales.en().localeError);
    expect(en.ok).toBe(false);
    if (en.ok) return;
    expect(en.problems[0]).toEqual({ where: 'Widget 2 ("b")', message: expect.stringContaining('no widget of type "pie"') });
    expect(en.problems[1]!.where).toBe('Widget 3 ("c"), options.source.kpi');
    expect(en.problems[1]!.message).toMatch(/oee/);

    const zh = parseDashboardJson(JSON.stringify(document), 'zh-CN', z.locales.zhCN().localeError);
    expect(!zh.ok && zh.problems[0]!.where).toBe('第 2 个组件（“b”）');

    // Layout problems are found once the widgets themselves are right.
    const layout = parseDashboardJson(JSON.stringify(base([tile('a', 0, 0, { title: { en: 'OEE now' } }), tile('d', 11, 3)])), 'en');
    expect(!layout.ok && layout.problems).toEqual([
      { where: 'Widget 2 ("d"), w', message: 'it reaches past the 12 columns of the grid (x 11 + width 2). Make it narrower or move it left.' },
    ]);
  });

  it('finds where JSON breaks for any kind of mistake', () => {
    expect(jsonErrorOffset('{"a": [1, 2]}')).toBe(-1);
    expect(jsonErrorOffset('{"a": [1, 2],}')).toBe(13);
    expect(jsonErrorOffset('{"a" 1}')).toBe(5);
    expect(jsonErrorOffset('{"a": tru}')).toBe(9);
    expect(jsonErrorOffset('{"a": "x')).toBe(8);
    expect(jsonErrorOffset('{"a": 1} x')).toBe(9);
    expect(jsonErrorOffset('{"a": "\\q"}')).toBe(8);
    expect(jsonErrorOffset("{'a': 1}")).toBe(1);
    expect(jsonErrorOffset('')).toBe(0);
    expect(lineAndColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});
