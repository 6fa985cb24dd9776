// Backups of the database file, taken while PlantDesk runs with SQLite's online backup API (never by
// copying a file that is being written). A backup is written under a temporary name, turned into a
// self-contained file (rollback journal, no -wal beside it), checked with integrity_check, flushed
// to disk, and only then given its final name — so a backup in the list is always a whole one, even
// after a power cut in the middle of taking it. Also used by the historian's writer thread.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

type Db = Database.Database;

/** The files SQLite keeps beside a database in WAL mode (and a rollback journal, in the other modes). */
export const COMPANION_SUFFIXES = ['-wal', '-shm', '-journal'] as const;

export const BACKUP_FOLDER = 'backups';
const BACKUP_NAME = /^plantdesk-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})(?:-(\d+))?\.db$/;
const PARTIAL_SUFFIX = '.partial';

export interface BackupEntry {
  file: string;
  sizeBytes: number;
  ts: number;
}

/** The backup found the database it copied damaged (an online backup copies pages exactly). */
export class BackupDamageError extends Error {
  readonly detail: string;
  constructor(detail: string) {
    super(`the database failed its integrity check: ${detail}`);
    this.name = 'BackupDamageError';
    this.detail = detail;
  }
}

export function backupDir(dataDir: string): string {
  return path.join(dataDir, BACKUP_FOLDER);
}

const two = (value: number) => String(value).padStart(2, '0');

/** plantdesk-YYYYMMDD-HHmmss.db in local time, the way a plant manager reads a file list. */
export function backupFileName(ts: number, sequence = 0): string {
  const date = new Date(ts);
  const day = `${date.getFullYear()}${two(date.getMonth() + 1)}${two(date.getDate())}`;
  const time = `${two(date.getHours())}${two(date.getMinutes())}${two(date.getSeconds())}`;
  return `plantdesk-${day}-${time}${sequence > 0 ? `-${sequence}` : ''}.db`;
}

/** When a backup was taken, from its name; undefined for a name that is not a backup's. */
export function backupTime(name: string): number | undefined {
  const match = BACKUP_NAME.exec(name);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  return new Date(year, month - 1, day, hour, minute, second).getTime();
}

/** A name for a backup taken at `ts` that no file in `dir` has yet. */
export function freeBackupName(dir: string, ts: number): string {
  for (let sequence = 0; sequence < 1000; sequence++) {
    const name = backupFileName(ts, sequence);
    if (!fs.existsSync(path.join(dir, name))) return name;
  }
  throw new Error(`no free backup name in ${dir}`);
}

/** The backups in the folder, newest first; unfinished ones (.partial) are not listed. */
export function listBackups(dir: string): BackupEntry[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const entries: (BackupEntry & { sequence: number })[] = [];
  for (const name of names) {
    const ts = backupTime(name);
    if (ts === undefined) continue;
    try {
      const stats = fs.statSync(path.join(dir, name));
      if (!stats.isFile()) continue;
      entries.push({ file: name, sizeBytes: stats.size, ts, sequence: Number(BACKUP_NAME.exec(name)?.[7] ?? 0) });
    } catch {
      // Deleted while listing: not a backup any more.
    }
  }
  entries.sort((a, b) => b.ts - a.ts || b.sequence - a.sequence);
  return entries.map(({ sequence: _sequence, ...entry }) => entry);
}

/** Deletes all but the newest `keep` backups; returns the names deleted. */
export function pruneBackups(dir: string, keep: number): string[] {
  const deleted: string[] = [];
  for (const old of listBackups(dir).slice(keep)) {
    try {
      fs.rmSync(path.join(dir, old.file), { force: true });
      deleted.push(old.file);
    } catch {
      // In use by a virus scanner or a copy: the next prune takes it.
    }
  }
  return deleted;
}

/** Removes unfinished backups left by a crash or a power cut while one was being taken. */
export function removeUnfinishedBackups(dir: string): void {
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (name.includes(PARTIAL_SUFFIX)) fs.rmSync(path.join(dir, name), { force: true });
  }
}

/** Removes a database file and the files SQLite keeps beside it. */
export function removeDatabaseFiles(file: string): void {
  for (const suffix of ['', ...COMPANION_SUFFIXES]) fs.rmSync(`${file}${suffix}`, { force: true });
}

export type FileCheck = { ok: true; version: number } | { ok: false; detail: string; code: string | null };

/**
 * Opens a database file and runs SQLite's integrity_check. With `finish`, first makes it a
 * self-contained file (rollback journal mode), as a backup is kept; without, opens it read-only.
 */
export function checkDatabaseFile(file: string, options: { finish?: boolean } = {}): FileCheck {
  let db: Db | undefined;
  try {
    db = new Database(file, { readonly: !options.finish, fileMustExist: true });
    if (options.finish) db.pragma('journal_mode = DELETE');
    const result = db.pragma('integrity_check(5)', { simple: false }) as { integrity_check: string }[];
    const lines = result.map((row) => row.integrity_check);
    if (lines.length !== 1 || lines[0] !== 'ok') return { ok: false, detail: lines.join('; '), code: 'SQLITE_CORRUPT' };
    return { ok: true, version: db.pragma('user_version', { simple: true }) as number };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, detail: error instanceof Error ? error.message : String(error), code: typeof code === 'string' ? code : null };
  } finally {
    db?.close();
  }
}

function syncFile(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Makes a rename in `dir` reach the disk; Windows cannot sync a folder (and does not need to). */
export function syncFolder(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Not supported on this system.
  }
}

/**
 * Takes an online backup of `db` into `dest` (which must not exist yet) and returns its size.
 * Throws BackupDamageError when the copy fails its integrity check (the source is damaged); the
 * incomplete copy is removed whatever fails.
 */
export async function takeOnlineBackup(db: Db, dest: string): Promise<number> {
  const partial = `${dest}${PARTIAL_SUFFIX}`;
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  removeDatabaseFiles(partial);
  try {
    await db.backup(partial);
    const check = checkDatabaseFile(partial, { finish: true });
    if (!check.ok) {
      if (check.code?.startsWith('SQLITE_CORRUPT') || check.code?.startsWith('SQLITE_NOTADB')) throw new BackupDamageError(check.detail);
      throw Object.assign(new Error(check.detail), { code: check.code ?? undefined });
    }
    syncFile(partial);
    fs.renameSync(partial, dest);
    syncFolder(path.dirname(dest));
    return fs.statSync(dest).size;
  } catch (error) {
    removeDatabaseFiles(partial);
    throw error;
  }
}
