// The historian's sustained ingest: 5,000 tags at successive 1 s timestamps, every value changing
// (deadband 0, so every sample is stored), written through the real SampleWriter and its writer
// thread into a database opened (and migrated) as the app opens it, as fast as the writer keeps up —
// beside bare better-sqlite3 inserting the same rows with a prepared statement in 10,000-row
// transactions into its own WITHOUT ROWID (point, ts) table, for the same time. Both files are in
// WAL mode with synchronous=FULL, as the app's connections are (core/storage/database.ts,
// core/historian/writer-thread.ts). Also the process's peak memory (RSS: the polling thread and the
// writer thread) and the bytes on disk per stored sample.
//   BENCH_INGEST_SECONDS (default 60): each side's duration; BENCH_INGEST_TAGS (default 5000);
//   BENCH_INGEST_BACKLOG (default 500,000): samples the feed lets wait for the disk (below 1,000,000).
// The PlantDesk side runs twice: with plant time starting now (live data: the writer thread's upkeep
// finds next to nothing closed meanwhile) and starting a week ago (a backfill: every hour written is
// closed at once, so rollups and compression run beside the ingest the whole time — the sustained
// figure for a historian that keeps up with its upkeep).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DeviceSchema, PointSchema, type Sample } from '../shared/index.ts';
import { silentLogger } from '../core/host.ts';
import { DeviceStore } from '../core/devices/index.ts';
import { SampleWriter, type PointStorage } from '../core/historian/index.ts';
import { openDatabase } from '../core/storage/database.ts';
import type { Benchmark, Figure } from './run.ts';

const SECONDS = Number(process.env.BENCH_INGEST_SECONDS ?? 60);
const TAGS = Number(process.env.BENCH_INGEST_TAGS ?? 5000);
const POINTS_PER_DEVICE = 100;
/** Rows per transaction on the bare side, as the issue states it. */
const REFERENCE_TRANSACTION = 10_000;
/**
 * Back-pressure: samples accepted but not yet committed (SampleWriter.pending) are kept below this.
 * Large enough that the writer thread always has the next batch queued (its 100 ms flush timer must
 * not leave it idle), far below the writer's own bound (maxPending, 1,000,000) so nothing is dropped.
 */
const BACKLOG = Number(process.env.BENCH_INGEST_BACKLOG ?? 500_000);
const WRITER_SCRIPT = new URL('../core/historian/writer-thread.ts', import.meta.url);
const PRAGMAS = 'journal_mode=WAL, synchronous=FULL';

/** Tag `index`'s value at step `step`: a slow wave per tag, never the same two seconds running. */
const valueAt = (index: number, step: number) => 50 + (index % 50) + 10 * Math.sin((step + index) / 30);

const mb = (bytes: number) => bytes / 1024 / 1024;
const sizeOf = (file: string) => (fs.existsSync(file) ? fs.statSync(file).size : 0);
/** The database file and its WAL, in bytes. */
const onDisk = (file: string) => ({ db: sizeOf(file), wal: sizeOf(`${file}-wal`) });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Run {
  rate: number;
  cpuPerThousandMicros: number;
  stored: number;
  bytesAtEnd: number;
  bytesAfterCheckpoint: number;
}

/** Bare better-sqlite3: one connection, a one-row prepared INSERT, 10,000 rows per transaction. */
function runReference(dir: string, t0: number): Run {
  const file = path.join(dir, 'reference.db');
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE samples(point INTEGER, ts INTEGER, value REAL, quality INTEGER, PRIMARY KEY(point, ts)) WITHOUT ROWID');
    const insert = db.prepare('INSERT INTO samples (point, ts, value, quality) VALUES (?, ?, ?, ?)');
    // Row r: tag r % TAGS at step ⌊r / TAGS⌋ — every tag at one timestamp, then the next second.
    const batch = db.transaction((from: number) => {
      for (let row = from; row < from + REFERENCE_TRANSACTION; row++) {
        const index = row % TAGS;
        const step = Math.floor(row / TAGS);
        insert.run(index + 1, t0 + step * 1000, valueAt(index, step), 0);
      }
    });
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const deadline = started + SECONDS * 1000;
    let rows = 0;
    while (performance.now() < deadline) {
      batch(rows);
      rows += REFERENCE_TRANSACTION;
    }
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const stored = db.prepare('SELECT count(*) FROM samples').pluck().get() as number;
    const end = onDisk(file);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const checkpointed = onDisk(file);
    return {
      rate: (rows / wallMs) * 1000,
      cpuPerThousandMicros: ((cpu.user + cpu.system) / rows) * 1000,
      stored,
      bytesAtEnd: (end.db + end.wal) / stored,
      bytesAfterCheckpoint: (checkpointed.db + checkpointed.wal) / stored,
    };
  } finally {
    db.close();
  }
}

