// The alarm service on a real SQLite file: lifecycle transitions and their stored history with who
// and when, shelving and its expiry, suppression, a burst, robots notified through a local receiver,
// and a restart that keeps the alarms where they were.
import { afterEach, describe, expect, it } from 'vitest';
import type { AlarmEventPayload } from '../../shared/contract/alarm-calls.ts';
import { AlarmRuleSchema, type AlarmRuleInput } from '../../shared/domain/alarms.ts';
import type { DeviceStatus, Sample } from '../../shared/domain/devices.ts';
import type { Logger } from '../host.ts';
import { openDatabase, type Db } from '../storage/database.ts';
import { makeTempDir, removeDir, waitFor } from '../test-support.ts';
import { AlarmService, type AlarmServiceOptions } from './alarm-service.ts';
import { alarmsMigration } from './schema.ts';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.ts';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const POINTS: Record<string, { name: string; unit: string; deviceId: string }> = {
  'imm1.zone3': { name: 'Barrel zone 3', unit: '°C', deviceId: 'imm1' },
  'cnc1.load': { name: 'Spindle load', unit: '%', deviceId: 'cnc1' },
};
const DEVICES: Record<string, string> = { imm1: 'IMM-1', cnc1: 'CNC-1' };

const zone3High: AlarmRuleInput = {
  id: 'zone3.high',
  kind: 'limit',
  pointId: 'imm1.zone3',
  level: 'H',
  limit: 255,
  deadband: 3,
  severity: 'high',
  message: { 'zh-CN': '{{device}}：{{point}}过高 {{value}} {{unit}}（上限 {{limit}}）', en: '{{device}}: {{point}} high, {{value}} {{unit}} (limit {{limit}})' },
};

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const record = (level: string) => (message: string, fields?: Record<string, unknown>) => lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  return { lines, info: record('info'), warn: record('warn'), error: record('error') };
}

function openDb(dir: string): Db {
  const db = openDatabase(dir);
  alarmsMigration(db);
  return db;
}

interface Harness {
  dir: string;
  db: Db;
  service: AlarmService;
  changed: AlarmEventPayload<'alarms.changed'>[];
  raised: AlarmEventPayload<'alarms.raised'>[];
  clock: { now: number };
  logger: ReturnType<typeof recordingLogger>;
  sample(pointId: string, value: number | null, ts?: number): void;
  reopen(options?: Partial<AlarmServiceOptions>): Harness;
}

function start(options: Partial<AlarmServiceOptions> & { dir?: string; rules?: AlarmRuleInput[] } = {}): Harness {
  const dir = options.dir ?? makeTempDir('plantdesk-alarms-');
  if (!options.dir) cleanups.push(() => removeDir(dir));
  const db = openDb(dir);
  const clock = { now: 1_000_000 };
  const changed: AlarmEventPayload<'alarms.changed'>[] = [];
  const raised: AlarmEventPayload<'alarms.raised'>[] = [];
  const logger = recordingLogger();
  const service = new AlarmService({
    db,
    logger,
    now: () => clock.now,
    tickMs: 60_000, // the tests tick by hand
    onChanged: (payload) => changed.push(payload),
    onRaised: (payload) => raised.push(payload),
    pointById: (id) => POINTS[id],
    deviceName: (id) => DEVICES[id],
    communicationLoss: { onDelayMs: 0 },
    ...options,
  });
  if (options.rules?.length) service.saveRules(options.rules.map((rule) => AlarmRuleSchema.parse(rule)));
  let closed = false;
  cleanups.push(() => {
    if (!closed) service.close();
    db.close();
  });
  const harness: Harness = {
    dir,
    db,
    service,
    changed,
    raised,
    clock,
    logger,
    sample(pointId, value, ts = clock.now) {
      service.evaluate([{ pointId, ts, value, quality: value === null ? 'bad' : 'good' } satisfies Sample]);
    },
    reopen(more = {}) {
      service.close();
      closed = true;
      db.close();
      return start({ ...options, ...more, dir, rules: [] });
    },
  };
  return harness;
}

const operator = 'shift tablet (operator)';

