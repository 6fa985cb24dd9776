// Retention on real database files: which policy a point gets (its class, its own overrides, null
// for ever), what a sweep removes (only what is older than each cutoff, never a block or a rollup
// period that still reaches past it, never raw samples its rollups have not taken in yet), that a
// step keeps to its budget and repeated steps finish, and that the Storage panel's figures match a
// database built by hand (exactly when asked to count everything, closely when estimating); and the
// two calls: settings saved and read back, an impossible order refused in words, a file that
// cannot be used named.
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError, type RetentionSettings } from '../../shared/index.ts';
import { silentLogger } from '../host.ts';
import { databaseFile, openDatabase, type Db } from '../storage/database.ts';
import { DEFAULT_RETENTION, RETENTION_KEY, Settings } from '../storage/settings.ts';
import { makeTempDir, removeDir } from '../test-support.ts';
import { createRetentionHandlers } from './retention-handlers.ts';
import { cutoffsOf, effectivePolicy, pointRetentionOf, readRetentionSettings, retentionStatus, retentionStep, retentionSweeper } from './retention.ts';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 0, 15, 12);

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function tempDb(): { db: Db; dir: string } {
  const dir = makeTempDir('plantdesk-retention-');
  const db = openDatabase(dir);
  cleanups.push(() => removeDir(dir));
  cleanups.push(() => db.close());
  return { db, dir };
}

const SETTINGS: RetentionSettings = {
  analog: { rawDays: 10, minuteDays: 20, hourDays: 30 },
  counter: { rawDays: 5, minuteDays: 25, hourDays: null },
  state: { rawDays: 3, minuteDays: 10, hourDays: 40 },
};

describe('the policy of a point', () => {
  it('is its class, overridden field by field by its own; null keeps a form for ever', () => {
    expect(effectivePolicy({ kind: 'analog' }, SETTINGS)).toEqual(SETTINGS.analog);
    expect(effectivePolicy({}, SETTINGS)).toEqual(SETTINGS.analog);
    expect(effectivePolicy({ kind: 'counter', retention: { rawDays: 2 } }, SETTINGS)).toEqual({ rawDays: 2, minuteDays: 25, hourDays: null });
    // null in the point's own settings wins over the class's days; days win over the class's null.
    expect(effectivePolicy({ kind: 'state', retention: { hourDays: null, minuteDays: 15 } }, SETTINGS)).toEqual({ rawDays: 3, minuteDays: 15, hourDays: null });
    expect(effectivePolicy({ kind: 'counter', retention: { hourDays: 400 } }, SETTINGS)).toEqual({ rawDays: 5, minuteDays: 25, hourDays: 400 });
  });

  it('is read leniently from the stored point: a broken override falls back to the class', () => {
    expect(pointRetentionOf(JSON.stringify({ kind: 'counter', retention: { rawDays: 7 } }))).toEqual({ kind: 'counter', retention: { rawDays: 7 } });
    expect(pointRetentionOf(JSON.stringify({ id: 'old.point' }))).toEqual({ kind: 'analog' });
    expect(pointRetentionOf(JSON.stringify({ kind: 'state', retention: { rawDays: -4 } }))).toEqual({ kind: 'state' });
    expect(pointRetentionOf(JSON.stringify({ kind: 'valve' }))).toEqual({ kind: 'analog' });
    expect(pointRetentionOf('{not json')).toEqual({ kind: 'analog' });
    expect(pointRetentionOf(undefined)).toEqual({ kind: 'analog' });
  });

  it('turns days into cutoffs, and null into none', () => {
    expect(cutoffsOf({ rawDays: 1, minuteDays: 2, hourDays: null }, NOW)).toEqual({ raw: NOW - DAY, minute: NOW - 2 * DAY, hour: null });
  });

  it('comes from the settings: 90 days raw, two years of 1-minute, 1-hour for ever by default', () => {
    const { db } = tempDb();
    expect(readRetentionSettings(db)).toEqual(DEFAULT_RETENTION);
    expect(DEFAULT_RETENTION.state).toEqual({ rawDays: 90, minuteDays: 730, hourDays: null });
    new Settings(db, silentLogger).retention = SETTINGS;
    expect(readRetentionSettings(db)).toEqual(SETTINGS);
    db.prepare('UPDATE settings SET value = ? WHERE key = ?').run(JSON.stringify({ analog: { rawDays: 0 } }), RETENTION_KEY);
    expect(readRetentionSettings(db)).toEqual(DEFAULT_RETENTION);
  });
});

