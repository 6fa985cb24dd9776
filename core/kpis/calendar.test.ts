// The shift calendar in real time: shifts over midnight, breaks, holidays, planned downtime, periods
// (Monday-first weeks, month ends, a production day that starts at 06:00), in a zone without daylight
// saving (Asia/Shanghai) and one with it (Europe/Berlin), where days last 23 or 25 hours.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/index.ts';
import { defaultShiftCalendar, ShiftCalendarSchema, type ShiftCalendar, type ShiftCalendarInput } from '../../shared/domain/calendar.ts';
import { checkCalendar, daysOf, formatDay, isoWeek, parseDay, periodAt, periodLabel, plannedTime, PlantClock, shiftOccurrences } from './calendar.ts';
import { total } from './intervals.ts';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const shanghai = new PlantClock('Asia/Shanghai');
const berlin = new PlantClock('Europe/Berlin');
/** An instant given as Shanghai wall-clock time (UTC+8). */
const cst = (year: number, month: number, day: number, hour = 0, minute = 0) => Date.UTC(year, month - 1, day, hour - 8, minute);
const calendar = (input: Partial<ShiftCalendarInput> = {}): ShiftCalendar => ShiftCalendarSchema.parse({ ...defaultShiftCalendar('en'), ...input });
const iso = (ts: number) => new Date(ts).toISOString();

describe('PlantClock', () => {
  it('converts wall-clock time to instants in a zone without daylight saving', () => {
    expect(shanghai.toInstant(parseDay('2026-05-04'), 8 * 60)).toBe(cst(2026, 5, 4, 8));
    // Minutes past the day run into the next one.
    expect(shanghai.toInstant(parseDay('2026-05-04'), 24 * 60 + 30)).toBe(cst(2026, 5, 5, 0, 30));
    expect(shanghai.toLocal(cst(2026, 5, 4, 23, 59))).toEqual({ day: parseDay('2026-05-04'), minutes: 23 * 60 + 59 });
  });

  it('takes a time skipped by the spring change on the new clock, and a repeated one at its first time', () => {
    // Berlin, 2026-03-29: 02:00 CET → 03:00 CEST. 02:30 does not exist: it is 03:30 CEST = 01:30 UTC.
    expect(iso(berlin.toInstant(parseDay('2026-03-29'), 2 * 60 + 30))).toBe('2026-03-29T01:30:00.000Z');
    expect(iso(berlin.toInstant(parseDay('2026-03-29'), 3 * 60))).toBe('2026-03-29T01:00:00.000Z');
    // 2026-10-25: 03:00 CEST → 02:00 CET. 02:30 happens twice; the first is 00:30 UTC.
    expect(iso(berlin.toInstant(parseDay('2026-10-25'), 2 * 60 + 30))).toBe('2026-10-25T00:30:00.000Z');
    expect(iso(berlin.toInstant(parseDay('2026-10-25'), 8 * 60))).toBe('2026-10-25T07:00:00.000Z');
  });
});

