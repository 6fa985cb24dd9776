// English strings of the kpidefs area, spread into en.ts; zh-CN-kpidefs.ts must match key for key.
export const enKpidefs = {
} as const;
