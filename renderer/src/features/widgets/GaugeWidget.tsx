// A dial for one figure, with red, amber and green bands; ratios (OEE and its factors) in percent; a
// stored KPI in its own unit, with bands from its target when the widget gives none.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { WidgetOf } from '../../../../shared/domain/dashboards.ts';
import { gaugeOption } from './chart-options.ts';
import type { KpiResult } from '../../../../shared/contract/kpi-calls.ts';
import { KpiGate } from './KpiGate.tsx';
import { kpiValueText, targetBands } from './kpi-value-state.ts';
import { StoredKpiGate } from './StoredKpiGate.tsx';
import { DEFAULT_RATIO_BANDS } from './kpi-values.ts';
import { useKpiSourceValue, usePointSourceValue } from './source-value.ts';
import { WidgetChart } from './WidgetChart.tsx';
import { WidgetMessage } from './WidgetMessage.tsx';

type Options = WidgetOf<'gauge'>['options'];

export function GaugeWidget({ widget }: { widget: WidgetOf<'gauge'> }) {
  const { source } = widget.options;
  if (source.kind === 'point') return <PointGauge options={widget.options} pointId={source.pointId} />;
  if (source.kind === 'kpi') {
    return (
      <StoredKpiGate kpiId={source.kpiId} period={source.period}>
        {(result) => <StoredKpiGauge options={widget.options} result={result} />}
      </StoredKpiGate>
    );
  }
  return (
    <KpiGate period={source.period}>
      <KpiGauge options={widget.options} source={source} />
    </KpiGate>
  );
}

function KpiGauge({ options, source }: { options: Options; source: Extract<Options['source'], { kind: 'plant' | 'machine' }> }) {
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

function StoredKpiGauge({ options, result }: { options: Options; result: KpiResult & { value: number } }) {
  const { i18n } = useTranslation();
  const text = kpiValueText(result, i18n.language) ?? '';
  const bands = useMemo(
    () => options.bands ?? targetBands(result.target, result.goodDirection, options.min, options.max),
    [options.bands, options.min, options.max, result.target, result.goodDirection],
  );
  const option = useMemo(
    () => gaugeOption({ value: result.value, min: options.min, max: options.max, bands, valueText: text, unit: result.unit, locale: i18n.language }),
    [result.value, options.min, options.max, bands, text, result.unit, i18n.language],
  );
  return <WidgetChart option={option} testId="gauge" label={text} data={{ value: text }} />;
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
