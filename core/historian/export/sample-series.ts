// One point's stored history over a range, read a chunk at a time for an export: the raw samples, or
// the average of each minute or hour computed in SQL. Each chunk is one short query (an index range
// scan that continues after the last row read), run to its end at once: no query stays open while the
// export waits for the disk or yields to polling, so the connection stays free for everyone else and no
// read snapshot holds the WAL back. Rows sit in typed arrays, so a chunk costs a few kilobytes.
import type Database from 'better-sqlite3';
import type { Db } from '../../storage/database.ts';

/** Quality codes as stored: 0 good, 1 stale, 2 bad. */
export const QUALITY_BAD = 2;

export interface Bucketing {
  /** Bucket width, ms (60 000 for a minute). */
  widthMs: number;
  /** A bucket boundary at or before the range start (a local minute or hour). */
  originMs: number;
}

/** The prepared statements every series of one database shares. */
export class SeriesQueries {
  readonly count: Database.Statement;
  readonly raw: Database.Statement;
  readonly bucketed: Database.Statement;
  readonly nextTime: Database.Statement;

  constructor(db: Db) {
    this.count = db.prepare('SELECT count(*) FROM samples WHERE point = ? AND ts >= ? AND ts <= ?').pluck();
    this.raw = db.prepare('SELECT ts, value, quality FROM samples WHERE point = ? AND ts > ? AND ts <= ? ORDER BY ts LIMIT ?').raw();
    // better-sqlite3 binds JavaScript numbers as REAL: without the CAST every row is its own bucket.
    // Bad samples do not count towards the average; a bucket with nothing usable is a bad (empty) one.
    this.bucketed = db
      .prepare(
        `SELECT CAST((ts - @origin) / @width AS INTEGER) AS bucket,
                avg(CASE WHEN quality < ${QUALITY_BAD} THEN value END),
                max(CASE WHEN quality < ${QUALITY_BAD} AND value IS NOT NULL THEN quality END),
                count(*)
         FROM samples WHERE point = @point AND ts >= @start AND ts < @end
         GROUP BY bucket ORDER BY bucket`,
      )
      .raw();
    this.nextTime = db.prepare('SELECT ts FROM samples WHERE point = ? AND ts >= ? AND ts <= ? ORDER BY ts LIMIT 1').pluck();
  }
}

/**
 * A cursor over one point's rows in time order. `hasRow()` reads the next chunk when the current one
 * is used up; `samplesConsumed` counts the stored samples behind the rows passed so far (for progress).
 */
export class PointSeries {
  readonly #queries: SeriesQueries;
  readonly #point: number;
  readonly #from: number;
  readonly #to: number;
  readonly #chunkRows: number;
  readonly #bucketing: Bucketing | undefined;
  readonly #ts: Float64Array;
  /** NaN where the stored value is null (or the bucket has no usable value). */
  readonly #value: Float64Array;
  readonly #quality: Uint8Array;
  /** Stored samples behind each row: 1 for raw rows, the bucket's sample count otherwise. */
  readonly #weight: Float64Array;
  #length = 0;
  #at = 0;
  #exhausted = false;
  /** Raw: the last time read. Bucketed: the start of the next window to read. */
  #cursor: number;
  samplesConsumed = 0;

  constructor(queries: SeriesQueries, point: number, range: { from: number; to: number }, chunkRows: number, bucketing?: Bucketing) {
    this.#queries = queries;
    this.#point = point;
    this.#from = range.from;
    this.#to = range.to;
    this.#chunkRows = chunkRows;
    this.#bucketing = bucketing;
    this.#ts = new Float64Array(chunkRows);
    this.#value = new Float64Array(chunkRows);
    this.#quality = new Uint8Array(chunkRows);
    this.#weight = new Float64Array(chunkRows);
    this.#cursor = bucketing ? bucketing.originMs : range.from - 1;
  }

  /** Stored samples of this point from `start` to `end` (both included). */
  countSamples(start: number, end: number): number {
    return this.#queries.count.get(this.#point, start, end) as number;
  }

  /** Whether there is a current row (reading the next chunk if needed). */
  hasRow(): boolean {
    if (this.#at < this.#length) return true;
    if (this.#exhausted) return false;
    if (this.#bucketing) this.#readBuckets(this.#bucketing);
    else this.#readRaw();
    return this.#at < this.#length;
  }

  get ts(): number {
    return this.#ts[this.#at]!;
  }

  /** The value, or null when there is none. */
  get value(): number | null {
    const value = this.#value[this.#at]!;
    return Number.isNaN(value) ? null : value;
  }

  get quality(): number {
    return this.#quality[this.#at]!;
  }

  next(): void {
    this.samplesConsumed += this.#weight[this.#at]!;
    this.#at++;
  }

  #readRaw(): void {
    this.#at = 0;
    this.#length = 0;
    for (const row of this.#queries.raw.iterate(this.#point, this.#cursor, this.#to, this.#chunkRows) as IterableIterator<[number, number | null, number]>) {
      this.#put(row[0], row[1], row[2], 1);
    }
    if (this.#length < this.#chunkRows) this.#exhausted = true;
    if (this.#length > 0) this.#cursor = this.#ts[this.#length - 1]!;
  }

  #readBuckets({ widthMs, originMs }: Bucketing): void {
    this.#at = 0;
    this.#length = 0;
    while (this.#length === 0) {
      const windowStart = this.#cursor;
      if (windowStart > this.#to) {
        this.#exhausted = true;
        return;
      }
      // A window holds at most chunkRows buckets, so it fits the arrays whatever the sample rate.
      const windowEnd = Math.min(windowStart + this.#chunkRows * widthMs, this.#to + 1);
      const parameters = { origin: originMs, width: widthMs, point: this.#point, start: Math.max(windowStart, this.#from), end: windowEnd };
      for (const row of this.#queries.bucketed.iterate(parameters) as IterableIterator<[number, number | null, number | null, number]>) {
        const [bucket, average, quality, samples] = row;
        this.#put(originMs + bucket * widthMs, quality === null ? null : average, quality ?? QUALITY_BAD, samples);
      }
      this.#cursor = windowEnd;
      if (this.#length === 0) {
        // Nothing stored in this window: jump to the window of the next stored sample, if any.
        const next = this.#queries.nextTime.get(this.#point, windowEnd, this.#to) as number | undefined;
        if (next === undefined) {
          this.#exhausted = true;
          return;
        }
        this.#cursor = originMs + Math.floor((next - originMs) / widthMs) * widthMs;
      }
    }
  }

  #put(ts: number, value: number | null, quality: number, weight: number): void {
    const at = this.#length++;
    this.#ts[at] = ts;
    this.#value[at] = value ?? Number.NaN;
    this.#quality[at] = quality;
    this.#weight[at] = weight;
  }
}
