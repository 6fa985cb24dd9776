import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { licenceCalls, OutcomeViewSchema } from '../../shared/contract/licence-calls.ts';
import { generateSigningKey, Keyring } from '../../cloud/crypto/keys.ts';
import { createOrganisation, startTestCloud, TestMachine } from '../../cloud/test-support.ts';
import { HttpTransport } from '../cloud/transport.ts';
import { silentLogger } from '../host.ts';
import { MINUTE_MS } from '../historian/rollup.ts';
import { addDevice, runUpkeep, storeSamples, type SampleRow } from '../kpis/kpi-test-support.ts';
import { openDatabase, type Db } from '../storage/database.ts';
import { createSyncHandlers } from '../sync/sync-handlers.ts';
import { SyncEngine } from '../sync/sync-engine.ts';
import { syncMigration } from '../sync/sync-schema.ts';
import { Meter } from './metering.ts';
import { installInstance, instancesOf, manifestWith } from './metering-test-support.ts';
import { OutcomeLedger } from './outcome-ledger.ts';
import { computeOutcome, DAY_MS, OutcomeJob } from './outcomes.ts';

const START = Date.UTC(2026, 4, 4);
const BASELINE_END = START + 14 * DAY_MS;
const MEASURED_END = BASELINE_END + DAY_MS;
const TEMPLATE = 'acme.energy-watch';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function database(): Db {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plantdesk-outcome-'));
  const db = openDatabase(dir);
  syncMigration(db);
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }), () => void db.close());
  return db;
}

/**
 * An import-energy counter (kWh) read every minute: 0.0625 kWh a minute (90 kWh a day) until the
 * baseline ends, 0.05 kWh a minute (72 kWh a day) in the measured day, then the meter goes silent.
 */
function* energyCounter(): Generator<SampleRow> {
  let value = 5_000;
  for (let ts = START - 60 * MINUTE_MS; ts < MEASURED_END; ts += MINUTE_MS) {
    value += ts < BASELINE_END ? 0.0625 : 0.05;
    yield [ts, value];
  }
}

function historianWithMeter(db: Db): void {
  const nums = addDevice(db, 'site.meter', [{ id: 'site.energy-import', kind: 'counter' }]);
  storeSamples(db, nums['site.energy-import']!, energyCounter());
  // Most of it rolled up (hour and minute rows), the last hours still raw.
  runUpkeep(db, MEASURED_END - 3 * 3_600_000);
}

