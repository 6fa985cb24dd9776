// 简体中文：kpidefs 部分，键与 en-kpidefs.ts 一一对应。
import type { enKpidefs } from './en-kpidefs.ts';

export const zhCNKpidefs: Record<keyof typeof enKpidefs, string> = {
};
