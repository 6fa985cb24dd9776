// Minute and hour summaries checked against hand-computed figures: time-weighted averages of a
// value held between samples, counters across a reset and a register rollover, time in states.
import { describe, expect, it } from 'vitest';
import { counterIncrease, HOUR_MS, MINUTE_MS, mergeRows, rollUp, rowAverage, type RawSample } from './rollup.ts';

const T0 = Date.UTC(2026, 4, 4, 8, 0, 0);
const good = (ts: number, value: number): RawSample => ({ ts, value, quality: 0 });
const bad = (ts: number): RawSample => ({ ts, value: Number.NaN, quality: 2 });
const analog = { kind: 'analog' as const, periodMs: MINUTE_MS, maxHoldMs: 120_000 };

describe('rollUp, analog', () => {
  it('weights each value by how long it held, and counts the value held in from before in min and max', () => {
    // 10 from the minute before; 20 from +15 s; 40 from +45 s to the end of the minute.
    const carry = { ts: T0 - 5_000, quality: 0, lastGood: 10 };
    const { rows } = rollUp([good(T0 + 15_000, 20), good(T0 + 45_000, 40)], carry, T0, T0 + MINUTE_MS, analog);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row).toMatchObject({ ts: T0, count: 2, min: 10, max: 40, first: 20, last: 40, sum: 60, coveredMs: 60_000, increase: null, states: null });
    expect(row.twa).toBeCloseTo((10 * 15 + 20 * 30 + 40 * 15) / 60, 10);
    expect(rowAverage(row)).toBeCloseTo(22.5, 10);
  });

  it('a bad sample ends the held value: the time after it is not covered', () => {
    const { rows } = rollUp([good(T0, 5), bad(T0 + 20_000), good(T0 + 50_000, 7)], null, T0, T0 + MINUTE_MS, analog);
    expect(rows[0]).toMatchObject({ count: 2, coveredMs: 30_000, min: 5, max: 7 });
    expect(rows[0]!.twa).toBeCloseTo((5 * 20 + 7 * 10) / 30, 10);
  });

  it('a value holds at most maxHoldMs (the app was off), and empty minutes get no row', () => {
    const { rows, carry } = rollUp([good(T0, 3)], null, T0, T0 + 5 * MINUTE_MS, analog);
    expect(rows.map((row) => [row.ts - T0, row.coveredMs])).toEqual([
      [0, 60_000],
      [MINUTE_MS, 60_000],
    ]);
    expect(carry).toEqual({ ts: T0, quality: 0, lastGood: 3 });
  });

  it('carries across calls: two halves give the rows the whole gives', () => {
    const samples = [good(T0 + 1_000, 1), good(T0 + 70_000, 2), good(T0 + 130_000, 4), good(T0 + 170_000, 3)];
    const whole = rollUp(samples, null, T0, T0 + 3 * MINUTE_MS, analog).rows;
    const first = rollUp(samples.slice(0, 2), null, T0, T0 + 2 * MINUTE_MS, analog);
    const second = rollUp(samples.slice(2), first.carry, T0 + 2 * MINUTE_MS, T0 + 3 * MINUTE_MS, analog);
    expect([...first.rows, ...second.rows]).toEqual(whole);
  });
});

describe('counters', () => {
  const counter = { kind: 'counter' as const, periodMs: MINUTE_MS, maxHoldMs: 120_000, wrap: 65_536 };

  it('counterIncrease: up, reset to zero, rollover of the register', () => {
    expect(counterIncrease(100, 130)).toBe(30);
    expect(counterIncrease(500, 7)).toBe(7);
    expect(counterIncrease(65_530, 4, 65_536)).toBe(10);
    expect(counterIncrease(30_000, 4, 65_536)).toBe(4);
  });

  it('the increase per minute is right across a reset mid-minute and counts from the carried value', () => {
    const carry = { ts: T0 - 1_000, quality: 0, lastGood: 1_000 };
    const samples = [good(T0 + 10_000, 1_004), good(T0 + 20_000, 2), good(T0 + 70_000, 9), bad(T0 + 80_000), good(T0 + 100_000, 12)];
    const { rows } = rollUp(samples, carry, T0, T0 + 2 * MINUTE_MS, counter);
    expect(rows.map((row) => row.increase)).toEqual([4 + 2, 7 + 3]);
  });
});

describe('states', () => {
  it('time in each state per minute, split where a state spans minutes', () => {
    const state = { kind: 'state' as const, periodMs: MINUTE_MS, maxHoldMs: 10 * MINUTE_MS };
    const { rows } = rollUp([good(T0, 1), good(T0 + 40_000, 2), good(T0 + 90_000, 1)], null, T0, T0 + 2 * MINUTE_MS, state);
    expect(Object.fromEntries(rows[0]!.states!)).toEqual({ 1: 40_000, 2: 20_000 });
    expect(Object.fromEntries(rows[1]!.states!)).toEqual({ 2: 30_000, 1: 30_000 });
  });
});

describe('mergeRows', () => {
  it('an hour from its minutes equals the hour rolled up from the samples', () => {
    const samples: RawSample[] = [];
    let value = 100;
    for (let ts = T0; ts < T0 + HOUR_MS; ts += 7_000 + (ts % 3) * 1_000) {
      value += ((ts / 1000) % 5) - 2;
      samples.push(good(ts, value));
    }
    for (const kind of ['analog', 'counter', 'state'] as const) {
      const options = { kind, maxHoldMs: 120_000 };
      const minutes = rollUp(samples, null, T0, T0 + HOUR_MS, { ...options, periodMs: MINUTE_MS }).rows;
      const hour = rollUp(samples, null, T0, T0 + HOUR_MS, { ...options, periodMs: HOUR_MS }).rows[0]!;
      const merged = mergeRows(T0, minutes, kind);
      expect({ ...merged, twa: null, sum: null, increase: null }).toEqual({ ...hour, twa: null, sum: null, increase: null });
      expect(merged.twa).toBeCloseTo(hour.twa!, 9);
      expect(merged.sum).toBeCloseTo(hour.sum!, 6);
      if (kind === 'counter') expect(merged.increase).toBeCloseTo(hour.increase!, 6);
    }
  });
});
