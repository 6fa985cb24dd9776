// Install, update, roll back and uninstall against a real SQLite file with every migration, with
// packages signed as the marketplace signs them and verified as the app verifies them. A failure at
// each step must leave every table's rows exactly as they were.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TemplateManifestSchema } from '../../shared/cloud/index.ts';
import { PointSchema } from '../../shared/domain/devices.ts';
import { MachineSettingsSchema } from '../../shared/domain/machines.ts';
import { AppError } from '../../shared/errors.ts';
import { translate } from '../../shared/i18n/index.ts';
import { generateSigningKey, Keyring } from '../../cloud/crypto/keys.ts';
import { signPackage } from '../../cloud/publishing/publish.ts';
import type { CallContext } from '../contract/dispatcher.ts';
import { AlarmService } from '../alarms/alarm-service.ts';
import { AlarmStore } from '../alarms/alarm-store.ts';
import { createDashboardHandlers } from '../dashboards/dashboard-handlers.ts';
import { DashboardStore } from '../dashboards/dashboard-store.ts';
import { SampleWriter } from '../historian/sample-writer.ts';
import { createKpiDefinitionHandlers } from '../kpis/kpi-definition-handlers.ts';
import { createKpiHandlers } from '../kpis/kpi-handlers.ts';
import { demoConfiguration } from '../demo/demo-config.ts';
import { DeviceStore } from '../devices/device-store.ts';
import { KpiDefinitionStore } from '../kpis/definition-store.ts';
import { kpiDefinitionsMigration } from '../kpis/schema.ts';
import { silentLogger } from '../host.ts';
import { openDatabase, type Db } from '../storage/database.ts';
import { templatesMigration } from './schema.ts';
import { TEMPLATE_STEPS, TemplateInstaller, type TemplateStep } from './template-installer.ts';
import { verifyPackage, type VerifiedPackage } from './verify-package.ts';
import { caughtAppError } from '../test-support.ts';

const marketplace = new Keyring(generateSigningKey());
const APP_VERSION = '0.5.0';

const message = (en: string, zh: string) => ({ en, 'zh-CN': zh });

/** The files of the CNC OEE template at a version; 2.0.0 drops the coolant point and the offline rule, adds a feed point and a limit parameter. */
function cncFiles(version: '1.0.0' | '2.0.0'): Map<string, Buffer> {
  const v2 = version === '2.0.0';
  const manifest = {
    manifestVersion: 1,
    id: 'acme.cnc-oee',
    version,
    name: message('OEE for a CNC machine', 'CNC 机床 OEE'),
    summary: message('OEE by shift', '按班次统计 OEE'),
    description: message('Reads state and count from the controller.', '从控制器读取状态和计数。'),
    publisher: { id: 'acme', name: 'Acme Automation' },
    appVersions: '>=0.1.0 <1.0.0',
    drivers: ['modbus-tcp'],
    licence: {},
    parameters: [
      { id: 'device-name', label: message('Machine name', '机床名称'), type: 'string', required: true },
      { id: 'host', label: message('IP address', 'IP 地址'), type: 'string', required: true },
      { id: 'port', label: message('Port', '端口'), type: 'integer', default: 502 },
      { id: 'unit-id', label: message('Unit id', '从站地址'), type: 'integer', default: 1 },
      { id: 'ideal-cycle-time', label: message('Ideal cycle time (s)', '理想节拍（秒）'), type: 'number', required: true },
      ...(v2 ? [{ id: 'spindle-limit', label: message('Spindle limit (°C)', '主轴温度上限（°C）'), type: 'number', default: 85 }] : []),
    ],
    contents: {
      deviceProfiles: ['devices/cnc.json'],
      alarmRules: ['alarms/cnc.json'],
      dashboards: ['dashboards/cnc.json'],
      kpis: ['kpis/machines.json'],
    },
  };
  const profile = {
    device: { id: 'cnc', name: '{{param.device-name}}', connection: { kind: 'tcp', host: '{{param.host}}', port: '{{param.port}}' }, unitId: '{{param.unit-id}}' },
    points: [
      { id: 'state', name: '{{param.device-name}} state', address: 0, dataType: 'uint16', kind: 'state' },
      { id: 'parts', name: 'Parts', address: 1, dataType: 'uint32', kind: 'counter' },
      { id: 'spindle-temp', name: 'Spindle temperature', unit: '°C', address: 3, dataType: 'int16', scale: v2 ? 0.01 : 0.1 },
      ...(v2 ? [{ id: 'feed', name: 'Feed override', unit: '%', address: 5, dataType: 'uint16' }] : [{ id: 'coolant', name: 'Coolant level', address: 4, dataType: 'uint16' }]),
    ],
  };
  const rules = [
    { id: 'spindle-hot', kind: 'limit', pointId: 'spindle-temp', level: 'H', limit: v2 ? '{{param.spindle-limit}}' : 80, severity: 'high', message: message('{{point}} high: {{value}} {{unit}}', '{{point}} 过高：{{value}} {{unit}}') },
    ...(v2 ? [] : [{ id: 'offline', kind: 'disconnected', deviceId: 'cnc', severity: 'medium', message: message('{{device}} ({{param.device-name}}) is not answering', '{{device}} 无应答') }]),
  ];
  const dashboard = {
    id: 'cnc',
    name: message('{{param.device-name}} OEE', '{{param.device-name}} OEE'),
    widgets: [
      { id: 'oee', type: 'oeeBreakdown', x: 0, y: 0, w: 4, h: 5, options: { period: 'shift', machineId: 'cnc' } },
      { id: 'spindle', type: 'trend', x: 4, y: 0, w: 6, h: 4, options: { pointIds: ['spindle-temp'] } },
      { id: 'parts-tile', type: 'valueTile', x: 10, y: 0, w: 2, h: 2, options: { source: { kind: 'kpi', kpiId: 'parts-per-hour', period: 'shift' } } },
    ],
  };
  const machines = [{ id: 'cnc', name: '{{param.device-name}}', deviceId: 'cnc', stateTag: 'state', runningStates: [1], partCounter: 'parts', idealCycleTimeS: '{{param.ideal-cycle-time}}' }];
  // KPI definitions: 2.0.0 changes the parts KPI's formula, drops the coolant KPI and adds one on the feed.
  const definitions = [
    {
      id: 'parts-per-hour',
      name: message('{{param.device-name}} parts per hour', '{{param.device-name}} 每小时产量'),
      inputs: [{ source: 'point', name: 'parts', pointId: 'parts', aggregation: 'increase' }, { source: 'machine', name: 'run', machineId: 'cnc', measure: 'runTime' }],
      expression: v2 ? 'parts / run * 3600' : 'parts / (run / 3600)',
      unit: 'pcs/h',
      decimals: 1,
    },
    v2
      ? { id: 'feed-average', name: 'Feed override', inputs: [{ source: 'point', name: 'feed', pointId: 'feed', aggregation: 'average' }], expression: 'feed', unit: '%' }
      : { id: 'coolant-average', name: 'Coolant level', inputs: [{ source: 'point', name: 'coolant', pointId: 'coolant', aggregation: 'average' }], expression: 'coolant' },
  ];
  const json = (value: unknown) => Buffer.from(JSON.stringify(value, null, 2));
  return new Map([
    ['manifest.json', json(manifest)],
    ['devices/cnc.json', json(profile)],
    ['alarms/cnc.json', json(rules)],
    ['dashboards/cnc.json', json(dashboard)],
    ['kpis/machines.json', json({ machines, definitions })],
  ]);
}

