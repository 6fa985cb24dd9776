// The Trends page: up to eight points of any devices over a range (last hour … last 7 days, or
// custom), zoomed and panned with the wheel, a drag or the slider. The history is read for what is on
// screen at about one point per pixel (so zooming into a week shows finer detail), and a range that
// ends now follows live samples without reading the history again.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Point } from '../../../../shared/domain/devices.ts';
import { bridge, connection } from '../../api/index.ts';
import { useNow } from '../../app/use-now.ts';
import { coreNow, looksLikeStateCode, useDevicesStore, usePointsStore, useThemeStore } from '../../store/index.ts';
import { chosenPoints, useTrendPageStore } from '../../store/trend-page-store.ts';
import { hasHistory, longestLine, type HistoryLines } from '../../store/trend-series.ts';
import { ExportDialog, type ExportPoint } from '../export/index.ts';
import { HistoryChart } from './HistoryChart.tsx';
import { drawLine, historyChartOption, type ChartLine } from './history-options.ts';
import { RangeBar } from './RangeBar.tsx';
import { formatDuration, shownResolutions } from './resolution.ts';
import { seriesColor } from './series-colors.ts';
import { TagPicker } from './TagPicker.tsx';
import { resolveRange, shiftAt, startOfLocalDay, type ResolvedRange, type TimeRange } from './time-ranges.ts';
import { applyLiveSamples, loadHistory, stopHistory } from './trend-history.ts';
import { useTrendSelection } from './use-trend-selection.ts';
import { MAX_POINTS_PER_LINE, needsQuery, queryForView, visibleRange, zoomFromChart } from './view-query.ts';
import { distinctUnits } from './unit-axes.ts';
import './trend.css';
import './trends-page.css';

/** Quiet time after the last wheel step or drag before the new view is read from the historian. */
const ZOOM_SETTLE_MS = 300;

/** Points a line may grow to from live samples before it is read again, bucketed. */
function lineBudget(maxPoints: number): number {
  return Math.min(MAX_POINTS_PER_LINE + 1000, Math.max(200, 2 * maxPoints));
}

