// The KPI engine's tables, as one migration step (core/storage/migrations.ts appends it):
// - kpi_stops: each stop of each machine (a stretch in which it did not run), found in the raw state
//   samples, with its dominant state and whether it was a micro-stop;
// - kpi_micro_stops: micro-stop time per machine and minute / hour, summed like the historian's
//   rollups, so a month's micro-stops cost as little to read as its rollups;
// - kpi_stop_scan: how far the stop detection has come per machine, and what it carries on with
//   (the last sample, the stop still open);
// - kpi_stop_reasons: the reason an operator gave for a stop, who and when (kept apart from the stops,
//   so finding stops again never loses a reason);
// - kpi_cache: figures of closed periods, computed once.
// Written with IF NOT EXISTS so a test can apply it to a database that already has it.
import type Database from 'better-sqlite3';

export function migrateKpiTables(db: Database.Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS kpi_stops (
      machine_id TEXT NOT NULL,
      start_ts INTEGER NOT NULL,
      end_ts INTEGER NOT NULL,
      state TEXT NOT NULL,
      micro INTEGER NOT NULL,
      PRIMARY KEY (machine_id, start_ts)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS kpi_stops_by_end ON kpi_stops (machine_id, micro, end_ts, state);
    CREATE TABLE IF NOT EXISTS kpi_micro_stops (
      machine_id TEXT NOT NULL,
      resolution INTEGER NOT NULL,
      ts INTEGER NOT NULL,
      ms INTEGER NOT NULL,
      count INTEGER NOT NULL,
      PRIMARY KEY (machine_id, resolution, ts)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS kpi_stop_scan (
      machine_id TEXT PRIMARY KEY,
      signature TEXT NOT NULL,
      micro_ms INTEGER NOT NULL,
      scanned_from INTEGER NOT NULL,
      scanned_to INTEGER NOT NULL,
      carry TEXT
    );
    CREATE TABLE IF NOT EXISTS kpi_stop_reasons (
      machine_id TEXT NOT NULL,
      stop_start INTEGER NOT NULL,
      reason TEXT NOT NULL,
      set_by TEXT NOT NULL,
      set_at INTEGER NOT NULL,
      PRIMARY KEY (machine_id, stop_start)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS kpi_cache (
      kpi TEXT NOT NULL,
      subject TEXT NOT NULL,
      period_kind TEXT NOT NULL,
      period_start INTEGER NOT NULL,
      period_end INTEGER NOT NULL,
      settings TEXT NOT NULL,
      value TEXT NOT NULL,
      computed_at INTEGER NOT NULL,
      PRIMARY KEY (kpi, subject, period_kind, period_start)
    ) WITHOUT ROWID;
  `);
}

/**
 * The stored KPI definitions (the lead appends this as its own migration step): one validated JSON
 * document per KPI, and the template instance that owns it (NULL for one made in the app), so an
 * uninstall removes a template's KPIs and a locked licence makes them read-only.
 */
export function kpiDefinitionsMigration(db: Database.Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS kpi_definitions (
      id TEXT PRIMARY KEY,
      definition TEXT NOT NULL,
      owner_instance_id TEXT,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS kpi_definitions_by_owner ON kpi_definitions (owner_instance_id);
  `);
}
