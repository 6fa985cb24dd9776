// The metering ledger's tables, as one migration step (the lead appends it to
// core/storage/migrations.ts as migration 9): the usage records of this machine, append-only, one
// row per closed period and meter, chained by hash exactly as the cloud checks them
// (shared/cloud/usage.ts), and the head of that chain, so a removed last record shows too.
import type { Db } from '../storage/database.ts';

/**
 * Creates the usage ledger. Safe on a file that already has it (IF NOT EXISTS), so tests can apply
 * it to any database opened with openDatabase.
 */
export function usageLedgerMigration(db: Db): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS usage_records (
      sequence INTEGER PRIMARY KEY CHECK (sequence >= 1),
      record_id TEXT NOT NULL UNIQUE,
      meter TEXT NOT NULL,
      unit TEXT NOT NULL,
      value INTEGER NOT NULL CHECK (typeof(value) = 'integer'),
      period_start INTEGER NOT NULL,
      period_end INTEGER NOT NULL CHECK (period_end > period_start),
      clock_state TEXT NOT NULL CHECK (clock_state IN ('ok', 'suspect')),
      template_id TEXT NOT NULL,
      template_version TEXT NOT NULL,
      recorded_at INTEGER NOT NULL,
      corrects TEXT REFERENCES usage_records (record_id),
      prev_hash TEXT NOT NULL,
      hash TEXT NOT NULL UNIQUE
    );
    -- One record per closed period and meter; corrections are the only further rows for a period.
    CREATE UNIQUE INDEX IF NOT EXISTS usage_records_one_per_period ON usage_records (template_id, meter, period_start) WHERE corrects IS NULL;
    CREATE INDEX IF NOT EXISTS usage_records_by_meter ON usage_records (template_id, meter, period_end);
    -- A closed record never changes: the app has no way to edit or remove one.
    CREATE TRIGGER IF NOT EXISTS usage_records_never_change BEFORE UPDATE ON usage_records
      BEGIN SELECT RAISE(ABORT, 'usage records are append-only'); END;
    CREATE TRIGGER IF NOT EXISTS usage_records_never_removed BEFORE DELETE ON usage_records
      BEGIN SELECT RAISE(ABORT, 'usage records are append-only'); END;
    -- The last record written (one row), kept in the same transaction as the record.
    CREATE TABLE IF NOT EXISTS usage_ledger_head (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      sequence INTEGER NOT NULL,
      hash TEXT NOT NULL
    );
  `);
}
