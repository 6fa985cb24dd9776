// Alarms in the whole core: the demo plant's barrel
// overheats over real Modbus TCP, the alarm is raised and announced, acknowledged by an operator,
// cleared when the zone cools, and a restart of the core keeps the alarm. Roles are checked.
import { afterEach, describe, expect, it } from 'vitest';
import type { EventMessage, ShiftCalendar } from '../../shared/index.ts';
import type { AlarmHistoryEntry, AlarmView } from '../../shared/contract/alarm-calls.ts';
import type { AlarmRule } from '../../shared/domain/alarms.ts';
import { createCore, type CallContext, type Core } from '../index.ts';
import { makeTempDir, removeDir, testCoreOptions, waitFor } from '../test-support.ts';

const BARREL_HIGH = 'demo.imm1.barrelZone3.high';
const viewer: CallContext = { role: 'viewer', locale: 'en' };
const operator: CallContext = { role: 'operator', locale: 'en', actor: 'shift tablet' };
const engineer: CallContext = { role: 'engineer', locale: 'en', actor: 'commissioning laptop' };

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startCore(dataDir: string): Promise<Core> {
  const core = await createCore({
    ...testCoreOptions(dataDir),
  });
  cleanups.push(async () => {
    if (core.db.open) await core.close();
  });
  // Alarms are suppressed in planned stops: a calendar without breaks keeps these tests independent of the hour they run at.
  const admin: CallContext = { role: 'admin', locale: 'en' };
  const { calendar } = await call<{ calendar: ShiftCalendar }>(core, 'kpis.calendar', {});
  await call(core, 'kpis.setCalendar', { ...calendar, shifts: calendar.shifts.map((shift) => ({ ...shift, breaks: [] })) }, admin);
  return core;
}

async function call<T>(core: Core, name: string, input: unknown, context: CallContext = viewer): Promise<T> {
  const result = await core.dispatch(name, input, context);
  if (!result.ok) throw new Error(`${name} failed: ${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

const activeAlarm = async (core: Core, ruleId: string) =>
  (await call<{ alarms: AlarmView[] }>(core, 'alarms.active', {})).alarms.find((alarm) => alarm.ruleId === ruleId);

describe('alarms in the core with the demo plant', () => {
  it('a barrel overheat is raised, announced, acknowledged by an operator and cleared when the zone cools', async () => {
    const dir = makeTempDir('plantdesk-alarms-core-');
    cleanups.push(() => removeDir(dir));
    const core = await startCore(dir);
    const events: EventMessage[] = [];
    cleanups.push(core.events.subscribe((message) => events.push(message)));

    const { rules } = await call<{ rules: AlarmRule[] }>(core, 'alarmRules.list', {});
    expect(rules.map((rule) => rule.id)).toContain(BARREL_HIGH);

    expect((await core.dispatch('demo.causeAlarm', { scenario: 'barrelOverheat' }, operator)).ok).toBe(false); // engineers only
    await call(core, 'demo.causeAlarm', { scenario: 'barrelOverheat' }, engineer);
    const raised = await waitFor(() => activeAlarm(core, BARREL_HIGH), 20_000, { what: 'the barrel alarm' });
    expect(raised).toMatchObject({ state: 'active', severity: 'high', deviceId: 'demo-imm1', pointId: 'demo-imm1.barrelZone3' });
    expect(raised.message.en).toMatch(/^IMM-1 injection moulding: Barrel zone 3 high, \d+(\.\d+)? °C \(limit 255 °C\)$/);
    await waitFor(() => events.some((message) => (message.event as string) === 'alarms.raised'), 5000, { what: 'an alarms.raised event' });

    const refused = await core.dispatch('alarms.acknowledge', { ids: [raised.id] }, viewer);
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await call(core, 'alarms.acknowledge', { ids: [raised.id], comment: 'heater checked' }, operator)).toEqual({ acknowledged: 1 });
    expect(await activeAlarm(core, BARREL_HIGH)).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'shift tablet (operator)' });

    await call(core, 'demo.causeAlarm', { scenario: 'normal' }, engineer);
    await waitFor(async () => (await activeAlarm(core, BARREL_HIGH)) === undefined, 20_000, { what: 'the alarm to be over' });
    const { entries } = await call<{ entries: AlarmHistoryEntry[] }>(core, 'alarms.history', { from: 0, to: Date.now() + 1000, text: 'barrel zone 3' });
    expect(entries.filter((entry) => entry.alarmId === raised.id).map((entry) => [entry.event, entry.actor])).toEqual([
      ['cleared', 'system'],
      ['acknowledged', 'shift tablet (operator)'],
      ['raised', 'system'],
    ]);
  });

  it('keeps an alarm across a restart of the core', async () => {
    const dir = makeTempDir('plantdesk-alarms-core-');
    cleanups.push(() => removeDir(dir));
    const first = await startCore(dir);
    await call(first, 'demo.causeAlarm', { scenario: 'barrelOverheat' }, engineer);
    const raised = await waitFor(() => activeAlarm(first, BARREL_HIGH), 20_000, { what: 'the barrel alarm' });
    await first.close();

    const second = await startCore(dir);
    const kept = await activeAlarm(second, BARREL_HIGH);
    expect(kept).toMatchObject({ id: raised.id, raisedAt: raised.raisedAt });
    // The restarted demo plant holds its setpoint: the kept alarm clears, waiting to be acknowledged.
    await waitFor(async () => (await activeAlarm(second, BARREL_HIGH))?.state === 'clearedUnacknowledged', 20_000, { what: 'the kept alarm to clear' });
  });

  it('checks roles: rules need an engineer, robots an administrator', async () => {
    const dir = makeTempDir('plantdesk-alarms-core-');
    cleanups.push(() => removeDir(dir));
    const core = await startCore(dir);
    const rule = { id: 'load.low', kind: 'limit', pointId: 'demo-cnc1.spindleLoad', level: 'L', limit: -1, severity: 'low', message: { 'zh-CN': '负载低', en: 'load low' } };
    expect(await core.dispatch('alarmRules.save', { rule }, operator)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await call(core, 'alarmRules.save', { rule }, engineer)).toMatchObject({ id: 'load.low', enabled: true, deadband: 0 });
    expect(await core.dispatch('alarmNotifications.get', {}, engineer)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const missing = await core.dispatch('alarmRules.save', { rule: { ...rule, id: 'x', pointId: 'demo-cnc1.nothing' } }, engineer);
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(missing.ok ? '' : missing.error.message).toContain('demo-cnc1.nothing');
  });
});