describe('alarm lifecycle', () => {
  it('active → acknowledged → cleared, each transition stored with who and when', () => {
    const h = start({ rules: [zone3High] });
    h.sample('imm1.zone3', 240);
    h.clock.now += 1000;
    h.sample('imm1.zone3', 281.24);
    h.service.tick();
    const [alarm] = h.service.active().alarms;
    expect(alarm).toMatchObject({
      ruleId: 'zone3.high',
      state: 'active',
      severity: 'high',
      deviceId: 'imm1',
      pointId: 'imm1.zone3',
      value: 281.24,
      message: { en: 'IMM-1: Barrel zone 3 high, 281.24 °C (limit 255)', 'zh-CN': 'IMM-1：Barrel zone 3过高 281.24 °C（上限 255）' },
    });
    expect(h.service.active().counts).toEqual({ critical: 0, high: 1, medium: 0, low: 0 });

    h.clock.now += 5000;
    expect(h.service.acknowledge([alarm!.id], operator, 'heater band checked')).toBe(1);
    expect(h.service.active().alarms[0]).toMatchObject({ state: 'acknowledged', acknowledgedBy: operator, acknowledgedAt: h.clock.now });
    expect(h.service.active().counts.high).toBe(0);

    h.clock.now += 5000;
    h.sample('imm1.zone3', 253); // inside the deadband: still in alarm
    expect(h.service.active().alarms).toHaveLength(1);
    h.sample('imm1.zone3', 251.9);
    expect(h.service.active().alarms).toHaveLength(0);

    const { entries } = h.service.history({ from: 0, to: h.clock.now, limit: 100 });
    expect(entries.map((entry) => [entry.event, entry.state, entry.actor, entry.comment])).toEqual([
      ['cleared', 'cleared', 'system', null],
      ['acknowledged', 'acknowledged', operator, 'heater band checked'],
      ['raised', 'active', 'system', null],
    ]);
    expect(entries.every((entry) => entry.alarmId === alarm!.id)).toBe(true);
    expect(entries[2]!.ts).toBe(1_001_000);
    expect(entries[0]!.ts).toBe(h.clock.now);
  });

  it('cleared before anyone saw it: stays listed as cleared-unacknowledged until acknowledged', () => {
    const h = start({ rules: [zone3High] });
    h.sample('imm1.zone3', 270);
    h.clock.now += 1000;
    h.sample('imm1.zone3', 240);
    const [alarm] = h.service.active().alarms;
    expect(alarm).toMatchObject({ state: 'clearedUnacknowledged', clearedAt: h.clock.now });
    expect(h.service.active().counts.high).toBe(1);
    h.service.acknowledge([alarm!.id], operator);
    expect(h.service.active().alarms).toEqual([]);
    const states = h.service.history({ from: 0, to: h.clock.now, limit: 10 }).entries.map((entry) => `${entry.event}:${entry.state}`);
    expect(states).toEqual(['acknowledged:cleared', 'cleared:clearedUnacknowledged', 'raised:active']);
  });

  it('back before it was acknowledged: the same alarm is active again', () => {
    const h = start({ rules: [zone3High] });
    h.sample('imm1.zone3', 270);
    const first = h.service.active().alarms[0]!;
    h.clock.now += 1000;
    h.sample('imm1.zone3', 240);
    h.clock.now += 1000;
    h.sample('imm1.zone3', 275);
    const again = h.service.active().alarms;
    expect(again).toHaveLength(1);
    expect(again[0]).toMatchObject({ id: first.id, state: 'active', value: 275, clearedAt: null });
  });

  it('acknowledging an alarm that is already over, or unknown, changes nothing', () => {
    const h = start({ rules: [zone3High] });
    h.sample('imm1.zone3', 270);
    const id = h.service.active().alarms[0]!.id;
    expect(h.service.acknowledge([id, id, 999], operator)).toBe(1);
    expect(h.service.acknowledge([id], operator)).toBe(0);
  });

  it('the history filters by severity, device, state and text', () => {
    const h = start({
      rules: [zone3High, { id: 'load.high', kind: 'limit', pointId: 'cnc1.load', level: 'H', limit: 90, severity: 'medium', message: { 'zh-CN': '主轴负载高', en: 'spindle load high' } }],
    });
    h.sample('imm1.zone3', 270);
    h.sample('cnc1.load', 95);
    const all = { from: 0, to: h.clock.now, limit: 100 };
    expect(h.service.history({ ...all, severity: 'medium' }).entries.map((entry) => entry.ruleId)).toEqual(['load.high']);
    expect(h.service.history({ ...all, deviceId: 'imm1' }).entries.map((entry) => entry.ruleId)).toEqual(['zone3.high']);
    expect(h.service.history({ ...all, text: '主轴' }).entries.map((entry) => entry.ruleId)).toEqual(['load.high']);
    expect(h.service.history({ ...all, text: '100%_' }).entries).toEqual([]);
    expect(h.service.history({ ...all, state: 'acknowledged' }).entries).toEqual([]);
    expect(h.service.history({ ...all, limit: 1 })).toMatchObject({ truncated: true });
    expect(() => h.service.history({ from: 10, to: 5, limit: 1 })).toThrow(/ends before it starts/);
  });
});

