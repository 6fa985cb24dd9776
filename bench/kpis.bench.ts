// The KPI engine at plant scale: kpis.overview for 50 machines over a day and over a month, cold (a new
// connection, nothing cached, the OS cache dropped where root allows) and warm.
// The database is generated here (never committed) in the forms the historian keeps: for each machine a
// state point, a part counter and a power meter's kWh counter, simulated like the demo CNC (cycles of
// 40–52 s; after a cycle it loads for 15–60 s or stops on an alarm for 30–90 s, now and then for
// 10–40 minutes), stored on change plus a heartbeat a minute, as compressed hourly blocks and 1-minute
// and 1-hour rollups made by the historian's own codec and rollup code; plus a plant meter.
// The stops are found once before timing (that one-time scan of the month's raw state samples is a
// figure of its own); the overview then reads rollups, stored stops and micro-stop sums.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type Database from 'better-sqlite3';
import { silentLogger } from '../core/host.ts';
import { encodeBlock } from '../core/historian/block-codec.ts';
import { HOUR_MS, MINUTE_MS, mergeRows, rollUp, type RawSample, type RollupCarry, type RollupRow } from '../core/historian/rollup.ts';
import { createKpiHandlers } from '../core/kpis/kpi-handlers.ts';
import { migrateKpiTables } from '../core/kpis/schema.ts';
import { openDatabase, type Db } from '../core/storage/database.ts';
import { Settings } from '../core/storage/settings.ts';
import { CALENDAR_SETTINGS_KEY, defaultShiftCalendar, ShiftCalendarSchema } from '../shared/domain/calendar.ts';
import { MACHINES_SETTINGS_KEY, MachineSettingsSchema, type Machine } from '../shared/domain/machines.ts';
import type { PointKind } from '../shared/index.ts';
import type { Benchmark, Figure } from './run.ts';

const MACHINES = Number(process.env.BENCH_KPI_MACHINES ?? 50);
const DAYS = Number(process.env.BENCH_KPI_DAYS ?? 31);
const DAY_MS = 24 * HOUR_MS;
/** 30 June 2026, 14:20 in Shanghai: June is the current month, 29 days of it closed. */
export const NOW = Date.UTC(2026, 5, 30, 6, 20);
const START = Date.UTC(2026, 5, 30, -8) - (DAYS - 1) * DAY_MS;
/** Rollups done up to a minute ago, as the upkeep keeps them. */
const ROLLED = Math.floor((NOW - 70_000) / MINUTE_MS) * MINUTE_MS;

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** One machine's state changes and part count, as the CNC of the demo plant behaves. */
function simulate(seed: number): { state: RawSample[]; parts: RawSample[]; energy: RawSample[] } {
  const next = random(seed);
  const state: RawSample[] = [];
  const parts: RawSample[] = [];
  const energy: RawSample[] = [];
  let at = START;
  let count = Math.floor(next() * 10_000);
  let kwh = 1000 + Math.floor(next() * 1000);
  const push = (list: RawSample[], ts: number, value: number) => {
    // A sample on change, and a heartbeat a minute after the last stored one.
    const last = list.at(-1);
    if (last) for (let beat = last.ts + MINUTE_MS; beat < ts; beat += MINUTE_MS) list.push({ ts: beat, value: last.value, quality: 0 });
    list.push({ ts, value, quality: 0 });
  };
  let lastEnergyAt = START;
  const addEnergy = (until: number, kw: number) => {
    // The meter's kWh register, read every minute.
    for (let ts = Math.ceil((lastEnergyAt + 1) / MINUTE_MS) * MINUTE_MS; ts <= until; ts += MINUTE_MS) {
      kwh += (kw * MINUTE_MS) / HOUR_MS;
      push(energy, ts, Math.round(kwh * 100) / 100);
    }
    lastEnergyAt = until;
  };
  push(state, at, 1);
  push(parts, at, count);
  while (at < NOW) {
    const cycle = Math.round(40_000 + next() * 12_000);
    at += cycle;
    addEnergy(at, 6);
    push(parts, at, ++count);
    const roll = next();
    let stop = 0;
    let code = 0;
    if (roll < 0.0025) [stop, code] = [Math.round(600_000 + next() * 1_800_000), next() < 0.5 ? 2 : 0];
    else if (roll < 0.0425) [stop, code] = [Math.round(30_000 + next() * 60_000), 2];
    else if (roll < 0.2025) [stop, code] = [Math.round(15_000 + next() * 45_000), 0];
    if (stop > 0) {
      push(state, at, code);
      at += stop;
      addEnergy(at, 1.2);
      push(state, at, 1);
    }
  }
  const until = (list: RawSample[]) => list.filter((sample) => sample.ts < NOW);
  return { state: until(state), parts: until(parts), energy: until(energy) };
}

