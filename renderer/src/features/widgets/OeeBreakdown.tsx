// OEE and the three factors it is made of — availability, performance, quality — as bars, and
// where the period's time went (stops, slow running, scrap) with the stop reasons operators gave.
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { KpiPeriod, Losses } from '../../../../shared/contract/kpi-calls.ts';
import type { WidgetOf } from '../../../../shared/domain/dashboards.ts';
import { horizontalBarsOption, type HorizontalBar } from './chart-options.ts';
import { KpiGate } from './KpiGate.tsx';
import { bandTone, DEFAULT_RATIO_BANDS, formatKpiNumber, plantFactors, plantLosses, type OeeFactors } from './kpi-values.ts';
import { useOverview } from './use-overview.ts';
import { WidgetChart } from './WidgetChart.tsx';
import { WidgetMessage } from './WidgetMessage.tsx';
import { formatStopDuration, loadReasons, reasonName, useReasonCatalogue } from '../stops/index.ts';

const LOSS_COLORS = {
  plannedStopMs: '#9aa0a6',
  unplannedStopMs: '#e8453c',
  microStopMs: '#f2a600',
  speedLossMs: '#e07b00',
  qualityLossMs: '#8e44ad',
} as const;
const LOSS_WORDS = {
  plannedStopMs: 'loss.plannedStop',
  unplannedStopMs: 'loss.unplannedStop',
  microStopMs: 'loss.microStop',
  speedLossMs: 'loss.speedLoss',
  qualityLossMs: 'loss.qualityLoss',
} as const;

export function OeeBreakdown({ widget }: { widget: WidgetOf<'oeeBreakdown'> }) {
  return (
    <KpiGate period={widget.options.period}>
      <Breakdown period={widget.options.period} machineId={widget.options.machineId} />
    </KpiGate>
  );
}

function Breakdown({ period, machineId }: { period: KpiPeriod; machineId: string | null }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const machines = useOverview(period, (feed) => feed.overview?.machines);
  const plant = useOverview(period, (feed) => feed.overview?.plant);
  const machine = useOverview(period, (feed) => (machineId === null ? null : feed.machinesById[machineId]));
  // Reasons by their names in the UI language ("No material"), not their codes.
  const catalogue = useReasonCatalogue((state) => state.reasons);
  useEffect(() => loadReasons(), []);
  const figures = useMemo((): { factors: OeeFactors; losses: Losses } | null => {
    if (machineId !== null) return machine ? { factors: machine.oee, losses: machine.losses } : null;
    if (!machines || !plant) return null;
    return { factors: plantFactors({ machines, plant }), losses: plantLosses(machines) };
  }, [machineId, machine, machines, plant]);

  const option = useMemo(() => {
    if (!figures) return null;
    const minutes = (ms: number) => Math.round(ms / 60_000);
    const bars: HorizontalBar[] = (Object.keys(LOSS_COLORS) as (keyof typeof LOSS_COLORS)[]).map((key) => ({
      id: key,
      label: t(LOSS_WORDS[key]),
      value: minutes(figures.losses[key]),
      color: LOSS_COLORS[key],
      text: t('widget.minutes', { value: formatKpiNumber(minutes(figures.losses[key]), 'parts', locale) ?? '0' }),
    }));
    return horizontalBarsOption(bars);
  }, [figures, t, locale]);

  if (machineId !== null && !machine) return <WidgetMessage tone="bad" title={t('widget.machineNotFound', { machine: machineId })} />;
  if (!figures || !option) return <WidgetMessage title={t('widget.noData')} />;
  const reasons = Object.entries(figures.losses.byReason)
    .filter(([, ms]) => ms >= 1000)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4);
  const factor = (key: keyof OeeFactors, label: string, strong = false) => {
    const value = figures.factors[key];
    const text = formatKpiNumber(value, 'percent', locale, 1);
    const tone = bandTone(value === null ? null : value * 100, DEFAULT_RATIO_BANDS);
    return (
      <div className={`factor${strong ? ' factor-total' : ''}`} data-testid={`factor-${key}`}>
        <span className="factor-name">{label}</span>
        <span className="factor-track">
          <span className={`factor-fill tone-bg-${tone}`} style={{ width: `${Math.min(100, Math.max(0, (value ?? 0) * 100))}%` }} />
        </span>
        <span className="factor-value">{text === null ? '—' : `${text}%`}</span>
      </div>
    );
  };
  return (
    <div className="breakdown">
      <div className="factors">
        {factor('oee', t('kpi.oee'), true)}
        {factor('availability', t('kpi.availability'))}
        {factor('performance', t('kpi.performance'))}
        {factor('quality', t('kpi.quality'))}
      </div>
      <div className="breakdown-losses">
        <span className="breakdown-heading">{t('widget.losses')}</span>
        <div className="breakdown-chart">
          <WidgetChart option={option} testId="loss-bars" />
        </div>
      </div>
      {reasons.length > 0 && (
        <div className="breakdown-reasons">
          <span className="breakdown-heading">{t('widget.reasons')}</span>{' '}
          {reasons.map(([reason, ms]) => (
            <span key={reason} className="reason" data-testid={`loss-reason-${reason}`}>
              {reasonName(reason, catalogue, locale) ?? t('loss.unassigned')} <b>{formatStopDuration(ms)}</b>
            </span>
          ))}
        </div>
      )}
    </div>
  );
}
