// Local time in export files: the wall clock of the chosen zone, daylight saving included, to the
// millisecond; the cached offsets must never disagree with asking Intl row by row.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/index.ts';
import { LocalTime } from './local-time.ts';

/** What Intl itself says, the slow way: the reference the cache is checked against. */
function reference(timeZone: string, ts: number): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      fractionalSecondDigits: 3,
    })
      .formatToParts(ts)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}.${parts.fractionalSecond}`;
}

describe('local time', () => {
  it('Asia/Shanghai is eight hours ahead of UTC all year, milliseconds kept', () => {
    const shanghai = new LocalTime('Asia/Shanghai');
    expect(shanghai.format(Date.UTC(2026, 4, 4, 0, 0, 0, 5))).toBe('2026-05-04 08:00:00.005');
    expect(shanghai.format(Date.UTC(2026, 0, 15, 16, 30, 0, 999))).toBe('2026-01-16 00:30:00.999');
  });

  it('Europe/Berlin skips from 02:00 to 03:00 on 29 March 2026', () => {
    const berlin = new LocalTime('Europe/Berlin');
    expect(berlin.format(Date.UTC(2026, 2, 29, 0, 59, 59, 999))).toBe('2026-03-29 01:59:59.999');
    expect(berlin.format(Date.UTC(2026, 2, 29, 1, 0, 0, 0))).toBe('2026-03-29 03:00:00.000');
    expect(berlin.offsetAt(Date.UTC(2026, 2, 29, 0, 59))).toBe(3_600_000);
    expect(berlin.offsetAt(Date.UTC(2026, 2, 29, 1, 0))).toBe(7_200_000);
  });

  it('Europe/Berlin goes through 02:00–03:00 twice on 25 October 2026 (summer time, then winter time)', () => {
    const berlin = new LocalTime('Europe/Berlin');
    expect(berlin.format(Date.UTC(2026, 9, 25, 0, 30))).toBe('2026-10-25 02:30:00.000');
    expect(berlin.format(Date.UTC(2026, 9, 25, 0, 59, 59, 999))).toBe('2026-10-25 02:59:59.999');
    expect(berlin.format(Date.UTC(2026, 9, 25, 1, 0))).toBe('2026-10-25 02:00:00.000');
    expect(berlin.format(Date.UTC(2026, 9, 25, 1, 30))).toBe('2026-10-25 02:30:00.000');
  });

  it('gives an Excel date whose UTC fields are the wall-clock time', () => {
    const date = new LocalTime('Asia/Shanghai').excelDate(Date.UTC(2026, 4, 4, 0, 0, 1, 250));
    expect(date.toISOString()).toBe('2026-05-04T08:00:01.250Z');
  });

  it('starts hours on the local clock, also in a half-hour zone', () => {
    const kolkata = new LocalTime('Asia/Kolkata');
    // 10:47:12 in Kolkata is 05:17:12 UTC; its hour began at 10:00 local, 04:30 UTC.
    expect(kolkata.startOfLocal(Date.UTC(2026, 4, 4, 5, 17, 12), 3_600_000)).toBe(Date.UTC(2026, 4, 4, 4, 30));
    expect(new LocalTime('UTC').startOfLocal(Date.UTC(2026, 4, 4, 5, 17, 12), 60_000)).toBe(Date.UTC(2026, 4, 4, 5, 17));
  });

  it('agrees with Intl row by row, across every change of offset, in zones with odd offsets', () => {
    const zones = ['Europe/Berlin', 'Asia/Shanghai', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns', 'Pacific/Chatham'];
    const formatters = new Map(zones.map((zone) => [zone, new LocalTime(zone)]));
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: 0, max: Date.UTC(2100, 0, 1) }), (zone, ts) => {
        expect(formatters.get(zone)!.format(ts)).toBe(reference(zone, ts));
      }),
      { numRuns: 5000 },
    );
    // Every second around Berlin's and Lord Howe's (half-hour) changes in 2026.
    for (const [zone, around] of [
      ['Europe/Berlin', Date.UTC(2026, 2, 29, 1)],
      ['Europe/Berlin', Date.UTC(2026, 9, 25, 1)],
      ['Australia/Lord_Howe', Date.UTC(2026, 3, 4, 15)],
    ] as const) {
      const local = new LocalTime(zone);
      for (let ts = around - 1_800_000; ts <= around + 1_800_000; ts += 1000) expect(local.format(ts)).toBe(reference(zone, ts));
    }
  });

  it('refuses an unknown zone with a sentence naming it', () => {
    expect(() => new LocalTime('Mars/Olympus_Mons')).toThrow(AppError);
    try {
      new LocalTime('Mars/Olympus_Mons');
    } catch (error) {
      expect((error as AppError).code).toBe('invalid_input');
      expect((error as AppError).toBody('en').message).toContain('Mars/Olympus_Mons');
    }
  });
});
