// English strings of the storefront area, spread into en.ts; zh-CN-storefront.ts must match key for key.
export const enStorefront = {
} as const;
