// Invoices: one per order paid in advance (a subscription), and one a month per organisation for
// pay-after-use and pay-for-results, each with its line items. Paid through a payment provider;
// a bank transfer is confirmed by the operator.
import { type Invoice, type InvoiceLine, type PaymentMethod } from '../../shared/cloud/index.ts';
import type { Queryable } from '../db/database.ts';
import { CloudError, newId } from '../http.ts';
import type { CloudContext } from '../context.ts';
// entitlements.ts imports this module too; each uses the other's functions only when called.
import { activatePaidEntitlement } from '../orders/entitlements.ts';

export interface InvoiceRow {
  id: string;
  number: string;
  organisation_id: string;
  kind: 'order' | 'monthly';
  month: string | null;
  currency: string;
  total: number;
  status: 'open' | 'paid' | 'void';
  payment_method: PaymentMethod;
  payment_instructions: Record<string, string>;
  entitlement_id: string | null;
  period?: 'monthly' | 'yearly' | null;
  issued_at: number;
  paid_at: number | null;
}

interface LineRow {
  invoice_id: string;
  description: string;
  template_id: string | null;
  entitlement_id: string | null;
  quantity: number;
  unit: string;
  unit_price_amount: number;
  unit_price_per: number;
  amount: number;
}

export async function invoiceViews(db: Queryable, rows: InvoiceRow[]): Promise<Invoice[]> {
  if (rows.length === 0) return [];
  const lines = await db.query<LineRow>('SELECT * FROM invoice_lines WHERE invoice_id = ANY($1::text[]) ORDER BY invoice_id, position', [rows.map((row) => row.id)]);
  return rows.map((row) => ({
    id: row.id,
    number: row.number,
    organisationId: row.organisation_id,
    kind: row.kind,
    month: row.month,
    currency: 'CNY',
    total: row.total,
    status: row.status,
    paymentMethod: row.payment_method,
    paymentInstructions: row.payment_instructions,
    issuedAt: row.issued_at,
    paidAt: row.paid_at,
    lines: lines
      .filter((line) => line.invoice_id === row.id)
      .map(
        (line): InvoiceLine => ({
          description: line.description,
          templateId: line.template_id,
          entitlementId: line.entitlement_id,
          quantity: line.quantity,
          unit: line.unit,
          unitPrice: { amount: line.unit_price_amount, per: line.unit_price_per },
          amount: line.amount,
        }),
      ),
  }));
}

/** `amount` for `quantity` at `price` per `per` units, rounded half up to the smallest currency unit. */
export function priceOf(quantity: number, amount: number, per: number, basisPoints = 10_000): number {
  const numerator = BigInt(quantity) * BigInt(amount) * BigInt(basisPoints);
  const denominator = BigInt(per) * 10_000n;
  const result = (numerator * 2n + denominator) / (denominator * 2n);
  return Number(result);
}

export interface NewInvoice {
  organisationId: string;
  kind: 'order' | 'monthly';
  month?: string;
  entitlementId?: string;
  /** The subscription period an order invoice pays for. */
  period?: 'monthly' | 'yearly';
  paymentMethod: PaymentMethod;
  lines: InvoiceLine[];
}

/**
 * Writes an invoice with its lines and asks the payment provider for payment; the test provider
 * answers "paid" at once, and the invoice is then settled in the same transaction.
 */
export async function createInvoice(context: CloudContext, tx: Queryable, input: NewInvoice): Promise<InvoiceRow> {
  const provider = context.payments[input.paymentMethod];
  if (!provider) throw new CloudError('invalid_input', `The payment method ${input.paymentMethod} is not offered here.`);
  const [{ number }] = (await tx.query<{ number: number }>("SELECT nextval('invoice_numbers') AS number")) as [{ number: number }];
  const now = context.now();
  const row: InvoiceRow = {
    id: newId('inv'),
    number: `PD-${new Date(now).getUTCFullYear()}-${String(number).padStart(6, '0')}`,
    organisation_id: input.organisationId,
    kind: input.kind,
    month: input.month ?? null,
    currency: 'CNY',
    total: input.lines.reduce((sum, line) => sum + line.amount, 0),
    status: 'open',
    payment_method: input.paymentMethod,
    payment_instructions: {},
    entitlement_id: input.entitlementId ?? null,
    issued_at: now,
    paid_at: null,
  };
  const payment = await provider.requestPayment({ id: row.id, number: row.number, organisationId: row.organisation_id, currency: row.currency, total: row.total });
  row.payment_instructions = payment.instructions;
  await tx.query(
    `INSERT INTO invoices (id, number, organisation_id, kind, month, currency, total, status, payment_method, payment_instructions, entitlement_id, period, issued_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $9::jsonb, $10, $11, $12)`,
    [
      row.id,
      row.number,
      row.organisation_id,
      row.kind,
      row.month,
      row.currency,
      row.total,
      row.payment_method,
      JSON.stringify(row.payment_instructions),
      row.entitlement_id,
      input.period ?? null,
      now,
    ],
  );
  for (const [position, line] of input.lines.entries()) {
    await tx.query(
      `INSERT INTO invoice_lines (invoice_id, position, description, template_id, entitlement_id, quantity, unit, unit_price_amount, unit_price_per, amount)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [row.id, position, line.description, line.templateId, line.entitlementId, line.quantity, line.unit, line.unitPrice.amount, line.unitPrice.per, line.amount],
    );
  }
  if (payment.paid) return settleInvoice(context, tx, row.id, payment.reference ?? payment.instructions.reference ?? 'paid');
  return row;
}

/** Marks an open invoice paid and activates what it paid for; refuses one already settled. */
export async function settleInvoice(context: CloudContext, tx: Queryable, invoiceId: string, reference: string): Promise<InvoiceRow> {
  const now = context.now();
  const [row] = await tx.query<InvoiceRow>("UPDATE invoices SET status = 'paid', paid_at = $2, paid_reference = $3 WHERE id = $1 AND status = 'open' RETURNING *", [
    invoiceId,
    now,
    reference,
  ]);
  if (!row) {
    const [held] = await tx.query<InvoiceRow>('SELECT * FROM invoices WHERE id = $1', [invoiceId]);
    if (!held) throw new CloudError('not_found', `There is no invoice ${invoiceId}.`);
    throw new CloudError('conflict', `Invoice ${held.number} is ${held.status} already.`);
  }
  if (row.entitlement_id) {
    await activatePaidEntitlement(context, tx, row.entitlement_id, row.period ?? 'monthly');
  }
  return row;
}
