import { describe, expect, it } from 'vitest';
import type { AlarmView } from '../../../../shared/contract/alarm-calls.ts';
import { compareAlarms, mergeAlarms, totalOf, worstSeverity } from './alarm-list.ts';

function alarm(id: number, patch: Partial<AlarmView> = {}): AlarmView {
  return {
    id,
    ruleId: `r${id}`,
    kind: 'limit',
    automatic: false,
    severity: 'high',
    state: 'active',
    deviceId: 'd',
    pointId: 'p',
    deviceName: 'D',
    pointName: 'P',
    message: { 'zh-CN': '报警', en: 'alarm' },
    value: 1,
    raisedAt: id * 1000,
    acknowledgedAt: null,
    acknowledgedBy: null,
    clearedAt: null,
    shelvedUntil: null,
    shelvedBy: null,
    shelveReason: null,
    ...patch,
  };
}

describe('the active list', () => {
  it('puts the worst first, then those waiting for acknowledgement, newest first, shelved last', () => {
    const list = [
      alarm(1, { severity: 'low' }),
      alarm(2, { shelvedUntil: 99, severity: 'critical' }),
      alarm(3, { state: 'acknowledged', severity: 'critical' }),
      alarm(4, { severity: 'critical' }),
      alarm(5, { severity: 'critical' }),
    ].sort(compareAlarms);
    expect(list.map((entry) => entry.id)).toEqual([5, 4, 3, 1, 2]);
  });

  it('merges a batch of changes: replaced, added, and removed once over', () => {
    const list = [alarm(1), alarm(2)];
    const merged = mergeAlarms(list, [alarm(1, { state: 'cleared' }), alarm(2, { state: 'acknowledged' }), alarm(3)]);
    expect(merged.map((entry) => [entry.id, entry.state])).toEqual([
      [3, 'active'],
      [2, 'acknowledged'],
    ]);
    expect(mergeAlarms(list, [])).toBe(list);
  });

  it('counts and the worst severity', () => {
    expect(totalOf({ critical: 1, high: 2, medium: 0, low: 3 })).toBe(6);
    expect(worstSeverity({ critical: 0, high: 0, medium: 2, low: 3 })).toBe('medium');
    expect(worstSeverity({ critical: 0, high: 0, medium: 0, low: 0 })).toBeNull();
  });
});