describe('shelving', () => {
  it('hides an alarm from the counts for its time, then brings it back by itself', () => {
    const h = start({ rules: [zone3High] });
    h.sample('imm1.zone3', 270);
    h.service.flush();
    const id = h.service.active().alarms[0]!.id;
    const shelved = h.service.shelve(id, 30, 'thermocouple being replaced', operator);
    expect(shelved).toMatchObject({ shelvedUntil: h.clock.now + 30 * 60_000, shelvedBy: operator, shelveReason: 'thermocouple being replaced' });
    expect(h.service.active().counts.high).toBe(0);

    // While shelved, the rule's alarms come and go silently.
    h.raised.length = 0;
    h.sample('imm1.zone3', 240);
    h.service.acknowledge([id], operator);
    h.clock.now += 60_000;
    h.sample('imm1.zone3', 280);
    h.service.tick();
    expect(h.raised).toEqual([]);
    expect(h.service.active().alarms[0]).toMatchObject({ state: 'active', shelveReason: 'thermocouple being replaced' });

    h.clock.now += 29 * 60_000;
    h.service.tick();
    expect(h.service.active().alarms[0]!.shelvedUntil).toBeNull();
    expect(h.service.active().counts.high).toBe(1);
    expect(h.raised).toHaveLength(1); // back, and announced as new
    const events = h.service.history({ from: 0, to: h.clock.now, limit: 100 }).entries;
    expect(events[0]).toMatchObject({ event: 'unshelved', actor: 'system' });
    expect(events.find((entry) => entry.event === 'shelved')).toMatchObject({ actor: operator, comment: 'thermocouple being replaced' });
  });

  it('can be ended early, by whom is recorded', () => {
    const h = start({ rules: [zone3High] });
    h.sample('imm1.zone3', 270);
    const id = h.service.active().alarms[0]!.id;
    h.service.shelve(id, 60, 'maintenance', operator);
    expect(h.service.unshelve(id, 'this PC (admin)').shelvedUntil).toBeNull();
    expect(h.service.history({ from: 0, to: h.clock.now, limit: 1 }).entries[0]).toMatchObject({ event: 'unshelved', actor: 'this PC (admin)' });
    expect(() => h.service.shelve(12345, 5, 'x', operator)).toThrow(/12345/);
  });
});

describe('suppression during a planned stop', () => {
  it('raises nothing while the hook says the machine is in a planned stop', () => {
    let plannedStop = true;
    const asked: [string | null, string][] = [];
    const h = start({
      rules: [zone3High],
      isSuppressed: (pointId, _ts, deviceId) => {
        asked.push([pointId, deviceId]);
        return plannedStop;
      },
    });
    h.sample('imm1.zone3', 270);
    expect(h.service.active().alarms).toEqual([]);
    expect(asked).toEqual([['imm1.zone3', 'imm1']]);
    plannedStop = false;
    h.clock.now += 6000;
    h.service.tick();
    expect(h.service.active().alarms).toHaveLength(1);
  });
});

