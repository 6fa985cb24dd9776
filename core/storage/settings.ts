// Settings the user changes in the app, kept in the database (table `settings`, one JSON value per
// key) so a backup holds them with the devices and the history. A stored value that no longer fits
// its schema falls back to the default instead of stopping the core.
import type { z } from 'zod';
import { BackupScheduleSchema, RetentionSettingsSchema, type BackupSchedule, type RetentionPolicy, type RetentionSettings } from '../../shared/index.ts';
import type { Logger } from '../host.ts';
import type { Db } from './database.ts';

export const DEFAULT_BACKUP_SCHEDULE: BackupSchedule = { enabled: true, hour: 2, keep: 7 };

/** Where the historian's retention is kept (read by the writer thread's maintenance too). */
export const RETENTION_KEY = 'historian.retention';
const DEFAULT_POLICY: RetentionPolicy = { rawDays: 90, minuteDays: 730, hourDays: null };
/** Raw samples for 90 days, 1-minute rollups for two years, 1-hour rollups for ever, for every class. */
export const DEFAULT_RETENTION: RetentionSettings = { analog: DEFAULT_POLICY, counter: DEFAULT_POLICY, state: DEFAULT_POLICY };

export class Settings {
  readonly #get;
  readonly #set;
  readonly #logger: Logger;

  constructor(db: Db, logger: Logger) {
    this.#get = db.prepare<[string], string>('SELECT value FROM settings WHERE key = ?').pluck();
    this.#set = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
    this.#logger = logger;
  }

  read<T>(key: string, schema: z.ZodType<T>, fallback: T): T {
    const stored = this.#get.get(key);
    if (stored === undefined) return fallback;
    try {
      return schema.parse(JSON.parse(stored));
    } catch (error) {
      this.#logger.warn('a stored setting is not valid; using the default', { key, error: String(error) });
      return fallback;
    }
  }

  write<T>(key: string, schema: z.ZodType<T>, value: T): T {
    const valid = schema.parse(value);
    this.#set.run(key, JSON.stringify(valid));
    return valid;
  }

  get backupSchedule(): BackupSchedule {
    return this.read('backups.schedule', BackupScheduleSchema, DEFAULT_BACKUP_SCHEDULE);
  }

  set backupSchedule(schedule: BackupSchedule) {
    this.write('backups.schedule', BackupScheduleSchema, schedule);
  }

  get retention(): RetentionSettings {
    return this.read(RETENTION_KEY, RetentionSettingsSchema, DEFAULT_RETENTION);
  }

  set retention(settings: RetentionSettings) {
    this.write(RETENTION_KEY, RetentionSettingsSchema, settings);
  }
}
