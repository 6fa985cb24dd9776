// The OpenAPI 3.1 description of the web host, generated from the contract so it can never drift.
import { z } from 'zod';
import { calls, ERROR_CODES, events, HTTP_STATUS } from '../../shared/index.ts';
import { APP_NAME, APP_VERSION } from '../version.ts';

const errorBodySchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', enum: [...ERROR_CODES] },
        message: { type: 'string', description: 'A sentence for the user, in the language of Accept-Language.' },
        details: { type: 'object' },
      },
    },
  },
};

const toSchema = (schema: z.ZodType, io: 'input' | 'output') => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

export function buildOpenApi(): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  const errorStatuses = [...new Set(Object.values(HTTP_STATUS))].sort();
  for (const [name, spec] of Object.entries(calls)) {
    const responses: Record<string, unknown> = {
      200: { description: 'Success', content: { 'application/json': { schema: toSchema(spec.output, 'output') } } },
    };
    for (const status of errorStatuses) {
      responses[status] = { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } } };
    }
    paths[`/api/${name}`] = {
      post: {
        operationId: name,
        summary: spec.summary,
        'x-plantdesk-role': spec.role,
        requestBody: { required: false, content: { 'application/json': { schema: toSchema(spec.input, 'input') } } },
        responses,
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: `${APP_NAME} API`,
      version: APP_VERSION,
      description:
        'Every call is POST /api/<name> with a JSON body. Events arrive on the WebSocket /api/events as ' +
        'JSON messages {event, payload}; their payloads are under x-plantdesk-events.',
    },
    paths,
    components: { schemas: { ErrorBody: errorBodySchema } },
    'x-plantdesk-events': Object.fromEntries(
      Object.entries(events).map(([name, spec]) => [name, { summary: spec.summary, payload: toSchema(spec.payload, 'output') }]),
    ),
  };
}
