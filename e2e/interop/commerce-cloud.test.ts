// Issue 8 end to end: the whole core (demo plant on free ports, real SQLite file) against the real
// cloud platform (Fastify + PGlite on 127.0.0.1), through the contract's calls, with the four shipped
// templates published as the operator does. One core, one cloud (stopped, then started again on the
// same database at a new address) walk through: activation; a trial; buying by bank transfer,
// confirmed by the operator; a card subscription; pay-for-results statements; pay-after-use metered
// offline, synced once, invoiced; a cloud that is gone; a cancelled subscription that runs out and
// locks its template's dashboards while collection and alarms go on.
// Where time has to pass: the hours and days gone by are written into the core's historian and the
// template (instance and entitlement) dated back (`dateBack`); the month's invoices are issued with
// the cloud's clock past the month's end; the core's commerce clock (CoreOptions.commerce.now) is
// moved 40 days on for the lock.
import { afterAll, describe, expect, it } from 'vitest';
import { createCore, type CallContext, type Core } from '../../core/index.ts';
import { silentLogger } from '../../core/host.ts';
import { PlanSince } from '../../core/licensing/plan-since.ts';
import { makeTempDir, mustCall, mustRefuse, removeDir, testCoreOptions, waitFor } from '../../core/test-support.ts';
import type { CallName, CallOutput } from '../../shared/index.ts';
import { publishTemplates } from '../../scripts/publish-templates.ts';
import { generateSigningKey, Keyring } from '../../cloud/crypto/keys.ts';
import type { Database } from '../../cloud/db/database.ts';
import { monthEnd } from '../../cloud/invoices/monthly.ts';
import { createOrganisation, openTestDatabase, operatorClient, startTestCloud, type TestCloud } from '../../cloud/test-support.ts';

const admin: CallContext = { role: 'admin', locale: 'en' };
const zh: CallContext = { role: 'admin', locale: 'zh-CN' };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MINUTE = 60_000;
const hasChinese = /[\u4e00-\u9fff]/;

const COMPRESSOR = 'plantdesk.air-compressor';
const MOULDING = 'plantdesk.injection-moulding';
const CNC = 'plantdesk.cnc-oee';
const ENERGY = 'plantdesk.energy-meter';

const call = <Name extends CallName>(core: Core, name: Name, input: unknown = {}, context = admin) => mustCall(core, name, input, context);

/** The platform month (UTC+8) an instant falls in, e.g. 2026-11. */
const platformMonth = (ts: number) => new Date(ts + 8 * HOUR).toISOString().slice(0, 7);
const floorHour = (ts: number) => Math.floor(ts / HOUR) * HOUR;

interface Installed {
  instanceId: string;
  device: string;
  points: string[];
  dashboard: string;
}