/** PlantDesk: openDatabase (migrations), points saved as the app saves them, SampleWriter on its writer thread. */
async function runPlantDesk(dataDir: string, t0: number) {
  const db = openDatabase(dataDir);
  try {
    const store = new DeviceStore(db, silentLogger);
    const deviceCount = Math.ceil(TAGS / POINTS_PER_DEVICE);
    const devices = Array.from({ length: deviceCount }, (_, index) =>
      DeviceSchema.parse({ id: `d${index}`, name: `Device ${index}`, connection: { kind: 'tcp', host: '127.0.0.1', port: 502 }, unitId: 1 + (index % 247) }),
    );
    const points = Array.from({ length: TAGS }, (_, index) => {
      const device = devices[Math.floor(index / POINTS_PER_DEVICE)]!;
      const number = index % POINTS_PER_DEVICE;
      return PointSchema.parse({ id: `${device.id}.p${number}`, deviceId: device.id, name: `P${number}`, address: number, dataType: 'float32', deadband: 0 });
    });
    store.saveAll(devices, points);
    // The writer's lookup, as the core builds it: point id → its number in the samples table and deadband.
    const index = new Map<string, PointStorage>();
    for (const point of store.listPoints()) index.set(point.id, point);
    const ids = points.map((point) => point.id);
    if (ids.some((id) => !index.has(id))) throw new Error('not every point was stored');
    db.pragma('wal_checkpoint(TRUNCATE)');
    const empty = onDisk(db.name);

    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 100);

    let committed = 0;
    let commits = 0;
    let wake: (() => void) | undefined;
    const writer = new SampleWriter(db, (id) => index.get(id), silentLogger, {
      thread: { script: WRITER_SCRIPT, file: db.name },
      onWritten: (count) => {
        committed += count;
        commits++;
        if (wake && writer.pending < BACKLOG) {
          const resume = wake;
          wake = undefined;
          resume();
        }
      },
    });
    let appended = 0;
    let accepted = 0;
    let step = 0;
    const appendStep = () => {
      const samples: Sample[] = new Array(TAGS);
      const ts = t0 + step * 1000;
      for (let tag = 0; tag < TAGS; tag++) samples[tag] = { pointId: ids[tag]!, ts, value: valueAt(tag, step), quality: 'good' };
      accepted += writer.append(samples);
      appended += TAGS;
      step++;
    };

    try {
      // Warm-up, outside the clock: the writer thread starts and opens its connection (once, at app start).
      appendStep();
      while (committed < TAGS) await sleep(5);

      const committedBefore = committed;
      const commitsBefore = commits;
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      let stop = false;
      const window = new Promise<{ wallMs: number; samples: number; commits: number; cpuMicros: number }>((resolve) => {
        setTimeout(() => {
          stop = true;
          const cpu = process.cpuUsage(cpuBefore);
          resolve({ wallMs: performance.now() - started, samples: committed - committedBefore, commits: commits - commitsBefore, cpuMicros: cpu.user + cpu.system });
          wake?.();
        }, SECONDS * 1000);
      });
      // One second of every tag per turn of the event loop (so the writer's flush timer and the
      // thread's acknowledgements get their turn), pausing while the backlog is full.
      const feed = () => {
        if (stop) return;
        if (writer.pending >= BACKLOG) {
          wake = () => setImmediate(feed);
          return;
        }
        appendStep();
        setImmediate(feed);
      };
      feed();
      const measured = await window;
      await writer.close();
      clearInterval(sampler);
      peakRss = Math.max(peakRss, process.memoryUsage().rss);

      if (accepted !== appended) throw new Error(`only ${accepted} of ${appended} samples were worth storing: the test values do not change every second`);
      const stored =
        (db.prepare('SELECT count(*) FROM samples').pluck().get() as number) +
        (db.prepare('SELECT coalesce(sum(count), 0) FROM sample_blocks').pluck().get() as number);
      if (stored !== accepted) throw new Error(`${stored} samples in the file, ${accepted} accepted`);
      const end = onDisk(db.name);
      db.pragma('wal_checkpoint(TRUNCATE)');
      const checkpointed = onDisk(db.name);
      return {
        run: {
          rate: (measured.samples / measured.wallMs) * 1000,
          cpuPerThousandMicros: (measured.cpuMicros / measured.samples) * 1000,
          stored,
          bytesAtEnd: (end.db + end.wal) / stored,
          bytesAfterCheckpoint: (checkpointed.db + checkpointed.wal) / stored,
        } satisfies Run,
        rowsPerCommit: measured.samples / Math.max(1, measured.commits),
        peakRssMb: mb(peakRss),
        rssBeforeMb: mb(rssBefore),
        emptyFileMb: mb(empty.db + empty.wal),
      };
    } finally {
      clearInterval(sampler);
      await writer.close();
    }
  } finally {
    db.close();
  }
}

