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

/** The request never got an answer: no network, refused, reset, or timed out. */
export class CloudUnreachable extends Error {
  readonly url: string;
  constructor(url: string, cause: unknown) {
    super(`cannot reach the PlantDesk cloud at ${url}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'CloudUnreachable';
    this.url = url;
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
      });
      bytes = Buffer.from(await response.arrayBuffer());
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
