// 简体中文：market 部分，键与 en-market.ts 一一对应。
import type { enMarket } from './en-market.ts';

export const zhCNMarket: Record<keyof typeof enMarket, string> = {
};
