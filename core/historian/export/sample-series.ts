// One point's stored history over a range, read a chunk at a time for an export: the raw samples
// (compressed blocks and plain rows alike, through RawReader), or the average of each minute or hour,
// from the 1-minute rollups and, for the newest minutes not rolled up yet, the raw samples. Each chunk
// is a few short queries run to their end at once: no query stays open while the export waits for the
// disk or yields to polling, so the connection stays free for everyone else and no read snapshot holds
// the WAL back. Rows sit in typed arrays, so a chunk costs a few kilobytes.
import type { Db } from '../../storage/database.ts';
import { RawReader } from '../raw-reader.ts';
import { HOUR_MS, MINUTE_MS } from '../rollup.ts';

/** Quality codes as stored: 0 good, 1 stale, 2 bad. */
export const QUALITY_BAD = 2;

export interface Bucketing {
  /** Bucket width, ms (60 000 for a minute). */
  widthMs: number;
  /** A bucket boundary at or before the range start (a local minute or hour). */
  originMs: number;
}

/** The readers and statements every series of one database shares. */
export class SeriesQueries {
  readonly raw: RawReader;
  readonly minutes;
  readonly minutesDone;
  readonly nextMinute;

  constructor(db: Db) {
    this.raw = new RawReader(db);
    this.minutes = db
      .prepare(`SELECT ts, count, sum FROM rollups WHERE resolution = ${MINUTE_MS} AND point = ? AND ts >= ? AND ts < ? AND count > 0 ORDER BY ts`)
      .raw();
    this.minutesDone = db.prepare<[number], number>('SELECT minute_done FROM rollup_progress WHERE point = ?').pluck();
    this.nextMinute = db
      .prepare<[number, number, number], number>(`SELECT ts FROM rollups WHERE resolution = ${MINUTE_MS} AND point = ? AND ts >= ? AND ts < ? AND count > 0 ORDER BY ts LIMIT 1`)
      .pluck();
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
    return this.#queries.raw.estimate(this.#point, start, end);
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
    // An hour at a time (a block's span), continuing after the last sample taken.
    while (this.#length === 0 && this.#cursor < this.#to) {
      const windowEnd = Math.min(this.#cursor + HOUR_MS, this.#to);
      for (const sample of this.#queries.raw.read(this.#point, this.#cursor + 1, windowEnd)) {
        if (this.#length === this.#chunkRows) break;
        this.#put(sample.ts, Number.isNaN(sample.value) ? null : sample.value, sample.quality, 1);
      }
      if (this.#length === this.#chunkRows) this.#cursor = this.#ts[this.#length - 1]!;
      else if (this.#length > 0) this.#cursor = windowEnd;
      else {
        const next = this.#queries.raw.nextTime(this.#point, windowEnd, this.#to);
        this.#cursor = next === undefined ? this.#to : next - 1;
      }
    }
    if (this.#length === 0) this.#exhausted = true;
  }

  #readBuckets({ widthMs, originMs }: Bucketing): void {
    this.#at = 0;
    this.#length = 0;
    const rolledUpTo = this.#queries.minutesDone.get(this.#point) ?? Number.NEGATIVE_INFINITY;
    while (this.#length === 0) {
      const windowStart = this.#cursor;
      if (windowStart > this.#to) {
        this.#exhausted = true;
        return;
      }
      // A window holds at most chunkRows buckets, so it fits the arrays whatever the sample rate.
      const windowEnd = Math.min(windowStart + this.#chunkRows * widthMs, this.#to + 1);
      const start = Math.max(windowStart, this.#from);
      // Per bucket: the sum and count of usable values, the samples behind it, the worst usable quality.
      const buckets = new Map<number, { sum: number; count: number; samples: number; quality: number }>();
      const add = (ts: number, sum: number | null, count: number, samples: number, quality: number) => {
        const bucket = originMs + Math.floor((ts - originMs) / widthMs) * widthMs;
        const entry = buckets.get(bucket) ?? { sum: 0, count: 0, samples: 0, quality: 0 };
        entry.sum += sum ?? 0;
        entry.count += count;
        entry.samples += samples;
        if (count > 0) entry.quality = Math.max(entry.quality, quality);
        buckets.set(bucket, entry);
      };
      // Whole minutes from the rollups; the minutes at the edges of the range and those not rolled up yet from the samples.
      const minutesFrom = Math.ceil(start / MINUTE_MS) * MINUTE_MS;
      const minutesUntil = Math.min(Math.floor(windowEnd / MINUTE_MS) * MINUTE_MS, rolledUpTo);
      if (minutesUntil > minutesFrom) {
        for (const [ts, count, sum] of this.#queries.minutes.iterate(this.#point, minutesFrom, minutesUntil) as IterableIterator<[number, number, number | null]>) {
          add(ts, sum, count, count, 0);
        }
      }
      const rawRanges: [number, number][] =
        minutesUntil > minutesFrom ? [[start, minutesFrom - 1], [minutesUntil, windowEnd - 1]] : [[start, windowEnd - 1]];
      for (const [rawFrom, rawTo] of rawRanges) {
        if (rawTo < rawFrom) continue;
        for (const sample of this.#queries.raw.read(this.#point, rawFrom, rawTo)) {
          const usable = sample.quality < QUALITY_BAD && !Number.isNaN(sample.value);
          add(sample.ts, usable ? sample.value : null, usable ? 1 : 0, 1, sample.quality);
        }
      }
      for (const [ts, { sum, count, samples, quality }] of [...buckets].sort((a, b) => a[0] - b[0])) {
        this.#put(ts, count > 0 ? sum / count : null, count > 0 ? quality : QUALITY_BAD, samples);
      }
      this.#cursor = windowEnd;
      if (this.#length === 0) {
        // Nothing stored in this window: jump to the window of the next stored sample or minute, if any.
        const nextRaw = this.#queries.raw.nextTime(this.#point, windowEnd, this.#to);
        const nextMinute = this.#queries.nextMinute.get(this.#point, windowEnd, this.#to + 1);
        const next = Math.min(nextRaw ?? Number.POSITIVE_INFINITY, nextMinute ?? Number.POSITIVE_INFINITY);
        if (!Number.isFinite(next)) {
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
