// The tables of issue 8 items 4–5, as one migration step (the lead appends it to
// core/storage/migrations.ts after the usage ledger): the outcome statements (pay-for-results),
// append-only and hash-chained like the usage records, with their chain head; and the sync's own
// state — per stream the highest sequence the cloud acknowledged, the batch in flight (so a restart
// sends the same batch id again) and a batch refused for good; the attempt times, the failure count
// and the last error as a message key with its parameters (rendered in the reader's language).
import type { Db } from '../storage/database.ts';

/** Creates the outcome ledger and the sync state. Safe on a file that already has them (IF NOT EXISTS). */
export function syncMigration(db: Db): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS outcome_statements (
      sequence INTEGER PRIMARY KEY CHECK (sequence >= 1),
      record_id TEXT NOT NULL UNIQUE,
      template_id TEXT NOT NULL,
      metric TEXT NOT NULL,
      measured_start INTEGER NOT NULL,
      measured_end INTEGER NOT NULL CHECK (measured_end > measured_start),
      -- The statement exactly as sent (its canonical fields); the hash covers all of it.
      statement TEXT NOT NULL,
      -- How the figures were computed: a message key and its parameters, rendered in the reader's language.
      method_key TEXT NOT NULL,
      method_params TEXT NOT NULL,
      prev_hash TEXT NOT NULL,
      hash TEXT NOT NULL UNIQUE
    );
    CREATE UNIQUE INDEX IF NOT EXISTS outcome_statements_one_per_period ON outcome_statements (template_id, metric, measured_start);
    CREATE TRIGGER IF NOT EXISTS outcome_statements_never_change BEFORE UPDATE ON outcome_statements
      BEGIN SELECT RAISE(ABORT, 'outcome statements are append-only'); END;
    CREATE TRIGGER IF NOT EXISTS outcome_statements_never_removed BEFORE DELETE ON outcome_statements
      BEGIN SELECT RAISE(ABORT, 'outcome statements are append-only'); END;
    CREATE TABLE IF NOT EXISTS outcome_ledger_head (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      sequence INTEGER NOT NULL,
      hash TEXT NOT NULL
    );
    -- Statements the cloud holds but disputes (the figures do not add up), with its reason.
    CREATE TABLE IF NOT EXISTS outcome_disputes (
      record_id TEXT PRIMARY KEY,
      reason TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS sync_streams (
      stream TEXT PRIMARY KEY CHECK (stream IN ('usage', 'outcomes')),
      acked_sequence INTEGER NOT NULL DEFAULT 0,
      inflight_batch_id TEXT,
      inflight_first INTEGER,
      inflight_last INTEGER,
      refused_batch_id TEXT,
      refused_first INTEGER,
      refused_last INTEGER,
      refused_at INTEGER,
      refused_key TEXT,
      refused_params TEXT
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS sync_state (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      last_sync_at INTEGER,
      last_attempt_at INTEGER,
      next_try_at INTEGER,
      failures INTEGER NOT NULL DEFAULT 0,
      last_error_key TEXT,
      last_error_params TEXT
    );
  `);
}
