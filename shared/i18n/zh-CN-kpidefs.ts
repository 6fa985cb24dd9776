// 简体中文：kpidefs 部分，键与 en-kpidefs.ts 一一对应。
import type { enKpidefs } from './en-kpidefs.ts';

export const zhCNKpidefs: Record<keyof typeof enKpidefs, string> = {
  'kpi.unit.money': '元',
  'error.kpiDefinitionNotFound': '没有 KPI“{{id}}”。请刷新 KPI 列表；它可能已被删除，或随其模板一起移除。',
  'error.kpiDefinitionInvalid': '已保存的 KPI“{{id}}”无法读取（由更新版本的 PlantDesk 写入或被手工修改）。请更新带来它的模板，或重新保存该 KPI；也可随时将其删除。',
  'error.premiumLockedDashboard':
    '看板“{{name}}”来自模板“{{template}}”，该模板的许可证已锁定：看板仍可查看，但不能修改或删除。请在应用市场续订许可证；如已续订，请与云端同步。如需立即修改，可复制看板后修改副本。',
  'error.premiumLockedKpi':
    'KPI“{{name}}”来自模板“{{template}}”，该模板的许可证已锁定：其数值仍可查看，但不能修改或删除。请在应用市场续订许可证；如已续订，请与云端同步。',
  'error.templateStep.kpis': '模板 {{template}} {{version}}，实例“{{instance}}”：写入 KPI 定义失败（{{problem}}）。未做任何更改；请重试。',
  'kpidefs.lockedReason': '只读：模板“{{template}}”的许可证已锁定。数据采集、历史记录和报警照常运行。请在应用市场续订许可证；如已续订，请与云端同步。',
  'kpidefs.lockedBanner': '此看板来自模板“{{template}}”，目前为只读。',
  'kpidefs.readOnly': '只读',
  'kpidefs.sourceKpi': '已保存的 KPI',
  'kpidefs.kpi': 'KPI',
  'kpidefs.noDefinitions': '尚未保存任何 KPI。请从应用市场安装带有 KPI 的解决方案模板。',
  'kpidefs.kpiMissing': 'KPI“{{kpi}}”已不存在',
  'kpidefs.kpiMissingHint': '它已被删除或随其模板一起移除。请在小组件设置中选择其他 KPI。',
  'kpidefs.noData': '{{period}}暂无数据',
  'kpidefs.noDataHint': 'KPI“{{kpi}}”的输入在此时段内有采样后即会显示数值。',
  'kpidefs.valueFailed': 'KPI“{{kpi}}”无法计算：{{reason}}',
  'kpidefs.target': '目标 {{target}}',
};
