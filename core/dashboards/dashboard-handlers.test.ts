import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dashboardCalls } from '../../shared/contract/dashboard-calls.ts';
import { DashboardSchema, dashboardToJson, PLANT_OVERVIEW, PLANT_OVERVIEW_ID, type Dashboard } from '../../shared/domain/dashboards.ts';
import { AppError } from '../../shared/errors.ts';
import type { CallContext } from '../contract/dispatcher.ts';
import { silentLogger } from '../host.ts';
import { openDatabase, type Db } from '../storage/database.ts';
import { makeTempDir, removeDir } from '../test-support.ts';
import { copyName, createDashboardHandlers, exportFileName, freeId, type DashboardHandlers } from './dashboard-handlers.ts';
import { templatesMigration } from '../templates/schema.ts';
import { dashboardsMigration } from './schema.ts';

const engineer: CallContext = { role: 'engineer', locale: 'en', actor: 'test' };
const chinese: CallContext = { role: 'engineer', locale: 'zh-CN', actor: 'test' };

/** What the AppError a call throws says, in the context's language. */
function refusal(run: () => unknown, context: CallContext = engineer): { code: string; message: string; details?: Record<string, unknown> } {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error.toBody(context.locale);
    throw error;
  }
  throw new Error('the call was expected to be refused');
}

