// A figure per shift or per day — OEE, a factor, output, scrap or energy, for the plant or one
// machine — the newest on the right and paler while it is still running. The running period comes
// from the live feed; past periods are read once each (they no longer change), one request at a time.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PlantOverview } from '../../../../shared/contract/kpi-calls.ts';
import type { WidgetOf } from '../../../../shared/domain/dashboards.ts';
import { periodBarsOption, periodShortLabel, type PeriodBar } from './chart-options.ts';
import { KpiGate } from './KpiGate.tsx';
import { readOverview } from './kpi-source.ts';
import { bandTone, barValue, DEFAULT_RATIO_BANDS, formatKpiNumber, kpiUnit, unitText } from './kpi-values.ts';
import { serialJobs } from './serial-job.ts';
import { useOverview } from './use-overview.ts';
import { WidgetChart } from './WidgetChart.tsx';

type Options = WidgetOf<'barByShift'>['options'];

/** Closed periods read before, by kind and start: they do not change any more. */
const closedPeriods = new Map<string, PlantOverview>();

function rememberClosed(overview: PlantOverview): void {
  closedPeriods.set(`${overview.period.kind}|${overview.period.to}`, overview);
  // Two weeks of shifts of a few kinds is plenty; the oldest go first.
  if (closedPeriods.size > 100) closedPeriods.delete(closedPeriods.keys().next().value!);
}

export function BarByShift({ widget }: { widget: WidgetOf<'barByShift'> }) {
  return (
    <KpiGate period={widget.options.period}>
      <PeriodBars options={widget.options} />
    </KpiGate>
  );
}

function PeriodBars({ options }: { options: Options }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const { period, count } = options;
  const current = useOverview(period, (feed) => feed.overview);
  const currentFrom = current?.period.from;
  const [past, setPast] = useState<PlantOverview[]>([]);
  const jobs = useRef(serialJobs());

  useEffect(() => {
    if (currentFrom === undefined) return;
    const queue = jobs.current;
    queue.run(async (stale) => {
      const loaded: PlantOverview[] = [];
      let before = currentFrom;
      for (let index = 1; index < count; index++) {
        let overview = closedPeriods.get(`${period}|${before}`);
        if (!overview) {
          const result = await readOverview(period, before - 1);
          if (stale()) return;
          // An engine that cannot go back answers with the running period again, or refuses `at`.
          if (result.kind !== 'ok' || result.value.period.from >= before) break;
          overview = result.value;
          if (!overview.period.current) rememberClosed(overview);
        }
        loaded.unshift(overview);
        before = overview.period.from;
      }
      if (!stale()) setPast(loaded);
    });
    return () => queue.cancel();
  }, [period, currentFrom, count]);

  const unit = kpiUnit(options.kpi);
  const bars = useMemo((): PeriodBar[] => {
    const all = current ? [...past.filter((overview) => overview.period.from < current.period.from), current] : past;
    return all.slice(-count).map((overview) => {
      const value = barValue(overview, options);
      return {
        label: periodShortLabel(overview.period, locale),
        title: overview.period.label,
        value,
        current: overview.period.current,
        tone: unit === 'percent' ? bandTone(value === null ? null : value * 100, DEFAULT_RATIO_BANDS) : null,
      };
    });
  }, [past, current, count, options, unit, locale]);

  const option = useMemo(
    () =>
      periodBarsOption(bars, {
        unit: unitText(unit, t('kpi.unit.parts'), t('kpi.unit.money')),
        percent: unit === 'percent',
        text: (value) => formatKpiNumber(value, unit, locale, unit === 'percent' ? 0 : undefined) ?? '',
        running: t(`widget.periodOption.${period}`),
      }),
    [bars, unit, locale, t, period],
  );
  return <WidgetChart option={option} testId="period-bars" data={{ bars: bars.length }} />;
}
