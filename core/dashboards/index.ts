// Dashboards: the built-in plant overview and the plant's own dashboards, stored as validated JSON
// documents, copied, imported and exported (shared/domain/dashboards.ts is the document's form); those
// a solution template created are read-only while its licence is locked (premium-lock.ts).
export { dashboardsMigration } from './schema.ts';
export { DashboardStore, type StoredDashboard } from './dashboard-store.ts';
export { createDashboardHandlers, copyName, exportFileName, freeId, type DashboardHandlerDeps, type DashboardHandlers } from './dashboard-handlers.ts';
export { PremiumLockPolicy, premiumAlwaysAllowed, type PremiumAllowed, type TemplateOwner } from './premium-lock.ts';
