// Group robots of the three Chinese work messengers, as their documentation gives them:
//   WeCom (企业微信)  POST <url with ?key=…>   {"msgtype":"text","text":{"content":…}}         → {"errcode":0}
//   DingTalk (钉钉)   POST <url with ?access_token=…>[&timestamp=<ms>&sign=<…>]  same body      → {"errcode":0}
//                     sign = urlencode(base64(HMAC-SHA256(key = secret, message = timestamp + "\n" + secret)))
//   Feishu (飞书)     POST <url …/bot/v2/hook/<token>>  {"msg_type":"text","content":{"text":…}}
//                     [+ "timestamp":"<s>","sign":base64(HMAC-SHA256(key = timestamp + "\n" + secret, message = ""))] → {"code":0}
// Sending retries with back-off; addresses and secrets never reach the log (only the host does).
import { createHmac } from 'node:crypto';
import type { WebhookKind } from '../../shared/contract/alarm-calls.ts';

/** What a robot needs to be sent a message. */
export interface WebhookTarget {
  kind: WebhookKind;
  url: string;
  secret?: string | undefined;
}

/** Longest text each robot takes (WeCom: 2048 bytes of UTF-8; the others allow far more). */
const MAX_TEXT_BYTES: Record<WebhookKind, number> = { wecom: 2000, dingtalk: 18_000, feishu: 18_000 };

/** Cuts a text to at most `maxBytes` of UTF-8, on a character boundary, with an ellipsis. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  let bytes = 3; // the ellipsis
  let end = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char, 'utf8');
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += char.length;
  }
  return `${text.slice(0, end)}…`;
}

/** DingTalk's signature of a millisecond timestamp, URL-encoded for the query string. */
export function dingTalkSign(secret: string, timestampMs: number): string {
  const digest = createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest('base64');
  return encodeURIComponent(digest);
}

/** Feishu's signature of a timestamp in seconds (the string to sign is the HMAC key; the message is empty). */
export function feishuSign(secret: string, timestampS: number): string {
  return createHmac('sha256', `${timestampS}\n${secret}`).update('').digest('base64');
}

/** The request one text message to a robot is: the address (signed where needed) and the JSON body. */
export function webhookRequest(target: WebhookTarget, text: string, now = Date.now()): { url: string; body: string } {
  const content = truncateUtf8(text, MAX_TEXT_BYTES[target.kind]);
  switch (target.kind) {
    case 'wecom':
      return { url: target.url, body: JSON.stringify({ msgtype: 'text', text: { content } }) };
    case 'dingtalk': {
      let url = target.url;
      if (target.secret) {
        url += `${url.includes('?') ? '&' : '?'}timestamp=${now}&sign=${dingTalkSign(target.secret, now)}`;
      }
      return { url, body: JSON.stringify({ msgtype: 'text', text: { content } }) };
    }
    case 'feishu': {
      const seconds = Math.floor(now / 1000);
      const signed = target.secret ? { timestamp: String(seconds), sign: feishuSign(target.secret, seconds) } : {};
      return { url: target.url, body: JSON.stringify({ ...signed, msg_type: 'text', content: { text: content } }) };
    }
  }
}

/** Why a delivery failed, with what the robot said (never the address). */
export class WebhookError extends Error {
  readonly status: number | null;
  /** Worth trying again: no answer, a server error, too many requests, or a robot's own refusal. */
  readonly retryable: boolean;
  constructor(message: string, status: number | null, retryable: boolean) {
    super(message);
    this.name = 'WebhookError';
    this.status = status;
    this.retryable = retryable;
  }
}

/** The host of an address, the only part of it that may be logged or shown back. */
export function webhookHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'invalid address';
  }
}

/**
 * A robot's address with its token shortened, for the settings screen: the query's values and a long
 * last path segment (Feishu's hook token) keep only their first 4 characters.
 * @example maskWebhookUrl('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=73febdcb-1b38') // 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=73fe…'
 */
export function maskWebhookUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '…';
  }
  const short = (value: string) => (value.length <= 4 ? '…' : `${value.slice(0, 4)}…`);
  const segments = parsed.pathname.split('/');
  const last = segments.at(-1) ?? '';
  if (last.length >= 16) segments[segments.length - 1] = short(last);
  const query = [...parsed.searchParams.entries()].map(([name, value]) => `${name}=${short(value)}`).join('&');
  return `${parsed.protocol}//${parsed.host}${segments.join('/')}${query ? `?${query}` : ''}`;
}

/** The error code in a robot's answer: errcode (WeCom, DingTalk) or code (Feishu); 0 is success. */
function answerCode(body: unknown): { code: number; message: string } | null {
  if (typeof body !== 'object' || body === null) return null;
  const record = body as Record<string, unknown>;
  const code = record.errcode ?? record.code ?? record.StatusCode;
  if (typeof code !== 'number') return null;
  const message = record.errmsg ?? record.msg ?? record.StatusMessage;
  return { code, message: typeof message === 'string' ? message : '' };
}

/** Sends one message once; throws a WebhookError naming what went wrong. */
export async function postWebhook(target: WebhookTarget, text: string, options: { timeoutMs?: number; signal?: AbortSignal; now?: number } = {}): Promise<void> {
  const request = webhookRequest(target, text, options.now ?? Date.now());
  const signals = [AbortSignal.timeout(options.timeoutMs ?? 10_000), ...(options.signal ? [options.signal] : [])];
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: request.body,
      signal: AbortSignal.any(signals),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    const name = (error as Error).name;
    const reason = name === 'TimeoutError' ? 'no answer in time' : name === 'AbortError' ? 'stopped' : (cause ?? 'cannot connect');
    throw new WebhookError(reason, null, name !== 'AbortError');
  }
  const raw = await response.text().catch(() => '');
  let body: unknown = null;
  try {
    body = raw === '' ? null : JSON.parse(raw);
  } catch {
    body = null;
  }
  if (!response.ok) {
    const answer = answerCode(body);
    const detail = answer ? `${answer.code} ${answer.message}`.trim() : `HTTP ${response.status}`;
    throw new WebhookError(detail, response.status, response.status >= 500 || response.status === 429);
  }
  const answer = answerCode(body);
  if (answer && answer.code !== 0) throw new WebhookError(`${answer.code} ${answer.message}`.trim(), response.status, true);
}

export interface RetryOptions {
  /** Attempts after the first (default 4). */
  retries?: number;
  /** First wait between attempts; doubles each time (default 1 s), up to maxDelayMs (30 s). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Sends one message, trying again with back-off while the failure is worth retrying. */
export async function sendWithRetries(
  target: WebhookTarget,
  text: string,
  options: RetryOptions = {},
  onFailedAttempt?: (error: WebhookError, attempt: number) => void,
): Promise<void> {
  const retries = options.retries ?? 4;
  const base = options.baseDelayMs ?? 1000;
  const max = options.maxDelayMs ?? 30_000;
  for (let attempt = 1; ; attempt++) {
    try {
      await postWebhook(target, text, { timeoutMs: options.timeoutMs, signal: options.signal });
      return;
    } catch (error) {
      const failure = error instanceof WebhookError ? error : new WebhookError('cannot send', null, true);
      onFailedAttempt?.(failure, attempt);
      if (!failure.retryable || attempt > retries || options.signal?.aborted) throw failure;
      const delay = Math.min(max, base * 2 ** (attempt - 1));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        timer.unref?.();
        options.signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        }, { once: true });
      });
      if (options.signal?.aborted) throw new WebhookError('stopped', null, false);
    }
  }
}
