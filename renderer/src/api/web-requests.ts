// Pure pieces of the web transport: how a call becomes an HTTP request, where the event stream lives,
// how long to wait before reconnecting and how a failed response becomes an error body. Kept free of
// `window` so they are unit-tested under Node.
import type { ErrorBody, ErrorCode } from '../../../shared/errors.ts';
import { isErrorBody } from '../../../shared/errors.ts';

/** Query parameter a LAN tablet's link carries its access token in: `http://pc:8470/?token=...`. */
export const TOKEN_PARAM = 'token';

/** The access token from a page's query string, or null when there is none. */
export function tokenFromSearch(search: string): string | null {
  const token = new URLSearchParams(search).get(TOKEN_PARAM);
  return token && token.trim() !== '' ? token.trim() : null;
}

export interface CallRequestOptions {
  /** The UI language; the core answers errors in it. */
  language: string;
  token: string | null;
}

/**
 * The HTTP request for one call of the contract.
 * @example buildCallRequest('points.list', { deviceId: 'cnc1' }, { language: 'zh-CN', token: null })
 *   // → { url: '/api/points.list', init: { method: 'POST', body: '{"deviceId":"cnc1"}', ... } }
 */
export function buildCallRequest(
  name: string,
  input: unknown,
  options: CallRequestOptions,
): { url: string; init: { method: 'POST'; headers: Record<string, string>; body: string } } {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    Accept: 'application/json',
    'Accept-Language': options.language,
  };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  return {
    url: `/api/${encodeURIComponent(name)}`,
    init: { method: 'POST', headers, body: JSON.stringify(input ?? {}) },
  };
}

/**
 * The WebSocket URL of the event stream on the host that served the page.
 * @example eventsUrl({ protocol: 'https:', host: 'pc:8470' }, 'abc') // → 'wss://pc:8470/api/events?token=abc'
 */
export function eventsUrl(location: { protocol: string; host: string }, token: string | null): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const query = token ? `?${TOKEN_PARAM}=${encodeURIComponent(token)}` : '';
  return `${scheme}//${location.host}/api/events${query}`;
}

/**
 * Milliseconds to wait before reconnect attempt `attempt` (0-based): 0.5 s doubling up to 10 s,
 * with ±20 % jitter so a room full of tablets does not reconnect in lockstep after a restart.
 */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(10_000, 500 * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.8 + 0.4 * random()));
}

function codeForStatus(status: number): ErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 504) return 'timeout';
  if (status === 502 || status === 503) return 'unavailable';
  return 'internal';
}

/**
 * The error body of a failed response: the core's own `{ error }` when the body carries one, else
 * (a proxy's HTML page, an empty body) the given message with a code derived from the status.
 */
export function errorBodyOf(status: number, body: unknown, fallbackMessage: string): ErrorBody {
  const candidate = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
  if (isErrorBody(candidate)) return candidate;
  return { code: codeForStatus(status), message: fallbackMessage };
}
