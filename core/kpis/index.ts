// The KPI engine: shift calendar, machines, OEE and losses, stops and their reasons, energy by tariff
// band, custom KPIs as formulas — over the historian's rollups and raw samples.
export { createKpiHandlers, type KpiCallName, type KpiHandlerDeps, type KpiHandlers, type KpiHandlersWithUpkeep } from './kpi-handlers.ts';
export { migrateKpiTables } from './schema.ts';
export { KpiEngine, type KpiSettings, type LiveStatus, type MachineTally } from './engine.ts';
export { PlantClock, periodAt, plannedTime, shiftOccurrences } from './calendar.ts';
