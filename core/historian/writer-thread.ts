// The historian's writer thread: owns the one connection that writes samples, so a commit's fsync
// (synchronous=FULL, for power-cut safety) never stalls the polling thread. Batches that the disk
// refuses stay queued here and are retried every second; the main thread is told, in numbers.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { createRowInserter, ROW_SLOTS } from './sample-rows.ts';
import type { FromWriter, ToWriter } from './writer-messages.ts';

const port = parentPort!;
const { file, maxQueuedRows } = workerData as { file: string; maxQueuedRows: number };
const db = new Database(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 10000');
const insert = createRowInserter(db);
const queue: { rows: Float64Array; count: number }[] = [];
let queuedRows = 0;
let retry: NodeJS.Timeout | undefined;

const post = (message: FromWriter) => port.postMessage(message);

function drain(): void {
  retry = undefined;
  while (queue.length > 0) {
    const batch = queue[0]!;
    try {
      insert(batch.rows, batch.count);
    } catch (error) {
      post({ type: 'failed', message: error instanceof Error ? error.message : String(error), queuedRows });
      retry = setTimeout(drain, 1000);
      return;
    }
    queue.shift();
    queuedRows -= batch.count;
    post({ type: 'written', count: batch.count });
  }
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
  } else if (message.type === 'close') {
    clearTimeout(retry);
    drain();
    const unwritten = queue.reduce((sum, batch) => sum + batch.count, 0);
    db.close();
    post({ type: 'closed', unwritten });
  }
});
post({ type: 'ready', slots: ROW_SLOTS });
