// Opens PlantDesk's one SQLite file (configuration and history together, so one backup holds both)
// and brings its schema up to date. WAL so readers never block the single writer; synchronous=FULL
// so a committed batch survives a power cut, not only a killed process.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../../shared/index.ts';
import type { Logger } from '../host.ts';
import { checkSchemaVersion, migrate, NewerSchemaError, SCHEMA_VERSION } from './migrations.ts';

export type Db = Database.Database;

export const DATABASE_FILE = 'plantdesk.db';

export function databaseFile(dataDir: string): string {
  return path.join(dataDir, DATABASE_FILE);
}

/**
 * Reads what a damaged page would break first — the schema and the configuration tables — before
 * anything is written, so a damaged file is refused as it is instead of being written further.
 * History pages are checked by every backup (integrity_check on the copy) and by the writer.
 */
function readConfiguration(db: Db): void {
  const tables = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
  for (const table of ['devices', 'points', 'settings']) {
    if (!tables.has(table)) continue;
    // The table and its indexes, page by page (small tables: this is quick).
    const result = db.pragma(`quick_check(${table})`, { simple: true });
    if (result !== 'ok') throw Object.assign(new Error(`database disk image is malformed (${table}: ${String(result)})`), { code: 'SQLITE_CORRUPT' });
  }
}

/** Opens (creating if needed) the database in the data folder and runs pending migrations. */
export function openDatabase(dataDir: string): Db {
  const file = databaseFile(dataDir);
  let db: Db | undefined;
  try {
    fs.mkdirSync(dataDir, { recursive: true });
    db = new Database(file);
    // Before anything changes the file: one written by a newer PlantDesk is left exactly as it is.
    checkSchemaVersion(db);
    readConfiguration(db);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db);
    // A file SQLite could open only for reading (a folder the user may not write) is found now, not
    // at the first batch of samples.
    db.exec('BEGIN IMMEDIATE');
    db.exec('ROLLBACK');
    return db;
  } catch (error) {
    // Release the file: a refused database must not stay open (and locked, on Windows) until exit.
    if (db?.inTransaction) db.exec('ROLLBACK');
    db?.close();
    if (error instanceof NewerSchemaError) {
      throw new AppError('storage_error', 'error.storageNewer', {
        params: { file, version: error.version, supported: SCHEMA_VERSION },
        cause: error,
      });
    }
    throw new AppError('storage_error', 'error.storageOpen', {
      params: { file, reason: error instanceof Error ? error.message : String(error) },
      cause: error,
    });
  }
}

/**
 * The configuration (devices, points, settings) of the first of `sources` that can be read, opened
 * read-only so a damaged file is never written. Returns undefined when none can be read.
 */
function readConfigurationFrom(sources: readonly string[], logger: Logger) {
  for (const source of sources) {
    let db: Db | undefined;
    try {
      db = new Database(source, { readonly: true, fileMustExist: true });
      const tables = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
      return {
        source,
        devices: db.prepare('SELECT id, config, created_at FROM devices').raw().all() as unknown[][],
        points: db.prepare('SELECT num, id, device_id, config FROM points').raw().all() as unknown[][],
        settings: tables.has('settings') ? (db.prepare('SELECT key, value FROM settings').raw().all() as unknown[][]) : [],
      };
    } catch (error) {
      logger.warn('cannot read the device settings from this file', { file: source, error: String(error) });
    } finally {
      db?.close();
    }
  }
  return undefined;
}

/**
 * The database the core runs on while its file cannot be used: in memory, at the current schema,
 * holding the device settings read from the first readable source (the file itself, read-only,
 * then the backups, newest first) so the devices keep polling and live values keep flowing.
 */
export function openFallbackDatabase(sources: readonly string[], logger: Logger): { db: Db; source: string | null } {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db);
  const found = readConfigurationFrom(sources, logger);
  if (!found) return { db, source: null };
  try {
    db.transaction(() => {
      const device = db.prepare('INSERT INTO devices (id, config, created_at) VALUES (?, ?, ?)');
      for (const row of found.devices) device.run(row);
      const point = db.prepare('INSERT OR IGNORE INTO points (num, id, device_id, config) VALUES (?, ?, ?, ?)');
      for (const row of found.points) point.run(row);
      const setting = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)');
      for (const row of found.settings) setting.run(row);
    })();
    return { db, source: found.source };
  } catch (error) {
    logger.warn('the device settings read from this file do not fit; starting without them', { file: found.source, error: String(error) });
    return { db, source: null };
  }
}
