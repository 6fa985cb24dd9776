// Opening PlantDesk's database file: a fresh file reaches the current schema, data survives a restart,
// and a file from a newer PlantDesk (or not a database at all) is refused with a sentence naming it.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/index.ts';
import { makeTempDir, removeDir } from '../test-support.ts';
import { DATABASE_FILE, openDatabase } from './database.ts';
import { silentLogger } from '../host.ts';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.ts';
import { HistorianMaintenance } from '../historian/maintenance.ts';
import { RawReader } from '../historian/raw-reader.ts';
import { DEFAULT_BACKUP_SCHEDULE, Settings } from './settings.ts';

let dataDir: string;

beforeEach(() => {
  dataDir = makeTempDir();
});

afterEach(() => {
  removeDir(dataDir);
});

function openError(dir: string): AppError {
  try {
    openDatabase(dir).close();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('openDatabase was expected to refuse the file');
}

describe('openDatabase', () => {
  it('creates the file in a data folder that does not exist yet and brings it to SCHEMA_VERSION', () => {
    const nested = path.join(dataDir, 'PlantDesk', 'data');
    const db = openDatabase(nested);
    try {
      expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
      expect(tables).toEqual(expect.arrayContaining(['devices', 'points', 'samples']));
      expect(fs.existsSync(path.join(nested, DATABASE_FILE))).toBe(true);
    } finally {
      db.close();
    }
  });

  it('reopening keeps devices, points and samples, and does not run the migrations again', () => {
    const first = openDatabase(dataDir);
    first.prepare('INSERT INTO devices (id, config, created_at) VALUES (?, ?, ?)').run('cnc1', '{}', 1);
    first.prepare('INSERT INTO points (num, id, device_id, config) VALUES (?, ?, ?, ?)').run(1, 'cnc1.speed', 'cnc1', '{}');
    first.prepare('INSERT INTO samples (point, ts, value, quality) VALUES (?, ?, ?, ?)').run(1, 1_000, 42.5, 0);
    first.close();

    const second = openDatabase(dataDir);
    try {
      expect(second.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(second.prepare('SELECT id FROM devices').pluck().all()).toEqual(['cnc1']);
      expect(second.prepare('SELECT point, ts, value FROM samples').all()).toEqual([{ point: 1, ts: 1_000, value: 42.5 }]);
    } finally {
      second.close();
    }
  });

  it('a file from the first release is upgraded step by step to SCHEMA_VERSION, keeping its data', () => {
    const file = path.join(dataDir, DATABASE_FILE);
    const old = new Database(file);
    old.transaction(() => {
      MIGRATIONS[0]!(old);
      old.pragma('user_version = 1');
    })();
    old.prepare('INSERT INTO devices (id, config, created_at) VALUES (?, ?, ?)').run('meter1', '{}', 1);
    old.prepare('INSERT INTO samples (point, ts, value, quality) VALUES (?, ?, ?, ?)').run(3, 5_000, 230.5, 0);
    old.close();

    const db = openDatabase(dataDir);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(db.prepare('SELECT id FROM devices').pluck().all()).toEqual(['meter1']);
      expect(db.prepare('SELECT value FROM samples WHERE point = 3').pluck().get()).toBe(230.5);
    } finally {
      db.close();
    }
  });

  // Every released version, including an empty file (0), reaches SCHEMA_VERSION keeping its data,
  // and gets the settings table (3) with the backup schedule at its default.
  for (const from of Array.from({ length: SCHEMA_VERSION }, (_, version) => version)) {
    it(`a file at schema version ${from} is upgraded to ${SCHEMA_VERSION}, keeping its data, with settings from version 3 on`, () => {
      const file = path.join(dataDir, DATABASE_FILE);
      const old = new Database(file);
      for (let version = 0; version < from; version++) {
        old.transaction(() => {
          MIGRATIONS[version]!(old);
          old.pragma(`user_version = ${version + 1}`);
        })();
      }
      if (from >= 1) {
        old.prepare('INSERT INTO devices (id, config, created_at) VALUES (?, ?, ?)').run('meter1', '{}', 1);
        old.prepare('INSERT INTO samples (point, ts, value, quality) VALUES (?, ?, ?, ?)').run(3, 5_000, 230.5, 0);
      }
      if (from >= 2) {
        old.prepare("INSERT INTO audit_log (ts, actor, action, target, result) VALUES (1, 'this PC', 'point.write', 'x', 'ok')").run();
      }
      old.close();

      const db = openDatabase(dataDir);
      try {
        expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
        expect(db.prepare('SELECT id FROM devices').pluck().all()).toEqual(from >= 1 ? ['meter1'] : []);
        expect(db.prepare('SELECT value FROM samples WHERE point = 3').pluck().all()).toEqual(from >= 1 ? [230.5] : []);
        expect(db.prepare('SELECT count(*) FROM audit_log').pluck().get()).toBe(from >= 2 ? 1 : 0);
        const settings = new Settings(db, silentLogger);
        expect(settings.backupSchedule).toEqual(DEFAULT_BACKUP_SCHEDULE);
        settings.backupSchedule = { enabled: false, hour: 23, keep: 30 };
        expect(db.prepare('SELECT key, value FROM settings').all()).toEqual([
          { key: 'backups.schedule', value: JSON.stringify({ enabled: false, hour: 23, keep: 30 }) },
        ]);
      } finally {
        db.close();
      }
    });
  }

  it('history stored as plain rows before version 4 is rolled up and packed into blocks after the upgrade, every sample kept', () => {
    const file = path.join(dataDir, DATABASE_FILE);
    const old = new Database(file);
    for (let version = 0; version < 3; version++) {
      old.transaction(() => {
        MIGRATIONS[version]!(old);
        old.pragma(`user_version = ${version + 1}`);
      })();
    }
    const t0 = Date.UTC(2026, 0, 5, 8);
    old.prepare('INSERT INTO devices (id, config, created_at) VALUES (?, ?, ?)').run('meter1', '{}', 1);
    old.prepare('INSERT INTO points (num, id, device_id, config) VALUES (?, ?, ?, ?)').run(3, 'meter1.kwh', 'meter1', JSON.stringify({ scale: 0.1, dataType: 'uint32', kind: 'counter' }));
    const insert = old.prepare('INSERT INTO samples (point, ts, value, quality) VALUES (3, ?, ?, 0)');
    old.transaction(() => {
      for (let second = 0; second < 6 * 3600; second += 5) insert.run(t0 + second * 1000, Math.round(second / 3) / 10);
    })();
    const before = old.prepare('SELECT ts, value FROM samples ORDER BY ts').raw().all();
    old.close();

    const db = openDatabase(dataDir);
    try {
      new HistorianMaintenance(db, { now: () => t0 + 7 * 3_600_000 }).runUntilIdle();
      expect(db.prepare('SELECT count(*) FROM samples').pluck().get()).toBe(0);
      expect(db.prepare('SELECT count(*) FROM sample_blocks').pluck().get()).toBe(6);
      expect(new RawReader(db).read(3, 0, Number.MAX_SAFE_INTEGER).map((sample) => [sample.ts, sample.value])).toEqual(before);
      // The counter rose from 0 to its last value, 719.8 (a tenth of a kWh every 15 s).
      expect(db.prepare('SELECT sum(increase) FROM rollups WHERE resolution = 3600000 AND point = 3').pluck().get()).toBeCloseTo(719.8, 6);
    } finally {
      db.close();
    }
  });

  it('a stored setting that no longer fits its schema falls back to the default', () => {
    const db = openDatabase(dataDir);
    try {
      db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run('backups.schedule', '{"enabled":"sometimes","hour":25}');
      expect(new Settings(db, silentLogger).backupSchedule).toEqual(DEFAULT_BACKUP_SCHEDULE);
    } finally {
      db.close();
    }
  });

  it('deleting a device deletes its points (foreign keys are enforced)', () => {
    const db = openDatabase(dataDir);
    try {
      db.prepare('INSERT INTO devices (id, config, created_at) VALUES (?, ?, ?)').run('cnc1', '{}', 1);
      db.prepare('INSERT INTO points (num, id, device_id, config) VALUES (?, ?, ?, ?)').run(1, 'cnc1.speed', 'cnc1', '{}');
      expect(() =>
        db.prepare('INSERT INTO points (num, id, device_id, config) VALUES (?, ?, ?, ?)').run(2, 'x.y', 'no-such-device', '{}'),
      ).toThrow(/FOREIGN KEY/);
      db.prepare('DELETE FROM devices WHERE id = ?').run('cnc1');
      expect(db.prepare('SELECT count(*) FROM points').pluck().get()).toBe(0);
    } finally {
      db.close();
    }
  });

  it('refuses a file written by a newer PlantDesk with storage_error naming the file and saying to update', () => {
    const file = path.join(dataDir, DATABASE_FILE);
    const newer = new Database(file);
    newer.exec('CREATE TABLE future_things (id INTEGER PRIMARY KEY)');
    newer.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    newer.close();

    const error = openError(dataDir);
    expect(error.code).toBe('storage_error');
    expect(error.key).toBe('error.storageNewer');
    expect(error.message).toContain(file);
    expect(error.message).toContain('Update PlantDesk');
    expect(error.message).toContain(`data format ${SCHEMA_VERSION + 1}`);
    expect(error.message).not.toMatch(/free disk space/);
    const chinese = error.toBody('zh-CN');
    expect(chinese).toMatchObject({ code: 'storage_error' });
    expect(chinese.message).toContain(file);
    expect(chinese.message).toContain('请更新 PlantDesk');
    expect(chinese.message).not.toMatch(/[A-Za-z]{6,} version/);

    // The file is left as the newer version wrote it, and released (no -wal/-shm left behind by an open handle).
    expect(fs.readdirSync(dataDir).sort()).toEqual([DATABASE_FILE]);
    const check = new Database(file, { readonly: true });
    try {
      expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
      expect(check.pragma('journal_mode', { simple: true })).toBe('delete');
      expect(check.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all()).toEqual(['future_things']);
    } finally {
      check.close();
    }
  });

  it('refuses a file that is not a database, naming it', () => {
    const file = path.join(dataDir, DATABASE_FILE);
    fs.writeFileSync(file, 'these are not the pages of a SQLite database '.repeat(100));
    const error = openError(dataDir);
    expect(error.code).toBe('storage_error');
    expect(error.message).toContain(file);
    expect(error.message).toMatch(/not a database/);
  });

  it('refuses a data folder path that is a file, naming it', () => {
    const notAFolder = path.join(dataDir, 'occupied');
    fs.writeFileSync(notAFolder, '');
    const error = openError(notAFolder);
    expect(error.code).toBe('storage_error');
    expect(error.message).toContain(path.join(notAFolder, DATABASE_FILE));
  });
});