/**
 * A plant with every form of history, every 3 hours for 45 days:
 *  1 analog (class policy), rollups done up to an hour ago;
 *  2 counter, raw kept 2 days by its own setting, but its 1-minute rollups only reached 4 days ago
 *    and its 1-hour ones 26 days ago;
 *  3 state, 1-minute kept 15 days and 1-hour for ever by its own setting;
 *  4 analog whose rollups have not started (no progress row): its raw samples must stay, and its
 *    1-minute rollups too (they are not in 1-hour ones yet);
 *  7 a point no longer configured (its device was deleted): it ages like the analog class.
 * Blocks run from 10 h before to 10 h after each day boundary, so one straddles every cutoff;
 * rollups start 30 s (1-minute) or 30 min (1-hour) before each 3-hourly mark, so one period
 * straddles every cutoff too.
 */
function buildPlant(db: Db): void {
  db.prepare("INSERT INTO devices (id, config, created_at) VALUES ('d1', '{}', 0)").run();
  const point = db.prepare("INSERT INTO points (num, id, device_id, config) VALUES (?, ?, 'd1', ?)");
  point.run(1, 'd1.temperature', JSON.stringify({ id: 'd1.temperature', kind: 'analog' }));
  point.run(2, 'd1.energy', JSON.stringify({ id: 'd1.energy', kind: 'counter', retention: { rawDays: 2 } }));
  point.run(3, 'd1.mode', JSON.stringify({ id: 'd1.mode', kind: 'state', retention: { minuteDays: 15, hourDays: null } }));
  point.run(4, 'd1.pressure', JSON.stringify({ id: 'd1.pressure' }));
  const progress = db.prepare('INSERT INTO rollup_progress (point, minute_done, hour_done) VALUES (?, ?, ?)');
  progress.run(1, NOW - HOUR, NOW - HOUR);
  progress.run(2, NOW - 4 * DAY, NOW - 26 * DAY);
  progress.run(3, NOW - HOUR, NOW - HOUR);
  const sample = db.prepare('INSERT INTO samples (point, ts, value, quality) VALUES (?, ?, ?, 0)');
  const block = db.prepare('INSERT INTO sample_blocks (point, start_ts, end_ts, count, data) VALUES (?, ?, ?, ?, ?)');
  const rollup = db.prepare('INSERT INTO rollups (resolution, point, ts, count, min, max, first, last, sum, twa, covered_ms, increase) VALUES (?, ?, ?, 10, 1, 2, 1, 2, 15, 1.5, ?, NULL)');
  const state = db.prepare('INSERT INTO rollup_states (resolution, point, ts, state, ms) VALUES (?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (const num of [1, 2, 3, 4, 7]) {
      for (let mark = NOW - 45 * DAY; mark <= NOW; mark += 3 * HOUR) {
        sample.run(num, mark, num * 10);
        rollup.run(MINUTE, num, mark - 30_000, MINUTE);
        if (num === 3) {
          state.run(MINUTE, num, mark - 30_000, 0, 20_000);
          state.run(MINUTE, num, mark - 30_000, 1, 40_000);
        }
        if ((mark - NOW) % (6 * HOUR) === 0) {
          rollup.run(HOUR, num, mark - 30 * MINUTE, HOUR);
          if (num === 3) {
            state.run(HOUR, num, mark - 30 * MINUTE, 0, 1_000_000);
            state.run(HOUR, num, mark - 30 * MINUTE, 1, 2_600_000);
          }
        }
      }
      for (let day = NOW - 45 * DAY; day <= NOW - DAY; day += DAY) block.run(num, day - 10 * HOUR, day + 10 * HOUR, 100 + num, Buffer.alloc(50 + num * 100, num));
    }
  })();
}

