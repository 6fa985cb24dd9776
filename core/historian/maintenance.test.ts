// The historian's upkeep on a real SQLite file: minute and hour rollups kept a minute behind the
// data, closed hours packed into compressed blocks whose samples read back exactly, and charts
// over a minute to a year answered from the form that suits the range.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../storage/database.ts';
import { makeTempDir, removeDir } from '../test-support.ts';
import { HistorianMaintenance } from './maintenance.ts';
import { RawReader } from './raw-reader.ts';
import { HOUR_MS, MINUTE_MS } from './rollup.ts';
import { TrendReader } from './trend-query.ts';

const T0 = Date.UTC(2026, 4, 4, 6, 0, 0);
let dataDir: string;
let db: Db;

beforeEach(() => {
  dataDir = makeTempDir();
  db = openDatabase(dataDir);
});

afterEach(() => {
  db.close();
  removeDir(dataDir);
});

function addPoint(num: number, config: Record<string, unknown> = {}): void {
  db.prepare("INSERT OR IGNORE INTO devices (id, config, created_at) VALUES ('d', '{}', 0)").run();
  db.prepare('INSERT INTO points (num, id, device_id, config) VALUES (?, ?, ?, ?)').run(num, `d.p${num}`, 'd', JSON.stringify({ scale: 0.1, ...config }));
}

function store(num: number, rows: Iterable<[ts: number, value: number | null, quality?: number]>): number {
  const insert = db.prepare('INSERT INTO samples (point, ts, value, quality) VALUES (?, ?, ?, ?)');
  let count = 0;
  db.transaction(() => {
    for (const [ts, value, quality] of rows) {
      insert.run(num, ts, value, quality ?? (value === null ? 2 : 0));
      count++;
    }
  })();
  return count;
}

/** A temperature-like signal at 1 s: 0.1 steps, stored as it changes. */
function* signal(from: number, seconds: number): Generator<[number, number]> {
  let value = 250;
  for (let second = 0; second < seconds; second++) {
    value += ((second * 7919) % 5) - 2;
    yield [from + second * 1000, Math.round(value) / 10];
  }
}

const count = (sql: string, ...params: unknown[]) => db.prepare(sql).pluck().get(...params) as number;

describe('HistorianMaintenance', () => {
  it('rolls up closed minutes and hours, keeps the newest minutes as plain rows and packs closed hours into blocks', () => {
    addPoint(1);
    const stored = store(1, signal(T0, 3 * 3600));
    const now = T0 + 3 * HOUR_MS + 15 * MINUTE_MS;
    const before = new RawReader(db).read(1, T0, now);
    new HistorianMaintenance(db, { now: () => now, hotMs: 10 * MINUTE_MS }).runUntilIdle();

    // 180 minutes of samples, and two more while the last value holds (maxHoldMs).
    expect(count('SELECT count(*) FROM rollups WHERE resolution = ? AND point = 1', MINUTE_MS)).toBe(182);
    expect(count('SELECT count(*) FROM rollups WHERE resolution = ? AND point = 1', HOUR_MS)).toBe(3);
    // Hours closed before now - 10 min are blocks; nothing is left as plain rows but the hour still open.
    expect(count('SELECT count(*) FROM sample_blocks WHERE point = 1')).toBe(3);
    expect(count('SELECT coalesce(sum(count), 0) FROM sample_blocks WHERE point = 1')).toBe(stored);
    expect(count('SELECT count(*) FROM samples WHERE point = 1')).toBe(0);
    // Every sample reads back exactly.
    expect(new RawReader(db).read(1, T0, now)).toEqual(before);
    const row = db.prepare(`SELECT count, min, max, first, last, covered_ms FROM rollups WHERE resolution = ${HOUR_MS} AND point = 1 AND ts = ?`).get(T0);
    const hour = before.filter((sample) => sample.ts < T0 + HOUR_MS).map((sample) => sample.value);
    expect(row).toEqual({ count: 3600, min: Math.min(...hour), max: Math.max(...hour), first: hour[0], last: hour.at(-1), covered_ms: HOUR_MS });
  });

  it('compressed blocks take a small fraction of the plain rows', () => {
    addPoint(1);
    const stored = store(1, signal(T0, 6 * 3600));
    const blob = () => count('SELECT coalesce(sum(length(data)), 0) FROM sample_blocks');
    new HistorianMaintenance(db, { now: () => T0 + 7 * HOUR_MS }).runUntilIdle();
    expect(blob() / stored).toBeLessThan(2);
  });

  it('a sample written late into an hour already packed is merged into its block at the next step', () => {
    addPoint(1);
    store(1, signal(T0, 3600));
    const maintenance = new HistorianMaintenance(db, { now: () => T0 + 2 * HOUR_MS });
    maintenance.runUntilIdle();
    store(1, [[T0 + 1500, 99]]);
    expect(new RawReader(db).read(1, T0 + 1000, T0 + 2000).map((sample) => sample.value)).toEqual([expect.any(Number), 99, expect.any(Number)]);
    maintenance.runUntilIdle();
    expect(count('SELECT count(*) FROM samples')).toBe(0);
    expect(count('SELECT count(*) FROM sample_blocks')).toBe(1);
    expect(new RawReader(db).read(1, T0 + 1500, T0 + 1500)).toEqual([{ ts: T0 + 1500, value: 99, quality: 0 }]);
  });

  it('does not touch minutes that are not closed yet, and catches up a minute at a time', () => {
    addPoint(1);
    store(1, signal(T0, 300));
    let now = T0 + 90_000;
    const maintenance = new HistorianMaintenance(db, { now: () => now, lateMs: 10_000 });
    maintenance.runUntilIdle();
    expect(db.prepare('SELECT ts FROM rollups WHERE resolution = ? ORDER BY ts').pluck().all(MINUTE_MS)).toEqual([T0]);
    now = T0 + 200_000;
    maintenance.runUntilIdle();
    expect(db.prepare('SELECT ts FROM rollups WHERE resolution = ? ORDER BY ts').pluck().all(MINUTE_MS)).toEqual([T0, T0 + MINUTE_MS, T0 + 2 * MINUTE_MS]);
    expect(count('SELECT count(*) FROM samples')).toBe(300);
  });

  it('counters get their increase per period across a reset, states their time per state', () => {
    addPoint(1, { kind: 'counter', dataType: 'uint16', scale: 1 });
    addPoint(2, { kind: 'state', dataType: 'uint16', scale: 1 });
    store(1, [
      [T0, 100],
      [T0 + 30_000, 110],
      [T0 + 50_000, 3],
      [T0 + 70_000, 65_530],
      [T0 + 80_000, 2],
    ]);
    store(2, [
      [T0, 1],
      [T0 + 45_000, 2],
      [T0 + 60_000, 2],
    ]);
    new HistorianMaintenance(db, { now: () => T0 + 2 * HOUR_MS }).runUntilIdle();
    const increases = db.prepare('SELECT ts, increase FROM rollups WHERE resolution = ? AND point = 1 ORDER BY ts').raw().all(MINUTE_MS);
    expect(increases).toEqual([
      [T0, 10 + 3],
      [T0 + MINUTE_MS, 65_527 + 8],
      [T0 + 2 * MINUTE_MS, 0],
      [T0 + 3 * MINUTE_MS, 0],
    ]);
    expect(count('SELECT increase FROM rollups WHERE resolution = ? AND point = 1', HOUR_MS)).toBe(13 + 65_535);
    const states = db.prepare('SELECT state, ms FROM rollup_states WHERE resolution = ? AND point = 2 ORDER BY state').raw().all(HOUR_MS);
    // State 2 holds from +45 s for at most two minutes after its last sample (+60 s).
    expect(states).toEqual([
      [1, 45_000],
      [2, 135_000],
    ]);
  });
});

