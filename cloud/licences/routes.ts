// The app refreshes its licences at each sync: POST /v1/licences/refresh, signed by the machine.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { MachineFingerprintSchema, type LicenceRefreshResponse } from '../../shared/cloud/index.ts';
import { authenticateMachine } from '../auth/auth.ts';
import { parseInput } from '../http.ts';
import type { CloudContext } from '../context.ts';
import { issueLicences, signedServerTime } from './licences.ts';

const RefreshSchema = z.strictObject({ fingerprint: MachineFingerprintSchema.optional() });

export function registerLicenceRoutes(app: FastifyInstance, context: CloudContext): void {
  app.post('/v1/licences/refresh', async (request) => {
    const machine = await authenticateMachine(context, request);
    const input = parseInput(RefreshSchema, request.body ?? {}, 'body');
    const bundle: LicenceRefreshResponse = await issueLicences(context, machine, input.fingerprint);
    return bundle;
  });

  app.get('/v1/time', async (request) => {
    const machine = await authenticateMachine(context, request);
    return { serverTime: signedServerTime(context, machine.id) };
  });
}
