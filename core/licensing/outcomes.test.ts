import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { licenceCalls, OutcomeViewSchema } from '../../shared/contract/licence-calls.ts';
import { translate } from '../../shared/i18n/index.ts';
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
import { DAY_MS } from '../kpis/calendar.ts';
import { computeOutcome, OutcomeJob } from './outcomes.ts';
import { PlanSince } from './plan-since.ts';

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
 * An import-energy counter (kWh unless said) read every minute over [from, to): `perMinute(ts)` more
 * each minute (by default 0.0625 kWh, 90 kWh a day, until the baseline ends, 0.05 kWh, 72 kWh a day,
 * in the measured day); then the meter goes silent.
 */
function* energyCounter(from = START - 60 * MINUTE_MS, to = MEASURED_END, perMinute: (ts: number) => number = (ts) => (ts < BASELINE_END ? 0.0625 : 0.05)): Generator<SampleRow> {
  let value = 5_000;
  for (let ts = from; ts < to; ts += MINUTE_MS) {
    value += perMinute(ts);
    yield [ts, value];
  }
}

function setUnit(db: Db, pointId: string, unit: string): void {
  db.prepare("UPDATE points SET config = json_set(config, '$.unit', ?) WHERE id = ?").run(unit, pointId);
}

function historianWithMeter(db: Db, device = 'site', samples: Iterable<SampleRow> = energyCounter(), unit = 'kWh'): void {
  const nums = addDevice(db, `${device}.meter`, [{ id: `${device}.energy-import`, kind: 'counter' }]);
  setUnit(db, `${device}.energy-import`, unit);
  storeSamples(db, nums[`${device}.energy-import`]!, samples);
  // Most of it rolled up (hour and minute rows), the last hours still raw.
  runUpkeep(db, MEASURED_END - 3 * 3_600_000);
}

const energyManifest = (baselineDays = 14) =>
  manifestWith(TEMPLATE, '2.0.0', {
    outcome: { metric: 'kwh-saved', unit: 'kWh', baselineMethod: 'mean-daily-baseline', point: 'energy-import', baselineDays, description: { en: 'Energy saved', 'zh-CN': '节约电量' } },
  });