/** What must be left of each point's history after a sweep with SETTINGS (worked out by hand above). */
const KEEP_FROM: Record<number, { raw: number | null; minute: number | null; hour: number | null }> = {
  1: { raw: NOW - 10 * DAY, minute: NOW - 20 * DAY, hour: NOW - 30 * DAY },
  // Raw 2 days by its own setting, but only what its 1-minute rollups took in (up to 4 days ago) may
  // go; 1-minute 25 days, but only what the 1-hour rollups took in (up to 26 days ago).
  2: { raw: NOW - 4 * DAY, minute: NOW - 26 * DAY, hour: null },
  3: { raw: NOW - 3 * DAY, minute: NOW - 15 * DAY, hour: null },
  // No rollups yet: neither its raw samples nor its 1-minute rollups (not in 1-hour ones yet) go.
  4: { raw: null, minute: null, hour: NOW - 30 * DAY },
  7: { raw: NOW - 10 * DAY, minute: NOW - 20 * DAY, hour: NOW - 30 * DAY },
};

type Row = [number, number, number];

function snapshot(db: Db) {
  return {
    samples: db.prepare('SELECT point, ts, 0 FROM samples ORDER BY point, ts').raw().all() as Row[],
    blocks: db.prepare('SELECT point, start_ts, end_ts FROM sample_blocks ORDER BY point, start_ts').raw().all() as Row[],
    rollups: db.prepare('SELECT point, ts, resolution FROM rollups ORDER BY resolution, point, ts').raw().all() as Row[],
    states: db.prepare('SELECT point, ts, resolution FROM rollup_states ORDER BY resolution, point, ts, state').raw().all() as Row[],
  };
}

/** The rows of `before` that must survive: newer than the cutoff, or reaching past it. */
function expectedAfter(before: ReturnType<typeof snapshot>, keepFrom = KEEP_FROM) {
  const keep = (cut: number | null, lastMoment: number) => cut === null || lastMoment >= cut;
  const cutOf = (point: number, resolution: number) => (resolution === MINUTE ? keepFrom[point]!.minute : keepFrom[point]!.hour);
  return {
    samples: before.samples.filter(([point, ts]) => keep(keepFrom[point]!.raw, ts)),
    blocks: before.blocks.filter(([point, , end]) => keep(keepFrom[point]!.raw, end)),
    // A period [ts, ts + resolution) goes only when it has ended by the cutoff.
    rollups: before.rollups.filter(([point, ts, resolution]) => keep(cutOf(point, resolution), ts + resolution - 1)),
    states: before.states.filter(([point, ts, resolution]) => keep(cutOf(point, resolution), ts + resolution - 1)),
  };
}

function sweep(db: Db, settings: RetentionSettings, budget: number, maxPoints?: number) {
  const steps: { deleted: number; more: boolean }[] = [];
  for (let guard = 0; guard < 10_000; guard++) {
    const step = retentionStep(db, settings, NOW, budget, { maxPoints });
    steps.push(step);
    if (!step.more) return steps;
  }
  throw new Error('the sweep did not finish');
}

describe('a retention sweep', () => {
  it('removes exactly what is older than each cutoff, in steps that keep to their budget', () => {
    const { db } = tempDb();
    buildPlant(db);
    const before = snapshot(db);
    const expected = expectedAfter(before);
    // The fixture has something to remove in every table, and something straddling a cutoff.
    expect(expected.samples.length).toBeLessThan(before.samples.length);
    expect(expected.blocks.length).toBeLessThan(before.blocks.length);
    expect(expected.rollups.length).toBeLessThan(before.rollups.length);
    expect(expected.states.length).toBeLessThan(before.states.length);
    expect(expected.blocks.some(([point, start]) => point === 1 && start < NOW - 10 * DAY)).toBe(true);
    expect(expected.rollups.some(([point, ts, resolution]) => point === 1 && resolution === HOUR && ts < NOW - 30 * DAY)).toBe(true);

    const budget = 7;
    const steps = sweep(db, SETTINGS, budget);
    const total = Object.values(before).reduce((sum, rows) => sum + rows.length, 0) - Object.values(expected).reduce((sum, rows) => sum + rows.length, 0);
    expect(steps.reduce((sum, step) => sum + step.deleted, 0)).toBe(total);
    // Every step but the last used its budget (states share a time, so the last row's companions go with it).
    for (const step of steps) expect(step.deleted).toBeLessThanOrEqual(budget + 1);
    expect(steps.length).toBeGreaterThanOrEqual(Math.ceil(total / (budget + 1)));
    expect(snapshot(db)).toEqual(expected);

    // Done: the next sweep finds nothing, in one step.
    expect(retentionStep(db, SETTINGS, NOW, budget)).toEqual({ deleted: 0, more: false });
    // Time moves the cutoffs on: a day later there is more to remove.
    expect(retentionStep(db, SETTINGS, NOW + DAY, 10_000).deleted).toBeGreaterThan(0);
  });

  it('walks a bounded number of points per step and still finishes', () => {
    const { db } = tempDb();
    buildPlant(db);
    const expected = expectedAfter(snapshot(db));
    const steps = sweep(db, SETTINGS, 100_000, 2);
    // Five points with history, two per step: three steps, the last one past the end.
    expect(steps.map((step) => step.more)).toEqual([true, true, false]);
    expect(snapshot(db)).toEqual(expected);
  });

  it('keeps for ever what the class keeps for ever, unless the point says otherwise', () => {
    const { db } = tempDb();
    buildPlant(db);
    const before = snapshot(db);
    const forever = { rawDays: null, minuteDays: null, hourDays: null };
    sweep(db, { analog: forever, counter: forever, state: forever }, 1000);
    const none = { raw: null, minute: null, hour: null };
    // Only the points' own settings remove anything: point 2's raw samples, point 3's 1-minute rollups.
    const keepFrom = { 1: none, 2: { ...none, raw: NOW - 4 * DAY }, 3: { ...none, minute: NOW - 15 * DAY }, 4: none, 7: none };
    const expected = expectedAfter(before, keepFrom);
    expect(expected.samples.length).toBeLessThan(before.samples.length);
    expect(expected.rollups.length).toBeLessThan(before.rollups.length);
    expect(snapshot(db)).toEqual(expected);
  });
});

