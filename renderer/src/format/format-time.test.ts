import { describe, expect, it } from 'vitest';
import { formatAgo, formatClock, formatDateTime } from './format-time.ts';

describe('time formatting', () => {
  const now = Date.UTC(2026, 0, 15, 8, 0, 0);

  it('says "now" for the last second or two, then counts up', () => {
    expect(formatAgo(now - 1500, now, 'en')).toBe('now');
    expect(formatAgo(now - 12_000, now, 'en')).toBe('12 seconds ago');
    expect(formatAgo(now - 90_000, now, 'en')).toBe('1 minute ago');
    expect(formatAgo(now - 3 * 3600_000, now, 'en')).toBe('3 hours ago');
    expect(formatAgo(now - 12_000, now, 'zh-CN')).toBe('12秒前');
  });

  it('never shows a time in the future as "in 2 seconds"', () => {
    expect(formatAgo(now + 2000, now, 'en')).toBe('now');
  });

  it('shows a 24-hour clock with seconds', () => {
    expect(formatClock(new Date(2026, 0, 15, 14, 3, 21).getTime(), 'en')).toBe('14:03:21');
    expect(formatClock(new Date(2026, 0, 15, 9, 5, 7).getTime(), 'zh-CN')).toBe('09:05:07');
  });

  it('shows a date and time for logs', () => {
    const ts = new Date(2026, 0, 15, 14, 3, 21).getTime();
    expect(formatDateTime(ts, 'zh-CN')).toBe('2026/01/15 14:03:21');
    expect(formatDateTime(ts, 'en')).toContain('14:03:21');
    expect(formatDateTime(ts, 'en')).toContain('2026');
  });
});