describe('shifts', () => {
  it('runs the night shift over midnight, with its meal break after midnight', () => {
    const shifts = shiftOccurrences(calendar(), shanghai, cst(2026, 5, 4), cst(2026, 5, 5));
    expect(shifts.map((shift) => [shift.shift.id, iso(shift.from), iso(shift.to)])).toEqual([
      // The night shift of 3 May runs until 08:00 on the 4th.
      ['night', iso(cst(2026, 5, 3, 20)), iso(cst(2026, 5, 4, 8))],
      ['day', iso(cst(2026, 5, 4, 8)), iso(cst(2026, 5, 4, 20))],
      ['night', iso(cst(2026, 5, 4, 20)), iso(cst(2026, 5, 5, 8))],
    ]);
    expect(shifts[2]!.breaks).toEqual([{ from: cst(2026, 5, 5, 0), to: cst(2026, 5, 5, 0, 30) }]);
    expect(shifts[1]!.breaks).toEqual([{ from: cst(2026, 5, 4, 12), to: cst(2026, 5, 4, 12, 30) }]);
  });

  it('plans 23 hours a day: 24 hours of shifts minus two 30-minute breaks', () => {
    const day = plannedTime(calendar(), shanghai, cst(2026, 5, 4), cst(2026, 5, 5));
    expect(total(day.shifts)).toBe(24 * HOUR);
    expect(total(day.planned)).toBe(23 * HOUR);
    expect(total(day.plannedStops)).toBe(HOUR);
  });

  it('leaves out shifts starting on a holiday (the night shift of the eve still ends on it)', () => {
    const withHoliday = calendar({ holidays: [{ date: '2026-10-01', name: 'National Day' }] });
    const shifts = shiftOccurrences(withHoliday, shanghai, cst(2026, 10, 1), cst(2026, 10, 2));
    expect(shifts.map((shift) => [shift.shift.id, formatDay(shift.day)])).toEqual([['night', '2026-09-30']]);
    expect(total(plannedTime(withHoliday, shanghai, cst(2026, 10, 1), cst(2026, 10, 2)).planned)).toBe(7.5 * HOUR);
  });

  it('runs shifts only on their weekdays', () => {
    const weekdaysOnly = calendar({
      shifts: [{ id: 'day', name: 'Day', start: '08:00', end: '17:00', weekdays: [1, 2, 3, 4, 5], breaks: [{ start: '12:00', end: '13:00' }] }],
    });
    const week = periodAt(weekdaysOnly, shanghai, 'week', cst(2026, 5, 6, 10));
    expect(total(plannedTime(weekdaysOnly, shanghai, week.from, week.to).planned)).toBe(5 * 8 * HOUR);
  });

  it('takes planned downtime out of planned time, for the machines it names only', () => {
    const withDowntime = calendar({
      plannedDowntime: [
        { from: '2026-05-04T14:00', to: '2026-05-04T16:00', reason: 'plannedMaintenance', machineIds: ['cnc'] },
        // Reaching into a break counts once.
        { from: '2026-05-04T11:30', to: '2026-05-04T12:15', machineIds: [] },
      ],
    });
    const cnc = plannedTime(withDowntime, shanghai, cst(2026, 5, 4, 8), cst(2026, 5, 4, 20), 'cnc');
    const other = plannedTime(withDowntime, shanghai, cst(2026, 5, 4, 8), cst(2026, 5, 4, 20), 'imm');
    expect(total(cnc.planned)).toBe(12 * HOUR - 2 * HOUR - HOUR);
    expect(total(cnc.plannedStops)).toBe(3 * HOUR);
    expect(total(other.planned)).toBe(12 * HOUR - HOUR);
  });

  it('gives a night shift 11 hours on the spring change and 13 on the autumn one, and the days 23 and 25 hours', () => {
    const berlinCalendar = calendar({ timeZone: 'Europe/Berlin' });
    const spring = shiftOccurrences(berlinCalendar, berlin, Date.UTC(2026, 2, 29, 0), Date.UTC(2026, 2, 29, 5));
    expect(spring.map((shift) => (shift.to - shift.from) / HOUR)).toEqual([11]);
    const autumn = shiftOccurrences(berlinCalendar, berlin, Date.UTC(2026, 9, 25, 0), Date.UTC(2026, 9, 25, 5));
    expect(autumn.map((shift) => (shift.to - shift.from) / HOUR)).toEqual([13]);
    const springDay = periodAt(berlinCalendar, berlin, 'day', Date.UTC(2026, 2, 29, 12));
    expect((springDay.to - springDay.from) / HOUR).toBe(23);
    expect(iso(springDay.from)).toBe('2026-03-28T23:00:00.000Z');
    const autumnDay = periodAt(berlinCalendar, berlin, 'day', Date.UTC(2026, 9, 25, 12));
    expect((autumnDay.to - autumnDay.from) / HOUR).toBe(25);
    // Planned time follows the real hours: 25 h of shifts minus the two breaks.
    expect(total(plannedTime(berlinCalendar, berlin, autumnDay.from, autumnDay.to).planned)).toBe(24 * HOUR);
  });
});

