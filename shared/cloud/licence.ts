// Licence documents: one per entitlement and machine, signed by the marketplace key and verified
// offline by the app. The document is a lease (about 30 days) renewed at every sync; the licence
// itself may run longer (`validUntil`). Bound to the machine by its id, its public key and its
// fingerprint, so a copied file is worthless on another PC.
import { z } from 'zod';
import { MachineFingerprintSchema } from './accounts.ts';
import { CloudIdSchema, EpochMsSchema, KeyIdSchema, MoneySchema, PublicKeySchema, SemverSchema } from './common.ts';
import { PLAN_KINDS, UnitPriceSchema } from './catalogue.ts';
import { TemplateIdSchema } from './manifest.ts';

/** How long a licence document stays valid without a sync. */
export const LICENCE_LEASE_MS = 30 * 24 * 60 * 60 * 1000;
/** After the lease ends offline, everything still works this long (with a banner). */
export const LICENCE_GRACE_MS = 7 * 24 * 60 * 60 * 1000;

export const LicencePayloadSchema = z.strictObject({
  v: z.literal(1),
  keyId: KeyIdSchema,
  licenceId: CloudIdSchema,
  entitlementId: CloudIdSchema,
  organisationId: CloudIdSchema,
  machine: z.strictObject({ id: CloudIdSchema, publicKey: PublicKeySchema, fingerprint: MachineFingerprintSchema }),
  template: z.strictObject({ id: TemplateIdSchema, planId: z.string(), maxVersion: SemverSchema.optional() }),
  plan: z.enum(PLAN_KINDS),
  /** Premium features of the template this licence unlocks. */
  features: z.array(z.string()),
  limits: z.strictObject({
    /** Pay-after-use: the meter billed, its price and most money's worth of unreported usage. */
    meter: z.string().optional(),
    unitPrice: UnitPriceSchema.optional(),
    creditLimit: MoneySchema.optional(),
    /** Most units recorded while offline before premium features lock (derived from the credit limit). */
    maxUnreportedUnits: z.int().min(0).optional(),
    /** Most days without a sync. */
    maxOfflineDays: z.int().min(1),
  }),
  issuedAt: EpochMsSchema,
  /** The document's own expiry: the lease, renewed at each sync. */
  leaseExpiresAt: EpochMsSchema,
  /** The licence's expiry (end of trial or of the paid period); null while it runs until cancelled. */
  validUntil: EpochMsSchema.nullable(),
  graceMs: z.int().min(0),
  /** The cloud's clock when it signed, which resets the app's time floor. */
  serverTime: EpochMsSchema,
  /** Highest usage and outcome sequence the cloud holds for this machine. */
  usage: z.strictObject({ highestUsageSequence: z.int().min(0), highestOutcomeSequence: z.int().min(0) }),
});
export type LicencePayload = z.infer<typeof LicencePayloadSchema>;

/** The signed server time every sync answer carries. */
export const ServerTimePayloadSchema = z.strictObject({
  v: z.literal(1),
  keyId: KeyIdSchema,
  machineId: CloudIdSchema,
  serverTime: EpochMsSchema,
});
export type ServerTimePayload = z.infer<typeof ServerTimePayloadSchema>;

export const LicenceRefreshResponseSchema = z.strictObject({
  /** One `licence.<payload>.<signature>` line per active entitlement. */
  licences: z.array(z.string()),
  /** Entitlements that ended: the app drops their licences. */
  ended: z.array(CloudIdSchema),
  serverTime: z.string(),
});
export type LicenceRefreshResponse = z.infer<typeof LicenceRefreshResponseSchema>;
