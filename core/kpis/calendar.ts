// The shift calendar in real time: which instants a period (shift, day, week, month) spans, which of
// them are planned production time, and what each period is called. Pure functions of the calendar
// and a PlantClock, which converts between instants and wall-clock time in the plant's time zone
// with Intl (daylight saving included: a wall time that does not exist — 02:30 on the spring change
// — is taken as the same time on the new clock, 03:30; one that happens twice, as its first time).
import { AppError, translate, type Locale } from '../../shared/index.ts';
import type { KpiPeriod } from '../../shared/contract/kpi-calls.ts';
import { clockMinutes, type Shift, type ShiftCalendar } from '../../shared/domain/calendar.ts';
import { LocalTime } from '../historian/export/local-time.ts';
import { normalise, subtract, intersect, type Interval } from './intervals.ts';

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
const DAY_MINUTES = 1440;
const QUARTER_MS = 15 * MINUTE_MS;

/** A local calendar date as days since 1970-01-01. */
export type LocalDay = number;

export function dayNumber(year: number, month: number, day: number): LocalDay {
  return Math.floor(Date.UTC(year, month - 1, day) / DAY_MS);
}

/** Year, month (1–12) and day of a local date. */
export function dateParts(day: LocalDay): { year: number; month: number; day: number } {
  const date = new Date(day * DAY_MS);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** ISO weekday: 1 Monday … 7 Sunday (1970-01-01 was a Thursday). */
export function weekday(day: LocalDay): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

const pad = (value: number) => String(value).padStart(2, '0');

/** 'YYYY-MM-DD'. */
export function formatDay(day: LocalDay): string {
  const { year, month, day: date } = dateParts(day);
  return `${year}-${pad(month)}-${pad(date)}`;
}

/** The ISO week (Monday first; week 1 holds the year's first Thursday) and its year. */
export function isoWeek(day: LocalDay): { year: number; week: number } {
  const thursday = day - weekday(day) + 4;
  const { year } = dateParts(thursday);
  return { year, week: Math.floor((thursday - dayNumber(year, 1, 1)) / 7) + 1 };
}

/** Wall-clock time in one time zone, to and from instants (ms since 1970 UTC). */
export class PlantClock {
  readonly timeZone: string;
  readonly #local: LocalTime;
  /** The offset of each quarter hour asked for so far (zones change their offset on a quarter hour at most). */
  readonly #quarters = new Map<number, number>();

  /** Throws AppError('invalid_input') for a zone this runtime does not know. */
  constructor(timeZone: string) {
    this.#local = new LocalTime(timeZone);
    this.timeZone = timeZone;
  }

  static readonly #shared = new Map<string, PlantClock>();

  /** One clock per zone, shared (it learns each quarter hour's offset once). */
  static of(timeZone: string): PlantClock {
    let clock = PlantClock.#shared.get(timeZone);
    if (!clock) {
      clock = new PlantClock(timeZone);
      if (PlantClock.#shared.size > 20) PlantClock.#shared.clear();
      PlantClock.#shared.set(timeZone, clock);
    }
    return clock;
  }

  offsetAt(ts: number): number {
    const quarter = Math.floor(ts / QUARTER_MS);
    const known = this.#quarters.get(quarter);
    if (known !== undefined) return known;
    const start = this.#local.offsetAt(quarter * QUARTER_MS);
    if (start !== this.#local.offsetAt(quarter * QUARTER_MS + QUARTER_MS - 1)) return this.#local.offsetAt(ts);
    if (this.#quarters.size > 100_000) this.#quarters.clear();
    this.#quarters.set(quarter, start);
    return start;
  }

  /** The local date and minute of the day at `ts`. */
  toLocal(ts: number): { day: LocalDay; minutes: number } {
    const wall = ts + this.offsetAt(ts);
    const day = Math.floor(wall / DAY_MS);
    return { day, minutes: (wall - day * DAY_MS) / MINUTE_MS };
  }

  /** The instant of a wall-clock time: `minutes` after the local midnight of `day` (may exceed a day). */
  toInstant(day: LocalDay, minutes: number): number {
    const wall = day * DAY_MS + minutes * MINUTE_MS;
    const before = this.offsetAt(wall - DAY_MS);
    const after = this.offsetAt(wall + DAY_MS);
    const early = wall - before;
    if (before === after) return early;
    const late = wall - after;
    const earlyFits = this.offsetAt(early) === before;
    const lateFits = this.offsetAt(late) === after;
    if (earlyFits && lateFits) return Math.min(early, late); // the clock went back: its first time
    if (lateFits) return late;
    return early; // the clock went forward over it, or it fits the offset before the change
  }
}

/** One shift as it happens: the shift, the local date it starts on, its span and its breaks. */
export interface ShiftOccurrence {
  shift: Shift;
  day: LocalDay;
  from: number;
  to: number;
  breaks: Interval[];
}

/** Minutes after the shift's start date's midnight at which a shift ends (over midnight: past 1440). */
function shiftEndMinutes(shift: Pick<Shift, 'start' | 'end'>): number {
  const start = clockMinutes(shift.start);
  const end = clockMinutes(shift.end);
  return end > start ? end : end + DAY_MINUTES;
}

/** A break's span in minutes after the shift's start date's midnight (on the second day when before the shift's start). */
export function breakMinutes(shift: Pick<Shift, 'start'>, breakTime: { start: string; end: string }): { from: number; to: number } {
  const shiftStart = clockMinutes(shift.start);
  let from = clockMinutes(breakTime.start);
  if (from < shiftStart) from += DAY_MINUTES;
  let to = clockMinutes(breakTime.end) + (from >= DAY_MINUTES ? DAY_MINUTES : 0);
  if (to <= from) to += DAY_MINUTES;
  return { from, to };
}

/** Parses 'YYYY-MM-DD'. */
export function parseDay(text: string): LocalDay {
  return dayNumber(Number(text.slice(0, 4)), Number(text.slice(5, 7)), Number(text.slice(8, 10)));
}

/** Parses 'YYYY-MM-DDTHH:MM' as an instant on the plant's clock. */
export function parseLocalDateTime(clock: PlantClock, text: string): number {
  return clock.toInstant(parseDay(text.slice(0, 10)), clockMinutes(text.slice(11, 16)));
}

/** Every shift occurrence that overlaps [from, to), in time order. */
export function shiftOccurrences(calendar: ShiftCalendar, clock: PlantClock, from: number, to: number): ShiftOccurrence[] {
  if (to <= from || calendar.shifts.length === 0) return [];
  const holidays = new Set(calendar.holidays.map((holiday) => parseDay(holiday.date)));
  // A shift started the day before `from` may still run; none lasts more than a day.
  const firstDay = clock.toLocal(from).day - 1;
  const lastDay = clock.toLocal(to).day;
  const occurrences: ShiftOccurrence[] = [];
  for (let day = firstDay; day <= lastDay; day++) {
    if (holidays.has(day)) continue;
    const dayOfWeek = weekday(day);
    for (const shift of calendar.shifts) {
      if (!shift.weekdays.includes(dayOfWeek)) continue;
      const start = clock.toInstant(day, clockMinutes(shift.start));
      const end = clock.toInstant(day, shiftEndMinutes(shift));
      if (end <= from || start >= to || end <= start) continue;
      const breaks = normalise(
        shift.breaks.map((breakTime) => {
          const span = breakMinutes(shift, breakTime);
          return { from: Math.max(start, clock.toInstant(day, span.from)), to: Math.min(end, clock.toInstant(day, span.to)) };
        }),
      );
      occurrences.push({ shift, day, from: start, to: end, breaks });
    }
  }
  return occurrences.sort((a, b) => a.from - b.from);
}

export interface PlannedTime {
  /** Planned production time: shifts minus breaks and planned downtime. */
  planned: Interval[];
  /** Planned stops: breaks and planned downtime that fall in shifts. */
  plannedStops: Interval[];
  /** The shifts' whole spans. */
  shifts: Interval[];
}

/**
 * The calendar over one range, worked out once (shift occurrences, breaks, downtime as instants) and
 * then asked per machine, whose planned downtime may differ.
 */
export class PlanView {
  readonly from: number;
  readonly to: number;
  readonly occurrences: ShiftOccurrence[];
  readonly shifts: Interval[];
  readonly #breaks: Interval[];
  readonly #downtime: { interval: Interval; machineIds: readonly string[] }[];
  readonly #byMachine = new Map<string, PlannedTime>();

  constructor(calendar: ShiftCalendar, clock: PlantClock, from: number, to: number) {
    this.from = from;
    this.to = to;
    this.occurrences = shiftOccurrences(calendar, clock, from, to);
    this.shifts = intersect(normalise(this.occurrences.map((occurrence) => ({ from: occurrence.from, to: occurrence.to }))), [{ from, to }]);
    this.#breaks = normalise(this.occurrences.flatMap((occurrence) => occurrence.breaks));
    this.#downtime = calendar.plannedDowntime
      .map((downtime) => ({
        interval: { from: parseLocalDateTime(clock, downtime.from), to: parseLocalDateTime(clock, downtime.to) },
        machineIds: downtime.machineIds,
      }))
      .filter(({ interval }) => interval.to > from && interval.from < to);
  }

  /** Planned time of a machine; without one, of the plant (planned downtime of some machines only is left out). */
  forMachine(machineId?: string): PlannedTime {
    const applies = this.#downtime.filter(({ machineIds }) => machineIds.length === 0 || (machineId !== undefined && machineIds.includes(machineId)));
    // Machines the same downtime applies to share one answer.
    const key = applies.map((downtime) => this.#downtime.indexOf(downtime)).join(',');
    let planned = this.#byMachine.get(key);
    if (!planned) {
      const downtime = applies.map(({ interval }) => interval);
      const stops = intersect(normalise([...this.#breaks, ...downtime]), this.shifts);
      planned = { planned: subtract(this.shifts, stops), plannedStops: stops, shifts: this.shifts };
      this.#byMachine.set(key, planned);
    }
    return planned;
  }
}

/** Planned production time and planned stops in [from, to) for a machine (or the plant). */
export function plannedTime(calendar: ShiftCalendar, clock: PlantClock, from: number, to: number, machineId?: string): PlannedTime {
  return new PlanView(calendar, clock, from, to).forMachine(machineId);
}

/** A period on the plant's calendar. */
export interface CalendarPeriod {
  kind: KpiPeriod;
  from: number;
  to: number;
  /** The production day it starts on. */
  day: LocalDay;
  /** For a shift: the shift. */
  shift?: Shift;
}

/** Where production day `day` begins. */
export function dayStartInstant(calendar: ShiftCalendar, clock: PlantClock, day: LocalDay): number {
  return clock.toInstant(day, clockMinutes(calendar.dayStart));
}

/** The production day an instant belongs to (a day begins at the calendar's day start). */
export function productionDay(calendar: ShiftCalendar, clock: PlantClock, at: number): LocalDay {
  const local = clock.toLocal(at);
  let day = local.day;
  if (local.minutes < clockMinutes(calendar.dayStart)) day--;
  // Around a clock change the wall-clock test can be off by the change; the instants decide.
  if (at < dayStartInstant(calendar, clock, day)) day--;
  else if (at >= dayStartInstant(calendar, clock, day + 1)) day++;
  return day;
}

/**
 * The period of `kind` that holds `at`. For a shift: the shift running at `at`, or else the last one
 * that ran before it (between shifts, or on a holiday, the figures are those of the last shift).
 */
export function periodAt(calendar: ShiftCalendar, clock: PlantClock, kind: KpiPeriod, at: number): CalendarPeriod {
  if (kind === 'shift') {
    const occurrences = shiftOccurrences(calendar, clock, at - 8 * DAY_MS, at + 1);
    const running = occurrences.find((occurrence) => occurrence.from <= at && at < occurrence.to);
    const chosen = running ?? occurrences.filter((occurrence) => occurrence.from <= at).at(-1);
    if (!chosen) {
      throw new AppError('not_found', 'error.noShift', { params: { time: `${formatDay(clock.toLocal(at).day)} (${clock.timeZone})` } });
    }
    return { kind, from: chosen.from, to: chosen.to, day: chosen.day, shift: chosen.shift };
  }
  const day = productionDay(calendar, clock, at);
  if (kind === 'day') return { kind, from: dayStartInstant(calendar, clock, day), to: dayStartInstant(calendar, clock, day + 1), day };
  if (kind === 'week') {
    const monday = day - (weekday(day) - 1);
    return { kind, from: dayStartInstant(calendar, clock, monday), to: dayStartInstant(calendar, clock, monday + 7), day: monday };
  }
  const { year, month } = dateParts(day);
  const first = dayNumber(year, month, 1);
  const next = dayNumber(year, month + 1, 1);
  return { kind, from: dayStartInstant(calendar, clock, first), to: dayStartInstant(calendar, clock, next), day: first };
}

/** The production days of a period, each with its span (a week has 7, a month 28 to 31). */
export function daysOf(calendar: ShiftCalendar, clock: PlantClock, period: Pick<CalendarPeriod, 'from' | 'to'>): CalendarPeriod[] {
  const days: CalendarPeriod[] = [];
  let day = productionDay(calendar, clock, period.from);
  let from = dayStartInstant(calendar, clock, day);
  while (from < period.to) {
    const to = dayStartInstant(calendar, clock, day + 1);
    days.push({ kind: 'day', from, to, day });
    day++;
    from = to;
  }
  return days;
}

/** What a period is called, in the user's language: "Day shift, 2026-05-04", "Week 19, 2026", "2026-05". */
export function periodLabel(period: CalendarPeriod, locale: Locale): string {
  switch (period.kind) {
    case 'shift':
      return translate(locale, 'kpis.period.shift', { shift: period.shift?.name || period.shift?.id || '', date: formatDay(period.day) });
    case 'day':
      return translate(locale, 'kpis.period.day', { date: formatDay(period.day) });
    case 'week': {
      const { year, week } = isoWeek(period.day);
      return translate(locale, 'kpis.period.week', { year, week });
    }
    default: {
      const { year, month } = dateParts(period.day);
      return translate(locale, 'kpis.period.month', { year, month: locale === 'en' ? pad(month) : month });
    }
  }
}

/**
 * Problems a calendar can have beyond its shape: an unknown time zone, two shifts with one id,
 * shifts that overlap, breaks outside their shift, planned downtime that ends before it starts.
 * Throws AppError('invalid_input') naming the first one.
 */
export function checkCalendar(calendar: ShiftCalendar, hostTimeZone: string): void {
  const clock = new PlantClock(calendar.timeZone ?? hostTimeZone);
  const ids = new Set<string>();
  for (const shift of calendar.shifts) {
    if (ids.has(shift.id)) throw new AppError('invalid_input', 'error.calendarShiftDuplicate', { params: { shift: shift.id } });
    ids.add(shift.id);
    const end = shiftEndMinutes(shift);
    const start = clockMinutes(shift.start);
    for (const breakTime of shift.breaks) {
      const span = breakMinutes(shift, breakTime);
      if (span.from < start || span.to > end) {
        throw new AppError('invalid_input', 'error.calendarBreakOutside', {
          params: { shift: shift.name || shift.id, start: breakTime.start, end: breakTime.end, shiftStart: shift.start, shiftEnd: shift.end },
        });
      }
    }
  }
  // Two weeks of wall-clock time hold every weekday's shifts and the nights between them.
  const utc = new PlantClock('UTC');
  const occurrences = shiftOccurrences({ ...calendar, holidays: [], plannedDowntime: [] }, utc, dayNumber(2024, 1, 1) * DAY_MS, dayNumber(2024, 1, 15) * DAY_MS);
  for (let index = 1; index < occurrences.length; index++) {
    const previous = occurrences[index - 1]!;
    const current = occurrences[index]!;
    if (current.from < previous.to) {
      throw new AppError('invalid_input', 'error.calendarShiftsOverlap', {
        params: { first: previous.shift.name || previous.shift.id, second: current.shift.name || current.shift.id },
      });
    }
  }
  for (const downtime of calendar.plannedDowntime) {
    if (parseLocalDateTime(clock, downtime.to) <= parseLocalDateTime(clock, downtime.from)) {
      throw new AppError('invalid_input', 'error.calendarDowntimeOrder', { params: { from: downtime.from.replace('T', ' '), to: downtime.to.replace('T', ' ') } });
    }
  }
}