describe('periods', () => {
  const plant = calendar();

  it('finds the shift running at an instant, and the last one between shifts', () => {
    const night = periodAt(plant, shanghai, 'shift', cst(2026, 5, 5, 3));
    expect([iso(night.from), iso(night.to), formatDay(night.day)]).toEqual([iso(cst(2026, 5, 4, 20)), iso(cst(2026, 5, 5, 8)), '2026-05-04']);
    expect(periodLabel(night, 'en')).toBe('Night shift, 2026-05-04');
    expect(periodLabel(night, 'zh-CN')).toBe('2026-05-04 Night shift');
    // A shift begins at its start: 20:00 is the night shift.
    expect(periodAt(plant, shanghai, 'shift', cst(2026, 5, 4, 20)).shift?.id).toBe('night');
    const weekdays = calendar({ shifts: [{ id: 'day', name: 'Day', start: '08:00', end: '17:00', weekdays: [1, 2, 3, 4, 5] }] });
    // Sunday noon: the last shift was Friday's.
    const last = periodAt(weekdays, shanghai, 'shift', cst(2026, 5, 10, 12));
    expect(formatDay(last.day)).toBe('2026-05-08');
    expect(() => periodAt(calendar({ shifts: [] }), shanghai, 'shift', cst(2026, 5, 10))).toThrow(AppError);
  });

  it('has days, Monday-first weeks and months, with month and year ends', () => {
    const day = periodAt(plant, shanghai, 'day', cst(2026, 5, 4, 23, 59));
    expect([iso(day.from), iso(day.to)]).toEqual([iso(cst(2026, 5, 4)), iso(cst(2026, 5, 5))]);
    const week = periodAt(plant, shanghai, 'week', cst(2026, 5, 10, 23)); // a Sunday
    expect([formatDay(week.day), iso(week.to)]).toEqual(['2026-05-04', iso(cst(2026, 5, 11))]);
    expect(periodLabel(week, 'en')).toBe('Week 19, 2026');
    expect(periodLabel(week, 'zh-CN')).toBe('2026 年第 19 周');
    const january = periodAt(plant, shanghai, 'month', cst(2026, 1, 31, 23, 59));
    expect([iso(january.from), iso(january.to)]).toEqual([iso(cst(2026, 1, 1)), iso(cst(2026, 2, 1))]);
    const february = periodAt(plant, shanghai, 'month', cst(2028, 2, 29, 12));
    expect((february.to - february.from) / (24 * HOUR)).toBe(29);
    const december = periodAt(plant, shanghai, 'month', cst(2026, 12, 31, 12));
    expect([iso(december.to), periodLabel(december, 'en'), periodLabel(december, 'zh-CN')]).toEqual([iso(cst(2027, 1, 1)), '2026-12', '2026 年 12 月']);
    // The week of 1 January 2026 (a Thursday) is week 1 of 2026 and starts in 2025.
    const newYear = periodAt(plant, shanghai, 'week', cst(2026, 1, 1, 12));
    expect([formatDay(newYear.day), isoWeek(newYear.day)]).toEqual(['2025-12-29', { year: 2026, week: 1 }]);
    expect(isoWeek(parseDay('2027-01-01'))).toEqual({ year: 2026, week: 53 });
    expect(daysOf(plant, shanghai, january)).toHaveLength(31);
  });

  it('starts production days at the calendar day start', () => {
    const early = calendar({ dayStart: '06:00' });
    const day = periodAt(early, shanghai, 'day', cst(2026, 5, 5, 5, 59));
    expect([formatDay(day.day), iso(day.from), iso(day.to)]).toEqual(['2026-05-04', iso(cst(2026, 5, 4, 6)), iso(cst(2026, 5, 5, 6))]);
    const month = periodAt(early, shanghai, 'month', cst(2026, 6, 1, 5));
    expect([iso(month.from), iso(month.to)]).toEqual([iso(cst(2026, 5, 1, 6)), iso(cst(2026, 6, 1, 6))]);
  });

  it('has a Berlin week of 167 hours in spring', () => {
    const berlinCalendar = calendar({ timeZone: 'Europe/Berlin' });
    const week = periodAt(berlinCalendar, berlin, 'week', Date.UTC(2026, 2, 27, 12));
    expect((week.to - week.from) / HOUR).toBe(167);
    expect(daysOf(berlinCalendar, berlin, week).map((day) => (day.to - day.from) / HOUR)).toEqual([24, 24, 24, 24, 24, 24, 23]);
  });
});

