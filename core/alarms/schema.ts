// The alarm tables, as one migration step (core/storage/migrations.ts appends it): the rules as
// validated JSON documents, the alarms that are not over yet (so a restart keeps them), every
// transition with who and when, and the shelved rules with their expiry.
import type { Db } from '../storage/database.ts';

/**
 * Creates the alarm tables. Safe on a file that already has them (IF NOT EXISTS), so tests can apply
 * it to any database opened with openDatabase.
 */
export function alarmsMigration(db: Db): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS alarm_rules (
      id TEXT PRIMARY KEY,
      config TEXT NOT NULL,
      updated_at INTEGER NOT NULL
    ) WITHOUT ROWID;
    -- One row per alarm that is active or not yet acknowledged; deleted when it is over (cleared
    -- and acknowledged). At most one per rule.
    CREATE TABLE IF NOT EXISTS alarms_active (
      id INTEGER PRIMARY KEY,
      rule_id TEXT NOT NULL UNIQUE,
      kind TEXT NOT NULL,
      automatic INTEGER NOT NULL,
      severity TEXT NOT NULL,
      state TEXT NOT NULL,
      device_id TEXT,
      point_id TEXT,
      device_name TEXT,
      point_name TEXT,
      message_en TEXT NOT NULL,
      message_zh TEXT NOT NULL,
      value,
      raised_at INTEGER NOT NULL,
      acknowledged_at INTEGER,
      acknowledged_by TEXT,
      cleared_at INTEGER
    );
    -- Every transition of every alarm: what, when, who (or "system"), with the alarm as it was.
    CREATE TABLE IF NOT EXISTS alarm_events (
      id INTEGER PRIMARY KEY,
      alarm_id INTEGER NOT NULL,
      ts INTEGER NOT NULL,
      event TEXT NOT NULL,
      state TEXT NOT NULL,
      rule_id TEXT NOT NULL,
      severity TEXT NOT NULL,
      device_id TEXT,
      point_id TEXT,
      device_name TEXT,
      point_name TEXT,
      message_en TEXT NOT NULL,
      message_zh TEXT NOT NULL,
      value,
      actor TEXT NOT NULL,
      comment TEXT
    );
    CREATE INDEX IF NOT EXISTS alarm_events_by_time ON alarm_events (ts);
    CREATE INDEX IF NOT EXISTS alarm_events_by_alarm ON alarm_events (alarm_id);
    -- A shelved rule: its alarms are hidden and silent until \`until\`.
    CREATE TABLE IF NOT EXISTS alarm_shelves (
      rule_id TEXT PRIMARY KEY,
      until INTEGER NOT NULL,
      shelved_by TEXT NOT NULL,
      reason TEXT NOT NULL,
      shelved_at INTEGER NOT NULL
    ) WITHOUT ROWID;
  `);
}
