// Calls about PlantDesk's database file: how it is (size, free space, a problem in plain words),
// online backups (on demand and on a daily schedule) and restoring one while the app keeps running.
import { z } from 'zod';
import { defineCall } from './define.ts';

const empty = z.object({}).strict();

/** What can be wrong with the database file; the UI picks its offer (restore, free space) from it. */
export const STORAGE_PROBLEM_KINDS = ['damaged', 'newer', 'full', 'readOnly', 'locked', 'other'] as const;
export type StorageProblemKind = (typeof STORAGE_PROBLEM_KINDS)[number];

/** 'ok': the file is open; 'unavailable': it could not be used, live values flow but are not stored. */
export const STORAGE_STATES = ['ok', 'unavailable'] as const;
export type StorageState = (typeof STORAGE_STATES)[number];

export const BackupInfoSchema = z.object({
  /** The backup's file name in the backups folder (what storage.restore takes). */
  file: z.string(),
  sizeBytes: z.number().int().min(0),
  /** When the backup was taken (ms since the epoch). */
  ts: z.number().int(),
});
export type BackupInfo = z.infer<typeof BackupInfoSchema>;

export const BackupScheduleSchema = z.object({
  enabled: z.boolean(),
  /** Local hour of the day (0–23) the daily backup is taken at. */
  hour: z.number().int().min(0).max(23),
  /** How many backups to keep; older ones are deleted after each scheduled backup. */
  keep: z.number().int().min(1).max(365),
});
export type BackupSchedule = z.infer<typeof BackupScheduleSchema>;

export const StorageStatusSchema = z.object({
  state: z.enum(STORAGE_STATES),
  /** What is wrong and what to do, in the caller's language; null when all is well. */
  problem: z.string().nullable(),
  problemKind: z.enum(STORAGE_PROBLEM_KINDS).nullable(),
  /** Full path of the database file. */
  file: z.string(),
  /** Size of the database file (with its write-ahead log); null when there is no file. */
  sizeBytes: z.number().int().min(0).nullable(),
  /** Free space on the disk of the data folder; null when the system cannot tell. */
  freeBytes: z.number().min(0).nullable(),
  /** Samples kept in memory that are not in the file yet (waiting for space or a restore). */
  heldSamples: z.number().int().min(0),
  backupDir: z.string(),
  /** Backups, newest first. */
  backups: z.array(BackupInfoSchema),
  lastBackupAt: z.number().int().nullable(),
  schedule: BackupScheduleSchema,
  /** When the next scheduled backup is due; null when the schedule is off. */
  nextBackupAt: z.number().int().nullable(),
  /** Why the last scheduled backup failed, in the caller's language; null after a good one. */
  lastBackupProblem: z.string().nullable(),
});
export type StorageStatus = z.infer<typeof StorageStatusSchema>;

export const storageCalls = {
  'storage.status': defineCall({
    summary: 'The database file: whether it is usable, what is wrong in plain words, its size, free disk space and the backups.',
    role: 'viewer',
    input: empty,
    output: StorageStatusSchema,
  }),
  'storage.backup': defineCall({
    summary: 'Takes a backup of the running database (SQLite online backup), checks that it opens intact, and lists it.',
    role: 'admin',
    input: empty,
    output: BackupInfoSchema,
  }),
  'storage.listBackups': defineCall({
    summary: 'The backups in the backups folder, newest first.',
    role: 'viewer',
    input: empty,
    output: z.array(BackupInfoSchema),
  }),
  'storage.configureBackups': defineCall({
    summary: 'Turns the daily backup on or off, sets its hour and how many backups to keep.',
    role: 'admin',
    input: BackupScheduleSchema.strict(),
    output: BackupScheduleSchema,
  }),
  'storage.restore': defineCall({
    summary: 'Replaces the database with a backup while the app runs: polling pauses, the current file is kept aside, and everything restarts on the backup.',
    role: 'admin',
    input: z.object({ file: z.string().min(1).max(255), confirmed: z.literal(true) }).strict(),
    output: StorageStatusSchema,
  }),
  'storage.startEmpty': defineCall({
    summary: 'Starts a new, empty database (keeping the device settings that could be read), for a damaged file with no backup; the old file is kept aside.',
    role: 'admin',
    input: z.object({ confirmed: z.literal(true) }).strict(),
    output: StorageStatusSchema,
  }),
} as const;