describe('TrendReader', () => {
  it('chooses raw, 1-minute and 1-hour forms by range, with about maxPoints points, spikes kept', () => {
    addPoint(1);
    const days = 3;
    const rows: [number, number][] = [];
    for (let minute = 0; minute < days * 24 * 60; minute++) rows.push([T0 + minute * MINUTE_MS, minute % 100]);
    rows.push([T0 + 30 * HOUR_MS + 30_000, 5_000]);
    rows.sort((a, b) => a[0] - b[0]);
    store(1, rows);
    const end = T0 + days * 24 * HOUR_MS;
    new HistorianMaintenance(db, { now: () => end + HOUR_MS }).runUntilIdle();
    const reader = new TrendReader(db);

    const hour = reader.read({ num: 1, from: T0, to: T0 + HOUR_MS - 1, maxPoints: 200 });
    expect(hour).toMatchObject({ resolution: 'raw', bucketMs: 0 });
    expect(hour.points).toHaveLength(60);

    const day = reader.read({ num: 1, from: T0 + 24 * HOUR_MS, to: T0 + 48 * HOUR_MS - 1, maxPoints: 1000 });
    expect(day.resolution).toBe('1m');
    expect(day.points.length).toBeGreaterThan(500);
    expect(day.points.length).toBeLessThanOrEqual(1000);
    expect(Math.max(...day.points.map((point) => point[3] ?? 0))).toBe(5_000);

    const all = reader.read({ num: 1, from: T0, to: end, maxPoints: 60 });
    expect(all.resolution).toBe('1h');
    expect(all.bucketMs).toBe(2 * HOUR_MS);
    expect(all.points).toHaveLength(37);
    expect(Math.max(...all.points.map((point) => point[3] ?? 0))).toBe(5_000);
    // Buckets lie on the period grid, every bucket once (the REAL-division trap would give one per row).
    expect(new Set(all.points.map((point) => point[0] % HOUR_MS))).toEqual(new Set([0]));
  });

  it('reaches the present: the newest samples, not rolled up yet, join the rollups', () => {
    addPoint(1);
    store(1, signal(T0, 2 * 3600));
    new HistorianMaintenance(db, { now: () => T0 + HOUR_MS + 30 * MINUTE_MS }).runUntilIdle();
    const answer = new TrendReader(db).read({ num: 1, from: T0 - 22 * HOUR_MS, to: T0 + 2 * HOUR_MS, maxPoints: 1000 });
    expect(answer.resolution).toBe('1m');
    expect(answer.bucketMs).toBe(2 * MINUTE_MS);
    expect(answer.points).toHaveLength(60);
    expect(answer.points.at(-1)![0]).toBe(T0 + 2 * HOUR_MS - 2 * MINUTE_MS);
  });
});
