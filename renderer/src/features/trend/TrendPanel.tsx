// The trend of the selected device's chosen points over the last 10 minutes: loaded from the
// historian when the choice changes, then moved along by live samples.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { loadTrend } from '../../app/live-data.ts';
import { useNow } from '../../app/use-now.ts';
import { hasTrendData, looksLikeStateCode, TREND_WINDOW_MS, useTrendStore } from '../../store/index.ts';
import { TrendChart } from './TrendChart.tsx';
import type { TrendLine } from './trend-options.ts';
import { useTrendSelection } from './use-trend-selection.ts';
import './trend.css';

export function TrendPanel() {
  const { t, i18n } = useTranslation();
  const { devicePoints, selectedIds, colors } = useTrendSelection();
  const windows = useTrendStore((state) => state.windows);
  const loadedIds = useTrendStore((state) => state.pointIds);
  const bucketMs = useTrendStore((state) => state.bucketMs);
  const status = useTrendStore((state) => state.status);
  const now = useNow();
  const container = useRef<HTMLDivElement>(null);
  const selectionKey = selectedIds.join('\n');
  const [drawnKey, setDrawnKey] = useState<string | null>(null);

  // One chart point per pixel is as much detail as the screen can show.
  useEffect(() => {
    const width = container.current?.clientWidth ?? 800;
    void loadTrend(selectionKey === '' ? [] : selectionKey.split('\n'), width);
  }, [selectionKey]);

  // In slot order, so the first chosen points get the labelled axes and lead the legend.
  const lines = useMemo<TrendLine[]>(() => {
    const result: TrendLine[] = [];
    for (const pointId of selectedIds) {
      const point = devicePoints.find((candidate) => candidate.id === pointId);
      const color = colors.get(pointId);
      if (!point || !color || !loadedIds.includes(pointId)) continue;
      result.push({
        pointId,
        name: point.name,
        unit: point.unit,
        color,
        format: point,
        step: looksLikeStateCode(point),
        // A historian bucket wider than the scan is the finest step of the line.
        scanMs: Math.max(point.scanMs, bucketMs[pointId] ?? 0),
        data: windows[pointId] ?? [],
      });
    }
    return result;
  }, [selectedIds, devicePoints, colors, loadedIds, windows, bucketMs]);

  const lastTs = Math.max(0, ...lines.map((line) => line.data.at(-1)?.[0] ?? 0));
  const to = Math.max(now, lastTs);
  const onDrawn = useCallback(() => setDrawnKey(selectionKey), [selectionKey]);

  let hint: string | null = null;
  if (selectedIds.length === 0) hint = t('trend.pickPoints');
  else if (status === 'loading') hint = t('trend.loading');
  else if (!hasTrendData(windows)) hint = t('trend.noData');

  return (
    <section className="panel trend-panel" aria-label={t('trend.title')}>
      <h2 className="panel-title">{t('trend.title')}</h2>
      <div
        ref={container}
        className="trend-box"
        data-testid="trend"
        data-ready={drawnKey === selectionKey && selectionKey !== '' ? 'true' : 'false'}
      >
        <TrendChart lines={lines} from={to - TREND_WINDOW_MS} to={to} locale={i18n.language} onDrawn={onDrawn} />
        {hint && (
          <div className="trend-hint" data-testid="trend-hint">
            <span>{hint}</span>
          </div>
        )}
      </div>
    </section>
  );
}
