// A card per machine: its state in colour (running green, idle amber, stopped or in alarm red,
// offline grey) and for how long, OEE with availability, performance and quality, output (good and
// scrap) and energy. Each card follows only its own machine's figures: when one machine changes, only
// its card is drawn again.
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { KpiPeriod } from '../../../../shared/contract/kpi-calls.ts';
import type { WidgetOf } from '../../../../shared/domain/dashboards.ts';
import { formatDuration } from '../trend/resolution.ts';
import { KpiGate } from './KpiGate.tsx';
import { bandTone, DEFAULT_RATIO_BANDS, formatKpiNumber, stateTone } from './kpi-values.ts';
import { useOverview } from './use-overview.ts';
import { useSlowClock } from './use-slow-clock.ts';
import { WidgetMessage } from './WidgetMessage.tsx';

export function MachineStatus({ widget }: { widget: WidgetOf<'machineStatus'> }) {
  return (
    <KpiGate period={widget.options.period}>
      <MachineCards period={widget.options.period} machineIds={widget.options.machineIds} />
    </KpiGate>
  );
}

function MachineCards({ period, machineIds }: { period: KpiPeriod; machineIds: readonly string[] }) {
  const { t } = useTranslation();
  // The list of ids as one string: the cards are laid out again only when machines come or go.
  const ids = useOverview(period, (feed) => (feed.overview?.machines ?? []).map((machine) => machine.machineId).join('\n'));
  const shown = ids.split('\n').filter((id) => id !== '' && (machineIds.length === 0 || machineIds.includes(id)));
  if (shown.length === 0) return <WidgetMessage title={t('widget.noMachines')} testId="no-machines" />;
  return (
    <div className="machine-grid" data-testid="machine-cards">
      {shown.map((id) => (
        <MachineCard key={id} period={period} machineId={id} />
      ))}
    </div>
  );
}

const percent = (value: number | null, locale: string) => {
  const text = formatKpiNumber(value, 'percent', locale, 0);
  return text === null ? '—' : `${text}%`;
};

const MachineCard = memo(function MachineCard({ period, machineId }: { period: KpiPeriod; machineId: string }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const machine = useOverview(period, (feed) => feed.machinesById[machineId]);
  const now = useSlowClock();
  if (!machine) return null;
  const tone = stateTone(machine.state);
  const { oee } = machine;
  const oeeText = formatKpiNumber(oee.oee, 'percent', locale, 1);
  const oeeTone = bandTone(oee.oee === null ? null : oee.oee * 100, DEFAULT_RATIO_BANDS);
  const since = machine.stateSince !== null && now > machine.stateSince ? t('machine.since', { duration: formatDuration(now - machine.stateSince, locale) }) : null;
  const energy = formatKpiNumber(machine.energyKwh, 'kWh', locale);
  return (
    <article className={`machine-card machine-card-${tone}`} data-testid={`machine-card-${machineId}`} data-state={machine.state}>
      <header className="machine-card-head">
        <span className="machine-name" title={machine.name}>
          {machine.name}
        </span>
        <span className={`pill pill-${tone}`} data-testid="machine-state">
          {t(`machine.state.${machine.state}`)}
        </span>
      </header>
      <div className="machine-since">{since ?? '\u00a0'}</div>
      <div className="machine-oee">
        <span className={`machine-oee-value tone-${oeeTone}`} data-testid="machine-oee">
          {oeeText === null ? '—' : `${oeeText}%`}
        </span>
        <span className="machine-oee-label">{t('machine.oee')}</span>
      </div>
      <div className="machine-apq" data-testid="machine-apq">
        <span>
          {t('machine.factor.availability')} <b>{percent(oee.availability, locale)}</b>
        </span>
        <span>
          {t('machine.factor.performance')} <b>{percent(oee.performance, locale)}</b>
        </span>
        <span>
          {t('machine.factor.quality')} <b>{percent(oee.quality, locale)}</b>
        </span>
      </div>
      <dl className="machine-figures">
        <div>
          <dt>{t('machine.output')}</dt>
          <dd data-testid="machine-output">
            {formatKpiNumber(machine.output.total, 'parts', locale)} <small>{t('kpi.unit.parts')}</small>
          </dd>
          <dd className="machine-figure-detail">
            {t('machine.goodScrap', { good: formatKpiNumber(machine.output.good, 'parts', locale) ?? '0', scrap: formatKpiNumber(machine.output.scrap, 'parts', locale) ?? '0' })}
          </dd>
        </div>
        <div>
          <dt>{t('machine.energy')}</dt>
          <dd data-testid="machine-energy">
            {energy === null ? <span className="muted">{t('widget.noMeter')}</span> : <>{energy} <small>kWh</small></>}
          </dd>
          {machine.kwhPerPart !== null && <dd className="machine-figure-detail">{t('widget.perPart', { value: formatKpiNumber(machine.kwhPerPart, 'kWhPerPart', locale) ?? '' })}</dd>}
        </div>
      </dl>
    </article>
  );
});
