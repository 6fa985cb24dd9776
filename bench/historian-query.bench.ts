// The historian at scale: a year-long chart as fast as a day-long one, and how many bytes a sample
// takes on disk.
// - Query: a database of more than 100 million samples (4 tags × 1 year at 1 s, generated here, never
//   committed), written in the forms the historian keeps — an hour of raw samples per compressed block,
//   1-minute and 1-hour rollups, computed by the historian's own codec and rollup code. One tag over
//   1 day, 30 days and 1 year into 1,000 chart points through TrendReader, warm (median of 20) and with
//   a cold OS cache (caches dropped, new connection; needs root, else said so).
// - Bytes per sample: the demo plant's machines simulated at 1 s for a day, stored as the app stores
//   them (a change, or a heartbeat a minute after the last stored value), compacted by the upkeep; the
//   compressed blocks' pages per stored sample, and with the rollups as well.
// - Upkeep throughput: rolling up and compressing plain rows, samples per second.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { decodeRegisters, registerCount, toEngineering, type Point } from '../shared/index.ts';
import { DemoPlant, demoConfiguration, DEMO_DEVICES } from '../core/demo/index.ts';
import { silentLogger } from '../core/host.ts';
import { encodeBlock } from '../core/historian/block-codec.ts';
import { HistorianMaintenance } from '../core/historian/maintenance.ts';
import { HOUR_MS, MINUTE_MS, mergeRows, rollUp, type RawSample, type RollupCarry, type RollupRow } from '../core/historian/rollup.ts';
import { TrendReader } from '../core/historian/trend-query.ts';
import { DATABASE_FILE, openDatabase, type Db } from '../core/storage/database.ts';
import type { Benchmark, Figure } from './run.ts';

const TAGS = Number(process.env.BENCH_QUERY_TAGS ?? 4);
const DAYS = Number(process.env.BENCH_QUERY_DAYS ?? 366);
const DAY_MS = 24 * HOUR_MS;
const END = Date.UTC(2026, 0, 1);
const START = END - DAYS * DAY_MS;

/** A temperature-like tag at 1 s from an int16 register scaled by 0.1: drift, a daily cycle, noise of a count. */
function hourOfSignal(tag: number, hourStart: number, ts: Float64Array, values: Float64Array, state: { raw: number; seed: number }): void {
  for (let second = 0; second < 3600; second++) {
    const at = hourStart + second * 1000;
    state.seed = (state.seed * 1_103_515_245 + 12_345) % 2 ** 31;
    const noise = (state.seed % 3) - 1;
    const cycle = 40 * Math.sin((2 * Math.PI * (at % DAY_MS)) / DAY_MS + tag);
    state.raw += Math.sign(600 + cycle - state.raw) * ((state.seed >> 8) % 2) + noise;
    ts[second] = at;
    values[second] = state.raw * 0.1;
  }
}

function storeRows(db: Db, resolution: number, num: number, rows: readonly RollupRow[], insert: Database.Statement, insertState: Database.Statement): void {
  for (const row of rows) {
    insert.run(resolution, num, row.ts, row.count, row.min, row.max, row.first, row.last, row.sum, row.twa, row.coveredMs, row.increase);
    if (row.states) for (const [state, ms] of row.states) insertState.run(resolution, num, row.ts, state, ms);
  }
}