function installMeter(db: Db, device: string, installedAt: number): void {
  installInstance(db, { instanceId: device, templateId: TEMPLATE, version: '2.0.0', installedAt, created: { device: [`${device}.meter`], point: [`${device}.energy-import`] }, manifest: energyManifest() });
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
    // Bought on pay-for-results with the install; the licence not read yet at the first run.
    new PlanSince(db, silentLogger).set(TEMPLATE, 'pay_for_results', START);
    let plan: 'pay_for_results' | null = null;
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
    const unitProblem = { templateId: 'acme.other', message: { key: 'sync.outcome.unsupportedUnit' as const, params: { point: 'site.energy-import', unit: 'kW' } } };
    const handlers = createSyncHandlers({ db, engine, meter, outcomes: ledger, outcomeProblems: () => [unitProblem] });
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
    // Why another template's statements cannot be computed, as a sentence, only for that template.
    const other = await handlers['outcomes.list']({ templateId: 'acme.other' }, { role: 'viewer', locale: 'zh-CN' });
    expect(other.outcomes).toEqual([]);
    expect(other.problems).toEqual([{ templateId: 'acme.other', message: translate('zh-CN', 'sync.outcome.unsupportedUnit', unitProblem.message.params) }]);
    expect(other.problems[0]!.message).toContain('kW');
    expect((await handlers['outcomes.list']({ templateId: TEMPLATE }, { role: 'viewer', locale: 'en' })).problems).toEqual([]);
  }, 20_000);

  it("converts the counter's unit (Wh, kWh, MWh, any case) and refuses any other with a sentence, issuing nothing", () => {
    const db = database();
    const periods = { baseline: { start: START, end: BASELINE_END }, measured: { start: BASELINE_END, end: MEASURED_END } };
    const perMinuteKwh = (ts: number) => (ts < BASELINE_END ? 0.0625 : 0.05);
    historianWithMeter(db, 'wh', energyCounter(undefined, undefined, (ts) => perMinuteKwh(ts) * 1_000), 'Wh');
    historianWithMeter(db, 'mwh', energyCounter(undefined, undefined, (ts) => perMinuteKwh(ts) / 1_000), 'MWh');
    historianWithMeter(db, 'upper', energyCounter(), 'KWH');
    historianWithMeter(db, 'site', energyCounter(), 'kW');
    for (const device of ['wh', 'mwh', 'upper']) {
      expect(computeOutcome({ db, pointId: `${device}.energy-import`, ...periods })).toMatchObject({ ok: true, figures: { baselineWh: 1_260_000, expectedWh: 90_000, measuredWh: 72_000, savedWh: 18_000 } });
    }
    expect(computeOutcome({ db, pointId: 'site.energy-import', ...periods })).toEqual({ ok: false, reason: 'unsupported_unit', unit: 'kW' });

    installMeter(db, 'site', START);
    const warnings: unknown[] = [];
    const logger = { ...silentLogger, warn: (_message: string, fields?: unknown) => void warnings.push(fields) };
    const job = new OutcomeJob({ db, instances: instancesOf(db), planOf: () => 'pay_for_results', clockState: () => 'ok', logger, now: () => MEASURED_END + 10 * MINUTE_MS });
    new PlanSince(db, silentLogger).set(TEMPLATE, 'pay_for_results', START);
    expect(job.run()).toBe(0);
    expect(new OutcomeLedger(db).list()).toEqual([]);
    const [problem] = job.problems();
    expect(problem).toMatchObject({ templateId: TEMPLATE, message: { key: 'sync.outcome.unsupportedUnit', params: { point: 'site.energy-import', unit: 'kW' } } });
    expect(warnings).toContainEqual(expect.objectContaining({ reason: 'unsupported_unit', message: expect.stringContaining('counts in "kW"') }));
    // The unit set right: the day is stated and the problem gone.
    setUnit(db, 'site.energy-import', 'kWh');
    expect(job.run()).toBe(1);
    expect(job.problems()).toEqual([]);
    expect(new OutcomeLedger(db).list()[0]!.statement).toMatchObject({ baseline: { value: 90_000 }, measured: { value: 72_000 }, outcome: 18_000 });
  });

  it('states the sum over all instances of the template, each against its own baseline, and says so', async () => {
    const db = database();
    historianWithMeter(db);
    // A second meter using half as much: 45 kWh a day in the baseline, 36 kWh in the measured day.
    historianWithMeter(db, 'hall', energyCounter(undefined, undefined, (ts) => (ts < BASELINE_END ? 0.03125 : 0.025)));
    installMeter(db, 'site', START);
    installMeter(db, 'hall', START + 10 * MINUTE_MS);
    new PlanSince(db, silentLogger).set(TEMPLATE, 'pay_for_results', START);
    const job = new OutcomeJob({ db, instances: instancesOf(db), planOf: () => 'pay_for_results', clockState: () => 'ok', logger: silentLogger, now: () => MEASURED_END + 20 * MINUTE_MS });
    // hall's baseline ends 10 minutes after site's: the first day (site's grid) starts before it, so only site counts that day.
    expect(job.run()).toBe(1);
    const [first] = new OutcomeLedger(db).list();
    expect(first!.statement).toMatchObject({ baseline: { period: { start: START, end: BASELINE_END }, value: 90_000 }, measured: { value: 72_000 }, outcome: 18_000 });

    // A plant where both were installed together: the statement is their sum.
    const both = database();
    historianWithMeter(both);
    historianWithMeter(both, 'hall', energyCounter(undefined, undefined, (ts) => (ts < BASELINE_END ? 0.03125 : 0.025)));
    installMeter(both, 'site', START);
    installMeter(both, 'hall', START);
    new PlanSince(both, silentLogger).set(TEMPLATE, 'pay_for_results', START);
    expect(new OutcomeJob({ db: both, instances: instancesOf(both), planOf: () => 'pay_for_results', clockState: () => 'ok', logger: silentLogger, now: () => MEASURED_END + 20 * MINUTE_MS }).run()).toBe(1);
    const [summed] = new OutcomeLedger(both).list();
    // 90 + 45 kWh expected, 72 + 36 kWh measured: 27 kWh saved.
    expect(summed!.statement).toMatchObject({ baseline: { period: { start: START, end: BASELINE_END }, value: 135_000 }, measured: { value: 108_000 }, outcome: 27_000 });
    const engine = new SyncEngine({ db: both, transport: { request: () => Promise.reject(new Error('offline')) }, isActivated: () => false, logger: silentLogger });
    const meter = new Meter({ db: both, instances: instancesOf(both), planOf: () => 'pay_for_results', clockState: () => 'ok', acknowledgedUsage: () => 0, logger: silentLogger });
    const handlers = createSyncHandlers({ db: both, engine, meter, outcomes: new OutcomeLedger(both) });
    const [english] = (await handlers['outcomes.list']({}, { role: 'viewer', locale: 'en' })).outcomes;
    expect(english!.method).toBe(
      'Sum over the 2 instances of the template, each against its own mean daily baseline (expected → measured: hall 45.000 → 36.000 kWh; site 90.000 → 72.000 kWh). Baselines: 1890.000 kWh (2026-05-04 00:00 UTC to 2026-05-18 00:00 UTC). Measured 2026-05-18 00:00 UTC to 2026-05-19 00:00 UTC: 135.000 kWh expected, 108.000 kWh used. Saved: 135.000 − 108.000 = 27.000 kWh.',
    );
    const [chinese] = (await handlers['outcomes.list']({}, { role: 'viewer', locale: 'zh-CN' })).outcomes;
    expect(chinese!.method).toContain('该模板 2 个实例的合计');
  });

  it('states only the days after pay-for-results began; the baseline stays the first days after install', () => {
    const db = database();
    // Installed at START under a subscription; two days measured after the baseline.
    historianWithMeter(db, 'site', energyCounter(START - 60 * MINUTE_MS, MEASURED_END + DAY_MS));
    installMeter(db, 'site', START);
    let now = BASELINE_END + 60 * MINUTE_MS;
    let plan: 'subscription' | 'pay_for_results' = 'subscription';
    const job = new OutcomeJob({ db, instances: instancesOf(db), planOf: () => plan, clockState: () => 'ok', logger: silentLogger, now: () => now });
    expect(job.run()).toBe(0);
    // Switched two hours into the first measured day: that day is not stated, the next one is.
    plan = 'pay_for_results';
    now = BASELINE_END + 120 * MINUTE_MS;
    expect(job.run()).toBe(0);
    now = MEASURED_END + DAY_MS + 10 * MINUTE_MS;
    expect(job.run()).toBe(1);
    const statements = new OutcomeLedger(db).list();
    expect(statements.map((stored) => stored.statement.measured.period)).toEqual([{ start: MEASURED_END, end: MEASURED_END + DAY_MS }]);
    expect(statements[0]!.statement).toMatchObject({ baseline: { period: { start: START, end: BASELINE_END }, value: 90_000 }, measured: { value: 72_000 } });
  });
});
