import { describe, expect, it } from 'vitest';
import type { StopView } from '../../../../shared/contract/kpi-calls.ts';
import { DEFAULT_STOP_REASONS } from '../../../../shared/domain/machines.ts';
import { formatStopDuration, reasonName, sortStopRows, stopKind, stopRows } from './stop-rows.ts';

const stop = (start: number, extra: Partial<StopView> = {}): StopView => ({
  machineId: 'cnc1',
  start,
  end: start + 600_000,
  durationMs: 600_000,
  plannedMs: 600_000,
  state: 'idle',
  micro: false,
  open: false,
  reason: null,
  reasonBy: null,
  reasonAt: null,
  ...extra,
});

describe('stop rows', () => {
  it('puts the stop going on now on top, then the others newest first', () => {
    const rows = sortStopRows([stop(1000), stop(3000), stop(500, { open: true }), stop(2000)]);
    expect(rows.map((row) => row.start)).toEqual([500, 3000, 2000, 1000]);
  });

  it('tells planned, unplanned and short stops apart', () => {
    expect(stopKind(stop(0), DEFAULT_STOP_REASONS)).toBe('unplanned');
    expect(stopKind(stop(0, { reason: 'plannedMaintenance' }), DEFAULT_STOP_REASONS)).toBe('planned');
    expect(stopKind(stop(0, { reason: 'breakdown' }), DEFAULT_STOP_REASONS)).toBe('unplanned');
    expect(stopKind(stop(0, { micro: true, durationMs: 30_000 }), DEFAULT_STOP_REASONS)).toBe('micro');
    // Wholly outside planned time (a meal break): it costs nothing.
    expect(stopKind(stop(0, { plannedMs: 0 }), DEFAULT_STOP_REASONS)).toBe('planned');
  });

  it('names reasons in the UI language, and keeps an unknown code readable', () => {
    expect(reasonName('noMaterial', DEFAULT_STOP_REASONS, 'zh-CN')).toBe('缺料');
    expect(reasonName('noMaterial', DEFAULT_STOP_REASONS, 'en')).toBe('No material');
    expect(reasonName('retired', DEFAULT_STOP_REASONS, 'en')).toBe('retired');
    expect(reasonName(null, DEFAULT_STOP_REASONS, 'en')).toBeNull();
    expect(reasonName('unassigned', DEFAULT_STOP_REASONS, 'en')).toBeNull();
  });

  it('merges the machines\' lists with each machine\'s name', () => {
    const rows = stopRows([
      { machineId: 'cnc1', machineName: 'CNC', stops: [stop(100)], reasons: DEFAULT_STOP_REASONS },
      { machineId: 'imm1', machineName: 'IMM', stops: [stop(200, { machineId: 'imm1', open: true })], reasons: DEFAULT_STOP_REASONS },
    ]);
    expect(rows.map((row) => [row.machineName, row.kind, row.open])).toEqual([
      ['IMM', 'unplanned', true],
      ['CNC', 'unplanned', false],
    ]);
  });

  it('says durations briefly', () => {
    expect(formatStopDuration(45_000)).toBe('45 s');
    expect(formatStopDuration(12 * 60_000)).toBe('12 min');
    expect(formatStopDuration(7_500_000)).toBe('2 h 05 min');
  });
});
