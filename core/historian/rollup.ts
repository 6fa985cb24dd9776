// Minute and hour summaries of one point's samples, the inputs of charts over long ranges and of
// OEE and energy KPIs. Pure: samples in, rows out (core/historian/maintenance.ts stores them).
//
// The historian stores a value when it changes, so a value holds from its sample until the next
// one — but not past a bad or stale sample (the device stopped answering), and not for longer than
// `maxHoldMs` (the app was off). From that held signal each period gets:
// - count, sum, first and last of the samples in it, min and max of the signal (the value held in
//   from the period before counts: it was the signal then);
// - the time-weighted average over the time the signal was known (`coveredMs`), which is what an
//   average of a sample-on-change series means;
// - for counters, the increase: the sum of the steps between good samples, where a step down is a
//   register rollover (from near the top of its range to near zero) or else a reset to zero, after
//   which the counter counted up to its new value;
// - for states, the time spent in each value.
import type { PointKind } from '../../shared/index.ts';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;

/** Quality code of a good sample (core/historian/sample-writer.ts). */
const GOOD = 0;

/** A stored sample; `value` NaN when there is none. */
export interface RawSample {
  ts: number;
  value: number;
  quality: number;
}

/** What one period's summary carries into the next: the last sample, and the last good value (a counter's base). */
export interface RollupCarry {
  ts: number;
  quality: number;
  /** Last good value seen, at any time (NaN: none yet). */
  lastGood: number;
}

export interface RollupRow {
  /** Start of the period. */
  ts: number;
  count: number;
  min: number | null;
  max: number | null;
  first: number | null;
  last: number | null;
  sum: number | null;
  /** Time-weighted average over the covered time; null when the signal was never known in the period. */
  twa: number | null;
  coveredMs: number;
  /** Counters only: how much the counter rose in the period. */
  increase: number | null;
  /** States only: ms spent in each state value. */
  states: Map<number, number> | null;
}

export interface RollupOptions {
  kind: PointKind;
  periodMs: number;
  /** Longest a value holds without a newer sample. */
  maxHoldMs: number;
  /** For counters in a register that wraps: the scaled value at which it rolls over to 0. */
  wrap?: number;
}

/** Where a counter's count went when it stepped from `previous` to `next`. */
export function counterIncrease(previous: number, next: number, wrap?: number): number {
  if (next >= previous) return next - previous;
  if (wrap !== undefined && previous >= wrap * 0.9 && next < wrap * 0.1) return wrap - previous + next;
  return Math.max(0, next);
}

function emptyRow(ts: number, kind: PointKind): RollupRow {
  return {
    ts,
    count: 0,
    min: null,
    max: null,
    first: null,
    last: null,
    sum: null,
    twa: null,
    coveredMs: 0,
    increase: kind === 'counter' ? 0 : null,
    states: kind === 'state' ? new Map() : null,
  };
}

/**
 * Summaries of the periods in [from, until) (both multiples of periodMs), given the point's samples
 * in that range in time order and what the summary before `from` carried. Periods in which the
 * signal was never known and no sample arrived get no row. Returns the rows and the new carry.
 */
export function rollUp(
  samples: readonly RawSample[],
  carry: RollupCarry | null,
  from: number,
  until: number,
  options: RollupOptions,
): { rows: RollupRow[]; carry: RollupCarry | null } {
  const { kind, periodMs, maxHoldMs, wrap } = options;
  const rows = new Map<number, RollupRow>();
  const rowAt = (periodStart: number) => {
    let row = rows.get(periodStart);
    if (!row) {
      row = emptyRow(periodStart, kind);
      rows.set(periodStart, row);
    }
    return row;
  };
  const periodOf = (ts: number) => Math.floor(ts / periodMs) * periodMs;

  /** Spreads a value held over [start, end) across the periods it spans. */
  const hold = (value: number, start: number, end: number) => {
    let at = Math.max(start, from);
    const stop = Math.min(end, until);
    while (at < stop) {
      const periodStart = periodOf(at);
      const spanEnd = Math.min(stop, periodStart + periodMs);
      const ms = spanEnd - at;
      const row = rowAt(periodStart);
      row.twa = ((row.twa ?? 0) * row.coveredMs + value * ms) / (row.coveredMs + ms);
      row.coveredMs += ms;
      if (row.min === null || value < row.min) row.min = value;
      if (row.max === null || value > row.max) row.max = value;
      if (row.states) row.states.set(value, (row.states.get(value) ?? 0) + ms);
      at = spanEnd;
    }
  };

  let heldValue = carry && carry.quality === GOOD && !Number.isNaN(carry.lastGood) ? carry.lastGood : Number.NaN;
  let heldSince = carry?.ts ?? from;
  let lastGood = carry?.lastGood ?? Number.NaN;
  let last: RawSample | null = null;
  for (const sample of samples) {
    if (sample.ts < from || sample.ts >= until) continue;
    if (!Number.isNaN(heldValue)) hold(heldValue, heldSince, Math.min(sample.ts, heldSince + maxHoldMs));
    const good = sample.quality === GOOD && !Number.isNaN(sample.value);
    const row = rowAt(periodOf(sample.ts));
    if (good) {
      const value = sample.value;
      row.count++;
      row.sum = (row.sum ?? 0) + value;
      if (row.first === null) row.first = value;
      row.last = value;
      if (row.min === null || value < row.min) row.min = value;
      if (row.max === null || value > row.max) row.max = value;
      if (row.increase !== null && !Number.isNaN(lastGood)) row.increase += counterIncrease(lastGood, value, wrap);
      lastGood = value;
    }
    heldValue = good ? sample.value : Number.NaN;
    heldSince = sample.ts;
    last = sample;
  }
  if (!Number.isNaN(heldValue)) hold(heldValue, heldSince, Math.min(until, heldSince + maxHoldMs));

  const nextCarry: RollupCarry | null = last
    ? { ts: last.ts, quality: last.quality, lastGood }
    : carry && { ...carry, lastGood };
  const ordered = [...rows.values()].sort((a, b) => a.ts - b.ts);
  return { rows: ordered, carry: nextCarry };
}

/** One coarser summary (an hour) from the finer ones (its minutes) inside it, in time order. */
export function mergeRows(ts: number, parts: readonly RollupRow[], kind: PointKind): RollupRow {
  const row = emptyRow(ts, kind);
  let weighted = 0;
  for (const part of parts) {
    row.count += part.count;
    if (part.sum !== null) row.sum = (row.sum ?? 0) + part.sum;
    if (part.min !== null && (row.min === null || part.min < row.min)) row.min = part.min;
    if (part.max !== null && (row.max === null || part.max > row.max)) row.max = part.max;
    if (row.first === null) row.first = part.first;
    if (part.last !== null) row.last = part.last;
    if (part.twa !== null) weighted += part.twa * part.coveredMs;
    row.coveredMs += part.coveredMs;
    if (row.increase !== null && part.increase !== null) row.increase += part.increase;
    if (row.states && part.states) for (const [state, ms] of part.states) row.states.set(state, (row.states.get(state) ?? 0) + ms);
  }
  row.twa = row.coveredMs > 0 ? weighted / row.coveredMs : null;
  return row;
}

/** The value a chart draws for a summary: its time-weighted average, else the plain average of its samples. */
export function rowAverage(row: Pick<RollupRow, 'twa' | 'sum' | 'count'>): number | null {
  if (row.twa !== null) return row.twa;
  return row.count > 0 && row.sum !== null ? row.sum / row.count : null;
}
