// Orders and entitlements: start a trial, subscribe (monthly or yearly, paid in advance), enable
// pay-after-use or pay-for-results (invoiced monthly), cancel. An entitlement keeps the plan as it
// was ordered; licences are issued from active entitlements.
import {
  canonicalJson,
  PricePlansSchema,
  type Entitlement,
  type EntitlementStatus,
  type OrderRequest,
  type OrderResponse,
  type PlanKind,
  type PricePlan,
} from '../../shared/cloud/index.ts';
import type { Queryable } from '../db/database.ts';
import { isUniqueViolation } from '../db/database.ts';
import { CloudError, newId } from '../http.ts';
import { sha256Hex } from '../crypto/keys.ts';
import type { CloudContext } from '../context.ts';
import { createInvoice, invoiceViews } from '../invoices/invoices.ts';

export interface EntitlementRow {
  id: string;
  organisation_id: string;
  template_id: string;
  plan_id: string;
  kind: PlanKind;
  plan: PricePlan;
  period: 'monthly' | 'yearly' | null;
  status: EntitlementStatus;
  created_at: number;
  valid_from: number | null;
  valid_until: number | null;
  cancelled_at: number | null;
}

/** Whether an entitlement grants use at `now`: active, or cancelled with paid time left. */
export function isInForce(row: EntitlementRow, now: number): boolean {
  if (row.valid_from === null || row.valid_from > now) return false;
  if (row.valid_until !== null && row.valid_until <= now) return false;
  return row.status === 'active' || (row.status === 'cancelled' && row.kind === 'subscription');
}

export function entitlementView(row: EntitlementRow, now: number): Entitlement {
  const lapsed = row.status === 'active' && row.valid_until !== null && row.valid_until <= now;
  return {
    id: row.id,
    organisationId: row.organisation_id,
    templateId: row.template_id,
    plan: row.plan,
    kind: row.kind,
    period: row.period,
    status: lapsed ? 'expired' : row.status,
    createdAt: row.created_at,
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    cancelledAt: row.cancelled_at,
  };
}

function addMonths(at: number, months: number): number {
  const date = new Date(at);
  const day = date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() + months);
  // The 31st plus a month is the last day of a shorter month, not the 1st of the one after.
  const last = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(day, last));
  return date.getTime();
}

/** Ends a trial of the same template once the organisation pays for it some other way. */
async function supersedeTrial(tx: Queryable, organisationId: string, templateId: string): Promise<void> {
  await tx.query("UPDATE entitlements SET status = 'superseded' WHERE organisation_id = $1 AND template_id = $2 AND kind = 'trial' AND status = 'active'", [
    organisationId,
    templateId,
  ]);
}

/**
 * Called when an order's invoice is paid: a new subscription runs from now; a renewal adds its
 * period to the end of the paid time (or to now, if that has passed).
 */
export async function activatePaidEntitlement(context: CloudContext, tx: Queryable, entitlementId: string, period: 'monthly' | 'yearly'): Promise<void> {
  const [row] = await tx.query<EntitlementRow>('SELECT * FROM entitlements WHERE id = $1 FOR UPDATE', [entitlementId]);
  if (!row) return;
  const now = context.now();
  const months = period === 'yearly' ? 12 : 1;
  if (row.status === 'pending_payment') {
    await tx.query("UPDATE entitlements SET status = 'active', valid_from = $2, valid_until = $3 WHERE id = $1", [row.id, now, addMonths(now, months)]);
    await supersedeTrial(tx, row.organisation_id, row.template_id);
  } else if (row.kind === 'subscription' && row.status === 'active') {
    await tx.query('UPDATE entitlements SET valid_until = $2, period = $3 WHERE id = $1', [row.id, addMonths(Math.max(now, row.valid_until ?? now), months), period]);
  }
  // A renewal paid after its subscription was cancelled or ended extends nothing: the operator refunds it.
}

/**
 * Places an order. With an idempotency key, an order sent again (its answer was lost) gets the first
 * answer and places nothing more; the same key with another order is refused.
 */
