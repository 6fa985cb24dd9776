// 简体中文：templates 部分，键与 en-templates.ts 一一对应。
import type { enTemplates } from './en-templates.ts';

export const zhCNTemplates: Record<keyof typeof enTemplates, string> = {
};
