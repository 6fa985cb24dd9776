// From what the chart shows to what the historian is asked: the visible part of the range (all of it,
// or a zoomed part, which follows the clock when it touches "now"), and the query for it — about one
// chart point per pixel, read again only when the loaded history does not cover the view or is too
// coarse for it, so panning a little or live updates never re-read the database.
import type { ResolvedRange, TimeRange } from './time-ranges.ts';

/** The historian's largest maxPoints; also the most points one line ever hands ECharts. */
export const MAX_POINTS_PER_LINE = 5000;
const MIN_POINTS = 10;
/** Narrowest zoom: ten seconds across the chart. */
export const MIN_ZOOM_MS = 10_000;
/** Share of the view read beyond each side, so a short pan shows data at once. */
const QUERY_MARGIN = 0.25;
/** Zooming in by more than this finds finer history worth reading. */
const FINER_FACTOR = 1.5;

/** A zoomed part of the range; `followsNow` keeps its width and moves it along with the clock. */
export interface Zoom extends TimeRange {
  followsNow: boolean;
}

/** What the chart shows of the range. */
export function visibleRange(range: ResolvedRange, zoom: Zoom | null): TimeRange {
  if (!zoom) return { from: range.from, to: range.to };
  const span = Math.max(MIN_ZOOM_MS, zoom.to - zoom.from);
  if (zoom.followsNow && range.live) return { from: Math.max(range.from, range.to - span), to: range.to };
  const from = Math.max(range.from, Math.min(zoom.from, range.to - span));
  return { from, to: Math.min(range.to, from + span) };
}

/**
 * The zoom after the user moved the chart to `start`–`end`: null when that is the whole range again;
 * following the clock when it reaches the live end (within 1 % of its width).
 */
export function zoomFromChart(range: ResolvedRange, start: number, end: number): Zoom | null {
  const from = Math.max(range.from, Math.min(start, end));
  const to = Math.min(range.to, Math.max(start, end));
  const tolerance = Math.max(1000, (range.to - range.from) * 0.01);
  const atStart = from <= range.from + tolerance;
  const atEnd = to >= range.to - tolerance;
  if (atStart && atEnd) return null;
  const followsNow = range.live && atEnd;
  return { from, to: followsNow ? range.to : to, followsNow };
}

/** One historian.query for the lines on screen. */
export interface HistoryQuery extends TimeRange {
  maxPoints: number;
  /** The query reaches the live end: live samples extend what it returned. */
  live: boolean;
}

/**
 * The query for the view: the view and a quarter of its width on each side (within the range), with
 * one chart point per pixel of the chart's width across the view.
 * @example queryForView({ from: 0, to: 1000 }, { from: 0, to: 4000, live: false, anchor: null }, 800)
 *   // → { from: 0, to: 1250, maxPoints: 1000, live: false }
 */
export function queryForView(view: TimeRange, range: ResolvedRange, widthPx: number): HistoryQuery {
  const span = Math.max(1, view.to - view.from);
  const margin = Math.round(span * QUERY_MARGIN);
  const from = Math.max(range.from, view.from - margin);
  const to = Math.min(range.to, view.to + margin);
  const pixels = Math.max(MIN_POINTS, Math.round(widthPx));
  const maxPoints = Math.round(Math.min(MAX_POINTS_PER_LINE, Math.max(MIN_POINTS, (pixels * (to - from)) / span)));
  return { from: Math.round(from), to: Math.round(to), maxPoints, live: range.live && to >= range.to };
}

/** What was loaded: the query, and whether every line came back as raw samples (nothing finer exists). */
export interface LoadedHistory extends HistoryQuery {
  allRaw: boolean;
}

/**
 * True when the view needs the history read again: it reaches outside what was loaded, or it is
 * zoomed in so far that finer history would show more (unless what is loaded is the raw samples), or
 * zoomed out so far that the loaded points would be too many for the chart.
 */
export function needsQuery(view: TimeRange, loaded: LoadedHistory | null, widthPx: number): boolean {
  if (!loaded) return true;
  const loadedTo = loaded.live ? Number.POSITIVE_INFINITY : loaded.to;
  if (view.from < loaded.from || view.to > loadedTo) return true;
  const wanted = Math.max(MIN_POINTS, widthPx) / Math.max(1, view.to - view.from);
  const have = loaded.maxPoints / Math.max(1, loaded.to - loaded.from);
  if (wanted > have * FINER_FACTOR && !loaded.allRaw) return true;
  return have > wanted * 4;
}
