// English strings of the templates area, spread into en.ts; zh-CN-templates.ts must match key for key.
export const enTemplates = {
} as const;