describe('dashboard calls on a real database file', () => {
  let dir: string;
  let db: Db;
  let handlers: DashboardHandlers;
  let clock: number;

  beforeEach(() => {
    dir = makeTempDir();
    db = openDatabase(dir);
    // What the lead's migration step does: the table joins the file's schema.
    db.transaction(() => dashboardsMigration(db))();
    clock = 1_700_000_000_000;
    handlers = createDashboardHandlers({ db, logger: silentLogger, now: () => clock++ });
  });

  afterEach(() => {
    db.close();
    removeDir(dir);
  });

  it('lists the built-in plant overview first, read-only', () => {
    expect(handlers['dashboards.list']({}, engineer)).toEqual([
      { id: PLANT_OVERVIEW_ID, name: PLANT_OVERVIEW.name, builtIn: true, widgetCount: PLANT_OVERVIEW.widgets.length, updatedAt: null },
    ]);
    const view = handlers['dashboards.get']({ id: PLANT_OVERVIEW_ID }, engineer);
    expect(view).toEqual({ dashboard: PLANT_OVERVIEW, builtIn: true, revision: 0, updatedAt: null });
    expect(refusal(() => handlers['dashboards.save']({ dashboard: PLANT_OVERVIEW }, engineer))).toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining('Copy it, then change the copy'),
    });
    expect(refusal(() => handlers['dashboards.delete']({ id: PLANT_OVERVIEW_ID }, chinese), chinese).message).toContain('工厂总览');
  });

  it('copies the overview, moves a widget, saves, and reads the layout back after reopening the file', () => {
    const copy = handlers['dashboards.copy']({ id: PLANT_OVERVIEW_ID }, engineer);
    expect(copy.builtIn).toBe(false);
    expect(copy.revision).toBe(1);
    expect(copy.dashboard.id).toBe('plant-overview-copy');
    expect(copy.dashboard.name).toEqual({ en: 'Plant overview (copy)', 'zh-CN': '工厂总览（副本）' });
    expect(copy.dashboard.widgets).toEqual(PLANT_OVERVIEW.widgets);

    const moved: Dashboard = {
      ...copy.dashboard,
      widgets: copy.dashboard.widgets.map((widget) => (widget.id === 'alarms' ? { ...widget, y: 20 } : widget)),
    };
    const saved = handlers['dashboards.save']({ dashboard: moved, revision: copy.revision }, engineer);
    expect(saved.revision).toBe(2);

    db.close();
    db = openDatabase(dir);
    handlers = createDashboardHandlers({ db, logger: silentLogger });
    const reread = handlers['dashboards.get']({ id: 'plant-overview-copy' }, engineer);
    expect(reread.dashboard.widgets.find((widget) => widget.id === 'alarms')).toMatchObject({ x: 8, y: 20 });
    expect(handlers['dashboards.list']({}, engineer).map((summary) => summary.id)).toEqual([PLANT_OVERVIEW_ID, 'plant-overview-copy']);
  });

  it('numbers further copies instead of overwriting the first', () => {
    handlers['dashboards.copy']({ id: PLANT_OVERVIEW_ID }, engineer);
    const second = handlers['dashboards.copy']({ id: PLANT_OVERVIEW_ID }, engineer);
    expect(second.dashboard.id).toBe('plant-overview-copy-2');
    expect(second.dashboard.name.en).toBe('Plant overview (copy 2)');
    const named = handlers['dashboards.copy']({ id: PLANT_OVERVIEW_ID, name: { en: 'Hall B', 'zh-CN': 'B 车间' } }, engineer);
    expect(named.dashboard.name).toEqual({ en: 'Hall B', 'zh-CN': 'B 车间' });
  });

  it('refuses a save made on an older revision: the change made elsewhere is not lost', () => {
    const copy = handlers['dashboards.copy']({ id: PLANT_OVERVIEW_ID }, engineer);
    handlers['dashboards.save']({ dashboard: { ...copy.dashboard, refreshSeconds: 10 }, revision: copy.revision }, engineer);
    const stale = refusal(() => handlers['dashboards.save']({ dashboard: { ...copy.dashboard, refreshSeconds: 20 }, revision: copy.revision }, engineer));
    expect(stale).toMatchObject({ code: 'conflict', message: expect.stringContaining('changed elsewhere') });
    expect(handlers['dashboards.get']({ id: copy.dashboard.id }, engineer).dashboard.refreshSeconds).toBe(10);
  });

  it('deletes a stored dashboard, and says so when there is none', () => {
    const copy = handlers['dashboards.copy']({ id: PLANT_OVERVIEW_ID }, engineer);
    expect(handlers['dashboards.delete']({ id: copy.dashboard.id }, engineer)).toEqual({ id: copy.dashboard.id });
    expect(refusal(() => handlers['dashboards.get']({ id: copy.dashboard.id }, engineer))).toMatchObject({ code: 'not_found' });
    expect(refusal(() => handlers['dashboards.delete']({ id: copy.dashboard.id }, engineer))).toMatchObject({ code: 'not_found' });
  });

  it('exports a file that imports again beside the original, under a new id', () => {
    const exported = handlers['dashboards.export']({ id: PLANT_OVERVIEW_ID }, chinese);
    expect(exported.fileName).toBe('工厂总览.dashboard.json');
    expect(JSON.parse(exported.json)).toMatchObject({ format: 'plantdesk.dashboard/1', id: PLANT_OVERVIEW_ID });
    const imported = handlers['dashboards.import']({ json: exported.json }, engineer);
    expect(imported.dashboard.id).toBe('plant-overview-2');
    expect(imported.dashboard.name.en).toBe('Plant overview (copy)');
    expect(imported.dashboard.widgets).toEqual(PLANT_OVERVIEW.widgets);

    const own = DashboardSchema.parse({ id: 'hall-b', name: { en: 'Hall B', 'zh-CN': 'B 车间' }, widgets: [] });
    expect(handlers['dashboards.import']({ json: dashboardToJson(own) }, engineer).dashboard).toEqual(own);
  });

  it('refuses a broken file with every problem named, and stores nothing', () => {
    const broken = refusal(() => handlers['dashboards.import']({ json: '{"id": "x", "widgets": [}' }, engineer));
    expect(broken.code).toBe('invalid_input');
    expect(broken.message).toContain('line 1, column 25');

    const document = {
      id: 'bad',
      name: { en: 'Bad', 'zh-CN': '坏' },
      widgets: [
        { id: 'a', type: 'trend', x: 0, y: 0, w: 4, h: 3, options: { pointIds: [] } },
        { id: 'b', type: 'gauge', x: 4, y: 0, w: 3, h: 3, options: { source: { kind: 'plant', kpi: 'oee' } } },
      ],
    };
    const zh = refusal(() => handlers['dashboards.import']({ json: JSON.stringify(document) }, chinese), chinese);
    expect(zh.message).toMatch(/^看板无法使用（2 个问题）：第 1 个组件（“a”），options\.pointIds: /);
    expect(zh.details?.problems).toHaveLength(2);
    expect(handlers['dashboards.list']({}, engineer)).toHaveLength(1);
  });

  it('leaves out a stored document that no longer fits, instead of failing the list', () => {
    db.prepare('INSERT INTO dashboards (id, document, revision, created_at, updated_at) VALUES (?, ?, 1, 0, 0)').run('future', '{"widgets": "later"}');
    expect(handlers['dashboards.list']({}, engineer)).toHaveLength(1);
    expect(refusal(() => handlers['dashboards.get']({ id: 'future' }, engineer)).code).toBe('invalid_input');
  });

  it('declares the roles: anyone looks, an engineer changes', () => {
    expect(Object.fromEntries(Object.entries(dashboardCalls).map(([name, spec]) => [name, spec.role]))).toEqual({
      'dashboards.list': 'viewer',
      'dashboards.get': 'viewer',
      'dashboards.save': 'engineer',
      'dashboards.delete': 'engineer',
      'dashboards.copy': 'engineer',
      'dashboards.import': 'engineer',
      'dashboards.export': 'viewer',
    });
    // Every answer fits the declared output.
    const copy = handlers['dashboards.copy']({ id: PLANT_OVERVIEW_ID }, engineer);
    expect(dashboardCalls['dashboards.copy'].output.parse(copy)).toEqual(copy);
    expect(dashboardCalls['dashboards.list'].output.safeParse(handlers['dashboards.list']({}, engineer)).success).toBe(true);
  });
});

