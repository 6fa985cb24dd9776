// What went wrong with the database file, in the plant manager's terms: damaged, from a newer
// PlantDesk, disk full, not writable, locked by another program, or something else. SQLite and the
// file system say it in codes (SQLITE_NOTADB, ENOSPC, ...); this turns them into a kind and a sentence
// that names the file and the next step.
import fs from 'node:fs';
import path from 'node:path';
import type { MessageKey, MessageParams, StorageProblemKind } from '../../shared/index.ts';
import { NewerSchemaError, SCHEMA_VERSION } from './migrations.ts';

export interface StorageProblem {
  kind: StorageProblemKind;
  /** A message key (storage.reason.*) or SQLite's own words when there is no better one. */
  reason: string;
  /** SQLite's or the system's code, for the log. */
  code: string | null;
  /** The file's schema version, for 'newer'. */
  version?: number;
}

const REASONS: [RegExp, MessageKey][] = [
  [/^SQLITE_NOTADB/, 'storage.reason.notADatabase'],
  [/^SQLITE_CORRUPT/, 'storage.reason.malformed'],
  [/^(SQLITE_FULL|ENOSPC)/, 'storage.reason.full'],
  [/^(SQLITE_READONLY|SQLITE_PERM|SQLITE_AUTH|EACCES|EPERM|EROFS)/, 'storage.reason.readOnly'],
  [/^SQLITE_CANTOPEN/, 'storage.reason.cantOpen'],
  [/^(SQLITE_BUSY|SQLITE_LOCKED|EBUSY)/, 'storage.reason.locked'],
];

function kindOf(code: string): StorageProblemKind {
  if (/^(SQLITE_NOTADB|SQLITE_CORRUPT)/.test(code)) return 'damaged';
  if (/^(SQLITE_FULL|ENOSPC|EDQUOT)/.test(code)) return 'full';
  if (/^(SQLITE_READONLY|SQLITE_PERM|SQLITE_AUTH|SQLITE_CANTOPEN|EACCES|EPERM|EROFS|ENOTDIR)/.test(code)) return 'readOnly';
  if (/^(SQLITE_BUSY|SQLITE_LOCKED|EBUSY)/.test(code)) return 'locked';
  return 'other';
}

/** The code of an error, looking through AppError's cause. */
function codeOf(error: unknown): { code: string | null; message: string } {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && /^(SQLITE_|E[A-Z]+$)/.test(code)) return { code, message: current.message };
    if (current.cause === undefined) break;
    current = current.cause;
  }
  return { code: null, message: error instanceof Error ? error.message : String(error) };
}

/** Classifies what openDatabase, a write or a backup threw. */
export function classifyStorageError(error: unknown): StorageProblem {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    if (current instanceof NewerSchemaError) {
      return { kind: 'newer', reason: 'storage.reason.newerFormat', code: null, version: current.version };
    }
    current = current.cause;
  }
  const { code, message } = codeOf(error);
  return problemFromCode(code, message);
}

/** A problem from a code and message that crossed a thread boundary (the writer thread's failures). */
export function problemFromCode(code: string | null, message: string): StorageProblem {
  if (!code) return { kind: 'other', reason: message, code: null };
  const reason = REASONS.find(([pattern]) => pattern.test(code))?.[1] ?? message;
  return { kind: kindOf(code), reason, code };
}

/** Free space on the disk holding `dir` (the nearest folder that exists), or null when unknown. */
export function freeBytesAt(dir: string): number | null {
  let at = dir;
  for (let depth = 0; depth < 32; depth++) {
    try {
      const stats = fs.statfsSync(at);
      return stats.bavail * stats.bsize;
    } catch {
      const parent = path.dirname(at);
      if (parent === at) return null;
      at = parent;
    }
  }
  return null;
}

/** Bytes as a person reads them: 512 B, 12.5 kB, 340 MB, 1.2 GB (SI units, as Windows Explorer rounds). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${units[unit]}`;
}

/** A local date and time the same in both languages: 2026-11-24 02:00. */
export function formatLocalTime(ts: number): string {
  const date = new Date(ts);
  const two = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`;
}

export interface ProblemContext {
  file: string;
  /** The folder holding the file (the data folder). */
  dir: string;
  freeBytes: number | null;
  /** When the newest backup was taken, if there is one. */
  newestBackupAt: number | null;
}

/** The sentence for a problem: a message key and its parameters, rendered in the caller's language. */
export function describeProblem(problem: StorageProblem, context: ProblemContext): { key: MessageKey; params: MessageParams } {
  const { file, dir } = context;
  switch (problem.kind) {
    case 'damaged':
      return context.newestBackupAt === null
        ? { key: 'storage.problem.damagedNoBackup', params: { file, reason: problem.reason } }
        : { key: 'storage.problem.damaged', params: { file, reason: problem.reason, backup: formatLocalTime(context.newestBackupAt) } };
    case 'newer':
      return { key: 'storage.problem.newer', params: { file, version: problem.version ?? '?', supported: SCHEMA_VERSION } };
    case 'full':
      return { key: 'storage.problem.full', params: { file, free: context.freeBytes === null ? '?' : formatBytes(context.freeBytes) } };
    case 'readOnly':
      return { key: 'storage.problem.readOnly', params: { file, dir, reason: problem.reason } };
    case 'locked':
      return { key: 'storage.problem.locked', params: { file, reason: problem.reason } };
    case 'other':
      return { key: 'storage.problem.other', params: { file, reason: problem.reason } };
  }
}
