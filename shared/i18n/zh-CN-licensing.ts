// 简体中文：licensing 部分，键与 en-licensing.ts 一一对应。
import type { enLicensing } from './en-licensing.ts';

export const zhCNLicensing: Record<keyof typeof enLicensing, string> = {
};
