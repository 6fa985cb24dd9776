// The Trends page's list of points: every device's numeric points, grouped by device, searchable,
// with a tick and the line colour for each one on the chart. A point that cannot be added says why.
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Point } from '../../../../shared/domain/devices.ts';
import { MAX_TREND_POINTS } from '../../store/trend-store.ts';
import { pickBlock, pickerGroups } from './tag-picker.ts';
import { MAX_UNIT_AXES } from './unit-axes.ts';

interface TagPickerProps {
  points: readonly Point[];
  devices: readonly { id: string; name: string }[];
  /** The points on the chart, with their line colours. */
  chosen: readonly Point[];
  colors: ReadonlyMap<string, string>;
  onToggle(pointId: string): void;
  onClear(): void;
}

export function TagPicker({ points, devices, chosen, colors, onToggle, onClear }: TagPickerProps) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const groups = useMemo(() => pickerGroups(points, devices, search), [points, devices, search]);
  const anyNumeric = useMemo(() => pickerGroups(points, devices, '').length > 0, [points, devices]);
  const unitsUsed = new Set(chosen.map((point) => point.unit.trim())).size;
  // On a tablet there is no hover title: say once, above the list, why some points are greyed out.
  const limitNote =
    chosen.length >= MAX_TREND_POINTS
      ? t('trends.picker.full', { max: MAX_TREND_POINTS })
      : unitsUsed >= MAX_UNIT_AXES
        ? t('trends.picker.units', { max: MAX_UNIT_AXES })
        : null;

  return (
    <section className="panel tag-picker" aria-label={t('trends.picker.title')} data-testid="tag-picker">
      <h2 className="panel-title">
        {t('trends.picker.title')}
        <span className="panel-subtitle" data-testid="tag-count">
          {t('trends.picker.count', { count: chosen.length, max: MAX_TREND_POINTS })}
        </span>
        <span className="panel-actions">
          <button type="button" className="btn btn-small btn-ghost" onClick={onClear} disabled={chosen.length === 0} data-testid="tags-clear">
            {t('trends.picker.clear')}
          </button>
        </span>
      </h2>
      <div className="tag-search">
        <input
          type="search"
          className="input"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          placeholder={t('trends.picker.search')}
          aria-label={t('trends.picker.search')}
          data-testid="tag-search"
          spellCheck={false}
          autoComplete="off"
        />
      </div>
      {limitNote && (
        <p className="tag-limit" data-testid="tag-limit">
          {limitNote}
        </p>
      )}
      <div className="tag-list">
        {groups.length === 0 && (
          <p className="muted panel-empty">{anyNumeric ? t('trends.picker.noMatch', { search: search.trim() }) : t('trends.picker.noPoints')}</p>
        )}
        {groups.map((group) => (
          <div key={group.deviceId} className="tag-group" role="group" aria-label={group.deviceName}>
            <div className="tag-group-title">{group.deviceName}</div>
            <ul>
              {group.points.map((point) => {
                const color = colors.get(point.id);
                const block = pickBlock(point, chosen);
                const reason =
                  block === 'full'
                    ? t('trends.picker.full', { max: MAX_TREND_POINTS })
                    : block === 'units'
                      ? t('trends.picker.units', { max: MAX_UNIT_AXES })
                      : undefined;
                return (
                  <li key={point.id}>
                    <label className={`tag-item${color ? ' is-chosen' : ''}${block ? ' is-blocked' : ''}`} title={reason} data-testid={`tag-${point.id}`}>
                      <input type="checkbox" checked={Boolean(color)} disabled={block !== null} onChange={() => onToggle(point.id)} />
                      <span className="tag-swatch" style={color ? { background: color, borderColor: color } : undefined} aria-hidden="true" />
                      <span className="tag-name">{point.name}</span>
                      {point.unit && <span className="tag-unit">{point.unit}</span>}
                    </label>
                  </li>
                );
              })}
            </ul>
          </div>
        ))}
      </div>
    </section>
  );
}
