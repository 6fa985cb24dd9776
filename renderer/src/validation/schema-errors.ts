// Form validation that mirrors the contract's zod schemas exactly: the form's text is turned into the
// value the schema expects, the schema itself judges it, and each issue becomes a message key of
// shared/i18n for the field it is about, so the UI refuses what the core would refuse, in both languages.
import type { z } from 'zod';
import type { MessageKey } from '../../../shared/i18n/index.ts';

/** A field's problem as a message key and its parameters. */
export interface FieldMessage {
  key: MessageKey;
  params?: Record<string, string | number>;
}

/** Problems by field path ("connection.port", "unitId"); one message per field, the first found. */
export type FieldErrors = Record<string, FieldMessage>;

type Issue = z.core.$ZodIssue;

interface SchemaInternals {
  _zod: { def: { type: string; innerType?: z.ZodType; shape?: Record<string, z.ZodType>; options?: z.ZodType[] } };
  minValue?: number | null;
  maxValue?: number | null;
}

const internals = (schema: z.ZodType) => schema as unknown as SchemaInternals;

/** The schema of the field at `path`, through defaults, optionals and discriminated unions (`kind` picks the branch). */
export function fieldSchema(schema: z.ZodType, path: readonly PropertyKey[], value?: unknown): z.ZodType | undefined {
  let current: z.ZodType | undefined = schema;
  let currentValue: unknown = value;
  for (const key of path) {
    current = unwrap(current);
    if (!current) return undefined;
    const def = internals(current)._zod.def;
    if (def.type === 'union' && def.options) {
      const kind = (currentValue as { kind?: unknown } | undefined)?.kind;
      current = unwrap(def.options.find((option) => {
        const shape = internals(unwrap(option)!)._zod.def.shape;
        const literal = shape?.kind ? (internals(shape.kind)._zod.def as { values?: unknown[] }).values : undefined;
        return literal?.includes(kind);
      }) ?? def.options[0]);
    }
    const shape: Record<string, z.ZodType> | undefined = current ? internals(current)._zod.def.shape : undefined;
    current = shape?.[String(key)];
    currentValue = (currentValue as Record<string, unknown> | undefined)?.[String(key)];
  }
  return unwrap(current);
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let current = schema;
  while (current) {
    const def = internals(current)._zod.def;
    if ((def.type === 'default' || def.type === 'optional' || def.type === 'nullable') && def.innerType) current = def.innerType;
    else break;
  }
  return current;
}

/** The bounds a number field allows, as its schema declares them. */
export function numberRange(schema: z.ZodType | undefined): { min: number; max: number } | null {
  if (!schema) return null;
  const { minValue, maxValue } = internals(schema);
  if (typeof minValue !== 'number' || typeof maxValue !== 'number' || !Number.isFinite(minValue) || !Number.isFinite(maxValue)) return null;
  return { min: minValue, max: maxValue };
}

/** The message for one zod issue; `field` is the schema of the field it is about, for its range. */
export function issueMessage(issue: Issue, field: z.ZodType | undefined): FieldMessage {
  const range = numberRange(field);
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? { key: 'form.required' } : { key: 'form.tooShort', params: { min: Number(issue.minimum) } };
      if (range) return { key: 'form.range', params: range };
      return { key: 'form.atLeast', params: { min: Number(issue.minimum) } };
    case 'too_big':
      if (issue.origin === 'string') return { key: 'form.tooLong', params: { max: Number(issue.maximum) } };
      if (range) return { key: 'form.range', params: range };
      return { key: 'form.atMost', params: { max: Number(issue.maximum) } };
    case 'invalid_type':
      if (issue.expected === 'int') return range ? { key: 'form.wholeRange', params: range } : { key: 'form.wholeNumber' };
      if (issue.expected === 'number') return { key: 'form.number' };
      return { key: 'form.invalid' };
    case 'invalid_format':
      return { key: 'form.idCharacters' };
    default:
      return { key: 'form.invalid' };
  }
}

/** Every issue of a failed parse, one per field (the first), keyed by the dotted field path. */
export function schemaErrors(schema: z.ZodType, value: unknown, issues: readonly Issue[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const path = issue.path.map(String).join('.');
    if (errors[path]) continue;
    errors[path] = issueMessage(issue, fieldSchema(schema, issue.path, value));
  }
  return errors;
}

/**
 * A number typed into a form: '' is missing, "0,5" is 0.5, anything else that is not a number is
 * reported. Returns the number, or the message for the field.
 */
export function parseNumberText(text: string): { ok: true; value: number } | { ok: false; error: FieldMessage } {
  const trimmed = text.trim().replace(/^(-?\d*),(\d+)$/, '$1.$2');
  if (trimmed === '') return { ok: false, error: { key: 'form.required' } };
  const value = Number(trimmed);
  if (!Number.isFinite(value) || !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(trimmed)) return { ok: false, error: { key: 'form.number' } };
  return { ok: true, value };
}
