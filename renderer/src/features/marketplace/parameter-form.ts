// The install form built from a template's manifest: one field per parameter (text, number, a tick
// box, or a list when the manifest gives `choices`), filled with its default, and turned back into
// the parameters templates.install expects — refusing what the core would refuse, field by field.
import type { TemplateManifest } from '../../../../shared/cloud/manifest.ts';
import type { FieldErrors } from '../../validation/schema-errors.ts';

export type ManifestParameter = TemplateManifest['parameters'][number];
export type ParameterValue = string | number | boolean;

/** The form's state: the text typed (or the index of the choice picked, as text), a tick box's state. */
export type ParameterDraft = Record<string, string | boolean>;

/** The length the contract allows for a text parameter. */
export const MAX_TEXT_LENGTH = 200;

/** The index (as text) of the choice equal to `value`, or '' when none is. */
export function choiceIndex(parameter: ManifestParameter, value: ParameterValue | undefined): string {
  const index = parameter.choices?.findIndex((choice) => choice.value === value) ?? -1;
  return index < 0 ? '' : String(index);
}

/** The draft's text for a value given (a default, or what an instance was installed with). */
function draftValue(parameter: ManifestParameter, value: ParameterValue | undefined): string | boolean {
  if (parameter.choices) return choiceIndex(parameter, value);
  if (parameter.type === 'boolean') return value === true;
  return value === undefined ? '' : String(value);
}

/**
 * The form as it opens: every parameter at its default (or at `current`, for an instance's own values).
 * @example initialDraft([{ id: 'port', type: 'integer', default: 502, … }]) // → { port: '502' }
 */
export function initialDraft(parameters: readonly ManifestParameter[], current: Record<string, ParameterValue> = {}): ParameterDraft {
  const draft: ParameterDraft = {};
  for (const parameter of parameters) draft[parameter.id] = draftValue(parameter, current[parameter.id] ?? parameter.default);
  return draft;
}

/** Sets a parameter in a draft from a value (a number, a text, a choice's value), as the user would have typed it. */
export function setDraftValue(draft: ParameterDraft, parameter: ManifestParameter, value: ParameterValue): ParameterDraft {
  return { ...draft, [parameter.id]: draftValue(parameter, value) };
}

/** The value a parameter has in the draft now (a choice's value, the text typed), for matching; undefined when empty. */
export function draftParameterValue(parameter: ManifestParameter, draft: ParameterDraft): ParameterValue | undefined {
  const entry = draft[parameter.id];
  if (parameter.choices) return typeof entry === 'string' && entry !== '' ? parameter.choices[Number(entry)]?.value : undefined;
  if (typeof entry === 'boolean') return entry;
  return entry === undefined || entry.trim() === '' ? undefined : entry.trim();
}

export type ParametersResult = { ok: true; parameters: Record<string, ParameterValue> } | { ok: false; errors: FieldErrors };

/** A number typed in either language's habit: '2.5', '2,5', ' 10 '. */
function parseNumber(text: string): number | null {
  const normalised = text.trim().replace(/^(-?\d+),(\d+)$/, '$1.$2');
  if (!/^-?(\d+\.?\d*|\.\d+)(e-?\d+)?$/i.test(normalised)) return null;
  const value = Number(normalised);
  return Number.isFinite(value) ? value : null;
}

/**
 * The parameters to install with, or each wrong field's problem. Empty optional fields are left out
 * (the template then uses its own default); a tick box is always sent.
 */
export function parametersFromDraft(parameters: readonly ManifestParameter[], draft: ParameterDraft): ParametersResult {
  const values: Record<string, ParameterValue> = {};
  const errors: FieldErrors = {};
  for (const parameter of parameters) {
    const entry = draft[parameter.id];
    if (parameter.choices) {
      const choice = typeof entry === 'string' && entry !== '' ? parameter.choices[Number(entry)] : undefined;
      if (choice) values[parameter.id] = choice.value;
      else if (parameter.required) errors[parameter.id] = { key: 'store.param.choose' };
      continue;
    }
    if (parameter.type === 'boolean') {
      values[parameter.id] = entry === true;
      continue;
    }
    const text = typeof entry === 'string' ? entry.trim() : '';
    if (text === '') {
      if (parameter.required) errors[parameter.id] = { key: 'store.param.required' };
      continue;
    }
    if (parameter.type === 'number' || parameter.type === 'integer') {
      const value = parseNumber(text);
      if (value === null) errors[parameter.id] = { key: 'store.param.notNumber' };
      else if (parameter.type === 'integer' && !Number.isInteger(value)) errors[parameter.id] = { key: 'store.param.notInteger' };
      else values[parameter.id] = value;
      continue;
    }
    if (text.length > MAX_TEXT_LENGTH) errors[parameter.id] = { key: 'store.param.tooLong', params: { max: MAX_TEXT_LENGTH } };
    else values[parameter.id] = text;
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, parameters: values };
}

/** The rule of the contract for an instance's name. */
const INSTANCE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,23}$/;

/**
 * What is wrong with an instance name, or null: it must follow the contract's rule and be free.
 * @example instanceIdProblem('cnc 1', []) // → { key: 'store.instanceId.invalid' }
 */
export function instanceIdProblem(instanceId: string, taken: readonly string[]): FieldErrors[string] | null {
  if (!INSTANCE_ID.test(instanceId)) return { key: 'store.instanceId.invalid' };
  if (taken.some((id) => id.toLowerCase() === instanceId.toLowerCase())) return { key: 'store.instanceId.taken', params: { instance: instanceId } };
  return null;
}
