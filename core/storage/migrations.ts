// The schema's history, one step per version. A step never changes once released: later versions add
// steps. `PRAGMA user_version` records how far a file has come; each step runs in its own transaction.
import type Database from 'better-sqlite3';
import { alarmsMigration } from '../alarms/schema.ts';
import { dashboardsMigration } from '../dashboards/schema.ts';
import { migrateKpiTables } from '../kpis/schema.ts';
import { templatesMigration } from '../templates/schema.ts';
import { usageLedgerMigration } from '../licensing/usage-schema.ts';
import { cloudMigration } from '../cloud/cloud-schema.ts';
import { kpiDefinitionsMigration } from '../kpis/schema.ts';
import { marketplaceMigration } from '../marketplace/schema.ts';
import { syncMigration } from '../sync/sync-schema.ts';

type Migration = (db: Database.Database) => void;

export const MIGRATIONS: readonly Migration[] = [
  // 1: devices and points as validated JSON documents; samples keyed by point number and time.
  (db) => {
    db.exec(`
      CREATE TABLE devices (
        id TEXT PRIMARY KEY,
        config TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE points (
        num INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        device_id TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
        config TEXT NOT NULL
      );
      CREATE INDEX points_by_device ON points(device_id);
      CREATE TABLE samples (
        point INTEGER NOT NULL,
        ts INTEGER NOT NULL,
        value REAL,
        quality INTEGER NOT NULL,
        PRIMARY KEY (point, ts)
      ) WITHOUT ROWID;
    `);
  },
  // 2: the audit log of writes to devices (who, when, old and new value, result).
  (db) => {
    db.exec(`
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        ts INTEGER NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        old_value TEXT,
        new_value TEXT,
        result TEXT NOT NULL CHECK (result IN ('ok', 'failed')),
        message TEXT
      );
      CREATE INDEX audit_log_by_time ON audit_log(ts);
    `);
  },
  // 3: settings the user changes in the app (the backup schedule first), one JSON value per key.
  (db) => {
    db.exec(`
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) WITHOUT ROWID;
    `);
  },
  // 4: the historian's long-term forms. Closed stretches of raw samples compressed into blocks (one
  // row per point and hour: core/historian/block-codec.ts); 1-minute and 1-hour rollups per point
  // (resolution = the period in ms); time in each state for state points; how far each point's
  // rollups have come, with the sample they carry into the next period.
  (db) => {
    db.exec(`
      -- A rowid table, unlike the others: its rows hold blobs of a few kilobytes, which a WITHOUT ROWID
      -- table would spill past about 1 KB into overflow pages of their own, mostly empty.
      CREATE TABLE sample_blocks (
        id INTEGER PRIMARY KEY,
        point INTEGER NOT NULL,
        start_ts INTEGER NOT NULL,
        end_ts INTEGER NOT NULL,
        count INTEGER NOT NULL,
        data BLOB NOT NULL
      );
      CREATE UNIQUE INDEX sample_blocks_by_point ON sample_blocks (point, start_ts, end_ts);
      CREATE TABLE rollups (
        resolution INTEGER NOT NULL,
        point INTEGER NOT NULL,
        ts INTEGER NOT NULL,
        count INTEGER NOT NULL,
        min REAL,
        max REAL,
        first REAL,
        last REAL,
        sum REAL,
        twa REAL,
        covered_ms INTEGER NOT NULL,
        increase REAL,
        PRIMARY KEY (resolution, point, ts)
      ) WITHOUT ROWID;
      CREATE TABLE rollup_states (
        resolution INTEGER NOT NULL,
        point INTEGER NOT NULL,
        ts INTEGER NOT NULL,
        state REAL NOT NULL,
        ms INTEGER NOT NULL,
        PRIMARY KEY (resolution, point, ts, state)
      ) WITHOUT ROWID;
      CREATE TABLE rollup_progress (
        point INTEGER PRIMARY KEY,
        minute_done INTEGER NOT NULL,
        hour_done INTEGER NOT NULL,
        carry_ts INTEGER,
        carry_value REAL,
        carry_quality INTEGER
      );
    `);
  },
  // 5: alarms: rules, the alarms not yet over, every transition with who and when, shelved rules.
  alarmsMigration,
  // 6: dashboards: declarative layouts of widgets, stored and exported as JSON.
  dashboardsMigration,
  // 7: the KPI engine: machine stops with their reasons, micro-stop sums, cached results of closed periods.
  migrateKpiTables,
  // 8: template packages (the files of each version in use) and template instances (parameters, what each created, the previous version).
  templatesMigration,
  // 9: the metering ledger: usage records per closed period and meter, append-only, hash-chained as the cloud checks them.
  usageLedgerMigration,
  // 10: the licence lines this PC holds, one per entitlement, as the cloud signed them.
  cloudMigration,
  // 11: stored KPI definitions (validated JSON), with the template instance that owns each (NULL: the plant's own).
  kpiDefinitionsMigration,
  // 12: the marketplace cache: catalogue with ETag, screenshots, downloaded packages by SHA-256, the signed control list, entitlements.
  marketplaceMigration,
  // 13: outcome statements (pay-for-results, hash-chained) and the sync's state: acknowledged sequence per stream, batch in flight, refused batches, last attempt.
  syncMigration,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** A file written by a newer PlantDesk: this one must not touch it. */
export class NewerSchemaError extends Error {
  readonly version: number;
  constructor(version: number) {
    super(`schema version ${version} is newer than ${SCHEMA_VERSION}`);
    this.version = version;
  }
}

/** The file's schema version, refusing one newer than this PlantDesk understands. Changes nothing. */
export function checkSchemaVersion(db: Database.Database): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) throw new NewerSchemaError(current);
  return current;
}

/** Runs every step above the file's version; refuses a file written by a newer PlantDesk. */
export function migrate(db: Database.Database): void {
  const current = checkSchemaVersion(db);
  for (let version = current; version < SCHEMA_VERSION; version++) {
    const step = MIGRATIONS[version]!;
    db.transaction(() => {
      step(db);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