describe('device communication', () => {
  it('every device gets a communication-loss alarm of its own, cleared when it answers again', () => {
    const h = start();
    const status = (state: DeviceStatus['state']): DeviceStatus => ({
      deviceId: 'cnc1',
      state,
      lastGoodReadAt: null,
      latencyMedianMs: null,
      latencyP95Ms: null,
      requests: 0,
      timeouts: 0,
      exceptions: 0,
      lastError: null,
      quarantinedUntil: null,
    });
    h.service.deviceStatus(status('disconnected'));
    expect(h.service.active().alarms[0]).toMatchObject({
      ruleId: 'commLoss.cnc1',
      automatic: true,
      kind: 'disconnected',
      deviceId: 'cnc1',
      pointId: null,
      message: { en: 'CNC-1: no communication', 'zh-CN': 'CNC-1：通信中断' },
    });
    h.service.deviceStatus(status('connected'));
    expect(h.service.active().alarms[0]!.state).toBe('clearedUnacknowledged');
  });
});

describe('rules', () => {
  it('refuses a rule on a point that does not exist; deleting a rule clears its alarm', () => {
    const h = start({ rules: [zone3High] });
    expect(() => h.service.saveRule(AlarmRuleSchema.parse({ ...zone3High, id: 'ghost', pointId: 'nowhere.x' }))).toThrow(/nowhere\.x/);
    h.sample('imm1.zone3', 270);
    h.service.deleteRule('zone3.high');
    expect(h.service.rules()).toEqual([]);
    expect(h.service.active().alarms[0]!.state).toBe('clearedUnacknowledged');
  });

  it('seeds the demo rules once per database: a deleted one stays deleted', () => {
    const seedRules = [AlarmRuleSchema.parse(zone3High)];
    const h = start({ seedRules });
    expect(h.service.rules().map((rule) => rule.id)).toEqual(['zone3.high']);
    h.service.deleteRule('zone3.high');
    const again = h.reopen({ seedRules });
    expect(again.service.rules()).toEqual([]);
  });
});

describe('restart', () => {
  it('keeps active and acknowledged alarms with their ids, and clears them when the value is back', () => {
    const h = start({
      rules: [zone3High, { id: 'load.high', kind: 'limit', pointId: 'cnc1.load', level: 'H', limit: 90, severity: 'medium', message: { 'zh-CN': '负载高', en: 'load high' } }],
    });
    h.sample('imm1.zone3', 270);
    h.sample('cnc1.load', 99);
    const before = h.service.active().alarms;
    h.service.acknowledge([before.find((alarm) => alarm.ruleId === 'load.high')!.id], operator);
    const lastId = Math.max(...before.map((alarm) => alarm.id));

    const after = h.reopen();
    expect(after.service.active().alarms.map(({ id, ruleId, state, acknowledgedBy }) => ({ id, ruleId, state, acknowledgedBy }))).toEqual(
      h.service.active().alarms.map(({ id, ruleId, state, acknowledgedBy }) => ({ id, ruleId, state, acknowledgedBy })),
    );
    // Still over the limit after the restart: nothing new is raised.
    after.sample('imm1.zone3', 271);
    expect(after.service.active().alarms).toHaveLength(2);
    // Back to normal: the restored alarms clear as they would have.
    after.sample('imm1.zone3', 240);
    after.sample('cnc1.load', 50);
    expect(after.service.active().alarms.map((alarm) => alarm.state)).toEqual(['clearedUnacknowledged']);
    // New alarms never reuse an id.
    after.sample('cnc1.load', 95);
    expect(after.service.active().alarms.find((alarm) => alarm.ruleId === 'load.high')!.id).toBeGreaterThan(lastId);
  });
});

