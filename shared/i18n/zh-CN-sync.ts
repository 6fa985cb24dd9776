// 简体中文：sync 部分，键与 en-sync.ts 一一对应。
import type { enSync } from './en-sync.ts';

export const zhCNSync: Record<keyof typeof enSync, string> = {
  'sync.stream.usage': '用量',
  'sync.stream.outcomes': '效果',
  'sync.error.unreachable': '无法连接 PlantDesk 云平台（{{url}}）。记录保存在本机，连接恢复后会自动发送；请检查网络，或在“设置”中检查云平台地址。',
  'sync.error.server': 'PlantDesk 云平台暂时无法接收{{stream}}记录（HTTP {{status}}）。PlantDesk 会自动重试，记录不会丢失。',
  'sync.error.badAnswer': 'PlantDesk 云平台返回了无法识别的应答（{{path}}）。PlantDesk 会自动重试；如果一直出现，请联系 PlantDesk 技术支持。',
  'sync.error.licences': '刷新许可证失败：{{detail}}。PlantDesk 会在下次同步时重试。',
  'sync.error.catalogue': '刷新模板目录失败：{{detail}}。PlantDesk 会在下次同步时重试。',
  'sync.error.clock': 'PlantDesk 云平台拒绝了本机的请求，因为本机时钟不准（{{detail}}）。请在 Windows 中校正日期和时间，然后点击“立即同步”。',
  'sync.error.machineRefused': 'PlantDesk 云平台不接受本机（HTTP {{status}}：{{detail}}），本机可能已被停用。请在“设置 → 云平台”中检查激活状态。',
  'sync.error.internal': '同步因意外错误而停止（{{detail}}）。PlantDesk 会自动重试；如果一直出现，请把日志发给 PlantDesk 技术支持。',
  'sync.refused.chainBroken':
    '云平台拒收{{stream}}记录 {{first}} 至 {{last}}（批次 {{batchId}}）：本机的记录在记录之后被修改或删除。这些记录保留在本机，不会再次发送；请凭批次号联系 PlantDesk 技术支持。',
  'sync.refused.other':
    '云平台拒收{{stream}}记录 {{first}} 至 {{last}}（批次 {{batchId}}，HTTP {{status}}：{{detail}}）。这些记录保留在本机，不会自动再次发送（PlantDesk 更新后会再试一次）；排除原因后请点击“重新发送”，否则请凭批次号联系 PlantDesk 技术支持。',
  'sync.outcome.meanDailyBaseline':
    '日均基准法：基准期 {{baselineDays}} 天（{{baselineStart}} 至 {{baselineEnd}}）用电 {{baselineKwh}} kWh，即每天 {{perDayKwh}} kWh；测量期 {{measuredDays}} 天（{{measuredStart}} 至 {{measuredEnd}}）预计用电 {{expectedKwh}} kWh。实测用电 {{measuredKwh}} kWh。节约：{{expectedKwh}} − {{measuredKwh}} = {{savedKwh}} kWh。',
  'sync.outcome.meanDailyBaselineSum':
    '该模板 {{instances}} 个实例的合计，每个实例按其自身的日均基准计算（预计 → 实测：{{parts}}）。基准期合计用电 {{baselineKwh}} kWh（{{baselineStart}} 至 {{baselineEnd}}）。测量期 {{measuredStart}} 至 {{measuredEnd}}：预计用电 {{expectedKwh}} kWh，实测用电 {{measuredKwh}} kWh。节约：{{expectedKwh}} − {{measuredKwh}} = {{savedKwh}} kWh。',
  'sync.outcome.unsupportedUnit':
    '未出具 {{templateId}} 的节电结果：其电能计数点 {{point}} 的单位为“{{unit}}”，PlantDesk 只接受单位为 Wh、kWh 或 MWh 的计数点。请在“设备”中设置测点 {{point}} 的单位；设置后会补出此后各天的结果。',
  'sync.outcome.badPoint':
    '未出具 {{templateId}} 的节电结果：其电能计数点 {{point}} 不存在或不是计数类型。请在“设备”中检查测点 {{point}}，或重新安装该模板。',
  'sync.meter.unsupported':
    '无法安装模板 {{template}} {{version}}：它声明了计量项“{{meter}}”，而当前版本的 PlantDesk 不支持该计量项（支持：{{supported}}），其用量将无法计费。请更新 PlantDesk，或向发布者索取不含该计量项的版本。',
};
