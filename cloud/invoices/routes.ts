// Invoice routes: an organisation reads its own; the operator lists all, confirms a bank transfer,
// and issues the monthly invoices.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CloudIdSchema } from '../../shared/cloud/index.ts';
import { authenticateActor, authenticateOperator } from '../auth/auth.ts';
import { CloudError, parseInput } from '../http.ts';
import type { CloudContext } from '../context.ts';
import { invoiceViews, settleInvoice, type InvoiceRow } from './invoices.ts';
import { issueMonthlyInvoices } from './monthly.ts';

export function registerInvoiceRoutes(app: FastifyInstance, context: CloudContext): void {
  const { db } = context;
  const IdParams = z.strictObject({ id: CloudIdSchema });

  app.get('/v1/invoices', async (request) => {
    const actor = await authenticateActor(context, request);
    const rows = await db.query<InvoiceRow>('SELECT * FROM invoices WHERE organisation_id = $1 ORDER BY issued_at, number', [actor.organisationId]);
    return { invoices: await invoiceViews(db, rows) };
  });

  app.get('/v1/invoices/:id', async (request) => {
    const actor = await authenticateActor(context, request);
    const { id } = parseInput(IdParams, request.params, 'params');
    const rows = await db.query<InvoiceRow>('SELECT * FROM invoices WHERE id = $1 AND organisation_id = $2', [id, actor.organisationId]);
    if (rows.length === 0) throw new CloudError('not_found', `There is no invoice ${id} in your organisation.`);
    return (await invoiceViews(db, rows))[0];
  });

  app.get('/v1/operator/invoices', async (request) => {
    authenticateOperator(context, request);
    const query = parseInput(z.strictObject({ status: z.enum(['open', 'paid', 'void']).optional(), organisationId: CloudIdSchema.optional() }), request.query, 'query');
    const rows = await db.query<InvoiceRow>(
      'SELECT * FROM invoices WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR organisation_id = $2) ORDER BY issued_at, number',
      [query.status ?? null, query.organisationId ?? null],
    );
    return { invoices: await invoiceViews(db, rows) };
  });

  app.post('/v1/operator/invoices/issue', async (request) => {
    authenticateOperator(context, request);
    const input = parseInput(z.strictObject({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month such as 2026-05'), organisationId: CloudIdSchema.optional() }), request.body, 'body');
    const invoices = await issueMonthlyInvoices(context, input.month, input.organisationId);
    request.log.info({ month: input.month, count: invoices.length }, 'monthly invoices issued');
    return { month: input.month, invoices };
  });

  // The operator saw the money arrive (bank transfer): the invoice is paid, what it paid for starts.
  app.post('/v1/operator/invoices/:id/confirm', async (request) => {
    authenticateOperator(context, request);
    // By id or by the number the payer quoted on the transfer.
    const { id: given } = parseInput(z.strictObject({ id: z.union([CloudIdSchema, z.string().regex(/^PD-\d{4}-\d{6,}$/)]) }), request.params, 'params');
    const body = parseInput(z.strictObject({ reference: z.string().trim().min(1).max(200).optional() }), request.body ?? {}, 'body');
    const [found] = await db.query<{ id: string }>('SELECT id FROM invoices WHERE id = $1 OR number = $1', [given]);
    if (!found) throw new CloudError('not_found', `There is no invoice ${given}.`);
    const id = found.id;
    const row = await db.transaction((tx) => settleInvoice(context, tx, id, body.reference ?? 'confirmed by the operator'));
    request.log.info({ invoiceId: id, number: row.number }, 'payment confirmed');
    return (await invoiceViews(db, [row]))[0];
  });
}
