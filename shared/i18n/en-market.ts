// English strings of the market area, spread into en.ts; zh-CN-market.ts must match key for key.
export const enMarket = {
} as const;
