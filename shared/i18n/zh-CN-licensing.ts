// 简体中文：licensing 部分，键与 en-licensing.ts 一一对应。
import type { enLicensing } from './en-licensing.ts';

export const zhCNLicensing: Record<keyof typeof enLicensing, string> = {
  'licensing.cloud.noUrl': '尚未设置 PlantDesk 云平台地址。请在“设置 › 云平台”中填写平台运营方提供的地址（例如 https://cloud.plantdesk.cn），然后重试。',
  'licensing.cloud.insecureUrl': '云平台地址 {{url}} 不安全：请使用 https:// 地址（http:// 仅可用于本机上的平台）。请向平台运营方索取 https 地址；若工厂内网平台没有 https，请以 PLANTDESK_ALLOW_HTTP_CLOUD=1 启动 PlantDesk。',
  'licensing.cloud.unreachable': '无法连接 {{url}} 的 PlantDesk 云平台：{{reason}}。请检查网络连接和“设置 › 云平台”中的地址，然后重试。',
  'licensing.cloud.badAnswer': '{{url}} 的服务器返回了 PlantDesk 无法识别的应答。请确认“设置 › 云平台”中的地址正确，或升级 PlantDesk。',
  'licensing.cloud.notActivated': '本机尚未在 PlantDesk 云平台激活。请先在“设置 › 云平台”中输入激活码。',
  'licensing.cloud.fingerprintMismatch': '此数据文件夹是在另一台电脑上激活的（本机大部分硬件不同），因此本机不使用其云平台激活。请向平台运营方索取新的激活码，激活本机。',
  'licensing.cloud.keyMissing': '数据文件夹中缺少本机激活时生成的密钥。请向平台运营方索取新的激活码，重新激活本机。',
  'licensing.cloud.keyUnreadable': '本机无法打开激活时生成的密钥（数据文件夹是从另一台电脑复制来的，或密钥文件已损坏）。请向平台运营方索取新的激活码，激活本机。',
  'licensing.cloud.alreadyActivated': '本机已激活，名称为“{{machine}}”，属于 {{organisation}}。如需重新激活，请先让平台运营方注销机器 {{machineId}}，再输入新的激活码。',
  'licensing.cloud.badCode': '激活码 {{code}} 无效、已被使用或已过期。请核对激活码，或向平台运营方索取新的激活码。',
  'licensing.cloud.tooManyAttempts': '在 {{url}} 的激活尝试次数过多。请等几分钟后重试。',
  'licensing.cloud.activationRefused': '{{url}} 的 PlantDesk 云平台拒绝了激活（HTTP {{status}}：{{reason}}）。请核对激活码和云平台地址，或联系平台运营方。',
  'licensing.cloud.clockSkew': '本机时钟与 PlantDesk 云平台相差超过 5 分钟。请把日期和时间调准，然后重新同步。',
  'licensing.cloud.revoked': 'PlantDesk 云平台已不再接受本机（其激活已被注销）。请使用新的激活码重新激活。',
  'licensing.cloud.refreshRefused': 'PlantDesk 云平台拒绝续期许可证（HTTP {{status}}：{{reason}}）。请稍后重试；如仍失败，请联系平台运营方。',
  'licensing.secrets.writeFailed': '无法写入受保护文件 {{file}}：{{reason}}。请确认数据文件夹可写且磁盘未满，然后重试。',
  'licensing.secrets.readFailed': '无法读取受保护文件 {{file}}：{{reason}}。请检查数据文件夹的权限，然后重新启动 PlantDesk。',
  'licensing.secrets.otherPc': '本机无法打开受保护文件 {{file}}：它是在另一台电脑上生成的（数据文件夹被复制），或已损坏。请使用新的激活码激活本机。',
  'licensing.secrets.keychainCannotOpen': '系统钥匙串无法打开 {{file}}（{{reason}}）。请以激活 PlantDesk 时的 Windows 或 macOS 用户登录，或使用新的激活码重新激活本机。',
  'licensing.secrets.keychainFailed': '系统钥匙串无法保存本机密钥（{{reason}}）。请解锁钥匙串（重新登录电脑），然后重试。',
  'licensing.state.none': '本机没有此模板的许可证：其高级功能为只读；数据采集、报警和导出照常进行。请在模板市场开始试用或选择套餐。',
  'licensing.import.noLine': '文本中没有找到许可证行。每行以“licence.”开头：请从 PlantDesk 云平台复制完整的一行，再粘贴一次。',
  'licensing.import.refused': '第 {{line}} 行未被接受：{{reason}} 所有行均未保存；请删除该行或重新粘贴。',
  'licensing.state.creditLow': '尚未上报的用量为 {{units}}，本机离线时最多可记录 {{limit}}。请将本机连接互联网以便同步；达到上限后高级功能将变为只读（数据采集不受影响）。',
} as const;
