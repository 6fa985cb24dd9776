// The web host: the same core behind HTTP, so a browser (and a shift tablet on the plant LAN) gets
// the same app as the Electron window. POST /api/<call>, events on the WebSocket /api/events,
// GET /api/openapi.json. Bound to 127.0.0.1 by default; on any other address a token is required
// from every client that is not on this machine.
import fs from 'node:fs';
import path from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import { AppError, calls, CONTENT_SECURITY_POLICY_HEADER, ExportJobIdSchema, HTTP_STATUS, pickLocale, roleAllows, type Role } from '../../shared/index.ts';
import type { Core } from '../index.ts';
import type { CallContext } from '../contract/dispatcher.ts';
import type { Logger } from '../host.ts';
import { contentDisposition } from '../historian/export/index.ts';
import { buildOpenApi } from './openapi.ts';

export interface WebHostOptions {
  core: Core;
  logger: Logger;
  /** Folder of the built renderer (index.html); omitted, only the API is served. */
  staticDir?: string;
  /** Access token for clients that are not on this machine (shift tablets). */
  token?: string;
  /** Role a client with the token gets. */
  tokenRole?: Role;
  /** Largest request body, in bytes. */
  bodyLimit?: number;
  /** Clients on this machine act as admin without a token (the PC's owner); tests turn it off. */
  trustLocalClients?: boolean;
}


const MAX_BUFFERED_EVENT_BYTES = 4 * 1024 * 1024;

const isLoopback = (address: string | undefined) =>
  address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1' || (address ?? '').startsWith('127.');

function tokenMatches(expected: string | undefined, given: string | undefined): boolean {
  if (!expected || !given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

function givenToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  const query = request.query as Record<string, unknown> | undefined;
  return typeof query?.token === 'string' ? query.token : undefined;
}

export async function createWebHost(options: WebHostOptions): Promise<FastifyInstance> {
  const { core, logger } = options;
  // Register maps travel as base64 in JSON: 24 MB covers the largest (16 MB) file the contract accepts.
  const app = Fastify({ logger: false, bodyLimit: options.bodyLimit ?? 24 * 1024 * 1024 });
  const openApi = buildOpenApi();

  /** Who is asking: this machine's own user is admin; others need the token. */
  const contextOf = (request: FastifyRequest): CallContext => {
    const locale = pickLocale(request.headers['accept-language']);
    const address = request.socket.remoteAddress ?? 'unknown';
    if ((options.trustLocalClients ?? true) && isLoopback(address)) return { role: 'admin', locale, actor: 'this PC (browser)' };
    if (tokenMatches(options.token, givenToken(request))) {
      return { role: options.tokenRole ?? 'operator', locale, actor: `LAN client ${address.replace(/^::ffff:/, '')}` };
    }
    throw new AppError('unauthorized', 'error.unauthorized');
  };

  // An empty body is an empty input, not a parse error: `POST /api/devices.list` needs no body.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body).trim();
    if (text === '') return done(null, {});
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new AppError('invalid_input', 'error.invalidJson'), undefined);
    }
  });

  app.setErrorHandler((error, request, reply) => {
    const locale = pickLocale(request.headers['accept-language']);
    const fastifyError = error as { statusCode?: number; code?: string };
    const appError =
      error instanceof AppError
        ? error
        : fastifyError.statusCode === 413 || fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? new AppError('invalid_input', 'error.invalidJson', { details: { reason: 'body too large' } })
          : fastifyError.statusCode && fastifyError.statusCode < 500
            ? new AppError('invalid_input', 'error.invalidJson', { cause: error })
            : new AppError('internal', 'error.internal', { cause: error });
    if (appError.code === 'internal') logger.error('web host request failed', { url: request.url, error: String(error) });
    void reply.status(HTTP_STATUS[appError.code]).send({ error: appError.toBody(locale) });
  });

  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('Content-Security-Policy', CONTENT_SECURITY_POLICY_HEADER);
    return payload;
  });

  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });

  app.get('/api/openapi.json', async () => openApi);

  app.post<{ Params: { call: string } }>('/api/:call', async (request, reply) => {
    const context = contextOf(request);
    const result = await core.dispatch(request.params.call, request.body, context);
    if (result.ok) return reply.send(result.value ?? null);
    return reply.status(HTTP_STATUS[result.error.code]).send({ error: result.error });
  });

  // Export files are streamed from disk: too large for a JSON answer, and a plain link a browser (or a
  // tablet, with ?token=) can save. The same who-may rules as the call that hands small files over.
  app.get<{ Params: { jobId: string } }>('/api/exports/:jobId', async (request, reply) => {
    const context = contextOf(request);
    const required = calls['historian.downloadExport'].role;
    if (!roleAllows(context.role, required)) {
      throw new AppError('forbidden', 'error.forbidden', { params: { call: 'historian.downloadExport', role: context.role, required } });
    }
    const jobId = request.params.jobId;
    if (!ExportJobIdSchema.safeParse(jobId).success) throw new AppError('not_found', 'error.exportNotFound', { params: { jobId } });
    const file = core.exports.file(jobId);
    return reply
      .header('Content-Type', file.mimeType)
      .header('Content-Length', String(file.sizeBytes))
      .header('Content-Disposition', contentDisposition(file.fileName))
      .header('Cache-Control', 'no-store')
      // One file, one connection: a kept-alive socket that finished a sized stream is not seen as idle
      // in time, and would hold the host's shutdown for the keep-alive timeout.
      .header('Connection', 'close')
      .send(fs.createReadStream(file.path));
  });

  app.get('/api/events', { websocket: true }, (socket, request) => {
    try {
      contextOf(request);
    } catch {
      socket.close(4401, 'unauthorized');
      return;
    }
    const unsubscribe = core.events.subscribe((message) => {
      if (socket.readyState !== socket.OPEN) return;
      // A client that cannot keep up is dropped; it reconnects and re-reads the state.
      if (socket.bufferedAmount > MAX_BUFFERED_EVENT_BYTES) {
        socket.close(1013, 'too slow');
        return;
      }
      socket.send(JSON.stringify(message));
    });
    socket.on('close', unsubscribe);
    socket.on('error', unsubscribe);
  });

  app.all('/api/*', async (request) => {
    throw new AppError('not_found', 'error.unknownCall', { params: { call: `${request.method} ${request.url}` } });
  });

  if (options.staticDir && fs.existsSync(path.join(options.staticDir, 'index.html'))) {
    await app.register(fastifyStatic, { root: path.resolve(options.staticDir), prefix: '/' });
    app.setNotFoundHandler((request, reply) => {
      if (request.method === 'GET' && !request.url.startsWith('/api/')) return reply.sendFile('index.html');
      throw new AppError('not_found', 'error.unknownCall', { params: { call: `${request.method} ${request.url}` } });
    });
  }

  return app;
}
