// Trend queries against a real SQLite file: raw samples when they fit the chart, else time buckets
// whose average, minimum and maximum are right — a spike must survive being zoomed out.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TrendPoint } from '../../shared/index.ts';
import { silentLogger } from '../host.ts';
import { openDatabase, type Db } from '../storage/database.ts';
import { makeTempDir, removeDir } from '../test-support.ts';
import { SampleWriter } from './sample-writer.ts';
import { TrendReader } from './trend-query.ts';

const T0 = Date.UTC(2026, 4, 4, 8, 0, 0);
const POINT = 7;

let dataDir: string;
let db: Db;

beforeEach(() => {
  dataDir = makeTempDir();
  db = openDatabase(dataDir);
});

afterEach(() => {
  db.close();
  removeDir(dataDir);
});

/** Stores rows directly, as the writer would: quality 2 (bad) for nulls. */
function store(rows: readonly [ts: number, value: number | null][], point = POINT): void {
  const insert = db.prepare('INSERT INTO samples (point, ts, value, quality) VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    for (const [ts, value] of rows) insert.run(point, ts, value, value === null ? 2 : 0);
  })();
}

describe('raw samples', () => {
  it('returns the samples themselves (value = avg = min = max) when they fit, in time order, range ends included', () => {
    store([
      [T0 + 2000, 3],
      [T0, 1],
      [T0 + 1000, 2],
      [T0 + 3000, 4],
    ]);
    store([[T0 + 1000, 99]], POINT + 1);
    const result = new TrendReader(db).read({ num: POINT, from: T0, to: T0 + 2000, maxPoints: 10 });
    expect(result).toEqual({
      resolution: 'raw',
      bucketMs: 0,
      points: [
        [T0, 1, 1, 1],
        [T0 + 1000, 2, 2, 2],
        [T0 + 2000, 3, 3, 3],
      ],
    });
  });

  it('a gap (bad quality) stays a null in the raw series, so the chart breaks the line', () => {
    store([
      [T0, 5],
      [T0 + 1000, null],
      [T0 + 2000, 6],
    ]);
    const { points } = new TrendReader(db).read({ num: POINT, from: T0, to: T0 + 2000, maxPoints: 10 });
    expect(points[1]).toEqual([T0 + 1000, null, null, null]);
  });

  it('an empty range is an empty series', () => {
    expect(new TrendReader(db).read({ num: POINT, from: T0, to: T0 + 60_000, maxPoints: 10 })).toEqual({ resolution: 'raw', bucketMs: 0, points: [] });
  });
});

describe('buckets', () => {
  it('a day of one-second samples comes back as at most maxPoints buckets of whole minutes, each really grouping many rows', () => {
    const rows: [number, number][] = Array.from({ length: 86_400 }, (_, second) => [T0 + second * 1000, second % 100]);
    store(rows);
    const from = T0;
    const to = T0 + 86_400_000 - 1;
    const { resolution, bucketMs, points } = new TrendReader(db).read({ num: POINT, from, to, maxPoints: 600 });
    // A day is minutes' work: 1440 minutes into at most 600 points gives buckets of 3 minutes.
    expect(resolution).toBe('1m');
    expect(bucketMs).toBe(180_000);
    expect(points).toHaveLength(480);
    for (const [index, [ts, avg, min, max]] of points.entries()) {
      expect(ts).toBe(from + index * bucketMs);
      expect(Number.isInteger(ts)).toBe(true);
      // 180 samples per bucket, covering 0..99 at least once: a bucket of one row would have min = max.
      expect(min).toBe(0);
      expect(max).toBe(99);
      expect(avg).toBeGreaterThan(40);
      expect(avg).toBeLessThan(60);
    }
  });

  it('avg, min and max are right on hand data', () => {
    // from = T0, to = T0 + 3999, maxPoints 2 → buckets of 2000 ms: [T0, T0+2000) and [T0+2000, T0+4000).
    store([
      [T0, 10],
      [T0 + 500, 20],
      [T0 + 1999, 60],
      [T0 + 2000, -5],
      [T0 + 3999, 5],
    ]);
    const result = new TrendReader(db).read({ num: POINT, from: T0, to: T0 + 3999, maxPoints: 2 });
    expect(result.bucketMs).toBe(2000);
    expect(result.points).toEqual([
      [T0, 30, 10, 60],
      [T0 + 2000, 0, -5, 5],
    ]);
  });

  it('a one-sample spike among hundreds of flat samples keeps its maximum in its bucket', () => {
    const rows: [number, number][] = Array.from({ length: 1000 }, (_, index) => [T0 + index * 1000, 50]);
    rows[437] = [T0 + 437_000, 950];
    store(rows);
    const { resolution, bucketMs, points } = new TrendReader(db).read({ num: POINT, from: T0, to: T0 + 999_999, maxPoints: 40 });
    expect(resolution).toBe('raw');
    expect(bucketMs).toBe(25_000);
    expect(points).toHaveLength(40);
    const spikeBucket = points[17]!;
    expect(spikeBucket).toEqual([T0 + 425_000, 50 + 900 / 25, 50, 950]);
    for (const [index, point] of points.entries()) if (index !== 17) expect(point.slice(1)).toEqual([50, 50, 50]);
  });

  it('a bucket of only bad-quality samples has null avg, min and max; nulls elsewhere do not drag an average down', () => {
    store([
      [T0, 10],
      [T0 + 1000, null],
      [T0 + 2000, 20],
      [T0 + 10_000, null],
      [T0 + 11_000, null],
      [T0 + 12_000, null],
      [T0 + 20_000, 7],
    ]);
    const result = new TrendReader(db).read({ num: POINT, from: T0, to: T0 + 29_999, maxPoints: 3 });
    expect(result.bucketMs).toBe(10_000);
    const expected: TrendPoint[] = [
      [T0, 15, 10, 20],
      [T0 + 10_000, null, null, null],
      [T0 + 20_000, 7, 7, 7],
    ];
    expect(result.points).toEqual(expected);
  });

  it('a bucket with no samples at all is left out (the chart shows a gap)', () => {
    const rows: [number, number][] = [];
    for (let index = 0; index < 20; index++) rows.push([T0 + index * 100, 1], [T0 + 90_000 + index * 100, 2]);
    store(rows);
    const { points } = new TrendReader(db).read({ num: POINT, from: T0, to: T0 + 99_999, maxPoints: 10 });
    expect(points.map(([ts, avg]) => [ts - T0, avg])).toEqual([
      [0, 1],
      [90_000, 2],
    ]);
  });

  it('works on what the writer stored: deadband-filtered samples bucketed by the hour', () => {
    const writer = new SampleWriter(db, (id) => (id === 'kw' ? { num: POINT, deadband: 0 } : undefined), silentLogger, {
      flushIntervalMs: 0,
    });
    for (let minute = 0; minute < 180; minute++) {
      const hour = Math.floor(minute / 60);
      writer.append([{ pointId: 'kw', ts: T0 + minute * 60_000, value: hour * 10 + (minute % 2), quality: 'good' }]);
    }
    writer.close();
    const { bucketMs, points } = new TrendReader(db).read({ num: POINT, from: T0, to: T0 + 3 * 3_600_000 - 1, maxPoints: 3 });
    expect(bucketMs).toBe(3_600_000);
    expect(points).toEqual([
      [T0, 0.5, 0, 1],
      [T0 + 3_600_000, 10.5, 10, 11],
      [T0 + 7_200_000, 20.5, 20, 21],
    ]);
  });
});
