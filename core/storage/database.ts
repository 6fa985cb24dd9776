// Opens PlantDesk's one SQLite file (configuration and history together, so one backup holds both)
// and brings its schema up to date. WAL so readers never block the single writer; synchronous=FULL
// so a committed batch survives a power cut, not only a killed process.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../../shared/index.ts';
import { checkSchemaVersion, migrate, NewerSchemaError, SCHEMA_VERSION } from './migrations.ts';

export type Db = Database.Database;

export const DATABASE_FILE = 'plantdesk.db';

/** Opens (creating if needed) the database in the data folder and runs pending migrations. */
export function openDatabase(dataDir: string): Db {
  const file = path.join(dataDir, DATABASE_FILE);
  let db: Db | undefined;
  try {
    fs.mkdirSync(dataDir, { recursive: true });
    db = new Database(file);
    // Before anything changes the file: one written by a newer PlantDesk is left exactly as it is.
    checkSchemaVersion(db);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db);
    return db;
  } catch (error) {
    // Release the file: a refused database must not stay open (and locked, on Windows) until exit.
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
