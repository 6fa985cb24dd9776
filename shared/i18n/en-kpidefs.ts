// English strings of the kpidefs area, spread into en.ts; zh-CN-kpidefs.ts must match key for key.
export const enKpidefs = {
  'kpi.unit.money': 'yuan',
  'error.kpiDefinitionNotFound': 'There is no KPI "{{id}}". Refresh the list of KPIs; it may have been deleted or removed with its template.',
  'error.kpiDefinitionInvalid': 'The stored KPI "{{id}}" cannot be read (it was written by a newer PlantDesk or edited by hand). Update the template that brought it, or save the KPI again; deleting it is always possible.',
  'error.premiumLockedDashboard':
    'The dashboard "{{name}}" came with the template "{{template}}", whose licence is locked: it stays visible but cannot be changed or deleted. Renew the licence in the marketplace, or sync with the cloud if it was renewed already. To change it now, copy it and change the copy.',
  'error.premiumLockedKpi':
    'The KPI "{{name}}" came with the template "{{template}}", whose licence is locked: its value stays visible but it cannot be changed or deleted. Renew the licence in the marketplace, or sync with the cloud if it was renewed already.',
  'error.templateStep.kpis': 'Template {{template}} {{version}}, instance "{{instance}}": writing the KPI definitions failed ({{problem}}). Nothing was changed; try again.',
  'kpidefs.lockedReason':
    'Read-only: the licence of the template "{{template}}" is locked. Data collection, history and alarms keep running. Renew the licence in the marketplace, or sync with the cloud if it was renewed already.',
  'kpidefs.lockedBanner': 'This dashboard came with the template "{{template}}" and is read-only for now.',
  'kpidefs.readOnly': 'read-only',
  'kpidefs.sourceKpi': 'Stored KPI',
  'kpidefs.kpi': 'KPI',
  'kpidefs.noDefinitions': 'No KPIs are stored yet. Install a solution template from the marketplace that brings KPIs.',
  'kpidefs.kpiMissing': 'The KPI "{{kpi}}" no longer exists',
  'kpidefs.kpiMissingHint': 'It was deleted or removed with its template. Pick another KPI in the widget settings.',
  'kpidefs.noData': 'No data for {{period}} yet',
  'kpidefs.noDataHint': 'The KPI "{{kpi}}" gets a value once its inputs have samples in this period.',
  'kpidefs.valueFailed': 'The KPI "{{kpi}}" could not be computed: {{reason}}',
  'kpidefs.target': 'Target {{target}}',
} as const;