/** Signs the files as the marketplace does, then verifies them as the app does. */
async function verified(files: Map<string, Buffer>): Promise<VerifiedPackage> {
  const manifest = TemplateManifestSchema.parse(JSON.parse(files.get('manifest.json')!.toString()));
  const signed = await signPackage(marketplace, { manifest, files }, { organisationId: 'org_abcdefghijkl', signedAt: Date.UTC(2026, 0, 1) });
  return verifyPackage(signed.zip, { trustedKeys: marketplace.publicKeys(), appVersion: APP_VERSION });
}

const cncParameters = (n: number) => ({ 'device-name': `CNC-${n}`, host: `192.168.1.${20 + n}`, 'ideal-cycle-time': 30 + n });

let dir: string;
let db: Db;
let installer: TemplateInstaller;
let devices: DeviceStore;
let v1: VerifiedPackage;
let v2: VerifiedPackage;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'plantdesk-templates-'));
  db = openDatabase(dir);
  db.transaction(() => {
    templatesMigration(db);
    kpiDefinitionsMigration(db);
  })();
  installer = new TemplateInstaller(db, silentLogger);
  devices = new DeviceStore(db, silentLogger);
  v1 ??= await verified(cncFiles('1.0.0'));
  v2 ??= await verified(cncFiles('2.0.0'));
});
afterEach(async () => {
  db.close();
  await fs.rm(dir, { recursive: true, force: true });
});

/** Every row of every table, in a stable order. */
function dump(): Record<string, string[]> {
  const tables = db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all();
  return Object.fromEntries(tables.map((table) => [table, db.prepare(`SELECT * FROM "${table}"`).all().map((row) => JSON.stringify(row)).sort()]));
}

/** Every stored KPI definition's id and owning instance. */
const kpiDefinitions = () => db.prepare<[], [string, string | null]>('SELECT id, owner_instance_id FROM kpi_definitions ORDER BY id').raw().all();

function machines() {
  const stored = db.prepare<[], string>("SELECT value FROM settings WHERE key = 'kpis.machines'").pluck().get();
  return stored === undefined ? [] : MachineSettingsSchema.parse(JSON.parse(stored)).machines;
}

const pointNumbers = (deviceId: string) => Object.fromEntries(devices.listPoints(deviceId).map((point) => [point.id, point.num]));

const caught = caughtAppError;

