import { describe, expect, it } from 'vitest';
import { formatDuration, shownResolutions } from './resolution.ts';

const line = (resolution: 'raw' | '1m' | '1h', bucketMs: number, points = 1) => ({
  resolution,
  bucketMs,
  points: Array.from({ length: points }, (_, index): [number, number, number, number] => [index, 1, 1, 1]),
});

describe('resolution on screen', () => {
  it('names the form of the history and how wide a chart point is when averaged further', () => {
    expect(shownResolutions([line('raw', 0), line('raw', 0)])).toEqual([{ resolution: 'raw', perMs: null }]);
    expect(shownResolutions([line('raw', 36_000)])).toEqual([{ resolution: 'raw', perMs: 36_000 }]);
    expect(shownResolutions([line('1m', 60_000)])).toEqual([{ resolution: '1m', perMs: null }]);
    expect(shownResolutions([line('1h', 3_600_000), line('1m', 600_000)])).toEqual([
      { resolution: '1m', perMs: 600_000 },
      { resolution: '1h', perMs: null },
    ]);
  });

  it('leaves out lines with nothing to show', () => {
    expect(shownResolutions([line('1h', 3_600_000, 0)])).toEqual([]);
  });

  it('writes durations in a readable unit', () => {
    expect(formatDuration(36_000, 'en')).toBe('36 sec');
    expect(formatDuration(600_000, 'en')).toBe('10 min');
    expect(formatDuration(3 * 3_600_000, 'en')).toBe('3 hr');
    expect(formatDuration(2 * 86_400_000, 'en')).toBe('2 days');
    expect(formatDuration(600_000, 'zh-CN')).toContain('10');
  });
});