describe('dashboards of a template whose licence is locked', () => {
  let dir: string;
  let db: Db;
  let handlers: DashboardHandlers;
  const locked = new Set<string>();
  const templateDashboard = DashboardSchema.parse({
    id: 'cnc-1.cnc',
    name: { en: 'CNC-1 OEE', 'zh-CN': 'CNC-1 OEE 看板' },
    widgets: [{ id: 'oee', type: 'valueTile', x: 0, y: 0, w: 2, h: 2, options: { source: { kind: 'kpi', kpiId: 'cnc-1.oee', period: 'shift' } } }],
  });

  beforeEach(() => {
    dir = makeTempDir();
    db = openDatabase(dir);
    db.transaction(() => {
      dashboardsMigration(db);
      templatesMigration(db);
    })();
    locked.clear();
    handlers = createDashboardHandlers({ db, logger: silentLogger, premiumAllowed: (templateId) => !locked.has(templateId) });
    // What the template installer records: the stored package (its name) and what the instance created.
    const manifest = { id: 'acme.cnc-oee', version: '1.0.0', name: { en: 'OEE for a CNC machine', 'zh-CN': 'CNC 机床 OEE' } };
    db.prepare("INSERT INTO template_packages (template_id, version, manifest, signature, stored_at) VALUES ('acme.cnc-oee', '1.0.0', ?, '{}', 0)").run(JSON.stringify(manifest));
    db.prepare(
      "INSERT INTO template_instances (instance_id, template_id, version, parameters, created, installed_at, updated_at) VALUES ('cnc-1', 'acme.cnc-oee', '1.0.0', '{}', ?, 0, 0)",
    ).run(JSON.stringify({ device: ['cnc-1.cnc'], dashboard: ['cnc-1.cnc'], kpi: ['cnc-1.oee'] }));
    handlers['dashboards.save']({ dashboard: templateDashboard }, engineer);
  });

  afterEach(() => {
    db.close();
    removeDir(dir);
  });

  it('shows it read-only with the reason, refuses changes naming the template, and lets it be copied', () => {
    expect(handlers['dashboards.get']({ id: 'cnc-1.cnc' }, engineer).lockedBy).toBeUndefined();
    locked.add('acme.cnc-oee');

    const summary = handlers['dashboards.list']({}, chinese).find((one) => one.id === 'cnc-1.cnc')!;
    expect(summary.lockedBy).toMatchObject({ templateId: 'acme.cnc-oee', templateName: 'CNC 机床 OEE', instanceId: 'cnc-1', reason: expect.stringContaining('CNC 机床 OEE') });
    expect(handlers['dashboards.list']({}, engineer).find((one) => one.id === PLANT_OVERVIEW_ID)!.lockedBy).toBeUndefined();
    const view = handlers['dashboards.get']({ id: 'cnc-1.cnc' }, engineer);
    // Still visible, whole.
    expect(view.dashboard).toEqual(templateDashboard);
    expect(view.lockedBy!.reason).toContain('Renew the licence');
    expect(dashboardCalls['dashboards.get'].output.parse(view)).toEqual(view);
    expect(dashboardCalls['dashboards.list'].output.safeParse(handlers['dashboards.list']({}, engineer)).success).toBe(true);

    const save = refusal(() => handlers['dashboards.save']({ dashboard: { ...templateDashboard, refreshSeconds: 30 }, revision: view.revision }, engineer));
    expect(save).toMatchObject({ code: 'forbidden', details: { templateId: 'acme.cnc-oee', premiumLocked: true } });
    expect(save.message).toBe(
      'The dashboard "CNC-1 OEE" came with the template "OEE for a CNC machine", whose licence is locked: it stays visible but cannot be changed or deleted. Renew the licence in the marketplace, or sync with the cloud if it was renewed already. To change it now, copy it and change the copy.',
    );
    expect(refusal(() => handlers['dashboards.delete']({ id: 'cnc-1.cnc' }, chinese), chinese).message).toContain('CNC 机床 OEE');
    expect(handlers['dashboards.get']({ id: 'cnc-1.cnc' }, engineer).revision).toBe(view.revision);

    // A copy or an import of it is the plant's own: editable. Export still works.
    const copy = handlers['dashboards.copy']({ id: 'cnc-1.cnc' }, engineer);
    expect(copy.lockedBy).toBeUndefined();
    expect(handlers['dashboards.save']({ dashboard: { ...copy.dashboard, refreshSeconds: 30 }, revision: copy.revision }, engineer).revision).toBe(2);
    const imported = handlers['dashboards.import']({ json: handlers['dashboards.export']({ id: 'cnc-1.cnc' }, engineer).json }, engineer);
    expect(imported.dashboard.id).not.toBe('cnc-1.cnc');
    expect(imported.lockedBy).toBeUndefined();

    // Renewed: editable again.
    locked.clear();
    expect(handlers['dashboards.save']({ dashboard: { ...templateDashboard, refreshSeconds: 30 }, revision: view.revision }, engineer).lockedBy).toBeUndefined();
    expect(handlers['dashboards.delete']({ id: 'cnc-1.cnc' }, engineer)).toEqual({ id: 'cnc-1.cnc' });
  });

  it('asks the licence only about the template that owns the dashboard', () => {
    const asked: string[] = [];
    handlers = createDashboardHandlers({ db, logger: silentLogger, premiumAllowed: (templateId) => (asked.push(templateId), false) });
    const own = handlers['dashboards.copy']({ id: PLANT_OVERVIEW_ID }, engineer);
    expect(handlers['dashboards.save']({ dashboard: own.dashboard, revision: own.revision }, engineer).revision).toBe(2);
    expect(asked).toEqual([]);
    expect(refusal(() => handlers['dashboards.delete']({ id: 'cnc-1.cnc' }, engineer)).code).toBe('forbidden');
    expect(asked).toEqual(['acme.cnc-oee']);
  });
});

describe('names and ids of copies and files', () => {
  it('finds a free id and a free name', () => {
    expect(freeId('a', new Set())).toBe('a');
    expect(freeId('a', new Set(['a', 'a-2']))).toBe('a-3');
    expect(copyName({ en: 'X', 'zh-CN': '甲' }, [{ en: 'X (copy)', 'zh-CN': '甲（副本）' }])).toEqual({ en: 'X (copy 2)', 'zh-CN': '甲（副本 2）' });
  });

  it('makes a file name Windows accepts', () => {
    const dashboard = DashboardSchema.parse({ id: 'x', name: { en: 'Line 1: "hot" / cold?', 'zh-CN': '一线' }, widgets: [] });
    expect(exportFileName(dashboard, 'en')).toBe('Line 1 hot cold.dashboard.json');
  });
});
