// Order and entitlement routes, for a machine of the organisation (signed) or one of its users.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CloudIdSchema, OrderRequestSchema } from '../../shared/cloud/index.ts';
import { authenticateActor } from '../auth/auth.ts';
import { parseInput } from '../http.ts';
import type { CloudContext } from '../context.ts';
import { cancelEntitlement, listEntitlements, placeOrder } from './entitlements.ts';

/** An order sent again with the same key gets the first answer (see placeOrder). */
const OrderHeadersSchema = z.object({ 'idempotency-key': z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, '8 to 64 letters, digits, "_" or "-"').optional() });

export function registerOrderRoutes(app: FastifyInstance, context: CloudContext): void {
  app.post('/v1/orders', async (request, reply) => {
    const actor = await authenticateActor(context, request);
    const order = parseInput(OrderRequestSchema, request.body, 'body');
    const { 'idempotency-key': idempotencyKey } = parseInput(OrderHeadersSchema, request.headers, 'headers');
    const result = await placeOrder(context, actor.organisationId, order, idempotencyKey);
    request.log.info({ organisationId: actor.organisationId, entitlementId: result.entitlement.id, kind: result.entitlement.kind }, 'order placed');
    return reply.status(201).send(result);
  });

  app.get('/v1/entitlements', async (request) => {
    const actor = await authenticateActor(context, request);
    return { entitlements: await listEntitlements(context, actor.organisationId) };
  });

  app.post('/v1/entitlements/:id/cancel', async (request) => {
    const actor = await authenticateActor(context, request);
    const { id } = parseInput(z.strictObject({ id: CloudIdSchema }), request.params, 'params');
    const entitlement = await cancelEntitlement(context, actor.organisationId, id);
    request.log.info({ organisationId: actor.organisationId, entitlementId: id }, 'entitlement cancelled');
    return entitlement;
  });
}
