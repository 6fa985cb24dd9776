// Errors the cloud answers with: `{ "error": { "code", "message", "details" } }` and a status. The
// app retries 408, 429 and 5xx (honouring Retry-After); any other 4xx is a permanent refusal — it
// keeps the batch aside and shows it instead of looping.

export const CLOUD_ERROR_STATUS = {
  invalid_input: 400,
  unauthorized: 401,
  bad_signature: 401,
  clock_skew: 401,
  replayed: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  idempotency_conflict: 409,
  sequence_gap: 409,
  chain_broken: 422,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type CloudErrorCode = keyof typeof CLOUD_ERROR_STATUS;
export const CLOUD_ERROR_CODES = Object.keys(CLOUD_ERROR_STATUS) as CloudErrorCode[];

export interface CloudErrorBody {
  code: CloudErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

/** Whether a client should send the same request again later. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}
