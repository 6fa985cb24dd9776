// Stored samples of one point over a range, as about `maxPoints` chart points: the raw samples when
// there are few enough, else one point per time bucket with its average, minimum and maximum, so a
// spike stays visible however far the chart is zoomed out.
import type { TrendPoint } from '../../shared/index.ts';
import type { Db } from '../storage/database.ts';

export interface TrendQuery {
  num: number;
  from: number;
  to: number;
  maxPoints: number;
}

export class TrendReader {
  readonly #count;
  readonly #raw;
  readonly #bucketed;

  constructor(db: Db) {
    this.#count = db.prepare('SELECT count(*) AS n FROM samples WHERE point = ? AND ts >= ? AND ts <= ?').pluck();
    this.#raw = db
      .prepare('SELECT ts, value FROM samples WHERE point = ? AND ts >= ? AND ts <= ? ORDER BY ts')
      .raw();
    // better-sqlite3 binds JavaScript numbers as REAL: without the CAST every row is its own bucket.
    this.#bucketed = db
      .prepare(
        `SELECT CAST((ts - @from) / @bucketMs AS INTEGER) AS bucket, avg(value), min(value), max(value)
         FROM samples WHERE point = @num AND ts >= @from AND ts <= @to
         GROUP BY bucket ORDER BY bucket`,
      )
      .raw();
  }

  read(query: TrendQuery): { bucketMs: number; points: TrendPoint[] } {
    const { num, from, to, maxPoints } = query;
    const count = this.#count.get(num, from, to) as number;
    if (count <= maxPoints) {
      const rows = this.#raw.all(num, from, to) as [number, number | null][];
      return { bucketMs: 0, points: rows.map(([ts, value]) => [ts, value, value, value]) };
    }
    const bucketMs = Math.max(1, Math.ceil((to - from + 1) / maxPoints));
    const rows = this.#bucketed.all({ num, from, to, bucketMs }) as [number, number | null, number | null, number | null][];
    return {
      bucketMs,
      points: rows.map(([bucket, avg, min, max]) => [from + bucket * bucketMs, avg, min, max]),
    };
  }
}
