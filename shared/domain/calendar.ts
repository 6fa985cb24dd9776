// The plant's shift calendar: which shifts run on which weekdays, their breaks, the holidays and the
// planned downtime, in the plant's time zone. Planned production time — the base of OEE availability —
// is the shifts minus breaks, holidays and planned downtime. Stored as one settings document
// ('kpis.calendar'); times are wall-clock times in the plant's zone, so a shift stays 08:00–20:00
// across a daylight-saving change (and lasts 11 or 13 hours that day).
import { z } from 'zod';
import { translate, type Locale } from '../i18n/index.ts';

/** Where the calendar is kept in the settings table. */
export const CALENDAR_SETTINGS_KEY = 'kpis.calendar';

/** A wall-clock time of day, 'HH:MM' (00:00–23:59). */
export const CLOCK_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;
export const LOCAL_DATE_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
export const LOCAL_DATE_TIME_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d$/;

const clock = z.string().regex(CLOCK_PATTERN, 'Use a time of day as HH:MM, for example 08:00');
const localDate = z.string().regex(LOCAL_DATE_PATTERN, 'Use a date as YYYY-MM-DD, for example 2026-10-01');
const localDateTime = z.string().regex(LOCAL_DATE_TIME_PATTERN, 'Use a local date and time as YYYY-MM-DDTHH:MM, for example 2026-05-04T13:00');

/** ISO weekdays: 1 Monday … 7 Sunday (weeks start on Monday). */
export const ALL_WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

/** Minutes since midnight of an 'HH:MM' time. */
export function clockMinutes(clockTime: string): number {
  return Number(clockTime.slice(0, 2)) * 60 + Number(clockTime.slice(3, 5));
}

export const ShiftBreakSchema = z.object({
  /** Wall-clock start; a time before the shift's start is on the shift's second day (a night shift). */
  start: clock,
  end: clock,
  name: z.string().max(60).default(''),
});
export type ShiftBreak = z.infer<typeof ShiftBreakSchema>;

export const ShiftSchema = z.object({
  id: z.string().min(1).max(32).regex(/^[A-Za-z0-9_-]+$/, 'Use letters, digits, "_" and "-" only'),
  /** What people call it ("白班", "Night shift"); shown in period labels. */
  name: z.string().max(60),
  start: clock,
  /** At or before `start`: the shift ends the next day (20:00–08:00); equal to `start`: it lasts 24 hours. */
  end: clock,
  /** The weekdays on which the shift starts (1 Monday … 7 Sunday). */
  weekdays: z.array(z.number().int().min(1).max(7)).min(1).max(7).default([...ALL_WEEKDAYS]),
  breaks: z.array(ShiftBreakSchema).max(10).default([]),
});
export type Shift = z.infer<typeof ShiftSchema>;

export const HolidaySchema = z.object({
  /** No shift starting on this date runs. */
  date: localDate,
  name: z.string().max(60).default(''),
});
export type Holiday = z.infer<typeof HolidaySchema>;

export const PlannedDowntimeSchema = z.object({
  /** Local wall-clock start and end, 'YYYY-MM-DDTHH:MM'. */
  from: localDateTime,
  to: localDateTime,
  /** A stop reason code (shared/domain/machines.ts), 'plannedMaintenance' unless said otherwise. */
  reason: z.string().min(1).max(32).default('plannedMaintenance'),
  note: z.string().max(200).default(''),
  /** The machines it stops; empty: the whole plant. */
  machineIds: z.array(z.string().min(1).max(64)).max(200).default([]),
});
export type PlannedDowntime = z.infer<typeof PlannedDowntimeSchema>;

export const ShiftCalendarSchema = z.object({
  /** IANA zone name (Asia/Shanghai); null: the plant PC's own zone. */
  timeZone: z.string().min(1).max(64).nullable().default(null),
  /** When a production day (and so a week and a month) begins, on the wall clock. */
  dayStart: clock.default('00:00'),
  shifts: z.array(ShiftSchema).max(12),
  holidays: z.array(HolidaySchema).max(500).default([]),
  plannedDowntime: z.array(PlannedDowntimeSchema).max(2000).default([]),
});
export type ShiftCalendar = z.infer<typeof ShiftCalendarSchema>;
export type ShiftCalendarInput = z.input<typeof ShiftCalendarSchema>;

/** Two 12-hour shifts every day (08:00–20:00 and 20:00–08:00), each with a 30-minute meal break; no holidays. */
export function defaultShiftCalendar(locale: Locale): ShiftCalendar {
  const meal = translate(locale, 'kpis.break.meal');
  return {
    timeZone: null,
    dayStart: '00:00',
    shifts: [
      { id: 'day', name: translate(locale, 'kpis.shift.day'), start: '08:00', end: '20:00', weekdays: [...ALL_WEEKDAYS], breaks: [{ start: '12:00', end: '12:30', name: meal }] },
      { id: 'night', name: translate(locale, 'kpis.shift.night'), start: '20:00', end: '08:00', weekdays: [...ALL_WEEKDAYS], breaks: [{ start: '00:00', end: '00:30', name: meal }] },
    ],
    holidays: [],
    plannedDowntime: [],
  };
}
