// The cloud area's tables, as one migration step (the lead appends it to core/storage/migrations.ts):
// the licence lines this PC holds, one per entitlement, exactly as the cloud signed them. The machine
// identity and the time floor are settings (table `settings`); the machine key is never in SQLite.
import type { Db } from '../storage/database.ts';

/** Creates the licence table. Safe on a file that already has it (IF NOT EXISTS). */
export function cloudMigration(db: Db): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS cloud_licences (
      entitlement_id TEXT PRIMARY KEY,
      template_id TEXT NOT NULL,
      -- The signed line 'licence.<payload>.<signature>', verified again at every read.
      line TEXT NOT NULL,
      received_at INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS cloud_licences_template ON cloud_licences (template_id);
  `);
}
