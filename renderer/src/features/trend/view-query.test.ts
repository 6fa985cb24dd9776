import { describe, expect, it } from 'vitest';
import type { ResolvedRange } from './time-ranges.ts';
import { MAX_POINTS_PER_LINE, MIN_ZOOM_MS, needsQuery, queryForView, visibleRange, zoomFromChart, type LoadedHistory } from './view-query.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = 400 * DAY;
const lastWeek: ResolvedRange = { from: now - 7 * DAY, to: now, live: true, anchor: null };
const pastYear: ResolvedRange = { from: now - 365 * DAY, to: now - 1 * DAY, live: false, anchor: null };

describe('visible range', () => {
  it('is the whole range without a zoom', () => {
    expect(visibleRange(lastWeek, null)).toEqual({ from: lastWeek.from, to: now });
  });

  it('keeps a zoom that touches now at its width while the clock moves', () => {
    const zoom = { from: now - 2 * HOUR, to: now, followsNow: true };
    const later: ResolvedRange = { ...lastWeek, from: lastWeek.from + 60_000, to: now + 60_000 };
    expect(visibleRange(later, zoom)).toEqual({ from: now - 2 * HOUR + 60_000, to: now + 60_000 });
  });

  it('keeps a zoom in the past where it is, inside the range', () => {
    const zoom = { from: now - 3 * DAY, to: now - 2 * DAY, followsNow: false };
    expect(visibleRange(lastWeek, zoom)).toEqual({ from: now - 3 * DAY, to: now - 2 * DAY });
    expect(visibleRange(lastWeek, { from: now - 20 * DAY, to: now - 19 * DAY, followsNow: false })).toEqual({ from: lastWeek.from, to: lastWeek.from + DAY });
  });

  it('is never narrower than the narrowest zoom', () => {
    const view = visibleRange(lastWeek, { from: now - DAY, to: now - DAY + 10, followsNow: false });
    expect(view.to - view.from).toBe(MIN_ZOOM_MS);
  });
});

describe('zoom from the chart', () => {
  it('is no zoom when the chart shows the whole range again', () => {
    expect(zoomFromChart(lastWeek, lastWeek.from + 1000, now - 1000)).toBeNull();
  });

  it('follows now when it reaches the live end', () => {
    expect(zoomFromChart(lastWeek, now - DAY, now - 1000)).toEqual({ from: now - DAY, to: now, followsNow: true });
    expect(zoomFromChart(lastWeek, now - 2 * DAY, now - DAY)).toEqual({ from: now - 2 * DAY, to: now - DAY, followsNow: false });
    expect(zoomFromChart(pastYear, pastYear.to - DAY, pastYear.to)!.followsNow).toBe(false);
  });
});

describe('query for the view', () => {
  it('reads one chart point per pixel of the view, and a quarter of the view beyond each side', () => {
    const view = { from: now - 3 * DAY, to: now - 2 * DAY };
    expect(queryForView(view, lastWeek, 1000)).toEqual({ from: now - 3 * DAY - 6 * HOUR, to: now - 2 * DAY + 6 * HOUR, maxPoints: 1500, live: false });
  });

  it('stays inside the range, and is live when it reaches a live end', () => {
    expect(queryForView({ from: lastWeek.from, to: now }, lastWeek, 1200)).toEqual({ from: lastWeek.from, to: now, maxPoints: 1200, live: true });
  });

  it('asks finer detail of a year zoomed into a day: the same points over a far shorter span', () => {
    const year = queryForView({ from: pastYear.from, to: pastYear.to }, pastYear, 1000);
    const day = queryForView({ from: now - 100 * DAY, to: now - 99 * DAY }, pastYear, 1000);
    expect(year.maxPoints).toBe(1000);
    expect((year.to - year.from) / year.maxPoints).toBeGreaterThan(8 * HOUR);
    expect((day.to - day.from) / day.maxPoints).toBeLessThan(2 * 60_000);
  });

  it('never asks more than the historian gives per line', () => {
    expect(queryForView({ from: 0, to: 100 }, { from: 0, to: 1e9, live: false, anchor: null }, 4000).maxPoints).toBe(MAX_POINTS_PER_LINE);
  });
});

describe('when to read again', () => {
  const loadedWeek: LoadedHistory = { from: lastWeek.from, to: now, maxPoints: 1000, live: true, allRaw: false };

  it('reads at first, and when the view leaves what was loaded', () => {
    expect(needsQuery({ from: 0, to: 1 }, null, 1000)).toBe(true);
    const earlier: LoadedHistory = { from: now - 3 * DAY, to: now - 2 * DAY, maxPoints: 1000, live: false, allRaw: false };
    expect(needsQuery({ from: now - 3 * DAY - HOUR, to: now - 2 * DAY - HOUR }, earlier, 1000)).toBe(true);
    expect(needsQuery({ from: now - 3 * DAY, to: now - 2 * DAY }, earlier, 1000)).toBe(false);
  });

  it('does not read again while a live range moves on, nor for a small pan', () => {
    expect(needsQuery({ from: lastWeek.from + HOUR, to: now + HOUR }, loadedWeek, 1000)).toBe(false);
  });

  it('reads again when zoomed in far enough for finer history, unless the raw samples are loaded', () => {
    const day = { from: now - 2 * DAY, to: now - DAY };
    expect(needsQuery(day, loadedWeek, 1000)).toBe(true);
    expect(needsQuery(day, { ...loadedWeek, allRaw: true }, 1000)).toBe(false);
    expect(needsQuery({ from: now - 6 * DAY, to: now }, loadedWeek, 1000)).toBe(false);
  });
});