describe('install', () => {
  it('installs one instance: device and points with the parameters, alarm rules, dashboard and KPI machine, and records it', () => {
    const instance = installer.install(v1, { instanceId: 'cnc-1', parameters: cncParameters(1) });
    expect(instance).toMatchObject({ templateId: 'acme.cnc-oee', version: '1.0.0', previous: null, parameters: { ...cncParameters(1), port: 502, 'unit-id': 1 } });

    const device = devices.getDevice('cnc-1.cnc')!;
    expect(device).toMatchObject({ name: 'CNC-1', connection: { kind: 'tcp', host: '192.168.1.21', port: 502 }, unitId: 1 });
    expect(devices.listPoints('cnc-1.cnc').map((point) => point.id)).toEqual(['cnc-1.state', 'cnc-1.parts', 'cnc-1.spindle-temp', 'cnc-1.coolant']);
    expect(devices.listPoints('cnc-1.cnc')[0]!.name).toBe('CNC-1 state');

    const rules = new AlarmStore(db, silentLogger).rules();
    expect(rules.map((rule) => rule.id).sort()).toEqual(['cnc-1.offline', 'cnc-1.spindle-hot']);
    expect(rules.find((rule) => rule.id === 'cnc-1.spindle-hot')).toMatchObject({ pointId: 'cnc-1.spindle-temp', limit: 80 });
    // The alarm's own placeholders are left for the alarm engine; the parameter is filled.
    expect(rules.find((rule) => rule.id === 'cnc-1.offline')).toMatchObject({ deviceId: 'cnc-1.cnc', message: { en: '{{device}} (CNC-1) is not answering' } });

    const dashboard = new DashboardStore(db, silentLogger).get('cnc-1.cnc');
    expect(dashboard).toMatchObject({ dashboard: { name: { en: 'CNC-1 OEE' }, widgets: [{ options: { machineId: 'cnc-1.cnc' } }, { options: { pointIds: ['cnc-1.spindle-temp'] } }, { options: { source: { kind: 'kpi', kpiId: 'cnc-1.parts-per-hour' } } }] } });
    expect(machines()).toMatchObject([{ id: 'cnc-1.cnc', deviceId: 'cnc-1.cnc', stateTag: 'cnc-1.state', partCounter: 'cnc-1.parts', idealCycleTimeS: 31 }]);
    // The KPI definitions, owned by the instance, with their references to the instance's point and machine.
    expect(kpiDefinitions()).toEqual([
      ['cnc-1.coolant-average', 'cnc-1'],
      ['cnc-1.parts-per-hour', 'cnc-1'],
    ]);
    expect(new KpiDefinitionStore(db, silentLogger).get('cnc-1.parts-per-hour')).toMatchObject({
      definition: { name: 'CNC-1 每小时产量', unit: 'pcs/h', decimals: 1, inputs: [{ pointId: 'cnc-1.parts' }, { machineId: 'cnc-1.cnc' }] },
    });

    expect(installer.list()).toEqual([instance]);
    expect(instance.created).toEqual({
      device: ['cnc-1.cnc'],
      point: ['cnc-1.state', 'cnc-1.parts', 'cnc-1.spindle-temp', 'cnc-1.coolant'],
      alarmRule: ['cnc-1.spindle-hot', 'cnc-1.offline'],
      dashboard: ['cnc-1.cnc'],
      machine: ['cnc-1.cnc'],
      kpi: ['cnc-1.parts-per-hour', 'cnc-1.coolant-average'],
    });
    expect(db.prepare('SELECT version FROM template_packages').pluck().all()).toEqual(['1.0.0']);
    expect(db.prepare('SELECT path FROM template_package_files ORDER BY path').pluck().all()).toEqual(v1.files.map((file) => file.path));
  });

  it('installs three instances of one template side by side, each with its own ids and parameters', () => {
    for (const n of [1, 2, 3]) installer.install(v1, { instanceId: `cnc-${n}`, parameters: { ...cncParameters(n), 'unit-id': n } });
    expect(devices.listDevices().map((device) => [device.id, device.name, device.unitId, device.connection.kind === 'tcp' && device.connection.host])).toEqual([
      ['cnc-1.cnc', 'CNC-1', 1, '192.168.1.21'],
      ['cnc-2.cnc', 'CNC-2', 2, '192.168.1.22'],
      ['cnc-3.cnc', 'CNC-3', 3, '192.168.1.23'],
    ]);
    expect(devices.listPoints()).toHaveLength(12);
    expect(new AlarmStore(db, silentLogger).rules()).toHaveLength(6);
    expect(new DashboardStore(db, silentLogger).list()).toHaveLength(3);
    expect(machines().map((machine) => [machine.id, machine.idealCycleTimeS])).toEqual([['cnc-1.cnc', 31], ['cnc-2.cnc', 32], ['cnc-3.cnc', 33]]);
    expect(installer.list().map((instance) => instance.instanceId)).toEqual(['cnc-1', 'cnc-2', 'cnc-3']);
    // One stored copy of the package serves all three.
    expect(db.prepare('SELECT count(*) FROM template_packages').pluck().get()).toBe(1);
  });

  it('keeps machines the user set up by hand next to the template\'s', () => {
    db.prepare("INSERT INTO settings (key, value) VALUES ('kpis.machines', ?)").run(
      JSON.stringify({ machines: [{ id: 'press', name: 'Press', deviceId: 'press', stateTag: 'press.state', runningStates: [1], partCounter: 'press.count', idealCycleTimeS: 5 }] }),
    );
    installer.install(v1, { instanceId: 'cnc-1', parameters: cncParameters(1) });
    expect(machines().map((machine) => machine.id)).toEqual(['press', 'cnc-1.cnc']);
    installer.uninstall('cnc-1', { keepHistory: true });
    expect(machines().map((machine) => machine.id)).toEqual(['press']);
  });
});

describe('the demo plant\'s machines', () => {
  it('stay beside the template\'s when nothing was saved yet (the KPI pages show them by default)', () => {
    const demo = demoConfiguration({ cnc: 15020, moulding: 15021, meter: 15022 }, 'en');
    new DeviceStore(db, silentLogger).saveAll(demo.devices, demo.points);
    installer.install(v1, { instanceId: 'cnc-1', parameters: cncParameters(1) }, { locale: 'en' });
    expect(machines().map((machine) => machine.id)).toEqual(['cnc1', 'imm1', 'cnc-1.cnc']);
    expect(machines()[0]!.name).toBe('CNC-1 machining centre');
  });
});

