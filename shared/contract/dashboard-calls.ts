// Calls for dashboards (shared/domain/dashboards.ts): the built-in plant overview and the plant's own
// dashboards stored in the database — listed, read, saved, copied, deleted, imported from and exported
// to a JSON file. Changing stored dashboards needs the engineer role; a shift tablet only looks.
import { z } from 'zod';
import { DashboardSchema, MAX_DASHBOARD_JSON_BYTES } from '../domain/dashboards.ts';
import { defineCall } from './define.ts';

const empty = z.object({}).strict();
const dashboardId = z.string().min(1).max(64);

export const DashboardNameSchema = z.object({ en: z.string().trim().min(1).max(80), 'zh-CN': z.string().trim().min(1).max(80) }).strict();

/**
 * Why an item that came with a solution template is read-only: the template's licence is locked
 * (expired, or not synced for too long). It stays visible; changes wait until the licence is renewed.
 */
export const PremiumLockSchema = z.object({
  templateId: z.string(),
  /** The template's name in the caller's language (its id when the package is not stored). */
  templateName: z.string(),
  /** The template instance that created the item. */
  instanceId: z.string(),
  /** What happened and what to do, in the caller's language. */
  reason: z.string(),
});
export type PremiumLock = z.infer<typeof PremiumLockSchema>;

export const DashboardSummarySchema = z.object({
  id: z.string(),
  name: DashboardNameSchema,
  /** Built into PlantDesk (or a template): read-only, copied to be changed. */
  builtIn: z.boolean(),
  widgetCount: z.number().int().min(0),
  /** When it was last saved; null for a built-in one. */
  updatedAt: z.number().int().nullable(),
  /** Present when it came with a template whose licence is locked: shown, but read-only. */
  lockedBy: PremiumLockSchema.optional(),
});
export type DashboardSummary = z.infer<typeof DashboardSummarySchema>;

export const DashboardViewSchema = z.object({
  dashboard: DashboardSchema,
  builtIn: z.boolean(),
  /** Goes up at every save; a save naming an older revision is refused (changed elsewhere). 0 for a built-in one. */
  revision: z.number().int().min(0),
  updatedAt: z.number().int().nullable(),
  /** Present when it came with a template whose licence is locked: shown, but read-only. */
  lockedBy: PremiumLockSchema.optional(),
});
export type DashboardView = z.infer<typeof DashboardViewSchema>;

export const dashboardCalls = {
  'dashboards.list': defineCall({
    summary: 'The dashboards: the built-in plant overview first, then the stored ones in the order they were made.',
    role: 'viewer',
    input: empty,
    output: z.array(DashboardSummarySchema),
  }),
  'dashboards.get': defineCall({
    summary: 'One dashboard with its layout and widgets.',
    role: 'viewer',
    input: z.object({ id: dashboardId }).strict(),
    output: DashboardViewSchema,
  }),
  'dashboards.save': defineCall({
    summary: 'Stores a dashboard (new, or a new revision of a stored one); built-in dashboards, and those of a template whose licence is locked, cannot be saved over.',
    role: 'engineer',
    input: z
      .object({
        dashboard: DashboardSchema,
        /** The revision the change was made on; omitted for a new dashboard or to overwrite. */
        revision: z.number().int().min(0).optional(),
      })
      .strict(),
    output: DashboardViewSchema,
  }),
  'dashboards.delete': defineCall({
    summary: 'Deletes a stored dashboard; built-in dashboards, and those of a template whose licence is locked, cannot be deleted.',
    role: 'engineer',
    input: z.object({ id: dashboardId }).strict(),
    output: z.object({ id: z.string() }),
  }),
  'dashboards.copy': defineCall({
    summary: 'Stores a copy of a dashboard (built-in or stored) under a new id and name, to be changed.',
    role: 'engineer',
    input: z.object({ id: dashboardId, name: DashboardNameSchema.optional() }).strict(),
    output: DashboardViewSchema,
  }),
  'dashboards.import': defineCall({
    summary: 'Stores a dashboard from the text of a JSON file, checked first; every problem is named (line and column, or widget and field). Never replaces one: a taken id gets a new one.',
    role: 'engineer',
    input: z.object({ json: z.string().min(1).max(MAX_DASHBOARD_JSON_BYTES) }).strict(),
    output: DashboardViewSchema,
  }),
  'dashboards.export': defineCall({
    summary: 'A dashboard as the text of a JSON file, with a file name from its name.',
    role: 'viewer',
    input: z.object({ id: dashboardId }).strict(),
    output: z.object({ fileName: z.string(), json: z.string() }),
  }),
} as const;

export type DashboardCalls = typeof dashboardCalls;
export type DashboardCallName = keyof DashboardCalls;
