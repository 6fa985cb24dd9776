// Publishing routes: a publisher's admin (API token) or the operator uploads a package zip; the
// publisher or the operator sets a template's price plans.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CloudIdSchema, PACKAGE_LIMITS, PricePlansSchema, TemplateIdSchema, type PricePlan, type TemplateManifest } from '../../shared/cloud/index.ts';
import { authenticateOperator, authenticateUser } from '../auth/auth.ts';
import { requireOrganisation } from '../accounts/routes.ts';
import { CloudError, parseInput } from '../http.ts';
import type { CloudContext } from '../context.ts';
import { publishPackage } from './publish.ts';

const uploadOptions = { bodyLimit: PACKAGE_LIMITS.maxPackageBytes };

function zipBody(request: FastifyRequest): Buffer {
  if (!Buffer.isBuffer(request.body)) throw new CloudError('unsupported_media_type', 'Send the package as the request body with Content-Type: application/zip.');
  return request.body;
}

/** Plans must name the template's own meters, outcome metric and features. */
function checkPlansAgainstManifest(plans: PricePlan[], manifest: TemplateManifest): void {
  const problems: string[] = [];
  const meters = new Set(manifest.licence.meters.map((meter) => meter.id));
  const features = new Set(manifest.licence.features);
  for (const plan of plans) {
    if (plan.kind === 'pay_after_use' && !meters.has(plan.meter)) problems.push(`plan ${plan.id}: the template has no meter "${plan.meter}".`);
    if (plan.kind === 'pay_for_results' && manifest.licence.outcome?.metric !== plan.metric) problems.push(`plan ${plan.id}: the template measures no outcome "${plan.metric}".`);
    for (const feature of plan.features) if (!features.has(feature)) problems.push(`plan ${plan.id}: the template has no feature "${feature}".`);
  }
  if (problems.length > 0) throw new CloudError('invalid_input', `The price plans do not fit the template: ${problems.join(' ')}`, { details: { problems } });
}

export function registerPublishingRoutes(app: FastifyInstance, context: CloudContext): void {
  const { db } = context;

  async function setPlans(templateId: string, body: unknown, organisationId: string | undefined) {
    const plans = parseInput(z.strictObject({ plans: PricePlansSchema }), body, 'body').plans;
    const [template] = await db.query<{ organisation_id: string; manifest: TemplateManifest }>(
      `SELECT t.organisation_id, v.manifest FROM templates t JOIN template_versions v ON v.template_id = t.id
       WHERE t.id = $1 ORDER BY v.published_at DESC LIMIT 1`,
      [templateId],
    );
    if (!template || (organisationId && template.organisation_id !== organisationId)) throw new CloudError('not_found', `There is no template ${templateId} of yours.`);
    checkPlansAgainstManifest(plans, template.manifest);
    await db.transaction(async (tx) => {
      await tx.query('UPDATE templates SET plans = $2::jsonb, updated_at = $3 WHERE id = $1', [templateId, JSON.stringify(plans), context.now()]);
      await tx.query('UPDATE catalogue_state SET revision = revision + 1 WHERE id = 1');
    });
    return { templateId, plans };
  }

  app.post('/v1/publisher/packages', uploadOptions, async (request, reply) => {
    const user = await authenticateUser(context, request);
    if (user.role !== 'admin') throw new CloudError('forbidden', "Only an organisation's admin may publish templates.");
    const organisation = await requireOrganisation(context, user.organisationId);
    const published = await publishPackage(db, context.keys, organisation, zipBody(request), context.now());
    request.log.info({ templateId: published.templateId, version: published.version, sha256: published.sha256 }, 'package published');
    return reply.status(201).send(published);
  });

  app.post('/v1/operator/organisations/:id/packages', uploadOptions, async (request, reply) => {
    authenticateOperator(context, request);
    const { id } = parseInput(z.strictObject({ id: CloudIdSchema }), request.params, 'params');
    const organisation = await requireOrganisation(context, id);
    const published = await publishPackage(db, context.keys, organisation, zipBody(request), context.now());
    request.log.info({ templateId: published.templateId, version: published.version, sha256: published.sha256 }, 'package published');
    return reply.status(201).send(published);
  });

  app.put('/v1/publisher/templates/:id/plans', async (request) => {
    const user = await authenticateUser(context, request);
    if (user.role !== 'admin') throw new CloudError('forbidden', "Only an organisation's admin may set price plans.");
    const { id } = parseInput(z.strictObject({ id: TemplateIdSchema }), request.params, 'params');
    return setPlans(id, request.body, user.organisationId);
  });

  app.put('/v1/operator/templates/:id/plans', async (request) => {
    authenticateOperator(context, request);
    const { id } = parseInput(z.strictObject({ id: TemplateIdSchema }), request.params, 'params');
    return setPlans(id, request.body, undefined);
  });
}
