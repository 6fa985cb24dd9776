import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AlarmView, SeverityCounts } from '../../../../shared/contract/alarm-calls.ts';
import { composeNotice, NoticeThrottle } from './desktop-notifications.ts';

const t = (key: string, params: Record<string, string | number> = {}) => `${key}${Object.keys(params).length ? JSON.stringify(params) : ''}`;

function alarm(id: number, severity: AlarmView['severity'] = 'high'): AlarmView {
  return {
    id,
    ruleId: `r${id}`,
    kind: 'limit',
    automatic: false,
    severity,
    state: 'active',
    deviceId: null,
    pointId: null,
    deviceName: null,
    pointName: null,
    message: { 'zh-CN': `报警 ${id}`, en: `alarm ${id}` },
    value: null,
    raisedAt: id,
    acknowledgedAt: null,
    acknowledgedBy: null,
    clearedAt: null,
    shelvedUntil: null,
    shelvedBy: null,
    shelveReason: null,
  };
}
const counts = (patch: Partial<SeverityCounts>): SeverityCounts => ({ critical: 0, high: 0, medium: 0, low: 0, ...patch });

describe('desktop notices', () => {
  it('one alarm in full, in the UI language', () => {
    expect(composeNotice([alarm(7)], 1, counts({ high: 1 }), 'zh-CN', t)).toEqual({
      title: 'alarms.desktop.one{"severity":"alarms.severity.high"}',
      body: '报警 7',
      tag: 'plantdesk-alarm-7',
    });
  });

  it('many as counts per severity and the worst few', () => {
    const notice = composeNotice([alarm(1, 'critical'), alarm(2), alarm(3), alarm(4)], 40, counts({ critical: 1, high: 39 }), 'en', t);
    expect(notice.title).toBe('alarms.desktop.many{"count":40}');
    expect(notice.body.split('\n')).toEqual(['alarms.severity.critical 1 · alarms.severity.high 39', 'alarm 1', 'alarm 2', 'alarm 3', 'alarms.desktop.more{"count":37}']);
  });
});

describe('a burst of raised events', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('shows the first at once and sums up the rest in one notice per interval', () => {
    const shown: number[] = [];
    const throttle = new NoticeThrottle((_alarms, count) => shown.push(count), { minIntervalMs: 3000, now: () => Date.now() });
    for (let index = 0; index < 200; index++) throttle.push({ alarms: [alarm(index)], count: 1, counts: counts({ high: 1 }) });
    expect(shown).toEqual([1]);
    vi.advanceTimersByTime(2999);
    expect(shown).toEqual([1]);
    vi.advanceTimersByTime(1);
    expect(shown).toEqual([1, 199]);
    vi.advanceTimersByTime(10_000);
    expect(shown).toEqual([1, 199]);
    throttle.stop();
  });
});