describe('the sweep in the historian maintenance', () => {
  it('reads the settings at every step, so a change saved in the app applies at the next one', () => {
    const { db } = tempDb();
    buildPlant(db);
    const step = retentionSweeper(db);
    const expected = expectedAfter(snapshot(db));
    // The defaults (90 days raw, two years of 1-minute) find little in a 45-day plant: only the points' own settings.
    while (step(NOW, 1000).more);
    expect(snapshot(db)).not.toEqual(expected);
    new Settings(db, silentLogger).retention = SETTINGS;
    while (step(NOW, 1000).more);
    expect(snapshot(db)).toEqual(expected);
  });
});

describe('the Storage figures', () => {
  const everything = { budgetMs: 60_000, exactRows: 1_000_000 };

  it('match a database built by hand, and what a sweep then really frees', () => {
    const { db, dir } = tempDb();
    buildPlant(db);
    const file = databaseFile(dir);
    const configured = 'point IN (SELECT num FROM points)';
    const count = (sql: string) => db.prepare(sql).pluck().get() as number;
    const status = retentionStatus(db, file, SETTINGS, NOW, everything);
    expect(status.settings).toEqual(SETTINGS);
    expect(status.databaseBytes).toBe(fs.statSync(file).size + (fs.existsSync(`${file}-wal`) ? fs.statSync(`${file}-wal`).size : 0));
    expect(status.forms.map((form) => form.resolution)).toEqual(['raw', '1m', '1h']);
    const [raw, minute, hour] = status.forms;
    // Raw samples one by one (a block holds `count` of them); rollups by the row, with their states.
    expect(raw!.rows).toBe(count(`SELECT (SELECT count(*) FROM samples WHERE ${configured}) + (SELECT sum(count) FROM sample_blocks WHERE ${configured})`));
    expect(minute!.rows).toBe(count(`SELECT (SELECT count(*) FROM rollups WHERE resolution = 60000 AND ${configured}) + (SELECT count(*) FROM rollup_states WHERE resolution = 60000)`));
    expect(hour!.rows).toBe(count(`SELECT (SELECT count(*) FROM rollups WHERE resolution = 3600000 AND ${configured}) + (SELECT count(*) FROM rollup_states WHERE resolution = 3600000)`));
    expect(raw!.oldest).toBe(NOW - 45 * DAY - 10 * HOUR);
    expect(minute!.oldest).toBe(NOW - 45 * DAY - 30_000);
    expect(hour!.oldest).toBe(NOW - 45 * DAY - 30 * MINUTE);

    // The forms share out the pages the history takes (everything but configuration and schema).
    const pages = (sql: string) => count(`SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE aggregate = TRUE AND ${sql}`);
    const historyPages = pages("name IN ('samples', 'sample_blocks', 'rollups', 'rollup_states')");
    const used = (count('PRAGMA page_count') - count('PRAGMA freelist_count')) * count('PRAGMA page_size');
    expect(used - pages("name NOT IN ('samples', 'sample_blocks', 'rollups', 'rollup_states')")).toBe(historyPages);
    expect(Math.abs(status.forms.reduce((sum, form) => sum + form.bytes, 0) - historyPages)).toBeLessThanOrEqual(3);

    // About what the settings free: compared with the pages a sweep really frees.
    expect(status.freeableBytes).toBeGreaterThan(0);
    sweep(db, SETTINGS, 500);
    const freed = used - (count('PRAGMA page_count') - count('PRAGMA freelist_count')) * count('PRAGMA page_size');
    expect(status.freeableBytes).toBeGreaterThan(freed * 0.6);
    expect(status.freeableBytes).toBeLessThan(freed * 1.6);

    // Afterwards: the figures follow, and (almost) nothing is left to free.
    const after = retentionStatus(db, file, SETTINGS, NOW, everything);
    expect(after.forms[0]!.rows).toBe(count(`SELECT (SELECT count(*) FROM samples WHERE ${configured}) + (SELECT sum(count) FROM sample_blocks WHERE ${configured})`));
    expect(after.forms[2]!.oldest).toBe(count(`SELECT min(ts) FROM rollups WHERE resolution = 3600000 AND ${configured}`));
    expect(after.freeableBytes).toBe(0);
  });

  it('are close estimates on a larger database', () => {
    const { db, dir } = tempDb();
    db.prepare("INSERT INTO devices (id, config, created_at) VALUES ('d1', '{}', 0)").run();
    const kinds = ['analog', 'analog', 'counter', 'state', 'analog', 'analog'] as const;
    const block = db.prepare('INSERT INTO sample_blocks (point, start_ts, end_ts, count, data) VALUES (?, ?, ?, ?, ?)');
    const rollup = db.prepare('INSERT INTO rollups (resolution, point, ts, count, min, max, first, last, sum, twa, covered_ms, increase) VALUES (?, ?, ?, 60, 1.25, 2.5, 1.5, 2.25, 91.5, 1.75, ?, NULL)');
    const sample = db.prepare('INSERT INTO samples (point, ts, value, quality) VALUES (?, ?, ?, 0)');
    db.transaction(() => {
      kinds.forEach((kind, index) => {
        const num = index + 1;
        db.prepare("INSERT INTO points (num, id, device_id, config) VALUES (?, ?, 'd1', ?)").run(num, `d1.p${num}`, JSON.stringify({ kind }));
        db.prepare('INSERT INTO rollup_progress (point, minute_done, hour_done) VALUES (?, ?, ?)').run(num, NOW, NOW);
        for (let ts = NOW - HOUR; ts < NOW; ts += 2000 * num) sample.run(num, ts, ts % 97);
        for (let hour = NOW - 20 * DAY; hour < NOW - HOUR; hour += HOUR) {
          // A gap of two days in point 2's history, and blocks of every size.
          if (num === 2 && hour > NOW - 12 * DAY && hour < NOW - 10 * DAY) continue;
          const count = 200 + ((hour / HOUR) * 37 * num) % 3000;
          block.run(num, hour, hour + HOUR - 1000, count, Buffer.alloc(count * 2, num));
          rollup.run(HOUR, num, hour, HOUR);
          for (let minute = hour; minute < hour + HOUR; minute += MINUTE) rollup.run(MINUTE, num, minute, MINUTE);
        }
      });
    })();
    const settings: RetentionSettings = { ...SETTINGS, counter: { rawDays: 15, minuteDays: 5, hourDays: null } };
    // Every point measured (a slow machine must not make this test a lottery); rows estimated as usual.
    const estimate = retentionStatus(db, databaseFile(dir), settings, NOW, { budgetMs: 60_000 });
    const exact = retentionStatus(db, databaseFile(dir), settings, NOW, everything);
    // The estimate reads a small part of the rows, so it is not the exact count, but it is close
    // (raw samples least: blocks hold from 200 to 3200 samples here, and 64 a point are read).
    expect(estimate.forms.map((form) => form.rows)).not.toEqual(exact.forms.map((form) => form.rows));
    estimate.forms.forEach((form, index) => {
      const real = exact.forms[index]!;
      expect(Math.abs(form.rows - real.rows) / real.rows).toBeLessThan(0.1);
      expect(Math.abs(form.bytes - real.bytes) / real.bytes).toBeLessThan(0.05);
      expect(form.oldest).toBe(real.oldest);
    });
    expect(Math.abs(estimate.freeableBytes - exact.freeableBytes) / exact.freeableBytes).toBeLessThan(0.05);
    // The raw bytes as SQLite stores them (larger blocks spill to overflow pages), within 15 %: the
    // file's pages are shared out among the forms by a model of SQLite's page layout.
    const rawPages = db.prepare("SELECT sum(pgsize) FROM dbstat WHERE aggregate = TRUE AND name IN ('samples', 'sample_blocks', 'sample_blocks_by_point')").pluck().get() as number;
    expect(Math.abs(exact.forms[0]!.bytes - rawPages) / rawPages).toBeLessThan(0.15);
  });

  it('stop measuring when the time budget is spent, and let the measured points stand for the rest', () => {
    const { db, dir } = tempDb();
    buildPlant(db);
    let ticks = 0;
    // A clock that moves a whole budget per reading: only the minimum is measured.
    const status = retentionStatus(db, databaseFile(dir), SETTINGS, NOW, { budgetMs: 1, clock: () => ticks++ * 10 });
    const exact = retentionStatus(db, databaseFile(dir), SETTINGS, NOW, everything);
    expect(ticks).toBeLessThan(10);
    expect(status.forms.map((form) => form.resolution)).toEqual(['raw', '1m', '1h']);
    for (const [index, form] of status.forms.entries()) expect(form.rows).toBeGreaterThan(exact.forms[index]!.rows * 0.5);
  });
});