interface Statements {
  rollup: Database.Statement;
  state: Database.Statement;
  block: Database.Statement;
  progress: Database.Statement;
  sample: Database.Statement;
}

/** Stores one point's samples as the historian keeps them: blocks per closed hour, rollups, plain rows for the newest minutes. */
function storePoint(num: number, kind: PointKind, samples: readonly RawSample[], sql: Statements): void {
  let carry: RollupCarry | null = null;
  let index = 0;
  for (let hour = Math.floor(START / HOUR_MS) * HOUR_MS; hour < NOW; hour += HOUR_MS) {
    const inHour: RawSample[] = [];
    while (index < samples.length && samples[index]!.ts < hour + HOUR_MS) inHour.push(samples[index++]!);
    const closedHour = hour + HOUR_MS <= ROLLED;
    if (closedHour && inHour.length > 0) {
      sql.block.run(
        num,
        inHour[0]!.ts,
        inHour.at(-1)!.ts,
        inHour.length,
        encodeBlock(
          { ts: Float64Array.from(inHour, (s) => s.ts), values: Float64Array.from(inHour, (s) => s.value), qualities: Uint8Array.from(inHour, (s) => s.quality) },
          { scale: 0.01, offset: 0 },
        ),
      );
    } else {
      for (const sample of inHour) sql.sample.run(num, sample.ts, sample.value, sample.quality);
    }
    const until = Math.min(hour + HOUR_MS, ROLLED);
    if (until <= hour) continue;
    const minutes = rollUp(inHour, carry, hour, until, { kind, periodMs: MINUTE_MS, maxHoldMs: 120_000, wrap: kind === 'counter' ? 4_294_967_296 : undefined });
    carry = minutes.carry;
    const store = (resolution: number, rows: readonly RollupRow[]) => {
      for (const row of rows) {
        sql.rollup.run(resolution, num, row.ts, row.count, row.min, row.max, row.first, row.last, row.sum, row.twa, row.coveredMs, row.increase);
        if (row.states) for (const [value, ms] of row.states) sql.state.run(resolution, num, row.ts, value, ms);
      }
    };
    store(MINUTE_MS, minutes.rows);
    if (closedHour) store(HOUR_MS, [mergeRows(hour, minutes.rows, kind)]);
  }
  const last = carry as RollupCarry | null;
  sql.progress.run(num, ROLLED, Math.floor(ROLLED / HOUR_MS) * HOUR_MS, last?.ts ?? null, Number.isNaN(last?.lastGood ?? Number.NaN) ? null : last!.lastGood, last?.quality ?? null);
}