export const benchmark: Benchmark = {
  title: `Historian ingest: ${TAGS} tags at successive 1 s timestamps, ${SECONDS} s each side, ${PRAGMAS} on both`,
  async run() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plantdesk-bench-ingest-'));
    try {
      // Plant time starts now and runs ahead of the clock: every sample of a second, then the next second.
      const t0 = Math.floor(Date.now() / 1000) * 1000;
      const referenceDir = path.join(dir, 'reference');
      fs.mkdirSync(referenceDir);
      const bare = runReference(referenceDir, t0);
      // Its file goes before the PlantDesk run, so its pages are not being written back meanwhile.
      fs.rmSync(referenceDir, { recursive: true, force: true });
      const app = await runPlantDesk(path.join(dir, 'plantdesk'), t0);
      const backfill = await runPlantDesk(path.join(dir, 'backfill'), t0 - 7 * 24 * 3_600_000);
      const share = (app.run.rate / bare.rate) * 100;
      const backfillShare = (backfill.run.rate / bare.rate) * 100;
      const figures: Figure[] = [
        {
          name: 'samples/s through SampleWriter + writer thread',
          value: app.run.rate,
          unit: '/s',
          target: '≥ 75 % of bare',
          reference: `bare better-sqlite3 ${bare.rate.toFixed(0)} rows/s in ${REFERENCE_TRANSACTION}-row transactions`,
        },
        { name: 'ingest rate as a share of bare better-sqlite3', value: share, unit: '%', target: '≥ 75 %' },
        {
          name: 'backfill: samples/s with rollups + compression running',
          value: backfill.run.rate,
          unit: '/s',
          target: '≥ 75 % of bare',
          reference: `${backfillShare.toFixed(0)} % of bare; every hour written is closed at once`,
        },
        { name: 'rows per writer-thread transaction (mean)', value: app.rowsPerCommit, unit: 'rows', reference: `bare ${REFERENCE_TRANSACTION}` },
        { name: 'CPU per 1,000 samples, both threads', value: app.run.cpuPerThousandMicros, unit: 'µs', reference: `bare ${bare.cpuPerThousandMicros.toFixed(0)} µs` },
        {
          name: 'core peak memory (RSS, both threads)',
          value: Math.max(app.peakRssMb, backfill.peakRssMb),
          unit: 'MB',
          target: '≤ 300 MB',
          reference: `${app.rssBeforeMb.toFixed(0)} MB before the writer started`,
        },
        { name: 'samples stored', value: app.run.stored, unit: 'rows', reference: `bare ${bare.stored}` },
        {
          name: 'bytes/sample on disk at the end (db + WAL)',
          value: app.run.bytesAtEnd,
          unit: 'B',
          reference: `bare ${bare.bytesAtEnd.toFixed(1)} B; file with no samples ${app.emptyFileMb.toFixed(1)} MB`,
        },
        {
          name: 'bytes/sample on disk after wal_checkpoint(TRUNCATE)',
          value: app.run.bytesAfterCheckpoint,
          unit: 'B',
          reference: `bare ${bare.bytesAfterCheckpoint.toFixed(1)} B; plain rows (live data, not compressed yet)`,
        },
        {
          name: 'backfill: bytes/sample after checkpoint',
          value: backfill.run.bytesAfterCheckpoint,
          unit: 'B',
          reference: 'closed hours compressed while ingesting, with their rollups; random test values compress worst',
        },
      ];
      return figures;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