describe('outcomes: energy saved against a mean daily baseline', () => {
  it('computes the saving from the historian, matching figures worked by hand', () => {
    const db = database();
    historianWithMeter(db);
    const result = computeOutcome({ db, pointId: 'site.energy-import', baseline: { start: START, end: BASELINE_END }, measured: { start: BASELINE_END, end: MEASURED_END } });
    // Baseline: 14 days × 1,440 min × 0.0625 kWh = 1,260 kWh, 90 kWh a day; measured: 1,440 × 0.05 = 72 kWh; saved 18 kWh.
    expect(result).toMatchObject({ ok: true, figures: { baselineWh: 1_260_000, expectedWh: 90_000, measuredWh: 72_000, savedWh: 18_000 } });
    // Half a day measured: 45 kWh expected, 36 kWh used.
    const half = computeOutcome({ db, pointId: 'site.energy-import', baseline: { start: START, end: BASELINE_END }, measured: { start: BASELINE_END, end: BASELINE_END + DAY_MS / 2 } });
    expect(half).toMatchObject({ ok: true, figures: { expectedWh: 45_000, measuredWh: 36_000, savedWh: 9_000 } });
    // A day the meter was silent is not computed; nor a point that is not a counter or does not exist.
    expect(computeOutcome({ db, pointId: 'site.energy-import', baseline: { start: START, end: BASELINE_END }, measured: { start: MEASURED_END, end: MEASURED_END + DAY_MS } })).toEqual({ ok: false, reason: 'not_covered' });
    expect(computeOutcome({ db, pointId: 'site.nothing', baseline: { start: START, end: BASELINE_END }, measured: { start: BASELINE_END, end: MEASURED_END } })).toEqual({ ok: false, reason: 'unknown_point' });
  });

  it('issues a statement per closed day after the baseline, shows how it was computed, and the cloud accepts it undisputed', async () => {
    const db = database();
    historianWithMeter(db);
    installInstance(db, {
      instanceId: 'site',
      templateId: TEMPLATE,
      version: '2.0.0',
      installedAt: START,
      created: { device: ['site.meter'], point: ['site.energy-import'] },
      manifest: manifestWith(TEMPLATE, '2.0.0', {
        outcome: { metric: 'kwh-saved', unit: 'kWh', baselineMethod: 'mean-daily-baseline', point: 'energy-import', baselineDays: 14, description: { en: 'Energy saved', 'zh-CN': '节约电量' } },
      }),
    });
    let now = MEASURED_END + 2 * MINUTE_MS;
    let plan: 'pay_for_results' | 'subscription' = 'subscription';
    const job = new OutcomeJob({ db, instances: instancesOf(db), planOf: () => plan, clockState: () => 'ok', logger: silentLogger, now: () => now });
    expect(job.run()).toBe(0);
    plan = 'pay_for_results';
    // The day is not settled yet.
    expect(job.run()).toBe(0);
    now = MEASURED_END + 10 * MINUTE_MS;
    expect(job.run()).toBe(1);
    expect(job.run()).toBe(0);
    // The next day the meter was silent: nothing is claimed for it.
    now = MEASURED_END + DAY_MS + 10 * MINUTE_MS;
    expect(job.run()).toBe(0);

    const ledger = new OutcomeLedger(db);
    const [stored] = ledger.list();
    expect(stored!.statement).toMatchObject({
      sequence: 1,
      templateId: TEMPLATE,
      templateVersion: '2.0.0',
      metric: 'kwh-saved',
      unit: 'Wh',
      baseline: { period: { start: START, end: BASELINE_END }, method: 'mean-daily-baseline', value: 90_000 },
      measured: { period: { start: BASELINE_END, end: MEASURED_END }, value: 72_000 },
      outcome: 18_000,
    });
    expect(ledger.verify()).toMatchObject({ ok: true, count: 1 });

    // To the real cloud, through the sync.
    const keys = new Keyring(generateSigningKey());
    const cloud = await startTestCloud({ keys });
    cleanups.push(() => cloud.close());
    const organisation = await createOrganisation(cloud);
    const machine = await TestMachine.activate(cloud, organisation.activationCode);
    const engine = new SyncEngine({
      db,
      transport: new HttpTransport({ baseUrl: () => cloud.url, signer: () => ({ machineId: machine.id, privateKey: machine.privateKey }) }),
      isActivated: () => true,
      logger: silentLogger,
    });
    const meter = new Meter({ db, instances: instancesOf(db), planOf: () => plan, clockState: () => 'ok', acknowledgedUsage: () => engine.acknowledged('usage'), logger: silentLogger });
    const handlers = createSyncHandlers({ db, engine, meter, outcomes: ledger });
    const before = await handlers['outcomes.list']({}, { role: 'viewer', locale: 'en' });
    expect(before.outcomes[0]).toMatchObject({ acknowledged: false, disputed: null });

    const status = await handlers['sync.now']({}, { role: 'operator', locale: 'en' });
    expect(status).toMatchObject({ state: 'idle', pending: { usage: 0, outcomes: 0 }, lastError: null });
    expect(licenceCalls['sync.now'].output.parse(status)).toEqual(status);
    expect(licenceCalls['sync.status'].output.parse(await handlers['sync.status']({}, { role: 'viewer', locale: 'zh-CN' }))).toMatchObject({ state: 'idle' });
    // Not on a pay-after-use plan: no meters.
    expect(licenceCalls['metering.summary'].output.parse(await handlers['metering.summary']({}, { role: 'viewer', locale: 'en' }))).toEqual({ meters: [] });
    const [held] = await cloud.db.query<{ status: string; value: number; meter: string }>("SELECT status, value::int AS value, meter FROM usage_records WHERE machine_id = $1 AND stream = 'outcomes'", [machine.id]);
    expect(held).toEqual({ status: 'accepted', value: 18_000, meter: 'kwh-saved' });

    const english = (await handlers['outcomes.list']({ templateId: TEMPLATE }, { role: 'viewer', locale: 'en' })).outcomes;
    expect(english).toHaveLength(1);
    const view = OutcomeViewSchema.parse(english[0]);
    expect(view).toMatchObject({ acknowledged: true, disputed: null, outcome: 18_000, baseline: { start: START, end: BASELINE_END, method: 'mean-daily-baseline', value: 90_000 } });
    expect(view.method).toBe(
      'Mean daily baseline: 1260.000 kWh in 14 days (2026-05-04 00:00 UTC to 2026-05-18 00:00 UTC) is 90.000 kWh a day; × 1 (the days measured, 2026-05-18 00:00 UTC to 2026-05-19 00:00 UTC) = 90.000 kWh expected. Measured: 72.000 kWh. Saved: 90.000 − 72.000 = 18.000 kWh.',
    );
    const chinese = (await handlers['outcomes.list']({}, { role: 'viewer', locale: 'zh-CN' })).outcomes[0]!;
    expect(chinese.method).toContain('日均基准法：基准期 14 天');
    expect(chinese.method).toContain('节约：90.000 − 72.000 = 18.000 kWh');
    expect(await handlers['outcomes.list']({ templateId: 'acme.other' }, { role: 'viewer', locale: 'en' })).toEqual({ outcomes: [] });
  }, 20_000);
});
