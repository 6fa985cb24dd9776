import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../host.ts';
import { MINUTE_MS } from '../historian/rollup.ts';
import { addDevice, runUpkeep, storeSamples, type SampleRow } from '../kpis/kpi-test-support.ts';
import { openDatabase, type Db } from '../storage/database.ts';
import { syncMigration } from '../sync/sync-schema.ts';
import { installInstance, instancesOf, manifestWith } from './metering-test-support.ts';
import { TemplateManifestSchema } from '../../shared/cloud/index.ts';
import { AppError } from '../../shared/errors.ts';
import { translate } from '../../shared/i18n/index.ts';
import { checkMetersSupported, MAX_CATCH_UP_HOURS, Meter, SUPPORTED_METERS } from './metering.ts';
import { PlanSince } from './plan-since.ts';
import { UsageLedger } from './usage-ledger.ts';

const HOUR = 3_600_000;
const START = Date.UTC(2026, 4, 4);
const TEMPLATE = 'acme.energy-watch';
const meters = [{ id: 'machine-hours', unit: 'h', description: { en: 'Machine hours', 'zh-CN': '机时' } }];

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function database(): Db {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plantdesk-meter-'));
  const db = openDatabase(dir);
  syncMigration(db);
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }), () => void db.close());
  return db;
}

/** A sample a minute over [from, to): good values, or bad readings (the device did not answer). */
function* minutes(from: number, to: number, quality = 0): Generator<SampleRow> {
  for (let ts = from; ts < to; ts += MINUTE_MS) yield [ts, quality === 0 ? 20 + (ts % 7) : null, quality];
}

