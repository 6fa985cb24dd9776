// When the daily backup is due. A plant PC is not always on at the backup hour (switched off over
// the weekend, a power cut): a missed backup is caught up a little while after the next start
// instead of waiting another day, and a failed one is tried again an hour later, not every minute.
import type { BackupSchedule } from '../../shared/index.ts';

export const RETRY_FAILED_BACKUP_MS = 60 * 60 * 1000;

/** The most recent local `hour`:00 at or before `now`. */
export function lastSlot(now: number, hour: number): number {
  const slot = new Date(now);
  slot.setHours(hour, 0, 0, 0);
  if (slot.getTime() > now) slot.setDate(slot.getDate() - 1);
  return slot.getTime();
}

/** The first local `hour`:00 after `now`. */
export function nextSlot(now: number, hour: number): number {
  const slot = new Date(now);
  slot.setHours(hour, 0, 0, 0);
  if (slot.getTime() <= now) slot.setDate(slot.getDate() + 1);
  return slot.getTime();
}

export interface ScheduleState {
  schedule: BackupSchedule;
  /** The newest backup, scheduled or taken on demand. */
  lastBackupAt: number | null;
  /** When the core started: a missed backup waits `catchUpDelayMs` after it, so starting stays quick. */
  startedAt: number;
  catchUpDelayMs: number;
  lastFailedAt: number | null;
}

/** When the next scheduled backup is due (possibly already past), or null when the schedule is off. */
export function nextBackupAt(state: ScheduleState, now: number): number | null {
  const { schedule, lastBackupAt, startedAt, catchUpDelayMs, lastFailedAt } = state;
  if (!schedule.enabled) return null;
  const slot = lastSlot(now, schedule.hour);
  if (lastBackupAt !== null && lastBackupAt >= slot) return nextSlot(now, schedule.hour);
  // The latest slot has no backup yet: due at the slot, but not before the catch-up delay after a
  // start, nor within an hour of a failed attempt.
  return Math.max(slot, startedAt + catchUpDelayMs, lastFailedAt === null ? 0 : lastFailedAt + RETRY_FAILED_BACKUP_MS);
}

export function backupDue(state: ScheduleState, now: number): boolean {
  const due = nextBackupAt(state, now);
  return due !== null && due <= now;
}
