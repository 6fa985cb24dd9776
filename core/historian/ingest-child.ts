// Used only by kill.test.ts: a historian writer as the core runs it (SampleWriter on its writer
// thread, against a real database file) ingesting a numbered sequence of samples as fast as the
// writer takes them. After each committed batch it prints the highest sequence number on disk, so the
// test, which kills this process with SIGKILL at random moments, knows what must have survived.
//   node core/historian/ingest-child.ts <dataDir>
import { silentLogger } from '../host.ts';
import { openDatabase } from '../storage/database.ts';
import { SampleWriter } from './sample-writer.ts';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: ingest-child.ts <dataDir>');

const db = openDatabase(dataDir);
// The sequence goes on from what an earlier (killed) run left: sample n has time n and value n.
const start = (db.prepare('SELECT max(ts) FROM samples WHERE point = 1').pluck().get() as number | null) ?? 0;
let acknowledged = start;
const writer = new SampleWriter(db, () => ({ num: 1, deadband: 0 }), silentLogger, {
  flushIntervalMs: 5,
  maxPending: 10_000_000,
  thread: { script: new URL('./writer-thread.ts', import.meta.url), file: db.name },
  onWritten: (count) => {
    acknowledged += count;
    // Synchronous on a pipe (Linux): printed before the next batch is acknowledged.
    process.stdout.write(`acked ${acknowledged}\n`);
  },
});

let next = start + 1;
function ingest(): void {
  // Keep the writer busy without letting the queue grow without bound.
  if (writer.pending < 20_000) {
    const samples = [];
    for (let index = 0; index < 500; index++, next++) samples.push({ pointId: 'seq', ts: next, value: next, quality: 'good' as const });
    writer.append(samples);
  }
  setImmediate(ingest);
}
process.stdout.write(`ready ${start}\n`);
ingest();
