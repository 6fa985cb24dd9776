// The templates shipped in templates/: each builds into a deterministic package the marketplace
// would accept, its development-signed form verifies with the keys the app pins, it installs into a
// migrated database (the energy template once per meter model), and the device it creates, read
// through the app's own Modbus block reader from a running demo plant, gives plausible values.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import modbusSerial from 'modbus-serial';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signingKeyFromPem, Keyring } from '../cloud/crypto/keys.ts';
import { checkPackage, signPackage } from '../cloud/publishing/publish.ts';
import type { Device, Point } from '../shared/domain/devices.ts';
import { MachineSettingsSchema } from '../shared/domain/machines.ts';
import { DashboardStore } from '../core/dashboards/dashboard-store.ts';
import { COMPRESSOR_STATE } from '../core/demo/compressor.ts';
import { DEMO_METER_MODELS } from '../core/demo/meter-maps.ts';
import { DemoPlant } from '../core/demo/demo-plant.ts';
import { decodePoint, readBlock } from '../core/devices/device-poller.ts';
import { planBlocks, planOptionsFor } from '../core/devices/block-planner.ts';
import { DeviceStore } from '../core/devices/device-store.ts';
import { silentLogger } from '../core/host.ts';
import { KpiDefinitionStore } from '../core/kpis/definition-store.ts';
import { kpiDefinitionsMigration } from '../core/kpis/schema.ts';
import { openDatabase, type Db } from '../core/storage/database.ts';
import { PINNED_MARKETPLACE_KEYS } from '../core/templates/pinned-keys.ts';
import { templatesMigration } from '../core/templates/schema.ts';
import { readTemplateContent } from '../core/templates/template-content.ts';
import { TemplateInstaller, type TemplateInstance } from '../core/templates/template-installer.ts';
import { verifyPackage, type VerifiedPackage } from '../core/templates/verify-package.ts';
import { APP_VERSION } from '../core/version.ts';
import { buildTemplates, DEV_KEY_FILE, DEV_SIGNATURE, readDevelopmentKey, readTemplateSource, templateFolders, type BuiltTemplate } from './build-templates.ts';

const TEMPLATE_IDS = ['plantdesk.air-compressor', 'plantdesk.cnc-oee', 'plantdesk.energy-meter', 'plantdesk.injection-moulding'];
/** The demo meter answers each model's map at its own unit id; its ADL400 is wired through 100/5 A CTs. */
const METER_MODELS = (['dtsu666', 'adl400', 'pm5xxx'] as const).map((model) => ({ model, unitId: DEMO_METER_MODELS[model].unitId, extra: { 'ct-ratio': DEMO_METER_MODELS[model].ctRatio } }));