describe('a failure leaves every row as it was', () => {
  it.each(TEMPLATE_STEPS.map((step) => [step]))('install failing at step %s', (step: TemplateStep) => {
    installer.install(v1, { instanceId: 'cnc-1', parameters: cncParameters(1) });
    const before = dump();
    const error = caught(() =>
      installer.install(v1, { instanceId: 'cnc-2', parameters: cncParameters(2) }, { onStep: (current) => { if (current === step) throw new Error('disk gone'); } }),
    );
    expect(error.key).toBe(`error.templateStep.${step}`);
    expect(error.params).toMatchObject({ template: 'acme.cnc-oee', version: '1.0.0', instance: 'cnc-2', problem: 'disk gone' });
    expect(error.toBody('en').message).toContain('cnc-2');
    expect(error.toBody('zh-CN').message).toContain('acme.cnc-oee');
    expect(dump()).toEqual(before);
  });

  it.each((['parameters', 'content', 'devices', 'points', 'alarmRules', 'dashboards', 'machines', 'kpis', 'remove', 'package', 'record'] as const).map((step) => [step]))(
    'update failing at step %s',
    (step: TemplateStep) => {
      installer.install(v1, { instanceId: 'cnc-1', parameters: cncParameters(1) });
      const before = dump();
      const error = caught(() => installer.update('cnc-1', v2, {}, { onStep: (current) => { if (current === step) throw new Error('disk gone'); } }));
      expect(error.key).toBe(`error.templateStep.${step}`);
      expect(dump()).toEqual(before);
    },
  );

  it.each((['package', 'parameters', 'content', 'devices', 'points', 'alarmRules', 'dashboards', 'machines', 'kpis', 'remove', 'record'] as const).map((step) => [step]))(
    'roll-back failing at step %s',
    (step: TemplateStep) => {
      installer.install(v1, { instanceId: 'cnc-1', parameters: cncParameters(1) });
      installer.update('cnc-1', v2);
      const before = dump();
      const error = caught(() => installer.rollBack('cnc-1', { onStep: (current) => { if (current === step) throw new Error('disk gone'); } }));
      expect(error.key).toBe(`error.templateStep.${step}`);
      expect(dump()).toEqual(before);
    },
  );

  it.each((['remove', 'record'] as const).map((step) => [step]))('uninstall failing at step %s', (step: TemplateStep) => {
    installer.install(v1, { instanceId: 'cnc-1', parameters: cncParameters(1) });
    const before = dump();
    const error = caught(() => installer.uninstall('cnc-1', { keepHistory: false }, { onStep: (current) => { if (current === step) throw new Error('disk gone'); } }));
    expect(error.key).toBe(`error.templateStep.${step}`);
    expect(dump()).toEqual(before);
  });

  it('refuses a bad parameter, naming the template, the instance and the parameter', () => {
    const before = dump();
    const error = caught(() => installer.install(v1, { instanceId: 'cnc-1', parameters: { ...cncParameters(1), port: 'five-oh-two' } }));
    expect(error).toMatchObject({ code: 'invalid_input', key: 'error.templateParameterInvalid', params: { template: 'acme.cnc-oee', instance: 'cnc-1', parameter: 'port' } });
    expect(caught(() => installer.install(v1, { instanceId: 'cnc-1', parameters: { host: '10.0.0.1', 'ideal-cycle-time': 30 } })).params).toMatchObject({ parameter: 'device-name' });
    // A value that passes the parameter's type but not the device's schema: the port is out of range.
    const content = caught(() => installer.install(v1, { instanceId: 'cnc-1', parameters: { ...cncParameters(1), port: 70000 } }));
    expect(content).toMatchObject({ key: 'error.templateContentInvalid', params: { file: 'devices/cnc.json' } });
    expect(translate('zh-CN', content.key, content.params)).toContain('devices/cnc.json');
    expect(dump()).toEqual(before);
  });

  it('refuses an id taken by something the template did not create, and an instance name in use', () => {
    devices.saveDevice({ id: 'cnc-1.cnc', name: 'Hand-made', connection: { kind: 'tcp', host: '10.0.0.9', port: 502 }, unitId: 1, timeoutMs: 1000, retries: 1, enabled: true, demo: false, mergeReads: true, maxGap: 10, maxRegistersPerRead: 125, maxBitsPerRead: 2000, writeFunction: 'auto' });
    const before = dump();
    expect(caught(() => installer.install(v1, { instanceId: 'cnc-1', parameters: cncParameters(1) }))).toMatchObject({ code: 'conflict', key: 'error.templateIdTaken', params: { id: 'cnc-1.cnc' } });
    expect(dump()).toEqual(before);

    installer.install(v1, { instanceId: 'cnc-2', parameters: cncParameters(2) });
    const after = dump();
    expect(caught(() => installer.install(v1, { instanceId: 'cnc-2', parameters: cncParameters(3) }))).toMatchObject({ code: 'conflict', key: 'error.templateInstanceExists' });
    expect(dump()).toEqual(after);
  });

  it('refuses a KPI id the plant already uses for its own KPI, and keeps that KPI', () => {
    new KpiDefinitionStore(db, silentLogger).save(
      { id: 'cnc-1.parts-per-hour', name: 'Hand-made', inputs: [{ source: 'machine', name: 'oee', machineId: 'press', measure: 'oee' }], expression: 'oee', unit: '', target: null, goodDirection: 'higher', decimals: 2 },
      null,
      1,
    );
    const before = dump();
    expect(caught(() => installer.install(v1, { instanceId: 'cnc-1', parameters: cncParameters(1) }))).toMatchObject({
      code: 'conflict',
      key: 'error.templateIdTaken',
      params: { id: 'cnc-1.parts-per-hour' },
      details: { kind: 'kpi' },
    });
    expect(dump()).toEqual(before);
  });

  it('undoes everything when the database refuses the last write (a constraint), after the content was written', () => {
    db.exec("CREATE TRIGGER refuse_instances BEFORE INSERT ON template_instances BEGIN SELECT RAISE(ABORT, 'UNIQUE constraint failed: template_instances.instance_id'); END");
    const before = dump();
    const error = caught(() => installer.install(v1, { instanceId: 'cnc-1', parameters: cncParameters(1) }));
    expect(error).toMatchObject({ code: 'conflict', key: 'error.templateStep.record' });
    expect(dump()).toEqual(before);
  });
});

describe('instances recorded before KPI definitions were installed', () => {
  it('read the missing kind as nothing created, and update and uninstall as any other', () => {
    installer.install(v1, { instanceId: 'cnc-1', parameters: cncParameters(1) });
    // As an older PlantDesk recorded it: no "kpi" in what it created, and no KPI definitions stored.
    const created = JSON.parse(db.prepare<[], string>("SELECT created FROM template_instances WHERE instance_id = 'cnc-1'").pluck().get()!) as Record<string, string[]>;
    delete created.kpi;
    db.prepare("UPDATE template_instances SET created = ? WHERE instance_id = 'cnc-1'").run(JSON.stringify(created));
    db.prepare('DELETE FROM kpi_definitions').run();
    expect(installer.get('cnc-1')!.created.kpi).toEqual([]);

    expect(installer.update('cnc-1', v2).created.kpi).toEqual(['cnc-1.parts-per-hour', 'cnc-1.feed-average']);
    installer.uninstall('cnc-1', { keepHistory: true });
    expect(kpiDefinitions()).toEqual([]);
  });
});

