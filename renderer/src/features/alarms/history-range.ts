// The history's time ranges, and the browser's datetime-local inputs read and written in local time.
export const HISTORY_RANGES = ['1h', '24h', '7d', '30d', 'custom'] as const;
export type HistoryRange = (typeof HISTORY_RANGES)[number];

const SPAN_MS: Record<Exclude<HistoryRange, 'custom'>, number> = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 };

/** A preset range ending now. */
export function historyRange(range: Exclude<HistoryRange, 'custom'>, now: number): { from: number; to: number } {
  return { from: now - SPAN_MS[range], to: now };
}

const pad = (value: number) => String(value).padStart(2, '0');

/** A time as a datetime-local input's value ("2026-05-04T14:05"), in local time. */
export function localInputValue(ts: number): string {
  const date = new Date(ts);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A datetime-local input's value as a time; null when it is empty or not a time. */
export function parseLocalInput(value: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => (part === undefined ? 0 : Number(part))) as number[];
  const ts = new Date(year!, month! - 1, day!, hour!, minute!, second!).getTime();
  return Number.isFinite(ts) ? ts : null;
}