let dir: string;
let built: BuiltTemplate[];
const verified = new Map<string, VerifiedPackage>();
let plant: DemoPlant;
/** Simulated time the tests drive the demo meter to, always ahead of the last step (its own timer's included). */
let meterClock = 0;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plantdesk-shipped-templates-'));
  built = await buildTemplates({ outDir: path.join(dir, 'out') });
  for (const template of built) {
    verified.set(template.id, await verifyPackage(fs.readFileSync(template.signedZip), { trustedKeys: PINNED_MARKETPLACE_KEYS, appVersion: APP_VERSION }));
  }
  plant = new DemoPlant(silentLogger, Date.now(), path.join(dir, 'demo-plant.json'));
  await plant.start(false);
});
afterAll(async () => {
  await plant.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('building the templates', () => {
  it('builds the four templates, unsigned and signed, the same bytes every time', async () => {
    expect(built.map((template) => template.id)).toEqual(TEMPLATE_IDS);
    const again = await buildTemplates({ outDir: path.join(dir, 'again') });
    for (const [index, template] of built.entries()) {
      expect(fs.readFileSync(again[index]!.unsignedZip).equals(fs.readFileSync(template.unsignedZip))).toBe(true);
      expect(fs.readFileSync(again[index]!.signedZip).equals(fs.readFileSync(template.signedZip))).toBe(true);
    }
  });

  it('signs exactly as the marketplace does: the same zip as cloud/publishing signPackage with that key', async () => {
    const keyFile = JSON.parse(fs.readFileSync(DEV_KEY_FILE, 'utf8')) as { privateKeyPem: string };
    const marketplace = new Keyring(signingKeyFromPem(keyFile.privateKeyPem));
    for (const template of built) {
      const checked = await checkPackage(fs.readFileSync(template.unsignedZip), 'plantdesk');
      const signed = await signPackage(marketplace, checked, DEV_SIGNATURE);
      expect(signed.zip.equals(fs.readFileSync(template.signedZip))).toBe(true);
    }
  });

  it('verifies each signed package with the pinned development key and this app version, screenshots included', () => {
    const key = readDevelopmentKey();
    expect(PINNED_MARKETPLACE_KEYS).toContainEqual({ keyId: key.keyId, publicKey: key.publicKey });
    for (const template of built) {
      const pkg = verified.get(template.id)!;
      expect(pkg.manifest.id).toBe(template.id);
      expect(pkg.manifest.licence.meters.map((meter) => meter.id)).toEqual(['machine-hours']);
      expect(pkg.manifest.screenshots.length).toBeGreaterThan(0);
      for (const shot of pkg.manifest.screenshots) {
        expect(pkg.files.find((file) => file.path === shot.path)!.bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
      }
    }
    expect(verified.get('plantdesk.energy-meter')!.manifest.licence.outcome).toMatchObject({ metric: 'kwh-saved', point: 'energy-import', baselineDays: 14 });
    const categories = built.map((template) => verified.get(template.id)!.manifest.categories);
    for (const category of ['cnc', 'energy', 'injection-moulding', 'air-compressor']) expect(categories.some((list) => list.includes(category))).toBe(true);
  });

  it('keeps plans.json out of the package and gives each template trial, subscription and pay-after-use plans', () => {
    for (const folder of templateFolders()) {
      const source = readTemplateSource(folder);
      expect(source.files.has('plans.json')).toBe(false);
      expect(source.plans.map((plan) => plan.kind).slice(0, 3)).toEqual(['trial', 'subscription', 'pay_after_use']);
      expect(source.plans.find((plan) => plan.kind === 'trial')).toMatchObject({ days: 14 });
    }
    const energy = readTemplateSource(templateFolders().find((folder) => folder.endsWith('energy-meter'))!);
    expect(energy.plans.find((plan) => plan.kind === 'pay_for_results')).toMatchObject({ metric: 'kwh-saved' });
  });
});

/** A fresh database with every migration the installer needs. */
function migratedDatabase(name: string): Db {
  const db = openDatabase(path.join(dir, name));
  db.transaction(() => {
    templatesMigration(db);
    kpiDefinitionsMigration(db);
  })();
  return db;
}

/** Every point of a device, read once through the app's block planner and block reader. */
async function readDevice(device: Device, points: readonly Point[]): Promise<Record<string, number>> {
  const client = new modbusSerial.default();
  const connection = device.connection as { host: string; port: number };
  await client.connectTCP(connection.host, { port: connection.port });
  client.setID(device.unitId);
  client.setTimeout(2000);
  try {
    const values: Record<string, number> = {};
    for (const block of planBlocks(points, planOptionsFor(device))) {
      const data = await readBlock(client, block);
      for (const point of block.points) values[point.id.split('.').pop()!] = Number(decodePoint(point, block, data));
    }
    return values;
  } finally {
    await new Promise<void>((resolve) => client.close(() => resolve()));
  }
}

const kpiIds = (db: Db) => new KpiDefinitionStore(db, silentLogger).list().map((stored) => stored.definition.id).sort();

function installed(db: Db, templateId: string, instanceId: string, parameters: Record<string, string | number | boolean>): { instance: TemplateInstance; device: Device; points: Point[] } {
  const instance = new TemplateInstaller(db, silentLogger).install(verified.get(templateId)!, { instanceId, parameters });
  const devices = new DeviceStore(db, silentLogger);
  expect(instance.created.device).toHaveLength(1);
  const device = devices.getDevice(instance.created.device[0]!)!;
  return { instance, device, points: devices.listPoints(device.id) };
}

describe('installing against the demo plant', () => {
  it('CNC OEE: creates the machine, rules, dashboard; the machine reads a state, a rising part counter and a spindle load', async () => {
    const db = migratedDatabase('cnc');
    const { host, port } = plant.endpoints().cnc;
    const { instance, device, points } = installed(db, 'plantdesk.cnc-oee', 'cnc-a', { host, port, 'device-name': 'CNC-7', 'ideal-cycle-time': 40 });
    expect(instance.created.machine).toEqual(['cnc-a.cnc']);
    expect(instance.created.alarmRule).toEqual(['cnc-a.spindle-overload', 'cnc-a.machine-alarm', 'cnc-a.offline']);
    expect(new DashboardStore(db, silentLogger).list().map((stored) => stored.dashboard.name)).toEqual([{ en: 'CNC-7 OEE', 'zh-CN': 'CNC-7 OEE' }]);
    expect(points.find((point) => point.id === 'cnc-a.state')).toMatchObject({ name: '运行状态', description: '0 待机，1 运行，2 报警', kind: 'state' });
    expect(points.find((point) => point.id === 'cnc-a.spindle-load')).toMatchObject({ name: '主轴负载', description: 'Spindle load', unit: '%' });
    const values = await readDevice(device, points);
    expect([0, 1, 2]).toContain(values.state);
    expect(values.parts).toBe(plant.cnc.parts);
    expect(values['spindle-load']).toBeGreaterThanOrEqual(0);
    expect(values['spindle-load']).toBeLessThan(100);
    expect(values['feed-override']).toBe(100);
    db.close();
  });

  it('CNC OEE with its own meter: the machine meters its kWh on a point the energy template created, for kWh per part', () => {
    const db = migratedDatabase('cnc-metered');
    const meter = plant.endpoints().meter;
    installed(db, 'plantdesk.energy-meter', 'cell', { host: meter.host, port: meter.port, 'unit-id': 4, model: 'pm5xxx', 'plant-meter': false });
    const cnc = plant.endpoints().cnc;
    installed(db, 'plantdesk.cnc-oee', 'cnc-b', { host: cnc.host, port: cnc.port, 'own-meter': true, 'energy-counter': 'cell.energy-import' });
    const stored = db.prepare<[], string>("SELECT value FROM settings WHERE key = 'kpis.machines'").pluck().get()!;
    expect(MachineSettingsSchema.parse(JSON.parse(stored)).machines).toMatchObject([{ id: 'cnc-b.cnc', meter: { pointId: 'cell.energy-import', kind: 'energy' } }]);
    const dashboard = new DashboardStore(db, silentLogger).list().find((item) => item.dashboard.id === 'cnc-b.cnc')!;
    expect(dashboard.dashboard.widgets.find((widget) => widget.id === 'kwh-per-part')).toMatchObject({ options: { source: { kind: 'machine', machineId: 'cnc-b.cnc', kpi: 'kwhPerPart' } } });
    db.close();
  });

  it('injection moulding: barrel zones near their setpoints, rejects below shots, a scrap-rate KPI', async () => {
    const db = migratedDatabase('imm');
    const { host, port } = plant.endpoints().moulding;
    const { instance, device, points } = installed(db, 'plantdesk.injection-moulding', 'imm-a', { host, port, cavities: 2 });
    expect(kpiIds(db)).toEqual(['imm-a.average-cycle', 'imm-a.scrap-rate']);
    expect(instance.created.alarmRule).toContain('imm-a.barrel-zone-3-high');
    const values = await readDevice(device, points);
    for (const [zone, setpoint] of [[1, 220], [2, 230], [3, 240]] as const) expect(Math.abs(values[`barrel-zone-${zone}`]! - setpoint)).toBeLessThan(15);
    expect(values['cycle-time']).toBeGreaterThan(20);
    expect(values['cycle-time']).toBeLessThan(30);
    expect(values.rejects).toBeGreaterThan(0);
    expect(values.rejects).toBeLessThan(values.shots! * 0.1);
    db.close();
  });

  for (const { model, unitId, extra } of METER_MODELS) {
    it(`energy metering, ${model}: installs only that profile; the demo meter at unit ${unitId} reads ~230 V, 50 Hz and a rising import`, async () => {
      const db = migratedDatabase(`energy-${model}`);
      const { host, port } = plant.endpoints().meter;
      const { instance, device, points } = installed(db, 'plantdesk.energy-meter', `meter-${model}`, { host, port, 'unit-id': unitId, model, ...extra });
      expect(points.map((point) => point.id.split('.').pop())).toEqual(['voltage-l1', 'voltage-l2', 'voltage-l3', 'current-l1', 'current-l2', 'current-l3', 'active-power', 'power-factor', 'frequency', 'energy-import']);
      expect(instance.created.kpi).toEqual([`meter-${model}.energy`, `meter-${model}.peak-demand`, `meter-${model}.voltage-unbalance`]);
      const first = await readDevice(device, points);
      for (const phase of [1, 2, 3]) expect(Math.abs(first[`voltage-l${phase}`]! - 230)).toBeLessThan(5);
      expect(Math.abs(first.frequency! - 50)).toBeLessThan(0.1);
      expect(first['power-factor']).toBeGreaterThan(0.85);
      expect(first['power-factor']).toBeLessThanOrEqual(1);
      expect(first['active-power']).toBeGreaterThan(2);
      expect(Math.abs(first['active-power']! - plant.meter.powerKw)).toBeLessThan(25);
      const amps = (first['current-l1']! + first['current-l2']! + first['current-l3']!) / 3;
      expect(Math.abs((3 * 230 * amps * first['power-factor']!) / 1000 - first['active-power']!)).toBeLessThan(first['active-power']! * 0.2);
      // Within the register's resolution (the ADL400 counts 0.01 kWh on the CT's secondary side).
      expect(Math.abs(first['energy-import']! - plant.meter.kwh)).toBeLessThan(0.5);
      // An hour of the cell's consumption later, the import register has risen by about as much.
      meterClock = Math.max(meterClock, Date.now()) + 3_600_000;
      plant.meter.step(meterClock);
      plant.meterMaps.publish(plant.meter.reading);
      const later = await readDevice(device, points);
      expect(later['energy-import']! - first['energy-import']!).toBeGreaterThan(2);
      db.close();
    });
  }

  it('air compressor: pressure inside the band, hours to service counting down, and the state cycling between load and unload', async () => {
    const db = migratedDatabase('compressor');
    const { host, port } = plant.endpoints().compressor;
    const { instance, device, points } = installed(db, 'plantdesk.air-compressor', 'air-a', { host, port });
    expect(kpiIds(db)).toEqual(['air-a.hours-to-service', 'air-a.load-ratio', 'air-a.specific-power']);
    expect(instance.created.machine).toEqual(['air-a.compressor']);
    const first = await readDevice(device, points);
    expect(first['discharge-pressure']).toBeGreaterThan(6.2);
    expect(first['discharge-pressure']).toBeLessThan(7.8);
    expect(first['hours-to-service']).toBeGreaterThan(0);
    expect(first['hours-to-service']).toBeLessThanOrEqual(4000);
    expect(first['running-hours']).toBeGreaterThan(first['loaded-hours']!);
    expect(first['load-pressure']).toBe(6.5);
    expect(first['unload-pressure']).toBe(7.5);
    // Drive the compressor through simulated minutes (bounded) and read each change of state over Modbus.
    const seen = new Set([first.state]);
    let now = Date.now() + 1000;
    for (let step = 0; step < 3000 && !(seen.has(COMPRESSOR_STATE.loaded) && seen.has(COMPRESSOR_STATE.unloaded)); step++) {
      const before = plant.compressor.state;
      now += 500;
      plant.compressor.step(now);
      if (plant.compressor.state !== before) seen.add((await readDevice(device, points)).state!);
    }
    expect(seen).toContain(COMPRESSOR_STATE.loaded);
    expect(seen).toContain(COMPRESSOR_STATE.unloaded);
    const later = await readDevice(device, points);
    expect(later['running-hours']).toBeGreaterThan(first['running-hours']!);
    expect(later.energy).toBeGreaterThan(first.energy!);
    expect(later['air-delivered']).toBeGreaterThan(first['air-delivered']!);
    db.close();
  });
});

describe('template content in both languages', () => {
  it('names points in the installer language, the other language going to the description', () => {
    const pkg = verified.get('plantdesk.energy-meter')!;
    const source = { manifest: pkg.manifest, files: new Map(pkg.files.map((file) => [file.path, file.bytes])) };
    const parameters = { model: 'pm5xxx', host: '10.0.0.5', port: 502, 'unit-id': 1, 'device-name': 'Main', 'ct-ratio': 1, 'under-voltage': 198, 'power-factor-limit': 0.9, 'plant-meter': true, 'per-part': false };
    const english = readTemplateContent(source, parameters, { template: pkg.manifest.id, version: pkg.manifest.version, instance: 'm', locale: 'en' });
    expect(english.points[0]).toMatchObject({ name: 'Voltage L1', description: 'A 相电压', address: 3027, dataType: 'float32' });
    expect(english.plantMeter).toEqual({ pointId: 'm.energy-import', kind: 'energy' });
    expect(english.dashboards[0]!.widgets.map((widget) => widget.id)).not.toContain('per-part');
    const chinese = readTemplateContent(source, { ...parameters, 'plant-meter': false }, { template: pkg.manifest.id, version: pkg.manifest.version, instance: 'm' });
    expect(chinese.points[0]).toMatchObject({ name: 'A 相电压', description: 'Voltage L1' });
    expect(chinese.plantMeter).toBeNull();
  });
});
