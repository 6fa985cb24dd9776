// 简体中文：market 部分，键与 en-market.ts 一一对应。
import type { enMarket } from './en-market.ts';

export const zhCNMarket: Record<keyof typeof enMarket, string> = {
  'market.cloudUnreachable': '无法连接 PlantDesk 云平台（{{problem}}）。请检查本机的网络连接以及“设置 › 云平台”中的地址，然后重试。',
  'market.notActivated': '本机尚未在 PlantDesk 云平台激活，因此无法下单或查看授权。请在“设置 › 云平台”中使用贵单位的激活码激活后重试。',
  'market.catalogueOffline': '无法从 PlantDesk 云平台读取模板市场（{{problem}}），现在显示的是 {{refreshedAt}} 保存的目录。请检查网络连接后刷新。',
  'market.catalogueOfflineEmpty': '无法从 PlantDesk 云平台读取模板市场（{{problem}}），本机也还没有保存过目录。请检查网络连接以及“设置 › 云平台”中的地址后刷新。仍可以从磁盘上的模板包文件安装。',
  'market.templateUnknown': '模板市场中没有模板 {{template}}。请刷新目录后重新选择。',
  'market.templateRefused': 'PlantDesk 云平台拒绝显示模板 {{template}}：{{reason}}。请刷新目录后重试。',
  'market.screenshotMissing': '模板 {{template}} {{version}} 没有第 {{index}} 张截图。',
  'market.screenshotOffline': '模板 {{template}} {{version}} 的第 {{index}} 张截图未保存在本机，且无法连接 PlantDesk 云平台（{{problem}}）。联网后即可显示。',
  'market.screenshotRefused': 'PlantDesk 云平台拒绝提供模板 {{template}} {{version}} 的第 {{index}} 张截图：{{reason}}。',
  'market.noCompatibleVersion': '模板 {{template}} 没有适用于当前 PlantDesk（{{appVersion}}）的版本。请升级 PlantDesk，或联系发布者提供支持该版本的模板。',
  'market.versionUnknown': '模板市场中没有 {{template}} 的 {{version}} 版本（可能已下架）。请刷新目录后选择其他版本。',
  'market.downloadOffline': '模板包 {{template}} {{version}} 未保存在本机，且无法连接 PlantDesk 云平台下载（{{problem}}）。请检查网络连接后重试，或改用模板包文件安装。',
  'market.downloadRefused': 'PlantDesk 云平台拒绝发送模板包 {{template}} {{version}}：{{reason}}。请刷新目录后重试。',
  'market.downloadMismatch': '下载的模板包 {{template}} {{version}} 与目录所列不符（SHA-256 不同），可能在传输中损坏或被篡改。未安装任何内容；请刷新目录后重试。',
  'market.fileNotBase64': '无法读取模板包文件 {{file}}（文件内容未完整传到）。请重新选择该文件。',
  'market.packageOtherTemplate': '为 {{template}} 下载的模板包中是模板 {{packageTemplate}}。未安装任何内容；请向模板市场运营方反馈。',
  'market.versionRevoked': '模板 {{template}} 的 {{version}} 版本已被模板市场撤回（{{reason}}），不能安装。请在模板市场中选择更新的版本。',
  'market.licenceNeeded': '模板 {{template}} 为付费模板，本机没有它的有效授权。请先在模板市场开始试用或购买套餐（或为它导入授权文件），然后再安装。',
  'market.confirmWrites': '模板 {{template}} {{version}} 需要向您的设备写入数值。请先查看它会写入哪些内容，勾选“允许写入设备”后再安装。',
  'market.backupFailed': '修改 {{instance}} 之前的备份失败（{{problem}}），因此未做任何修改。请释放磁盘空间或检查“设置 › 存储”中的备份文件夹，然后重试。',
  'market.noUpdate': '实例 {{instance}} 已是 {{template}} 适用于当前 PlantDesk 的最新版本（{{version}}）。可刷新目录查看是否有更新版本。',
  'market.orderRefused': 'PlantDesk 云平台拒绝了 {{template}}（套餐 {{plan}}）的订单：{{reason}}。请在模板市场中核对套餐，或联系模板市场运营方。',
  'market.entitlementsRefused': 'PlantDesk 云平台拒绝列出您的授权：{{reason}}。请在“设置 › 云平台”中检查本机的激活状态。',
  'market.cancelRefused': 'PlantDesk 云平台拒绝取消授权 {{entitlement}}：{{reason}}。请刷新授权列表后重试。',
};
