// The marketplace and installed templates as the UI sees them: the catalogue (cached, so it works
// offline), orders through the cloud platform, and template instances installed, updated, rolled
// back and uninstalled from the marketplace or from a package file.
import { z } from 'zod';
import { CatalogueEntrySchema, EntitlementSchema, InvoiceSchema, TemplateManifestSchema } from '../cloud/index.ts';
import { defineCall, defineEvent } from './define.ts';
import { TemplateLicenceSchema } from './licence-calls.ts';

const templateId = z.string().min(3).max(120);
const instanceId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,23}$/, 'letters, digits, "_" and "-", at most 24');
export const TemplateParametersSchema = z.record(z.string(), z.union([z.string().max(200), z.number().finite(), z.boolean()]));

/** Where a package comes from: the marketplace (downloaded and cached), or a file the user chose. */
export const PackageSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('marketplace'), templateId, version: z.string().max(64).optional() }).strict(),
  /** A package file from disk (a USB stick): its bytes in base64 and its name for messages. */
  z.object({ kind: z.literal('file'), fileName: z.string().min(1).max(260), base64: z.string().min(1).max(23_000_000) }).strict(),
]);
export type PackageSource = z.infer<typeof PackageSourceSchema>;

export const CONTROL_STATUSES = ['published', 'deprecated', 'revoked'] as const;

/** A catalogue entry with what this PC knows about it. */
export const MarketEntrySchema = z.object({
  entry: CatalogueEntrySchema,
  /** The newest version that works with this PlantDesk, or null when none does. */
  compatibleVersion: z.string().nullable(),
  /** The control list's word on the latest version, and why. */
  control: z.object({ status: z.enum(CONTROL_STATUSES), reason: z.string() }),
  installed: z.array(z.object({ instanceId: z.string(), version: z.string() })),
  licence: TemplateLicenceSchema.nullable(),
});
export type MarketEntry = z.infer<typeof MarketEntrySchema>;

export const CatalogueViewSchema = z.object({
  templates: z.array(MarketEntrySchema),
  /** When the catalogue was last read from the cloud (null: never, nothing cached). */
  refreshedAt: z.number().int().nullable(),
  /** 'cloud': just read; 'cache': the cloud could not be reached (see problem) or was not asked. */
  source: z.enum(['cloud', 'cache']),
  /** Why the cloud was not read, as a sentence in the caller's language; null when it was. */
  problem: z.string().nullable(),
});
export type CatalogueView = z.infer<typeof CatalogueViewSchema>;

/** A package checked before install: what it is and whether it can be installed here. */
export const PackageInspectionSchema = z.object({
  manifest: TemplateManifestSchema,
  sha256: z.string(),
  size: z.number().int(),
  /** Files in the package with their sizes. */
  files: z.array(z.object({ path: z.string(), size: z.number().int() })),
  /** A sentence when the control list revoked this version (install refused) or deprecated it. */
  control: z.object({ status: z.enum(CONTROL_STATUSES), reason: z.string() }),
  installed: z.array(z.object({ instanceId: z.string(), version: z.string() })),
  /** A suggested free instance name. */
  suggestedInstanceId: z.string(),
});
export type PackageInspection = z.infer<typeof PackageInspectionSchema>;

export const InstalledTemplateSchema = z.object({
  instanceId: z.string(),
  templateId: z.string(),
  version: z.string(),
  name: z.object({ 'zh-CN': z.string(), en: z.string() }),
  parameters: TemplateParametersSchema,
  previousVersion: z.string().nullable(),
  /** The newest compatible version in the cached catalogue, when newer than the installed one. */
  updateAvailable: z.string().nullable(),
  created: z.object({ device: z.array(z.string()), point: z.array(z.string()), alarmRule: z.array(z.string()), dashboard: z.array(z.string()), machine: z.array(z.string()), kpi: z.array(z.string()).default([]) }),
  installedAt: z.number().int(),
  updatedAt: z.number().int(),
  licence: TemplateLicenceSchema.nullable(),
  control: z.object({ status: z.enum(CONTROL_STATUSES), reason: z.string() }),
});
export type InstalledTemplate = z.infer<typeof InstalledTemplateSchema>;

