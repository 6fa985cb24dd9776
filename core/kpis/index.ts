// The KPI engine: shift calendar, machines, OEE and losses, stops and their reasons, energy by tariff
// band, custom KPIs as formulas — over the historian's rollups and raw samples — and the stored KPI
// definitions (made in the app or brought by templates) dashboards show.
export { createKpiHandlers, type KpiCallName, type KpiHandlerDeps, type KpiHandlers, type KpiHandlersWithUpkeep } from './kpi-handlers.ts';
export { createKpiDefinitionHandlers, type KpiDefinitionHandlerDeps, type KpiDefinitionHandlers } from './kpi-definition-handlers.ts';
export { KpiDefinitionStore, type StoredKpiDefinition } from './definition-store.ts';
export { kpiDefinitionsMigration, migrateKpiTables } from './schema.ts';
export { KpiEngine, type KpiSettings, type LiveStatus, type MachineTally } from './engine.ts';
export { PlantClock, periodAt, plannedTime, shiftOccurrences } from './calendar.ts';
