// Stored history of one point over any range as about `maxPoints` chart points. The resolution is
// chosen for the range: raw samples for up to a few hours, 1-minute rollups up to days, 1-hour
// rollups beyond — the coarsest that still gives at least half the points asked for. Each chart
// point carries the average, minimum and maximum of what it stands for, so a spike stays visible
// however far the chart is zoomed out. The newest stretch not rolled up yet is read from the finer
// forms, so the chart always reaches the present.
import type { HistoryResolution, TrendPoint } from '../../shared/index.ts';
import type { Db } from '../storage/database.ts';
import { RawReader } from './raw-reader.ts';
import { HOUR_MS, MINUTE_MS, rowAverage } from './rollup.ts';

export interface TrendQuery {
  num: number;
  from: number;
  to: number;
  maxPoints: number;
}

export interface TrendAnswer {
  resolution: HistoryResolution;
  bucketMs: number;
  points: TrendPoint[];
}

const PERIOD_MS: Record<Exclude<HistoryResolution, 'raw'>, number> = { '1m': MINUTE_MS, '1h': HOUR_MS };

/** A raw sample as a chart draws it: its value, or a gap where it has none. */
const chartValue = (sample: { value: number }) => (Number.isNaN(sample.value) ? null : sample.value);

/** The coarsest form of the history that still gives at least half of `maxPoints` over the range. */
export function chooseResolution(from: number, to: number, maxPoints: number): HistoryResolution {
  const span = to - from + 1;
  if (span / HOUR_MS >= maxPoints / 2) return '1h';
  if (span / MINUTE_MS >= maxPoints / 2) return '1m';
  return 'raw';
}

/** Summed-up values on their way into chart points: start time, average, min, max, weight of the average. */
class Buckets {
  readonly #origin: number;
  readonly #width: number;
  readonly #points: TrendPoint[] = [];
  #index = Number.NEGATIVE_INFINITY;
  #weighted = 0;
  #weight = 0;
  #min: number | null = null;
  #max: number | null = null;

  constructor(origin: number, width: number) {
    this.#origin = origin;
    this.#width = width;
  }

  /** Adds one value (in time order); `average` null marks a gap. */
  add(ts: number, average: number | null, min: number | null, max: number | null, weight: number): void {
    const index = Math.floor((ts - this.#origin) / this.#width);
    if (index !== this.#index) {
      this.#close();
      this.#index = index;
    }
    if (average === null) return;
    this.#weighted += average * weight;
    this.#weight += weight;
    if (min !== null && (this.#min === null || min < this.#min)) this.#min = min;
    if (max !== null && (this.#max === null || max > this.#max)) this.#max = max;
  }

  #close(): void {
    if (!Number.isFinite(this.#index)) return;
    const ts = this.#origin + this.#index * this.#width;
    this.#points.push(this.#weight > 0 ? [ts, this.#weighted / this.#weight, this.#min, this.#max] : [ts, null, null, null]);
    this.#weighted = 0;
    this.#weight = 0;
    this.#min = null;
    this.#max = null;
  }

  finish(): TrendPoint[] {
    this.#close();
    this.#index = Number.NEGATIVE_INFINITY;
    return this.#points;
  }
}

export class TrendReader {
  readonly #raw: RawReader;
  readonly #progress;
  readonly #rollups;

  constructor(db: Db) {
    this.#raw = new RawReader(db);
    this.#progress = db.prepare<[number], { minute_done: number; hour_done: number }>(
      'SELECT minute_done, hour_done FROM rollup_progress WHERE point = ?',
    );
    this.#rollups = db
      .prepare('SELECT ts, count, min, max, sum, twa, covered_ms FROM rollups WHERE resolution = ? AND point = ? AND ts >= ? AND ts < ? ORDER BY ts')
      .raw();
  }

  read(query: TrendQuery): TrendAnswer {
    const { num, from, to, maxPoints } = query;
    const resolution = chooseResolution(from, to, maxPoints);
    if (resolution === 'raw') return this.#readRaw(query);
    const periodMs = PERIOD_MS[resolution];
    const bucketMs = Math.max(1, Math.ceil((to - from + 1) / maxPoints / periodMs)) * periodMs;
    const buckets = new Buckets(Math.floor(from / periodMs) * periodMs, bucketMs);
    const progress = this.#progress.get(num) ?? { minute_done: from, hour_done: from };
    // Hours (when asked for) up to the last closed one, then minutes, then the raw samples since.
    let reached = Math.floor(from / periodMs) * periodMs;
    if (resolution === '1h') reached = this.#addRollups(buckets, HOUR_MS, num, reached, Math.min(to + 1, progress.hour_done));
    reached = this.#addRollups(buckets, MINUTE_MS, num, reached, Math.min(to + 1, progress.minute_done));
    if (reached <= to) {
      for (const sample of this.#raw.read(num, reached, to)) {
        const value = chartValue(sample);
        buckets.add(sample.ts, value, value, value, 1);
      }
    }
    return { resolution, bucketMs, points: buckets.finish() };
  }

  /** Adds the rollups of `resolution` in [from, until) to the buckets; returns where they end. */
  #addRollups(buckets: Buckets, resolution: number, num: number, from: number, until: number): number {
    if (until <= from) return from;
    const rows = this.#rollups.all(resolution, num, from, until) as [number, number, number | null, number | null, number | null, number | null, number][];
    for (const [ts, count, min, max, sum, twa, coveredMs] of rows) {
      const average = rowAverage({ twa, sum, count });
      buckets.add(ts, average, min, max, coveredMs > 0 ? coveredMs : Math.max(1, count));
    }
    return until;
  }

  #readRaw({ num, from, to, maxPoints }: TrendQuery): TrendAnswer {
    const samples = this.#raw.read(num, from, to);
    if (samples.length <= maxPoints) {
      return {
        resolution: 'raw',
        bucketMs: 0,
        points: samples.map((sample) => {
          const value = chartValue(sample);
          return [sample.ts, value, value, value];
        }),
      };
    }
    const bucketMs = Math.max(1, Math.ceil((to - from + 1) / maxPoints));
    const buckets = new Buckets(from, bucketMs);
    for (const sample of samples) {
      const value = chartValue(sample);
      buckets.add(sample.ts, value, value, value, 1);
    }
    return { resolution: 'raw', bucketMs, points: buckets.finish() };
  }
}
