// What a widget is called when its document gives it no title, built from its type and options in the
// UI language: "OEE, this shift", "本班OEE", "Spindle speed".
import type { Locale } from '../../../../shared/i18n/index.ts';
import { translate } from '../../../../shared/i18n/index.ts';
import { localizedText, type DashboardPeriod, type Widget } from '../../../../shared/domain/dashboards.ts';

export interface WidgetNames {
  point(pointId: string): string | undefined;
  machine(machineId: string): string | undefined;
  /** A stored KPI's name. */
  kpi(kpiId: string): string | undefined;
}

export function periodWord(period: DashboardPeriod, locale: Locale): string {
  return translate(locale, `widget.period.${period}`);
}

function withPeriod(what: string, period: DashboardPeriod, locale: Locale): string {
  return translate(locale, 'widget.defaultTitle', { what, period: periodWord(period, locale) });
}

/** The title shown above a widget: its own, else one made from what it shows. */
export function widgetTitle(widget: Widget, locale: Locale, names: WidgetNames): string {
  const own = localizedText(widget.title, locale);
  if (own) return own;
  const type = translate(locale, `widget.type.${widget.type}`);
  switch (widget.type) {
    case 'valueTile':
    case 'gauge': {
      const source = widget.options.source;
      if (source.kind === 'point') return names.point(source.pointId) ?? source.pointId;
      if (source.kind === 'kpi') return withPeriod(names.kpi(source.kpiId) ?? source.kpiId, source.period, locale);
      const kpi = translate(locale, `kpi.${source.kpi}`);
      if (source.kind === 'plant') return withPeriod(kpi, source.period, locale);
      return withPeriod(`${names.machine(source.machineId) ?? source.machineId} · ${kpi}`, source.period, locale);
    }
    case 'machineStatus':
    case 'stateTimeline':
    case 'energyByMachine':
      return withPeriod(type, widget.options.period, locale);
    case 'oeeBreakdown': {
      const machine = widget.options.machineId;
      return withPeriod(machine ? `${names.machine(machine) ?? machine} · ${type}` : type, widget.options.period, locale);
    }
    case 'barByShift':
      return `${translate(locale, `kpi.${widget.options.kpi}`)} · ${translate(locale, `widget.periodBars.${widget.options.period}`)}`;
    case 'trend':
      return `${type} · ${translate(locale, `widget.range.${widget.options.range}`)}`;
    case 'alarmList':
      return type;
    case 'stopList': {
      const machine = widget.options.machineId;
      return withPeriod(machine ? `${names.machine(machine) ?? machine} · ${type}` : type, 'shift', locale);
    }
  }
}
