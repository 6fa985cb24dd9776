// Up to eight points over the last hours, drawn like the Trends page (one axis per unit, gaps where a
// device did not answer), read from the historian (`historian.query`) and read again as new samples
// of those points arrive — at most every few seconds, never two reads at once.
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TREND_RANGE_MS, type WidgetOf } from '../../../../shared/domain/dashboards.ts';
import { bridge } from '../../api/index.ts';
import { callErrorMessage } from '../../app/call-error.ts';
import { coreNow, usePointsStore, useThemeStore, windowFromSeries, type TrendSample } from '../../store/index.ts';
import { seriesColor } from '../trend/series-colors.ts';
import { baseTrendOption, trendOption, type TrendLine } from '../trend/trend-options.ts';
import '../trend/trend.css';
import { RefreshScheduler } from './refresh-scheduler.ts';
import { WidgetChart } from './WidgetChart.tsx';
import { WidgetMessage } from './WidgetMessage.tsx';

/** About one chart point per two pixels of a wide widget. */
const MAX_POINTS = 400;

interface Loaded {
  from: number;
  to: number;
  data: Record<string, TrendSample[]>;
}

export function TrendWidget({ widget }: { widget: WidgetOf<'trend'> }) {
  const { t, i18n } = useTranslation();
  const theme = useThemeStore((state) => state.resolved);
  const { pointIds, range } = widget.options;
  const allPoints = usePointsStore((state) => state.points);
  const points = useMemo(() => pointIds.flatMap((id) => allPoints.find((point) => point.id === id) ?? []), [pointIds, allPoints]);
  const key = points.map((point) => point.id).join('\n');
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const ids = key.split('\n').filter(Boolean);
    if (ids.length === 0) return;
    const span = TREND_RANGE_MS[range];
    const minIntervalMs = Math.max(5000, span / MAX_POINTS);
    let active = true;
    const scheduler = new RefreshScheduler(
      async () => {
        const to = coreNow();
        const from = to - span;
        try {
          const { series } = await bridge.call('historian.query', { pointIds: ids, from, to, maxPoints: MAX_POINTS });
          if (!active) return;
          const data = Object.fromEntries(ids.map((id) => [id, windowFromSeries(series.find((entry) => entry.pointId === id)?.points ?? [], from)]));
          setLoaded({ from, to, data });
          setError(null);
        } catch (failure) {
          if (active) setError(callErrorMessage(failure, t('error.internal')));
        }
      },
      { minIntervalMs, maxIntervalMs: Math.max(minIntervalMs, 60_000) },
    );
    scheduler.start();
    const wanted = new Set(ids);
    const stop = bridge.on('samples.appended', ({ samples }) => {
      if (samples.some((sample) => wanted.has(sample.pointId))) scheduler.poke();
    });
    return () => {
      active = false;
      scheduler.stop();
      stop();
    };
  }, [key, range, t]);

  const option = useMemo(() => {
    if (!loaded) return null;
    const lines: TrendLine[] = points.map((point, index) => ({
      pointId: point.id,
      name: point.name,
      unit: point.unit,
      color: seriesColor(index, theme),
      format: point,
      step: point.kind === 'state',
      scanMs: point.scanMs,
      data: loaded.data[point.id] ?? [],
    }));
    const base = baseTrendOption();
    const shaped = trendOption(lines, { from: loaded.from, to: loaded.to }, i18n.language);
    return { ...base, ...shaped, tooltip: { ...(base.tooltip as object), ...(shaped.tooltip as object) } };
  }, [loaded, points, i18n.language, theme]);

  if (points.length === 0) return <WidgetMessage tone="bad" title={t('widget.pointNotFound', { point: pointIds.join(', ') })} />;
  if (error && !option) return <WidgetMessage tone="bad" title={t('widget.trendFailed', { reason: error })} />;
  if (!option) return <WidgetMessage tone="muted" title={t('widget.loading')} />;
  return <WidgetChart option={option} replaceMerge={['series', 'yAxis']} testId="trend-widget" />;
}