export async function placeOrder(context: CloudContext, organisationId: string, order: OrderRequest, idempotencyKey?: string): Promise<OrderResponse> {
  return context.db.transaction(async (tx) => {
    // One order at a time per organisation, so two clicks cannot make two subscriptions.
    await tx.query('SELECT id FROM organisations WHERE id = $1 FOR UPDATE', [organisationId]);
    if (idempotencyKey === undefined) return placeLocked(context, tx, organisationId, order);
    const requestSha256 = sha256Hex(canonicalJson(order));
    const [earlier] = await tx.query<{ request_sha256: string; response: string }>(
      'SELECT request_sha256, response FROM order_requests WHERE organisation_id = $1 AND idempotency_key = $2',
      [organisationId, idempotencyKey],
    );
    if (earlier) {
      if (earlier.request_sha256 !== requestSha256) {
        throw new CloudError('idempotency_conflict', `The order key ${idempotencyKey} was used before for another order. Send a new key with a new order.`);
      }
      return JSON.parse(earlier.response) as OrderResponse;
    }
    const response = await placeLocked(context, tx, organisationId, order);
    await tx.query('INSERT INTO order_requests (organisation_id, idempotency_key, request_sha256, response, created_at) VALUES ($1, $2, $3, $4, $5)', [
      organisationId,
      idempotencyKey,
      requestSha256,
      JSON.stringify(response),
      context.now(),
    ]);
    return response;
  });
}

async function placeLocked(context: CloudContext, tx: Queryable, organisationId: string, order: OrderRequest): Promise<OrderResponse> {
  const now = context.now();
  const [template] = await tx.query<{ plans: unknown }>('SELECT plans FROM templates WHERE id = $1', [order.templateId]);
  if (!template) throw new CloudError('not_found', `There is no template ${order.templateId}.`);
  const plan = PricePlansSchema.parse(template.plans).find((candidate) => candidate.id === order.planId);
  if (!plan) throw new CloudError('not_found', `${order.templateId} has no price plan ${order.planId}.`);
  const held = (await tx.query<EntitlementRow>('SELECT * FROM entitlements WHERE organisation_id = $1 AND template_id = $2', [organisationId, order.templateId])).filter(
    (row) => row.status === 'pending_payment' || isInForce(row, now),
  );
  const paidAlready = held.some((row) => row.kind !== 'trial');
  const row: EntitlementRow = {
    id: newId('ent'),
    organisation_id: organisationId,
    template_id: order.templateId,
    plan_id: plan.id,
    kind: plan.kind,
    plan,
    period: null,
    status: 'active',
    created_at: now,
    valid_from: now,
    valid_until: null,
    cancelled_at: null,
  };
  let invoice = null;
  let renewing = false;
  if (plan.kind === 'trial') {
    if (paidAlready) throw new CloudError('conflict', `Your organisation has ${order.templateId} already; a trial is not needed.`);
    row.valid_until = now + plan.days * 86_400_000;
  } else {
    const same = held.find((other) => other.kind === plan.kind);
    // Ordering the subscription one has (not cancelled, paid) renews it: an invoice for one more period.
    renewing = plan.kind === 'subscription' && same?.status === 'active' && same.plan_id === plan.id;
    if (same && !renewing) throw new CloudError('conflict', `Your organisation has this already (entitlement ${same.id}, ${entitlementView(same, now).status}).`, { details: { entitlementId: same.id } });
    if (renewing && same) {
      const [open] = await tx.query<{ number: string }>("SELECT number FROM invoices WHERE entitlement_id = $1 AND status = 'open'", [same.id]);
      if (open) throw new CloudError('conflict', `A renewal of this subscription waits for payment already (invoice ${open.number}).`, { details: { invoice: open.number } });
      Object.assign(row, same);
    }
  }
  if (plan.kind === 'subscription') {
    const period = order.period ?? row.period ?? (plan.monthly !== undefined ? 'monthly' : 'yearly');
    const price = plan[period];
    if (price === undefined) throw new CloudError('invalid_input', `The plan ${plan.id} has no ${period} price.`);
    if (!renewing) {
      row.period = period;
      row.status = 'pending_payment';
      row.valid_from = null;
      await insertEntitlement(tx, row);
    }
    const created = await createInvoice(context, tx, {
      organisationId,
      kind: 'order',
      entitlementId: row.id,
      period,
      paymentMethod: order.paymentMethod ?? 'bank_transfer',
      lines: [
        {
          description: `${order.templateId} — ${plan.name.en} (${period === 'monthly' ? '1 month' : '1 year'})`,
          templateId: order.templateId,
          entitlementId: row.id,
          quantity: 1,
          unit: period === 'monthly' ? 'month' : 'year',
          unitPrice: { amount: price, per: 1 },
          amount: price,
        },
      ],
    });
    invoice = (await invoiceViews(tx, [created]))[0]!;
  } else {
    if (order.period || order.paymentMethod) throw new CloudError('invalid_input', 'Only a subscription takes a period and a payment method; this plan is invoiced monthly.');
    await insertEntitlement(tx, row);
    if (plan.kind !== 'trial') await supersedeTrial(tx, organisationId, order.templateId);
  }
  const [stored] = await tx.query<EntitlementRow>('SELECT * FROM entitlements WHERE id = $1', [row.id]);
  return { entitlement: entitlementView(stored!, now), invoice };
}

