// Which form of the history is on screen — raw samples, 1-minute or 1-hour averages — and how wide
// one chart point is when the historian had to average further to fit the chart.
import type { HistoryResolution } from '../../../../shared/contract/calls.ts';
import type { HistoryLine } from '../../store/trend-series.ts';

const NATIVE_MS: Record<HistoryResolution, number> = { raw: 0, '1m': 60_000, '1h': 3_600_000 };

export interface ResolutionShown {
  resolution: HistoryResolution;
  /** Width of one chart point when it is wider than the form's own (raw samples averaged per 36 s); else null. */
  perMs: number | null;
}

/**
 * The forms of history the lines show, coarsest last, without repeats.
 * @example shownResolutions([{ resolution: '1m', bucketMs: 600_000, … }]) // → [{ resolution: '1m', perMs: 600_000 }]
 */
export function shownResolutions(lines: readonly Pick<HistoryLine, 'resolution' | 'bucketMs' | 'points'>[]): ResolutionShown[] {
  const shown: ResolutionShown[] = [];
  for (const line of lines) {
    if (line.points.length === 0) continue;
    const perMs = line.bucketMs > NATIVE_MS[line.resolution] ? line.bucketMs : null;
    if (!shown.some((one) => one.resolution === line.resolution && one.perMs === perMs)) shown.push({ resolution: line.resolution, perMs });
  }
  return shown.sort((a, b) => NATIVE_MS[a.resolution] + (a.perMs ?? 0) - (NATIVE_MS[b.resolution] + (b.perMs ?? 0)));
}

const unitFormats = new Map<string, Intl.NumberFormat>();

/**
 * A duration in the largest unit that keeps it readable, rounded: "36 sec", "10 min", "3 hr", "2 days".
 */
export function formatDuration(ms: number, locale: string): string {
  const seconds = ms / 1000;
  const [value, unit] =
    seconds < 120 ? [seconds, 'second'] : seconds < 7200 ? [seconds / 60, 'minute'] : seconds < 172_800 ? [seconds / 3600, 'hour'] : [seconds / 86_400, 'day'];
  const key = `${locale}|${unit}`;
  let format = unitFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: unit === 'day' ? 'long' : 'short', maximumFractionDigits: 0 });
    unitFormats.set(key, format);
  }
  return format.format(Math.max(1, Math.round(value)));
}
