import { describe, expect, it } from 'vitest';
import type { Sample } from '../../../shared/domain/devices.ts';
import { appendLiveSamples, hasHistory, lineFromSeries, longestLine, type HistoryLine, type HistoryLines } from './trend-series.ts';

const sample = (pointId: string, ts: number, value: Sample['value'], quality: Sample['quality'] = 'good'): Sample => ({ pointId, ts, value, quality });
const raw = (points: HistoryLine['points']): HistoryLine => ({ resolution: 'raw', bucketMs: 0, points, tailCount: 0 });

describe('history lines', () => {
  it('reads a series, raw when the core does not say', () => {
    expect(lineFromSeries({ bucketMs: 0, points: [[1, 2, 2, 2]] })).toEqual({ resolution: 'raw', bucketMs: 0, points: [[1, 2, 2, 2]], tailCount: 0 });
    expect(lineFromSeries({ resolution: '1h', bucketMs: 3_600_000, points: [] }).resolution).toBe('1h');
    expect(lineFromSeries(undefined)).toEqual(raw([]));
  });

  it('appends newer live samples to raw lines, ignoring older ones and other points', () => {
    const lines: HistoryLines = { a: raw([[1000, 1, 1, 1]]), b: raw([[1000, 5, 5, 5]]) };
    const next = appendLiveSamples(lines, [sample('a', 1000, 9), sample('a', 3000, 3), sample('a', 2000, 2), sample('c', 2000, 7)]);
    expect(next.a!.points).toEqual([
      [1000, 1, 1, 1],
      [2000, 2, 2, 2],
      [3000, 3, 3, 3],
    ]);
    expect(next.b).toBe(lines.b);
    expect(next).not.toHaveProperty('c');
    expect(appendLiveSamples(lines, [sample('a', 500, 1)])).toBe(lines);
  });

  it('turns a bad read or a text value into a gap', () => {
    const next = appendLiveSamples({ a: raw([]) }, [sample('a', 1, 5, 'bad'), sample('a', 2, 'on')]);
    expect(next.a!.points).toEqual([
      [1, null, null, null],
      [2, null, null, null],
    ]);
  });

  it('folds live samples into buckets on the historian grid, keeping average, minimum and maximum', () => {
    const bucketed: HistoryLine = { resolution: '1m', bucketMs: 60_000, points: [[0, 10, 8, 12]], tailCount: 0 };
    const next = appendLiveSamples({ a: bucketed }, [sample('a', 30_000, 20), sample('a', 70_000, 1), sample('a', 80_000, 3), sample('a', 200_000, 100)]);
    expect(next.a!.points).toEqual([
      [0, 15, 8, 20],
      [60_000, 2, 1, 3],
      [180_000, 100, 100, 100],
    ]);
    expect(next.a!.tailCount).toBe(1);
  });

  it('ignores a bad read inside a bucket that has values, and fills a bucket that had none', () => {
    const bucketed: HistoryLine = { resolution: 'raw', bucketMs: 1000, points: [[0, 4, 4, 4]], tailCount: 1 };
    const next = appendLiveSamples({ a: bucketed }, [sample('a', 100, null, 'bad'), sample('a', 1100, null, 'bad'), sample('a', 1200, 6)]);
    expect(next.a!.points).toEqual([
      [0, 4, 4, 4],
      [1000, 6, 6, 6],
    ]);
  });

  it('drops what slid out of the range, keeping what is still drawn at its start', () => {
    const lines: HistoryLines = {
      a: raw([
        [1000, 1, 1, 1],
        [2000, 2, 2, 2],
        [3000, 3, 3, 3],
      ]),
      b: { resolution: '1m', bucketMs: 60_000, points: [[0, 1, 1, 1], [60_000, 2, 2, 2]], tailCount: 0 },
    };
    const next = appendLiveSamples(lines, [], 2500);
    // The sample before the start holds until the next one: the line enters from the edge.
    expect(next.a!.points).toEqual([
      [2000, 2, 2, 2],
      [3000, 3, 3, 3],
    ]);
    expect(next.b!.points).toHaveLength(2);
    expect(appendLiveSamples(lines, [], 61_000).b!.points).toEqual([[60_000, 2, 2, 2]]);
  });

  it('tells whether anything can be drawn and how long the longest line is', () => {
    expect(hasHistory({ a: raw([[1, null, null, null]]) })).toBe(false);
    expect(hasHistory({ a: raw([[1, null, null, null]]), b: raw([[1, 0, 0, 0]]) })).toBe(true);
    expect(longestLine({ a: raw([[1, 0, 0, 0]]), b: raw([]) })).toBe(1);
    expect(longestLine({})).toBe(0);
  });
});