async function insertEntitlement(tx: Queryable, row: EntitlementRow): Promise<void> {
  try {
    await tx.query(
      `INSERT INTO entitlements (id, organisation_id, template_id, plan_id, kind, plan, period, status, created_at, valid_from, valid_until)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11)`,
      [row.id, row.organisation_id, row.template_id, row.plan_id, row.kind, JSON.stringify(row.plan), row.period, row.status, row.created_at, row.valid_from, row.valid_until],
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw new CloudError('conflict', `Your organisation has had its trial of ${row.template_id} already.`);
    throw error;
  }
}

/**
 * Cancels an entitlement of the organisation. A paid subscription runs to the end of its period;
 * a trial and the monthly-invoiced plans end now (usage up to now is still invoiced).
 */
export async function cancelEntitlement(context: CloudContext, organisationId: string, entitlementId: string): Promise<Entitlement> {
  const now = context.now();
  return context.db.transaction(async (tx) => {
    const [row] = await tx.query<EntitlementRow>('SELECT * FROM entitlements WHERE id = $1 AND organisation_id = $2 FOR UPDATE', [entitlementId, organisationId]);
    // Another organisation's entitlement is "not found", not "forbidden": its existence is not told.
    if (!row) throw new CloudError('not_found', `There is no entitlement ${entitlementId} in your organisation.`);
    const view = entitlementView(row, now);
    if (view.status !== 'active' && view.status !== 'pending_payment') throw new CloudError('conflict', `Entitlement ${entitlementId} is ${view.status} already.`);
    const keepsPaidPeriod = row.kind === 'subscription' && row.status === 'active';
    await tx.query("UPDATE entitlements SET status = 'cancelled', cancelled_at = $2, valid_until = $3 WHERE id = $1", [row.id, now, keepsPaidPeriod ? row.valid_until : now]);
    if (row.status === 'pending_payment') await tx.query("UPDATE invoices SET status = 'void' WHERE entitlement_id = $1 AND status = 'open'", [row.id]);
    const [stored] = await tx.query<EntitlementRow>('SELECT * FROM entitlements WHERE id = $1', [row.id]);
    return entitlementView(stored!, now);
  });
}

export async function listEntitlements(context: CloudContext, organisationId: string): Promise<Entitlement[]> {
  const rows = await context.db.query<EntitlementRow>('SELECT * FROM entitlements WHERE organisation_id = $1 ORDER BY created_at, id', [organisationId]);
  return rows.map((row) => entitlementView(row, context.now()));
}
