import { describe, expect, it } from 'vitest';
import { fromLocalInput, MIN_RANGE_MS, resolveRange, shiftAt, startOfLocalDay, toLocalInput } from './time-ranges.ts';

/** A local wall-clock time, whatever the time zone the tests run in. */
const local = (year: number, month: number, day: number, hour = 0, minute = 0) => new Date(year, month - 1, day, hour, minute).getTime();
const HOUR = 3_600_000;

describe('shifts', () => {
  it('puts 08:00–20:00 in the day shift', () => {
    expect(shiftAt(local(2026, 1, 15, 8, 0))).toEqual({ name: 'day', start: local(2026, 1, 15, 8), end: local(2026, 1, 15, 20) });
    expect(shiftAt(local(2026, 1, 15, 19, 59))).toEqual({ name: 'day', start: local(2026, 1, 15, 8), end: local(2026, 1, 15, 20) });
  });

  it('runs the night shift over midnight: the evening and the next morning are one shift', () => {
    const night = { name: 'night', start: local(2026, 1, 15, 20), end: local(2026, 1, 16, 8) };
    expect(shiftAt(local(2026, 1, 15, 20, 0))).toEqual(night);
    expect(shiftAt(local(2026, 1, 15, 23, 59))).toEqual(night);
    expect(shiftAt(local(2026, 1, 16, 0, 0))).toEqual(night);
    expect(shiftAt(local(2026, 1, 16, 7, 59))).toEqual(night);
    expect(shiftAt(local(2026, 1, 16, 8, 0)).name).toBe('day');
  });

  it('crosses month and year ends', () => {
    expect(shiftAt(local(2026, 1, 1, 3))).toEqual({ name: 'night', start: local(2025, 12, 31, 20), end: local(2026, 1, 1, 8) });
    expect(shiftAt(local(2026, 2, 28, 22))).toEqual({ name: 'night', start: local(2026, 2, 28, 20), end: local(2026, 3, 1, 8) });
  });
});

describe('range presets', () => {
  const now = local(2026, 1, 16, 2, 30);

  it('slides the last hour, 24 hours and 7 days with the clock', () => {
    expect(resolveRange('lastHour', now)).toEqual({ from: now - HOUR, to: now, live: true, anchor: null });
    expect(resolveRange('last24h', now)).toEqual({ from: now - 24 * HOUR, to: now, live: true, anchor: null });
    expect(resolveRange('last7d', now)).toEqual({ from: now - 7 * 24 * HOUR, to: now, live: true, anchor: null });
  });

  it('starts this shift at 20:00 yesterday evening when it is 02:30, and follows live', () => {
    const range = resolveRange('shift', now);
    expect(range).toEqual({ from: local(2026, 1, 15, 20), to: now, live: true, anchor: local(2026, 1, 15, 20) });
  });

  it('starts today at local midnight', () => {
    expect(resolveRange('today', now)).toEqual({ from: local(2026, 1, 16), to: now, live: true, anchor: local(2026, 1, 16) });
    expect(startOfLocalDay(now)).toBe(local(2026, 1, 16));
  });

  it('gives a range that just began a minute of width', () => {
    const justAfter = local(2026, 1, 16, 8, 0) + 5000;
    const range = resolveRange('shift', justAfter);
    expect(range.to - range.from).toBe(MIN_RANGE_MS);
    expect(range.anchor).toBe(local(2026, 1, 16, 8));
  });

  it('takes a shift calendar in place of the fixed shifts', () => {
    const calendar = () => ({ name: 'day' as const, start: now - 2 * HOUR, end: now + 6 * HOUR });
    expect(resolveRange('shift', now, null, calendar).from).toBe(now - 2 * HOUR);
  });

  it('keeps a custom range in the past fixed, and one reaching into the future live', () => {
    const past = { from: local(2026, 1, 10, 8), to: local(2026, 1, 10, 20) };
    expect(resolveRange('custom', now, past)).toEqual({ ...past, live: false, anchor: null });
    expect(resolveRange('custom', now, { to: past.from, from: past.to })).toEqual({ ...past, live: false, anchor: null });
    const open = resolveRange('custom', now, { from: now - HOUR, to: now + HOUR });
    expect(open).toEqual({ from: now - HOUR, to: now, live: true, anchor: now - HOUR });
    expect(resolveRange('custom', now, { from: now - 3 * HOUR, to: null })).toEqual({ from: now - 3 * HOUR, to: now, live: true, anchor: now - 3 * HOUR });
  });
});

describe('datetime-local values', () => {
  it('round-trips a local time to the minute', () => {
    const ts = local(2026, 3, 5, 7, 9);
    expect(toLocalInput(ts)).toBe('2026-03-05T07:09');
    expect(fromLocalInput('2026-03-05T07:09')).toBe(ts);
  });

  it('refuses what is not a date', () => {
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('yesterday')).toBeNull();
    expect(fromLocalInput('2026-02-31T10:00')).toBeNull();
  });
});
