// Used only by kill.test.ts: a historian writer as the core runs it (SampleWriter on its writer
// thread, against a real database file) ingesting a numbered sequence of samples as fast as the
// writer takes them, while the thread's upkeep rolls up and compresses what is closed (the sequence
// lies in 1970, so every hour of it is closed at once). After each committed batch it prints the highest sequence number on disk, so the
// test, which kills this process with SIGKILL at random moments, knows what must have survived.
//   node core/historian/ingest-child.ts <dataDir>
import { silentLogger } from '../host.ts';
import { openDatabase } from '../storage/database.ts';
import { RawReader } from './raw-reader.ts';
import { SampleWriter } from './sample-writer.ts';

/** Sample n of the sequence: time n × STEP_MS, value n. */
const STEP_MS = 20;

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: ingest-child.ts <dataDir>');

const db = openDatabase(dataDir);
db.prepare("INSERT OR IGNORE INTO devices (id, config, created_at) VALUES ('seq', '{}', 0)").run();
db.prepare("INSERT OR IGNORE INTO points (num, id, device_id, config) VALUES (1, 'seq', 'seq', '{}')").run();
// The sequence goes on from what an earlier (killed) run left, in plain rows or compressed blocks.
const start = (new RawReader(db).read(1, 0, Number.MAX_SAFE_INTEGER).at(-1)?.value ?? 0);
let acknowledged = start;
const writer = new SampleWriter(db, () => ({ num: 1, deadband: 0 }), silentLogger, {
  flushIntervalMs: 5,
  maxPending: 10_000_000,
  thread: { script: new URL('./writer-thread.ts', import.meta.url), file: db.name, maintenance: { intervalMs: 10 } },
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
    for (let index = 0; index < 500; index++, next++) samples.push({ pointId: 'seq', ts: next * STEP_MS, value: next, quality: 'good' as const });
    writer.append(samples);
  }
  setImmediate(ingest);
}
process.stdout.write(`ready ${start}\n`);
ingest();