describe('checkCalendar', () => {
  const problem = (input: Partial<ShiftCalendarInput>): [string, string] | null => {
    try {
      checkCalendar(calendar(input), 'Asia/Shanghai');
      return null;
    } catch (error) {
      if (error instanceof AppError) return [error.key, error.message];
      throw error;
    }
  };

  it('accepts the default calendar', () => {
    expect(problem({})).toBeNull();
  });

  it('refuses overlapping shifts, breaks outside their shift, duplicate ids, unknown zones and backwards downtime', () => {
    expect(problem({ shifts: [{ id: 'a', name: 'A', start: '06:00', end: '18:00' }, { id: 'b', name: 'B', start: '17:00', end: '05:00' }] })?.[0]).toBe(
      'error.calendarShiftsOverlap',
    );
    // Over midnight into the next weekday's shift.
    expect(
      problem({ shifts: [{ id: 'a', name: 'A', start: '08:00', end: '20:00', weekdays: [2] }, { id: 'b', name: 'B', start: '22:00', end: '09:00', weekdays: [1] }] })?.[0],
    ).toBe('error.calendarShiftsOverlap');
    expect(problem({ shifts: [{ id: 'a', name: 'Day', start: '08:00', end: '20:00', breaks: [{ start: '19:30', end: '20:30' }] }] })).toEqual([
      'error.calendarBreakOutside',
      'The break 19:30–20:30 of the shift "Day" is not inside the shift (08:00–20:00). Move the break into the shift.',
    ]);
    expect(problem({ shifts: [{ id: 'a', name: 'A', start: '08:00', end: '12:00' }, { id: 'a', name: 'B', start: '13:00', end: '17:00' }] })?.[0]).toBe(
      'error.calendarShiftDuplicate',
    );
    expect(problem({ timeZone: 'Mars/Olympus' })?.[0]).toBe('error.timeZoneUnknown');
    expect(problem({ plannedDowntime: [{ from: '2026-05-04T10:00', to: '2026-05-04T09:00' }] })?.[0]).toBe('error.calendarDowntimeOrder');
  });

  it('accepts back-to-back shifts and a 24-hour shift', () => {
    expect(problem({ shifts: [{ id: 'a', name: 'A', start: '06:00', end: '14:00' }, { id: 'b', name: 'B', start: '14:00', end: '22:00' }, { id: 'c', name: 'C', start: '22:00', end: '06:00' }] })).toBeNull();
    expect(problem({ shifts: [{ id: 'all', name: 'All day', start: '07:00', end: '07:00' }] })).toBeNull();
    const allDay = calendar({ shifts: [{ id: 'all', name: 'All day', start: '07:00', end: '07:00' }] });
    expect(total(plannedTime(allDay, shanghai, cst(2026, 5, 4), cst(2026, 5, 5)).planned)).toBe(24 * HOUR);
    expect(MINUTE).toBe(60_000);
  });
});
