// The one path every call takes, whichever transport carried it: unknown name, role, input, handler,
// error mapping — in that order, as CONVENTIONS.md fixes it.
import { z } from 'zod';
import {
  AppError,
  calls,
  isCallName,
  roleAllows,
  toAppError,
  type CallName,
  type CallOutput,
  type CallResult,
  type Calls,
  type Locale,
  type Role,
} from '../../shared/index.ts';
import type { Logger } from '../host.ts';
import { zodErrorMap } from './zod-locale.ts';

export interface CallContext {
  role: Role;
  locale: Locale;
  /** Who is calling, for the audit log ("this PC", "tablet 192.168.1.31", "desktop app"). */
  actor?: string;
}

export type Handlers = {
  [Name in CallName]: (
    input: z.output<Calls[Name]['input']>,
    context: CallContext,
  ) => Promise<CallOutput<Name>> | CallOutput<Name>;
};

export type Dispatch = (name: string, input: unknown, context: CallContext) => Promise<CallResult>;

/** Zod issues as one readable sentence per problem, in the caller's language. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

export function createDispatcher(
  handlers: Handlers,
  logger: Logger,
  options: { checkOutputs?: boolean } = {},
): Dispatch {
  return async (name, rawInput, context) => {
    try {
      if (!isCallName(name)) throw new AppError('not_found', 'error.unknownCall', { params: { call: name } });
      const spec = calls[name];
      if (!roleAllows(context.role, spec.role)) {
        throw new AppError('forbidden', 'error.forbidden', {
          params: { call: name, role: context.role, required: spec.role },
        });
      }
      const parsed = spec.input.safeParse(rawInput ?? {}, { error: zodErrorMap(context.locale) });
      if (!parsed.success) {
        throw new AppError('invalid_input', 'error.invalidInput', {
          params: { call: name, problems: describeIssues(parsed.error.issues) },
          details: { issues: parsed.error.issues.map(({ path, code, message }) => ({ path, code, message })) },
        });
      }
      const handler = handlers[name] as (input: unknown, context: CallContext) => unknown;
      const value = await handler(parsed.data, context);
      if (options.checkOutputs) spec.output.parse(value);
      return { ok: true, value };
    } catch (error) {
      const appError = toAppError(error);
      if (appError.code === 'internal') {
        logger.error('call failed', { call: name, error: String(error), stack: (error as Error)?.stack });
      }
      return { ok: false, error: appError.toBody(context.locale) };
    }
  };
}
