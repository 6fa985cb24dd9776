// The time ranges of the Trends page: last hour, this shift, today, last 24 hours, last 7 days, or a
// custom from/to. All in the local time of the screen; pure functions of "now", so they are tested
// without a clock.

export const RANGE_PRESETS = ['lastHour', 'shift', 'today', 'last24h', 'last7d', 'custom'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

export interface TimeRange {
  from: number;
  to: number;
}

/** A range the user typed: from a time, to a time or (to: null) until now. */
export interface CustomRange {
  from: number;
  to: number | null;
}

export interface ResolvedRange extends TimeRange {
  /** The range ends now and moves on with the clock: live samples are appended to the chart. */
  live: boolean;
  /**
   * A start that stays put while time passes (the shift's or the day's start): when it changes, the
   * history is read again. Null for ranges that slide with the clock (last hour, …) and custom ones.
   */
  anchor: number | null;
}

export type ShiftName = 'day' | 'night';

export interface Shift {
  name: ShiftName;
  start: number;
  end: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const DAY_SHIFT_START_HOUR = 8;
const NIGHT_SHIFT_START_HOUR = 20;

/**
 * The shift `ts` falls in. Until the shift calendar of a later issue exists, every day has two:
 * day 08:00–20:00 and night 20:00–08:00 (over midnight), local time. This is the one place that
 * knows it; the calendar replaces this function.
 * @example shiftAt(new Date(2026, 0, 15, 3, 0).getTime()) // → night shift, 14 Jan 20:00 to 15 Jan 08:00
 */
export function shiftAt(ts: number): Shift {
  const date = new Date(ts);
  const [year, month, day, hour] = [date.getFullYear(), date.getMonth(), date.getDate(), date.getHours()];
  // new Date(y, m, d, h) keeps the wall-clock hour across a daylight-saving change.
  const at = (dayOffset: number, atHour: number) => new Date(year, month, day + dayOffset, atHour).getTime();
  if (hour >= DAY_SHIFT_START_HOUR && hour < NIGHT_SHIFT_START_HOUR) {
    return { name: 'day', start: at(0, DAY_SHIFT_START_HOUR), end: at(0, NIGHT_SHIFT_START_HOUR) };
  }
  if (hour >= NIGHT_SHIFT_START_HOUR) return { name: 'night', start: at(0, NIGHT_SHIFT_START_HOUR), end: at(1, DAY_SHIFT_START_HOUR) };
  return { name: 'night', start: at(-1, NIGHT_SHIFT_START_HOUR), end: at(0, DAY_SHIFT_START_HOUR) };
}

/** Local midnight at the start of the day of `ts`. */
export function startOfLocalDay(ts: number): number {
  const date = new Date(ts);
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

/** Shortest range the chart shows: a range that just began (a shift at 08:00:01) still has a width. */
export const MIN_RANGE_MS = 60_000;

/**
 * The from/to of a preset at `now`. Every preset but custom ends now and follows live. A custom
 * range is taken as given (ordered, at least a minute wide); one until now, or ending in the future,
 * follows live.
 * @example resolveRange('lastHour', now) // → { from: now - 3_600_000, to: now, live: true, anchor: null }
 */
export function resolveRange(preset: RangePreset, now: number, custom?: CustomRange | null, shiftOf: (ts: number) => Shift = shiftAt): ResolvedRange {
  const sliding = (spanMs: number): ResolvedRange => ({ from: now - spanMs, to: now, live: true, anchor: null });
  const anchored = (start: number): ResolvedRange => ({ from: Math.min(start, now - MIN_RANGE_MS), to: now, live: true, anchor: start });
  switch (preset) {
    case 'lastHour':
      return sliding(HOUR_MS);
    case 'last24h':
      return sliding(DAY_MS);
    case 'last7d':
      return sliding(7 * DAY_MS);
    case 'shift':
      return anchored(shiftOf(now).start);
    case 'today':
      return anchored(startOfLocalDay(now));
    case 'custom': {
      if (!custom) return sliding(HOUR_MS);
      if (custom.to === null) return anchored(custom.from);
      const from = Math.min(custom.from, custom.to);
      const to = Math.max(custom.from, custom.to, from + MIN_RANGE_MS);
      if (to >= now) return { from, to: Math.max(now, from + MIN_RANGE_MS), live: true, anchor: from };
      return { from, to, live: false, anchor: null };
    }
  }
}

/**
 * A value for <input type="datetime-local"> (local time, to the minute): "2026-01-15T08:00".
 */
export function toLocalInput(ts: number): string {
  const date = new Date(ts);
  const two = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}T${two(date.getHours())}:${two(date.getMinutes())}`;
}

/** The time of a datetime-local value, or null when it is empty or not a time. */
export function fromLocalInput(text: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0));
  const date = new Date(year!, month! - 1, day!, hour!, minute!, second ?? 0);
  // 2026-02-31 would roll over into March: not a date the user meant.
  if (date.getMonth() !== month! - 1 || date.getDate() !== day!) return null;
  return date.getTime();
}
