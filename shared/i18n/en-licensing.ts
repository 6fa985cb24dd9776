// English strings of the licensing area, spread into en.ts; zh-CN-licensing.ts must match key for key.
export const enLicensing = {
} as const;
