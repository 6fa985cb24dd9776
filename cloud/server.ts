// The cloud platform's HTTP service (Fastify). Stateless: everything lives in the database, so
// several instances behind a load balancer can share one PostgreSQL. Every route validates its
// input by schema and answers errors as `{ "error": { "code", "message", "details" } }`.
import type { Writable } from 'node:stream';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import rateLimit, { type FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import pino from 'pino';
import { CloudError } from './http.ts';
import type { Database } from './db/database.ts';
import type { Keyring } from './crypto/keys.ts';
import type { CloudContext } from './context.ts';
import { bankTransferProvider, DEFAULT_BANK_ACCOUNT, testPaymentProvider, type BankAccount, type PaymentProviders } from './orders/payments.ts';
import { registerAccountRoutes } from './accounts/routes.ts';
import { registerCatalogueRoutes } from './catalogue/routes.ts';
import { registerPublishingRoutes } from './publishing/routes.ts';
import { registerOrderRoutes } from './orders/routes.ts';
import { registerLicenceRoutes } from './licences/routes.ts';
import { registerUsageRoutes } from './usage/routes.ts';
import { registerInvoiceRoutes } from './invoices/routes.ts';
import { registerOperatorPage } from './operator/page.ts';
import { SIGNED_REQUEST_HEADERS } from '../shared/cloud/index.ts';
import { sha256Hex } from './crypto/keys.ts';
import { databaseRateLimitStore } from './rate-limit-store.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body's bytes as received, for the signature check. */
    rawBody?: Buffer;
  }
}

export interface RateLimitSettings {
  /** Requests per window per client (machine or address). */
  max: number;
  windowMs: number;
}

export interface CloudServerOptions {
  db: Database;
  keys: Keyring;
  operatorToken?: string;
  now?: () => number;
  /** Where the JSON log lines go (stdout when omitted) and from which level; false for none. */
  log?: { stream?: Writable; level?: string } | false;
  rateLimit?: RateLimitSettings | false;
  /** Count requests in the database, across instances (the default on PostgreSQL). */
  sharedRateLimits?: boolean;
  /** Activation codes are guessable only by trying: a tighter limit per address. */
  activationRateLimit?: RateLimitSettings;
  /** Largest JSON body, in bytes (packages have their own limit). */
  bodyLimit?: number;
  /** Behind a load balancer: trust its X-Forwarded-For for client addresses. */
  trustProxy?: boolean | string;
  bankAccount?: BankAccount;
  /** Offer the test payment provider, which confirms at once. Never in production. */
  testPayments?: boolean;
  activationCodeDays?: number;
}

/** Fields that hold secrets, removed from any log line that would carry them. */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  `req.headers["${SIGNED_REQUEST_HEADERS.signature}"]`,
  'headers.authorization',
  'authorization',
  'token',
  '*.token',
  'operatorToken',
  '*.operatorToken',
  'privateKey',
  '*.privateKey',
  'password',
  '*.password',
  'secret',
  '*.secret',
  'activationCode',
  '*.activationCode',
  'body',
  '*.body',
];

function toCloudError(error: unknown): CloudError {
  if (error instanceof CloudError) return error;
  const fastifyError = error as Partial<FastifyError> & { ttl?: number };
  if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || fastifyError.statusCode === 413) {
    return new CloudError('payload_too_large', 'The request body is larger than this endpoint accepts.');
  }
  if (fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || fastifyError.statusCode === 415) {
    return new CloudError('unsupported_media_type', 'This content type is not accepted here: send application/json (or application/zip for packages).');
  }
  if (fastifyError.statusCode === 429) return new CloudError('rate_limited', 'Too many requests: slow down and retry after the time given.');
  if (fastifyError.statusCode !== undefined && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return new CloudError('invalid_input', `The request is not valid: ${fastifyError.message ?? 'bad request'}.`);
  }
  return new CloudError('internal', 'The cloud failed to handle this request. It was logged; try again later.', { cause: error });
}

function clientKey(request: FastifyRequest): string {
  const machine = request.headers[SIGNED_REQUEST_HEADERS.machine];
  const authorization = request.headers.authorization;
  if (typeof machine === 'string') return `machine:${machine}@${request.ip}`;
  if (authorization) return `token:${sha256Hex(authorization).slice(0, 32)}`;
  return `ip:${request.ip}`;
}

