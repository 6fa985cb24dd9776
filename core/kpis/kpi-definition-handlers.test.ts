// Stored KPI definitions on a real database file: saved after the same checks kpis.evaluate makes,
// listed with their owner, evaluated over the current period for dashboards, and read-only (but still
// evaluated) while the template that brought them has its licence locked.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError, roleAllows, type Locale, type Role } from '../../shared/index.ts';
import { kpiDefinitionCalls, type KpiDefinitionCallName } from '../../shared/contract/kpi-calls.ts';
import { KpiDefinitionSchema, type KpiDefinitionInput } from '../../shared/domain/kpis.ts';
import { silentLogger } from '../host.ts';
import type { Db } from '../storage/database.ts';
import { templatesMigration } from '../templates/schema.ts';
import { makeTempDir, removeDir } from '../test-support.ts';
import { KpiDefinitionStore } from './definition-store.ts';
import { createKpiDefinitionHandlers } from './kpi-definition-handlers.ts';
import { addDevice, cst, kpiCaller, openKpiDatabase, runUpkeep, storeSamples, type SampleRow } from './kpi-test-support.ts';
import { kpiDefinitionsMigration } from './schema.ts';

const m = (hour: number, minute = 0) => cst(2026, 5, 4, hour, minute);
const NOW = m(21);

let dataDir: string;
let db: Db;
let locked: Set<string>;

beforeEach(() => {
  dataDir = makeTempDir();
  db = openKpiDatabase(dataDir);
  db.transaction(() => {
    kpiDefinitionsMigration(db);
    templatesMigration(db);
  })();
  locked = new Set();
  // A counter that rises by one every minute from 08:00 to 20:00 today: 720 strokes.
  const nums = addDevice(db, 'plc', [{ id: 'plc.strokes', kind: 'counter' }, { id: 'plc.temp', kind: 'analog' }]);
  const strokes: SampleRow[] = [];
  for (let minute = 0; minute <= 720; minute++) strokes.push([m(8) + minute * 60_000, minute]);
  storeSamples(db, nums['plc.strokes']!, strokes);
  runUpkeep(db, NOW);
});

afterEach(() => {
  db.close();
  removeDir(dataDir);
});

const strokesKpi = (overrides: Partial<KpiDefinitionInput> = {}): KpiDefinitionInput => ({
  id: 'press.strokes',
  name: 'Press strokes',
  inputs: [{ source: 'point', name: 'strokes', pointId: 'plc.strokes', aggregation: 'increase' }],
  expression: 'strokes',
  unit: 'strokes',
  target: 600,
  decimals: 0,
  ...overrides,
});

/** The definition calls made the way the dispatcher makes them: role, input parsed, output checked. */
function definitionCaller() {
  const engine = kpiCaller({ db, now: () => NOW, hostTimeZone: () => 'Asia/Shanghai' });
  const handlers = createKpiDefinitionHandlers({
    db,
    logger: silentLogger,
    now: () => NOW,
    evaluate: engine.handlers['kpis.evaluate'],
    premiumAllowed: (templateId) => !locked.has(templateId),
  });
  return {
    engine,
    async call<Name extends KpiDefinitionCallName>(name: Name, input: unknown, options: { role?: Role; locale?: Locale } = {}) {
      const spec = kpiDefinitionCalls[name];
      const role = options.role ?? 'engineer';
      if (!roleAllows(role, spec.role)) throw new AppError('forbidden', 'error.forbidden', { params: { call: name, role, required: spec.role } });
      const handler = handlers[name] as (input: unknown, context: { role: Role; locale: Locale; actor: string }) => unknown;
      const value = await handler(spec.input.parse(input), { role, locale: options.locale ?? 'en', actor: 'test' });
      return spec.output.parse(value) as ReturnType<(typeof kpiDefinitionCalls)[Name]['output']['parse']>;
    },
  };
}

async function refusal(promise: Promise<unknown>, locale: Locale = 'en'): Promise<{ code: string; key: string; message: string; details: unknown }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return { code: error.code, key: error.key, message: error.toBody(locale).message, details: error.details };
    throw error;
  }
  throw new Error('expected a refusal');
}

/** A template instance as the installer records it, with its stored package (for the template's name). */
function recordInstance(instanceId: string, templateId: string): void {
  const manifest = { id: templateId, version: '1.0.0', name: { en: 'OEE for a press', 'zh-CN': '冲床 OEE' } };
  db.prepare("INSERT OR IGNORE INTO template_packages (template_id, version, manifest, signature, stored_at) VALUES (?, '1.0.0', ?, '{}', 0)").run(templateId, JSON.stringify(manifest));
  db.prepare(
    "INSERT INTO template_instances (instance_id, template_id, version, parameters, created, installed_at, updated_at) VALUES (?, ?, '1.0.0', '{}', ?, 0, 0)",
  ).run(instanceId, templateId, JSON.stringify({ dashboard: [], kpi: [`${instanceId}.strokes`] }));
}

