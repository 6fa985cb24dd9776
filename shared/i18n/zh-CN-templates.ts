// 简体中文：templates 部分，键与 en-templates.ts 一一对应。
import type { enTemplates } from './en-templates.ts';

export const zhCNTemplates: Record<keyof typeof enTemplates, string> = {
  'error.templateReportsRefused': '模板 {{template}} {{version}} 含有报表布局，而 PlantDesk 没有报表功能，无法安装。未为“{{instance}}”安装任何内容；请向发布者索取不含报表的版本。',
  'error.templateAgentsRefused':
    '模板 {{template}} {{version}} 含有智能体（agents），它们属于程序代码；模板只能包含声明式内容（寄存器表、点位、KPI、看板、报警规则、翻译）。未为“{{instance}}”安装任何内容；请向发布者索取不含智能体的版本。',
  'error.templateTranslationMissing': '模板 {{template}} {{version}}，实例“{{instance}}”：文件 {{file}} 使用了文本 {{key}}，但模板的翻译中两种语言都没有定义它。未做任何更改；请联系模板发布者。',
  'error.templateTagDeviceMissing': '模板 {{template}} {{version}}，实例“{{instance}}”：要添加点位的设备 {{device}} 不存在。未做任何更改；请为模板选择一个现有设备，或先添加该设备。',
};