const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('commerce end to end: the core and the cloud platform', () => {
  it('sells, meters, syncs, invoices and locks without ever stopping collection or alarms', { timeout: 90_000 }, async () => {
    // ---- The cloud (its clock moves only to issue a month's invoices) and the published templates.
    const keys = new Keyring(generateSigningKey());
    const cloudDb: Database = await openTestDatabase();
    cleanups.push(() => cloudDb.close());
    let cloudAhead = 0;
    const startCloud = async (): Promise<TestCloud> => {
      const started = await startTestCloud({ db: cloudDb, keys, operatorToken: 'op-commerce-e2e-token-0123456789abcdef', now: () => Date.now() + cloudAhead, logLevel: 'warn' });
      cleanups.push(() => started.close());
      return started;
    };
    let cloud = await startCloud();
    const published = await publishTemplates({ cloudUrl: cloud.url, operatorToken: cloud.operatorToken });
    expect(published.map((template) => template.templateId).sort()).toEqual([COMPRESSOR, CNC, ENERGY, MOULDING]);
    const organisation = await createOrganisation(cloud, '宁波精密机械');
    const cloudCount = async (stream: 'usage' | 'outcomes') =>
      Number((await cloudDb.query<{ n: string }>('SELECT count(*) AS n FROM usage_records WHERE organisation_id = $1 AND stream = $2', [organisation.id, stream]))[0]!.n);

    // ---- The core with the demo plant; the commerce clock is real time until the test moves it on.
    const dataDir = makeTempDir('plantdesk-commerce-');
    cleanups.push(() => removeDir(dataDir));
    let clockAhead = 0;
    const core = await createCore({
      ...testCoreOptions(dataDir),
      commerce: { now: () => Date.now() + clockAhead },
    });
    cleanups.push(() => core.close());
    // Alarms are suppressed in planned stops: no breaks, so the test does not depend on the hour it runs at.
    const { calendar } = await call(core, 'kpis.calendar');
    await call(core, 'kpis.setCalendar', { ...calendar, shifts: calendar.shifts.map((shift) => ({ ...shift, breaks: [] })) });
    const demo = (await call(core, 'app.info')).demoEndpoints!;

    const licences = async (context = admin) => new Map((await call(core, 'licences.list', {}, context)).licences.map((licence) => [licence.templateId, licence]));
    const install = async (templateId: string, server: keyof typeof demo, overrides: Record<string, string | number | boolean> = {}): Promise<Installed> => {
      const source = { kind: 'marketplace', templateId };
      const inspected = await call(core, 'templates.inspect', { source });
      const parameters: Record<string, string | number | boolean> = {};
      for (const parameter of inspected.manifest.parameters) if (parameter.default !== undefined) parameters[parameter.id] = parameter.default as string | number | boolean;
      const endpoint = demo[server]!;
      Object.assign(parameters, { host: endpoint.host, port: endpoint.port }, overrides);
      const { created } = await call(core, 'templates.install', { source, instanceId: inspected.suggestedInstanceId, parameters });
      expect(created.device).toHaveLength(1);
      return { instanceId: inspected.suggestedInstanceId, device: created.device[0]!, points: created.point, dashboard: created.dashboard[0]! };
    };
    const latestGoodAt = async (device: string) =>
      Math.max(0, ...(await call(core, 'points.list', { deviceId: device })).map((point) => (point.latest?.quality === 'good' ? point.latest.ts : 0)));
    /** Writes a point's history (one good sample a minute) and has the historian read it afresh. */
    const writeHistory = (pointId: string, from: number, to: number, value: (ts: number) => number) => {
      const num = core.db.prepare<[string], number>('SELECT num FROM points WHERE id = ?').pluck().get(pointId)!;
      const insert = core.db.prepare('INSERT OR REPLACE INTO samples (point, ts, value, quality) VALUES (?, ?, ?, 0)');
      core.db.transaction(() => {
        for (let ts = from; ts < to; ts += MINUTE) insert.run(num, ts, value(ts));
        // The rollups start again from the oldest sample, now the history written here.
        core.db.prepare('DELETE FROM rollups WHERE point = ?').run(num);
        core.db.prepare('DELETE FROM rollup_states WHERE point = ?').run(num);
        core.db.prepare('DELETE FROM rollup_progress WHERE point = ?').run(num);
      })();
    };
    /**
     * The template as if ordered and installed at `at`: the instance and when its plan began on this
     * PC, and the entitlement in the cloud (records are billed to the entitlement in force when their
     * period ended).
     */
    const dateBack = async (instanceId: string, entitlement: { id: string; kind: 'pay_after_use' | 'pay_for_results' }, at: number) => {
      core.db.prepare('UPDATE template_instances SET installed_at = ? WHERE instance_id = ?').run(at, instanceId);
      const templateId = core.db.prepare<[string], string>('SELECT template_id FROM template_instances WHERE instance_id = ?').pluck().get(instanceId)!;
      new PlanSince(core.db, silentLogger).set(templateId, entitlement.kind, at);
      await cloudDb.query('UPDATE entitlements SET created_at = $2, valid_from = $2 WHERE id = $1', [entitlement.id, at - MINUTE]);
    };

    // ---- 1. Activation, the catalogue from the cloud.
    const status = await call(core, 'cloud.activate', { code: organisation.activationCode, machineName: 'Office PC', url: cloud.url });
    expect(status).toMatchObject({ activated: true, organisationName: '宁波精密机械', url: cloud.url });
    const catalogue = await call(core, 'marketplace.catalogue', { refresh: true });
    expect(catalogue).toMatchObject({ source: 'cloud', problem: null });
    expect(catalogue.templates.map((entry) => entry.entry.id).sort()).toEqual([COMPRESSOR, CNC, ENERGY, MOULDING]);

    // ---- 2. A trial of the compressor template: 14 days, installed against the demo compressor, premium allowed.
    const trial = await call(core, 'marketplace.order', { templateId: COMPRESSOR, planId: 'trial' });
    expect(trial.entitlement).toMatchObject({ kind: 'trial', status: 'active' });
    expect((await licences()).get(COMPRESSOR)).toMatchObject({ state: 'trial', plan: 'trial', daysLeft: 14, premium: true });
    // A service warning above any hours left: the template's `service-due` rule raises at once.
    const compressor = await install(COMPRESSOR, 'compressor', { 'service-warning': 100_000 });
    await waitFor(async () => (await latestGoodAt(compressor.device)) > 0, 10_000, { what: 'a good compressor reading' });
    const compressorAlarms = await waitFor(
      async () => {
        const raised = (await call(core, 'alarms.active', {})).alarms.filter((alarm) => alarm.deviceId === compressor.device && alarm.ruleId.includes('service-due'));
        return raised.length > 0 && raised;
      },
      10_000,
      { what: "the compressor template's service-due alarm" },
    );
    expect(compressorAlarms.length).toBe(1);
    const compressorDashboard = await call(core, 'dashboards.get', { id: compressor.dashboard });
    expect(compressorDashboard.lockedBy).toBeUndefined();
    await call(core, 'dashboards.save', { dashboard: { ...compressorDashboard.dashboard, name: { en: 'Compressor (trial)', 'zh-CN': '空压机（试用）' } }, revision: compressorDashboard.revision });

    // ---- 3. Buying it by bank transfer: the trial goes on until the operator confirms the money arrived.
    const bankOrder = await call(core, 'marketplace.order', { templateId: COMPRESSOR, planId: 'subscription', period: 'monthly', paymentMethod: 'bank_transfer' });
    expect(bankOrder.entitlement).toMatchObject({ kind: 'subscription', status: 'pending_payment' });
    expect(bankOrder.invoice).toMatchObject({ status: 'open', paymentMethod: 'bank_transfer' });
    await call(core, 'sync.now');
    expect((await licences()).get(COMPRESSOR)).toMatchObject({ state: 'trial', premium: true });
    const operator = operatorClient(cloud);
    const confirmed = await operator.request('POST', `/v1/operator/invoices/${bankOrder.invoice!.id}/confirm`, { reference: 'ICBC 2026-11 transfer' });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'paid' });
    expect((await call(core, 'sync.now')).lastError).toBeNull();
    expect((await licences()).get(COMPRESSOR)).toMatchObject({ state: 'active', plan: 'subscription', premium: true, entitlementId: bankOrder.entitlement.id });

    // ---- 4. A card subscription (the test payment provider) of the moulding template: active at once.
    const cardOrder = await call(core, 'marketplace.order', { templateId: MOULDING, planId: 'subscription', period: 'monthly', paymentMethod: 'test' });
    expect(cardOrder.entitlement).toMatchObject({ kind: 'subscription', status: 'active' });
    expect(cardOrder.licence).toMatchObject({ plan: 'subscription', premium: true });
    const moulding = await install(MOULDING, 'moulding');
    expect((await licences()).get(MOULDING)).toMatchObject({ state: 'active', plan: 'subscription', premium: true, entitlementId: cardOrder.entitlement.id });

    // ---- 5. Pay-for-results on the energy template: statements from the historian reach the cloud.
    const energyOrder = await call(core, 'marketplace.order', { templateId: ENERGY, planId: 'pay-for-results' });
    expect(energyOrder.entitlement).toMatchObject({ kind: 'pay_for_results', status: 'active' });
    const energy = await install(ENERGY, 'meter');
    const energyPoint = energy.points.find((id) => id.endsWith('energy-import'))!;
    expect(energyPoint).toBeDefined();
    // Installed 15 days and an hour ago: 14 baseline days at 90 kWh a day, then one closed day at 72 kWh.
    const energyInstalledAt = Date.now() - 15 * DAY - HOUR;
    const baselineEnd = energyInstalledAt + 14 * DAY;
    await dateBack(energy.instanceId, { id: energyOrder.entitlement.id, kind: 'pay_for_results' }, energyInstalledAt);
    writeHistory(energyPoint, energyInstalledAt - MINUTE, baselineEnd + DAY + 2 * MINUTE, (ts) => 50_000 + (Math.min(ts, baselineEnd) - energyInstalledAt) / MINUTE * 0.0625 + Math.max(0, ts - baselineEnd) / MINUTE * 0.05);
    const afterOutcomes = await call(core, 'sync.now');
    expect(afterOutcomes).toMatchObject({ lastError: null, pending: { outcomes: 0 } });
    const outcomes = (await call(core, 'outcomes.list', { templateId: ENERGY })).outcomes;
    expect(outcomes).toHaveLength(1);
    const [statement] = outcomes;
    expect(statement).toMatchObject({ metric: 'kwh-saved', unit: 'Wh', acknowledged: true, disputed: null });
    expect(statement!.measured).toMatchObject({ start: baselineEnd, end: baselineEnd + DAY });
    expect(Math.abs(statement!.baseline.value - 90_000)).toBeLessThan(100);
    expect(Math.abs(statement!.measured.value - 72_000)).toBeLessThan(100);
    expect(Math.abs(statement!.outcome - 18_000)).toBeLessThan(200);
    expect(statement!.method).toMatch(/kWh/);
    const statementZh = (await call(core, 'outcomes.list', { templateId: ENERGY }, zh)).outcomes[0]!;
    expect(statementZh.method).toMatch(hasChinese);
    expect(statementZh.outcome).toBe(statement!.outcome);
    expect(await cloudCount('outcomes')).toBe(1);
    const [cloudStatement] = await cloudDb.query<{ status: string; value: string }>("SELECT status, value FROM usage_records WHERE organisation_id = $1 AND stream = 'outcomes'", [organisation.id]);
    expect(cloudStatement).toMatchObject({ status: 'accepted' });

    // ---- 6. Pay-after-use on the CNC template: the licence caps what may go unreported.
    const usageOrder = await call(core, 'marketplace.order', { templateId: CNC, planId: 'pay-after-use' });
    expect(usageOrder.entitlement).toMatchObject({ kind: 'pay_after_use', status: 'active' });
    const cnc = await install(CNC, 'cnc');
    const cncLicence = (await licences()).get(CNC)!;
    expect(cncLicence).toMatchObject({ state: 'active', plan: 'pay_after_use', premium: true, unreportedUnits: 0 });
    expect(cncLicence.maxUnreportedUnits).toBeGreaterThan(0);
    const statesOnline = new Map([...(await licences())].map(([templateId, licence]) => [templateId, [licence.state, licence.premium]]));

    // ---- 7. The cloud goes away.
    await cloud.close();
    const offlineSince = Date.now();
    // Licences are verified offline: the same states.
    const offlineLicences = await licences();
    expect(new Map([...offlineLicences].map(([templateId, licence]) => [templateId, [licence.state, licence.premium]]))).toEqual(statesOnline);
    // Three hours ago the CNC template was installed; its machine sent good samples in the first hour only.
    const firstHour = floorHour(Date.now()) - 3 * HOUR;
    await dateBack(cnc.instanceId, { id: usageOrder.entitlement.id, kind: 'pay_after_use' }, firstHour - 10 * MINUTE);
    for (const point of cnc.points) writeHistory(point, firstHour, firstHour + HOUR, (ts) => (ts - firstHour) / MINUTE);
    const offlineSync = await core.dispatch('sync.now', {}, admin);
    const offlineStatus = offlineSync.ok ? (offlineSync.value as CallOutput<'sync.now'>) : await call(core, 'sync.status');
    expect(offlineStatus.lastError).toMatch(/^Cannot reach the PlantDesk cloud .*Records stay on this PC/);
    expect(offlineStatus.lastError).not.toMatch(/ECONNREFUSED|fetch failed|undefined/);
    expect(offlineStatus.pending.usage).toBeGreaterThanOrEqual(2);
    const ledger = core.db
      .prepare<[string], { period_start: number; value: number }>("SELECT period_start, value FROM usage_records WHERE template_id = ? AND meter = 'machine-hours' ORDER BY period_start")
      .all(CNC);
    expect(ledger.slice(0, 2)).toEqual([
      { period_start: firstHour, value: 1 },
      { period_start: firstHour + HOUR, value: 0 },
    ]);
    const recordedUnits = ledger.reduce((sum, row) => sum + row.value, 0);
    const cncOffline = (await licences()).get(CNC)!;
    expect(cncOffline).toMatchObject({ state: 'active', premium: true, unreportedUnits: recordedUnits });
    expect((await call(core, 'metering.summary')).meters).toContainEqual(expect.objectContaining({ templateId: CNC, meter: 'machine-hours', unit: 'h', unreportedUnits: recordedUnits }));
    // The Chinese sentence too, with nothing technical in it.
    expect((await call(core, 'sync.status', {}, zh)).lastError).toMatch(hasChinese);
    // Collection and alarms go on: new samples, and a template rule changed now raises.
    await waitFor(async () => (await latestGoodAt(compressor.device)) > offlineSince, 5000, { what: 'compressor samples stored while the cloud is gone' });
    const temperatureRule = (await call(core, 'alarmRules.list', {})).rules.find((rule) => rule.id === `${compressor.instanceId}.temperature-high`)!;
    expect(temperatureRule).toBeDefined();
    await call(core, 'alarmRules.save', { rule: { ...temperatureRule, limit: 0, onDelayMs: 0 } });
    await waitFor(async () => (await call(core, 'alarms.active', {})).alarms.some((alarm) => alarm.ruleId === temperatureRule.id && alarm.raisedAt >= offlineSince), 10_000, {
      what: 'a compressor alarm raised while the cloud is gone',
    });

    // ---- 8. The cloud is back (same database, a new address): everything is acknowledged, once.
    cloud = await startCloud();
    await call(core, 'cloud.setUrl', { url: cloud.url });
    const backOnline = await call(core, 'sync.now');
    expect(backOnline).toMatchObject({ lastError: null, pending: { usage: 0, outcomes: 0 } });
    const localUsage = core.db.prepare<[], number>('SELECT count(*) FROM usage_records').pluck().get()!;
    expect(await cloudCount('usage')).toBe(localUsage);
    await call(core, 'sync.now');
    expect(await cloudCount('usage')).toBe(localUsage);
    expect(await cloudCount('outcomes')).toBe(1);
    expect((await licences()).get(CNC)).toMatchObject({ unreportedUnits: 0 });

    // ---- 9. The operator issues the month's invoices: a line for the CNC entitlement's machine hours.
    const month = platformMonth(firstHour);
    cloudAhead = Math.max(0, monthEnd(month) + MINUTE - Date.now());
    const issued = await operatorClient(cloud).request('POST', '/v1/operator/invoices/issue', { month, organisationId: organisation.id });
    cloudAhead = 0;
    expect(issued.status).toBe(200);
    const lines = (issued.body.invoices as { lines: { entitlementId: string; quantity: number; unit: string; description: string; amount: number }[] }[]).flatMap((invoice) => invoice.lines);
    const billedUnits = core.db
      .prepare<[string, number], number>("SELECT coalesce(sum(value), 0) FROM usage_records WHERE template_id = ? AND meter = 'machine-hours' AND period_end <= ?")
      .pluck()
      .get(CNC, monthEnd(month))!;
    // templates/cnc-oee/plans.json: 30 fen a machine hour.
    expect(lines).toContainEqual(expect.objectContaining({ entitlementId: usageOrder.entitlement.id, quantity: billedUnits, unit: 'h', amount: billedUnits * 30 }));
    expect(lines.find((line) => line.entitlementId === usageOrder.entitlement.id)!.description).toMatch(/machine-hours/);
    // The energy saved that month is on it too, once (a statement of another month waits for that month's invoice).
    // templates/energy-meter/plans.json: a kWh saved is worth 70 fen, 20 % of it is billed (14 fen a
    // kWh) — the outcome is in Wh, so about 18 kWh saved bills about 2.52 yuan, not a thousand times that.
    const outcomeAmount = Math.round((statement!.outcome * 14) / 1_000);
    expect(outcomeAmount).toBeGreaterThan(240);
    expect(outcomeAmount).toBeLessThan(265);
    const savedThisMonth =
      statement!.measured.end <= monthEnd(month) ? [expect.objectContaining({ entitlementId: energyOrder.entitlement.id, quantity: statement!.outcome, unit: 'Wh', amount: outcomeAmount })] : [];
    expect(lines.filter((line) => line.entitlementId === energyOrder.entitlement.id)).toEqual(savedThisMonth);
    const billed = await cloudDb.query<{ stream: string; n: string | number }>('SELECT stream, count(*) AS n FROM usage_records WHERE organisation_id = $1 AND invoice_id IS NOT NULL GROUP BY stream ORDER BY stream', [organisation.id]);
    const usageBilledHere = core.db.prepare<[string, number], number>('SELECT count(*) FROM usage_records WHERE template_id = ? AND period_end <= ?').pluck().get(CNC, monthEnd(month))!;
    expect(billed.map((row) => [row.stream, Number(row.n)])).toContainEqual(['usage', usageBilledHere]);
    // Issued again, the same invoice: nothing is billed twice.
    cloudAhead = Math.max(0, monthEnd(month) + MINUTE - Date.now());
    const again = await operatorClient(cloud).request('POST', '/v1/operator/invoices/issue', { month, organisationId: organisation.id });
    cloudAhead = 0;
    expect(again.body.invoices.map((invoice: { id: string }) => invoice.id)).toEqual(issued.body.invoices.map((invoice: { id: string }) => invoice.id));

    // ---- 10. The moulding subscription is cancelled and runs out: its dashboards lock, collection and alarms do not.
    await call(core, 'marketplace.cancel', { entitlementId: cardOrder.entitlement.id });
    await call(core, 'sync.now');
    expect((await licences()).get(MOULDING)).toMatchObject({ premium: true });
    clockAhead = 40 * DAY;
    const lockedSince = Date.now();
    const locked = (await licences()).get(MOULDING)!;
    expect(locked).toMatchObject({ state: 'locked', reason: 'expired', premium: false });
    expect(locked.message).toMatch(/data collection, alarms and exports carry on/);
    const mouldingDashboard = await call(core, 'dashboards.get', { id: moulding.dashboard });
    expect(mouldingDashboard.lockedBy).toBeDefined();
    const refused = await mustRefuse(core, 'dashboards.save', { dashboard: { ...mouldingDashboard.dashboard, name: { en: 'Changed', 'zh-CN': '已改' } }, revision: mouldingDashboard.revision }, admin);
    expect(refused).toMatchObject({ code: 'forbidden', details: { templateId: MOULDING, premiumLocked: true } });
    expect(refused.message).toMatch(/^The dashboard ".+" came with the template "Injection moulding machine monitoring", whose licence is locked/);
    const refusedZh = await mustRefuse(core, 'dashboards.save', { dashboard: mouldingDashboard.dashboard, revision: mouldingDashboard.revision }, zh);
    expect(refusedZh.message).toMatch(hasChinese);
    await waitFor(async () => (await latestGoodAt(moulding.device)) > lockedSince, 5000, { what: 'moulding samples stored while its licence is locked' });
    const barrelRule = (await call(core, 'alarmRules.list', {})).rules.find((rule) => rule.id === `${moulding.instanceId}.barrel-zone-1-high`)!;
    expect(barrelRule).toBeDefined();
    await call(core, 'alarmRules.save', { rule: { ...barrelRule, limit: 0, onDelayMs: 0 } });
    await waitFor(async () => (await call(core, 'alarms.active', {})).alarms.some((alarm) => alarm.ruleId === barrelRule.id && alarm.raisedAt >= lockedSince), 10_000, {
      what: 'a moulding alarm raised while its licence is locked',
    });
  });
});
