// One row of the live values table; re-renders only when its own value (or the clock) changes.
import type { KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Point } from '../../../../shared/domain/devices.ts';
import { useNow } from '../../app/use-now.ts';
import { formatClock } from '../../format/format-time.ts';
import { effectiveQuality, formatPointValue } from '../../format/format-value.ts';
import { useCommissioningStore, usePointsStore } from '../../store/index.ts';

interface LiveValueRowProps {
  point: Point;
  /** Colour of its line, or null when the point is not in the trend. */
  color: string | null;
  onToggle(pointId: string): void;
  /** The table has a column for "Write…" (some point of the device is writable). */
  writeColumn: boolean;
}

export function LiveValueRow({ point, color, onToggle, writeColumn }: LiveValueRowProps) {
  const inTrend = color !== null;
  const { t, i18n } = useTranslation();
  const latest = usePointsStore((state) => state.latest[point.id]);
  const now = useNow();
  const quality = latest ? effectiveQuality(latest, point.scanMs, now) : null;
  const text = latest ? formatPointValue(latest.value, point, i18n.language) : null;
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onToggle(point.id);
    }
  };
  return (
    <tr
      className={`live-row${inTrend ? ' is-in-trend' : ''}`}
      onClick={() => onToggle(point.id)}
      onKeyDown={onKeyDown}
      tabIndex={0}
      title={t(inTrend ? 'points.removeFromTrend' : 'points.addToTrend')}
      data-testid={`point-row-${point.id}`}
    >
      <td className="col-trend">
        <span
          className="swatch"
          role="checkbox"
          aria-checked={inTrend}
          aria-label={t('points.inTrend')}
          style={color ? { background: color, borderColor: color } : undefined}
        />
      </td>
      <td className="col-name" title={point.description || undefined}>
        {point.name}
      </td>
      <td className={`col-value quality-${quality ?? 'none'}`} data-testid={`value-${point.id}`}>
        {text ?? t('points.noValue')}
      </td>
      <td className="col-unit">{point.unit}</td>
      <td className="col-quality">
        {quality && <span className={`pill pill-${quality === 'good' ? 'good' : quality === 'stale' ? 'warn' : 'bad'}`}>{t(`points.quality.${quality}`)}</span>}
      </td>
      <td className="col-time">{latest ? formatClock(latest.ts, i18n.language) : ''}</td>
      {writeColumn && (
        <td className="col-write">
          {point.writable && (
            <button
              type="button"
              className="btn btn-small"
              onClick={(event) => {
                event.stopPropagation();
                useCommissioningStore.getState().openWrite(point.id);
              }}
              onKeyDown={(event) => event.stopPropagation()}
              data-testid={`write-${point.id}`}
            >
              {t('write.open')}
            </button>
          )}
        </td>
      )}
    </tr>
  );
}
