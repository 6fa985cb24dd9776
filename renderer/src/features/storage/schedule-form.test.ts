import { describe, expect, it } from 'vitest';
import { formToSchedule, scheduleChanged, scheduleToForm } from './schedule-form.ts';

describe('backup schedule form', () => {
  it('round-trips a schedule', () => {
    const schedule = { enabled: true, hour: 2, keep: 14 };
    expect(formToSchedule(scheduleToForm(schedule))).toEqual({ ok: true, schedule });
  });

  it('accepts spaces around whole numbers', () => {
    expect(formToSchedule({ enabled: false, hour: ' 0 ', keep: '365' })).toEqual({ ok: true, schedule: { enabled: false, hour: 0, keep: 365 } });
  });

  it('refuses hours outside 0–23 and counts outside 1–365, per field', () => {
    expect(formToSchedule({ enabled: true, hour: '24', keep: '0' })).toEqual({
      ok: false,
      errors: { hour: { key: 'storage.schedule.hourInvalid' }, keep: { key: 'storage.schedule.keepInvalid' } },
    });
    expect(formToSchedule({ enabled: true, hour: '2.5', keep: '7' })).toEqual({ ok: false, errors: { hour: { key: 'storage.schedule.hourInvalid' } } });
    expect(formToSchedule({ enabled: true, hour: '', keep: 'x' })).toMatchObject({ ok: false });
  });

  it('tells whether the form differs from the saved schedule', () => {
    const saved = { enabled: true, hour: 2, keep: 14 };
    expect(scheduleChanged({ enabled: true, hour: '02', keep: '14' }, saved)).toBe(false);
    expect(scheduleChanged({ enabled: false, hour: '2', keep: '14' }, saved)).toBe(true);
  });
});
