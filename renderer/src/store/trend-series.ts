// The history lines of the Trends page: what historian.query returned (raw samples, or buckets with
// average, minimum and maximum), kept current from live samples without asking the historian again.
// A live sample joins the line the way the historian would have returned it: appended as a raw
// sample, or folded into the last bucket (or a new one) when the line is bucketed, so a line that
// follows live for hours keeps about the number of points it was loaded with.
import type { HistoryResolution, TrendPoint, TrendSeries } from '../../../shared/contract/calls.ts';
import type { Sample } from '../../../shared/domain/devices.ts';

export interface HistoryLine {
  resolution: HistoryResolution;
  /** Width of one bucket, ms; 0 for raw samples. */
  bucketMs: number;
  /** [time, average, minimum, maximum], oldest first; nulls are a gap. */
  points: readonly TrendPoint[];
  /** Live samples folded into the last bucket so far (its average is their mean). */
  tailCount: number;
}

export type HistoryLines = Readonly<Record<string, HistoryLine>>;

/**
 * A line from the historian's answer. An answer without `resolution` (a core from before the
 * rollups) is read from the raw samples. Points before `cutoff` are dropped.
 */
export function lineFromSeries(series: Pick<TrendSeries, 'bucketMs' | 'points'> & { resolution?: HistoryResolution } | undefined, cutoff = -Infinity): HistoryLine {
  const points = (series?.points ?? []).filter(([ts]) => ts >= cutoff);
  return { resolution: series?.resolution ?? 'raw', bucketMs: series?.bucketMs ?? 0, points, tailCount: 0 };
}

/** The value a live sample adds to a line: a number, or null for a bad read or a text value. */
function sampleValue(sample: Sample): number | null {
  return sample.quality !== 'bad' && typeof sample.value === 'number' && Number.isFinite(sample.value) ? sample.value : null;
}

/** Folds one value into a bucket that already holds `count` values (a null value changes nothing). */
function foldInto(point: TrendPoint, value: number | null, count: number): TrendPoint {
  if (value === null) return point;
  const [ts, average, min, max] = point;
  if (average === null || min === null || max === null) return [ts, value, value, value];
  return [ts, (average * count + value) / (count + 1), Math.min(min, value), Math.max(max, value)];
}

/** Adds samples (in time order, all newer than the line's last point) to one line. */
function appendToLine(line: HistoryLine, samples: readonly Sample[]): HistoryLine {
  const points = [...line.points];
  let tailCount = line.tailCount;
  for (const sample of samples) {
    const value = sampleValue(sample);
    const last = points.at(-1);
    if (line.bucketMs <= 0 || !last) {
      points.push([sample.ts, value, value, value]);
      tailCount = 1;
      continue;
    }
    const lastTs = last[0];
    if (sample.ts < lastTs + line.bucketMs) {
      // The historian's own last bucket holds an unknown number of samples: weigh it as one.
      const count = last[1] === null ? 0 : Math.max(1, tailCount);
      points[points.length - 1] = foldInto(last, value, count);
      tailCount = count + (value === null ? 0 : 1);
    } else {
      // Buckets keep the historian's grid: the new one starts a whole number of widths after the last.
      const start = lastTs + Math.floor((sample.ts - lastTs) / line.bucketMs) * line.bucketMs;
      points.push([start, value, value, value]);
      tailCount = value === null ? 0 : 1;
    }
  }
  return { ...line, points, tailCount };
}

/**
 * Index of the first point to keep at `cutoff`: the first bucket that ends after it, or for raw
 * samples the last one before it (its value holds until the next, so the line enters from the edge).
 */
function firstKept(points: readonly TrendPoint[], cutoff: number, bucketMs: number): number {
  let low = 0;
  let high = points.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (points[middle]![0] + bucketMs < cutoff) low = middle + 1;
    else high = middle;
  }
  return bucketMs > 0 ? low : Math.max(0, low - 1);
}

/**
 * The lines with the live samples of their points added, and points that end before `cutoff`
 * dropped. Samples not newer than a line's last point (already in the historian's answer) are
 * ignored, as are samples of points not in `lines`. Lines that do not change keep their identity.
 */
export function appendLiveSamples(lines: HistoryLines, samples: readonly Sample[], cutoff = -Infinity): HistoryLines {
  const byPoint = new Map<string, Sample[]>();
  for (const sample of samples) {
    if (!Object.hasOwn(lines, sample.pointId)) continue;
    let list = byPoint.get(sample.pointId);
    if (!list) byPoint.set(sample.pointId, (list = []));
    list.push(sample);
  }
  let changed = false;
  const next: Record<string, HistoryLine> = {};
  for (const [pointId, line] of Object.entries(lines)) {
    let updated = line;
    const added = byPoint.get(pointId);
    if (added) {
      added.sort((a, b) => a.ts - b.ts);
      let lastTs = line.points.at(-1)?.[0] ?? -Infinity;
      const newer: Sample[] = [];
      for (const sample of added) {
        if (sample.ts <= lastTs) continue;
        newer.push(sample);
        lastTs = sample.ts;
      }
      if (newer.length > 0) updated = appendToLine(line, newer);
    }
    const start = firstKept(updated.points, cutoff, updated.bucketMs);
    if (start > 0) updated = { ...updated, points: updated.points.slice(start) };
    if (updated !== line) changed = true;
    next[pointId] = updated;
  }
  return changed ? next : lines;
}

/** True when at least one line has a value to draw. */
export function hasHistory(lines: HistoryLines): boolean {
  return Object.values(lines).some((line) => line.points.some(([, average]) => average !== null));
}

/** The longest line, in points: a raw line that grew past the chart's budget is read again, bucketed. */
export function longestLine(lines: HistoryLines): number {
  return Math.max(0, ...Object.values(lines).map((line) => line.points.length));
}