export function TrendsPage() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const points = usePointsStore((state) => state.points);
  const devices = useDevicesStore((state) => state.devices);
  const { slots, seeded, preset, custom, zoom, lines, loaded, status } = useTrendPageStore();
  const { toggle, clear, seed, setPreset, setCustom, setZoom } = useTrendPageStore.getState();
  const liveSelection = useTrendSelection().selectedIds;
  const now = useNow();
  const [width, setWidth] = useState(0);
  const [epoch, setEpoch] = useState(0);
  const [exporting, setExporting] = useState<{ points: ExportPoint[]; range: TimeRange } | null>(null);
  const box = useRef<HTMLDivElement>(null);

  // The first visit starts from what the live view's trend shows.
  useEffect(() => {
    if (!seeded && points.length > 0) seed(liveSelection);
  }, [seeded, points.length, liveSelection, seed]);

  const theme = useThemeStore((state) => state.resolved);
  const pointById = useMemo(() => new Map(points.map((point) => [point.id, point])), [points]);
  const deviceName = useCallback((deviceId: string) => devices.find((device) => device.id === deviceId)?.name ?? deviceId, [devices]);
  const chosen = useMemo(
    () =>
      chosenPoints(slots)
        .map(({ pointId, slot }) => ({ point: pointById.get(pointId), color: seriesColor(slot, theme) }))
        .filter((entry): entry is { point: Point; color: string } => entry.point !== undefined),
    [slots, pointById, theme],
  );
  const colors = useMemo(() => new Map(chosen.map(({ point, color }) => [point.id, color])), [chosen]);
  const ids = chosen.map(({ point }) => point.id);

  const range = resolveRange(preset, now, custom);
  const rangeRef = useRef<ResolvedRange>(range);
  rangeRef.current = range;
  const view = visibleRange(range, zoom);
  const key = `${ids.join(',')}|${preset}|${range.anchor ?? ''}|${custom ? `${custom.from}-${custom.to}` : ''}|${epoch}`;
  const tooLong = loaded !== null && longestLine(lines) > lineBudget(loaded.maxPoints);

  // The chart's width decides how many points per line are worth reading.
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setWidth(Math.round(element.clientWidth / 10) * 10));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  // Reads the history when the points or the range change (at once), or when the view left what
  // was loaded or needs finer detail (after the zoom settles).
  useEffect(() => {
    if (width === 0 || points.length === 0) return;
    const pointIds = key.split('|')[0]!.split(',').filter(Boolean);
    const run = () => {
      const state = useTrendPageStore.getState();
      const current = resolveRange(state.preset, coreNow(), state.custom);
      const shown = visibleRange(current, state.zoom);
      const same = state.loaded?.key === key ? state.loaded : null;
      if (pointIds.length === 0) {
        if (state.loaded || Object.keys(state.lines).length > 0) void loadHistory([], queryForView(shown, current, width), key);
        return;
      }
      if (same && !tooLong && !needsQuery(shown, same, width)) return;
      void loadHistory(pointIds, queryForView(shown, current, width), key);
    };
    const timer = setTimeout(run, useTrendPageStore.getState().loaded?.key === key ? ZOOM_SETTLE_MS : 0);
    return () => clearTimeout(timer);
  }, [key, zoom, width, tooLong, points.length]);

  // Live samples move the chart along; after the live link comes back, the history is read again.
  useEffect(() => {
    let previous = connection.state();
    const stops = [
      bridge.on('samples.appended', ({ samples }) => applyLiveSamples(samples, rangeRef.current.from)),
      connection.subscribe((state) => {
        if (state === 'open' && previous !== 'open') setEpoch((value) => value + 1);
        previous = state;
      }),
    ];
    return () => {
      for (const stop of stops) stop();
      stopHistory();
    };
  }, []);

  const chartLines = useMemo<ChartLine[]>(
    () =>
      chosen
        .filter(({ point }) => lines[point.id])
        .map(({ point, color }) => ({
          pointId: point.id,
          name: point.name,
          deviceName: deviceName(point.deviceId),
          unit: point.unit,
          color,
          format: point,
          step: point.kind === 'state' || looksLikeStateCode(point),
          scanMs: point.scanMs,
          history: lines[point.id]!,
        })),
    [chosen, lines, deviceName],
  );
  const drawn = useMemo(() => chartLines.map(drawLine), [chartLines]);
  const words = useMemo(() => ({ range: t('trends.tooltip.range') }), [t]);
  const option = useMemo(
    () => historyChartOption(chartLines, drawn, range, view, locale, words),
    // range and view are new objects every second while live; their numbers are what matters.
    [chartLines, drawn, range.from, range.to, view.from, view.to, locale, words],
  );

  const [drawnLines, setDrawnLines] = useState<HistoryLines | null>(null);
  const linesRef = useRef(lines);
  linesRef.current = lines;
  const onDrawn = useCallback(() => setDrawnLines(linesRef.current), []);
  const onZoom = useCallback((start: number, end: number) => setZoom(zoomFromChart(rangeRef.current, start, end)), [setZoom]);

  const settled = status === 'ready' && loaded?.key === key && !needsQuery(view, loaded, width) && !tooLong && drawnLines === lines;
  const resolutions = shownResolutions(chartLines.map((line) => line.history));
  const bucketed = chartLines.some((line) => line.history.bucketMs > 0);
  const following = range.live && (zoom === null || zoom.followsNow);

  let hint: string | null = null;
  if (ids.length === 0) hint = t('trends.pickPoints');
  else if (status === 'loading' && !hasHistory(lines)) hint = t('trends.loading');
  else if (status === 'ready' && loaded?.key === key && !hasHistory(lines)) hint = t('trends.noData');

  const openExport = () => {
    const current = visibleRange(resolveRange(preset, coreNow(), custom), zoom);
    setExporting({
      points: chosen.map(({ point, color }) => ({ pointId: point.id, name: point.name, deviceName: deviceName(point.deviceId), unit: point.unit, color })),
      range: current,
    });
  };

  return (
    <div className="trends-page" data-testid="trends-page">
      <TagPicker
        points={points}
        devices={devices}
        chosen={chosen.map(({ point }) => point)}
        colors={colors}
        onToggle={toggle}
        onClear={clear}
      />
      <section className="panel trends-main" aria-label={t('trends.title')}>
        <div className="trends-toolbar">
          <RangeBar preset={preset} shown={view} live={range.live && (zoom === null || zoom.followsNow)} onPreset={setPreset} onCustom={setCustom} />
          <span className="spacer" />
          <button type="button" className="btn btn-primary" onClick={openExport} disabled={ids.length === 0} data-testid="export-open">
            {t('trends.export')}
          </button>
        </div>
        <div className="trends-status">
          <span className="trends-range-text" data-testid="range-text">
            <RangeText range={range} preset={preset} locale={locale} />
          </span>
          {following && (
            <span className="trends-live" data-testid="trends-live">
              <span className="trends-live-dot" aria-hidden="true" />
              {t('trends.live')}
            </span>
          )}
          {zoom && (
            <span className="trends-zoom" data-testid="zoom-text">
              {t('trends.zoomed', { from: clock(view.from, range, locale), to: clock(view.to, range, locale) })}
              <button type="button" className="btn btn-small btn-ghost" onClick={() => setZoom(null)} data-testid="zoom-reset">
                {t('trends.resetZoom')}
              </button>
            </span>
          )}
          <span className="spacer" />
          {status === 'loading' && hasHistory(lines) && <span className="spinner spinner-small" aria-label={t('trends.loading')} />}
          {resolutions.length > 0 && (
            <span className="trends-resolution" data-testid="resolution">
              {resolutions
                .map(({ resolution, perMs }) =>
                  perMs === null ? t(`trends.resolution.${resolution}`) : `${t(`trends.resolution.${resolution}`)}, ${t('trends.resolution.per', { duration: formatDuration(perMs, locale) })}`,
                )
                .join(' · ')}
              {bucketed && <span className="trends-band-note">{t('trends.band')}</span>}
            </span>
          )}
        </div>
        {chosen.length > 0 && (
          <div className="trends-legend-row">
          <ul className="trends-legend" data-testid="trends-legend">
            {chosen.map(({ point, color }) => (
              <li key={point.id} className="trends-legend-item" data-testid={`legend-${point.id}`}>
                <span className="trends-legend-swatch" style={{ background: color }} aria-hidden="true" />
                <span className="trends-legend-device">{deviceName(point.deviceId)}</span>
                <span className="trends-legend-name">{point.name}</span>
                {point.unit && <span className="trends-legend-unit">{point.unit}</span>}
                <button
                  type="button"
                  className="trends-legend-remove"
                  onClick={() => toggle(point.id)}
                  aria-label={t('trends.remove', { name: point.name })}
                  title={t('trends.remove', { name: point.name })}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
          <span className="trends-chart-help">{t('trends.zoomHelp')}</span>
          </div>
        )}
        <div
          ref={box}
          className="trends-chart"
          data-testid="history"
          data-ready={settled && ids.length > 0 ? 'true' : 'false'}
          data-state={status}
          data-view-from={view.from}
          data-view-to={view.to}
          data-loaded-from={loaded?.from ?? ''}
          data-loaded-points={loaded?.maxPoints ?? ''}
          data-units={distinctUnits(chartLines).join('|')}
          data-resolution={resolutions.map((one) => one.resolution).join('|')}
        >
          <HistoryChart option={option} onZoom={onZoom} onDrawn={onDrawn} />
          {hint && (
            <div className="trend-hint" data-testid="history-hint">
              <span>{hint}</span>
            </div>
          )}
        </div>
      </section>
      {exporting && <ExportDialog points={exporting.points} from={exporting.range.from} to={exporting.range.to} onClose={() => setExporting(null)} />}
    </div>
  );
}

const clockFormats = new Map<string, Intl.DateTimeFormat>();

/** A time of the range as a plant manager says it: "14:05" today, "Mon 14:05" this week, "3 Jan 14:05" before. */
function clock(ts: number, range: TimeRange, locale: string): string {
  const sameDay = startOfLocalDay(range.from) === startOfLocalDay(range.to);
  const style = sameDay ? 'time' : range.to - range.from <= 7 * 86_400_000 ? 'week' : 'date';
  const cacheKey = `${locale}|${style}`;
  let format = clockFormats.get(cacheKey);
  if (!format) {
    const time = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;
    format = new Intl.DateTimeFormat(
      locale,
      style === 'time' ? time : style === 'week' ? { ...time, weekday: 'short', day: 'numeric', month: 'short' } : { ...time, day: 'numeric', month: 'short', year: 'numeric' },
    );
    clockFormats.set(cacheKey, format);
  }
  return format.format(ts);
}

/** "Night shift · 20:00 – now", "Today · 00:00 – now", "3 Jan 08:00 – 5 Jan 18:00". */
function RangeText({ range, preset, locale }: { range: ResolvedRange; preset: string; locale: string }) {
  const { t } = useTranslation();
  const prefix = preset === 'shift' ? t(`trends.shift.${shiftAt(range.to).name}`) : preset === 'today' ? t('trends.range.today') : null;
  const end = range.live ? t('trends.range.now') : clock(range.to, range, locale);
  return (
    <>
      {prefix && <b>{prefix} · </b>}
      {clock(range.from, range, locale)} – {end}
    </>
  );
}
