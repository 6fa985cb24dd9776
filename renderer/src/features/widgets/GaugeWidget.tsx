// A dial for one figure, with red, amber and green bands; ratios (OEE and its factors) in percent.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { WidgetOf } from '../../../../shared/domain/dashboards.ts';
import { gaugeOption } from './chart-options.ts';
import { KpiGate } from './KpiGate.tsx';
import { DEFAULT_RATIO_BANDS } from './kpi-values.ts';
import { useKpiSourceValue, usePointSourceValue } from './source-value.ts';
import { WidgetChart } from './WidgetChart.tsx';
import { WidgetMessage } from './WidgetMessage.tsx';

type Options = WidgetOf<'gauge'>['options'];

export function GaugeWidget({ widget }: { widget: WidgetOf<'gauge'> }) {
  const { source } = widget.options;
  if (source.kind === 'point') return <PointGauge options={widget.options} pointId={source.pointId} />;
  return (
    <KpiGate period={source.period}>
      <KpiGauge options={widget.options} source={source} />
    </KpiGate>
  );
}

function KpiGauge({ options, source }: { options: Options; source: Exclude<Options['source'], { kind: 'point' }> }) {
  const { t, i18n } = useTranslation();
  const { value, unit, text, unitLabel } = useKpiSourceValue(source);
  const shown = value === undefined || value === null ? null : unit === 'percent' ? value * 100 : value;
  const bands = options.bands ?? (unit === 'percent' ? DEFAULT_RATIO_BANDS : undefined);
  const option = useMemo(
    () => gaugeOption({ value: shown, min: options.min, max: options.max, bands, valueText: text ?? t('widget.noValue'), unit: text === null ? '' : unitLabel, locale: i18n.language }),
    [shown, options.min, options.max, bands, text, unitLabel, t, i18n.language],
  );
  if (value === undefined && source.kind === 'machine') return <WidgetMessage tone="bad" title={t('widget.machineNotFound', { machine: source.machineId })} />;
  return <WidgetChart option={option} testId="gauge" label={text ?? undefined} data={{ value: text ?? '' }} />;
}

function PointGauge({ options, pointId }: { options: Options; pointId: string }) {
  const { t, i18n } = useTranslation();
  const { point, value, text } = usePointSourceValue(pointId);
  const numeric = typeof value === 'number' ? value : null;
  const option = useMemo(
    () => gaugeOption({ value: numeric, min: options.min, max: options.max, bands: options.bands, valueText: text ?? t('widget.noValue'), unit: point?.unit ?? '', locale: i18n.language }),
    [numeric, options.min, options.max, options.bands, text, point?.unit, t, i18n.language],
  );
  if (!point) return <WidgetMessage tone="bad" title={t('widget.pointNotFound', { point: pointId })} />;
  return <WidgetChart option={option} testId="gauge" label={text ?? undefined} data={{ value: text ?? '' }} />;
}
