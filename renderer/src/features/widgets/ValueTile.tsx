// One big number: a plant or machine figure for a period, a stored KPI over the current period, or a
// point's live value. Percentages get a coloured edge (red, amber, green at 60 % and 85 %), a stored
// KPI one by its target, so a glance across the room says enough.
import { useTranslation } from 'react-i18next';
import type { WidgetOf } from '../../../../shared/domain/dashboards.ts';
import { KpiGate } from './KpiGate.tsx';
import { kpiValueText } from './kpi-value-state.ts';
import { bandTone, DEFAULT_RATIO_BANDS } from './kpi-values.ts';
import { StoredKpiGate } from './StoredKpiGate.tsx';
import { useKpiSourceValue, usePointSourceValue } from './source-value.ts';
import { WidgetMessage } from './WidgetMessage.tsx';

type Source = WidgetOf<'valueTile'>['options']['source'];

export function ValueTile({ widget }: { widget: WidgetOf<'valueTile'> }) {
  const { source, decimals } = widget.options;
  if (source.kind === 'point') return <PointTile pointId={source.pointId} decimals={decimals} />;
  if (source.kind === 'kpi') return <StoredKpiTile kpiId={source.kpiId} period={source.period} decimals={decimals} />;
  return (
    <KpiGate period={source.period}>
      <KpiTile source={source} decimals={decimals} />
    </KpiGate>
  );
}

function KpiTile({ source, decimals }: { source: Extract<Source, { kind: 'plant' | 'machine' }>; decimals: number | undefined }) {
  const { t } = useTranslation();
  const { value, unit, text, unitLabel, periodLabel } = useKpiSourceValue(source, decimals);
  if (value === undefined && source.kind === 'machine') {
    return <WidgetMessage tone="bad" title={t('widget.machineNotFound', { machine: source.machineId })} />;
  }
  const tone = unit === 'percent' ? bandTone(value === null || value === undefined ? null : value * 100, DEFAULT_RATIO_BANDS) : null;
  return (
    <div className={`value-tile${tone ? ` value-tile-${tone}` : ''}`} data-testid="value-tile">
      <div className="value-tile-figure">
        <span className="value-tile-number" data-testid="tile-value">
          {text ?? t('widget.noValue')}
        </span>
        {text !== null && unitLabel && <span className="value-tile-unit">{unitLabel}</span>}
      </div>
      {periodLabel && <div className="value-tile-caption">{periodLabel}</div>}
    </div>
  );
}

function StoredKpiTile({ kpiId, period, decimals }: { kpiId: string; period: Extract<Source, { kind: 'kpi' }>['period']; decimals: number | undefined }) {
  const { t, i18n } = useTranslation();
  return (
    <StoredKpiGate kpiId={kpiId} period={period}>
      {(result) => (
        <div className={`value-tile${result.status ? ` value-tile-${result.status}` : ''}`} data-testid="value-tile" data-status={result.status ?? undefined}>
          <div className="value-tile-figure">
            <span className="value-tile-number" data-testid="tile-value">
              {kpiValueText(result, i18n.language, decimals)}
            </span>
            {result.unit && <span className="value-tile-unit">{result.unit}</span>}
          </div>
          <div className="value-tile-caption">
            {result.period.label}
            {result.target !== null && ` · ${t('kpidefs.target', { target: kpiValueText({ value: result.target, decimals: result.decimals }, i18n.language, decimals) ?? '' })}`}
          </div>
        </div>
      )}
    </StoredKpiGate>
  );
}

function PointTile({ pointId, decimals }: { pointId: string; decimals: number | undefined }) {
  const { t } = useTranslation();
  const { point, text, stale } = usePointSourceValue(pointId, decimals);
  if (!point) return <WidgetMessage tone="bad" title={t('widget.pointNotFound', { point: pointId })} />;
  return (
    <div className={`value-tile${stale ? ' is-stale' : ''}`} data-testid="value-tile">
      <div className="value-tile-figure">
        <span className="value-tile-number" data-testid="tile-value">
          {text ?? t('widget.noValue')}
        </span>
        {text !== null && point.unit && <span className="value-tile-unit">{point.unit}</span>}
      </div>
      {stale && <div className="value-tile-caption">{t('points.quality.stale')}</div>}
    </div>
  );
}
