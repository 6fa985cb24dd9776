// When each machine ran, idled, stopped or was offline over the shift or the day: a Gantt chart of
// states, a row per machine, over the whole period (the part still to come stays empty).
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { MACHINE_STATES, type KpiPeriod, type MachineState } from '../../../../shared/contract/kpi-calls.ts';
import type { WidgetOf } from '../../../../shared/domain/dashboards.ts';
import { timelineOption } from './chart-options.ts';
import { KpiGate } from './KpiGate.tsx';
import { stateColors } from './kpi-values.ts';
import { useThemeStore } from '../../store/index.ts';
import { useOverview } from './use-overview.ts';
import { WidgetChart } from './WidgetChart.tsx';
import { WidgetMessage } from './WidgetMessage.tsx';

const ROW_PX = 24;

export function StateTimeline({ widget }: { widget: WidgetOf<'stateTimeline'> }) {
  return (
    <KpiGate period={widget.options.period}>
      <Timeline period={widget.options.period} machineIds={widget.options.machineIds} />
    </KpiGate>
  );
}

function Timeline({ period, machineIds }: { period: KpiPeriod; machineIds: readonly string[] }) {
  const { t, i18n } = useTranslation();
  const machines = useOverview(period, (feed) => feed.overview?.machines);
  const from = useOverview(period, (feed) => feed.overview?.period.from ?? 0);
  const to = useOverview(period, (feed) => feed.overview?.period.to ?? 0);
  const words = useMemo(
    () => ({ state: Object.fromEntries(MACHINE_STATES.map((state) => [state, t(`machine.state.${state}`)])) as Record<MachineState, string> }),
    [t],
  );
  const rows = useMemo(
    () =>
      (machines ?? [])
        .filter((machine) => machineIds.length === 0 || machineIds.includes(machine.machineId))
        .map((machine) => ({ id: machine.machineId, name: machine.name, spans: machine.timeline })),
    [machines, machineIds],
  );
  const colors = stateColors(useThemeStore((state) => state.resolved));
  const option = useMemo(() => timelineOption(rows, { from, to }, words, i18n.language, colors), [rows, from, to, words, i18n.language, colors]);
  if (rows.length === 0) return <WidgetMessage title={t('widget.noMachines')} />;
  const shownStates = MACHINE_STATES.filter((state) => rows.some((row) => row.spans.some((span) => span.state === state)));
  return (
    <div className="timeline">
      <div className="timeline-scroll">
        <div className="timeline-chart" style={{ minHeight: rows.length * ROW_PX + 34 }}>
          <WidgetChart option={option} replaceMerge={['series']} testId="state-timeline" data={{ rows: rows.length }} />
        </div>
      </div>
      <ul className="chart-legend" aria-label={t('widget.type.stateTimeline')}>
        {shownStates.map((state) => (
          <li key={state}>
            <span className="chart-legend-swatch" style={{ background: colors[state] }} />
            {words.state[state]}
          </li>
        ))}
      </ul>
    </div>
  );
}
