// Orders, entitlements and invoices as the app and the operator see them. An order names a template
// and one of its price plans; the entitlement it creates is what licences are issued from.
import { z } from 'zod';
import { CloudIdSchema, CurrencySchema, EpochMsSchema, MoneySchema, SlugSchema } from './common.ts';
import { PLAN_KINDS, PricePlanSchema } from './catalogue.ts';
import { TemplateIdSchema } from './manifest.ts';

export const PAYMENT_METHODS = ['bank_transfer', 'test'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export const OrderRequestSchema = z.strictObject({
  templateId: TemplateIdSchema,
  planId: SlugSchema,
  /** Subscriptions only. */
  period: z.enum(['monthly', 'yearly']).optional(),
  /** Subscriptions only; defaults to bank transfer. */
  paymentMethod: z.enum(PAYMENT_METHODS).optional(),
});
export type OrderRequest = z.infer<typeof OrderRequestSchema>;

export const ENTITLEMENT_STATUSES = ['pending_payment', 'active', 'cancelled', 'expired', 'superseded'] as const;
export type EntitlementStatus = (typeof ENTITLEMENT_STATUSES)[number];

export const EntitlementSchema = z.strictObject({
  id: CloudIdSchema,
  organisationId: CloudIdSchema,
  templateId: TemplateIdSchema,
  plan: PricePlanSchema,
  kind: z.enum(PLAN_KINDS),
  period: z.enum(['monthly', 'yearly']).nullable(),
  status: z.enum(ENTITLEMENT_STATUSES),
  createdAt: EpochMsSchema,
  validFrom: EpochMsSchema.nullable(),
  validUntil: EpochMsSchema.nullable(),
  cancelledAt: EpochMsSchema.nullable(),
});
export type Entitlement = z.infer<typeof EntitlementSchema>;

export const InvoiceLineSchema = z.strictObject({
  description: z.string(),
  templateId: TemplateIdSchema.nullable(),
  entitlementId: CloudIdSchema.nullable(),
  quantity: z.int(),
  unit: z.string(),
  unitPrice: z.strictObject({ amount: MoneySchema, per: z.int() }),
  amount: z.int(),
});
export type InvoiceLine = z.infer<typeof InvoiceLineSchema>;

export const InvoiceSchema = z.strictObject({
  id: CloudIdSchema,
  number: z.string(),
  organisationId: CloudIdSchema,
  kind: z.enum(['order', 'monthly']),
  /** `YYYY-MM` for a monthly invoice. */
  month: z.string().nullable(),
  currency: CurrencySchema,
  total: z.int(),
  status: z.enum(['open', 'paid', 'void']),
  paymentMethod: z.enum(PAYMENT_METHODS),
  /** What the payer needs: for a bank transfer, the account and the reference to quote. */
  paymentInstructions: z.record(z.string(), z.string()),
  issuedAt: EpochMsSchema,
  paidAt: EpochMsSchema.nullable(),
  lines: z.array(InvoiceLineSchema),
});
export type Invoice = z.infer<typeof InvoiceSchema>;

export const OrderResponseSchema = z.strictObject({ entitlement: EntitlementSchema, invoice: InvoiceSchema.nullable() });
export type OrderResponse = z.infer<typeof OrderResponseSchema>;
