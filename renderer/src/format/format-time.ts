// Times as a plant manager reads them: a 24-hour clock for "updated", and "12 seconds ago" for the
// last good read of a device.

const clockFormats = new Map<string, Intl.DateTimeFormat>();

/** Local wall-clock time, 24-hour, with seconds: "14:03:21". */
export function formatClock(ts: number, locale: string): string {
  let format = clockFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    clockFormats.set(locale, format);
  }
  return format.format(ts);
}

const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();

/**
 * How long ago `ts` was, in words of `locale`; under 3 s reads as "now" so a value read every second
 * does not flicker between "now" and "1 second ago".
 * @example formatAgo(now - 90_000, now, 'en') // → '1 minute ago'
 */
export function formatAgo(ts: number, now: number, locale: string): string {
  let format = relativeFormats.get(locale);
  if (!format) {
    format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: locale.startsWith('zh') ? 'short' : 'long' });
    relativeFormats.set(locale, format);
  }
  const seconds = Math.max(0, Math.floor((now - ts) / 1000));
  if (seconds < 3) return format.format(0, 'second');
  if (seconds < 60) return format.format(-seconds, 'second');
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return format.format(-minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return format.format(-hours, 'hour');
  return format.format(-Math.floor(hours / 24), 'day');
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** Date and 24-hour time with seconds, for logs: "2026/1/15 14:03:21" (in the locale's order). */
export function formatDateTime(ts: number, locale: string): string {
  let format = dateTimeFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    dateTimeFormats.set(locale, format);
  }
  return format.format(ts);
}
