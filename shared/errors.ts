// The one error type that crosses the contract. Every failure a user can meet is an AppError with a
// code from a closed set and a message key; the host renders the message in the user's language.
import { translate, type Locale, type MessageKey } from './i18n/index.ts';

export const ERROR_CODES = [
  'invalid_input',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'unavailable',
  'timeout',
  'device_error',
  'storage_error',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** HTTP status for each code, used by the web host and by clients that read statuses. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
  timeout: 504,
  device_error: 502,
  storage_error: 507,
  internal: 500,
};

export type MessageParams = Record<string, string | number>;

/** The wire form of an error: `{ error: ErrorBody }` on HTTP, the rejection value over IPC. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

/**
 * @example throw new AppError('not_found', 'error.deviceNotFound', { params: { device: 'CNC-1' } })
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly key: MessageKey;
  readonly params: MessageParams;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    key: MessageKey,
    options: { params?: MessageParams; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(translate('en', key, options.params), { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.key = key;
    this.params = options.params ?? {};
    this.details = options.details;
  }

  /** The error as the user sees it, in their language. */
  toBody(locale: Locale): ErrorBody {
    const body: ErrorBody = { code: this.code, message: translate(locale, this.key, this.params) };
    if (this.details !== undefined) body.details = this.details;
    return body;
  }
}

/** Any thrown value as an AppError; unknown failures become `internal` and keep their cause. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  return new AppError('internal', 'error.internal', { cause: error });
}

export function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<ErrorBody>;
  return typeof candidate.message === 'string' && ERROR_CODES.includes(candidate.code as ErrorCode);
}
