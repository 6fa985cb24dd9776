// How long history is kept, as the Storage panel edits it — days typed as text, or "forever" ticked,
// for each class of point and each form — and back to what historian.configureRetention takes. The
// limits are the contract's own; a coarser form kept for less time than a finer one is refused here
// as the core refuses it, with the same sentence.
import type { RetentionSettings } from '../../../../shared/contract/historian-calls.ts';
import { POINT_KINDS, RetentionPolicySchema, type PointKind, type RetentionPolicy } from '../../../../shared/domain/devices.ts';
import type { MessageKey } from '../../../../shared/i18n/index.ts';
import type { FieldMessage } from '../../validation/schema-errors.ts';

export const RETENTION_FIELDS = ['rawDays', 'minuteDays', 'hourDays'] as const;
export type RetentionField = (typeof RETENTION_FIELDS)[number];

export interface RetentionCell {
  days: string;
  forever: boolean;
}

export type RetentionForm = Record<PointKind, Record<RetentionField, RetentionCell>>;

/** Problems by "class.field" (a cell) or by class (the order of its three forms). */
export type RetentionErrors = Partial<Record<`${PointKind}.${RetentionField}` | PointKind, FieldMessage>>;

const ORDER_ERRORS: Record<PointKind, MessageKey> = {
  analog: 'error.retentionOrder.analog',
  counter: 'error.retentionOrder.counter',
  state: 'error.retentionOrder.state',
};

/** Days offered when "forever" is unticked (the input is empty while it is ticked). */
const UNTICKED_DAYS: Record<RetentionField, string> = { rawDays: '90', minuteDays: '730', hourDays: '3650' };

/** The form for settings the core reported. */
export function retentionToForm(settings: RetentionSettings): RetentionForm {
  const cells = (policy: RetentionPolicy) =>
    Object.fromEntries(
      RETENTION_FIELDS.map((field) => {
        const days = policy[field];
        return [field, { days: days === null ? UNTICKED_DAYS[field] : String(days), forever: days === null }];
      }),
    ) as Record<RetentionField, RetentionCell>;
  return { analog: cells(settings.analog), counter: cells(settings.counter), state: cells(settings.state) };
}

/**
 * The settings to save, or each cell's problem and each class whose forms are out of order.
 * @example formToRetention(form) // → { ok: true, settings: { analog: { rawDays: 90, minuteDays: 730, hourDays: null }, … } }
 */
export function formToRetention(form: RetentionForm): { ok: true; settings: RetentionSettings } | { ok: false; errors: RetentionErrors } {
  const errors: RetentionErrors = {};
  const settings = {} as Record<PointKind, RetentionPolicy>;
  for (const kind of POINT_KINDS) {
    const policy = {} as Record<RetentionField, number | null>;
    for (const field of RETENTION_FIELDS) {
      const cell = form[kind][field];
      if (cell.forever) {
        policy[field] = null;
        continue;
      }
      const text = cell.days.trim();
      const days = /^\d+$/.test(text) ? Number(text) : Number.NaN;
      if (!RetentionPolicySchema.shape[field].safeParse(days).success) errors[`${kind}.${field}`] = { key: 'storage.retention.invalidDays' };
      policy[field] = days;
    }
    const length = (days: number | null) => days ?? Number.POSITIVE_INFINITY;
    const cellsValid = RETENTION_FIELDS.every((field) => !errors[`${kind}.${field}`]);
    if (cellsValid && (length(policy.rawDays) > length(policy.minuteDays) || length(policy.minuteDays) > length(policy.hourDays))) {
      errors[kind] = { key: ORDER_ERRORS[kind] };
    }
    settings[kind] = policy;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, settings };
}

/** True when the form says something other than the saved settings. */
export function retentionChanged(form: RetentionForm, saved: RetentionSettings): boolean {
  const parsed = formToRetention(form);
  if (!parsed.ok) return true;
  return POINT_KINDS.some((kind) => RETENTION_FIELDS.some((field) => parsed.settings[kind][field] !== saved[kind][field]));
}