/** Writes the plant's history and settings into `db` (exported for profiling runs). */
export function generate(db: Db): { samples: number } {
  const sql: Statements = {
    rollup: db.prepare(
      'INSERT INTO rollups (resolution, point, ts, count, min, max, first, last, sum, twa, covered_ms, increase) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    state: db.prepare('INSERT INTO rollup_states (resolution, point, ts, state, ms) VALUES (?, ?, ?, ?, ?)'),
    block: db.prepare('INSERT INTO sample_blocks (point, start_ts, end_ts, count, data) VALUES (?, ?, ?, ?, ?)'),
    progress: db.prepare('INSERT INTO rollup_progress (point, minute_done, hour_done, carry_ts, carry_value, carry_quality) VALUES (?, ?, ?, ?, ?, ?)'),
    sample: db.prepare('INSERT INTO samples (point, ts, value, quality) VALUES (?, ?, ?, ?)'),
  };
  const addPoint = db.prepare('INSERT INTO points (num, id, device_id, config) VALUES (?, ?, ?, ?)');
  const machines: Machine[] = [];
  let samples = 0;
  let num = 1;
  const plantEnergy: RawSample[] = [];
  for (let index = 0; index < MACHINES; index++) {
    const deviceId = `m${index + 1}`;
    const simulated = simulate(index + 1);
    db.transaction(() => {
      db.prepare('INSERT INTO devices (id, config, created_at) VALUES (?, ?, 0)').run(deviceId, JSON.stringify({ id: deviceId }));
      const points: [string, PointKind, RawSample[]][] = [
        ['state', 'state', simulated.state],
        ['parts', 'counter', simulated.parts],
        ['energy', 'counter', simulated.energy],
      ];
      for (const [key, kind, list] of points) {
        addPoint.run(num, `${deviceId}.${key}`, deviceId, JSON.stringify({ kind, dataType: kind === 'state' ? 'uint16' : 'uint32', scale: 1 }));
        storePoint(num++, kind, list, sql);
        samples += list.length;
      }
    })();
    // The plant meter reads the sum of the machines' (every minute, same instants).
    simulated.energy.forEach((sample, at) => {
      const plant = plantEnergy[at];
      if (plant) plant.value += sample.value;
      else plantEnergy.push({ ...sample });
    });
    machines.push({
      id: deviceId,
      name: `Machine ${index + 1}`,
      deviceId,
      stateTag: `${deviceId}.state`,
      runningStates: [1],
      idleStates: [0],
      alarmStates: [2],
      partCounter: `${deviceId}.parts`,
      partsPerCount: 1,
      idealCycleTimeS: 40,
      microStopS: 120,
      meter: { pointId: `${deviceId}.energy`, kind: 'energy' },
    });
  }
  db.transaction(() => {
    db.prepare("INSERT INTO devices (id, config, created_at) VALUES ('meter', '{}', 0)").run();
    addPoint.run(num, 'meter.energy', 'meter', JSON.stringify({ kind: 'counter', dataType: 'float32', scale: 1 }));
    storePoint(num, 'counter', plantEnergy, sql);
    samples += plantEnergy.length;
    const settings = new Settings(db, silentLogger);
    settings.write(CALENDAR_SETTINGS_KEY, ShiftCalendarSchema, { ...defaultShiftCalendar('en'), timeZone: 'Asia/Shanghai' });
    settings.write(MACHINES_SETTINGS_KEY, MachineSettingsSchema, { machines, plantMeter: { pointId: 'meter.energy', kind: 'energy' }, stopReasons: MachineSettingsSchema.parse({ machines: [] }).stopReasons });
  })();
  return { samples };
}

function dropOsCache(): boolean {
  try {
    fs.writeFileSync('/proc/sys/vm/drop_caches', '3');
    return true;
  } catch {
    return false;
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function overviewOn(db: Db, period: 'day' | 'month'): { ms: number; machines: number; oee: number | null } {
  const started = performance.now();
  const handlers = createKpiHandlers({ db, logger: silentLogger, now: () => NOW, warmIntervalMs: 0 });
  const overview = handlers['kpis.overview']({ period }, { role: 'viewer', locale: 'en' }) as { machines: unknown[]; plant: { oee: number | null } };
  return { ms: performance.now() - started, machines: overview.machines.length, oee: overview.plant.oee };
}

export const benchmark: Benchmark = {
  title: `KPI engine: plant overview of ${MACHINES} machines over a day and a month`,
  async run() {
    const figures: Figure[] = [];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plantdesk-bench-kpis-'));
    try {
      const db = openDatabase(dir);
      migrateKpiTables(db);
      const generation = performance.now();
      const { samples } = generate(db);
      db.pragma('wal_checkpoint(TRUNCATE)');
      figures.push({
        name: `history generated (${MACHINES} machines × ${DAYS} days)`,
        value: samples / 1e6,
        unit: 'M samples',
        reference: `in ${((performance.now() - generation) / 1000).toFixed(0)} s`,
      });
      // What the app does in the background as history arrives, here all at once: find the stops in the
      // raw state samples, and compute the closed days of this month and the last into the cache.
      const handlers = createKpiHandlers({ db, logger: silentLogger, now: () => NOW, warmIntervalMs: 0 });
      const delay = monitorEventLoopDelay({ resolution: 1 });
      delay.enable();
      const warmStarted = performance.now();
      await handlers.warm();
      const warmMs = performance.now() - warmStarted;
      delay.disable();
      const stops = db.prepare('SELECT count(*) FROM kpi_stops').pluck().get() as number;
      figures.push({
        name: `background: stops found, closed days computed (once)`,
        value: warmMs,
        unit: 'ms',
        reference: `${stops} stops; one machine at a time, longest pause of the event loop ${(delay.max / 1e6).toFixed(0)} ms`,
      });
      db.close();

      const cold = (period: 'day' | 'month', emptyCache: boolean, dropCache: boolean) => {
        if (emptyCache) {
          const clear = openDatabase(dir);
          clear.prepare('DELETE FROM kpi_cache').run();
          clear.pragma('wal_checkpoint(TRUNCATE)');
          clear.close();
        }
        const dropped = dropCache && dropOsCache();
        const connection = openDatabase(dir);
        try {
          return { ...overviewOn(connection, period), dropped };
        } finally {
          connection.close();
        }
      };
      for (const period of ['day', 'month'] as const) {
        // Each: a new connection and new handlers (as after a restart); median of 5.
        const runs = (emptyCache: boolean, dropCache: boolean) => Array.from({ length: 5 }, () => cold(period, emptyCache, dropCache));
        // The closed days in the cache, as the background keeps them.
        const filling = openDatabase(dir);
        await createKpiHandlers({ db: filling, logger: silentLogger, now: () => NOW, warmIntervalMs: 0 }).warm();
        filling.close();
        const cached = runs(false, false);
        figures.push({
          name: `overview ${period}, cold`,
          value: median(cached.map((run) => run.ms)),
          unit: 'ms',
          target: '≤ 100 ms',
          reference: `${cached[0]!.machines} machines; new connection, closed days from the cache, the current day computed live; slowest ${Math.max(...cached.map((run) => run.ms)).toFixed(0)} ms`,
        });
        const dropped = runs(false, true);
        figures.push({
          name: `overview ${period}, cold, OS cache dropped`,
          value: median(dropped.map((run) => run.ms)),
          unit: 'ms',
          reference: dropped[0]!.dropped ? 'as above, with the OS page cache dropped before each run' : 'the OS cache could not be dropped (needs root)',
        });
        const empty = runs(true, false);
        figures.push({
          name: `overview ${period}, cold, nothing cached`,
          value: median(empty.map((run) => run.ms)),
          unit: 'ms',
          reference: 'the first ask after a settings change (the background computes the closed days within a minute)',
        });
      }
      const warm = openDatabase(dir);
      try {
        for (const period of ['day', 'month'] as const) {
          overviewOn(warm, period);
          const runs = Array.from({ length: 15 }, () => overviewOn(warm, period).ms);
          figures.push({ name: `overview ${period}, warm`, value: median(runs), unit: 'ms', target: '≤ 100 ms', reference: `median of 15, slowest ${Math.max(...runs).toFixed(1)} ms` });
        }
      } finally {
        warm.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    return figures;
  },
};
