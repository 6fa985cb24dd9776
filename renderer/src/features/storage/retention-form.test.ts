import { describe, expect, it } from 'vitest';
import type { RetentionSettings } from '../../../../shared/contract/historian-calls.ts';
import { formToRetention, retentionChanged, retentionToForm } from './retention-form.ts';

const saved: RetentionSettings = {
  analog: { rawDays: 90, minuteDays: 730, hourDays: null },
  counter: { rawDays: 30, minuteDays: 365, hourDays: 3650 },
  state: { rawDays: null, minuteDays: null, hourDays: null },
};

describe('retention form', () => {
  it('round-trips the settings; forever offers a number to untick to', () => {
    const form = retentionToForm(saved);
    expect(formToRetention(form)).toEqual({ ok: true, settings: saved });
    expect(form.analog.hourDays).toEqual({ days: '3650', forever: true });
    expect(retentionChanged(form, saved)).toBe(false);
  });

  it('reads days with spaces around them, and tells a change from the saved settings', () => {
    const form = retentionToForm(saved);
    form.analog.rawDays = { days: ' 30 ', forever: false };
    expect(formToRetention(form)).toMatchObject({ ok: true, settings: { analog: { rawDays: 30 } } });
    expect(retentionChanged(form, saved)).toBe(true);
  });

  it('refuses days outside 1–36500 or not whole, per cell', () => {
    const form = retentionToForm(saved);
    form.analog.rawDays = { days: '0', forever: false };
    form.counter.minuteDays = { days: '1.5', forever: false };
    form.state.hourDays = { days: '', forever: false };
    expect(formToRetention(form)).toEqual({
      ok: false,
      errors: {
        'analog.rawDays': { key: 'storage.retention.invalidDays' },
        'counter.minuteDays': { key: 'storage.retention.invalidDays' },
        'state.hourDays': { key: 'storage.retention.invalidDays' },
      },
    });
  });

  it('refuses a coarser form kept for less time than a finer one, as the core does', () => {
    const form = retentionToForm(saved);
    form.counter.rawDays = { days: '400', forever: false };
    form.state.minuteDays = { days: '10', forever: false };
    expect(formToRetention(form)).toEqual({
      ok: false,
      errors: { counter: { key: 'error.retentionOrder.counter' }, state: { key: 'error.retentionOrder.state' } },
    });
  });
});
