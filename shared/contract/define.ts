// The building blocks of the contract: a call has a name, a role, an input and an output schema;
// an event has a name and a payload schema. Both transports and the OpenAPI document derive from these.
import type { z } from 'zod';

/** Roles from least to most trusted; a role may do everything the roles before it may. */
export const ROLES = ['viewer', 'operator', 'engineer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function roleAllows(actual: Role, required: Role): boolean {
  return ROLES.indexOf(actual) >= ROLES.indexOf(required);
}

export interface CallSpec<Input extends z.ZodType = z.ZodType, Output extends z.ZodType = z.ZodType> {
  /** One English sentence for the API description. */
  summary: string;
  role: Role;
  input: Input;
  output: Output;
}

export interface EventSpec<Payload extends z.ZodType = z.ZodType> {
  summary: string;
  payload: Payload;
}

export function defineCall<Input extends z.ZodType, Output extends z.ZodType>(
  spec: CallSpec<Input, Output>,
): CallSpec<Input, Output> {
  return spec;
}

export function defineEvent<Payload extends z.ZodType>(spec: EventSpec<Payload>): EventSpec<Payload> {
  return spec;
}
