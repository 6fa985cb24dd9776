// The template tables, as one migration step (the lead appends it to core/storage/migrations.ts):
// each installed package version with its files (so a roll-back needs no download), and each
// template instance with its version, the parameters the user filled in, everything it created and
// the version it came from (for roll-back).
import type { Db } from '../storage/database.ts';

/**
 * Creates the template tables. Safe on a file that already has them (IF NOT EXISTS), so tests can
 * apply it to any database opened with openDatabase.
 */
export function templatesMigration(db: Db): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS template_packages (
      template_id TEXT NOT NULL,
      version TEXT NOT NULL,
      manifest TEXT NOT NULL,
      signature TEXT NOT NULL,
      stored_at INTEGER NOT NULL,
      PRIMARY KEY (template_id, version)
    ) WITHOUT ROWID;
    -- A rowid table: its rows hold blobs (see the note on sample_blocks).
    CREATE TABLE IF NOT EXISTS template_package_files (
      id INTEGER PRIMARY KEY,
      template_id TEXT NOT NULL,
      version TEXT NOT NULL,
      path TEXT NOT NULL,
      size INTEGER NOT NULL,
      sha256 TEXT NOT NULL,
      bytes BLOB NOT NULL,
      FOREIGN KEY (template_id, version) REFERENCES template_packages (template_id, version) ON DELETE CASCADE
    );
    CREATE UNIQUE INDEX IF NOT EXISTS template_package_files_by_path ON template_package_files (template_id, version, path);
    CREATE TABLE IF NOT EXISTS template_instances (
      instance_id TEXT PRIMARY KEY,
      template_id TEXT NOT NULL,
      version TEXT NOT NULL,
      parameters TEXT NOT NULL,
      created TEXT NOT NULL,
      previous_version TEXT,
      previous_parameters TEXT,
      installed_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      FOREIGN KEY (template_id, version) REFERENCES template_packages (template_id, version),
      FOREIGN KEY (template_id, previous_version) REFERENCES template_packages (template_id, version)
    ) WITHOUT ROWID;
  `);
}