describe('the retention calls', () => {
  const context = { role: 'admin' as const, locale: 'en' as const };

  function handlers(state: 'ok' | 'unavailable' = 'ok') {
    const { db, dir } = tempDb();
    buildPlant(db);
    const changed: RetentionSettings[] = [];
    const storage = {
      db,
      file: databaseFile(dir),
      state,
      assertWritable: () => {
        if (state !== 'ok') throw new AppError('storage_error', 'error.storageUnavailable', { params: { file: databaseFile(dir) } });
      },
      problemError: () => new AppError('storage_error', 'storage.problem.other', { params: { file: databaseFile(dir), reason: 'storage.reason.cantOpen' } }),
    };
    return { db, changed, calls: createRetentionHandlers({ storage, logger: silentLogger, now: () => NOW, onChanged: (settings) => changed.push(settings) }) };
  }

  it('answer with the stored settings (the defaults at first) and save new ones for the sweep to read', async () => {
    const { db, calls, changed } = handlers();
    const before = await calls['historian.retention']({}, context);
    expect(before.settings).toEqual(DEFAULT_RETENTION);
    expect(before.forms.map((form) => form.resolution)).toEqual(['raw', '1m', '1h']);
    const after = await calls['historian.configureRetention'](SETTINGS, context);
    expect(after.settings).toEqual(SETTINGS);
    // By default only the points' own settings free anything in a 45-day plant; shorter days free more.
    expect(after.freeableBytes).toBeGreaterThan(before.freeableBytes);
    expect(readRetentionSettings(db)).toEqual(SETTINGS);
    expect(changed).toEqual([SETTINGS]);
  });

  it('refuse a coarser form kept for less time than a finer one, in a sentence naming the class', () => {
    const { db, calls } = handlers();
    const settings = { ...SETTINGS, counter: { rawDays: 30, minuteDays: 20, hourDays: null } };
    let refused: unknown;
    try {
      calls['historian.configureRetention'](settings, context);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('invalid_input');
    expect((refused as AppError).message).toMatch(/^Counters: keep each coarser form at least as long as the finer one/);
    expect((refused as AppError).toBody('zh-CN').message).toMatch(/^累计量：/);
    // Forever is longer than any number of days, and nothing was saved.
    expect(() => calls['historian.configureRetention']({ ...SETTINGS, state: { rawDays: null, minuteDays: 400, hourDays: null } }, context)).toThrow(/^States:/);
    expect(readRetentionSettings(db)).toEqual(DEFAULT_RETENTION);
  });

  it('say what is wrong with the file while it cannot be used, and save nothing', () => {
    const { calls } = handlers('unavailable');
    expect(() => calls['historian.retention']({}, context)).toThrow(/Cannot use the database/);
    expect(() => calls['historian.configureRetention'](SETTINGS, context)).toThrow(/cannot be saved/);
  });
});
