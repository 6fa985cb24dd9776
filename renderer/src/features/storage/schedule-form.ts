// The daily backup schedule as the form edits it (hour and count as typed text) and back to what
// storage.configureBackups takes; the limits are the contract's own.
import { BackupScheduleSchema, type BackupSchedule } from '../../../../shared/contract/storage-calls.ts';
import type { FieldMessage } from '../../validation/schema-errors.ts';

export interface ScheduleForm {
  enabled: boolean;
  hour: string;
  keep: string;
}

export type ScheduleErrors = Partial<Record<'hour' | 'keep', FieldMessage>>;

/** The form for a schedule the core reported. */
export function scheduleToForm(schedule: BackupSchedule): ScheduleForm {
  return { enabled: schedule.enabled, hour: String(schedule.hour), keep: String(schedule.keep) };
}

function wholeNumber(text: string): number | null {
  const trimmed = text.trim();
  return /^\d+$/.test(trimmed) ? Number(trimmed) : null;
}

/**
 * The schedule to save, or each field's problem.
 * @example formToSchedule({ enabled: true, hour: ' 2 ', keep: '14' }) // → { ok: true, schedule: { enabled: true, hour: 2, keep: 14 } }
 */
export function formToSchedule(form: ScheduleForm): { ok: true; schedule: BackupSchedule } | { ok: false; errors: ScheduleErrors } {
  const hour = wholeNumber(form.hour);
  const keep = wholeNumber(form.keep);
  const errors: ScheduleErrors = {};
  const shape = BackupScheduleSchema.shape;
  if (hour === null || !shape.hour.safeParse(hour).success) errors.hour = { key: 'storage.schedule.hourInvalid' };
  if (keep === null || !shape.keep.safeParse(keep).success) errors.keep = { key: 'storage.schedule.keepInvalid' };
  if (errors.hour || errors.keep || hour === null || keep === null) return { ok: false, errors };
  return { ok: true, schedule: { enabled: form.enabled, hour, keep } };
}

/** True when the form says something other than the saved schedule. */
export function scheduleChanged(form: ScheduleForm, saved: BackupSchedule): boolean {
  const parsed = formToSchedule(form);
  if (!parsed.ok) return true;
  return parsed.schedule.enabled !== saved.enabled || parsed.schedule.hour !== saved.hour || parsed.schedule.keep !== saved.keep;
}
