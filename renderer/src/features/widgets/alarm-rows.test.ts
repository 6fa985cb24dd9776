import { describe, expect, it } from 'vitest';
import { alarmRows } from './alarm-rows.ts';

const alarm = (id: number, severity: string, raisedAt: number, extra: object = {}) => ({
  id,
  severity,
  state: 'active',
  deviceName: 'CNC-1',
  pointName: 'Spindle load',
  message: { en: `Alarm ${id}`, 'zh-CN': `报警 ${id}` },
  raisedAt,
  acknowledgedAt: null,
  shelvedUntil: null,
  ...extra,
});

describe('alarm rows', () => {
  it('lists the worst first, then the newest, without shelved ones', () => {
    const rows = alarmRows({
      alarms: [alarm(1, 'low', 300), alarm(2, 'critical', 100), alarm(3, 'critical', 200), alarm(4, 'high', 400, { shelvedUntil: 999 })],
      counts: {},
    });
    expect(rows.map((row) => row.id)).toEqual(['3', '2', '1']);
    expect(rows[0]).toMatchObject({ severity: 'critical', source: 'CNC-1 · Spindle load', message: { en: 'Alarm 3', 'zh-CN': '报警 3' }, acknowledged: false });
  });

  it('reads what it can of an answer it does not fully know', () => {
    expect(alarmRows(null)).toEqual([]);
    expect(alarmRows({ alarms: 'none' })).toEqual([]);
    expect(alarmRows([{ id: 'x', message: 'Door open', state: 'acknowledged' }])).toEqual([
      { id: 'x', severity: 'medium', message: { en: 'Door open', 'zh-CN': undefined }, source: '', raisedAt: null, acknowledged: true },
    ]);
  });
});
