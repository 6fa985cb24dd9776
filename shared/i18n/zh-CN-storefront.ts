// 简体中文：storefront 部分，键与 en-storefront.ts 一一对应。
import type { enStorefront } from './en-storefront.ts';

export const zhCNStorefront: Record<keyof typeof enStorefront, string> = {
};
