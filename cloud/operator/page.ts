// The operator's web page: one plain HTML page listing organisations, machines, entitlements,
// usage, invoices and chain incidents. HTTP Basic auth with the operator token as the password
// (any user name), so a browser can open it; no scripts, nothing loaded from elsewhere.
import type { FastifyInstance } from 'fastify';
import { authenticateOperator } from '../auth/auth.ts';
import { CloudError } from '../http.ts';
import type { CloudContext } from '../context.ts';

const escapeHtml = (value: unknown) =>
  String(value ?? '').replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);

const time = (ms: unknown) => (typeof ms === 'number' ? new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : '—');
const money = (fen: unknown) => (typeof fen === 'number' ? `¥${(fen / 100).toFixed(2)}` : '—');

function table(title: string, id: string, headings: string[], rows: unknown[][]): string {
  const body = rows.length
    ? rows.map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('\n')
    : `<tr><td colspan="${headings.length}" class="none">None yet.</td></tr>`;
  return `<section id="${id}"><h2>${escapeHtml(title)} <small>(${rows.length})</small></h2>
<table><thead><tr>${headings.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>
${body}
</tbody></table></section>`;
}

export function registerOperatorPage(app: FastifyInstance, context: CloudContext): void {
  const { db } = context;
  app.get('/operator', async (request, reply) => {
    try {
      authenticateOperator(context, request);
    } catch (error) {
      if (error instanceof CloudError && error.code === 'unauthorized') {
        return reply
          .status(401)
          .header('WWW-Authenticate', 'Basic realm="PlantDesk operator", charset="UTF-8"')
          .type('text/html; charset=utf-8')
          .send('<!doctype html><title>PlantDesk operator</title><p>Sign in with the operator token as the password.</p>');
      }
      throw error;
    }
    const organisations = await db.query<Record<string, any>>(
      `SELECT o.*, (SELECT count(*) FROM machines m WHERE m.organisation_id = o.id AND m.revoked_at IS NULL) AS machines FROM organisations o ORDER BY o.created_at`,
    );
    const names = new Map(organisations.map((o) => [o.id as string, o.name as string]));
    const org = (id: unknown) => `${names.get(id as string) ?? '?'} (${id})`;
    const machines = await db.query<Record<string, any>>('SELECT * FROM machines ORDER BY activated_at');
    const entitlements = await db.query<Record<string, any>>('SELECT * FROM entitlements ORDER BY created_at');
    const usage = await db.query<Record<string, any>>(
      `SELECT organisation_id, template_id, stream, meter, unit, count(*) AS records, sum(value) AS total,
              count(*) FILTER (WHERE invoice_id IS NULL AND entitlement_id IS NOT NULL AND status = 'accepted') AS uninvoiced,
              count(*) FILTER (WHERE status = 'disputed') AS disputed, max(received_at) AS last_received
       FROM usage_records GROUP BY organisation_id, template_id, stream, meter, unit ORDER BY organisation_id, template_id, stream, meter`,
    );
    const invoices = await db.query<Record<string, any>>('SELECT * FROM invoices ORDER BY issued_at DESC LIMIT 500');
    const incidents = await db.query<Record<string, any>>('SELECT * FROM chain_incidents ORDER BY at DESC LIMIT 50');
    const now = context.now();
    const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>PlantDesk cloud — operator</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.4 system-ui,"Microsoft YaHei",sans-serif;margin:1.5rem;color:#1f2933}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}small{color:#667}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #dde;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f5f8}td.none{color:#889}nav a{margin-right:1rem}
</style></head><body>
<h1>PlantDesk cloud — operator</h1>
<p>As of ${escapeHtml(time(now))}. Database: ${escapeHtml(db.engine)}. Marketplace key ${escapeHtml(context.keys.current.keyId)}.</p>
<nav><a href="#organisations">Organisations</a><a href="#machines">Machines</a><a href="#entitlements">Entitlements</a><a href="#usage">Usage</a><a href="#invoices">Invoices</a><a href="#incidents">Incidents</a></nav>
${table(
  'Organisations',
  'organisations',
  ['Name', 'Id', 'Publisher id', 'Active machines', 'Created'],
  organisations.map((o) => [o.name, o.id, o.publisher_id ?? '—', o.machines, time(o.created_at)]),
)}
${table(
  'Machines',
  'machines',
  ['Organisation', 'Name', 'Id', 'App version', 'Activated', 'Last seen', 'State'],
  machines.map((m) => [org(m.organisation_id), m.name, m.id, m.app_version, time(m.activated_at), time(m.last_seen_at), m.revoked_at ? 'revoked' : 'active']),
)}
${table(
  'Entitlements',
  'entitlements',
  ['Organisation', 'Template', 'Plan', 'Kind', 'Status', 'Valid from', 'Valid until'],
  entitlements.map((e) => [org(e.organisation_id), e.template_id, e.plan_id, e.kind, e.status, time(e.valid_from), e.valid_until === null ? 'open-ended' : time(e.valid_until)]),
)}
${table(
  'Usage and results',
  'usage',
  ['Organisation', 'Template', 'Stream', 'Meter', 'Records', 'Total', 'Not yet invoiced', 'Disputed', 'Last received'],
  usage.map((u) => [org(u.organisation_id), u.template_id, u.stream, u.meter, u.records, `${u.total} ${u.unit}`, u.uninvoiced, u.disputed, time(u.last_received)]),
)}
${table(
  'Invoices',
  'invoices',
  ['Number', 'Organisation', 'Kind', 'Month', 'Total', 'Status', 'Payment', 'Issued', 'Paid'],
  invoices.map((i) => [i.number, org(i.organisation_id), i.kind, i.month ?? '—', money(i.total), i.status, i.payment_method, time(i.issued_at), time(i.paid_at)]),
)}
${table(
  'Chain incidents (gaps and tampering refused)',
  'incidents',
  ['When', 'Machine', 'Stream', 'Kind', 'What'],
  incidents.map((i) => [time(i.at), i.machine_id, i.stream, i.kind, i.details?.message ?? '']),
)}
</body></html>`;
    return reply
      .type('text/html; charset=utf-8')
      .header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; form-action 'none'")
      .send(html);
  });
}
