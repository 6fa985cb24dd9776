// Plant overviews as the KPI engine answers them (shared/contract/kpi-calls.ts), for the widgets' tests.
import { PlantOverviewSchema, type MachineOverview, type PlantOverview } from '../../../../shared/contract/kpi-calls.ts';

const HOUR = 3_600_000;
export const SHIFT_FROM = Date.UTC(2026, 4, 4, 0, 0);

export function machine(id: string, overrides: Partial<MachineOverview> = {}): MachineOverview {
  return {
    machineId: id,
    name: id.toUpperCase(),
    deviceId: `dev-${id}`,
    state: 'running',
    stateSince: SHIFT_FROM + HOUR,
    oee: { availability: 0.9, performance: 0.8, quality: 0.95, oee: 0.684, plannedMs: 4 * HOUR, runMs: 3.6 * HOUR },
    losses: { plannedStopMs: 0, unplannedStopMs: 0.4 * HOUR, microStopMs: 0, speedLossMs: 0.5 * HOUR, qualityLossMs: 0.1 * HOUR, byReason: { toolChange: 0.3 * HOUR, unassigned: 0.1 * HOUR } },
    output: { total: 200, good: 190, scrap: 10 },
    energyKwh: 40,
    kwhPerPart: 40 / 190,
    timeline: [
      { from: SHIFT_FROM, to: SHIFT_FROM + HOUR, state: 'stopped' },
      { from: SHIFT_FROM + HOUR, to: SHIFT_FROM + 4 * HOUR, state: 'running' },
    ],
    ...overrides,
  };
}

export function overview(machines: MachineOverview[], overrides: Partial<PlantOverview> = {}): PlantOverview {
  return PlantOverviewSchema.parse({
    period: { kind: 'shift', from: SHIFT_FROM, to: SHIFT_FROM + 8 * HOUR, label: 'Day shift 2026-05-04', current: true },
    machines,
    plant: { oee: null, output: machines.reduce((sum, entry) => sum + entry.output.total, 0), energyKwh: 80, energyCost: 56, peakDemandKw: 31.5 },
    computedAt: SHIFT_FROM + 4 * HOUR,
    ...overrides,
  });
}
