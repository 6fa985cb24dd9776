// The historian's retention on a database of some millions of rows: how long the Storage panel's
// figures take (historian.retention), how close its estimates come to exact counts, and how long one
// retention step holds the writer's transaction while it removes old history.
// RETENTION_BENCH_POINTS and RETENTION_BENCH_DAYS change the size (default 100 points, 45 days:
// about 8 million rows, 1 GB); RETENTION_BENCH_DIR keeps the generated file for another run.
import fs from 'node:fs';
import { retentionStatus, retentionStep } from '../core/historian/retention.ts';
import { openDatabase, databaseFile, type Db } from '../core/storage/database.ts';
import { DEFAULT_RETENTION } from '../core/storage/settings.ts';
import { makeTempDir, removeDir } from '../core/test-support.ts';
import type { RetentionSettings } from '../shared/index.ts';
import { percentile } from './support.ts';
import type { Benchmark, Figure } from './run.ts';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1);

/** Fills `db` with `points` points (one in ten a state point, one in ten a counter) and `days` of history in every form. */
export function generateHistory(db: Db, points: number, days: number, now = NOW): void {
  const start = now - days * DAY - HOUR;
  const blockEnd = now - HOUR;
  db.prepare("INSERT INTO devices (id, config, created_at) VALUES ('bench', '{}', 0)").run();
  const point = db.prepare("INSERT INTO points (num, id, device_id, config) VALUES (?, ?, 'bench', ?)");
  const sample = db.prepare('INSERT INTO samples (point, ts, value, quality) VALUES (?, ?, ?, 0)');
  const block = db.prepare('INSERT INTO sample_blocks (point, start_ts, end_ts, count, data) VALUES (?, ?, ?, ?, ?)');
  const rollup = db.prepare(
    'INSERT INTO rollups (resolution, point, ts, count, min, max, first, last, sum, twa, covered_ms, increase) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const state = db.prepare('INSERT INTO rollup_states (resolution, point, ts, state, ms) VALUES (?, ?, ?, ?, ?)');
  const progress = db.prepare('INSERT INTO rollup_progress (point, minute_done, hour_done) VALUES (?, ?, ?)');
  const noise = Buffer.alloc(8192);
  for (let index = 0; index < noise.length; index++) noise[index] = (index * 2_654_435_761) >>> 24;
  let pending = 0;
  db.exec('BEGIN');
  const tick = () => {
    if (++pending < 200_000) return;
    db.exec('COMMIT');
    db.exec('BEGIN');
    pending = 0;
  };
  for (let num = 1; num <= points; num++) {
    const kind = num % 10 === 0 ? 'state' : num % 10 === 5 ? 'counter' : 'analog';
    point.run(num, `bench.p${num}`, JSON.stringify({ id: `bench.p${num}`, deviceId: 'bench', kind }));
    progress.run(num, blockEnd, blockEnd);
    for (let ts = blockEnd; ts < now; ts += 1000) {
      sample.run(num, ts, Math.sin(ts / 1e6) * 100);
      tick();
    }
    for (let hour = start; hour < blockEnd; hour += HOUR) {
      const count = 600 + ((hour / HOUR + num) % 3000);
      block.run(num, hour, hour + HOUR - 1000, count, noise.subarray(0, 200 + Math.floor(count / 2)));
      tick();
      rollup.run(HOUR, num, hour, count, 1, 2, 1, 2, count * 1.5, 1.5, HOUR, kind === 'counter' ? 10 : null);
      tick();
      if (kind === 'state') {
        state.run(HOUR, num, hour, 0, HOUR / 3);
        state.run(HOUR, num, hour, 1, (2 * HOUR) / 3);
      }
      for (let minute = hour; minute < hour + HOUR; minute += MINUTE) {
        rollup.run(MINUTE, num, minute, 60, Math.random(), 1 + Math.random(), 0.5, 0.7, 60 * Math.random(), Math.random(), MINUTE, kind === 'counter' ? 1 : null);
        tick();
        if (kind === 'state') {
          state.run(MINUTE, num, minute, 0, 20_000);
          state.run(MINUTE, num, minute, 1, 40_000);
          tick();
        }
      }
    }
  }
  db.exec('COMMIT');
  db.pragma('wal_checkpoint(TRUNCATE)');
}

function timed<T>(work: () => T): { result: T; ms: number } {
  const started = performance.now();
  const result = work();
  return { result, ms: performance.now() - started };
}

export const benchmark: Benchmark = {
  title: 'Historian retention: Storage panel figures and removal steps on a large database',
  async run() {
    const points = Number(process.env.RETENTION_BENCH_POINTS ?? 100);
    const days = Number(process.env.RETENTION_BENCH_DAYS ?? 45);
    const kept = process.env.RETENTION_BENCH_DIR;
    const dir = kept ?? makeTempDir('plantdesk-retention-bench-');
    const fresh = !fs.existsSync(databaseFile(dir));
    const db = openDatabase(dir);
    const figures: Figure[] = [];
    try {
      if (fresh) {
        const generated = timed(() => generateHistory(db, points, days));
        figures.push({ name: 'generate the database', value: generated.ms / 1000, unit: 's' });
      }
      const file = databaseFile(dir);
      const settings: RetentionSettings = {
        ...DEFAULT_RETENTION,
        analog: { rawDays: 30, minuteDays: 40, hourDays: null },
      };
      const exact = {
        raw:
          (db.prepare('SELECT count(*) FROM samples').pluck().get() as number) +
          (db.prepare('SELECT total(count) FROM sample_blocks').pluck().get() as number),
        '1m': db.prepare('SELECT (SELECT count(*) FROM rollups WHERE resolution = 60000) + (SELECT count(*) FROM rollup_states WHERE resolution = 60000)').pluck().get() as number,
        '1h': db.prepare('SELECT (SELECT count(*) FROM rollups WHERE resolution = 3600000) + (SELECT count(*) FROM rollup_states WHERE resolution = 3600000)').pluck().get() as number,
      };
      const tableRows = (db.prepare("SELECT (SELECT count(*) FROM samples) + (SELECT count(*) FROM sample_blocks) + (SELECT count(*) FROM rollups) + (SELECT count(*) FROM rollup_states)").pluck().get() as number);
      figures.push({ name: 'history rows in the file', value: tableRows / 1e6, unit: 'M rows' });
      figures.push({ name: 'database file', value: fs.statSync(file).size / 1e6, unit: 'MB' });
      const first = timed(() => retentionStatus(db, file, settings, NOW));
      const times: number[] = [];
      for (let run = 0; run < 7; run++) times.push(timed(() => retentionStatus(db, file, settings, NOW)).ms);
      figures.push({ name: 'historian.retention figures, first call', value: first.ms, unit: 'ms', target: '< 100 ms' });
      figures.push({ name: 'historian.retention figures, median of 7', value: percentile(times, 0.5), unit: 'ms', target: '< 100 ms' });
      const status = first.result;
      for (const form of status.forms) {
        const real = exact[form.resolution];
        figures.push({ name: `rows estimate ${form.resolution} vs exact count`, value: (100 * (form.rows - real)) / real, unit: '% off', reference: `${real} exact` });
      }
      const stat = db
        .prepare("SELECT name, sum(pgsize) FROM dbstat WHERE aggregate = TRUE AND name IN ('samples', 'sample_blocks', 'rollups', 'rollup_states') GROUP BY name")
        .raw()
        .all() as [string, number][];
      const pages = Object.fromEntries(stat);
      const historyPages = Object.values(pages).reduce((sum, bytes) => sum + bytes, 0);
      const estimatedHistory = status.forms.reduce((sum, form) => sum + form.bytes, 0);
      figures.push({ name: 'bytes estimate, all forms vs dbstat', value: (100 * (estimatedHistory - historyPages)) / historyPages, unit: '% off' });
      const rawPages = (pages.samples ?? 0) + (pages.sample_blocks ?? 0);
      figures.push({ name: 'bytes estimate, raw vs dbstat', value: (100 * (status.forms[0]!.bytes - rawPages)) / rawPages, unit: '% off' });

      // Remove what the settings say, step by step, as the writer's maintenance would.
      const usedBefore = (db.pragma('page_count', { simple: true }) as number) - (db.pragma('freelist_count', { simple: true }) as number);
      const stepTimes: number[] = [];
      let deleted = 0;
      const sweepStarted = performance.now();
      for (;;) {
        const step = timed(() => retentionStep(db, settings, NOW, 2000));
        stepTimes.push(step.ms);
        deleted += step.result.deleted;
        if (!step.result.more) break;
      }
      const sweepMs = performance.now() - sweepStarted;
      const usedAfter = (db.pragma('page_count', { simple: true }) as number) - (db.pragma('freelist_count', { simple: true }) as number);
      const freed = (usedBefore - usedAfter) * (db.pragma('page_size', { simple: true }) as number);
      figures.push({ name: 'retention step (budget 2000 rows), median', value: percentile(stepTimes, 0.5), unit: 'ms' });
      figures.push({ name: 'retention step (budget 2000 rows), 99th percentile', value: percentile(stepTimes, 0.99), unit: 'ms' });
      figures.push({ name: 'retention step (budget 2000 rows), longest', value: Math.max(...stepTimes), unit: 'ms' });
      figures.push({ name: 'rows removed per second of steps', value: deleted / (sweepMs / 1000), unit: 'rows/s', reference: `${deleted} rows in ${stepTimes.length} steps` });
      figures.push({ name: 'freeable estimate vs pages actually freed', value: (100 * (status.freeableBytes - freed)) / Math.max(1, freed), unit: '% off', reference: `${(freed / 1e6).toFixed(0)} MB freed` });
      const after = timed(() => retentionStatus(db, file, settings, NOW));
      figures.push({ name: 'historian.retention figures after the sweep', value: after.ms, unit: 'ms', reference: `freeable now ${(after.result.freeableBytes / 1e6).toFixed(1)} MB` });
    } finally {
      db.close();
      if (!kept) removeDir(dir);
    }
    return figures;
  },
};