describe('a burst of alarms', () => {
  it('is written in one go and announced in one event with a resync, not one per alarm', () => {
    const rules: AlarmRuleInput[] = [];
    for (let index = 0; index < 500; index++) {
      POINTS[`burst.${index}`] = { name: `Sensor ${index}`, unit: 'bar', deviceId: 'cnc1' };
      rules.push({ id: `burst.${index}`, kind: 'limit', pointId: `burst.${index}`, level: 'H', limit: 10, severity: index % 10 === 0 ? 'critical' : 'low', message: { 'zh-CN': '{{point}} 高', en: '{{point}} high' } });
    }
    const h = start({ rules, maxChangedPerEvent: 200 });
    h.changed.length = 0;
    const samples: Sample[] = rules.map((rule) => ({ pointId: (rule as { pointId: string }).pointId, ts: h.clock.now, value: 50, quality: 'good' }));
    h.service.evaluate(samples);
    h.service.tick();
    expect(h.changed).toHaveLength(1);
    expect(h.changed[0]).toMatchObject({ resync: true, alarms: [], counts: { critical: 50, low: 450 } });
    expect(h.raised).toHaveLength(1);
    expect(h.raised[0]!.count).toBe(500);
    expect(h.raised[0]!.alarms).toHaveLength(20);
    expect(h.raised[0]!.alarms.every((alarm) => alarm.severity === 'critical')).toBe(true);
    expect(h.service.history({ from: 0, to: h.clock.now, limit: 5000 }).entries).toHaveLength(500);
    // A small change afterwards is sent in full again.
    h.service.acknowledge([h.service.active().alarms[0]!.id], operator);
    expect(h.changed.at(-1)).toMatchObject({ resync: false });
    expect(h.changed.at(-1)!.alarms).toHaveLength(1);
  });
});

