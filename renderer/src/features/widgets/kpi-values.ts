// The numbers the widgets show, from a plant overview: plant-wide OEE factors and losses summed from
// the machines, the figure a tile or a bar stands for, and how each kind of figure is written
// (percentages, parts, kWh). Pure functions, unit-tested.
import type { Losses, MachineOverview, MachineState, PlantOverview } from '../../../../shared/contract/kpi-calls.ts';
import { RATIO_KPIS, type BarKpi, type MachineKpi, type PlantKpi } from '../../../../shared/domain/dashboards.ts';
import { formatNumber } from '../../format/format-value.ts';

export interface OeeFactors {
  availability: number | null;
  performance: number | null;
  quality: number | null;
  oee: number | null;
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

/**
 * The plant's availability, performance and quality from its machines: run time over planned time,
 * good parts over all parts, and performance as what OEE leaves once those two are taken out
 * (OEE = A × P × Q). OEE is the engine's own plant figure when it gives one.
 */
export function plantFactors(overview: Pick<PlantOverview, 'machines' | 'plant'>): OeeFactors {
  const machines = overview.machines;
  const planned = sum(machines.map((machine) => machine.oee.plannedMs));
  const run = sum(machines.map((machine) => machine.oee.runMs));
  const total = sum(machines.map((machine) => machine.output.total));
  const good = sum(machines.map((machine) => machine.output.good));
  const availability = planned > 0 ? run / planned : null;
  const quality = total > 0 ? good / total : null;
  let oee = overview.plant.oee;
  if (oee === null) {
    const weighted = machines.filter((machine) => machine.oee.oee !== null && machine.oee.plannedMs > 0);
    const weight = sum(weighted.map((machine) => machine.oee.plannedMs));
    oee = weight > 0 ? sum(weighted.map((machine) => machine.oee.oee! * machine.oee.plannedMs)) / weight : null;
  }
  const performance = oee !== null && availability && quality ? oee / (availability * quality) : null;
  return { availability, performance, quality, oee };
}

/** The machines' losses added up; stop reasons merged by code. */
export function plantLosses(machines: readonly Pick<MachineOverview, 'losses'>[]): Losses {
  const byReason: Record<string, number> = {};
  for (const { losses } of machines) for (const [reason, ms] of Object.entries(losses.byReason)) byReason[reason] = (byReason[reason] ?? 0) + ms;
  return {
    plannedStopMs: sum(machines.map((machine) => machine.losses.plannedStopMs)),
    unplannedStopMs: sum(machines.map((machine) => machine.losses.unplannedStopMs)),
    microStopMs: sum(machines.map((machine) => machine.losses.microStopMs)),
    speedLossMs: sum(machines.map((machine) => machine.losses.speedLossMs)),
    qualityLossMs: sum(machines.map((machine) => machine.losses.qualityLossMs)),
    byReason,
  };
}

/** A plant figure of an overview. */
export function plantKpi(overview: PlantOverview, kpi: PlantKpi | BarKpi): number | null {
  switch (kpi) {
    case 'oee':
    case 'availability':
    case 'performance':
    case 'quality':
      return plantFactors(overview)[kpi];
    case 'output':
      return overview.plant.output;
    case 'scrap':
      return sum(overview.machines.map((machine) => machine.output.scrap));
    case 'energyKwh':
      return overview.plant.energyKwh;
    case 'energyCost':
      return overview.plant.energyCost;
    case 'peakDemandKw':
      return overview.plant.peakDemandKw;
  }
}

/** One machine's figure. */
export function machineKpi(machine: MachineOverview, kpi: MachineKpi | BarKpi): number | null {
  switch (kpi) {
    case 'oee':
    case 'availability':
    case 'performance':
    case 'quality':
      return machine.oee[kpi];
    case 'output':
      return machine.output.total;
    case 'good':
      return machine.output.good;
    case 'scrap':
      return machine.output.scrap;
    case 'energyKwh':
      return machine.energyKwh;
    case 'kwhPerPart':
      return machine.kwhPerPart;
  }
}

/** The figure a bar stands for in one period's overview. */
export function barValue(overview: PlantOverview, options: { kpi: BarKpi; machineId: string | null }): number | null {
  if (options.machineId === null) return plantKpi(overview, options.kpi);
  const machine = overview.machines.find((candidate) => candidate.machineId === options.machineId);
  return machine ? machineKpi(machine, options.kpi) : null;
}

export type KpiName = PlantKpi | MachineKpi | BarKpi;
/** How a figure is written: a percentage, a count of parts, or a number with a physical unit. */
export type KpiUnit = 'percent' | 'parts' | 'kWh' | 'kW' | 'kWhPerPart' | 'money';

export function kpiUnit(kpi: KpiName): KpiUnit {
  if (RATIO_KPIS.includes(kpi)) return 'percent';
  if (kpi === 'output' || kpi === 'good' || kpi === 'scrap') return 'parts';
  if (kpi === 'energyKwh') return 'kWh';
  if (kpi === 'peakDemandKw') return 'kW';
  if (kpi === 'kwhPerPart') return 'kWhPerPart';
  return 'money';
}

/** Decimals for an energy or power figure: fewer as it grows, so a tile does not jitter. */
function physicalDecimals(value: number): number {
  const magnitude = Math.abs(value);
  if (magnitude >= 1000) return 0;
  if (magnitude >= 100) return 1;
  if (magnitude >= 1) return 1;
  return 2;
}

/**
 * A figure as text without its unit: "85.3" for 0.853 as a percentage, "1,204" parts, "86.4" kWh.
 * @example formatKpiNumber(0.8534, 'percent', 'en') // → '85.3'
 */
export function formatKpiNumber(value: number | null, unit: KpiUnit, locale: string, decimals?: number): string | null {
  if (value === null || !Number.isFinite(value)) return null;
  if (unit === 'percent') return formatNumber(value * 100, decimals ?? 1, locale);
  if (unit === 'parts') return formatNumber(value, decimals ?? 0, locale);
  if (unit === 'kWhPerPart') return formatNumber(value, decimals ?? (Math.abs(value) >= 10 ? 1 : 3), locale);
  return formatNumber(value, decimals ?? physicalDecimals(value), locale);
}

/** The unit written after a figure ('%', 'kWh'); parts and money take the UI's words (pieces, yuan). */
export function unitText(unit: KpiUnit, partsWord: string, moneyWord = ''): string {
  switch (unit) {
    case 'percent':
      return '%';
    case 'parts':
      return partsWord;
    case 'kWh':
      return 'kWh';
    case 'kW':
      return 'kW';
    case 'kWhPerPart':
      return 'kWh';
    case 'money':
      return moneyWord;
  }
}

export type Tone = 'good' | 'warn' | 'bad' | 'off';

/** The colour word of a machine state: running green, idle amber, stopped or in alarm red, offline grey. */
export function stateTone(state: MachineState): Tone {
  if (state === 'running') return 'good';
  if (state === 'idle') return 'warn';
  if (state === 'stopped' || state === 'alarm') return 'bad';
  return 'off';
}

/** Colours of the states in charts (the same hues as the pills, a step lighter so bars stay readable). */
export const STATE_COLORS: Record<MachineState, string> = {
  running: '#34a853',
  idle: '#f2a600',
  stopped: '#e8453c',
  alarm: '#a50e0e',
  offline: '#9aa0a6',
  unknown: '#d5dae1',
};

/** The same states on the dark surface: "unknown" and "offline" recede instead of glaring. */
export const STATE_COLORS_DARK: Record<MachineState, string> = {
  running: '#44b864',
  idle: '#f2a600',
  stopped: '#f0564d',
  alarm: '#c93a33',
  offline: '#7d8591',
  unknown: '#4a5361',
};

/** The state colours for the app's theme. */
export function stateColors(theme: 'light' | 'dark'): Record<MachineState, string> {
  return theme === 'dark' ? STATE_COLORS_DARK : STATE_COLORS;
}

/** World-class OEE is 85 %; under 60 % most plants call poor. The default bands for ratio figures. */
export const DEFAULT_RATIO_BANDS = { warn: 60, good: 85, lowerIsBetter: false } as const;

/** The band a value falls in (values and bands in the same unit). */
export function bandTone(value: number | null, bands: { warn: number; good: number; lowerIsBetter?: boolean }): Tone {
  if (value === null) return 'off';
  if (bands.lowerIsBetter) return value <= bands.good ? 'good' : value <= bands.warn ? 'warn' : 'bad';
  return value >= bands.good ? 'good' : value >= bands.warn ? 'warn' : 'bad';
}
