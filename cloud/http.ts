// What every route shares: the one error type, schema validation with readable sentences, ids.
import crypto from 'node:crypto';
import type { z } from 'zod';
import { CLOUD_ERROR_STATUS, type CloudErrorBody, type CloudErrorCode } from '../shared/cloud/index.ts';

/**
 * The one error a route throws; the error handler turns it into `{ error: { code, message, details } }`.
 * Messages are for the operator and the app's log; the app shows its own words by code.
 * @example throw new CloudError('not_found', `No template ${id}.`)
 */
export class CloudError extends Error {
  readonly code: CloudErrorCode;
  readonly details: Record<string, unknown> | undefined;
  /** Seconds for a Retry-After header. */
  readonly retryAfter: number | undefined;

  constructor(code: CloudErrorCode, message: string, options: { details?: Record<string, unknown>; cause?: unknown; retryAfter?: number } = {}) {
    super(message, { cause: options.cause });
    this.name = 'CloudError';
    this.code = code;
    this.details = options.details;
    this.retryAfter = options.retryAfter;
  }

  get status(): number {
    return CLOUD_ERROR_STATUS[this.code];
  }

  toBody(): { error: CloudErrorBody } {
    return { error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) } };
  }
}

/** Sentences naming each field that is wrong, e.g. `body.records[0].value: Invalid input: expected int`. */
export function describeIssues(where: string, issues: readonly z.core.$ZodIssue[]): { path: string; message: string }[] {
  return issues.slice(0, 20).map((issue) => {
    const path = issue.path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : `${text}.${String(key)}`), where);
    return { path, message: issue.message };
  });
}

/** Parses a request part against its schema, or throws `invalid_input` saying what is wrong where. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'query' | 'params' | 'headers'): z.output<S> {
  const result = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (result.success) return result.data;
  const issues = describeIssues(where, result.error.issues);
  const summary = issues
    .slice(0, 3)
    .map((issue) => `${issue.path}: ${issue.message}`)
    .join('; ');
  throw new CloudError('invalid_input', `The request's ${where} is not valid: ${summary}.`, { details: { issues } });
}

/** A new id: a prefix saying what it names and 96 random bits, e.g. `org_5f0c…`. */
export function newId(prefix: 'org' | 'usr' | 'mch' | 'ent' | 'inv' | 'lic'): string {
  return `${prefix}_${crypto.randomBytes(12).toString('hex')}`;
}
