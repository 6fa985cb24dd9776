// Wall-clock time in a chosen IANA time zone, for export files: 'YYYY-MM-DD HH:mm:ss.SSS' text for
// CSV, and the same wall-clock time as an Excel date. Intl.DateTimeFormat knows the zone's rules
// (daylight saving included), but asking it for every row of a million-row export costs seconds, so
// the zone's UTC offset is asked at both ends of each quarter hour and reused in between when they
// agree (no zone changes its offset twice within fifteen minutes); a quarter whose two ends disagree
// holds a change, and is asked row by row.
import { AppError } from '../../../shared/index.ts';

const QUARTER_HOUR_MS = 15 * 60_000;

/** The plant PC's own time zone (what the user sees on the taskbar clock). */
export function hostTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Whether `timeZone` is an IANA zone name this runtime knows (case as given is accepted). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Throws the user-facing error for an unknown zone name. */
export function checkTimeZone(timeZone: string): string {
  if (!isValidTimeZone(timeZone)) throw new AppError('invalid_input', 'error.timeZoneUnknown', { params: { timeZone } });
  return timeZone;
}

const pad2 = (value: number) => (value < 10 ? `0${value}` : String(value));
const pad3 = (value: number) => (value < 10 ? `00${value}` : value < 100 ? `0${value}` : String(value));

/**
 * Converts instants (ms since 1970, UTC) to wall-clock time in one time zone.
 * @example new LocalTime('Asia/Shanghai').format(Date.UTC(2026, 4, 4, 0, 0, 0, 5)) // '2026-05-04 08:00:00.005'
 */
export class LocalTime {
  readonly timeZone: string;
  readonly #parts: Intl.DateTimeFormat;
  #quarter = Number.NaN;
  /** Offset (ms) valid for the whole cached quarter hour, or NaN when it changes inside it. */
  #quarterOffset = Number.NaN;

  constructor(timeZone: string) {
    this.timeZone = checkTimeZone(timeZone);
    this.#parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  }

  /** The zone's offset from UTC at `ts`, in ms (Berlin in summer: +7 200 000). */
  offsetAt(ts: number): number {
    const quarter = Math.floor(ts / QUARTER_HOUR_MS);
    if (quarter !== this.#quarter) {
      this.#quarter = quarter;
      const start = quarter * QUARTER_HOUR_MS;
      const atStart = this.#askOffset(start);
      this.#quarterOffset = atStart === this.#askOffset(start + QUARTER_HOUR_MS - 1) ? atStart : Number.NaN;
    }
    return Number.isNaN(this.#quarterOffset) ? this.#askOffset(ts) : this.#quarterOffset;
  }

  /** `ts` as 'YYYY-MM-DD HH:mm:ss.SSS' in the zone. */
  format(ts: number): string {
    const wall = new Date(ts + this.offsetAt(ts));
    return (
      `${wall.getUTCFullYear()}-${pad2(wall.getUTCMonth() + 1)}-${pad2(wall.getUTCDate())} ` +
      `${pad2(wall.getUTCHours())}:${pad2(wall.getUTCMinutes())}:${pad2(wall.getUTCSeconds())}.${pad3(wall.getUTCMilliseconds())}`
    );
  }

  /**
   * The wall-clock time as a Date whose UTC fields are the local ones: what an Excel cell needs,
   * since Excel dates carry no time zone and exceljs writes a Date's UTC fields.
   */
  excelDate(ts: number): Date {
    return new Date(ts + this.offsetAt(ts));
  }

  /** Start of the local minute or hour containing `ts` (for buckets that begin on the local clock). */
  startOfLocal(ts: number, unitMs: number): number {
    const offset = this.offsetAt(ts);
    return Math.floor((ts + offset) / unitMs) * unitMs - offset;
  }

  #askOffset(ts: number): number {
    const whole = Math.floor(ts / 1000) * 1000;
    const fields: Record<string, number> = {};
    for (const part of this.#parts.formatToParts(whole)) {
      if (part.type !== 'literal') fields[part.type] = Number(part.value);
    }
    const asUtc = Date.UTC(fields.year!, fields.month! - 1, fields.day!, fields.hour!, fields.minute!, fields.second!);
    return asUtc - whole;
  }
}