describe('metering machine-hours', () => {
  it('records an hour for each instance whose device sent good samples, and nothing for one that did not', () => {
    const db = database();
    const running = addDevice(db, 'cnc1.plc', [{ id: 'cnc1.spindle', kind: 'analog' }]);
    addDevice(db, 'cnc2.plc', [{ id: 'cnc2.spindle', kind: 'analog' }]);
    // cnc1 runs hours 0–2 and 4; in hour 3 it only gives bad readings. cnc2 never answers.
    storeSamples(db, running['cnc1.spindle']!, minutes(START, START + 3 * HOUR));
    storeSamples(db, running['cnc1.spindle']!, minutes(START + 3 * HOUR, START + 4 * HOUR, 2));
    storeSamples(db, running['cnc1.spindle']!, minutes(START + 4 * HOUR, START + 5 * HOUR));
    // Part of it rolled up by the historian, the rest still raw samples.
    runUpkeep(db, START + 2 * HOUR + 30 * MINUTE_MS);

    const manifest = manifestWith(TEMPLATE, '1.1.0', { meters });
    installInstance(db, { instanceId: 'cnc1', templateId: TEMPLATE, version: '1.1.0', installedAt: START - 10 * MINUTE_MS, created: { device: ['cnc1.plc'], point: ['cnc1.spindle'] }, manifest });
    installInstance(db, { instanceId: 'cnc2', templateId: TEMPLATE, version: '1.1.0', installedAt: START - 5 * MINUTE_MS, created: { device: ['cnc2.plc'], point: ['cnc2.spindle'] }, manifest });
    // Another template on a subscription is not metered.
    installInstance(db, { instanceId: 'sub', templateId: 'acme.other', version: '1.0.0', installedAt: START - HOUR, parameters: { machine: 'cnc1.plc' }, manifest: manifestWith('acme.other', '1.0.0', { meters }) });

    // On pay-after-use since before it was installed (bought, then installed).
    new PlanSince(db, silentLogger).set(TEMPLATE, 'pay_after_use', START - HOUR);
    let now = START + 6 * HOUR + MINUTE_MS;
    let acked = 0;
    const meter = new Meter({
      db,
      instances: instancesOf(db),
      planOf: (templateId) => (templateId === TEMPLATE ? 'pay_after_use' : 'subscription'),
      clockState: () => 'ok',
      acknowledgedUsage: () => acked,
      logger: silentLogger,
      now: () => now,
    });
    // The hour that ended a minute ago is not closed yet (samples may still arrive): five hours.
    expect(meter.run()).toBe(5);
    const records = new UsageLedger(db).pending(0);
    expect(records.map((record) => [record.periodStart - START, record.value])).toEqual([
      [0, 1],
      [HOUR, 1],
      [2 * HOUR, 1],
      [3 * HOUR, 0],
      [4 * HOUR, 1],
    ]);
    expect(records.every((record) => record.templateId === TEMPLATE && record.templateVersion === '1.1.0' && record.meter === 'machine-hours' && record.unit === 'h')).toBe(true);
    expect(meter.run()).toBe(0);

    now += 10 * MINUTE_MS;
    expect(meter.run()).toBe(1);
    expect(new UsageLedger(db).pending(5).map((record) => record.value)).toEqual([0]);
    expect(meter.unreported(TEMPLATE)).toBe(4);
    acked = 2;
    expect(meter.unreported(TEMPLATE)).toBe(2);
    expect(meter.summary()).toEqual([{ templateId: TEMPLATE, meter: 'machine-hours', unit: 'h', recordedUnits: 4, unreportedUnits: 2, lastPeriodEnd: START + 6 * HOUR }]);
    expect(new UsageLedger(db).verify()).toMatchObject({ ok: true, count: 6 });
  });

  it('catches up after a long time off in bounded runs, marking the clock state', () => {
    const db = database();
    addDevice(db, 'press.plc', [{ id: 'press.state', kind: 'analog' }]);
    installInstance(db, { instanceId: 'press', templateId: TEMPLATE, version: '1.0.0', installedAt: START, created: { device: ['press.plc'] }, manifest: manifestWith(TEMPLATE, '1.0.0', { meters }) });
    new PlanSince(db, silentLogger).set(TEMPLATE, 'pay_after_use', START);
    const meter = new Meter({
      db,
      instances: instancesOf(db),
      planOf: () => 'pay_after_use',
      clockState: () => 'suspect',
      acknowledgedUsage: () => 0,
      logger: silentLogger,
      now: () => START + 10 * 24 * HOUR + 5 * MINUTE_MS,
    });
    expect(meter.run()).toBe(MAX_CATCH_UP_HOURS);
    expect(meter.run()).toBe(10 * 24 - MAX_CATCH_UP_HOURS);
    expect(meter.run()).toBe(0);
    const records = new UsageLedger(db).pending(0, 500);
    expect(records).toHaveLength(240);
    expect(records.every((record) => record.value === 0 && record.clockState === 'suspect')).toBe(true);
  });

  it('meters only the hours after pay-after-use began, not back to the install date under a subscription', () => {
    const db = database();
    const nums = addDevice(db, 'lathe.plc', [{ id: 'lathe.spindle', kind: 'analog' }]);
    const installedAt = START - 90 * 24 * HOUR;
    // The lathe ran every hour of its 90 days and the 4 hours since.
    storeSamples(db, nums['lathe.spindle']!, minutes(installedAt, START + 4 * HOUR));
    runUpkeep(db, START - HOUR);
    installInstance(db, { instanceId: 'lathe', templateId: TEMPLATE, version: '1.0.0', installedAt, created: { device: ['lathe.plc'] }, manifest: manifestWith(TEMPLATE, '1.0.0', { meters }) });
    let now = START - 30 * MINUTE_MS;
    let plan: 'subscription' | 'pay_after_use' = 'subscription';
    const meter = new Meter({ db, instances: instancesOf(db), planOf: () => plan, clockState: () => 'ok', acknowledgedUsage: () => 0, logger: silentLogger, now: () => now });
    expect(meter.run()).toBe(0);
    // Switched to pay-after-use at START − 30 min: metering starts with the first whole hour after, START.
    plan = 'pay_after_use';
    expect(meter.run()).toBe(0);
    now = START + 4 * HOUR + 5 * MINUTE_MS;
    expect(meter.run()).toBe(4);
    const records = new UsageLedger(db).pending(0, 500);
    expect(records.map((record) => [record.periodStart - START, record.value])).toEqual([
      [0, 1],
      [HOUR, 1],
      [2 * HOUR, 1],
      [3 * HOUR, 1],
    ]);
    // A restart (a new meter on the same file) keeps when the plan began.
    expect(new Meter({ db, instances: instancesOf(db), planOf: () => plan, clockState: () => 'ok', acknowledgedUsage: () => 0, logger: silentLogger, now: () => now }).run()).toBe(0);
    expect(new PlanSince(db, silentLogger).read(TEMPLATE)).toEqual({ plan: 'pay_after_use', since: START - 30 * MINUTE_MS });
    // Back to a subscription for two hours, then pay-after-use again: the hours under the subscription are not billed.
    plan = 'subscription';
    now = START + 6 * HOUR + 5 * MINUTE_MS;
    expect(meter.run()).toBe(0);
    plan = 'pay_after_use';
    expect(meter.run()).toBe(0);
    now = START + 8 * HOUR + 5 * MINUTE_MS;
    expect(meter.run()).toBe(1);
    expect(new UsageLedger(db).pending(4).map((record) => record.periodStart - START)).toEqual([7 * HOUR]);
  });

  it('an app updated from a version that kept no plan start goes on from its ledger, catching up the hours it was off', () => {
    const db = database();
    const nums = addDevice(db, 'mill.plc', [{ id: 'mill.spindle', kind: 'analog' }]);
    storeSamples(db, nums['mill.spindle']!, minutes(START, START + 6 * HOUR));
    installInstance(db, { instanceId: 'mill', templateId: TEMPLATE, version: '1.0.0', installedAt: START - 30 * 24 * HOUR, created: { device: ['mill.plc'] }, manifest: manifestWith(TEMPLATE, '1.0.0', { meters }) });
    // The older app metered the first two hours, then was off for four; nothing noted when the plan began.
    const ledger = new UsageLedger(db);
    for (const hour of [0, 1]) {
      ledger.record({ templateId: TEMPLATE, templateVersion: '1.0.0', meter: 'machine-hours', unit: 'h', value: 1, periodStart: START + hour * HOUR, periodEnd: START + (hour + 1) * HOUR, clockState: 'ok' });
    }
    const meter = new Meter({ db, instances: instancesOf(db), planOf: () => 'pay_after_use', clockState: () => 'ok', acknowledgedUsage: () => 0, logger: silentLogger, now: () => START + 6 * HOUR + 5 * MINUTE_MS });
    expect(meter.run()).toBe(4);
    expect(ledger.pending(0).map((record) => [record.periodStart - START, record.value])).toEqual([
      [0, 1],
      [HOUR, 1],
      [2 * HOUR, 1],
      [3 * HOUR, 1],
      [4 * HOUR, 1],
      [5 * HOUR, 1],
    ]);
    expect(new PlanSince(db, silentLogger).read(TEMPLATE)).toEqual({ plan: 'pay_after_use', since: START });
  });

  it('refuses at install a package declaring a meter this app does not measure, naming the meter', () => {
    expect(SUPPORTED_METERS).toEqual(['machine-hours']);
    const supported = TemplateManifestSchema.parse(manifestWith(TEMPLATE, '1.0.0', { meters }));
    expect(() => checkMetersSupported(supported)).not.toThrow();
    const litres = TemplateManifestSchema.parse(
      manifestWith(TEMPLATE, '1.2.0', { meters: [...meters, { id: 'litres-pumped', unit: 'L', description: { en: 'Litres pumped', 'zh-CN': '泵送升数' } }] }),
    );
    let refusal: unknown;
    try {
      checkMetersSupported(litres);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(AppError);
    const appError = refusal as AppError;
    expect(appError).toMatchObject({ code: 'invalid_input', key: 'sync.meter.unsupported', params: { template: TEMPLATE, version: '1.2.0', meter: 'litres-pumped' } });
    expect(appError.message).toBe(
      'Template acme.energy-watch 1.2.0 cannot be installed: it declares the meter "litres-pumped", which this version of PlantDesk does not measure (it measures machine-hours), so its use could not be billed. Update PlantDesk, or ask the publisher for a version without that meter.',
    );
    expect(translate('zh-CN', appError.key, appError.params)).toContain('计量项“litres-pumped”');
  });
});
