// Which machines used the most energy in the period, biggest first, with the energy per good part in
// the tooltip and the plant's total (and peak demand) above the bars.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { KpiPeriod } from '../../../../shared/contract/kpi-calls.ts';
import type { WidgetOf } from '../../../../shared/domain/dashboards.ts';
import { ACCENT_COLOR, horizontalBarsOption } from './chart-options.ts';
import { KpiGate } from './KpiGate.tsx';
import { formatKpiNumber } from './kpi-values.ts';
import { useOverview } from './use-overview.ts';
import { WidgetChart } from './WidgetChart.tsx';
import { WidgetMessage } from './WidgetMessage.tsx';

export function EnergyByMachine({ widget }: { widget: WidgetOf<'energyByMachine'> }) {
  return (
    <KpiGate period={widget.options.period}>
      <EnergyBars period={widget.options.period} />
    </KpiGate>
  );
}

function EnergyBars({ period }: { period: KpiPeriod }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const machines = useOverview(period, (feed) => feed.overview?.machines);
  const total = useOverview(period, (feed) => feed.overview?.plant.energyKwh ?? null);
  const peak = useOverview(period, (feed) => feed.overview?.plant.peakDemandKw ?? null);
  const bars = useMemo(
    () =>
      (machines ?? [])
        .filter((machine) => machine.energyKwh !== null)
        .sort((a, b) => b.energyKwh! - a.energyKwh!)
        .map((machine) => ({
          id: machine.machineId,
          label: machine.name,
          value: machine.energyKwh!,
          color: ACCENT_COLOR,
          text: `${formatKpiNumber(machine.energyKwh, 'kWh', locale)} kWh`,
          detail: machine.kwhPerPart === null ? undefined : t('widget.perPart', { value: formatKpiNumber(machine.kwhPerPart, 'kWhPerPart', locale) ?? '' }),
        })),
    [machines, locale, t],
  );
  const option = useMemo(() => horizontalBarsOption(bars), [bars]);
  if (bars.length === 0) return <WidgetMessage title={t('widget.noMeters')} />;
  const totalText = formatKpiNumber(total, 'kWh', locale);
  const peakText = formatKpiNumber(peak, 'kW', locale);
  return (
    <div className="energy">
      {(totalText || peakText) && (
        <div className="energy-summary">
          {totalText && <span data-testid="energy-total">{t('widget.total', { value: `${totalText} kWh` })}</span>}
          {peakText && (
            <span>
              {t('kpi.peakDemandKw')} <b>{peakText} kW</b>
            </span>
          )}
        </div>
      )}
      <div className="energy-chart">
        <WidgetChart option={option} replaceMerge={['series', 'yAxis']} testId="energy-bars" />
      </div>
    </div>
  );
}