/** Writes TAGS × DAYS of 1 s samples as blocks and rollups; returns the samples written. */
function generate(db: Db): number {
  const insertBlock = db.prepare('INSERT INTO sample_blocks (point, start_ts, end_ts, count, data) VALUES (?, ?, ?, ?, ?)');
  const insertRollup = db.prepare(
    'INSERT INTO rollups (resolution, point, ts, count, min, max, first, last, sum, twa, covered_ms, increase) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertState = db.prepare('INSERT INTO rollup_states (resolution, point, ts, state, ms) VALUES (?, ?, ?, ?, ?)');
  const saveProgress = db.prepare('INSERT INTO rollup_progress (point, minute_done, hour_done, carry_ts, carry_value, carry_quality) VALUES (?, ?, ?, ?, ?, 0)');
  db.prepare("INSERT INTO devices (id, config, created_at) VALUES ('bench', '{}', 0)").run();
  const ts = new Float64Array(3600);
  const values = new Float64Array(3600);
  const qualities = new Uint8Array(3600);
  const samples: RawSample[] = Array.from({ length: 3600 }, () => ({ ts: 0, value: 0, quality: 0 }));
  let written = 0;
  for (let tag = 1; tag <= TAGS; tag++) {
    db.prepare('INSERT INTO points (num, id, device_id, config) VALUES (?, ?, ?, ?)').run(tag, `bench.t${tag}`, 'bench', JSON.stringify({ scale: 0.1, dataType: 'int16' }));
    const state = { raw: 600, seed: tag * 7919 };
    let carry: RollupCarry | null = null;
    const day = db.transaction((dayStart: number) => {
      for (let hour = dayStart; hour < dayStart + DAY_MS; hour += HOUR_MS) {
        hourOfSignal(tag, hour, ts, values, state);
        insertBlock.run(tag, ts[0], ts[3599], 3600, encodeBlock({ ts, values, qualities }, { scale: 0.1, offset: 0 }));
        for (let index = 0; index < 3600; index++) {
          samples[index]!.ts = ts[index]!;
          samples[index]!.value = values[index]!;
        }
        const minutes = rollUp(samples, carry, hour, hour + HOUR_MS, { kind: 'analog', periodMs: MINUTE_MS, maxHoldMs: 120_000 });
        carry = minutes.carry;
        storeRows(db, MINUTE_MS, tag, minutes.rows, insertRollup, insertState);
        storeRows(db, HOUR_MS, tag, [mergeRows(hour, minutes.rows, 'analog')], insertRollup, insertState);
        written += 3600;
      }
    });
    for (let dayStart = START; dayStart < END; dayStart += DAY_MS) day(dayStart);
    const last = carry as RollupCarry | null;
    saveProgress.run(tag, END, END, last?.ts ?? null, last?.lastGood ?? null);
  }
  return written;
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

function timeQuery(reader: TrendReader, from: number): { ms: number; points: number; resolution: string } {
  const started = performance.now();
  const answer = reader.read({ num: 1, from, to: END - 1, maxPoints: 1000 });
  return { ms: performance.now() - started, points: answer.points.length, resolution: answer.resolution };
}

/** The demo plant's points, simulated at 1 s for `hours`, stored on change or heartbeat like the app. */
function storeDemoDay(db: Db, hours: number): { stored: number; offered: number } {
  const start = Date.UTC(2026, 4, 4, 0, 0, 0);
  const plant = new DemoPlant(silentLogger, start);
  const machines = { cnc: plant.cnc, moulding: plant.moulding, meter: plant.meter };
  const { devices, points } = demoConfiguration({ cnc: 1, moulding: 2, meter: 3 }, 'en');
  db.transaction(() => {
    for (const device of devices) db.prepare('INSERT INTO devices (id, config, created_at) VALUES (?, ?, 0)').run(device.id, JSON.stringify(device));
    points.forEach((point, index) => db.prepare('INSERT INTO points (num, id, device_id, config) VALUES (?, ?, ?, ?)').run(index + 1, point.id, point.deviceId, JSON.stringify(point)));
  })();
  const machineOf = (point: Point) => machines[DEMO_DEVICES.find((device) => device.id === point.deviceId)!.machine];
  const numeric = points.map((point, index) => ({ point, num: index + 1, machine: machineOf(point) })).filter(({ point }) => point.dataType !== 'string');
  const last = new Map<number, { ts: number; value: number }>();
  const insert = db.prepare('INSERT INTO samples (point, ts, value, quality) VALUES (?, ?, ?, 0)');
  let stored = 0;
  let offered = 0;
  const minute = db.transaction((minuteStart: number) => {
    for (let ts = minuteStart; ts < minuteStart + MINUTE_MS; ts += 1000) {
      for (const machine of Object.values(machines)) machine.step(ts);
      for (const { point, num, machine } of numeric) {
        const registers = machine.image.read(point.address, registerCount(point.dataType));
        const value = toEngineering(decodeRegisters(registers, point.dataType, point.wordOrder, point.bit) as number, point.scale, point.offset);
        offered++;
        const previous = last.get(num);
        if (previous && previous.value === value && ts - previous.ts < 60_000) continue;
        last.set(num, { ts, value });
        insert.run(num, ts, value);
        stored++;
      }
    }
  });
  for (let at = start; at < start + hours * HOUR_MS; at += MINUTE_MS) minute(at);
  return { stored, offered };
}

const tableBytes = (db: Db, table: string) =>
  (db.prepare('SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name = ?').pluck().get(table) as number) +
  (db.prepare("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name IN (SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?)").pluck().get(table) as number);

export const benchmark: Benchmark = {
  title: `Historian at scale: charts over 1 day / 30 days / 1 year, bytes per sample, upkeep`,
  async run() {
    const figures: Figure[] = [];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plantdesk-bench-query-'));
    try {
      // --- query over > 100 million samples
      const db = openDatabase(dir);
      const generation = performance.now();
      const samples = generate(db);
      db.pragma('wal_checkpoint(TRUNCATE)');
      const generatedIn = (performance.now() - generation) / 1000;
      const file = path.join(dir, DATABASE_FILE);
      const fileBytes = fs.statSync(file).size;
      figures.push({ name: `samples in the database (${TAGS} tags × ${DAYS} days at 1 s)`, value: samples / 1e6, unit: 'M', reference: `generated in ${generatedIn.toFixed(0)} s, file ${(fileBytes / 2 ** 20).toFixed(0)} MB` });
      const ranges: [string, number][] = [
        ['1 day', DAY_MS],
        ['30 days', 30 * DAY_MS],
        ['1 year', 365 * DAY_MS],
      ];
      const warmReader = new TrendReader(db);
      for (const [name, span] of ranges) {
        timeQuery(warmReader, END - span);
        const runs = Array.from({ length: 20 }, () => timeQuery(warmReader, END - span));
        const { points, resolution } = runs[0]!;
        figures.push({ name: `query ${name} → ${points} points (${resolution}), warm`, value: median(runs.map((run) => run.ms)), unit: 'ms', target: '≤ 20 ms', reference: `slowest of 20 ${Math.max(...runs.map((run) => run.ms)).toFixed(1)} ms` });
      }
      db.close();
      for (const [name, span] of ranges) {
        const dropped = dropOsCache();
        const cold = openDatabase(dir);
        try {
          const { ms, points } = timeQuery(new TrendReader(cold), END - span);
          figures.push({
            name: `query ${name} → ${points} points, cold`,
            value: ms,
            unit: 'ms',
            target: '≤ 60 ms',
            reference: dropped ? 'OS page cache dropped, new connection' : 'new connection only: the OS cache cannot be dropped without root',
          });
        } finally {
          cold.close();
        }
      }
      fs.rmSync(dir, { recursive: true, force: true });

      // --- bytes per sample, demo plant at 1 s
      fs.mkdirSync(dir, { recursive: true });
      const demo = openDatabase(dir);
      const { stored, offered } = storeDemoDay(demo, 24);
      const upkeepStarted = performance.now();
      new HistorianMaintenance(demo, { now: () => Date.UTC(2026, 4, 6) }).runUntilIdle();
      const upkeepSeconds = (performance.now() - upkeepStarted) / 1000;
      const blockBytes = tableBytes(demo, 'sample_blocks');
      const rollupBytes = tableBytes(demo, 'rollups') + tableBytes(demo, 'rollup_states');
      const left = demo.prepare('SELECT count(*) FROM samples').pluck().get() as number;
      figures.push({
        name: 'demo plant, 1 day at 1 s: raw samples on disk',
        value: blockBytes / stored,
        unit: 'B/sample',
        target: '≤ 2',
        reference: `${stored} samples stored of ${offered} read (change or 1-min heartbeat); ${left} left as plain rows; ${(blockBytes / offered).toFixed(2)} B per sample read`,
      });
      figures.push({ name: 'demo plant: with the 1-minute and 1-hour rollups', value: (blockBytes + rollupBytes) / stored, unit: 'B/sample', reference: 'a plain row per sample: about 25 B' });
      figures.push({ name: 'upkeep: roll up and compress plain rows', value: stored / upkeepSeconds / 1000, unit: 'k/s', reference: `${stored} samples in ${upkeepSeconds.toFixed(1)} s` });
      demo.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    return figures;
  },
};
