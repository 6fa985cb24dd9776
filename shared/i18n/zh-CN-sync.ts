// 简体中文：sync 部分，键与 en-sync.ts 一一对应。
import type { enSync } from './en-sync.ts';

export const zhCNSync: Record<keyof typeof enSync, string> = {
};
