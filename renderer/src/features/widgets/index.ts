// The dashboard's widgets: one component per widget type (shared/domain/dashboards.ts), each reading
// its own figures — the KPI feed per period, stored KPIs' values, the historian, the points store, the alarm service.
export { WidgetBody } from './WidgetBody.tsx';
export { widgetTitle, type WidgetNames } from './widget-text.ts';
export { setFeedRefresh, refreshFeeds, useOverviewFeeds } from './overview-feed.ts';
export { useOverview } from './use-overview.ts';
export { useKpiValueFeeds } from './kpi-value-feed.ts';
