// One way to ask the cloud for the marketplace: every request goes through the injected
// CloudTransport, and its outcome is sorted into an answer, "could not ask" (no network, a 5xx, this
// PC not activated) or a refusal with the cloud's reason — then, where the caller needs to stop,
// into an AppError whose sentence says what to do.
import { AppError, type ErrorCode, type MessageParams } from '../../shared/errors.ts';
import type { MessageKey } from '../../shared/i18n/index.ts';
import { CloudUnreachable, type CloudRequest, type CloudTransport } from '../cloud/transport.ts';
import { cloudErrorOf } from '../cloud/cloud-error.ts';

export type CloudAnswer<T> =
  | { kind: 'answer'; status: number; body: T; headers: Headers }
  /** No answer, or a server error: the cache is served and the user told why. */
  | { kind: 'unreachable'; problem: string }
  /** A signed request on a PC that is not activated yet. */
  | { kind: 'not_activated' }
  /** A 4xx: the cloud's reason (in English, for the log and as a detail). */
  | { kind: 'refused'; status: number; code: string; reason: string };

function cloudReason(body: unknown, status: number): { code: string; reason: string } {
  const { code, message } = cloudErrorOf({ status, body });
  // Without its closing full stop: the reason goes inside our own sentences.
  return { code, reason: message.replace(/[.。\s]+$/u, '') };
}

/** Sends one request and sorts the outcome; never throws. */
export async function askCloud<T = unknown>(transport: CloudTransport, request: CloudRequest): Promise<CloudAnswer<T>> {
  let response;
  try {
    response = await transport.request<T>(request);
  } catch (error) {
    if (error instanceof CloudUnreachable) return { kind: 'unreachable', problem: `${error.url}: ${error.reason}` };
    // The transport refuses to sign before activation; anything else it throws is a failure to ask.
    if (request.signed) return { kind: 'not_activated' };
    return { kind: 'unreachable', problem: error instanceof Error ? error.message : String(error) };
  }
  if (response.status >= 500) return { kind: 'unreachable', problem: `${cloudReason(response.body, response.status).reason} (HTTP ${response.status})` };
  if (response.status >= 400) return { kind: 'refused', status: response.status, ...cloudReason(response.body, response.status) };
  return { kind: 'answer', status: response.status, body: response.body, headers: response.headers };
}

const STATUS_CODES: Record<number, ErrorCode> = { 400: 'invalid_input', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 409: 'conflict', 429: 'unavailable' };

/**
 * The AppError for an answer that was not one: unreachable and not-activated have their own
 * sentences; a refusal uses `refusedKey` with the cloud's reason as `{{reason}}`.
 */
export function cloudFailure(answer: Exclude<CloudAnswer<unknown>, { kind: 'answer' }>, refusedKey: MessageKey, params: MessageParams = {}): AppError {
  switch (answer.kind) {
    case 'unreachable':
      return new AppError('unavailable', 'market.cloudUnreachable', { params: { problem: answer.problem } });
    case 'not_activated':
      return new AppError('unauthorized', 'market.notActivated');
    case 'refused':
      return new AppError(STATUS_CODES[answer.status] ?? 'invalid_input', refusedKey, {
        params: { ...params, reason: answer.reason },
        details: { status: answer.status, cloudCode: answer.code },
      });
  }
}

/**
 * Writes to the marketplace cache: worth keeping, never worth failing a call for (a read-only or
 * full disk must not turn browsing into an error). A failure is logged.
 */
export function writeCache(logger: { warn(message: string, fields?: Record<string, unknown>): void }, what: string, write: () => void): void {
  try {
    write();
  } catch (error) {
    logger.warn('the marketplace cache could not be written', { what, problem: error instanceof Error ? error.message : String(error) });
  }
}