describe('update and roll back', () => {
  it('updates to a newer version keeping the parameters, the points\' numbers and the previous version', () => {
    installer.install(v1, { instanceId: 'cnc-1', parameters: cncParameters(1) });
    installer.install(v1, { instanceId: 'cnc-2', parameters: cncParameters(2) });
    const numbers = pointNumbers('cnc-1.cnc');

    const updated = installer.update('cnc-1', v2);
    expect(updated.version).toBe('2.0.0');
    expect(updated.parameters).toEqual({ ...cncParameters(1), port: 502, 'unit-id': 1, 'spindle-limit': 85 });
    expect(updated.previous).toEqual({ version: '1.0.0', parameters: { ...cncParameters(1), port: 502, 'unit-id': 1 } });
    const after = pointNumbers('cnc-1.cnc');
    for (const id of ['cnc-1.state', 'cnc-1.parts', 'cnc-1.spindle-temp']) expect(after[id]).toBe(numbers[id]);
    expect(after['cnc-1.coolant']).toBeUndefined();
    expect(after['cnc-1.feed']).toBeGreaterThan(Math.max(...Object.values(pointNumbers('cnc-2.cnc'))));
    expect(devices.listPoints('cnc-1.cnc').find((point) => point.id === 'cnc-1.spindle-temp')!.scale).toBe(0.01);
    const rules = new AlarmStore(db, silentLogger).rules();
    expect(rules.filter((rule) => rule.id.startsWith('cnc-1.')).map((rule) => rule.id)).toEqual(['cnc-1.spindle-hot']);
    expect(rules.find((rule) => rule.id === 'cnc-1.spindle-hot')).toMatchObject({ limit: 85 });
    expect(updated.created.point).toEqual(['cnc-1.state', 'cnc-1.parts', 'cnc-1.spindle-temp', 'cnc-1.feed']);
    // KPI definitions replaced: the changed one rewritten, the dropped one removed, the new one added; cnc-2's untouched.
    expect(updated.created.kpi).toEqual(['cnc-1.parts-per-hour', 'cnc-1.feed-average']);
    expect(kpiDefinitions()).toEqual([
      ['cnc-1.feed-average', 'cnc-1'],
      ['cnc-1.parts-per-hour', 'cnc-1'],
      ['cnc-2.coolant-average', 'cnc-2'],
      ['cnc-2.parts-per-hour', 'cnc-2'],
    ]);
    const kpiStore = new KpiDefinitionStore(db, silentLogger);
    expect(kpiStore.get('cnc-1.parts-per-hour')).toMatchObject({ definition: { expression: 'parts / run * 3600' } });
    expect(kpiStore.get('cnc-2.parts-per-hour')).toMatchObject({ definition: { expression: 'parts / (run / 3600)' } });
    // The other instance is untouched; both versions are stored (2.0.0 in use, 1.0.0 for roll-back).
    expect(installer.get('cnc-2')!.version).toBe('1.0.0');
    expect(db.prepare('SELECT version FROM template_packages ORDER BY version').pluck().all()).toEqual(['1.0.0', '2.0.0']);

    // Only a newer version of the same template.
    expect(caught(() => installer.update('cnc-1', v2)).key).toBe('error.templateNotNewer');
    expect(caught(() => installer.update('cnc-9', v2)).key).toBe('error.templateInstanceNotFound');
  });

  it('an update and a roll-back leave points added by hand to the template\'s device', () => {
    installer.install(v1, { instanceId: 'cnc-1', parameters: cncParameters(1) });
    const handMade = { id: 'cnc-1-door', deviceId: 'cnc-1.cnc', name: 'Door switch', address: 40, dataType: 'bit' as const, bit: 0 };
    devices.savePoint(PointSchema.parse(handMade));
    const number = pointNumbers('cnc-1.cnc')['cnc-1-door'];
    installer.update('cnc-1', v2);
    installer.rollBack('cnc-1');
    expect(pointNumbers('cnc-1.cnc')['cnc-1-door']).toBe(number);
    expect(installer.get('cnc-1')!.created.point).not.toContain('cnc-1-door');
  });

  it('an update may change a parameter', () => {
    installer.install(v1, { instanceId: 'cnc-1', parameters: cncParameters(1) });
    installer.update('cnc-1', v2, { parameters: { 'spindle-limit': 90, host: '192.168.1.99' } });
    expect(devices.getDevice('cnc-1.cnc')!.connection).toMatchObject({ host: '192.168.1.99' });
    expect(new AlarmStore(db, silentLogger).rules()).toMatchObject([{ id: 'cnc-1.spindle-hot', limit: 90 }]);
  });

  it('rolls back to the previous version\'s content and parameters, from the stored package', () => {
    installer.install(v1, { instanceId: 'cnc-1', parameters: cncParameters(1) });
    const numbers = pointNumbers('cnc-1.cnc');
    installer.update('cnc-1', v2, { parameters: { host: '192.168.1.99' } });

    const rolledBack = installer.rollBack('cnc-1');
    expect(rolledBack).toMatchObject({ version: '1.0.0', previous: null, parameters: { ...cncParameters(1), port: 502, 'unit-id': 1 } });
    expect(devices.getDevice('cnc-1.cnc')!.connection).toMatchObject({ host: '192.168.1.21' });
    const after = pointNumbers('cnc-1.cnc');
    for (const id of ['cnc-1.state', 'cnc-1.parts', 'cnc-1.spindle-temp']) expect(after[id]).toBe(numbers[id]);
    expect(after['cnc-1.feed']).toBeUndefined();
    expect(after['cnc-1.coolant']).toBeDefined();
    expect(new AlarmStore(db, silentLogger).rules().map((rule) => rule.id).sort()).toEqual(['cnc-1.offline', 'cnc-1.spindle-hot']);
    expect(new AlarmStore(db, silentLogger).rules().find((rule) => rule.id === 'cnc-1.spindle-hot')).toMatchObject({ limit: 80 });
    expect(kpiDefinitions()).toEqual([
      ['cnc-1.coolant-average', 'cnc-1'],
      ['cnc-1.parts-per-hour', 'cnc-1'],
    ]);
    expect(new KpiDefinitionStore(db, silentLogger).get('cnc-1.parts-per-hour')).toMatchObject({ definition: { expression: 'parts / (run / 3600)' } });
    // 2.0.0 is no longer used by anyone: its stored copy is gone.
    expect(db.prepare('SELECT DISTINCT version FROM template_package_files').pluck().all()).toEqual(['1.0.0']);
    expect(caught(() => installer.rollBack('cnc-1')).key).toBe('error.templateNoPrevious');
  });
});

