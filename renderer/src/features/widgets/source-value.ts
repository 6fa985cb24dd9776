// The number a value tile or a gauge stands for, read from where its source says: a plant or
// machine figure of the KPI feed, or a point's live value from the points store (a stored KPI's value
// comes from kpi-value-feed.ts).
import { useTranslation } from 'react-i18next';
import type { Point } from '../../../../shared/domain/devices.ts';
import type { ValueSource } from '../../../../shared/domain/dashboards.ts';
import { formatNumber, formatPointValue } from '../../format/format-value.ts';
import { usePointsStore } from '../../store/index.ts';
import { formatKpiNumber, kpiUnit, machineKpi, plantKpi, unitText, type KpiUnit } from './kpi-values.ts';
import { useOverview } from './use-overview.ts';

export interface KpiSourceValue {
  /** undefined: the machine is not in the answer. */
  value: number | null | undefined;
  unit: KpiUnit;
  text: string | null;
  unitLabel: string;
  /** The engine's name of the period ("Day shift 2026-05-04"). */
  periodLabel: string | null;
}

/** A plant or machine figure of the KPI feed, written for the UI. */
export function useKpiSourceValue(source: Extract<ValueSource, { kind: 'plant' | 'machine' }>, decimals?: number): KpiSourceValue {
  const { t, i18n } = useTranslation();
  const value = useOverview(source.period, (feed) => {
    if (!feed.overview) return null;
    if (source.kind === 'plant') return plantKpi(feed.overview, source.kpi);
    const machine = feed.machinesById[source.machineId];
    return machine ? machineKpi(machine, source.kpi) : undefined;
  });
  const periodLabel = useOverview(source.period, (feed) => feed.overview?.period.label ?? null);
  const unit = kpiUnit(source.kpi);
  return {
    value,
    unit,
    text: value === undefined ? null : formatKpiNumber(value, unit, i18n.language, decimals),
    unitLabel: unitText(unit, t('kpi.unit.parts'), t('kpi.unit.money')),
    periodLabel,
  };
}

export interface PointSourceValue {
  point: Point | undefined;
  value: number | string | null;
  text: string | null;
  stale: boolean;
}

/** A point's live value, written with the point's own resolution. */
export function usePointSourceValue(pointId: string, decimals?: number): PointSourceValue {
  const { i18n } = useTranslation();
  const point = usePointsStore((state) => state.points.find((candidate) => candidate.id === pointId));
  const latest = usePointsStore((state) => state.latest[pointId]);
  const value = latest?.value ?? null;
  let text: string | null = null;
  if (point && value !== null) {
    text = typeof value === 'number' && decimals !== undefined ? formatNumber(value, decimals, i18n.language) : formatPointValue(value, point, i18n.language);
  }
  return { point, value, text, stale: latest !== undefined && latest.quality !== 'good' };
}
