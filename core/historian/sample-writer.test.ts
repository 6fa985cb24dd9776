// The historian's writer against a real SQLite file: what gets stored (deadband, heartbeat, quality),
// that a flush is all-or-nothing, that samples wait in memory while the database refuses writes, and
// that what was written is still there after the file is closed and opened again.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Quality, Sample } from '../../shared/index.ts';
import { silentLogger, type Logger } from '../host.ts';
import { DATABASE_FILE, openDatabase, type Db } from '../storage/database.ts';
import { makeTempDir, removeDir, waitFor } from '../test-support.ts';
import { SampleWriter, qualityFromCode, type PointStorage, type SampleWriterOptions } from './sample-writer.ts';

const POINTS: Record<string, PointStorage> = {
  speed: { num: 1, deadband: 0 },
  temperature: { num: 2, deadband: 0.5 },
};

const T0 = Date.UTC(2026, 4, 4, 8, 0, 0);

let dataDir: string;
let db: Db;
const writers: SampleWriter[] = [];

beforeEach(() => {
  dataDir = makeTempDir();
  db = openDatabase(dataDir);
});

afterEach(() => {
  for (const writer of writers.splice(0)) writer.close();
  if (db.open) db.close();
  removeDir(dataDir);
});

function makeWriter(options: SampleWriterOptions = {}, logger: Logger = silentLogger): SampleWriter {
  const writer = new SampleWriter(db, (id) => POINTS[id], logger, { flushIntervalMs: 0, ...options });
  writers.push(writer);
  return writer;
}

const sample = (pointId: string, ts: number, value: number | string | null, quality: Quality = 'good'): Sample => ({
  pointId,
  ts,
  value,
  quality,
});

function storedRows(num: number, database: Db = db): { ts: number; value: number | null; quality: Quality }[] {
  const rows = database.prepare('SELECT ts, value, quality FROM samples WHERE point = ? ORDER BY ts').all(num) as {
    ts: number;
    value: number | null;
    quality: number;
  }[];
  return rows.map((row) => ({ ts: row.ts, value: row.value, quality: qualityFromCode(row.quality) }));
}

