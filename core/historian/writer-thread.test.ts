// The historian writer on its writer thread against a real file: a database that refuses to grow
// (SQLITE_FULL, as on a full disk) keeps every row and writes them once space is freed; rows it still
// refuses at close come back to the caller; an online backup taken while samples pour in is an
// intact copy holding everything committed before it; and a writer without a database holds the
// newest rows, bounded.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sample } from '../../shared/index.ts';
import { silentLogger } from '../host.ts';
import { openDatabase, type Db } from '../storage/database.ts';
import { makeTempDir, removeDir, waitFor } from '../test-support.ts';
import { RawReader } from './raw-reader.ts';
import { SampleWriter, type SampleWriterOptions, type WriteProblem } from './sample-writer.ts';

const SCRIPT = new URL('./writer-thread.ts', import.meta.url);
const POINT = { num: 1, deadband: 0 };

let dataDir: string;
let db: Db;
const writers: SampleWriter[] = [];

beforeEach(() => {
  dataDir = makeTempDir();
  db = openDatabase(dataDir);
});

afterEach(async () => {
  for (const writer of writers.splice(0)) await writer.close();
  if (db.open) db.close();
  removeDir(dataDir);
});

function threadWriter(options: SampleWriterOptions & { maxPageCount?: number } = {}): SampleWriter {
  const { maxPageCount, ...rest } = options;
  const writer = new SampleWriter(db, () => POINT, silentLogger, {
    flushIntervalMs: 10,
    thread: { script: SCRIPT, file: db.name, maxPageCount },
    ...rest,
  });
  writers.push(writer);
  return writer;
}

/** Samples numbered from..to (inclusive): time n, value n. */
const numbered = (from: number, to: number): Sample[] =>
  Array.from({ length: to - from + 1 }, (_, index) => ({ pointId: 'p', ts: from + index, value: from + index, quality: 'good' as const }));

/** Samples stored, as plain rows or packed into blocks by the upkeep (these samples lie in 1970: every hour is closed). */
const storedCount = (database: Db = db) =>
  database.prepare('SELECT (SELECT count(*) FROM samples) + (SELECT coalesce(sum(count), 0) FROM sample_blocks)').pluck().get() as number;

describe('a database that may not grow (SQLITE_FULL)', () => {
  it('keeps every row, says why, and writes them all once space is freed', async () => {
    // Ballast the "disk" holds; the writer's connection may not grow the file past its size now.
    db.exec('CREATE TABLE ballast (junk BLOB)');
    const fillBallast = db.prepare('INSERT INTO ballast VALUES (randomblob(3000))');
    for (let row = 0; row < 60; row++) fillBallast.run();
    const pages = db.pragma('page_count', { simple: true }) as number;
    const problems: (WriteProblem | null)[] = [];
    const writer = threadWriter({ maxPageCount: pages, onProblem: (problem) => problems.push(problem) });

    writer.append(numbered(1, 3000));
    await waitFor(() => problems.length > 0, 5000, { what: 'the writer to report the full database' });
    expect(problems[0]).toMatchObject({ code: 'SQLITE_FULL' });
    expect(problems[0]!.message).toMatch(/full/);
    expect(writer.pending).toBe(3000);
    writer.append(numbered(3001, 3500));

    // The user frees space: the ballast's pages become free pages inside the file.
    db.exec('DROP TABLE ballast');
    await waitFor(() => writer.pending === 0, 8000, { what: 'every held row written after space was freed' });
    expect(problems.at(-1)).toBeNull();
    expect(writer.written).toBe(3500);
    expect(storedCount()).toBe(3500);
    expect(db.prepare('SELECT min(ts), max(ts) FROM samples').raw().get()).toEqual([1, 3500]);
  });

  it('rows still refused at close come back, oldest first, for the next writer to take over', async () => {
    const pages = db.pragma('page_count', { simple: true }) as number;
    const writer = threadWriter({ maxPageCount: pages });
    writer.append(numbered(1, 2000));
    await waitFor(() => writer.problem?.code === 'SQLITE_FULL', 5000, { what: 'SQLITE_FULL' });
    writer.append(numbered(2001, 2100));
    await writer.close();
    const { rows, count } = writer.takeUnwritten();
    expect(count + storedCount()).toBe(2100);
    const times = Array.from({ length: count }, (_, row) => rows[row * 4 + 1]);
    expect(times).toEqual([...times].sort((a, b) => a! - b!));
    expect(times.at(-1)).toBe(2100);

    const next = new SampleWriter(db, () => POINT, silentLogger, { flushIntervalMs: 0 });
    next.adopt(rows, count);
    expect(next.flush()).toBe(count);
    expect(storedCount()).toBe(2100);
  });
});

describe('online backup on the writer thread', () => {
  it('taken while samples pour in, it is intact and holds everything committed before it started', async () => {
    let acknowledged = 0;
    const writer = threadWriter({ flushIntervalMs: 5, onWritten: (count) => (acknowledged += count) });
    let next = 1;
    const pour = setInterval(() => {
      if (writer.pending < 20_000) {
        writer.append(numbered(next, next + 999));
        next += 1000;
      }
    }, 1);
    try {
      await waitFor(() => acknowledged >= 50_000, 10_000, { what: '50 000 samples committed' });
      const committedBefore = storedCount();
      const dest = path.join(dataDir, 'backups', 'plantdesk-20261124-020000.db');
      fs.mkdirSync(path.dirname(dest));
      const sizeBytes = await writer.backup(dest);
      const stillPouring = acknowledged;
      await waitFor(() => acknowledged > stillPouring, 5000, { what: 'ingest to go on after the backup' });

      expect(sizeBytes).toBe(fs.statSync(dest).size);
      expect(fs.readdirSync(path.dirname(dest))).toEqual(['plantdesk-20261124-020000.db']);
      const copy = new Database(dest, { readonly: true });
      try {
        expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
        // Plain rows and, for hours the upkeep packed meanwhile (the samples lie in 1970), blocks.
        const samples = new RawReader(copy).read(POINT.num, 0, Number.MAX_SAFE_INTEGER);
        expect(samples.length).toBeGreaterThanOrEqual(committedBefore);
        // A consistent snapshot: whole batches, 1..last without a gap.
        expect(samples[0]!.ts).toBe(1);
        expect(samples.length).toBe(samples.at(-1)!.ts);
      } finally {
        copy.close();
      }
    } finally {
      clearInterval(pour);
    }
  });
});

describe('a writer without a database', () => {
  it('writes nothing and holds the newest maxPending rows until they are taken', () => {
    const writer = new SampleWriter(undefined, () => POINT, silentLogger, { flushIntervalMs: 0, maxPending: 1000 });
    expect(writer.writes).toBe(false);
    writer.append(numbered(1, 1500));
    expect(writer.flush()).toBe(0);
    expect(writer.pending).toBe(1000);
    const { rows, count } = writer.takeUnwritten();
    expect(count).toBe(1000);
    expect([rows[1], rows[(count - 1) * 4 + 1]]).toEqual([501, 1500]);
    expect(writer.pending).toBe(0);
  });
});
