import { describe, expect, it } from 'vitest';
import type { KpiResult } from '../../../../shared/contract/kpi-calls.ts';
import { isMissingKpi, kpiValueText, LOADING_KPI_VALUE, nextKpiValueFeed, targetBands } from './kpi-value-state.ts';

const result = (value: number | null, computedAt = 1000): KpiResult => ({
  kpiId: 'cnc-1.parts-per-hour',
  name: 'Parts per hour',
  value,
  unit: 'pcs/h',
  target: 40,
  goodDirection: 'higher',
  decimals: 1,
  status: value === null ? null : value >= 40 ? 'good' : 'bad',
  inputs: { parts: value },
  period: { kind: 'shift', from: 0, to: 43_200_000, label: 'Day shift, 2026-05-04', current: true },
  computedAt,
});

describe('a stored KPI value feed', () => {
  it('keeps the state identical when only the time of computing changed, so nothing redraws', () => {
    const first = nextKpiValueFeed(LOADING_KPI_VALUE, { kind: 'ok', value: result(42.25) });
    expect(first).toMatchObject({ status: 'ready', result: { value: 42.25 } });
    expect(nextKpiValueFeed(first, { kind: 'ok', value: result(42.25, 6000) })).toBe(first);
    const changed = nextKpiValueFeed(first, { kind: 'ok', value: result(43, 11_000) });
    expect(changed.result!.value).toBe(43);
    expect(changed.result!.period).toBe(first.result!.period);
  });

  it('keeps the last value on screen when a read fails, and says why', () => {
    const ready = nextKpiValueFeed(LOADING_KPI_VALUE, { kind: 'ok', value: result(42) });
    const failed = nextKpiValueFeed(ready, { kind: 'failed', code: 'timeout', message: 'The core did not answer.' });
    expect(failed).toMatchObject({ status: 'failed', error: 'The core did not answer.' });
    expect(failed.result).toBe(ready.result);
    expect(nextKpiValueFeed(failed, { kind: 'failed', code: 'timeout', message: 'The core did not answer.' })).toBe(failed);
  });

  it('tells a deleted KPI from a core without the call', () => {
    const missing = nextKpiValueFeed(nextKpiValueFeed(LOADING_KPI_VALUE, { kind: 'ok', value: result(42) }), { kind: 'missing' });
    expect(missing).toEqual({ status: 'missing', result: null, error: null });
    expect(nextKpiValueFeed(missing, { kind: 'missing' })).toBe(missing);
    expect(nextKpiValueFeed(LOADING_KPI_VALUE, { kind: 'unavailable' }).status).toBe('unavailable');
    expect(isMissingKpi({ code: 'not_found', message: 'There is no KPI', details: { kpiId: 'a' } }, 'a')).toBe(true);
    expect(isMissingKpi({ code: 'not_found', message: 'Unknown call' }, 'a')).toBe(false);
    expect(isMissingKpi({ code: 'not_found', message: 'There is no KPI', details: { kpiId: 'b' } }, 'a')).toBe(false);
    expect(isMissingKpi({ code: 'forbidden', message: 'No', details: { kpiId: 'a' } }, 'a')).toBe(false);
  });
});

describe('how a stored KPI is shown', () => {
  it("writes the value with the definition's decimals unless the widget gives its own", () => {
    expect(kpiValueText(result(1234.5), 'en')).toBe('1,234.5');
    expect(kpiValueText(result(1234.5), 'en', 0)).toBe('1,235');
    expect(kpiValueText(result(null), 'en')).toBeNull();
  });

  it('colours a gauge from the target, on the side that is good', () => {
    expect(targetBands(40, 'higher', 0, 100)).toEqual({ good: 40, warn: 30, lowerIsBetter: false });
    expect(targetBands(2, 'lower', 0, 10)).toEqual({ good: 2, warn: 3, lowerIsBetter: true });
    expect(targetBands(null, 'higher', 0, 100)).toBeUndefined();
  });
});
