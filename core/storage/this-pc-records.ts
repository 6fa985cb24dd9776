// What belongs to this PC rather than to the plant data a backup holds: its cloud activation, its
// licences and time floor, the usage and outcome ledgers it has sent or will send, and where the sync
// stands. Restoring a backup (or starting an empty database) brings back older plant data, but must not
// wind these back: the cloud already holds the newer records, and an older ledger would make it refuse
// the next batch as a broken chain and bill the hours after the backup twice. So they are read from the
// file being replaced and written into the new one.
import type { Logger } from '../host.ts';
import type { Db } from './database.ts';

/** Append-only ledgers: the new file holds a prefix of this PC's chain (or nothing), so rows are only added. */
const LEDGERS = [
  { records: 'usage_records', head: 'usage_ledger_head' },
  { records: 'outcome_statements', head: 'outcome_ledger_head' },
] as const;
/** Tables whose rows this PC's now replace the backup's. */
const REPLACED_TABLES = ['outcome_disputes', 'sync_streams', 'sync_state', 'cloud_licences'] as const;
const SETTING_PREFIXES = ['cloud.', 'licensing.', 'sync.'] as const;

type Rows = Record<string, unknown>[];

export interface ThisPcRecords {
  tables: Map<string, Rows>;
  settings: Rows;
}

const tableExists = (db: Db, table: string) => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;

/** This PC's records in the file about to be replaced; undefined when they cannot be read (a damaged file). */
export function readThisPcRecords(db: Db, logger: Logger): ThisPcRecords | undefined {
  try {
    const tables = new Map<string, Rows>();
    for (const table of [...LEDGERS.flatMap((ledger) => [ledger.records, ledger.head]), ...REPLACED_TABLES]) {
      if (tableExists(db, table)) tables.set(table, db.prepare(`SELECT * FROM ${table}`).all() as Rows);
    }
    const like = SETTING_PREFIXES.map(() => 'key LIKE ?').join(' OR ');
    const settings = db.prepare(`SELECT key, value FROM settings WHERE ${like}`).all(...SETTING_PREFIXES.map((prefix) => `${prefix}%`)) as Rows;
    return { tables, settings };
  } catch (error) {
    logger.error("cannot read this PC's activation, licences and usage records from the file being replaced; the new file's are used", { error: String(error) });
    return undefined;
  }
}

function insertAll(db: Db, table: string, rows: Rows, conflict: 'IGNORE' | 'REPLACE'): void {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const insert = db.prepare(`INSERT OR ${conflict} INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((column) => `@${column}`).join(', ')})`);
  for (const row of rows) insert.run(row);
}

/** Whether the new file's ledger is the beginning of this PC's (same hash at every sequence it has). */
function isPrefixOf(db: Db, table: string, ours: Rows): boolean {
  const hashes = new Map(ours.map((row) => [row.sequence, row.hash]));
  const theirs = db.prepare(`SELECT sequence, hash FROM ${table}`).all() as { sequence: number; hash: string }[];
  return theirs.every((row) => hashes.get(row.sequence) === row.hash);
}

/** Writes this PC's records into the new file, in one transaction. */
export function writeThisPcRecords(db: Db, records: ThisPcRecords, logger: Logger): void {
  try {
    db.transaction(() => {
      for (const ledger of LEDGERS) {
        const ours = records.tables.get(ledger.records);
        if (!ours || !tableExists(db, ledger.records)) continue;
        if (!isPrefixOf(db, ledger.records, ours)) {
          // A backup from another PC's chain: its ledger stays; the cloud will say what it holds.
          logger.error("the restored file's ledger is not this PC's; it is kept as it is", { table: ledger.records });
          continue;
        }
        insertAll(db, ledger.records, ours, 'IGNORE');
        insertAll(db, ledger.head, records.tables.get(ledger.head) ?? [], 'REPLACE');
      }
      for (const table of REPLACED_TABLES) {
        if (!records.tables.has(table) || !tableExists(db, table)) continue;
        db.prepare(`DELETE FROM ${table}`).run();
        insertAll(db, table, records.tables.get(table)!, 'REPLACE');
      }
      const like = SETTING_PREFIXES.map(() => 'key LIKE ?').join(' OR ');
      db.prepare(`DELETE FROM settings WHERE ${like}`).run(...SETTING_PREFIXES.map((prefix) => `${prefix}%`));
      insertAll(db, 'settings', records.settings, 'REPLACE');
    })();
  } catch (error) {
    logger.error("cannot carry this PC's activation, licences and usage records into the new file; the new file's are used", { error: String(error) });
  }
}
