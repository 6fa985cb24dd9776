// How the core talks to the PlantDesk cloud: one request at a time over HTTPS (HTTP on 127.0.0.1 in
// tests), signed with this machine's Ed25519 key once it is activated (shared/cloud/signed-request.ts).
// A request that never got an answer (no route, refused, reset, timed out) throws CloudUnreachable;
// any HTTP answer, 4xx and 5xx included, is returned for the caller to judge.
import crypto, { type KeyObject } from 'node:crypto';
import { canonicalRequest, SIGNED_REQUEST_HEADERS } from '../../shared/cloud/index.ts';

export interface CloudRequest {
  method: 'GET' | 'POST';
  /** Path and query, e.g. `/v1/sync/usage`. */
  path: string;
  /** Sent as JSON. */
  body?: unknown;
  /** Sign with the machine key (needs an activated machine). */
  signed?: boolean;
  headers?: Record<string, string>;
  /** Default 20 s. */
  timeoutMs?: number;
  /** Return the body as bytes (packages, screenshots) instead of parsed JSON. */
  binary?: boolean;
}

export interface CloudResponse<T = unknown> {
  status: number;
  headers: Headers;
  /** Parsed JSON (or the text when not JSON), bytes when `binary`; undefined for an empty body. */
  body: T;
}

export interface CloudTransport {
  request<T = unknown>(request: CloudRequest): Promise<CloudResponse<T>>;
}

/**
 * Why a request got no answer, in the network layer's words: Node's fetch says only "fetch failed" and
 * keeps the reason (refused, timed out, name not found) in its cause. Without a closing full stop, as
 * it goes inside sentences.
 * @example networkReason(new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 10.0.0.5:443') })) // → 'connect ECONNREFUSED 10.0.0.5:443'
 */
export function networkReason(cause: unknown): string {
  const inner = cause instanceof Error && cause.message === 'fetch failed' && cause.cause instanceof Error ? cause.cause : cause;
  return (inner instanceof Error ? inner.message : String(inner)).replace(/[.\s]+$/, '');
}

/** The request never got an answer: no network, refused, reset, or timed out. */
export class CloudUnreachable extends Error {
  readonly url: string;
  /** The network's reason alone (networkReason), for sentences that name the address themselves. */
  readonly reason: string;
  constructor(url: string, cause: unknown) {
    const reason = networkReason(cause);
    super(`cannot reach the PlantDesk cloud at ${url}: ${reason}`, { cause });
    this.name = 'CloudUnreachable';
    this.url = url;
    this.reason = reason;
  }
}

/** Who signs: the machine id the cloud gave at activation and the machine's private key. */
export interface MachineSigner {
  machineId: string;
  privateKey: KeyObject;
}

export interface HttpTransportOptions {
  /** The cloud's base URL, e.g. `https://cloud.plantdesk.cn`; read at each request (it can change). */
  baseUrl: () => string | undefined;
  /** The signer once activated; read at each request. */
  signer: () => MachineSigner | undefined;
  /** The machine's wall clock, for the signature's timestamp (tests move it). */
  now?: () => number;
  fetch?: typeof fetch;
  /** The largest answer read (MAX_ANSWER_BYTES). */
  maxAnswerBytes?: number;
}

/** The largest answer read: a template package (16 MB) with room to spare. */
export const MAX_ANSWER_BYTES = 24 * 1024 * 1024;

/** The body's bytes, refusing an answer larger than `max` before it fills the memory. */
async function readCapped(response: Response, max: number): Promise<Buffer> {
  if (Number(response.headers.get('content-length') ?? 0) > max) {
    await response.body?.cancel();
    throw new Error(`the answer is larger than ${max} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  if (response.body) {
    for await (const chunk of response.body) {
      size += chunk.byteLength;
      if (size > max) throw new Error(`the answer is larger than ${max} bytes`);
      chunks.push(Buffer.from(chunk));
    }
  }
  return Buffer.concat(chunks);
}

const sha256Hex = (bytes: Uint8Array | string) => crypto.createHash('sha256').update(bytes).digest('hex');

/** Plain fetch with the machine's signature headers. */
export class HttpTransport implements CloudTransport {
  readonly #options: HttpTransportOptions;

  constructor(options: HttpTransportOptions) {
    this.#options = options;
  }

  async request<T = unknown>(request: CloudRequest): Promise<CloudResponse<T>> {
    const baseUrl = this.#options.baseUrl();
    if (!baseUrl) throw new CloudUnreachable('(no address set)', new Error('no cloud address is set'));
    const url = `${baseUrl.replace(/\/+$/, '')}${request.path}`;
    const bodyText = request.body === undefined ? '' : JSON.stringify(request.body);
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    if (request.signed) {
      const signer = this.#options.signer();
      if (!signer) throw new Error('this PC is not activated: signed requests need the machine key');
      const timestamp = (this.#options.now ?? Date.now)();
      const nonce = crypto.randomBytes(18).toString('base64url');
      const contentSha256 = sha256Hex(bodyText);
      const message = canonicalRequest({ method: request.method, path: request.path, machineId: signer.machineId, timestamp, nonce, contentSha256 });
      Object.assign(headers, {
        [SIGNED_REQUEST_HEADERS.machine]: signer.machineId,
        [SIGNED_REQUEST_HEADERS.timestamp]: String(timestamp),
        [SIGNED_REQUEST_HEADERS.nonce]: nonce,
        [SIGNED_REQUEST_HEADERS.contentSha256]: contentSha256,
        [SIGNED_REQUEST_HEADERS.signature]: crypto.sign(null, Buffer.from(message, 'utf8'), signer.privateKey).toString('base64url'),
      });
    }
    let response: Response;
    let bytes: Buffer;
    try {
      response = await (this.#options.fetch ?? fetch)(url, {
        method: request.method,
        headers,
        body: request.body === undefined ? undefined : bodyText,
        signal: AbortSignal.timeout(request.timeoutMs ?? 20_000),
        // A redirect would carry the machine's signature headers to another address.
        redirect: 'error',
      });
      bytes = await readCapped(response, this.#options.maxAnswerBytes ?? MAX_ANSWER_BYTES);
    } catch (error) {
      throw new CloudUnreachable(baseUrl, error);
    }
    let body: unknown = undefined;
    if (request.binary && response.ok) body = bytes;
    else if (bytes.length > 0) {
      const text = bytes.toString('utf8');
      body = text;
      if ((response.headers.get('content-type') ?? '').includes('json')) {
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
      }
    }
    return { status: response.status, headers: response.headers, body: body as T };
  }
}