export async function createCloudServer(options: CloudServerOptions): Promise<FastifyInstance> {
  const logger =
    options.log === false
      ? pino({ level: 'silent' })
      : pino(
          {
            level: options.log?.level ?? 'info',
            redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
            serializers: {
              // Method and path only: no headers, no query (where a careless client might put a token).
              req: (request: { method?: string; url?: string; ip?: string; id?: string }) => ({
                id: request.id,
                method: request.method,
                path: request.url?.split('?')[0],
                remoteAddress: request.ip,
              }),
              res: (reply: { statusCode?: number }) => ({ statusCode: reply.statusCode }),
              // A database error carries the statement's parameters: they stay out of the log.
              err: (error: Error) => {
                const { params: _params, ...serialised } = pino.stdSerializers.err(error) as ReturnType<typeof pino.stdSerializers.err> & { params?: unknown };
                return serialised;
              },
            },
          },
          options.log?.stream ?? process.stdout,
        );
  // Typed as a plain instance: the route modules do not care which pino logger is inside.
  const app: FastifyInstance = Fastify({
    loggerInstance: logger,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    trustProxy: options.trustProxy ?? false,
    // Request ids are not secrets, and a client's own X-Request-Id helps trace a sync across logs.
    requestIdHeader: 'x-request-id',
  }) as unknown as FastifyInstance;

  const payments: PaymentProviders = { bank_transfer: bankTransferProvider(options.bankAccount ?? DEFAULT_BANK_ACCOUNT) };
  if (options.testPayments) payments.test = testPaymentProvider();
  let lastHousekeeping = 0;
  const now = options.now ?? Date.now;
  const context: CloudContext = {
    db: options.db,
    keys: options.keys,
    now,
    config: { operatorToken: options.operatorToken, activationCodeDays: options.activationCodeDays ?? 7 },
    payments,
    housekeeping() {
      const at = now();
      if (at - lastHousekeeping < 60_000) return;
      lastHousekeeping = at;
      options.db.query('DELETE FROM request_nonces WHERE expires_at < $1', [at]).catch((error: unknown) => app.log.warn({ err: error }, 'nonce clean-up failed'));
      options.db.query('DELETE FROM rate_limits WHERE window_start < $1', [at - 3_600_000]).catch((error: unknown) => app.log.warn({ err: error }, 'rate limit clean-up failed'));
    },
  };

  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer;
    request.rawBody = bytes;
    if (bytes.length === 0) return done(null, undefined);
    try {
      done(null, JSON.parse(bytes.toString('utf8')));
    } catch {
      done(new CloudError('invalid_input', 'The request body is not valid JSON.'), undefined);
    }
  });
  app.addContentTypeParser(['application/zip', 'application/octet-stream'], { parseAs: 'buffer' }, (request, body, done) => {
    request.rawBody = body as Buffer;
    done(null, body);
  });

  app.setErrorHandler((error, request, reply) => {
    const cloudError = toCloudError(error);
    if (cloudError.code === 'internal') request.log.error({ err: error }, 'request failed');
    if (cloudError.retryAfter !== undefined) void reply.header('Retry-After', String(cloudError.retryAfter));
    void reply.status(cloudError.status).send(cloudError.toBody());
  });
  app.setNotFoundHandler((request, reply) => {
    const error = new CloudError('not_found', `There is no ${request.method} ${request.url.split('?')[0]} here.`);
    void reply.status(error.status).send(error.toBody());
  });

  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    if (!reply.hasHeader('Cache-Control')) reply.header('Cache-Control', 'no-store');
    return payload;
  });

  if (options.rateLimit !== false) {
    const limit = options.rateLimit ?? { max: 600, windowMs: 60_000 };
    await app.register(rateLimit, {
      // Shared by every instance on PostgreSQL; PGlite is one process, whose memory serves.
      ...((options.sharedRateLimits ?? options.db.engine === 'postgres') ? { store: databaseRateLimitStore(options.db, now) as unknown as FastifyRateLimitStoreCtor } : {}),
      skipOnError: true,
      max: limit.max,
      timeWindow: limit.windowMs,
      keyGenerator: clientKey,
      errorResponseBuilder: (_request, context) =>
        new CloudError('rate_limited', `Too many requests: at most ${context.max} per ${context.after}. Retry later.`, {
          retryAfter: Math.max(1, Math.ceil(context.ttl / 1000)),
          details: { limit: context.max, window: context.after },
        }),
    });
  }

  app.get('/health', async () => {
    await options.db.query('SELECT 1');
    return { ok: true, engine: options.db.engine };
  });
  app.get('/v1/keys', async () => ({ keys: options.keys.publicKeys() }));

  const activationLimit = options.activationRateLimit ?? { max: 20, windowMs: 60_000 };
  registerAccountRoutes(app, context, { activationLimit: options.rateLimit === false ? undefined : activationLimit });
  registerCatalogueRoutes(app, context);
  registerPublishingRoutes(app, context);
  registerOrderRoutes(app, context);
  registerLicenceRoutes(app, context);
  registerUsageRoutes(app, context);
  registerInvoiceRoutes(app, context);
  registerOperatorPage(app, context);
  return app;
}
