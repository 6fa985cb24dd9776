// A widget's title: its own in the UI language, else one made from what it shows (with the names of
// the machine, point or stored KPI it is about).
import { useTranslation } from 'react-i18next';
import type { Widget } from '../../../../shared/domain/dashboards.ts';
import { pickLocale } from '../../../../shared/i18n/index.ts';
import { usePointsStore } from '../../store/index.ts';
import { useKpiValueFeeds, useOverviewFeeds, widgetTitle } from '../widgets/index.ts';

/** The machine a widget is about, when it is about one. */
function machineOf(widget: Widget): string | null {
  if ((widget.type === 'valueTile' || widget.type === 'gauge') && widget.options.source.kind === 'machine') return widget.options.source.machineId;
  if (widget.type === 'oeeBreakdown' || widget.type === 'barByShift') return widget.options.machineId;
  return null;
}

/** The stored KPI a tile or gauge shows, when it shows one. */
function kpiOf(widget: Widget): string | null {
  if ((widget.type === 'valueTile' || widget.type === 'gauge') && widget.options.source.kind === 'kpi') return widget.options.source.kpiId;
  return null;
}

function pointOf(widget: Widget): string | null {
  if ((widget.type === 'valueTile' || widget.type === 'gauge') && widget.options.source.kind === 'point') return widget.options.source.pointId;
  return null;
}

export function WidgetTitle({ widget }: { widget: Widget }) {
  const { i18n } = useTranslation();
  const machineId = machineOf(widget);
  const pointId = pointOf(widget);
  const machineName = useOverviewFeeds((state) => {
    if (machineId === null) return undefined;
    for (const feed of Object.values(state.feeds)) {
      const machine = feed?.machinesById[machineId];
      if (machine) return machine.name;
    }
    return undefined;
  });
  const kpiId = kpiOf(widget);
  // The name comes with the KPI's value (kpis.value), which the widget itself is reading.
  const kpiName = useKpiValueFeeds((state) => {
    if (kpiId === null) return undefined;
    for (const feed of Object.values(state.feeds)) if (feed.result?.kpiId === kpiId) return feed.result.name;
    return undefined;
  });
  const pointName = usePointsStore((state) => (pointId === null ? undefined : state.points.find((point) => point.id === pointId)?.name));
  const title = widgetTitle(widget, pickLocale(i18n.language), { machine: () => machineName, point: () => pointName, kpi: () => kpiName });
  return (
    <h3 className="widget-title" title={title}>
      {title}
    </h3>
  );
}