describe('what is worth storing', () => {
  it('stores the first value, then only changes: a repeated value is not stored', () => {
    const writer = makeWriter();
    expect(writer.append([sample('speed', T0, 1500)])).toBe(1);
    expect(writer.append([sample('speed', T0 + 1000, 1500), sample('speed', T0 + 2000, 1500)])).toBe(0);
    expect(writer.append([sample('speed', T0 + 3000, 1501)])).toBe(1);
    writer.flush();
    expect(storedRows(1).map((row) => [row.ts, row.value])).toEqual([
      [T0, 1500],
      [T0 + 3000, 1501],
    ]);
  });

  it('a change within the deadband is not stored; a change beyond it is, measured from the last stored value', () => {
    const writer = makeWriter();
    writer.append([
      sample('temperature', T0, 220.0),
      sample('temperature', T0 + 1000, 220.4), // within 0.5 of 220.0
      sample('temperature', T0 + 2000, 220.5), // exactly the deadband: not beyond it
      sample('temperature', T0 + 3000, 219.6), // within 0.5 of the stored 220.0, though far from 220.5
      sample('temperature', T0 + 4000, 220.6), // beyond
      sample('temperature', T0 + 5000, 220.0), // beyond, downwards
    ]);
    writer.flush();
    expect(storedRows(2).map((row) => row.value)).toEqual([220.0, 220.6, 220.0]);
  });

  it('a steady value is stored again after the heartbeat, so a flat line differs from a dead device', () => {
    const writer = makeWriter({ heartbeatMs: 60_000 });
    for (let second = 0; second <= 180; second++) writer.append([sample('speed', T0 + second * 1000, 1200)]);
    writer.flush();
    expect(storedRows(1).map((row) => row.ts)).toEqual([T0, T0 + 60_000, T0 + 120_000, T0 + 180_000]);
  });

  it('a change of quality is always stored: good → bad (null) → bad (not again) → good', () => {
    const writer = makeWriter();
    writer.append([
      sample('speed', T0, 800),
      sample('speed', T0 + 1000, null, 'bad'),
      sample('speed', T0 + 2000, null, 'bad'),
      sample('speed', T0 + 3000, 800, 'stale'),
      sample('speed', T0 + 4000, 800, 'good'),
    ]);
    writer.flush();
    expect(storedRows(1)).toEqual([
      { ts: T0, value: 800, quality: 'good' },
      { ts: T0 + 1000, value: null, quality: 'bad' },
      { ts: T0 + 3000, value: 800, quality: 'stale' },
      { ts: T0 + 4000, value: 800, quality: 'good' },
    ]);
  });

  it('samples that arrive late or twice for the same time are ignored', () => {
    const writer = makeWriter();
    writer.append([sample('speed', T0 + 5000, 10)]);
    expect(writer.append([sample('speed', T0 + 5000, 11), sample('speed', T0 + 4000, 12)])).toBe(0);
    writer.flush();
    expect(storedRows(1).map((row) => row.value)).toEqual([10]);
  });

  it('text values are live only and unknown points are skipped', () => {
    const writer = makeWriter();
    expect(writer.append([sample('speed', T0, 'O1234'), sample('no-such-point', T0, 5)])).toBe(0);
    expect(writer.flush()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM samples').pluck().get()).toBe(0);
  });

  it('each point is judged on its own history', () => {
    const writer = makeWriter();
    writer.append([sample('speed', T0, 5), sample('temperature', T0, 5)]);
    expect(writer.append([sample('speed', T0 + 1000, 5.2), sample('temperature', T0 + 1000, 5.2)])).toBe(1);
    writer.flush();
    expect(storedRows(1)).toHaveLength(2);
    expect(storedRows(2)).toHaveLength(1);
  });
});

describe('flushing', () => {
  it('nothing reaches the file before a flush; a flush writes the whole batch', () => {
    const writer = makeWriter();
    writer.append(Array.from({ length: 500 }, (_, index) => sample('speed', T0 + index * 1000, index)));
    expect(writer.pending).toBe(500);
    expect(storedRows(1)).toHaveLength(0);
    expect(writer.flush()).toBe(500);
    expect(writer.pending).toBe(0);
    expect(writer.written).toBe(500);
    expect(storedRows(1)).toHaveLength(500);
  });

  it('a flush is one transaction: if one row is refused, none of the batch is stored, and all of it is retried', () => {
    const writer = makeWriter();
    db.exec(`CREATE TRIGGER refuse_poison BEFORE INSERT ON samples WHEN NEW.value = -999
             BEGIN SELECT RAISE(ABORT, 'refused'); END`);
    writer.append([sample('speed', T0, 1), sample('speed', T0 + 1000, 2), sample('speed', T0 + 2000, -999)]);
    expect(writer.flush()).toBe(0);
    expect(storedRows(1)).toHaveLength(0);
    expect(writer.pending).toBe(3);

    db.exec('DROP TRIGGER refuse_poison');
    expect(writer.flush()).toBe(3);
    expect(storedRows(1).map((row) => row.value)).toEqual([1, 2, -999]);
  });

  it('while another program holds the database locked, samples are kept and written once the lock is gone', () => {
    const errors: string[] = [];
    const logger: Logger = { ...silentLogger, error: (message) => errors.push(message) };
    db.pragma('busy_timeout = 0');
    const writer = makeWriter({}, logger);
    const other = new Database(path.join(dataDir, DATABASE_FILE));
    try {
      other.exec('BEGIN IMMEDIATE');
      writer.append([sample('speed', T0, 1), sample('speed', T0 + 1000, 2)]);
      expect(writer.flush()).toBe(0);
      writer.append([sample('speed', T0 + 2000, 3)]);
      expect(writer.flush()).toBe(0);
      expect(writer.pending).toBe(3);
      expect(errors).toHaveLength(1); // reported once, not once per retry
      other.exec('ROLLBACK');
    } finally {
      other.close();
    }
    expect(writer.flush()).toBe(3);
    expect(storedRows(1).map((row) => row.value)).toEqual([1, 2, 3]);
  });

  it('beyond maxPending the oldest samples are dropped, the newest kept', () => {
    const errors: Record<string, unknown>[] = [];
    const writer = makeWriter({ maxPending: 3 }, { ...silentLogger, error: (_message, fields) => errors.push(fields ?? {}) });
    writer.append([1, 2, 3, 4, 5].map((value) => sample('speed', T0 + value * 1000, value)));
    expect(writer.pending).toBe(3);
    expect(errors).toEqual([{ dropped: 2 }]);
    writer.flush();
    expect(storedRows(1).map((row) => row.value)).toEqual([3, 4, 5]);
  });

  it('flushes by itself on its interval', async () => {
    const writer = makeWriter({ flushIntervalMs: 20 });
    writer.append([sample('speed', T0, 42)]);
    await waitFor(() => storedRows(1).length === 1, 2000, { what: 'the periodic flush' });
    expect(writer.pending).toBe(0);
  });

  it('close() writes what is pending, and the samples are there after the file is opened again', () => {
    const writer = makeWriter({ flushIntervalMs: 60_000 });
    writer.append([sample('speed', T0, 1), sample('speed', T0 + 1000, 2), sample('temperature', T0, 20.5)]);
    writer.close();
    db.close();

    db = openDatabase(dataDir);
    expect(storedRows(1).map((row) => [row.ts, row.value])).toEqual([
      [T0, 1],
      [T0 + 1000, 2],
    ]);
    expect(storedRows(2).map((row) => row.value)).toEqual([20.5]);
  });
});
