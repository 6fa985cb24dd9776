// The marketplace's offline cache, as one migration step (the lead appends it to
// core/storage/migrations.ts): the catalogue listing with its ETag and when it was read, screenshots,
// downloaded packages by SHA-256 (bounded), the signed control list line and the organisation's
// entitlements as the cloud last reported them. Everything here can be read again from the cloud.
import type { Db } from '../storage/database.ts';

/** Creates the marketplace cache tables; safe on a file that already has them (IF NOT EXISTS). */
export function marketplaceMigration(db: Db): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS market_catalogue (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      templates TEXT NOT NULL,
      etag TEXT,
      app_version TEXT NOT NULL,
      refreshed_at INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS market_screenshots (
      template_id TEXT NOT NULL,
      version TEXT NOT NULL,
      idx INTEGER NOT NULL,
      content_type TEXT NOT NULL,
      bytes BLOB NOT NULL,
      stored_at INTEGER NOT NULL,
      PRIMARY KEY (template_id, version, idx)
    );
    CREATE TABLE IF NOT EXISTS market_packages (
      sha256 TEXT PRIMARY KEY,
      template_id TEXT NOT NULL,
      version TEXT NOT NULL,
      size INTEGER NOT NULL,
      bytes BLOB NOT NULL,
      used_at INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS market_control_list (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      line TEXT NOT NULL,
      revision INTEGER NOT NULL,
      etag TEXT,
      refreshed_at INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS market_entitlements (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      entitlements TEXT NOT NULL,
      refreshed_at INTEGER NOT NULL
    );
  `);
}