describe('uninstall', () => {
  function withHistory() {
    installer.install(v1, { instanceId: 'cnc-1', parameters: cncParameters(1) });
    installer.install(v1, { instanceId: 'cnc-2', parameters: cncParameters(2) });
    const insert = db.prepare('INSERT INTO samples (point, ts, value, quality) VALUES (?, ?, ?, 0)');
    for (const point of devices.listPoints()) for (const ts of [1000, 2000]) insert.run(point.num, ts, 1);
    const count = db.prepare<[string], number>('SELECT count(*) FROM samples WHERE point IN (SELECT num FROM points WHERE device_id = ?)').pluck();
    return { numbers: Object.values(pointNumbers('cnc-1.cnc')), otherSamples: count.get('cnc-2.cnc')! };
  }
  const samplesOf = (numbers: number[]) => db.prepare(`SELECT count(*) FROM samples WHERE point IN (${numbers.join(',')})`).pluck().get();

  it('removes what the instance created and keeps its collected history when asked', () => {
    const { numbers } = withHistory();
    installer.uninstall('cnc-1', { keepHistory: true });
    expect(devices.getDevice('cnc-1.cnc')).toBeUndefined();
    expect(devices.listPoints().filter((point) => point.id.startsWith('cnc-1.'))).toEqual([]);
    expect(new AlarmStore(db, silentLogger).rules().map((rule) => rule.id).sort()).toEqual(['cnc-2.offline', 'cnc-2.spindle-hot']);
    expect(new DashboardStore(db, silentLogger).list().map((stored) => stored.dashboard.id)).toEqual(['cnc-2.cnc']);
    expect(machines().map((machine) => machine.id)).toEqual(['cnc-2.cnc']);
    expect(kpiDefinitions()).toEqual([
      ['cnc-2.coolant-average', 'cnc-2'],
      ['cnc-2.parts-per-hour', 'cnc-2'],
    ]);
    expect(installer.list().map((instance) => instance.instanceId)).toEqual(['cnc-2']);
    expect(samplesOf(numbers)).toBe(8);
    // The package stays while cnc-2 uses it, and goes with the last instance.
    expect(db.prepare('SELECT count(*) FROM template_packages').pluck().get()).toBe(1);
    installer.uninstall('cnc-2', { keepHistory: true });
    expect(db.prepare('SELECT count(*) FROM template_packages').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM template_package_files').pluck().get()).toBe(0);
  });

  it('deletes the collected history with the instance when asked, and only that instance\'s', () => {
    const { numbers, otherSamples } = withHistory();
    installer.uninstall('cnc-1', { keepHistory: false });
    expect(samplesOf(numbers)).toBe(0);
    expect(db.prepare('SELECT count(*) FROM samples').pluck().get()).toBe(otherSamples);
    expect(devices.listDevices().map((device) => device.id)).toEqual(['cnc-2.cnc']);
    expect(caught(() => installer.uninstall('cnc-1', { keepHistory: false })).code).toBe('not_found');
  });
});

/**
 * The spindle-watch template at a version: tags on an existing machine chosen through a `device`
 * parameter, an alarm rule on one of them, point names from its translations. 2.0.0 rescales the
 * temperature, drops the vibration point and adds a load point named only in English.
 */
function spindleFiles(version: '1.0.0' | '2.0.0'): Map<string, Buffer> {
  const v2 = version === '2.0.0';
  const manifest = {
    manifestVersion: 1,
    id: 'acme.spindle-watch',
    version,
    name: message('Spindle watch', '主轴监测'),
    summary: message('Spindle tags for a machine you have', '为现有机床添加主轴点位'),
    description: message('Adds spindle points and a temperature alarm.', '添加主轴点位和温度报警。'),
    publisher: { id: 'acme', name: 'Acme Automation' },
    appVersions: '>=0.1.0 <1.0.0',
    licence: {},
    parameters: [
      { id: 'machine', label: message('Machine', '机床'), type: 'device', required: true },
      { id: 'limit', label: message('Limit (°C)', '上限（°C）'), type: 'number', default: 80 },
      { id: 'boiler-too', label: message('Boiler too', '同时监测锅炉'), type: 'boolean', default: false },
    ],
    contents: { tags: ['tags/spindle.json'], alarmRules: ['alarms/spindle.json'], translations: ['texts.json'] },
  };
  const tags = [
    {
      deviceId: '{{param.machine}}',
      points: [
        { id: 'spindle-temp', name: '{{t.spindle-temp}}', unit: '°C', address: 100, dataType: 'int16', scale: v2 ? 0.01 : 0.1 },
        ...(v2 ? [{ id: 'spindle-load', name: '{{t.spindle-load}}', unit: '%', address: 102, dataType: 'uint16' }] : [{ id: 'vibration', name: '{{t.vibration}}', address: 101, dataType: 'uint16' }]),
      ],
    },
    // A device that is not a parameter and not the package's: it must exist.
    { when: { parameter: 'boiler-too', equals: true }, deviceId: 'boiler', points: [{ id: 'boiler-temp', name: 'Boiler', address: 0, dataType: 'int16' }] },
  ];
  const rules = [{ id: 'spindle-hot', kind: 'limit', pointId: 'spindle-temp', level: 'H', limit: '{{param.limit}}', severity: 'high', message: message('{{point}} high', '{{point}} 过高') }];
  const texts = {
    'zh-CN': { 'spindle-temp': '主轴温度', vibration: '振动' },
    en: { 'spindle-temp': 'Spindle temperature', vibration: 'Vibration', 'spindle-load': 'Spindle load' },
  };
  const json = (value: unknown) => Buffer.from(JSON.stringify(value, null, 2));
  return new Map([
    ['manifest.json', json(manifest)],
    ['tags/spindle.json', json(tags)],
    ['alarms/spindle.json', json(rules)],
    ['texts.json', json(texts)],
  ]);
}

describe('tags on an existing device', () => {
  let watch1: VerifiedPackage;
  let watch2: VerifiedPackage;
  const press = { id: 'press', name: 'Press', connection: { kind: 'tcp' as const, host: '10.0.0.5', port: 502 }, unitId: 1, timeoutMs: 1000, retries: 1, enabled: true, demo: false, mergeReads: true, maxGap: 10, maxRegistersPerRead: 125, maxBitsPerRead: 2000, writeFunction: 'auto' as const };
  const pressPoint = (id: string, address: number) => ({ id, deviceId: 'press', name: id, description: '', unit: '', function: 'holding' as const, address, dataType: 'uint16' as const, wordOrder: 'ABCD' as const, scale: 1, offset: 0, deadband: 0, scanMs: 1000, kind: 'analog' as const, writable: false });
  /** The press's own points and their samples, as rows: what no spindle-watch operation may touch. */
  const pressOwn = () => ({
    points: db.prepare("SELECT * FROM points WHERE id IN ('press.state', 'press.count') ORDER BY id").all(),
    samples: db.prepare("SELECT * FROM samples WHERE point IN (SELECT num FROM points WHERE id IN ('press.state', 'press.count')) ORDER BY point, ts").all(),
  });
  const names = () => Object.fromEntries(devices.listPoints('press').map((point) => [point.id, point.name]));
  const addSamples = () => {
    const insert = db.prepare('INSERT OR IGNORE INTO samples (point, ts, value, quality) VALUES (?, ?, ?, 0)');
    for (const point of devices.listPoints('press')) for (const ts of [1000, 2000]) insert.run(point.num, ts, 1);
  };
  const samplesOf = (pointId: string) => db.prepare<[string], number>('SELECT count(*) FROM samples WHERE point = (SELECT num FROM points WHERE id = ?)').pluck().get(pointId);

  beforeEach(async () => {
    watch1 ??= await verified(spindleFiles('1.0.0'));
    watch2 ??= await verified(spindleFiles('2.0.0'));
    devices.saveAll([press], [pressPoint('press.state', 0), pressPoint('press.count', 1)]);
    addSamples();
  });

  it('installs the tags beside the device\'s own points, named in the installer\'s language, and records only them', () => {
    const before = pressOwn();
    const instance = installer.install(watch1, { instanceId: 'w1', parameters: { machine: 'press' } });
    expect(instance.created).toEqual({ device: [], point: ['w1.spindle-temp', 'w1.vibration'], alarmRule: ['w1.spindle-hot'], dashboard: [], machine: [], kpi: [] });
    installer.install(watch1, { instanceId: 'w2', parameters: { machine: 'press', limit: 90 } }, { locale: 'en' });
    expect(names()).toEqual({ 'press.state': 'press.state', 'press.count': 'press.count', 'w1.spindle-temp': '主轴温度', 'w1.vibration': '振动', 'w2.spindle-temp': 'Spindle temperature', 'w2.vibration': 'Vibration' });
    expect(devices.listPoints('press').find((point) => point.id === 'w1.spindle-temp')).toMatchObject({ deviceId: 'press', scale: 0.1, unit: '°C' });
    expect(new AlarmStore(db, silentLogger).rules().map((rule) => [rule.id, rule.kind === 'limit' && rule.pointId])).toEqual([
      ['w1.spindle-hot', 'w1.spindle-temp'],
      ['w2.spindle-hot', 'w2.spindle-temp'],
    ]);
    expect(devices.getDevice('press')).toEqual(press);
    expect(pressOwn()).toEqual(before);
  });

  it('updates and rolls back only the instance\'s points: numbers kept, dropped ones gone with their history kept', () => {
    installer.install(watch1, { instanceId: 'w1', parameters: { machine: 'press' } });
    installer.install(watch1, { instanceId: 'w2', parameters: { machine: 'press' } });
    addSamples();
    const before = pressOwn();
    const numbers = pointNumbers('press');

    const updated = installer.update('w1', watch2, { parameters: { limit: 85 } });
    expect(updated.created.point).toEqual(['w1.spindle-temp', 'w1.spindle-load']);
    const after = pointNumbers('press');
    expect(after['w1.spindle-temp']).toBe(numbers['w1.spindle-temp']);
    expect(after['w1.vibration']).toBeUndefined();
    expect(after['w2.vibration']).toBe(numbers['w2.vibration']);
    // No Chinese text for the new point: the English one.
    expect(names()['w1.spindle-load']).toBe('Spindle load');
    expect(devices.listPoints('press').find((point) => point.id === 'w1.spindle-temp')!.scale).toBe(0.01);
    expect(db.prepare('SELECT count(*) FROM samples WHERE point = ?').pluck().get(numbers['w1.vibration'])).toBe(2);
    expect(new AlarmStore(db, silentLogger).rules().find((rule) => rule.id === 'w1.spindle-hot')).toMatchObject({ limit: 85 });
    expect(pressOwn()).toEqual(before);

    installer.rollBack('w1');
    const rolledBack = pointNumbers('press');
    expect(Object.keys(rolledBack).sort()).toEqual(['press.count', 'press.state', 'w1.spindle-temp', 'w1.vibration', 'w2.spindle-temp', 'w2.vibration']);
    expect(rolledBack['w1.spindle-temp']).toBe(numbers['w1.spindle-temp']);
    expect(devices.listPoints('press').find((point) => point.id === 'w1.spindle-temp')!.scale).toBe(0.1);
    expect(installer.get('w1')!.created.point).toEqual(['w1.spindle-temp', 'w1.vibration']);
    expect(pressOwn()).toEqual(before);
  });

  it('uninstall removes only the instance\'s points, with or without their history', () => {
    installer.install(watch1, { instanceId: 'w1', parameters: { machine: 'press' } });
    installer.install(watch1, { instanceId: 'w2', parameters: { machine: 'press' } });
    addSamples();
    const before = pressOwn();
    const w1Temp = pointNumbers('press')['w1.spindle-temp']!;

    installer.uninstall('w1', { keepHistory: false });
    expect(Object.keys(pointNumbers('press')).sort()).toEqual(['press.count', 'press.state', 'w2.spindle-temp', 'w2.vibration']);
    expect(db.prepare('SELECT count(*) FROM samples WHERE point = ?').pluck().get(w1Temp)).toBe(0);
    expect(samplesOf('w2.spindle-temp')).toBe(2);
    const w2Temp = pointNumbers('press')['w2.spindle-temp']!;
    installer.uninstall('w2', { keepHistory: true });
    expect(Object.keys(pointNumbers('press')).sort()).toEqual(['press.count', 'press.state']);
    expect(db.prepare('SELECT count(*) FROM samples WHERE point = ?').pluck().get(w2Temp)).toBe(2);
    expect(devices.getDevice('press')).toEqual(press);
    expect(new AlarmStore(db, silentLogger).rules()).toEqual([]);
    expect(pressOwn()).toEqual(before);
  });

  it('refuses tags for a device that does not exist, naming it, and a device parameter naming none', () => {
    const before = dump();
    const error = caught(() => installer.install(watch1, { instanceId: 'w1', parameters: { machine: 'press', 'boiler-too': true } }));
    expect(error).toMatchObject({ code: 'not_found', key: 'error.templateTagDeviceMissing', params: { device: 'boiler', template: 'acme.spindle-watch', instance: 'w1' } });
    for (const locale of ['en', 'zh-CN'] as const) expect(translate(locale, error.key, error.params)).toContain('boiler');
    expect(caught(() => installer.install(watch1, { instanceId: 'w1', parameters: { machine: 'lathe' } }))).toMatchObject({ key: 'error.templateParameterInvalid', params: { parameter: 'machine' } });
    expect(dump()).toEqual(before);
    // With the boiler there, its tag goes to it.
    devices.saveDevice({ ...press, id: 'boiler', name: 'Boiler' });
    installer.install(watch1, { instanceId: 'w1', parameters: { machine: 'press', 'boiler-too': true } });
    expect(devices.listPoints('boiler').map((point) => point.id)).toEqual(['w1.boiler-temp']);
  });

  it('refuses a tag id that belongs to a point the template did not create', () => {
    devices.savePoint(pressPoint('w1.spindle-temp', 50));
    const before = dump();
    expect(caught(() => installer.install(watch1, { instanceId: 'w1', parameters: { machine: 'press' } }))).toMatchObject({ code: 'conflict', key: 'error.templateIdTaken', params: { id: 'w1.spindle-temp' } });
    expect(dump()).toEqual(before);
  });

  const failAt = (step: TemplateStep) => ({ onStep: (current: TemplateStep) => { if (current === step) throw new Error('disk gone'); } });
  it.each(TEMPLATE_STEPS.map((step) => [step]))('install, update, roll-back and uninstall failing at step %s leave every row as it was', (step: TemplateStep) => {
    installer.install(watch1, { instanceId: 'w2', parameters: { machine: 'press' } });
    const attempt = (work: () => unknown) => {
      const before = dump();
      let failed: AppError | undefined;
      try {
        work();
      } catch (error) {
        failed = error as AppError;
      }
      // Not every operation has every step: those that have it fail there, the others go through.
      if (failed) {
        expect(failed.key).toBe(`error.templateStep.${step}`);
        expect(dump()).toEqual(before);
      }
      return failed !== undefined;
    };
    const steps: boolean[] = [];
    steps.push(attempt(() => installer.install(watch1, { instanceId: 'w1', parameters: { machine: 'press' } }, failAt(step))));
    if (steps[0]) installer.install(watch1, { instanceId: 'w1', parameters: { machine: 'press' } });
    // History on the instance's points, so a failed uninstall must bring back the samples it deleted.
    addSamples();
    steps.push(attempt(() => installer.update('w1', watch2, {}, failAt(step))));
    if (steps[1]) installer.update('w1', watch2);
    steps.push(attempt(() => installer.rollBack('w1', failAt(step))));
    if (steps[2]) installer.rollBack('w1');
    steps.push(attempt(() => installer.uninstall('w1', { keepHistory: false }, failAt(step))));
    const uninstallSteps: TemplateStep[] = ['remove', 'record'];
    expect(steps).toEqual([true, true, true, uninstallSteps.includes(step)]);
  });
});

describe('a template whose licence is locked', () => {
  it('keeps collecting: its samples are stored and its alarm rules raise alarms; only its dashboards and KPIs are read-only', async () => {
    installer.install(v1, { instanceId: 'cnc-1', parameters: cncParameters(1) });
    const asked: string[] = [];
    const premiumAllowed = (templateId: string) => {
      asked.push(templateId);
      return templateId !== 'acme.cnc-oee';
    };
    const engineer: CallContext = { role: 'engineer', locale: 'en', actor: 'test' };
    const dashboards = createDashboardHandlers({ db, logger: silentLogger, premiumAllowed });
    const engine = createKpiHandlers({ db, logger: silentLogger, warmIntervalMs: 0 });
    const kpis = createKpiDefinitionHandlers({ db, logger: silentLogger, premiumAllowed, evaluate: engine['kpis.evaluate'] });
    // The lock is in force for what the template brought...
    expect(caught(() => dashboards['dashboards.delete']({ id: 'cnc-1.cnc' }, engineer))).toMatchObject({ code: 'forbidden', key: 'error.premiumLockedDashboard' });
    expect(caught(() => kpis['kpis.deleteDefinition']({ id: 'cnc-1.parts-per-hour' }, engineer))).toMatchObject({ code: 'forbidden', key: 'error.premiumLockedKpi' });
    expect(dashboards['dashboards.get']({ id: 'cnc-1.cnc' }, engineer).lockedBy).toMatchObject({ templateId: 'acme.cnc-oee' });
    asked.length = 0;

    // ...while its device's samples go through the historian's writer into the database,
    const points = new Map(devices.listPoints('cnc-1.cnc').map((point) => [point.id, { num: point.num, deadband: point.deadband }]));
    const writer = new SampleWriter(db, (pointId) => points.get(pointId), silentLogger, { flushIntervalMs: 0 });
    const t0 = Date.UTC(2026, 4, 4, 2);
    const samples = [
      { pointId: 'cnc-1.spindle-temp', ts: t0, value: 60, quality: 'good' as const },
      { pointId: 'cnc-1.parts', ts: t0, value: 10, quality: 'good' as const },
      { pointId: 'cnc-1.spindle-temp', ts: t0 + 1000, value: 95, quality: 'good' as const },
    ];
    expect(writer.append(samples)).toBe(3);
    writer.flush();
    await writer.close();
    const stored = db.prepare<[number], [number, number]>('SELECT ts, value FROM samples WHERE point = ? ORDER BY ts').raw();
    expect(stored.all(points.get('cnc-1.spindle-temp')!.num)).toEqual([
      [t0, 60],
      [t0 + 1000, 95],
    ]);
    expect(stored.all(points.get('cnc-1.parts')!.num)).toEqual([[t0, 10]]);

    // ...and its alarm rules raise alarms from them.
    const alarms = new AlarmService({ db, logger: silentLogger, now: () => t0 + 2000, tickMs: 60_000, communicationLoss: { enabled: false } });
    try {
      alarms.evaluate(samples);
      alarms.tick();
      expect(alarms.active().alarms).toMatchObject([{ ruleId: 'cnc-1.spindle-hot', state: 'active', pointId: 'cnc-1.spindle-temp' }]);
    } finally {
      alarms.close();
    }
    // Nothing on that path asked the licence.
    expect(asked).toEqual([]);
  });
});
