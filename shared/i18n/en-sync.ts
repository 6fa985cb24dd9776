// English strings of the sync area, spread into en.ts; zh-CN-sync.ts must match key for key.
export const enSync = {
} as const;
