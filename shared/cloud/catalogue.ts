// The marketplace catalogue as apps read it: templates with their versions, bilingual texts,
// screenshots, compatible app versions and price plans. The listing carries an ETag; an app that
// sends it back in If-None-Match gets 304 while nothing changed.
import { z } from 'zod';
import { CurrencySchema, EpochMsSchema, KeyIdSchema, localisedText, MoneySchema, SemverSchema, Sha256HexSchema, SlugSchema } from './common.ts';
import { TemplateIdSchema } from './manifest.ts';

export const PLAN_KINDS = ['trial', 'subscription', 'pay_after_use', 'pay_for_results'] as const;
export type PlanKind = (typeof PLAN_KINDS)[number];

/** A price per quantity: `amount` (smallest currency unit) for every `per` smallest units measured. */
export const UnitPriceSchema = z.strictObject({ amount: MoneySchema, per: z.int().min(1).max(1_000_000_000) });
export type UnitPrice = z.infer<typeof UnitPriceSchema>;

const planBase = { id: SlugSchema, name: localisedText(80), features: z.array(SlugSchema).max(32).default([]) };

export const PricePlanSchema = z.discriminatedUnion('kind', [
  z.strictObject({ ...planBase, kind: z.literal('trial'), days: z.int().min(1).max(90) }),
  z
    .strictObject({ ...planBase, kind: z.literal('subscription'), currency: CurrencySchema, monthly: MoneySchema.optional(), yearly: MoneySchema.optional() })
    .refine((plan) => plan.monthly !== undefined || plan.yearly !== undefined, 'a subscription needs a monthly or a yearly price'),
  z.strictObject({
    ...planBase,
    kind: z.literal('pay_after_use'),
    currency: CurrencySchema,
    /** The template's meter (manifest `licence.meters[].id`) that is billed. */
    meter: SlugSchema,
    unitPrice: UnitPriceSchema,
    /** Most money's worth of usage not yet invoiced; also bounds what a machine may record offline. */
    creditLimit: MoneySchema,
  }),
  z.strictObject({
    ...planBase,
    kind: z.literal('pay_for_results'),
    currency: CurrencySchema,
    /** The outcome metric (manifest `licence.outcome.metric`). */
    metric: SlugSchema,
    /** What one unit of the outcome is worth to the customer (e.g. fen per kWh saved). */
    unitValue: UnitPriceSchema,
    /** The publisher's share of that value, in basis points (2500 = 25 %). */
    shareBasisPoints: z.int().min(1).max(10_000),
  }),
]);
export type PricePlan = z.infer<typeof PricePlanSchema>;

export const PricePlansSchema = z.array(PricePlanSchema).max(16).refine((plans) => new Set(plans.map((p) => p.id)).size === plans.length, 'plan ids must differ');

export const CatalogueQuerySchema = z.strictObject({
  /** Words to find in ids, names, summaries and descriptions, in either language. */
  q: z.string().trim().max(100).optional(),
  category: SlugSchema.optional(),
  publisher: SlugSchema.optional(),
  /** Only templates with a version that works with this app version. */
  appVersion: SemverSchema.optional(),
  plan: z.enum(PLAN_KINDS).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});
export type CatalogueQuery = z.infer<typeof CatalogueQuerySchema>;

export const CatalogueScreenshotSchema = z.strictObject({ url: z.string(), caption: localisedText(200) });

export const CatalogueVersionSchema = z.strictObject({
  version: SemverSchema,
  appVersions: z.string(),
  publishedAt: EpochMsSchema,
  sha256: Sha256HexSchema,
  size: z.int(),
  packageUrl: z.string(),
});
export type CatalogueVersion = z.infer<typeof CatalogueVersionSchema>;

export const CatalogueEntrySchema = z.strictObject({
  id: TemplateIdSchema,
  publisher: z.strictObject({ id: SlugSchema, name: z.string() }),
  name: localisedText(80),
  summary: localisedText(200),
  description: localisedText(4000),
  categories: z.array(SlugSchema),
  latest: CatalogueVersionSchema,
  /** Newest first. */
  versions: z.array(CatalogueVersionSchema),
  screenshots: z.array(CatalogueScreenshotSchema),
  plans: z.array(PricePlanSchema),
});
export type CatalogueEntry = z.infer<typeof CatalogueEntrySchema>;

export const CatalogueListingSchema = z.strictObject({
  templates: z.array(CatalogueEntrySchema),
  total: z.int(),
  revision: z.int(),
});
export type CatalogueListing = z.infer<typeof CatalogueListingSchema>;

export const VERSION_STATUSES = ['published', 'deprecated', 'revoked'] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];

/**
 * The signed control list (`control-list.<payload>.<signature>`): template versions that are revoked
 * (apps refuse to install them and say why) or deprecated (apps suggest an update). Cached offline.
 */
export const ControlListPayloadSchema = z.strictObject({
  v: z.literal(1),
  keyId: KeyIdSchema,
  issuedAt: EpochMsSchema,
  /** The catalogue revision it was made from: a newer list has a higher one. */
  revision: z.int().min(0),
  entries: z.array(
    z.strictObject({
      templateId: TemplateIdSchema,
      version: SemverSchema,
      status: z.enum(['deprecated', 'revoked']),
      reason: z.string().max(500),
      at: EpochMsSchema,
    }),
  ),
});
export type ControlListPayload = z.infer<typeof ControlListPayloadSchema>;
