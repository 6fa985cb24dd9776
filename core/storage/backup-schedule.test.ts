// When the daily backup is due: at its hour; after a start that missed it, once the catch-up delay
// has passed; an hour after a failed try; never when the schedule is off.
import { describe, expect, it } from 'vitest';
import { backupDue, lastSlot, nextBackupAt, nextSlot, RETRY_FAILED_BACKUP_MS, type ScheduleState } from './backup-schedule.ts';
import { backupFileName, backupTime } from './backups.ts';

const at = (day: number, hour: number, minute = 0) => new Date(2026, 10, day, hour, minute).getTime();
const MINUTE = 60_000;

const state = (overrides: Partial<ScheduleState> = {}): ScheduleState => ({
  schedule: { enabled: true, hour: 2, keep: 7 },
  lastBackupAt: null,
  startedAt: at(1, 0),
  catchUpDelayMs: 10 * MINUTE,
  lastFailedAt: null,
  ...overrides,
});

describe('the backup hour', () => {
  it('lastSlot and nextSlot bracket now in local time', () => {
    expect(lastSlot(at(24, 1, 59), 2)).toBe(at(23, 2));
    expect(lastSlot(at(24, 2), 2)).toBe(at(24, 2));
    expect(nextSlot(at(24, 2), 2)).toBe(at(25, 2));
    expect(nextSlot(at(24, 1, 59), 2)).toBe(at(24, 2));
  });

  it('is due at the hour when yesterday\'s backup is the newest, and not again that day', () => {
    const yesterday = state({ lastBackupAt: at(23, 2) });
    expect(backupDue(yesterday, at(24, 1, 59))).toBe(false);
    expect(nextBackupAt(yesterday, at(24, 1, 59))).toBe(at(24, 2));
    expect(backupDue(yesterday, at(24, 2))).toBe(true);
    const today = state({ lastBackupAt: at(24, 2) });
    expect(backupDue(today, at(24, 23))).toBe(false);
    expect(nextBackupAt(today, at(24, 23))).toBe(at(25, 2));
  });

  it('a backup missed while the PC was off is caught up after the catch-up delay from the start', () => {
    const started = state({ lastBackupAt: at(20, 2), startedAt: at(24, 8) });
    expect(backupDue(started, at(24, 8, 5))).toBe(false);
    expect(nextBackupAt(started, at(24, 8, 5))).toBe(at(24, 8, 10));
    expect(backupDue(started, at(24, 8, 10))).toBe(true);
  });

  it('a failed backup is tried again an hour later, not every minute', () => {
    const failed = state({ lastBackupAt: at(23, 2), lastFailedAt: at(24, 2) });
    expect(backupDue(failed, at(24, 2, 30))).toBe(false);
    expect(nextBackupAt(failed, at(24, 2, 30))).toBe(at(24, 2) + RETRY_FAILED_BACKUP_MS);
    expect(backupDue(failed, at(24, 3))).toBe(true);
  });

  it('never when the schedule is off', () => {
    const off = state({ schedule: { enabled: false, hour: 2, keep: 7 } });
    expect(nextBackupAt(off, at(24, 3))).toBeNull();
    expect(backupDue(off, at(24, 3))).toBe(false);
  });
});

describe('backup file names', () => {
  it('carry the local time they were taken at, to the second, and read back to it', () => {
    const ts = new Date(2026, 10, 24, 2, 0, 7).getTime();
    expect(backupFileName(ts)).toBe('plantdesk-20261124-020007.db');
    expect(backupFileName(ts, 2)).toBe('plantdesk-20261124-020007-2.db');
    expect(backupTime('plantdesk-20261124-020007.db')).toBe(ts);
    expect(backupTime('plantdesk-20261124-020007-2.db')).toBe(ts);
    expect(backupTime('plantdesk-20261124-020007.db.partial')).toBeUndefined();
    expect(backupTime('notes.txt')).toBeUndefined();
  });
});