export const marketCalls = {
  'marketplace.catalogue': defineCall({
    summary: 'The marketplace catalogue: read from the cloud when reachable (refresh) or from the cache, filtered by words and category.',
    role: 'viewer',
    input: z.object({ q: z.string().trim().max(100).optional(), category: z.string().max(40).optional(), refresh: z.boolean().default(false) }).strict(),
    output: CatalogueViewSchema,
  }),
  'marketplace.template': defineCall({
    summary: 'One template of the cached catalogue with what this PC knows about it.',
    role: 'viewer',
    input: z.object({ templateId }).strict(),
    output: MarketEntrySchema,
  }),
  'marketplace.screenshot': defineCall({
    summary: 'A screenshot of a template version (from the cache, or read from the cloud and cached).',
    role: 'viewer',
    input: z.object({ templateId, version: z.string().max(64), index: z.number().int().min(0).max(7) }).strict(),
    output: z.object({ contentType: z.string(), base64: z.string() }),
  }),
  'marketplace.order': defineCall({
    summary: 'Starts a trial, subscribes, or enables pay-after-use or pay-for-results for a template through the cloud, then refreshes the licences.',
    role: 'admin',
    input: z
      .object({
        templateId,
        planId: z.string().min(1).max(40),
        period: z.enum(['monthly', 'yearly']).optional(),
        paymentMethod: z.enum(['bank_transfer', 'test']).optional(),
        /** The same for every try of one order (one dialog): an order whose answer was lost is not placed twice. */
        requestId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/).optional(),
      })
      .strict(),
    output: z.object({ entitlement: EntitlementSchema, invoice: InvoiceSchema.nullable(), licence: TemplateLicenceSchema.nullable() }),
  }),
  'marketplace.entitlements': defineCall({
    summary: "The organisation's entitlements (trials, subscriptions, pay-after-use, pay-for-results) as the cloud last reported them.",
    role: 'viewer',
    input: z.object({}).strict(),
    output: z.object({ entitlements: z.array(EntitlementSchema), refreshedAt: z.number().int().nullable() }),
  }),
  'marketplace.cancel': defineCall({
    summary: 'Cancels an entitlement in the cloud; a paid subscription runs to the end of its period.',
    role: 'admin',
    input: z.object({ entitlementId: z.string().min(1).max(64) }).strict(),
    output: z.object({ entitlement: EntitlementSchema }),
  }),
  'templates.inspect': defineCall({
    summary: 'Downloads (marketplace) or reads (file) a package and verifies it without installing: signature, hashes, manifest, compatibility, limits.',
    role: 'engineer',
    input: z.object({ source: PackageSourceSchema }).strict(),
    output: PackageInspectionSchema,
  }),
  'templates.install': defineCall({
    summary: 'Installs a verified package as a new instance with the given parameters, after a backup; all of it or nothing.',
    role: 'admin',
    input: z.object({ source: PackageSourceSchema, instanceId, parameters: TemplateParametersSchema, confirmWrites: z.boolean().default(false) }).strict(),
    output: InstalledTemplateSchema,
  }),
  'templates.installed': defineCall({
    summary: 'Every installed template instance with its version, licence state and available update.',
    role: 'viewer',
    input: z.object({}).strict(),
    output: z.object({ instances: z.array(InstalledTemplateSchema) }),
  }),
  'templates.update': defineCall({
    summary: "Updates an instance to a newer version (the newest compatible by default), keeping the user's parameters and history; the old version is kept for roll-back.",
    role: 'admin',
    input: z.object({ instanceId, source: PackageSourceSchema.optional(), parameters: TemplateParametersSchema.optional(), confirmWrites: z.boolean().default(false) }).strict(),
    output: InstalledTemplateSchema,
  }),
  'templates.rollBack': defineCall({
    summary: 'Returns an instance to the version it had before its last update.',
    role: 'admin',
    input: z.object({ instanceId }).strict(),
    output: InstalledTemplateSchema,
  }),
  'templates.uninstall': defineCall({
    summary: "Removes an instance and what it created; keepData keeps the devices' collected history.",
    role: 'admin',
    input: z.object({ instanceId, keepData: z.boolean() }).strict(),
    output: z.object({ instanceId: z.string() }),
  }),
} as const;

export const marketEvents = {
  'templates.changed': defineEvent({
    summary: 'A template instance was installed, updated, rolled back or uninstalled: devices, dashboards, alarms and KPIs should be read again.',
    payload: z.object({ instanceIds: z.array(z.string()) }),
  }),
} as const;
