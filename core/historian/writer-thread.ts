// The historian's writer thread: owns the one connection that writes samples, so a commit's fsync
// (synchronous=FULL, for power-cut safety) never stalls the polling thread. Batches that the disk
// refuses stay queued here and are retried every second; the main thread is told, in numbers and
// with SQLite's error code. Online backups run here too, on the same connection: writes made while
// a backup runs then join it instead of restarting it, and its check never blocks polling.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { BackupDamageError, takeOnlineBackup } from '../storage/backups.ts';
import { HistorianMaintenance } from './maintenance.ts';
import { retentionSweeper } from './retention.ts';
import { createRowInserter, ROW_SLOTS } from './sample-rows.ts';
import type { FromWriter, ToWriter, WriterMaintenance } from './writer-messages.ts';

const port = parentPort!;
const { file, maxQueuedRows, maxPageCount, maintenance: maintenanceSettings } = workerData as {
  file: string;
  maxQueuedRows: number;
  maxPageCount?: number;
  /** Rollups, compaction and retention between batches (core/historian/maintenance.ts); false: none. */
  maintenance: WriterMaintenance;
};
const queue: { rows: Float64Array; count: number }[] = [];
let db: Database.Database | undefined;
let insert: ((rows: Float64Array, count: number) => void) | undefined;
let queuedRows = 0;
let retry: NodeJS.Timeout | undefined;
let backups: Promise<void> = Promise.resolve();
let maintenance: HistorianMaintenance | undefined;
let maintenanceTimer: NodeJS.Timeout | undefined;
let maintenanceFailing = false;
let closing = false;

const post = (message: FromWriter, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
const codeOf = (error: unknown) => {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : null;
};
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Opens the connection on first use, so a file that cannot be opened yet is retried like a refused write. */
function connection(): Database.Database {
  if (db) return db;
  const opened = new Database(file);
  try {
    opened.pragma('journal_mode = WAL');
    opened.pragma('synchronous = FULL');
    opened.pragma('busy_timeout = 10000');
    // Test seam: a database that may not grow past this many pages fails with SQLITE_FULL, as on a full disk.
    if (maxPageCount !== undefined) opened.pragma(`max_page_count = ${maxPageCount}`);
    insert = createRowInserter(opened);
  } catch (error) {
    opened.close();
    throw error;
  }
  db = opened;
  return db;
}

function drain(): void {
  retry = undefined;
  while (queue.length > 0) {
    const batch = queue[0]!;
    try {
      connection();
      insert!(batch.rows, batch.count);
    } catch (error) {
      post({ type: 'failed', message: messageOf(error), code: codeOf(error), queuedRows });
      retry = setTimeout(drain, 1000);
      return;
    }
    queue.shift();
    queuedRows -= batch.count;
    post({ type: 'written', count: batch.count });
  }
}

function scheduleMaintenance(delayMs: number): void {
  if (maintenanceSettings === false || maintenanceTimer || closing) return;
  maintenanceTimer = setTimeout(maintain, delayMs);
}

/** One short step of upkeep when no batch waits; again at once while there is more, else after a pause. */
function maintain(): void {
  maintenanceTimer = undefined;
  if (maintenanceSettings === false) return;
  if (queue.length > 0 || retry) {
    scheduleMaintenance(250);
    return;
  }
  let more = false;
  try {
    maintenance ??= new HistorianMaintenance(connection(), { ...maintenanceSettings, retention: retentionSweeper(connection()) });
    more = maintenance.step(20);
    if (maintenanceFailing) post({ type: 'maintenanceFailed', message: null, code: null });
    maintenanceFailing = false;
  } catch (error) {
    if (!maintenanceFailing) post({ type: 'maintenanceFailed', message: messageOf(error), code: codeOf(error) });
    maintenanceFailing = true;
    scheduleMaintenance(30_000);
    return;
  }
  scheduleMaintenance(more ? 0 : (maintenanceSettings.intervalMs ?? 1000));
}

function backup(id: number, dest: string): void {
  backups = backups.then(async () => {
    try {
      const sizeBytes = await takeOnlineBackup(connection(), dest);
      post({ type: 'backedUp', id, sizeBytes });
    } catch (error) {
      post({ type: 'backupFailed', id, message: messageOf(error), code: codeOf(error), damaged: error instanceof BackupDamageError });
    }
  });
}

port.on('message', (message: ToWriter) => {
  if (message.type === 'rows') {
    queue.push({ rows: message.rows, count: message.count });
    queuedRows += message.count;
    while (queuedRows > maxQueuedRows && queue.length > 1) {
      const dropped = queue.shift()!;
      queuedRows -= dropped.count;
      post({ type: 'dropped', count: dropped.count });
    }
    if (!retry) drain();
  } else if (message.type === 'backup') {
    backup(message.id, message.dest);
  } else if (message.type === 'close') {
    closing = true;
    clearTimeout(maintenanceTimer);
    clearTimeout(retry);
    retry = undefined;
    void backups.then(() => {
      drain();
      clearTimeout(retry);
      const batches = queue.splice(0);
      const unwritten = batches.reduce((sum, batch) => sum + batch.count, 0);
      db?.close();
      post({ type: 'closed', unwritten, batches }, batches.map((batch) => batch.rows.buffer as ArrayBuffer));
    });
  }
});
post({ type: 'ready', slots: ROW_SLOTS });
scheduleMaintenance(maintenanceSettings === false ? 0 : (maintenanceSettings.intervalMs ?? 1000));
