// The trend's moving 10-minute window: built once from historian.query, then kept current from live
// samples without asking the historian again. Pure functions, so the merge is unit-tested.
import type { TrendPoint } from '../../../shared/contract/calls.ts';
import type { Point, Sample } from '../../../shared/domain/devices.ts';
import { isNumericPoint } from '../format/format-value.ts';

export const TREND_WINDOW_MS = 10 * 60_000;

/** One drawn point: time and value; a null value is a gap (the device was not answering). */
export type TrendSample = [ts: number, value: number | null];

/** The drawn points of each point in the trend, by point id, oldest first. */
export type TrendWindows = Readonly<Record<string, readonly TrendSample[]>>;

/** Chart points of a historian series as drawn points (the bucket average), none older than `cutoff`. */
export function windowFromSeries(points: readonly TrendPoint[], cutoff: number): TrendSample[] {
  const window: TrendSample[] = [];
  for (const [ts, average] of points) if (ts >= cutoff) window.push([ts, average]);
  return window;
}

/** Index of the first drawn point at or after `cutoff` (the points are in time order). */
function firstInWindow(window: readonly TrendSample[], cutoff: number): number {
  let low = 0;
  let high = window.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (window[middle]![0] < cutoff) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Appends live samples to the windows of the points in the trend and drops what is older than
 * `cutoff`. Samples of other points, and samples not newer than a window's last point (already in
 * the historian's answer), are ignored; a bad sample or a text value becomes a gap. Windows that do
 * not change keep their identity, so a chart redraws only what moved.
 */
export function mergeLiveSamples(windows: TrendWindows, samples: readonly Sample[], cutoff: number): TrendWindows {
  const additions = new Map<string, TrendSample[]>();
  for (const sample of samples) {
    if (!Object.hasOwn(windows, sample.pointId)) continue;
    const value = sample.quality !== 'bad' && typeof sample.value === 'number' ? sample.value : null;
    let list = additions.get(sample.pointId);
    if (!list) additions.set(sample.pointId, (list = []));
    list.push([sample.ts, value]);
  }

  let changed = false;
  const next: Record<string, readonly TrendSample[]> = {};
  for (const [pointId, window] of Object.entries(windows)) {
    let updated: readonly TrendSample[] = window;
    const added = additions.get(pointId);
    if (added) {
      added.sort((a, b) => a[0] - b[0]);
      let lastTs = window.at(-1)?.[0] ?? -Infinity;
      const appended: TrendSample[] = [];
      for (const sample of added) {
        if (sample[0] <= lastTs) continue;
        appended.push(sample);
        lastTs = sample[0];
      }
      if (appended.length > 0) updated = [...window, ...appended];
    }
    const start = firstInWindow(updated, cutoff);
    if (start > 0) updated = updated.slice(start);
    if (updated !== window) changed = true;
    next[pointId] = updated;
  }
  return changed ? next : windows;
}

/**
 * The historian stores a value only when it changes (beyond the deadband) and again after a
 * heartbeat of a minute, so neighbouring points that are far apart mean "held steady" up to the
 * heartbeat, and "no data" beyond it (the app was not running, the device was not read).
 */
export const HISTORIAN_HEARTBEAT_GAP_MS = 75_000;

/**
 * The points as a line should join them: a value held steady until the read before the next change
 * (not a slow ramp from one to the other), and a gap where there were no samples for longer than
 * the heartbeat, so the line does not pretend to know what happened then.
 * @example drawnPoints([[0, 100], [50_000, 80]], 1000) // → [[0, 100], [49_000, 100], [50_000, 80]]
 */
export function drawnPoints(window: readonly TrendSample[], scanMs: number): TrendSample[] {
  const maxGapMs = Math.max(HISTORIAN_HEARTBEAT_GAP_MS, 3 * scanMs);
  const result: TrendSample[] = [];
  let previous: TrendSample | undefined;
  for (const sample of window) {
    if (previous && previous[1] !== null) {
      const step = sample[0] - previous[0];
      if (step > maxGapMs) result.push([previous[0] + 1, null]);
      else if (step > 1.5 * scanMs) result.push([sample[0] - scanMs, previous[1]]);
    }
    result.push(sample);
    previous = sample;
  }
  return result;
}

/**
 * The value a drawn line shows at `ts`: that of the last point at or before it, or null in a gap or
 * before the first point.
 */
export function valueAt(points: readonly TrendSample[], ts: number): number | null {
  let low = 0;
  let high = points.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (points[middle]![0] <= ts) low = middle + 1;
    else high = middle;
  }
  return low === 0 ? null : points[low - 1]![1];
}

/** True when at least one window has a point with a value to draw. */
export function hasTrendData(windows: TrendWindows): boolean {
  return Object.values(windows).some((window) => window.some(([, value]) => value !== null));
}

/** An unscaled integer without a unit is a state or mode code (1 = running, 2 = idle): drawn as steps, not a default trend. */
export function looksLikeStateCode(point: Pick<Point, 'dataType' | 'unit' | 'scale'>): boolean {
  return ['int16', 'uint16', 'int32', 'uint32', 'bool', 'bit'].includes(point.dataType) && point.unit.trim() === '' && point.scale === 1;
}

/**
 * The points a device's trend shows until the user picks: its first two numeric points that are
 * measurements (not a state code such as "State" = 3), e.g. spindle speed and spindle load.
 */
export function defaultTrendPoints(points: readonly Point[], count = 2): string[] {
  const numeric = points.filter(isNumericPoint);
  const measurements = numeric.filter((point) => !looksLikeStateCode(point));
  const chosen = measurements.slice(0, count);
  for (const point of numeric) {
    if (chosen.length >= count) break;
    if (!chosen.includes(point)) chosen.push(point);
  }
  return chosen.map((point) => point.id);
}