describe('notifications to group robots', () => {
  let receiver: WebhookReceiver;
  const withReceiver = async () => {
    receiver = await startWebhookReceiver();
    cleanups.push(() => receiver.close());
  };

  it('sends each new alarm to every robot in its own format, and a burst as one summary per robot', async () => {
    await withReceiver();
    const h = start({ rules: [zone3High], notifier: { minIntervalMs: 300, retry: { baseDelayMs: 10 } } });
    h.service.setNotificationSettings([
      { id: 'wecom', name: 'Shift group', kind: 'wecom', url: `${receiver.base}/cgi-bin/webhook/send?key=wecom-key-0123456789`, minSeverity: 'low', locale: 'zh-CN' },
      { id: 'ding', name: 'Maintenance', kind: 'dingtalk', url: `${receiver.base}/robot/send?access_token=ding-token`, secret: 'SECding', minSeverity: 'high', locale: 'en' },
      { id: 'feishu', name: 'Managers', kind: 'feishu', url: `${receiver.base}/open-apis/bot/v2/hook/feishu-token-0123456789`, secret: 'feishu-secret', minSeverity: 'critical', locale: 'en' },
    ]);
    h.sample('imm1.zone3', 281);
    h.service.tick();
    await waitFor(() => receiver.requests.length >= 2, 5000);
    await h.service.notificationsIdle();
    // The critical-only Feishu robot got nothing for a "high" alarm.
    expect(receiver.requests.map((request) => request.path).sort()).toEqual(['/cgi-bin/webhook/send', '/robot/send']);
    const wecom = receiver.requests.find((request) => request.path === '/cgi-bin/webhook/send')!;
    expect((wecom.body as { text: { content: string } }).text.content).toMatch(/^PlantDesk 报警\n\[高\] .* IMM-1：Barrel zone 3过高 281 °C（上限 255）$/);
    const ding = receiver.requests.find((request) => request.path === '/robot/send')!;
    expect(ding.query.get('sign')).toBeTruthy();
    expect((ding.body as { text: { content: string } }).text.content).toContain('[High]');

    // A burst of 300 alarms: each robot gets one or two messages, the rest summed up.
    receiver.requests.length = 0;
    const burst: AlarmRuleInput[] = [];
    for (let index = 0; index < 300; index++) {
      POINTS[`n.${index}`] = { name: `Valve ${index}`, unit: '', deviceId: 'cnc1' };
      burst.push({ id: `n.${index}`, kind: 'state', pointId: `n.${index}`, values: [1], severity: index < 3 ? 'critical' : 'medium', message: { 'zh-CN': '{{point}} 故障', en: '{{point}} fault' } });
    }
    h.service.saveRules(burst.map((rule) => AlarmRuleSchema.parse(rule)));
    for (let round = 0; round < 3; round++) {
      h.service.evaluate(burst.slice(round * 100, round * 100 + 100).map((rule) => ({ pointId: (rule as { pointId: string }).pointId, ts: h.clock.now, value: 1, quality: 'good' })));
      h.service.tick();
    }
    await waitFor(() => receiver.requests.length >= 3, 5000);
    await h.service.notificationsIdle();
    const texts = receiver.requests.map((request) => JSON.stringify(request.body));
    expect(receiver.requests.length).toBeLessThanOrEqual(6);
    const feishu = receiver.requests.filter((request) => request.path.includes('/hook/'));
    expect(feishu.length).toBeGreaterThan(0);
    const feishuText = feishu.map((request) => (request.body as { content: { text: string } }).content.text).join('\n');
    expect(feishuText).toContain('Valve 0 fault');
    expect(texts.join('\n')).toMatch(/新报警|new alarms/);
    const wecomCount = receiver.requests.filter((request) => request.path === '/cgi-bin/webhook/send').length;
    expect(wecomCount).toBeLessThanOrEqual(2);
  });

  it('never returns or logs the secrets; a robot sent back without them keeps them', async () => {
    await withReceiver();
    const h = start({ rules: [zone3High], notifier: { minIntervalMs: 0, retry: { retries: 1, baseDelayMs: 5 } } });
    const url = `${receiver.base}/robot/send?access_token=TOKEN-SHOULD-NOT-LEAK`;
    const saved = h.service.setNotificationSettings([{ id: 'ding', name: 'Maintenance', kind: 'dingtalk', url, secret: 'SEC-SHOULD-NOT-LEAK', minSeverity: 'low', locale: 'en' }]);
    expect(JSON.stringify(saved)).not.toMatch(/SHOULD-NOT-LEAK/);
    expect(saved.channels[0]).toMatchObject({ hasSecret: true, url: `${receiver.base}/robot/send?access_token=TOKE…` });
    const again = h.service.setNotificationSettings([{ id: 'ding', name: 'Maintenance (night)', kind: 'dingtalk', minSeverity: 'low', locale: 'en' }]);
    expect(again.channels[0]).toMatchObject({ name: 'Maintenance (night)', hasSecret: true });

    // The robot refuses: the failure is logged by host only.
    receiver.answers.push({ status: 500, body: {} }, { status: 500, body: {} });
    h.sample('imm1.zone3', 281);
    h.service.tick();
    await waitFor(() => receiver.requests.length >= 2, 5000);
    await h.service.notificationsIdle();
    expect(h.service.notifier.failed).toBe(1);
    expect(h.logger.lines.some((line) => line.includes('alarm notification not delivered'))).toBe(true);
    expect(h.logger.lines.join('\n')).not.toMatch(/SHOULD-NOT-LEAK/);
    // The secret is still used to sign.
    expect(receiver.requests[0]!.query.get('sign')).toBeTruthy();
    expect(receiver.requests[0]!.query.get('access_token')).toBe('TOKEN-SHOULD-NOT-LEAK');

    const cleared = h.service.setNotificationSettings([{ id: 'ding', name: 'Maintenance', kind: 'dingtalk', secret: null, minSeverity: 'low', locale: 'en' }]);
    expect(cleared.channels[0]!.hasSecret).toBe(false);
    expect(() => h.service.setNotificationSettings([{ id: 'new', name: 'New', kind: 'wecom', minSeverity: 'low', locale: 'en' }])).toThrow(/webhook address/);
  });

  it('a test message says, in the caller\'s language, whether the robot took it', async () => {
    await withReceiver();
    const h = start();
    h.service.setNotificationSettings([{ id: 'w', name: 'Shift group', kind: 'wecom', url: `${receiver.base}/cgi-bin/webhook/send?key=k`, minSeverity: 'low', locale: 'zh-CN' }]);
    expect(await h.service.testNotification('w', 'en')).toEqual({ ok: true, detail: expect.stringContaining('took the test message') });
    expect((receiver.requests[0]!.body as { text: { content: string } }).text.content).toContain('PlantDesk 测试消息');
    receiver.answers.push({ status: 200, body: { errcode: 93000, errmsg: 'invalid webhook url' } });
    const failed = await h.service.testNotification('w', 'zh-CN');
    expect(failed.ok).toBe(false);
    expect(failed.detail).toContain('93000 invalid webhook url');
    expect(failed.detail).toContain('企业微信');
    await expect(h.service.testNotification('nope', 'en')).rejects.toThrow(/nope/);
  });
});
