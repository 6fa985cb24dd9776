// Sync routes for the two append-only streams, signed by the machine: POST a batch, GET where the
// stream stands. A batch's id is its idempotency key.
import type { FastifyInstance } from 'fastify';
import { OutcomeBatchSchema, UsageBatchSchema } from '../../shared/cloud/index.ts';
import { authenticateMachine } from '../auth/auth.ts';
import { parseInput } from '../http.ts';
import type { CloudContext } from '../context.ts';
import { ingestBatch, streamState } from './ingest.ts';

/** 500 records of a few hundred bytes each, with room to spare. */
const BATCH_BODY_LIMIT = 2 * 1024 * 1024;

export function registerUsageRoutes(app: FastifyInstance, context: CloudContext): void {
  app.post('/v1/sync/usage', { bodyLimit: BATCH_BODY_LIMIT }, async (request) => {
    const machine = await authenticateMachine(context, request);
    const batch = parseInput(UsageBatchSchema, request.body, 'body');
    return ingestBatch(context, machine, 'usage', batch);
  });

  app.post('/v1/sync/outcomes', { bodyLimit: BATCH_BODY_LIMIT }, async (request) => {
    const machine = await authenticateMachine(context, request);
    const batch = parseInput(OutcomeBatchSchema, request.body, 'body');
    return ingestBatch(context, machine, 'outcomes', batch);
  });

  app.get('/v1/sync/usage/state', async (request) => streamState(context, (await authenticateMachine(context, request)).id, 'usage'));
  app.get('/v1/sync/outcomes/state', async (request) => streamState(context, (await authenticateMachine(context, request)).id, 'outcomes'));
}
