// The database table of the plant's own dashboards: one validated JSON document per dashboard, with a
// revision that goes up at every save (so a save made on an older revision is refused, not lost).
// Built-in dashboards are not stored; they come with PlantDesk (shared/domain/dashboards.ts).
import type Database from 'better-sqlite3';

/** The migration step that adds the dashboards table (appended to core/storage/migrations.ts). */
export const dashboardsMigration = (db: Database.Database): void => {
  db.exec(`
    CREATE TABLE IF NOT EXISTS dashboards (
      id TEXT PRIMARY KEY,
      document TEXT NOT NULL,
      revision INTEGER NOT NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    );
  `);
};
