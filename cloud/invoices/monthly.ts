// Monthly invoices for pay-after-use and pay-for-results: per organisation and month, one line per
// entitlement and meter (or outcome metric), priced with the plan as it was ordered. Months are
// counted in China Standard Time (UTC+8, no daylight saving). Records that arrive late (a machine
// offline across the month's end) go on the next invoice: each record is invoiced once, ever.
import { PricePlanSchema, type Invoice, type InvoiceLine } from '../../shared/cloud/index.ts';
import { CloudError } from '../http.ts';
import type { CloudContext } from '../context.ts';
import { createInvoice, invoiceViews, priceOf, type InvoiceRow } from './invoices.ts';

const PLATFORM_UTC_OFFSET_MS = 8 * 3_600_000;

/** The first instant after `YYYY-MM` ends, in platform time. */
export function monthEnd(month: string): number {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  return Date.UTC(year, monthNumber, 1) - PLATFORM_UTC_OFFSET_MS;
}

interface Billable {
  machine_id: string;
  record_id: string;
  entitlement_id: string;
  template_id: string;
  stream: 'usage' | 'outcomes';
  meter: string;
  unit: string;
  value: number;
}

/** Issues the month's invoice for each organisation (or one); an invoice issued already is returned as it is. */
export async function issueMonthlyInvoices(context: CloudContext, month: string, organisationId?: string): Promise<Invoice[]> {
  const end = monthEnd(month);
  if (end > context.now()) throw new CloudError('conflict', `${month} is not over yet (it ends ${new Date(end).toISOString()}); issue its invoices after that.`);
  const organisations = await context.db.query<{ organisation_id: string }>(
    `SELECT DISTINCT organisation_id FROM usage_records
     WHERE invoice_id IS NULL AND entitlement_id IS NOT NULL AND status = 'accepted' AND period_end <= $1::bigint AND ($2::text IS NULL OR organisation_id = $2)
     UNION SELECT organisation_id FROM invoices WHERE kind = 'monthly' AND month = $3 AND ($2::text IS NULL OR organisation_id = $2)`,
    [end, organisationId ?? null, month],
  );
  const issued: InvoiceRow[] = [];
  for (const { organisation_id: organisation } of organisations) {
    const row = await context.db.transaction(async (tx) => {
      // One issuer at a time per organisation; records arriving meanwhile wait for next month's run.
      await tx.query('SELECT id FROM organisations WHERE id = $1 FOR UPDATE', [organisation]);
      const [existing] = await tx.query<InvoiceRow>("SELECT * FROM invoices WHERE organisation_id = $1 AND kind = 'monthly' AND month = $2", [organisation, month]);
      if (existing) return existing;
      const records = await tx.query<Billable>(
        `SELECT machine_id, record_id, entitlement_id, template_id, stream, meter, unit, value FROM usage_records
         WHERE organisation_id = $1 AND invoice_id IS NULL AND entitlement_id IS NOT NULL AND status = 'accepted' AND period_end <= $2::bigint
         FOR UPDATE`,
        [organisation, end],
      );
      const entitlements = new Map(
        (await tx.query<{ id: string; plan: unknown }>('SELECT id, plan FROM entitlements WHERE id = ANY($1::text[])', [[...new Set(records.map((r) => r.entitlement_id))]])).map((e) => [
          e.id,
          PricePlanSchema.parse(e.plan),
        ]),
      );
      const groups = new Map<string, { records: Billable[]; quantity: number }>();
      for (const record of records) {
        const plan = entitlements.get(record.entitlement_id);
        // Only the meter (or metric) the plan bills counts; other meters are information.
        if (!plan || (plan.kind === 'pay_after_use' ? plan.meter : plan.kind === 'pay_for_results' ? plan.metric : undefined) !== record.meter) continue;
        // Pay-after-use lines first, then results; by template within each.
        const key = `${record.stream === 'usage' ? 0 : 1}\u0000${record.template_id}\u0000${record.entitlement_id}\u0000${record.meter}`;
        const group = groups.get(key) ?? { records: [], quantity: 0 };
        group.records.push(record);
        group.quantity += record.value;
        groups.set(key, group);
      }
      const lines: InvoiceLine[] = [];
      for (const key of [...groups.keys()].sort()) {
        const group = groups.get(key)!;
        const sample = group.records[0]!;
        const plan = entitlements.get(sample.entitlement_id)!;
        if (plan.kind === 'pay_after_use') {
          lines.push({
            description: `${sample.template_id} — ${plan.name.en}: ${sample.meter} (${month})`,
            templateId: sample.template_id,
            entitlementId: sample.entitlement_id,
            quantity: group.quantity,
            unit: sample.unit,
            unitPrice: plan.unitPrice,
            amount: priceOf(Math.max(0, group.quantity), plan.unitPrice.amount, plan.unitPrice.per),
          });
        } else if (plan.kind === 'pay_for_results') {
          lines.push({
            description: `${sample.template_id} — ${plan.name.en}: ${plan.shareBasisPoints / 100}% of the value of ${sample.meter} (${month})`,
            templateId: sample.template_id,
            entitlementId: sample.entitlement_id,
            quantity: group.quantity,
            unit: sample.unit,
            unitPrice: plan.unitValue,
            // A month that saved nothing (or lost) costs nothing; it does not pay back.
            amount: priceOf(Math.max(0, group.quantity), plan.unitValue.amount, plan.unitValue.per, plan.shareBasisPoints),
          });
        }
      }
      if (lines.length === 0) return undefined;
      const invoice = await createInvoice(context, tx, { organisationId: organisation, kind: 'monthly', month, paymentMethod: 'bank_transfer', lines });
      const invoiced = [...groups.values()].flatMap((group) => group.records);
      await tx.query(
        `UPDATE usage_records SET invoice_id = $1 FROM unnest($2::text[], $3::text[]) AS billed(machine_id, record_id)
         WHERE usage_records.machine_id = billed.machine_id AND usage_records.record_id = billed.record_id`,
        [invoice.id, invoiced.map((r) => r.machine_id), invoiced.map((r) => r.record_id)],
      );
      return invoice;
    });
    if (row) issued.push(row);
  }
  return invoiceViews(context.db, issued);
}