describe('stored KPI definitions', () => {
  it('saves a KPI, lists it as the plant\'s own, and gives its value over the current period like kpis.evaluate', async () => {
    const { call, engine } = definitionCaller();
    const saved = await call('kpis.saveDefinition', { definition: strokesKpi() });
    expect(saved).toMatchObject({ definition: { id: 'press.strokes', unit: 'strokes', decimals: 0 }, owner: null, updatedAt: NOW });
    expect(saved.lockedBy).toBeUndefined();
    expect((await call('kpis.definitions', {}, { role: 'viewer' })).map((view) => [view.definition.id, view.owner])).toEqual([['press.strokes', null]]);

    const value = await call('kpis.value', { kpiId: 'press.strokes', period: 'day' }, { role: 'viewer' });
    expect(value).toMatchObject({ kpiId: 'press.strokes', name: 'Press strokes', value: 720, unit: 'strokes', target: 600, status: 'good', decimals: 0 });
    expect(value.period).toMatchObject({ kind: 'day', current: true, label: '2026-05-04' });
    expect(value).toEqual(await engine.call('kpis.evaluate', { definition: strokesKpi(), period: 'day' }, { role: 'viewer' }));

    // A change is saved over it; a delete removes it, and its value is then refused with a sentence.
    await call('kpis.saveDefinition', { definition: strokesKpi({ expression: 'strokes / 2', name: 'Half strokes' }) });
    expect((await call('kpis.value', { kpiId: 'press.strokes', period: 'day' }, { role: 'viewer' })).value).toBe(360);
    expect(await call('kpis.deleteDefinition', { id: 'press.strokes' })).toEqual({ id: 'press.strokes' });
    expect(await call('kpis.definitions', {}, { role: 'viewer' })).toEqual([]);
    const gone = await refusal(call('kpis.value', { kpiId: 'press.strokes', period: 'day' }, { role: 'viewer' }), 'zh-CN');
    expect(gone).toMatchObject({ code: 'not_found', key: 'error.kpiDefinitionNotFound', details: { kpiId: 'press.strokes' } });
    expect(gone.message).toContain('press.strokes');
    expect((await refusal(call('kpis.deleteDefinition', { id: 'press.strokes' }))).code).toBe('not_found');
  });

  it('refuses a definition the engine could not use, with the same sentences as kpis.evaluate, and keeps what was stored', async () => {
    const { call } = definitionCaller();
    await call('kpis.saveDefinition', { definition: strokesKpi() });
    expect(await refusal(call('kpis.saveDefinition', { definition: strokesKpi({ expression: 'strokez * 2' }) }))).toMatchObject({
      code: 'invalid_input',
      key: 'error.kpiExpression',
      message: expect.stringContaining('"strokez" is not one of its inputs'),
    });
    const duplicate = strokesKpi({ inputs: [strokesKpi().inputs[0]!, strokesKpi().inputs[0]!] });
    expect((await refusal(call('kpis.saveDefinition', { definition: duplicate }))).key).toBe('error.kpiInputDuplicate');
    expect((await refusal(call('kpis.saveDefinition', { definition: strokesKpi() }, { role: 'operator' }))).key).toBe('error.forbidden');
    expect((await call('kpis.definitions', {}, { role: 'viewer' }))[0]!.definition.expression).toBe('strokes');
  });

  it('leaves out a stored definition that no longer fits the schema, and says so when its value is asked for', async () => {
    const { call } = definitionCaller();
    await call('kpis.saveDefinition', { definition: strokesKpi() });
    db.prepare("INSERT INTO kpi_definitions (id, definition, owner_instance_id, created_at, updated_at) VALUES ('broken', '{\"id\":\"broken\"}', NULL, 1, 1)").run();
    expect((await call('kpis.definitions', {}, { role: 'viewer' })).map((view) => view.definition.id)).toEqual(['press.strokes']);
    expect(await refusal(call('kpis.value', { kpiId: 'broken', period: 'shift' }, { role: 'viewer' }))).toMatchObject({ key: 'error.kpiDefinitionInvalid' });
    expect(await call('kpis.deleteDefinition', { id: 'broken' })).toEqual({ id: 'broken' });
  });
});

describe('the premium lock', () => {
  it('makes a locked template\'s KPI read-only, still evaluated, and editable again once the licence is back', async () => {
    recordInstance('press-1', 'acme.press-oee');
    new KpiDefinitionStore(db, silentLogger).save(KpiDefinitionSchema.parse(strokesKpi({ id: 'press-1.strokes' })), 'press-1', 5);
    const { call } = definitionCaller();
    const [unlocked] = await call('kpis.definitions', {}, { role: 'viewer' });
    expect(unlocked).toMatchObject({ owner: { instanceId: 'press-1', templateId: 'acme.press-oee' } });
    expect(unlocked!.lockedBy).toBeUndefined();

    locked.add('acme.press-oee');
    const [view] = await call('kpis.definitions', {}, { role: 'viewer', locale: 'zh-CN' });
    expect(view!.lockedBy).toMatchObject({ templateId: 'acme.press-oee', instanceId: 'press-1' });
    expect(view!.lockedBy!.reason).toContain('冲床 OEE');
    expect(view!.lockedBy!.reason).toContain('续订');

    const change = await refusal(call('kpis.saveDefinition', { definition: strokesKpi({ id: 'press-1.strokes', target: 1 }) }));
    expect(change).toMatchObject({ code: 'forbidden', key: 'error.premiumLockedKpi' });
    expect(change.message).toContain('"OEE for a press"');
    expect(change.message).toContain('Renew the licence');
    expect(change.message).toContain('sync with the cloud');
    expect((await refusal(call('kpis.deleteDefinition', { id: 'press-1.strokes' }, { locale: 'zh-CN' }), 'zh-CN')).message).toContain('冲床 OEE');
    // Read-only means no changes, not no data.
    expect((await call('kpis.value', { kpiId: 'press-1.strokes', period: 'day' }, { role: 'viewer' })).value).toBe(720);
    // The plant's own KPIs are not affected.
    await call('kpis.saveDefinition', { definition: strokesKpi() });

    locked.clear();
    const saved = await call('kpis.saveDefinition', { definition: strokesKpi({ id: 'press-1.strokes', target: 700 }) });
    // Saved over, it stays the template's.
    expect(saved).toMatchObject({ owner: { instanceId: 'press-1' }, definition: { target: 700 } });
    await call('kpis.deleteDefinition', { id: 'press-1.strokes' });
  });
});
